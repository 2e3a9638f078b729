/*
 * tcp_link.h -- an impaired Ethernet link between two frametest nodes
 * on virtual clocks, for TCP tests.
 *
 * Frames transmitted by either node are carried to the other after
 * tl_delay, and on a schedule drawn from a seeded generator (so a
 * failing row replays exactly) they are dropped, duplicated, held back
 * so that later frames overtake them, or corrupted (one byte of the IP
 * packet changed, which the IPv4 or TCP checksum catches).  Only IPv4
 * frames and IPv6 frames carrying TCP are impaired (in IPv6 frames the
 * corrupted byte lies in the TCP segment); ARP, ND and MLD cross
 * intact.
 *
 * Time: both nodes' clocks move together.  tl_run() repeatedly lets the
 * caller's application step act (write, read), carries frames, and
 * when nothing is left to do at the current instant advances both
 * clocks to the next event: a frame arriving, or a callout of either
 * node.
 */
#ifndef _TESTS_UNIT_TCP_LINK_H_
#define _TESTS_UNIT_TCP_LINK_H_

#include <stdbool.h>
#include <stdint.h>

#include "frametest.h"

struct tl_params {
	uint64_t	 tp_seed;
	unsigned	 tp_loss;	/* per mille */
	unsigned	 tp_dup;	/* per mille */
	unsigned	 tp_reorder;	/* per mille */
	unsigned	 tp_corrupt;	/* per mille */
	uint64_t	 tp_delay;	/* one-way, ns */
};

struct tl_frame;

struct tcp_link {
	struct ft_node	*tl_node[2];
	struct tl_params tl_p;
	uint64_t	 tl_rng;
	uint64_t	 tl_now;	/* both nodes' netstack time */
	struct tl_frame	*tl_q;		/* in flight, by arrival time */
	uint64_t	 tl_seq;
	/* What happened, for the test's messages. */
	uint64_t	 tl_carried, tl_dropped, tl_duped, tl_reordered,
			 tl_corrupted;
};

void tl_init(struct tcp_link *tl, struct ft_node *a, struct ft_node *b,
    const struct tl_params *p);
/* Free frames still in flight. */
void tl_fini(struct tcp_link *tl);
/*
 * Run until app(arg) returns true or 'limit' ns of virtual time have
 * passed.  app is called whenever something may have changed.
 * => true if app finished.
 */
bool tl_run(struct tcp_link *tl, bool (*app)(void *), void *arg,
    uint64_t limit);
/* Carry frames and fire callouts for 'span' ns (no application). */
void tl_idle(struct tcp_link *tl, uint64_t span);

#endif /* _TESTS_UNIT_TCP_LINK_H_ */
