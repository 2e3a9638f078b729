/*
 * klock.h -- the kernel lock of one netstack instance.
 *
 * One big lock serialises all protocol code of an instance.  It is
 * recursive (count) and remembers its owner thread; every transition is
 * asserted.  Blocking inside the kernel happens only through
 * klock_sleep(), which releases the lock completely (whatever the
 * recursion depth), waits on a condition variable and takes it back.
 */
#ifndef _NETSTACK_KERN_KLOCK_H_
#define _NETSTACK_KERN_KLOCK_H_

#include "netstack/kern/kern.h"

struct klock_deferred;

struct klock {
	struct rumpuser_mtx	*kl_mtx;	/* [I] */
	uintptr_t		 kl_owner;	/* [K] thread id or 0 */
	unsigned		 kl_count;	/* [K] recursion depth */
	struct klock_deferred	*kl_deferred;	/* [K] queued, oldest first */
	struct klock_deferred	**kl_deftail;	/* [K] */
};

/*
 * Work deferred to the end of the current hold of the lock: a driver
 * that sent several frames in one kernel entry wakes its readers once.
 * Queued entries run, oldest first, with the lock held, just before the
 * holder gives the lock up entirely: the outermost klock_exit,
 * klock_release_all and klock_sleep.  An entry is on the queue at most
 * once (kd_queued); its function must not sleep or release the lock,
 * and may queue other entries (they run in the same flush).  The owner
 * of an entry must klock_undefer it before freeing it.
 */
struct klock_deferred {
	struct klock_deferred	*kd_next;	/* [K] */
	bool			 kd_queued;	/* [K] */
	void			(*kd_fn)(void *); /* [I] */
	void			*kd_arg;	/* [I] */
};

/* A condition a thread can sleep on while the kernel lock is released. */
struct kcondvar {
	struct rumpuser_cv	*kc_cv;
};

int klock_init(struct klock *kl);
void klock_destroy(struct klock *kl);
void klock_enter(struct klock *kl);
void klock_exit(struct klock *kl);
bool klock_held(const struct klock *kl);

/*
 * Drop every level of the lock (to wait for a thread that may need it,
 * e.g. joining a driver's receive thread) and take it back.
 * => the depth to pass to klock_reacquire.
 */
unsigned klock_release_all(struct klock *kl);
void klock_reacquire(struct klock *kl, unsigned depth);

/* Queue kd (lock held); nothing if it is queued already. */
void klock_defer(struct klock *kl, struct klock_deferred *kd);
/* Take kd off the queue without running it.  => it was queued. */
bool klock_undefer(struct klock *kl, struct klock_deferred *kd);

int kcondvar_init(struct kcondvar *cv);
void kcondvar_destroy(struct kcondvar *cv);
/*
 * Sleep on cv with the lock released; deadline_mono is an absolute host
 * MONO time in ns, or 0 for no timeout.  The lock is held again (with the
 * same recursion depth) on return.  => 0 when woken, ETIMEDOUT.
 */
int klock_sleep(struct klock *kl, struct kcondvar *cv, uint64_t deadline_mono);
void kcondvar_broadcast(struct kcondvar *cv);

#endif /* _NETSTACK_KERN_KLOCK_H_ */
