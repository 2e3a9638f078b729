/*
 * tcp_sack.c -- selective acknowledgments (RFC 2018) and the sender's
 * scoreboard for SACK-based loss recovery (RFC 6675).
 *
 * Receiver: t_sackrep lists the out-of-order ranges we hold, the one
 * holding the most recent segment first (RFC 2018 4).
 * Sender: t_sackhole lists the ranges the peer SACKed above snd_una,
 * sorted and disjoint.  The scoreboard is conservative: it is cleared
 * on a retransmission timeout (RFC 2018 8: the receiver may renege)
 * and holes count as lost only when more than (DupThresh - 1) * SMSS
 * bytes above them were SACKed (RFC 6675 IsLost, byte rule only).
 */
#include "netstack/netinet/tcp_var.h"

#define TCP_DUPTHRESH	3

/* ------------------------------------------------------- receiver */

void
tcp_sack_rcv_update(struct tcpcb *tp, tcp_seq start, tcp_seq end)
{
	struct tcp_sackblk nb = { start, end }, keep[TCP_SACK_MAXREPORT];
	unsigned n = 0;

	/* Absorb every block that overlaps or touches the new one. */
	for (unsigned i = 0; i < tp->t_nsackrep; i++) {
		struct tcp_sackblk *b = &tp->t_sackrep[i];

		if (SEQ_LEQ(b->start, nb.end) && SEQ_GEQ(b->end, nb.start)) {
			nb.start = SEQ_MIN(nb.start, b->start);
			nb.end = SEQ_MAX(nb.end, b->end);
		} else if (n < TCP_SACK_MAXREPORT - 1) {
			keep[n++] = *b;
		}
	}
	tp->t_sackrep[0] = nb;
	memcpy(&tp->t_sackrep[1], keep, n * sizeof(keep[0]));
	tp->t_nsackrep = n + 1;
}

void
tcp_sack_rcv_trim(struct tcpcb *tp)
{
	unsigned n = 0;

	for (unsigned i = 0; i < tp->t_nsackrep; i++) {
		struct tcp_sackblk b = tp->t_sackrep[i];

		if (SEQ_LEQ(b.end, tp->rcv_nxt))
			continue;
		if (SEQ_LT(b.start, tp->rcv_nxt))
			b.start = tp->rcv_nxt;
		tp->t_sackrep[n++] = b;
	}
	tp->t_nsackrep = n;
}

/* --------------------------------------------------------- sender */

void
tcp_sack_clear(struct tcpcb *tp)
{
	tp->t_nsack = 0;
}

static void
tcp_sack_insert(struct tcpcb *tp, tcp_seq start, tcp_seq end)
{
	struct tcp_sackblk *sb = tp->t_sackhole;
	unsigned i = 0, j;

	/* First block that ends at or after start. */
	while (i < tp->t_nsack && SEQ_LT(sb[i].end, start))
		i++;
	/* Blocks i..j-1 overlap or touch [start, end): merge them. */
	for (j = i; j < tp->t_nsack && SEQ_LEQ(sb[j].start, end); j++) {
		start = SEQ_MIN(start, sb[j].start);
		end = SEQ_MAX(end, sb[j].end);
	}
	if (j == i) {
		if (tp->t_nsack == TCP_SACK_MAXHOLES) {
			if (i == tp->t_nsack)
				return;		/* full: keep low */
			tp->t_nsack--;
		}
		memmove(&sb[i + 1], &sb[i], (tp->t_nsack - i) * sizeof(*sb));
		tp->t_nsack++;
	} else if (j > i + 1) {
		memmove(&sb[i + 1], &sb[j], (tp->t_nsack - j) * sizeof(*sb));
		tp->t_nsack -= j - i - 1;
	}
	sb[i].start = start;
	sb[i].end = end;
}

void
tcp_sack_update(struct tcpcb *tp, const struct tcp_seg *sg)
{
	for (unsigned i = 0; i < sg->nsack; i++) {
		tcp_seq s = sg->sack[i].start, e = sg->sack[i].end;

		tcp_statinc(tp->t_ns, TCP_STAT_SACKRCVBLK);
		/* Ignore D-SACKs and blocks outside what we sent. */
		if (!SEQ_LT(s, e) || SEQ_LEQ(s, tp->snd_una) ||
		    SEQ_GT(e, tp->snd_max))
			continue;
		tcp_sack_insert(tp, s, e);
	}
}

