/*
 * callout.h -- one-shot timers of a netstack instance.
 *
 * A callout fires its function once, with the kernel lock held, when
 * netstack time reaches its deadline.  Pending callouts are kept in a
 * binary min-heap ordered by (deadline, sequence), so callouts with the
 * same deadline fire in the order they were scheduled.  Time is whatever
 * the instance's clock says (real or virtual); protocol code never reads
 * a clock itself.
 */
#ifndef _NETSTACK_KERN_CALLOUT_H_
#define _NETSTACK_KERN_CALLOUT_H_

#include "netstack/kern/kern.h"

struct netstack;

struct callout {
	void		(*c_func)(void *);	/* [K] */
	void		 *c_arg;		/* [K] */
	struct netstack	 *c_ns;			/* [I] */
	uint64_t	  c_when;		/* [K] deadline, ns since boot */
	uint64_t	  c_seq;		/* [K] tie breaker */
	unsigned	  c_index;		/* [K] heap slot; valid if pending */
	bool		  c_pending;		/* [K] */
};

struct callout_queue {
	struct callout	**cq_heap;		/* [K] */
	unsigned	  cq_count;		/* [K] */
	unsigned	  cq_size;		/* [K] */
	uint64_t	  cq_seq;		/* [K] */
};

void callout_queue_init(struct callout_queue *cq);
void callout_queue_fini(struct callout_queue *cq);

void callout_init(struct callout *c, struct netstack *ns,
    void (*func)(void *), void *arg);
/* (Re)arm to fire delay ns from now.  Lock held. */
void callout_schedule(struct callout *c, uint64_t delay);
/* Arm at an absolute netstack time.  Lock held. */
void callout_schedule_at(struct callout *c, uint64_t when);
/* Disarm; => true if it was pending.  Lock held. */
bool callout_stop(struct callout *c);
static inline bool
callout_pending(const struct callout *c)
{
	return c->c_pending;
}

/* Deadline of the earliest pending callout, or UINT64_MAX.  Lock held. */
uint64_t callout_next(const struct netstack *ns);
/* Fire every callout due at ns_now.  Lock held.  => number fired. */
unsigned callout_run(struct netstack *ns);

#endif /* _NETSTACK_KERN_CALLOUT_H_ */
