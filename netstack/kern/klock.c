/*
 * klock.c -- the kernel lock: recursive, owner-tracked, asserted.
 */
#include "netstack/kern/klock.h"

int
klock_init(struct klock *kl)
{
	kl->kl_owner = 0;
	kl->kl_count = 0;
	kl->kl_deferred = NULL;
	kl->kl_deftail = &kl->kl_deferred;
	return rumpuser_mutex_init(&kl->kl_mtx, 0);
}

void
klock_destroy(struct klock *kl)
{
	KASSERT(kl->kl_count == 0 && kl->kl_owner == 0);
	KASSERT(kl->kl_deferred == NULL);
	rumpuser_mutex_destroy(kl->kl_mtx);
}

void
klock_enter(struct klock *kl)
{
	uintptr_t self = rumpuser_thread_self();

	if (__atomic_load_n(&kl->kl_owner, __ATOMIC_RELAXED) == self) {
		KASSERT(kl->kl_count > 0);
		kl->kl_count++;
		return;
	}
	rumpuser_mutex_enter(kl->kl_mtx);
	KASSERT(kl->kl_owner == 0 && kl->kl_count == 0);
	__atomic_store_n(&kl->kl_owner, self, __ATOMIC_RELAXED);
	kl->kl_count = 1;
}

/* Run the deferred work queued so far, and what it queues; lock held. */
static void
klock_run_deferred(struct klock *kl)
{
	struct klock_deferred *kd;

	while ((kd = kl->kl_deferred) != NULL) {
		kl->kl_deferred = kd->kd_next;
		if (kl->kl_deferred == NULL)
			kl->kl_deftail = &kl->kl_deferred;
		kd->kd_next = NULL;
		kd->kd_queued = false;
		(*kd->kd_fn)(kd->kd_arg);
	}
}

void
klock_defer(struct klock *kl, struct klock_deferred *kd)
{
	KASSERT(klock_held(kl));
	if (kd->kd_queued)
		return;
	kd->kd_queued = true;
	kd->kd_next = NULL;
	*kl->kl_deftail = kd;
	kl->kl_deftail = &kd->kd_next;
}

bool
klock_undefer(struct klock *kl, struct klock_deferred *kd)
{
	struct klock_deferred **kp;

	KASSERT(klock_held(kl));
	if (!kd->kd_queued)
		return false;
	for (kp = &kl->kl_deferred; *kp != kd; kp = &(*kp)->kd_next)
		KASSERT(*kp != NULL);
	*kp = kd->kd_next;
	if (kl->kl_deftail == &kd->kd_next)
		kl->kl_deftail = kp;
	kd->kd_next = NULL;
	kd->kd_queued = false;
	return true;
}

void
klock_exit(struct klock *kl)
{
	KASSERTMSG(kl->kl_owner == rumpuser_thread_self(),
	    "klock_exit: lock not held by this thread");
	KASSERT(kl->kl_count > 0);
	/* The outermost exit: deferred work first (it may nest the lock). */
	if (kl->kl_count == 1 && kl->kl_deferred != NULL)
		klock_run_deferred(kl);
	if (--kl->kl_count > 0)
		return;
	__atomic_store_n(&kl->kl_owner, 0, __ATOMIC_RELAXED);
	rumpuser_mutex_exit(kl->kl_mtx);
}

bool
klock_held(const struct klock *kl)
{
	return __atomic_load_n(&kl->kl_owner, __ATOMIC_RELAXED) ==
	    rumpuser_thread_self() && kl->kl_count > 0;
}

unsigned
klock_release_all(struct klock *kl)
{
	unsigned depth;

	KASSERT(klock_held(kl));
	klock_run_deferred(kl);
	depth = kl->kl_count;
	kl->kl_count = 0;
	__atomic_store_n(&kl->kl_owner, 0, __ATOMIC_RELAXED);
	rumpuser_mutex_exit(kl->kl_mtx);
	return depth;
}

void
klock_reacquire(struct klock *kl, unsigned depth)
{
	KASSERT(depth > 0);
	klock_enter(kl);
	kl->kl_count = depth;
}

int
kcondvar_init(struct kcondvar *cv)
{
	return rumpuser_cv_init(&cv->kc_cv);
}

void
kcondvar_destroy(struct kcondvar *cv)
{
	rumpuser_cv_destroy(cv->kc_cv);
}

int
klock_sleep(struct klock *kl, struct kcondvar *cv, uint64_t deadline_mono)
{
	unsigned count;
	int rv = 0;

	KASSERT(klock_held(kl));
	klock_run_deferred(kl);
	count = kl->kl_count;
	__atomic_store_n(&kl->kl_owner, 0, __ATOMIC_RELAXED);
	kl->kl_count = 0;
	if (deadline_mono == 0)
		rumpuser_cv_wait(cv->kc_cv, kl->kl_mtx);
	else
		rv = rumpuser_cv_timedwait_abs(cv->kc_cv, kl->kl_mtx,
		    deadline_mono);
	KASSERT(kl->kl_owner == 0 && kl->kl_count == 0);
	__atomic_store_n(&kl->kl_owner, rumpuser_thread_self(),
	    __ATOMIC_RELAXED);
	kl->kl_count = count;
	return rv;
}

void
kcondvar_broadcast(struct kcondvar *cv)
{
	rumpuser_cv_broadcast(cv->kc_cv);
}