void
tcp_sack_trim(struct tcpcb *tp)
{
	unsigned n = 0;

	for (unsigned i = 0; i < tp->t_nsack; i++) {
		struct tcp_sackblk b = tp->t_sackhole[i];

		if (SEQ_LEQ(b.end, tp->snd_una))
			continue;
		if (SEQ_LT(b.start, tp->snd_una))
			b.start = tp->snd_una;
		tp->t_sackhole[n++] = b;
	}
	tp->t_nsack = n;
}

tcp_seq
tcp_sack_high(const struct tcpcb *tp)
{
	return tp->t_nsack > 0 ? tp->t_sackhole[tp->t_nsack - 1].end :
	    tp->snd_una;
}

uint32_t
tcp_sack_bytes(const struct tcpcb *tp)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < tp->t_nsack; i++)
		n += tp->t_sackhole[i].end - tp->t_sackhole[i].start;
	return n;
}

bool
tcp_sack_is_sacked(const struct tcpcb *tp, tcp_seq seq, uint32_t *runp)
{
	for (unsigned i = 0; i < tp->t_nsack; i++) {
		const struct tcp_sackblk *b = &tp->t_sackhole[i];

		if (SEQ_LT(seq, b->start)) {
			*runp = b->start - seq;
			return false;
		}
		if (SEQ_LT(seq, b->end)) {
			*runp = b->end - seq;
			return true;
		}
	}
	*runp = SEQ_GT(tp->snd_max, seq) ? tp->snd_max - seq : 0;
	return false;
}

/* SACKed bytes above hole i (the hole just below block i). */
static uint32_t
tcp_sack_above(const struct tcpcb *tp, unsigned i)
{
	uint32_t n = 0;

	for (; i < tp->t_nsack; i++)
		n += tp->t_sackhole[i].end - tp->t_sackhole[i].start;
	return n;
}

static bool
tcp_sack_hole_lost(const struct tcpcb *tp, unsigned i)
{
	return tcp_sack_above(tp, i) > (TCP_DUPTHRESH - 1) * tp->t_maxseg;
}

/*
 * RFC 6675 SetPipe: bytes thought to be in the network.  A hole not
 * yet deemed lost counts once, a retransmitted part of a hole once
 * more (lost or not); SACKed bytes do not count; everything above the
 * highest SACK counts.
 */
uint32_t
tcp_sack_pipe(const struct tcpcb *tp)
{
	tcp_seq lo = tp->snd_una;
	uint32_t pipe = 0;

	for (unsigned i = 0; i < tp->t_nsack; i++) {
		const struct tcp_sackblk *b = &tp->t_sackhole[i];
		uint32_t hole = SEQ_GT(b->start, lo) ? b->start - lo : 0;
		uint32_t rxt = 0;

		if (SEQ_GT(tp->snd_hirxt, lo))
			rxt = MIN(hole, tp->snd_hirxt - lo);
		if (!tcp_sack_hole_lost(tp, i))
			pipe += hole;
		pipe += rxt;
		lo = b->end;
	}
	if (SEQ_GT(tp->snd_max, lo))
		pipe += tp->snd_max - lo;
	return pipe;
}

/* RFC 6675 NextSeg rule 1: the first lost byte not yet resent. */
bool
tcp_sack_nextseg(const struct tcpcb *tp, tcp_seq *seqp, uint32_t *lenp)
{
	tcp_seq lo = tp->snd_una;

	for (unsigned i = 0; i < tp->t_nsack; i++) {
		const struct tcp_sackblk *b = &tp->t_sackhole[i];
		tcp_seq from = SEQ_MAX(lo, tp->snd_hirxt);

		if (SEQ_LT(from, b->start) && tcp_sack_hole_lost(tp, i)) {
			*seqp = from;
			*lenp = b->start - from;
			return true;
		}
		lo = b->end;
	}
	return false;
}
