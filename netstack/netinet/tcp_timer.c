/*
 * tcp_timer.c -- the per-connection timers: retransmission with
 * exponential backoff (RFC 6298), zero-window probes (RFC 9293
 * 3.8.6.1), keepalive (RFC 1122 4.2.3.6), TIME_WAIT (2*MSL) and the
 * delayed ACK (RFC 1122 4.2.3.2, RFC 5681 4.2).
 *
 * Each timer is one callout whose argument is the tcpcb; a timer that
 * closes the connection returns at once (the tcpcb is gone).
 *
 * Tunables (tcp_subr.c): the RTO starts at net.inet.tcp.rtoinit (1 s,
 * RFC 6298 2.1) and is kept within [rtomin, rtomax].  rtomin defaults
 * to 200 ms, not the 1 s RFC 6298 2.4 recommends (a SHOULD): on a bus
 * whose RTT is tens of microseconds a 1 s floor turns every tail loss
 * into a second of silence.  MSL is net.inet.tcp.msl in milliseconds
 * (30 s by default); TIME_WAIT lasts 2 * MSL.
 */
#include "netstack/netinet/tcp_var.h"
#include "netstack/kern/socketvar.h"

static void tcp_timer_rexmt(void *);
static void tcp_timer_persist(void *);
static void tcp_timer_keep(void *);
static void tcp_timer_2msl(void *);
static void tcp_timer_delack(void *);

static void (*const tcp_timer_funcs[TCPT_NTIMERS])(void *) = {
	[TCPT_REXMT] = tcp_timer_rexmt,
	[TCPT_PERSIST] = tcp_timer_persist,
	[TCPT_KEEP] = tcp_timer_keep,
	[TCPT_2MSL] = tcp_timer_2msl,
	[TCPT_DELACK] = tcp_timer_delack,
};

void
tcp_timers_init(struct tcpcb *tp)
{
	for (int i = 0; i < TCPT_NTIMERS; i++)
		callout_init(&tp->t_timer[i], tp->t_ns, tcp_timer_funcs[i], tp);
}

void
tcp_timers_stop(struct tcpcb *tp)
{
	for (int i = 0; i < TCPT_NTIMERS; i++)
		(void)callout_stop(&tp->t_timer[i]);
}

void
tcp_timer_arm(struct tcpcb *tp, enum tcp_timer t, uint64_t delay)
{
	callout_schedule(&tp->t_timer[t], delay);
}

void
tcp_timer_stop(struct tcpcb *tp, enum tcp_timer t)
{
	(void)callout_stop(&tp->t_timer[t]);
}

bool
tcp_timer_pending(const struct tcpcb *tp, enum tcp_timer t)
{
	return callout_pending(&tp->t_timer[t]);
}

uint64_t
tcp_msl(const struct tcpcb *tp)
{
	return NS_MS(tcp_state(tp->t_ns)->tcs_msl_ms);
}

uint64_t
tcp_finwait2_timeout(const struct tcpcb *tp)
{
	return NS_MS(tcp_state(tp->t_ns)->tcs_finwait2_ms);
}

static uint64_t
tcp_clamp_rto(const struct tcpcb *tp, uint64_t rto)
{
	const struct tcp_state *tcs = tcp_state(tp->t_ns);

	rto = MAX(rto, NS_MS(tcs->tcs_rtomin_ms));
	return MIN(rto, NS_MS(tcs->tcs_rtomax_ms));
}

uint64_t
tcp_rexmt_delay(const struct tcpcb *tp)
{
	unsigned shift = MIN(tp->t_rxtshift, 30u);

	return tcp_clamp_rto(tp, tp->t_rto << shift);
}

