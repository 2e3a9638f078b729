/*
 * tcp_cc.c -- congestion control: slow start and congestion avoidance
 * (RFC 5681 3.1), fast retransmit and NewReno fast recovery (RFC 6582),
 * the loss window after a timeout, and the restart window after idle
 * (RFC 5681 4.1).  With SACK, recovery is driven by the pipe estimate
 * of RFC 6675 (tcp_output.c); this file only sets the windows.
 */
#include "netstack/netinet/tcp_var.h"

#define TCP_MAXCWND	(1u << 30)

uint32_t
tcp_flightsize(const struct tcpcb *tp)
{
	return tp->snd_max - tp->snd_una;
}

/* RFC 6928: the initial window, net.inet.tcp.initcwnd segments. */
static uint32_t
tcp_cc_iw(const struct tcpcb *tp)
{
	return (uint32_t)tcp_state(tp->t_ns)->tcs_initcwnd * tp->t_maxseg;
}

void
tcp_cc_init(struct tcpcb *tp)
{
	tp->snd_cwnd = tcp_cc_iw(tp);
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAXWINSHIFT;
	tp->t_bytes_acked = 0;
}

/* New data acknowledged outside recovery (RFC 5681 3.1, RFC 3465). */
void
tcp_cc_ack(struct tcpcb *tp, uint32_t acked)
{
	uint32_t mss = tp->t_maxseg;

	if (tp->snd_cwnd < tp->snd_ssthresh) {
		/* Slow start, appropriate byte counting with L = 2. */
		tp->snd_cwnd += MIN(acked, 2 * mss);
	} else {
		tp->t_bytes_acked += acked;
		if (tp->t_bytes_acked >= tp->snd_cwnd) {
			tp->t_bytes_acked -= tp->snd_cwnd;
			tp->snd_cwnd += mss;
		}
	}
	tp->snd_cwnd = MIN(tp->snd_cwnd, TCP_MAXCWND);
}

/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS). */
static uint32_t
tcp_cc_halve(const struct tcpcb *tp)
{
	return MAX(tcp_flightsize(tp) / 2, 2 * tp->t_maxseg);
}

/*
 * Third duplicate ACK: RFC 6582 3.2 step 2 (NewReno inflates cwnd by
 * the three segments that left the network); with SACK, RFC 6675 5
 * sets cwnd = ssthresh and lets the pipe estimate decide.
 */
void
tcp_cc_enter_recovery(struct tcpcb *tp)
{
	tp->snd_ssthresh = tcp_cc_halve(tp);
	tp->snd_recover = tp->snd_max;
	tp->t_flags |= TF_RECOVERY;
	if (tp->t_flags & TF_SACK_PERMIT) {
		tp->t_flags |= TF_SACKRECOV;
		tp->snd_cwnd = tp->snd_ssthresh;
		tp->snd_hirxt = tp->snd_una;
	} else {
		tp->snd_cwnd = tp->snd_ssthresh + 3 * tp->t_maxseg;
	}
}

/* RFC 6582 3.2 step 5: deflate by what was acknowledged, add one. */
void
tcp_cc_partial_ack(struct tcpcb *tp, uint32_t acked)
{
	if (tp->t_flags & TF_SACKRECOV)
		return;
	if (tp->snd_cwnd > acked)
		tp->snd_cwnd -= acked;
	else
		tp->snd_cwnd = 0;
	if (acked >= tp->t_maxseg)
		tp->snd_cwnd += tp->t_maxseg;
	tp->snd_cwnd = MAX(tp->snd_cwnd, tp->t_maxseg);
}

/* RFC 6582 3.2 step 6, option (1): min(ssthresh, FlightSize + SMSS). */
void
tcp_cc_exit_recovery(struct tcpcb *tp)
{
	tp->snd_cwnd = MIN(tp->snd_ssthresh,
	    MAX(tcp_flightsize(tp), tp->t_maxseg) + tp->t_maxseg);
	tp->t_flags &= ~(TF_RECOVERY | TF_SACKRECOV);
	tp->t_dupacks = 0;
	tp->t_bytes_acked = 0;
}

/* RFC 5681 (4) and 3.1: after a timeout, one segment. */
void
tcp_cc_rto(struct tcpcb *tp)
{
	if (tp->t_rxtshift <= 1)
		tp->snd_ssthresh = tcp_cc_halve(tp);
	tp->snd_cwnd = tp->t_maxseg;
	tp->t_flags &= ~(TF_RECOVERY | TF_SACKRECOV);
	tp->t_dupacks = 0;
	tp->t_bytes_acked = 0;
}

/* RFC 5681 4.1: idle longer than an RTO restarts from the IW. */
void
tcp_cc_idle(struct tcpcb *tp)
{
	tp->snd_cwnd = MIN(tp->snd_cwnd, tcp_cc_iw(tp));
}
