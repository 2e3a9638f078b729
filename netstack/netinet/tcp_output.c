/*
 * tcp_output.c -- deciding what to send and building segments.
 *
 * tcp_output() is called whenever something may have become sendable:
 * the application queued data or closed, an ACK opened the window or
 * the congestion window, a timer fired, or an ACK is owed.  It sends
 * as much as the peer's window, the congestion window (tcp_cc.c), the
 * sender's silly window avoidance and Nagle's algorithm (RFC 9293
 * 3.8.6.2.1, RFC 1122 4.2.3.4) allow; during SACK recovery the pipe
 * estimate of RFC 6675 decides instead.  Then it sends an ACK or window
 * update if one is still owed (RFC 9293 3.8.6.2.2 for the receiver's
 * side of silly window avoidance).
 *
 * Segments larger than the MSS (TSO super-packets, mbuf.h) are built
 * only when the route's interface enables IFCAP_TSOv4 (IFCAP_TSOv6 for
 * IPv6), whatever its checksum offloads, as NetBSD does; they carry a whole
 * number of MSS-sized segments and never a FIN.
 */
#include "netstack/netinet/tcp_var.h"
#include "netstack/kern/socketvar.h"

static uint32_t
tcp_sndcc(const struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);

	return so != NULL ? so->so_snd.sb_cc : 0;
}

uint32_t
tcp_rcv_window(const struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);
	uint32_t win = so != NULL ? sbspace(&so->so_rcv) : 0;
	uint32_t max = TCP_MAXWIN << tp->rcv_scale;

	/* Out-of-order data is held outside so_rcv but takes its room. */
	win = win > tp->t_segqlen ? win - tp->t_segqlen : 0;
	win = MIN(win, max);
	/* Never shrink what was already offered (RFC 9293 3.8.6). */
	if (SEQ_GT(tp->rcv_adv, tp->rcv_nxt) &&
	    win < (uint32_t)(tp->rcv_adv - tp->rcv_nxt))
		win = tp->rcv_adv - tp->rcv_nxt;
	return win;
}

/* Write the options of a segment; => their length (a multiple of 4). */
static unsigned
tcp_build_options(struct tcpcb *tp, uint8_t *opt, uint8_t flags,
    uint32_t len)
{
	unsigned n = 0;
	bool syn = (flags & TH_SYN) != 0, synack = syn && (flags & TH_ACK);
	bool ts, sackok, ws;

	if (syn) {
		ts = synack ? (tp->t_flags & TF_RCVD_TSTMP) != 0 :
		    (tp->t_flags & TF_REQ_TSTMP) != 0;
		sackok = synack ? (tp->t_flags & TF_SACK_PERMIT) != 0 :
		    (tp->t_flags & TF_REQ_SACK) != 0;
		ws = synack ? (tp->t_flags & TF_RCVD_SCALE) != 0 :
		    (tp->t_flags & TF_REQ_SCALE) != 0;
		opt[n++] = TCPOPT_MAXSEG;
		opt[n++] = TCPOLEN_MAXSEG;
		be16enc(opt + n, (uint16_t)tcp_mss_to_advertise(tp));
		n += 2;
		if (ws) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_WINDOW;
			opt[n++] = TCPOLEN_WINDOW;
			opt[n++] = tp->request_r_scale;
		}
		if (sackok && !ts) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_NOP;
		}
		if (sackok) {
			opt[n++] = TCPOPT_SACK_PERMITTED;
			opt[n++] = TCPOLEN_SACK_PERMITTED;
		} else if (ts) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_NOP;
		}
	} else {
		ts = (tp->t_flags & TF_RCVD_TSTMP) != 0;
		if (ts) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_NOP;
		}
	}
	if (ts && !(flags & TH_RST)) {
		opt[n++] = TCPOPT_TIMESTAMP;
		opt[n++] = TCPOLEN_TIMESTAMP;
		be32enc(opt + n, tcp_ts_now(tp));
		be32enc(opt + n + 4, tp->ts_recent);
		n += 8;
	} else if (ts) {
		/* A RST carries no timestamp: undo the two NOPs. */
		n -= 2;
	}
	/* SACK blocks (RFC 2018 4) on segments that fit them. */
	if (!syn && !(flags & TH_RST) && (tp->t_flags & TF_SACK_PERMIT) &&
	    tp->t_nsackrep > 0) {
		unsigned room = TCP_MAXOLEN - n - 4, nblk;
		uint32_t budget = tp->t_maxseg + (ts ? 12 : 0);

		if (len > 0)
			room = budget > len + n + 4 ?
			    MIN(room, budget - len - n - 4) : 0;
		nblk = MIN(room / TCPOLEN_SACKBLK, tp->t_nsackrep);
		if (nblk > 0) {
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_NOP;
			opt[n++] = TCPOPT_SACK;
			opt[n++] = (uint8_t)(2 + nblk * TCPOLEN_SACKBLK);
			for (unsigned i = 0; i < nblk; i++) {
				be32enc(opt + n, tp->t_sackrep[i].start);
				be32enc(opt + n + 4, tp->t_sackrep[i].end);
				n += 8;
			}
			tcp_statadd(tp->t_ns, TCP_STAT_SACKSNDBLK, nblk);
		}
	}
	KASSERT((n & 3) == 0 && n <= TCP_MAXOLEN);
	return n;
}