/* RFC 6298 section 2: a new round-trip sample (ns). */
void
tcp_rtt_update(struct tcpcb *tp, uint64_t rtt)
{
	uint64_t g = NS_MS(1);		/* clock granularity */

	if (!(tp->t_flags & TF_RTTVALID)) {
		tp->t_srtt = rtt;
		tp->t_rttvar = rtt / 2;
		tp->t_flags |= TF_RTTVALID;
	} else {
		uint64_t delta = tp->t_srtt > rtt ? tp->t_srtt - rtt :
		    rtt - tp->t_srtt;

		tp->t_rttvar = (3 * tp->t_rttvar + delta) / 4;
		tp->t_srtt = (7 * tp->t_srtt + rtt) / 8;
	}
	tp->t_rto = tcp_clamp_rto(tp, tp->t_srtt + MAX(g, 4 * tp->t_rttvar));
	tp->t_rxtshift = 0;
}

/*
 * RFC 6298 5.4-5.6: retransmit the earliest unacknowledged segment,
 * back off, and restart from one segment (RFC 5681 3.1, loss window).
 */
static void
tcp_timer_rexmt(void *arg)
{
	struct tcpcb *tp = arg;
	struct netstack *ns = tp->t_ns;
	struct tcp_state *tcs = tcp_state(ns);
	unsigned limit;

	limit = TCPS_HAVEESTABLISHED(tp->t_state) ?
	    (unsigned)tcs->tcs_retries : (unsigned)tcs->tcs_synretries;
	if (++tp->t_rxtshift > limit) {
		tcp_statinc(ns, TCP_STAT_TIMEOUTDROP);
		(void)tcp_drop(tp, ETIMEDOUT);
		return;
	}
	tcp_statinc(ns, TCP_STAT_REXMTTIMEO);
	if (tp->t_state == TCPS_SYN_SENT ||
	    tp->t_state == TCPS_SYN_RECEIVED) {
		/* RFC 7323 / RFC 2018: a peer that drops our options. */
		if (tp->t_rxtshift == 3)
			tp->t_flags &= ~(TF_REQ_SCALE | TF_REQ_TSTMP |
			    TF_REQ_SACK);
	}
	tcp_cc_rto(tp);
	tcp_sack_clear(tp);
	tp->snd_nxt = tp->snd_una;
	tp->snd_recover = tp->snd_max;
	tp->t_rtttime = 0;		/* Karn: no sample from a resend */
	/* A resent FIN is sent again by tcp_output. */
	tp->t_flags &= ~TF_SENTFIN;
	(void)tcp_output(tp);
	if (!tcp_timer_pending(tp, TCPT_REXMT) &&
	    tp->snd_una != tp->snd_max)
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_delay(tp));
}

void
tcp_setpersist(struct tcpcb *tp)
{
	uint64_t base = (tp->t_flags & TF_RTTVALID) ?
	    tp->t_srtt + 4 * tp->t_rttvar : tp->t_rto;
	unsigned shift = MIN(tp->t_persistshift, 12u);
	uint64_t d;

	/* Back off from at least rtomin, up to 60 s. */
	base = MAX(base, NS_MS(tcp_state(tp->t_ns)->tcs_rtomin_ms));
	d = MIN(base << shift, NS_SEC(60));
	tp->t_flags |= TF_PERSISTING;
	tcp_timer_arm(tp, TCPT_PERSIST, d);
}

/* The peer's window is zero: probe it with one byte (RFC 9293 3.8.6.1). */
static void
tcp_timer_persist(void *arg)
{
	struct tcpcb *tp = arg;

	tcp_statinc(tp->t_ns, TCP_STAT_PERSISTTIMEO);
	tp->t_persistshift++;
	/* The probe is the first unacknowledged byte. */
	tp->snd_nxt = tp->snd_una;
	tp->t_flags |= TF_FORCEDATA;
	(void)tcp_output(tp);
	tp->t_flags &= ~TF_FORCEDATA;
	if (tcp_socket(tp) == NULL || tcp_timer_pending(tp, TCPT_PERSIST))
		return;
	if (tp->snd_wnd == 0)
		tcp_setpersist(tp);
	else if (tp->snd_max != tp->snd_una &&
	    !tcp_timer_pending(tp, TCPT_REXMT)) {
		/* A small window took the probe as ordinary data: from
		 * here on it is retransmitted like any other. */
		tp->t_flags &= ~TF_PERSISTING;
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_delay(tp));
	}
}

