/*
 * tcp_link.c -- the impaired link of tcp_link.h.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_link.h"
#include "netstack/kern/netstack.h"
#include "netstack/kern/callout.h"

struct tl_frame {
	struct tl_frame	*f_next;
	uint64_t	 f_when;
	uint64_t	 f_seq;		/* ties keep sending order */
	int		 f_to;
	size_t		 f_len;
	uint8_t		 f_data[];
};

/* xorshift64* (Vigna): small, seeded, good enough for schedules. */
static uint64_t
tl_rand(struct tcp_link *tl)
{
	uint64_t x = tl->tl_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	tl->tl_rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static bool
tl_chance(struct tcp_link *tl, unsigned permille)
{
	return permille > 0 && tl_rand(tl) % 1000 < permille;
}

void
tl_init(struct tcp_link *tl, struct ft_node *a, struct ft_node *b,
    const struct tl_params *p)
{
	memset(tl, 0, sizeof(*tl));
	tl->tl_node[0] = a;
	tl->tl_node[1] = b;
	tl->tl_p = *p;
	tl->tl_rng = p->tp_seed * 0x9e3779b97f4a7c15ull + 1;
	ft_lock(a);
	tl->tl_now = netstack_now(a->fn_ns);
	ft_unlock(a);
	ft_lock(b);
	ck_assert_uint_eq(netstack_now(b->fn_ns), tl->tl_now);
	ft_unlock(b);
}

void
tl_fini(struct tcp_link *tl)
{
	struct tl_frame *f;

	while ((f = tl->tl_q) != NULL) {
		tl->tl_q = f->f_next;
		free(f);
	}
}

static void
tl_enqueue(struct tcp_link *tl, int to, const uint8_t *data, size_t len,
    uint64_t when)
{
	struct tl_frame *f = malloc(sizeof(*f) + len), **pp;

	ck_assert_ptr_nonnull(f);
	f->f_when = when;
	f->f_seq = tl->tl_seq++;
	f->f_to = to;
	f->f_len = len;
	memcpy(f->f_data, data, len);
	for (pp = &tl->tl_q; *pp != NULL && (*pp)->f_when <= when;
	    pp = &(*pp)->f_next)
		continue;
	f->f_next = *pp;
	*pp = f;
}

static bool
tl_is_ipv4(const uint8_t *d, size_t len)
{
	return len >= 34 && d[12] == 0x08 && d[13] == 0x00;
}

/* IPv6 carrying TCP right after the fixed header (ND and MLD pass). */
static bool
tl_is_tcp6(const uint8_t *d, size_t len)
{
	return len >= 14 + 40 + 20 && d[12] == 0x86 && d[13] == 0xdd &&
	    d[14 + 6] == 6;
}

/* Take what the nodes sent and put it on the wire.  => frames taken */
static unsigned
tl_collect(struct tcp_link *tl)
{
	unsigned n = 0;

	for (int from = 0; from < 2; from++) {
		struct mbuf *m;

		while ((m = ft_tx_pop(tl->tl_node[from])) != NULL) {
			uint64_t when = tl->tl_now + tl->tl_p.tp_delay;
			uint8_t *d = m->m_data;
			size_t len = m->m_len;
			int copies = 1;

			n++;
			if (tl_is_ipv4(d, len) || tl_is_tcp6(d, len)) {
				/* IPv6 has no header checksum: spoil the
				 * TCP segment, which its checksum covers. */
				size_t skip = tl_is_tcp6(d, len) ? 54 : 14;

				if (tl_chance(tl, tl->tl_p.tp_loss)) {
					tl->tl_dropped++;
					m_freem(m);
					continue;
				}
				if (tl_chance(tl, tl->tl_p.tp_dup)) {
					tl->tl_duped++;
					copies = 2;
				}
				if (tl_chance(tl, tl->tl_p.tp_reorder)) {
					/* Held back: later frames pass it. */
					tl->tl_reordered++;
					when += 1 + tl_rand(tl) % NS_MS(3);
				}
				if (tl_chance(tl, tl->tl_p.tp_corrupt)) {
					size_t off = skip +
					    tl_rand(tl) % (len - skip);

					tl->tl_corrupted++;
					d[off] ^= (uint8_t)(1 +
					    tl_rand(tl) % 255);
				}
			}
			for (int c = 0; c < copies; c++)
				tl_enqueue(tl, 1 - from, d, len, when + c);
			m_freem(m);
		}
	}
	return n;
}

/* Deliver frames due now.  => frames delivered */
static unsigned
tl_deliver(struct tcp_link *tl)
{
	unsigned n = 0;
	struct tl_frame *f;

	while ((f = tl->tl_q) != NULL && f->f_when <= tl->tl_now) {
		tl->tl_q = f->f_next;
		ft_input(tl->tl_node[f->f_to], f->f_data, f->f_len);
		tl->tl_carried++;
		free(f);
		n++;
	}
	return n;
}

static uint64_t
tl_next_event(struct tcp_link *tl)
{
	uint64_t next = tl->tl_q != NULL ? tl->tl_q->f_when : UINT64_MAX;

	for (int i = 0; i < 2; i++) {
		struct ft_node *fn = tl->tl_node[i];
		uint64_t c;

		ft_lock(fn);
		c = callout_next(fn->fn_ns);
		ft_unlock(fn);
		if (c < next)
			next = c;
	}
	return next;
}

static void
tl_advance_to(struct tcp_link *tl, uint64_t when)
{
	uint64_t d = when - tl->tl_now;

	tl->tl_now = when;
	ft_advance(tl->tl_node[0], d);
	ft_advance(tl->tl_node[1], d);
}

bool
tl_run(struct tcp_link *tl, bool (*app)(void *), void *arg, uint64_t limit)
{
	uint64_t end = tl->tl_now + limit;

	for (;;) {
		unsigned busy = 0;

		if (app != NULL && app(arg))
			return true;
		busy += tl_collect(tl);
		busy += tl_deliver(tl);
		if (busy > 0)
			continue;
		if (app != NULL && app(arg))
			return true;
		if (tl_collect(tl) > 0)
			continue;
		{
			uint64_t next = tl_next_event(tl);

			if (next == UINT64_MAX || next > end) {
				if (tl->tl_now < end)
					tl_advance_to(tl, end);
				return false;
			}
			if (next > tl->tl_now)
				tl_advance_to(tl, next);
			else
				tl_advance_to(tl, tl->tl_now);
		}
	}
}

void
tl_idle(struct tcp_link *tl, uint64_t span)
{
	(void)tl_run(tl, NULL, NULL, span);
}