int
tcp_send_segment(struct tcpcb *tp, tcp_seq seq, uint32_t len, uint8_t flags,
    bool rexmit)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);
	uint8_t opt[TCP_MAXOLEN];
	unsigned optlen, hlen;
	uint32_t win, adv;
	struct tcphdr *th;
	struct mbuf *m;
	bool tso = false;

	if (!(flags & TH_RST) && TCPS_HAVERCVDSYN(tp->t_state))
		flags |= TH_ACK;
	optlen = tcp_build_options(tp, opt, flags, len);
	hlen = TCP_MINHLEN + optlen;
	if ((m = m_get(hlen + len, MHEADROOM + 64)) == NULL) {
		tcp_statinc(ns, TCP_STAT_RCVMEMDROP);
		return ENOBUFS;
	}
	m->m_len = m->m_pkthdr.len = hlen + len;
	th = mtod(m, struct tcphdr *);
	memset(th, 0, TCP_MINHLEN);
	th->th_sport = tp->t_inpcb->inp_lport;
	th->th_dport = tp->t_inpcb->inp_fport;
	th->th_seq = htonl(seq);
	th->th_offx2 = TH_OFFX2(hlen / 4);
	memcpy(th + 1, opt, optlen);
	if (len > 0) {
		KASSERT(so != NULL);
		sbcopy_stream(&so->so_snd, seq - tp->snd_una, len,
		    m->m_data + hlen);
		if (seq + len == tp->snd_una + so->so_snd.sb_cc)
			flags |= TH_PUSH;
		tso = len > tp->t_maxseg;
	}
	th->th_flags = flags;

	/* The window: never scaled on a SYN (RFC 7323 2.2). */
	win = tcp_rcv_window(tp);
	if (flags & TH_SYN)
		adv = MIN(win, TCP_MAXWIN);
	else
		adv = MIN(win >> tp->rcv_scale, TCP_MAXWIN);
	if (flags & TH_RST)
		adv = 0;
	th->th_win = htons((uint16_t)adv);
	if (flags & TH_ACK) {
		th->th_ack = htonl(tp->rcv_nxt);
		if (!(flags & TH_SYN)) {
			tcp_seq edge = tp->rcv_nxt + (adv << tp->rcv_scale);

			if (SEQ_GT(edge, tp->rcv_adv))
				tp->rcv_adv = edge;
		} else {
			tp->rcv_adv = tp->rcv_nxt + adv;
		}
		tp->t_flags &= ~(TF_ACKNOW | TF_DELACK);
		tcp_timer_stop(tp, TCPT_DELACK);
		tp->t_rcvsegs = 0;
	}

	if (len > 0) {
		if (rexmit) {
			tcp_statinc(ns, TCP_STAT_SNDREXMITPACK);
			tcp_statadd(ns, TCP_STAT_SNDREXMITBYTE, len);
		} else {
			tcp_statinc(ns, TCP_STAT_SNDPACK);
			tcp_statadd(ns, TCP_STAT_SNDBYTE, len);
		}
		if (tso)
			tcp_statinc(ns, TCP_STAT_TSO);
	} else if (flags & (TH_SYN | TH_FIN | TH_RST)) {
		tcp_statinc(ns, TCP_STAT_SNDCTRL);
		if (flags & TH_RST)
			tcp_statinc(ns, TCP_STAT_SNDRST);
	} else {
		tcp_statinc(ns, TCP_STAT_SNDACKS);
	}
	return tcp_af_output(tp, m, hlen + len, tso);
}