static uint32_t
tcp_keepval(uint32_t own, int32_t dflt)
{
	return own != 0 ? own : (uint32_t)dflt;
}

/*
 * (Re)start the keepalive clock once a connection is established.  It
 * runs whether or not SO_KEEPALIVE is set (the option may be turned on
 * at any time); the timer checks the option when it fires.
 */
void
tcp_keep_arm(struct tcpcb *tp)
{
	struct tcp_state *tcs = tcp_state(tp->t_ns);

	tp->t_keepsent = 0;
	if (!TCPS_HAVEESTABLISHED(tp->t_state) ||
	    tp->t_state == TCPS_TIME_WAIT) {
		tcp_timer_stop(tp, TCPT_KEEP);
		return;
	}
	tcp_timer_arm(tp, TCPT_KEEP,
	    NS_SEC(tcp_keepval(tp->t_keepidle, tcs->tcs_keepidle)));
}

/*
 * RFC 1122 4.2.3.6: after keepidle seconds without a segment from the
 * peer, send probes (an ACK for snd_una - 1, which the peer must
 * answer) every keepintvl seconds; keepcnt unanswered ones drop the
 * connection.
 */
static void
tcp_timer_keep(void *arg)
{
	struct tcpcb *tp = arg;
	struct netstack *ns = tp->t_ns;
	struct tcp_state *tcs = tcp_state(ns);
	struct socket *so = tcp_socket(tp);
	uint64_t idle = NS_SEC(tcp_keepval(tp->t_keepidle, tcs->tcs_keepidle));
	uint64_t intvl = NS_SEC(tcp_keepval(tp->t_keepintvl,
	    tcs->tcs_keepintvl));
	uint64_t quiet = netstack_now(ns) - tp->t_lastrecv;

	if (!TCPS_HAVEESTABLISHED(tp->t_state) ||
	    tp->t_state == TCPS_TIME_WAIT)
		return;
	if (so == NULL || !(so->so_options & SO_OPT_KEEPALIVE)) {
		tp->t_keepsent = 0;
		tcp_timer_arm(tp, TCPT_KEEP, idle);
		return;
	}
	if (tp->t_keepsent == 0 && quiet < idle) {
		tcp_timer_arm(tp, TCPT_KEEP, idle - quiet);
		return;
	}
	tcp_statinc(ns, TCP_STAT_KEEPTIMEO);
	if (tp->t_keepsent >= tcp_keepval(tp->t_keepcnt, tcs->tcs_keepcnt)) {
		tcp_statinc(ns, TCP_STAT_KEEPDROPS);
		(void)tcp_drop(tp, ETIMEDOUT);
		return;
	}
	tcp_statinc(ns, TCP_STAT_KEEPPROBE);
	tp->t_keepsent++;
	(void)tcp_send_segment(tp, tp->snd_una - 1, 0, TH_ACK, false);
	tcp_timer_arm(tp, TCPT_KEEP, intvl);
}

/* TIME_WAIT is over, or an orphaned FIN_WAIT_2 waited long enough. */
static void
tcp_timer_2msl(void *arg)
{
	struct tcpcb *tp = arg;

	(void)tcp_close(tp);
}

static void
tcp_timer_delack(void *arg)
{
	struct tcpcb *tp = arg;

	if (!(tp->t_flags & TF_DELACK))
		return;
	tcp_statinc(tp->t_ns, TCP_STAT_DELACK);
	tp->t_flags |= TF_ACKNOW;
	(void)tcp_output(tp);
}
