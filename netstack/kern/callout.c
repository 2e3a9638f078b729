/*
 * callout.c -- one-shot timers in a binary min-heap.
 *
 * Heap invariant: for every slot i > 0, key(heap[(i-1)/2]) <= key(heap[i])
 * where key = (c_when, c_seq); heap[i]->c_index == i for every pending
 * callout.  Firing order is therefore by deadline, then by scheduling
 * order.
 */
#include "netstack/kern/netstack.h"

static bool
callout_before(const struct callout *a, const struct callout *b)
{
	if (a->c_when != b->c_when)
		return a->c_when < b->c_when;
	return a->c_seq < b->c_seq;
}

static void
cq_place(struct callout_queue *cq, unsigned i, struct callout *c)
{
	cq->cq_heap[i] = c;
	c->c_index = i;
}

static void
cq_sift_up(struct callout_queue *cq, unsigned i)
{
	struct callout *c = cq->cq_heap[i];

	while (i > 0) {
		unsigned parent = (i - 1) / 2;
		if (!callout_before(c, cq->cq_heap[parent]))
			break;
		cq_place(cq, i, cq->cq_heap[parent]);
		i = parent;
	}
	cq_place(cq, i, c);
}

static void
cq_sift_down(struct callout_queue *cq, unsigned i)
{
	struct callout *c = cq->cq_heap[i];

	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		const struct callout *best = c;

		if (l < cq->cq_count && callout_before(cq->cq_heap[l], best)) {
			m = l;
			best = cq->cq_heap[l];
		}
		if (r < cq->cq_count && callout_before(cq->cq_heap[r], best))
			m = r;
		if (m == i)
			break;
		cq_place(cq, i, cq->cq_heap[m]);
		i = m;
	}
	cq_place(cq, i, c);
}

void
callout_queue_init(struct callout_queue *cq)
{
	cq->cq_heap = NULL;
	cq->cq_count = 0;
	cq->cq_size = 0;
	cq->cq_seq = 0;
}

void
callout_queue_fini(struct callout_queue *cq)
{
	KASSERTMSG(cq->cq_count == 0,
	    "callout_queue_fini: %u callouts still pending", cq->cq_count);
	kmem_free(cq->cq_heap, cq->cq_size * sizeof(cq->cq_heap[0]));
	cq->cq_heap = NULL;
	cq->cq_size = 0;
}

void
callout_init(struct callout *c, struct netstack *ns, void (*func)(void *),
    void *arg)
{
	c->c_func = func;
	c->c_arg = arg;
	c->c_ns = ns;
	c->c_when = 0;
	c->c_seq = 0;
	c->c_index = 0;
	c->c_pending = false;
}

static void
cq_remove(struct callout_queue *cq, struct callout *c)
{
	unsigned i = c->c_index;
	struct callout *last;

	KASSERT(i < cq->cq_count && cq->cq_heap[i] == c);
	c->c_pending = false;
	last = cq->cq_heap[--cq->cq_count];
	if (last == c)
		return;
	cq_place(cq, i, last);
	cq_sift_down(cq, i);
	cq_sift_up(cq, last->c_index);
}

void
callout_schedule_at(struct callout *c, uint64_t when)
{
	struct netstack *ns = c->c_ns;
	struct callout_queue *cq = &ns->ns_callouts;
	uint64_t oldnext;

	KASSERT(klock_held(&ns->ns_klock));
	oldnext = callout_next(ns);
	if (c->c_pending)
		cq_remove(cq, c);
	if (cq->cq_count == cq->cq_size) {
		unsigned nsize = cq->cq_size ? cq->cq_size * 2 : 64;
		struct callout **nheap = kmem_alloc(nsize * sizeof(*nheap));

		if (cq->cq_count > 0)
			memcpy(nheap, cq->cq_heap,
			    cq->cq_count * sizeof(*nheap));
		kmem_free(cq->cq_heap, cq->cq_size * sizeof(*nheap));
		cq->cq_heap = nheap;
		cq->cq_size = nsize;
	}
	c->c_when = when;
	c->c_seq = cq->cq_seq++;
	c->c_pending = true;
	cq_place(cq, cq->cq_count++, c);
	cq_sift_up(cq, c->c_index);
	/* An earlier deadline than the callout thread sleeps for: wake it. */
	if (when < oldnext && ns->ns_softclock != NULL)
		kcondvar_broadcast(&ns->ns_softclock_cv);
}

void
callout_schedule(struct callout *c, uint64_t delay)
{
	callout_schedule_at(c, netstack_now(c->c_ns) + delay);
}

bool
callout_stop(struct callout *c)
{
	KASSERT(klock_held(&c->c_ns->ns_klock));
	if (!c->c_pending)
		return false;
	cq_remove(&c->c_ns->ns_callouts, c);
	return true;
}

uint64_t
callout_next(const struct netstack *ns)
{
	const struct callout_queue *cq = &ns->ns_callouts;

	return cq->cq_count ? cq->cq_heap[0]->c_when : UINT64_MAX;
}

unsigned
callout_run(struct netstack *ns)
{
	struct callout_queue *cq = &ns->ns_callouts;
	unsigned fired = 0;

	KASSERT(klock_held(&ns->ns_klock));
	while (cq->cq_count > 0 && cq->cq_heap[0]->c_when <= ns->ns_now) {
		struct callout *c = cq->cq_heap[0];

		cq_remove(cq, c);
		/* The function may re-arm c or stop others. */
		(*c->c_func)(c->c_arg);
		fired++;
	}
	return fired;
}