void
tcp_send_ack(struct tcpcb *tp)
{
	(void)tcp_send_segment(tp, tp->snd_max, 0, TH_ACK, false);
}

/* The largest payload of one segment or TSO super-packet. */
static uint32_t
tcp_maxburst(const struct tcpcb *tp)
{
	uint32_t mss = tp->t_maxseg, hdr;

	if (!(tp->t_flags & TF_TSO_OK))
		return mss;
	hdr = tcp_af_hdrlen(tp) + TCP_MINHLEN + 12;
	return MAX(mss, (65535 - hdr) / mss * mss);
}

/* Is our FIN due at snd_nxt + len? */
static bool
tcp_fin_due(const struct tcpcb *tp, uint32_t len)
{
	if (!(tp->t_flags & TF_NEEDFIN))
		return false;
	if (tp->snd_nxt + len != tp->snd_una + tcp_sndcc(tp))
		return false;
	return tp->t_state == TCPS_FIN_WAIT_1 || tp->t_state == TCPS_CLOSING ||
	    tp->t_state == TCPS_LAST_ACK;
}

/* Start timing [seq, ...) unless timestamps measure every ACK. */
static void
tcp_rtt_start(struct tcpcb *tp, tcp_seq seq)
{
	if (tp->t_rtttime == 0 && !(tp->t_flags & TF_RCVD_TSTMP)) {
		tp->t_rtttime = netstack_now(tp->t_ns);
		tp->t_rtseq = seq;
	}
}

static void
tcp_sent(struct tcpcb *tp, uint32_t seqlen)
{
	tp->snd_nxt += seqlen;
	if (SEQ_GT(tp->snd_nxt, tp->snd_max))
		tp->snd_max = tp->snd_nxt;
	if (!tcp_timer_pending(tp, TCPT_REXMT) &&
	    !(tp->t_flags & TF_FORCEDATA)) {
		tcp_timer_stop(tp, TCPT_PERSIST);
		tp->t_flags &= ~TF_PERSISTING;
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_delay(tp));
	}
}

/* The handshake: send (or resend) our SYN or SYN-ACK. */
static int
tcp_output_syn(struct tcpcb *tp)
{
	int error;

	if (tp->snd_nxt != tp->iss) {
		/* SYN outstanding: an ACK owed in SYN_RECEIVED is a
		 * repeated SYN-ACK; nothing else can be sent. */
		if (tp->t_state == TCPS_SYN_RECEIVED &&
		    (tp->t_flags & TF_ACKNOW))
			(void)tcp_send_segment(tp, tp->iss, 0, TH_SYN, true);
		tp->t_flags &= ~TF_ACKNOW;
		return 0;
	}
	error = tcp_send_segment(tp, tp->iss, 0, TH_SYN,
	    tp->snd_max != tp->iss);
	tcp_rtt_start(tp, tp->iss);
	tcp_sent(tp, 1);
	return error;
}

/* RFC 6675 5 (C): send while cwnd - pipe >= 1 SMSS. */
static void
tcp_output_sackrecov(struct tcpcb *tp)
{
	uint32_t mss = tp->t_maxseg;

	for (;;) {
		uint32_t pipe = tcp_sack_pipe(tp), len, avail;
		tcp_seq seq;

		if (pipe + mss > tp->snd_cwnd)
			break;
		if (tcp_sack_nextseg(tp, &seq, &len)) {
			len = MIN(len, mss);
			if (tcp_send_segment(tp, seq, len, TH_ACK, true) != 0)
				break;
			tp->snd_hirxt = seq + len;
			continue;
		}
		/* Rule 2: new data, if the peer's window allows. */
		tp->snd_nxt = tp->snd_max;
		avail = tcp_sndcc(tp) - (tp->snd_max - tp->snd_una);
		if ((int32_t)avail <= 0 ||
		    tp->snd_max - tp->snd_una >= tp->snd_wnd)
			break;
		len = MIN(MIN(avail, mss),
		    tp->snd_wnd - (tp->snd_max - tp->snd_una));
		if (tcp_send_segment(tp, tp->snd_max, len, TH_ACK, false) != 0)
			break;
		tcp_sent(tp, len);
	}
}

int
tcp_output(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);
	uint32_t mss = tp->t_maxseg, sndcc = tcp_sndcc(tp);
	bool sent = false;
	int error = 0;

	switch (tp->t_state) {
	case TCPS_CLOSED:
	case TCPS_LISTEN:
		return 0;
	case TCPS_SYN_SENT:
	case TCPS_SYN_RECEIVED:
		return tcp_output_syn(tp);
	default:
		break;
	}

	if (tp->t_flags & TF_SACKRECOV) {
		tcp_output_sackrecov(tp);
		goto ackcheck;
	}

	for (;;) {
		uint32_t off = tp->snd_nxt - tp->snd_una;
		uint32_t avail = sndcc > off ? sndcc - off : 0;
		uint32_t win = MIN(tp->snd_wnd, tp->snd_cwnd), usable, len;
		uint32_t burst = tcp_maxburst(tp);
		bool fin, sendit;

		if ((tp->t_flags & TF_FORCEDATA) && tp->snd_wnd == 0)
			win = off + 1;
		usable = win > off ? win - off : 0;
		len = MIN(avail, usable);
		if (len > burst)
			len = burst;
		if (len > mss && (tp->t_flags & TF_TSO_OK))
			len = len / mss * mss;
		fin = tcp_fin_due(tp, len) && len <= mss &&
		    (!(tp->t_flags & TF_SENTFIN) ||
		    SEQ_LT(tp->snd_nxt, tp->snd_max));

		sendit = fin;
		if (len > 0) {
			if (len >= mss || SEQ_LT(tp->snd_nxt, tp->snd_max) ||
			    (tp->t_flags & TF_FORCEDATA))
				sendit = true;
			else if (len == avail &&
			    ((tp->t_flags & (TF_NODELAY | TF_NEEDFIN)) ||
			    tp->snd_nxt == tp->snd_una))
				sendit = true;	/* Nagle: none in flight */
			else if (tp->max_sndwnd > 0 &&
			    len >= tp->max_sndwnd / 2)
				sendit = true;
		}
		if (!sendit)
			break;
		if ((tp->t_flags & TF_FORCEDATA) && tp->snd_wnd == 0)
			tcp_statinc(tp->t_ns, TCP_STAT_SNDPROBE);
		else
			tcp_rtt_start(tp, tp->snd_nxt);
		error = tcp_send_segment(tp, tp->snd_nxt, len,
		    fin ? TH_FIN : 0, SEQ_LT(tp->snd_nxt, tp->snd_max));
		if (error != 0 && error != ENOBUFS)
			break;
		if (fin)
			tp->t_flags |= TF_SENTFIN;
		tcp_sent(tp, len + (fin ? 1 : 0));
		sent = true;
		if (error != 0 || (tp->t_flags & TF_FORCEDATA))
			break;
	}

	/*
	 * Data waits for a window that is zero, or, with nothing in flight,
	 * for one too small to be worth a segment (sender SWS avoidance):
	 * probe it.  The window update that would reopen it may have been
	 * lost, and nothing else would ever ask again (RFC 9293 3.8.6.1,
	 * and the override timeout of 3.8.6.2.1).
	 */
	if (so != NULL && (tp->snd_wnd == 0 ||
	    (!sent && tp->snd_max == tp->snd_una)) &&
	    sndcc > tp->snd_nxt - tp->snd_una &&
	    !tcp_timer_pending(tp, TCPT_REXMT) &&
	    !tcp_timer_pending(tp, TCPT_PERSIST)) {
		if (!(tp->t_flags & TF_PERSISTING))
			tp->t_persistshift = 0;
		tcp_setpersist(tp);
	}

ackcheck:
	if (tp->t_flags & TF_ACKNOW) {
		tcp_send_ack(tp);
	} else if (!sent && so != NULL && TCPS_HAVEESTABLISHED(tp->t_state) &&
	    !TCPS_HAVERCVDFIN(tp->t_state)) {
		/* Receiver SWS avoidance: update by 2 MSS or half the
		 * buffer (RFC 9293 3.8.6.2.2). */
		uint32_t win = tcp_rcv_window(tp);
		uint32_t offered = SEQ_GT(tp->rcv_adv, tp->rcv_nxt) ?
		    tp->rcv_adv - tp->rcv_nxt : 0;
		uint32_t grow = win > offered ? win - offered : 0;

		if ((grow >> tp->rcv_scale) > 0 &&
		    (grow >= 2 * mss || grow >= so->so_rcv.sb_hiwat / 2)) {
			tcp_statinc(tp->t_ns, TCP_STAT_SNDWINUP);
			tcp_send_ack(tp);
		}
	}
	return error;
}
