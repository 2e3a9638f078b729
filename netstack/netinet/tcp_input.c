/*
 * tcp_input.c -- segment arrival, following RFC 9293 section 3.10.7.
 *
 *   tcp_input			IPv4 entry: parse, dispatch, free the
 *				segment (IPv6: tcp_inet6.c tcp6_input)
 *     tcp_seg_parse		IPv4: length, checksum, addresses
 *     tcp_seg_parse_th		offset, flags, options -> tcp_seg
 *   tcp_input_seg		the dispatcher: find the connection,
 *				pick the state's handler
 *     tcp_input_listen		3.10.7.2  LISTEN
 *     tcp_input_synsent	3.10.7.3  SYN-SENT
 *     tcp_input_sync		3.10.7.4  every other state, in steps:
 *       tcp_paws		RFC 7323 5: old duplicates by timestamp
 *       tcp_seq_check		first: sequence number acceptability
 *       tcp_rst_check		second: RST, RFC 5961 3 (challenge ACK)
 *       tcp_syn_check		fourth: SYN, RFC 5961 4 (challenge ACK)
 *       tcp_ack_check		fifth: the ACK field, RFC 5961 5
 *         tcp_ack_dup		duplicate ACKs, fast retransmit (RFC 5681,
 *				RFC 6582, RFC 6675)
 *         tcp_ack_new		new data acknowledged, window update
 *       tcp_urg		sixth: URG (the pointer is ignored)
 *       tcp_data		seventh: segment text, reassembly, SACK
 *       tcp_fin		eighth: FIN
 *
 * Segments are parsed once; the handlers work on struct tcp_seg and
 * copy payload into socket buffers, so the mbuf is freed by the
 * dispatcher alone.  Every segment that is not processed is counted.
 */
#include "netstack/netinet/tcp_var.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"

/* What a step decided. */
enum tcp_verdict {
	TCP_CONTINUE,		/* go on with the next step */
	TCP_DROP,		/* stop; the segment is done with */
	TCP_GONE,		/* stop; the connection was closed */
};

/* ------------------------------------------------------------ parsing */

static void
tcp_parse_options(struct tcp_seg *sg, const uint8_t *cp, unsigned cnt)
{
	while (cnt > 0) {
		unsigned opt = cp[0], optlen;

		if (opt == TCPOPT_EOL)
			break;
		if (opt == TCPOPT_NOP) {
			cp++;
			cnt--;
			continue;
		}
		if (cnt < 2 || (optlen = cp[1]) < 2 || optlen > cnt)
			break;		/* malformed: ignore the rest */
		switch (opt) {
		case TCPOPT_MAXSEG:
			if (optlen == TCPOLEN_MAXSEG && (sg->flags & TH_SYN)) {
				sg->has_mss = true;
				sg->mss = be16dec(cp + 2);
			}
			break;
		case TCPOPT_WINDOW:
			if (optlen == TCPOLEN_WINDOW && (sg->flags & TH_SYN)) {
				sg->has_ws = true;
				sg->ws = MIN(cp[2], TCP_MAXWINSHIFT);
			}
			break;
		case TCPOPT_SACK_PERMITTED:
			if (optlen == TCPOLEN_SACK_PERMITTED &&
			    (sg->flags & TH_SYN))
				sg->sack_ok = true;
			break;
		case TCPOPT_SACK:
			if ((optlen - 2) % TCPOLEN_SACKBLK != 0)
				break;
			for (unsigned i = 2; i < optlen &&
			    sg->nsack < nitems(sg->sack);
			    i += TCPOLEN_SACKBLK) {
				sg->sack[sg->nsack].start = be32dec(cp + i);
				sg->sack[sg->nsack].end = be32dec(cp + i + 4);
				sg->nsack++;
			}
			break;
		case TCPOPT_TIMESTAMP:
			if (optlen == TCPOLEN_TIMESTAMP) {
				sg->has_ts = true;
				sg->tsval = be32dec(cp + 2);
				sg->tsecr = be32dec(cp + 6);
			}
			break;
		default:
			break;
		}
		cp += optlen;
		cnt -= optlen;
	}
}

/* Is the checksum of the segment right (or verified by the driver)? */
static bool
tcp_cksum_ok(const struct mbuf *m, uint32_t src, uint32_t dst,
    const uint8_t *th, uint32_t tlen)
{
	const struct ifnet *ifp = m->m_pkthdr.rcvif;
	uint32_t sum;

	if (ifp != NULL && (ifp->if_csum_flags_rx & M_CSUM_TCPv4) &&
	    (m->m_pkthdr.csum_flags & M_CSUM_TCPv4))
		return !(m->m_pkthdr.csum_flags & M_CSUM_TCP_UDP_BAD);
	sum = in_pseudo_sum(src, dst, KIPPROTO_TCP, (uint16_t)tlen);
	sum = in_cksum_add(sum, th, tlen);
	return in_cksum_fold(sum) == 0xffff;
}

/*
 * Check a segment (m starts at its IPv4 header of hlen bytes) and fill
 * sg.  => false if it is to be dropped (counted).
 */
static bool
tcp_seg_parse(struct netstack *ns, const struct mbuf *m, unsigned hlen,
    struct tcp_seg *sg)
{
	const uint8_t *ipb = m->m_data, *th;
	uint32_t tlen, off;
	struct tcphdr h;

	memset(sg, 0, sizeof(*sg));
	sg->af = AF_INET;
	memcpy(&sg->src, ipb + 12, 4);
	memcpy(&sg->dst, ipb + 16, 4);
	sg->rcvif = m->m_pkthdr.rcvif;
	if (m->m_len < hlen + TCP_MINHLEN) {
		tcp_statinc(ns, TCP_STAT_RCVSHORT);
		return false;
	}
	th = ipb + hlen;
	tlen = m->m_len - hlen;
	memcpy(&h, th, sizeof(h));
	off = TH_OFF(&h) * 4;
	if (off < TCP_MINHLEN || off > tlen) {
		tcp_statinc(ns, TCP_STAT_RCVBADOFF);
		return false;
	}
	if (!tcp_cksum_ok(m, sg->src, sg->dst, th, tlen)) {
		tcp_statinc(ns, TCP_STAT_RCVBADSUM);
		return false;
	}
	/* RFC 1122 4.2.3.10: never to a broadcast or multicast address. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    in_multicast(sg->dst) || sg->dst == KINADDR_BROADCAST ||
	    in_multicast(sg->src) || sg->src == KINADDR_BROADCAST ||
	    (sg->rcvif != NULL && in_broadcast(sg->dst, sg->rcvif))) {
		tcp_statinc(ns, TCP_STAT_RCVBADADDR);
		return false;
	}
	return tcp_seg_parse_th(ns, th, tlen, sg);
}

bool
tcp_seg_parse_th(struct netstack *ns, const uint8_t *th, uint32_t tlen,
    struct tcp_seg *sg)
{
	uint32_t off;
	struct tcphdr h;

	if (tlen < TCP_MINHLEN) {
		tcp_statinc(ns, TCP_STAT_RCVSHORT);
		return false;
	}
	memcpy(&h, th, sizeof(h));
	off = TH_OFF(&h) * 4;
	if (off < TCP_MINHLEN || off > tlen) {
		tcp_statinc(ns, TCP_STAT_RCVBADOFF);
		return false;
	}
	sg->sport = h.th_sport;
	sg->dport = h.th_dport;
	sg->seq = ntohl(h.th_seq);
	sg->ack = ntohl(h.th_ack);
	sg->flags = h.th_flags;
	sg->win = ntohs(h.th_win);
	sg->urp = ntohs(h.th_urp);
	sg->data = th + off;
	sg->len = tlen - off;
	if ((sg->flags & TH_SYN) && (sg->flags & (TH_RST | TH_FIN))) {
		tcp_statinc(ns, TCP_STAT_RCVBADFLAGS);
		return false;
	}
	if (sg->dport == 0 || sg->sport == 0) {
		tcp_statinc(ns, TCP_STAT_RCVBADADDR);
		return false;
	}
	tcp_parse_options(sg, th + TCP_MINHLEN, off - TCP_MINHLEN);
	return true;
}

/* --------------------------------------------------------- helpers */

/* RFC 5961: a challenge ACK, unless over the rate limit. */
static void
tcp_challenge_ack(struct tcpcb *tp)
{
	if (tcp_challenge_ratelimited(tp->t_ns))
		return;
	tcp_statinc(tp->t_ns, TCP_STAT_CHALLENGEACK);
	tcp_send_ack(tp);
}

/* The window shift we offer: enough for the receive buffer. */
static uint8_t
tcp_pick_rscale(const struct socket *so)
{
	uint8_t s = 0;

	while (s < TCP_MAXWINSHIFT &&
	    (TCP_MAXWIN << s) < so->so_rcv.sb_hiwat)
		s++;
	return s;
}

/* Options of a SYN (RFC 9293 3.7.1, RFC 7323, RFC 2018). */
static void
tcp_syn_options(struct tcpcb *tp, const struct tcp_seg *sg)
{
	if (sg->has_mss) {
		tp->t_flags |= TF_RCVD_MSS;
		tp->t_peermss = MAX(sg->mss, 64);
	}
	if (sg->has_ws && (tp->t_flags & TF_REQ_SCALE)) {
		tp->t_flags |= TF_RCVD_SCALE;
		tp->snd_scale = sg->ws;
		tp->rcv_scale = tp->request_r_scale;
	} else {
		tp->snd_scale = tp->rcv_scale = 0;
	}
	if (sg->has_ts && (tp->t_flags & TF_REQ_TSTMP)) {
		tp->t_flags |= TF_RCVD_TSTMP;
		tp->ts_recent = sg->tsval;
		tp->ts_recent_age = netstack_now(tp->t_ns);
	}
	if (sg->sack_ok && (tp->t_flags & TF_REQ_SACK))
		tp->t_flags |= TF_SACK_PERMIT;
	tcp_mss_update(tp);
	tcp_cc_init(tp);
}

/* Choose the ISS, the timestamp offset and the offered window shift. */
static void
tcp_sendseqinit(struct tcpcb *tp)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);

	tp->iss = tcp_new_iss(ns, tp->t_inpcb);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->snd_recover = tp->snd_hirxt = tp->iss;
	tp->ts_offset = cprng_u32();
	if (so != NULL)
		tp->request_r_scale = tcp_pick_rscale(so);
}

void
tcp_enter_timewait(struct tcpcb *tp)
{
	tcp_set_state(tp, TCPS_TIME_WAIT);
	tcp_statinc(tp->t_ns, TCP_STAT_TIMEWAIT);
	tcp_timer_stop(tp, TCPT_REXMT);
	tcp_timer_stop(tp, TCPT_PERSIST);
	tcp_timer_stop(tp, TCPT_KEEP);
	tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl(tp));
	if (tcp_socket(tp) != NULL)
		soisdisconnected(tcp_socket(tp));
	tcp_release_socket(tp);
}

/* ------------------------------------------------------------ LISTEN */

/*
 * A SYN found the listen queue full.  If half-open connections take
 * room in it, drop the oldest to make room for this one ("recycling the
 * oldest half-open TCB", RFC 4987 section 3.5): a flood of spoofed SYNs
 * then keeps displacing itself instead of locking out every real client
 * until the embryos time out.  => true if one was dropped.
 */
static bool
tcp_recycle_embryo(struct netstack *ns, struct socket *head)
{
	struct socket *old;
	struct inpcb *inp;

	if (head->so_q0len == 0 || (old = soq0_oldest(head)) == NULL)
		return false;
	if ((inp = old->so_pcb) == NULL || intotcpcb(inp) == NULL)
		return false;
	tcp_statinc(ns, TCP_STAT_SYNRECV_DROPPED);
	(void)tcp_close(intotcpcb(inp));
	return true;
}

static void
tcp_input_listen(struct netstack *ns, struct tcpcb *ltp,
    const struct tcp_seg *sg)
{
	struct socket *head = tcp_socket(ltp), *so;
	struct inpcb *inp, *linp = ltp->t_inpcb;
	struct tcpcb *tp;

	if (sg->flags & TH_RST) {
		tcp_statinc(ns, TCP_STAT_RCVLISTENDROP);
		return;
	}
	if (sg->flags & TH_ACK) {
		tcp_statinc(ns, TCP_STAT_RCVBADACK);
		tcp_reset_for(ns, sg);
		return;
	}
	if (!(sg->flags & TH_SYN)) {
		tcp_statinc(ns, TCP_STAT_RCVLISTENDROP);
		return;
	}
	if (head == NULL) {
		tcp_statinc(ns, TCP_STAT_SYNRECV_OVERFLOW);
		return;
	}
	if ((so = sonewconn(head)) == NULL && tcp_recycle_embryo(ns, head))
		so = sonewconn(head);
	if (so == NULL) {
		tcp_statinc(ns, TCP_STAT_SYNRECV_OVERFLOW);
		return;
	}
	if (sg->af == AF_INET6) {
		(void)in_pcballoc(linp->inp_table, so, AF_INET6, &inp);
		tcp6_pcb_from_seg(inp, sg);
		inp->inp_flags |= linp->inp_flags & INP_V6ONLY;
	} else {
		/* An IPv4 SYN on a dual-stack AF_INET6 listener makes an
		 * AF_INET6 PCB with v4-mapped addresses (tcp_isv6). */
		(void)in_pcballoc(linp->inp_table, so, linp->inp_af, &inp);
		if (linp->inp_af == AF_INET6) {
			static const uint8_t pfx[12] = { [10] = 0xff,
			    [11] = 0xff };

			memcpy(inp->inp_laddr6.s6_addr, pfx, 12);
			memcpy(inp->inp_laddr6.s6_addr + 12, &sg->dst, 4);
			memcpy(inp->inp_faddr6.s6_addr, pfx, 12);
			memcpy(inp->inp_faddr6.s6_addr + 12, &sg->src, 4);
		}
	}
	inp->inp_laddr = sg->dst;
	inp->inp_lport = sg->dport;
	inp->inp_faddr = sg->src;
	inp->inp_fport = sg->sport;
	inp->inp_tos = linp->inp_tos;
	inp->inp_ttl = linp->inp_ttl;
	in_pcbhash_insert(inp);
	tp = tcp_newtcpcb(inp);
	tp->t_flags = (tp->t_flags & ~(TF_REQ_SCALE | TF_REQ_TSTMP |
	    TF_REQ_SACK)) | (ltp->t_flags & (TF_NODELAY | TF_REQ_SCALE |
	    TF_REQ_TSTMP | TF_REQ_SACK));
	tp->t_usermss = ltp->t_usermss;
	tp->t_keepidle = ltp->t_keepidle;
	tp->t_keepintvl = ltp->t_keepintvl;
	tp->t_keepcnt = ltp->t_keepcnt;
	tcp_sendseqinit(tp);
	tp->irs = sg->seq;
	tp->rcv_nxt = tp->rcv_adv = sg->seq + 1;
	tcp_syn_options(tp, sg);
	tp->snd_wnd = sg->win;		/* never scaled in a SYN */
	tp->max_sndwnd = tp->snd_wnd;
	tp->snd_wl1 = sg->seq;
	tp->snd_wl2 = tp->iss;
	tp->t_lastrecv = netstack_now(ns);
	tcp_set_state(tp, TCPS_SYN_RECEIVED);
	soisconnecting(so);
	tcp_statinc(ns, TCP_STAT_ACCEPTS);
	/* Data on the SYN is not kept: the peer sends it again. */
	(void)tcp_output(tp);
}

/* --------------------------------------------------------- SYN-SENT */

static void
tcp_input_synsent(struct netstack *ns, struct tcpcb *tp,
    const struct tcp_seg *sg)
{
	struct socket *so = tcp_socket(tp);
	bool ackok = false;

	if (sg->flags & TH_ACK) {
		if (SEQ_LEQ(sg->ack, tp->iss) || SEQ_GT(sg->ack, tp->snd_max)) {
			tcp_statinc(ns, TCP_STAT_RCVBADACK);
			tcp_reset_for(ns, sg);
			return;
		}
		ackok = true;
	}
	if (sg->flags & TH_RST) {
		if (ackok) {
			tcp_statinc(ns, TCP_STAT_RCVRST);
			(void)tcp_drop(tp, ECONNREFUSED);
		} else {
			tcp_statinc(ns, TCP_STAT_RSTBAD);
		}
		return;
	}
	if (!(sg->flags & TH_SYN)) {
		tcp_statinc(ns, TCP_STAT_RCVNOTSYN);
		return;
	}
	tp->irs = sg->seq;
	tp->rcv_nxt = tp->rcv_adv = sg->seq + 1;
	tcp_syn_options(tp, sg);
	tp->snd_wnd = sg->win;
	tp->max_sndwnd = tp->snd_wnd;
	tp->snd_wl1 = sg->seq;
	tp->snd_wl2 = sg->ack;
	tp->t_lastrecv = netstack_now(ns);
	tp->t_flags |= TF_ACKNOW;
	if (ackok) {
		tp->snd_una = sg->ack;
		if (SEQ_LT(tp->snd_nxt, tp->snd_una))
			tp->snd_nxt = tp->snd_una;
		if (tp->t_rtttime != 0) {
			tcp_rtt_update(tp, netstack_now(ns) - tp->t_rtttime);
			tp->t_rtttime = 0;
		}
		tcp_timer_stop(tp, TCPT_REXMT);
		tp->t_rxtshift = 0;
		tcp_set_state(tp, TCPS_ESTABLISHED);
		tcp_statinc(ns, TCP_STAT_CONNECTS);
		if (so != NULL)
			soisconnected(so);
		tcp_keep_arm(tp);
		if (tp->t_flags & TF_NEEDFIN)
			tcp_set_state(tp, TCPS_FIN_WAIT_1);
	} else {
		/* Simultaneous open (RFC 9293 3.5, figure 8). */
		tcp_set_state(tp, TCPS_SYN_RECEIVED);
	}
	(void)tcp_output(tp);
}

/* ----------------------------------------------- synchronized states */

/* RFC 7323 5.3: reject old duplicates by their timestamp. */
static enum tcp_verdict
tcp_paws(struct tcpcb *tp, const struct tcp_seg *sg)
{
	if (!sg->has_ts || !(tp->t_flags & TF_RCVD_TSTMP) ||
	    (sg->flags & TH_RST))
		return TCP_CONTINUE;
	if (!SEQ_LT(sg->tsval, tp->ts_recent))
		return TCP_CONTINUE;
	/* A ts_recent older than 24 days is invalid (RFC 7323 5.5). */
	if (netstack_now(tp->t_ns) - tp->ts_recent_age >
	    NS_SEC(24ull * 24 * 3600)) {
		tp->ts_recent = 0;
		return TCP_CONTINUE;
	}
	tcp_statinc(tp->t_ns, TCP_STAT_RCVOLDTS);
	tcp_statinc(tp->t_ns, TCP_STAT_RCVDUPPACK);
	tcp_send_ack(tp);
	return TCP_DROP;
}

/*
 * First: is the segment acceptable (the four cases of RFC 9293
 * 3.10.7.4)?  If so, trim it to the window.  A segment into a zero
 * window at RCV.NXT is a window probe: its ACK is still processed.
 */
static enum tcp_verdict
tcp_seq_check(struct tcpcb *tp, struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;
	uint32_t wnd = tcp_rcv_window(tp);
	uint32_t seglen = sg->len + ((sg->flags & TH_SYN) ? 1 : 0) +
	    ((sg->flags & TH_FIN) ? 1 : 0);
	tcp_seq rn = tp->rcv_nxt;
	bool ok;

	if (seglen == 0)
		ok = wnd == 0 ? sg->seq == rn :
		    SEQ_GEQ(sg->seq, rn) && SEQ_LT(sg->seq, rn + wnd);
	else if (wnd == 0)
		ok = false;
	else
		ok = (SEQ_GEQ(sg->seq, rn) && SEQ_LT(sg->seq, rn + wnd)) ||
		    (SEQ_GEQ(sg->seq + seglen - 1, rn) &&
		    SEQ_LT(sg->seq + seglen - 1, rn + wnd));

	if (!ok && wnd == 0 && sg->seq == rn && !(sg->flags & TH_RST)) {
		tcp_statinc(ns, TCP_STAT_RCVWINPROBE);
		sg->len = 0;
		sg->flags &= (uint8_t)~(TH_FIN | TH_SYN);
		tp->t_flags |= TF_ACKNOW;
		return TCP_CONTINUE;
	}
	if (!ok) {
		if (sg->flags & TH_RST) {
			tcp_statinc(ns, TCP_STAT_RSTBAD);
			return TCP_DROP;
		}
		if (SEQ_LEQ(sg->seq + seglen, rn)) {
			tcp_statinc(ns, TCP_STAT_RCVDUPPACK);
			tcp_statadd(ns, TCP_STAT_RCVDUPBYTE, sg->len);
		} else {
			tcp_statinc(ns, TCP_STAT_RCVPACKAFTERWIN);
			tcp_statadd(ns, TCP_STAT_RCVBYTEAFTERWIN, sg->len);
		}
		tcp_send_ack(tp);
		return TCP_DROP;
	}
	if (sg->flags & TH_RST)
		return TCP_CONTINUE;	/* RST checks its own rule */

	/* Trim what lies before RCV.NXT ... */
	if (SEQ_LT(sg->seq, rn)) {
		uint32_t todrop = rn - sg->seq;

		if (sg->flags & TH_SYN) {
			sg->flags &= (uint8_t)~TH_SYN;
			sg->seq++;
			todrop--;
		}
		todrop = MIN(todrop, sg->len);
		if (todrop > 0) {
			tcp_statinc(ns, TCP_STAT_RCVPARTDUPPACK);
			tcp_statadd(ns, TCP_STAT_RCVPARTDUPBYTE, todrop);
		}
		sg->data += todrop;
		sg->len -= todrop;
		sg->seq += todrop;
	}
	/* ... and after the window. */
	if (SEQ_GT(sg->seq + sg->len, rn + wnd)) {
		uint32_t over = (sg->seq + sg->len) - (rn + wnd);

		tcp_statinc(ns, TCP_STAT_RCVPACKAFTERWIN);
		tcp_statadd(ns, TCP_STAT_RCVBYTEAFTERWIN, over);
		sg->len -= MIN(over, sg->len);
		sg->flags &= (uint8_t)~TH_FIN;
		tp->t_flags |= TF_ACKNOW;
	}
	return TCP_CONTINUE;
}

/* Second: RST (RFC 5961 3.2): exact match resets, else challenge. */
static enum tcp_verdict
tcp_rst_check(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);

	if (!(sg->flags & TH_RST))
		return TCP_CONTINUE;
	/* RFC 1337: no TIME_WAIT assassination; the timer ends it. */
	if (tp->t_state == TCPS_TIME_WAIT) {
		tcp_statinc(ns, TCP_STAT_RSTBAD);
		return TCP_DROP;
	}
	if (sg->seq != tp->rcv_nxt) {
		tcp_challenge_ack(tp);
		return TCP_DROP;
	}
	tcp_statinc(ns, TCP_STAT_RCVRST);
	switch (tp->t_state) {
	case TCPS_SYN_RECEIVED:
		/* Passive: back to nothing; active: refused. */
		if (so != NULL && so->so_head == NULL)
			soseterror(so, ECONNREFUSED);
		tcp_statinc(ns, TCP_STAT_CONNDROPS);
		break;
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
		if (so != NULL)
			soseterror(so, ECONNRESET);
		tcp_statinc(ns, TCP_STAT_DROPS);
		break;
	default:
		break;
	}
	tcp_set_state(tp, TCPS_CLOSED);
	(void)tcp_close(tp);
	return TCP_GONE;
}

/* Fourth: a SYN in a synchronized state (RFC 5961 4.2). */
static enum tcp_verdict
tcp_syn_check(struct tcpcb *tp, const struct tcp_seg *sg)
{
	if (!(sg->flags & TH_SYN))
		return TCP_CONTINUE;
	tcp_challenge_ack(tp);
	return TCP_DROP;
}

/* Measure the round trip an ACK completes (RFC 7323 4.2 / Karn). */
static void
tcp_ack_rtt(struct tcpcb *tp, const struct tcp_seg *sg)
{
	uint64_t now = netstack_now(tp->t_ns);

	if (sg->has_ts && (tp->t_flags & TF_RCVD_TSTMP) && sg->tsecr != 0) {
		uint32_t ms = tcp_ts_now(tp) - sg->tsecr;

		if (ms < 3600u * 1000)
			tcp_rtt_update(tp, NS_MS(ms) + NS_MS(1) / 2);
	} else if (tp->t_rtttime != 0 && SEQ_GT(sg->ack, tp->t_rtseq)) {
		tcp_rtt_update(tp, now - tp->t_rtttime);
		tp->t_rtttime = 0;
	}
}

/* NewReno: resend the first unacknowledged segment (RFC 6582). */
static void
tcp_rexmit_first(struct tcpcb *tp)
{
	tcp_seq onxt = tp->snd_nxt;
	uint32_t ocwnd = tp->snd_cwnd;

	tp->snd_nxt = tp->snd_una;
	tp->snd_cwnd = tp->t_maxseg;
	tp->t_rtttime = 0;
	(void)tcp_output(tp);
	tp->snd_cwnd = ocwnd;
	if (SEQ_GT(onxt, tp->snd_nxt))
		tp->snd_nxt = onxt;
}

/*
 * A duplicate ACK (RFC 5681 2): no data, no window change, nothing
 * new acknowledged while data is outstanding.  The third starts fast
 * retransmit unless it belongs to a recovery already done (RFC 6582
 * 3.2 step 1); later ones let new data out.
 */
static void
tcp_ack_dup(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;

	tcp_statinc(ns, TCP_STAT_RCVDUPACK);
	if (tp->t_flags & TF_RECOVERY) {
		if (!(tp->t_flags & TF_SACKRECOV))
			tp->snd_cwnd += tp->t_maxseg;
		(void)tcp_output(tp);
		return;
	}
	if (++tp->t_dupacks != 3)
		return;
	if (!SEQ_GT(sg->ack - 1, tp->snd_recover) &&
	    tp->snd_recover != tp->iss) {
		return;		/* an old loss: no new recovery */
	}
	tcp_statinc(ns, TCP_STAT_FASTRETRANSMIT);
	tcp_cc_enter_recovery(tp);
	if (tp->t_flags & TF_SACKRECOV) {
		uint32_t len = MIN(tp->t_maxseg, tp->snd_max - tp->snd_una);

		tcp_statinc(ns, TCP_STAT_SACKRECOVERY);
		/* RFC 6675 5 (4.3): the first segment, at once. */
		tp->t_rtttime = 0;
		(void)tcp_send_segment(tp, tp->snd_una, len, TH_ACK, true);
		tp->snd_hirxt = tp->snd_una + len;
		(void)tcp_output(tp);
	} else {
		tcp_rexmit_first(tp);
	}
}

/* Our FIN was acknowledged: the close moves on. => false if closed. */
static bool
tcp_fin_acked(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);

	switch (tp->t_state) {
	case TCPS_FIN_WAIT_1:
		tcp_set_state(tp, TCPS_FIN_WAIT_2);
		/* Nobody can read: do not wait forever for the peer. */
		if (so == NULL || (tp->t_flags & TF_DETACHED))
			tcp_timer_arm(tp, TCPT_2MSL,
			    tcp_finwait2_timeout(tp));
		break;
	case TCPS_CLOSING:
		tcp_enter_timewait(tp);
		break;
	case TCPS_LAST_ACK:
		tcp_set_state(tp, TCPS_CLOSED);
		(void)tcp_close(tp);
		return false;
	default:
		break;
	}
	return true;
}

/* New data acknowledged: free it, time it, open the windows. */
static enum tcp_verdict
tcp_ack_new(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);
	uint32_t acked = sg->ack - tp->snd_una;
	uint32_t sbcc = so != NULL ? so->so_snd.sb_cc : 0;
	bool finacked = false;

	tcp_statinc(ns, TCP_STAT_RCVACKPACK);
	tcp_statadd(ns, TCP_STAT_RCVACKBYTE, acked);
	tcp_ack_rtt(tp, sg);

	if (tp->t_flags & TF_RECOVERY) {
		if (SEQ_GEQ(sg->ack, tp->snd_recover)) {
			tp->snd_una = sg->ack;
			tcp_cc_exit_recovery(tp);
		} else {
			tcp_statinc(ns, TCP_STAT_PARTIALACK);
			tcp_cc_partial_ack(tp, acked);
		}
	} else {
		tcp_cc_ack(tp, acked);
	}
	tp->t_dupacks = 0;

	/*
	 * Beyond the buffered data an ACK (<= snd_max, checked) can only
	 * cover our FIN, even when a retransmission timeout cleared
	 * TF_SENTFIN to send the FIN again and this ACK answers the first
	 * one: the FIN then counts as sent and acknowledged.
	 */
	if (acked > sbcc && ((tp->t_flags & TF_SENTFIN) || so != NULL)) {
		tp->t_flags |= TF_SENTFIN;
		finacked = true;
		acked = sbcc;
	}
	if (so != NULL && acked > 0) {
		sbdrop_stream(&so->so_snd, acked);
		sowwakeup(so);
	}
	tp->snd_una = sg->ack;
	if (SEQ_LT(tp->snd_nxt, tp->snd_una))
		tp->snd_nxt = tp->snd_una;
	if (SEQ_LT(tp->snd_hirxt, tp->snd_una))
		tp->snd_hirxt = tp->snd_una;
	tcp_sack_trim(tp);

	if ((tp->t_flags & TF_RECOVERY) && !(tp->t_flags & TF_SACKRECOV))
		tcp_rexmit_first(tp);

	/* RFC 6298 5.2 / 5.3. */
	tp->t_rxtshift = 0;
	if (tp->snd_una == tp->snd_max)
		tcp_timer_stop(tp, TCPT_REXMT);
	else if (!(tp->t_flags & TF_PERSISTING))
		tcp_timer_arm(tp, TCPT_REXMT, tcp_rexmt_delay(tp));

	if (finacked && !tcp_fin_acked(tp))
		return TCP_GONE;
	return TCP_CONTINUE;
}

/* RFC 9293 3.10.7.4 fifth: the send window update rule. */
static void
tcp_window_update(struct tcpcb *tp, const struct tcp_seg *sg, bool newack)
{
	uint32_t wnd = sg->win << tp->snd_scale;

	if (!(SEQ_LT(tp->snd_wl1, sg->seq) || (tp->snd_wl1 == sg->seq &&
	    SEQ_LEQ(tp->snd_wl2, sg->ack))))
		return;
	if (!newack && sg->len == 0 && wnd != tp->snd_wnd)
		tcp_statinc(tp->t_ns, TCP_STAT_RCVWINUPD);
	tp->snd_wnd = wnd;
	tp->snd_wl1 = sg->seq;
	tp->snd_wl2 = sg->ack;
	tp->max_sndwnd = MAX(tp->max_sndwnd, wnd);
	if (wnd > 0 && (tp->t_flags & TF_PERSISTING)) {
		tcp_timer_stop(tp, TCPT_PERSIST);
		tp->t_flags &= ~TF_PERSISTING;
		tp->t_persistshift = 0;
		tp->snd_nxt = tp->snd_una;
	}
}

/* Fifth: the ACK field. */
static enum tcp_verdict
tcp_ack_check(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);
	bool newack;

	if (!(sg->flags & TH_ACK)) {
		tcp_statinc(ns, TCP_STAT_RCVNOTSYN);
		return TCP_DROP;
	}
	if (tp->t_state == TCPS_SYN_RECEIVED) {
		if (SEQ_LEQ(sg->ack, tp->snd_una) ||
		    SEQ_GT(sg->ack, tp->snd_max)) {
			tcp_statinc(ns, TCP_STAT_RCVBADACK);
			tcp_reset_for(ns, sg);
			return TCP_DROP;
		}
		/* The SYN is acknowledged. */
		tp->snd_una++;
		tcp_set_state(tp, TCPS_ESTABLISHED);
		tcp_statinc(ns, TCP_STAT_CONNECTS);
		tp->snd_wnd = sg->win << tp->snd_scale;
		tp->max_sndwnd = tp->snd_wnd;
		tp->snd_wl1 = sg->seq;
		tp->snd_wl2 = sg->ack;
		if (tp->t_rtttime != 0) {
			tcp_rtt_update(tp, netstack_now(ns) - tp->t_rtttime);
			tp->t_rtttime = 0;
		}
		tcp_timer_stop(tp, TCPT_REXMT);
		tp->t_rxtshift = 0;
		if (so != NULL)
			soisconnected(so);
		tcp_keep_arm(tp);
		if (tp->t_flags & TF_NEEDFIN)
			tcp_set_state(tp, TCPS_FIN_WAIT_1);
	}
	/* RFC 5961 5.2: SND.UNA - MAX.SND.WND <= SEG.ACK <= SND.NXT. */
	if (SEQ_GT(sg->ack, tp->snd_max)) {
		tcp_statinc(ns, TCP_STAT_RCVACKTOOMUCH);
		tcp_send_ack(tp);
		return TCP_DROP;
	}
	if (SEQ_LT(sg->ack, tp->snd_una - MAX(tp->max_sndwnd, 1u))) {
		tcp_statinc(ns, TCP_STAT_RCVDUPACK);
		tcp_challenge_ack(tp);
		return TCP_DROP;
	}
	if (tp->t_flags & TF_SACK_PERMIT)
		tcp_sack_update(tp, sg);

	newack = SEQ_GT(sg->ack, tp->snd_una);
	if (!newack) {
		/* Answers to window probes are not duplicate ACKs. */
		if (sg->len == 0 && !(sg->flags & TH_FIN) &&
		    (sg->win << tp->snd_scale) == tp->snd_wnd &&
		    tp->snd_wnd != 0 && !(tp->t_flags & TF_PERSISTING) &&
		    tp->snd_max != tp->snd_una && sg->ack == tp->snd_una)
			tcp_ack_dup(tp, sg);
		else if (sg->ack == tp->snd_una)
			tp->t_dupacks = 0;
	}
	tcp_window_update(tp, sg, newack);
	if (newack && tcp_ack_new(tp, sg) == TCP_GONE)
		return TCP_GONE;
	if (tp->t_state == TCPS_TIME_WAIT) {
		/* RFC 9293: a retransmitted FIN restarts the 2 MSL. */
		if (sg->flags & TH_FIN) {
			tp->t_flags |= TF_ACKNOW;
			tcp_timer_arm(tp, TCPT_2MSL, 2 * tcp_msl(tp));
		}
	}
	return TCP_CONTINUE;
}

/* Sixth: URG.  Urgent data is delivered inline; the pointer is not
 * tracked (RFC 6093 discourages its use). */
static void
tcp_urg(struct tcpcb *tp, const struct tcp_seg *sg)
{
	(void)tp;
	(void)sg;
}

/* Queue an out-of-order segment; => false if over the limit. */
static bool
tcp_reass_insert(struct tcpcb *tp, tcp_seq seq, const uint8_t *data,
    uint32_t len, bool fin)
{
	struct socket *so = tcp_socket(tp);
	struct tcp_reass **pp, *q, *n;
	tcp_seq end = seq + len;

	/* Trim against what is queued: keep only new bytes. */
	for (pp = &tp->t_reass; (q = *pp) != NULL; pp = &q->tr_next) {
		tcp_seq qend = q->tr_seq + q->tr_len;

		if (SEQ_LEQ(qend, seq))
			continue;
		if (SEQ_GEQ(q->tr_seq, end))
			break;
		/* Overlap. */
		if (SEQ_LEQ(q->tr_seq, seq)) {
			uint32_t d = MIN(qend - seq, len);

			seq += d;
			data += d;
			len -= d;
			if (len == 0) {
				q->tr_fin |= fin && qend == end;
				return true;
			}
			continue;
		}
		/* q starts inside [seq, end): keep our head only. */
		len = q->tr_seq - seq;
		end = seq + len;
		fin = false;
		break;
	}
	if (so == NULL || tp->t_segqlen + len > sbspace(&so->so_rcv))
		return false;
	if ((n = kmem_tryalloc(sizeof(*n) + len)) == NULL)
		return false;
	n->tr_seq = seq;
	n->tr_len = len;
	n->tr_fin = fin;
	memcpy(n->tr_data, data, len);
	/* Insert in order. */
	for (pp = &tp->t_reass; (q = *pp) != NULL &&
	    SEQ_LT(q->tr_seq, seq); pp = &q->tr_next)
		continue;
	n->tr_next = *pp;
	*pp = n;
	tp->t_segqlen += len;
	return true;
}

/* Move what became contiguous from the queue to so_rcv. => FIN seen */
static bool
tcp_reass_pull(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);
	struct tcp_reass *q;
	bool fin = false;

	while ((q = tp->t_reass) != NULL && SEQ_LEQ(q->tr_seq, tp->rcv_nxt)) {
		uint32_t skip = tp->rcv_nxt - q->tr_seq;

		if (skip < q->tr_len) {
			uint32_t n = sbappend_stream(&so->so_rcv,
			    q->tr_data + skip, q->tr_len - skip);

			tp->rcv_nxt += n;
			if (n < q->tr_len - skip)
				break;		/* no room: keep it */
		}
		fin = q->tr_fin && skip <= q->tr_len;
		tp->t_reass = q->tr_next;
		tp->t_segqlen -= q->tr_len;
		kmem_free(q, sizeof(*q) + q->tr_len);
		if (fin)
			break;
	}
	return fin;
}

/* Seventh: segment text.  => true if a FIN now follows in sequence. */
static bool
tcp_data(struct tcpcb *tp, const struct tcp_seg *sg)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);
	bool fin = (sg->flags & TH_FIN) != 0;

	if (sg->len == 0 && !fin)
		return false;
	if (sg->seq == tp->rcv_nxt && tp->t_reass == NULL) {
		if (sg->len > 0) {
			uint32_t n = sbappend_stream(&so->so_rcv, sg->data,
			    sg->len);

			tp->rcv_nxt += n;
			tcp_statinc(ns, TCP_STAT_RCVPACK);
			tcp_statadd(ns, TCP_STAT_RCVBYTE, n);
			if (n < sg->len)
				fin = false;
			sorwakeup(so);
			/* RFC 5681 4.2: ACK every second full segment. */
			if (sg->len >= tp->t_maxseg &&
			    ++tp->t_rcvsegs >= 2)
				tp->t_flags |= TF_ACKNOW;
			else if (!(tp->t_flags & TF_DELACK)) {
				tp->t_flags |= TF_DELACK;
				tcp_timer_arm(tp, TCPT_DELACK, NS_MS(
				    tcp_state(ns)->tcs_delack_ms));
			}
			if (sg->flags & TH_PUSH && tp->t_rcvsegs > 0)
				tp->t_flags |= TF_ACKNOW;
		}
		return fin;
	}

	/* Out of order, or filling a hole: ACK at once (RFC 5681 4.2). */
	tp->t_flags |= TF_ACKNOW;
	if (SEQ_GT(sg->seq, tp->rcv_nxt)) {
		if (!tcp_reass_insert(tp, sg->seq, sg->data, sg->len, fin)) {
			tcp_statinc(ns, TCP_STAT_RCVOOFULL);
			return false;
		}
		tcp_statinc(ns, TCP_STAT_RCVOOPACK);
		tcp_statadd(ns, TCP_STAT_RCVOOBYTE, sg->len);
		if (tp->t_flags & TF_SACK_PERMIT)
			tcp_sack_rcv_update(tp, sg->seq, sg->seq + sg->len);
		return false;
	}
	/* In sequence with a queue behind: append, then pull. */
	if (sg->len > 0) {
		uint32_t n = sbappend_stream(&so->so_rcv, sg->data, sg->len);

		tp->rcv_nxt += n;
		tcp_statinc(ns, TCP_STAT_RCVPACK);
		tcp_statadd(ns, TCP_STAT_RCVBYTE, n);
		if (n < sg->len)
			return false;
	}
	if (fin)
		return true;
	fin = tcp_reass_pull(tp);
	tcp_sack_rcv_trim(tp);
	sorwakeup(so);
	return fin;
}

/* Eighth: the FIN, once everything before it arrived. */
static enum tcp_verdict
tcp_fin(struct tcpcb *tp)
{
	struct socket *so = tcp_socket(tp);

	tp->rcv_nxt++;
	tp->t_flags |= TF_ACKNOW;
	if (so != NULL)
		socantrcvmore(so);
	switch (tp->t_state) {
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tcp_set_state(tp, TCPS_CLOSE_WAIT);
		break;
	case TCPS_FIN_WAIT_1:
		/* Our FIN not yet acknowledged: simultaneous close. */
		tcp_set_state(tp, TCPS_CLOSING);
		break;
	case TCPS_FIN_WAIT_2:
		tcp_timer_stop(tp, TCPT_2MSL);
		tcp_enter_timewait(tp);
		break;
	default:
		break;
	}
	return TCP_CONTINUE;
}

/* Can this state take data and FINs (RFC 9293 3.10.7.4 seventh)? */
static bool
tcp_state_receives(enum tcp_fsm_state s)
{
	return s == TCPS_ESTABLISHED || s == TCPS_FIN_WAIT_1 ||
	    s == TCPS_FIN_WAIT_2 || s == TCPS_SYN_RECEIVED;
}

static void
tcp_input_sync(struct netstack *ns, struct tcpcb *tp, struct tcp_seg *sg)
{
	struct socket *so = tcp_socket(tp);
	bool ts_ok;

	if (tcp_paws(tp, sg) != TCP_CONTINUE)
		return;
	/* RFC 7323 4.3: remember the timestamp of an in-order segment. */
	ts_ok = sg->has_ts && (tp->t_flags & TF_RCVD_TSTMP) &&
	    SEQ_LEQ(sg->seq, tp->rcv_nxt);
	if (tcp_seq_check(tp, sg) != TCP_CONTINUE)
		return;
	if (tcp_rst_check(tp, sg) != TCP_CONTINUE)
		return;
	if (tcp_syn_check(tp, sg) != TCP_CONTINUE)
		return;
	if (ts_ok && SEQ_GEQ(sg->tsval, tp->ts_recent)) {
		tp->ts_recent = sg->tsval;
		tp->ts_recent_age = netstack_now(ns);
	}
	tp->t_lastrecv = netstack_now(ns);
	tp->t_keepsent = 0;
	if (tcp_ack_check(tp, sg) != TCP_CONTINUE)
		return;
	so = tcp_socket(tp);
	tcp_urg(tp, sg);

	if (tcp_state_receives(tp->t_state) && (sg->len > 0 ||
	    (sg->flags & TH_FIN))) {
		if (so == NULL || (tp->t_flags & TF_DETACHED)) {
			/* Nobody will read it (RFC 9293 3.10.4, Linux). */
			if (sg->len > 0) {
				tcp_statinc(ns, TCP_STAT_RCVAFTERCLOSE);
				tp->rcv_nxt = sg->seq + sg->len;
				(void)tcp_drop(tp, 0);
				return;
			}
		} else if (tcp_data(tp, sg)) {
			if (tcp_fin(tp) != TCP_CONTINUE)
				return;
		}
		if ((so == NULL || (tp->t_flags & TF_DETACHED)) &&
		    (sg->flags & TH_FIN) && sg->seq == tp->rcv_nxt) {
			if (tcp_fin(tp) != TCP_CONTINUE)
				return;
		}
	} else if (sg->len > 0) {
		/* Text after the peer's FIN: ignored (RFC 9293 3.10.7.4). */
		tcp_statinc(ns, TCP_STAT_RCVAFTERCLOSE);
	}
	(void)tcp_output(tp);
}

/* ------------------------------------------------------- dispatcher */

/*
 * RFC 6191 / RFC 9293 3.6.1: a SYN may reopen a connection in
 * TIME_WAIT if its sequence number (or timestamp) is beyond the old
 * connection's.  => true if the old connection was closed.
 */
static bool
tcp_timewait_reuse(struct tcpcb *tp, const struct tcp_seg *sg)
{
	if ((sg->flags & (TH_SYN | TH_ACK | TH_RST)) != TH_SYN)
		return false;
	if (sg->has_ts && (tp->t_flags & TF_RCVD_TSTMP)) {
		if (!SEQ_GT(sg->tsval, tp->ts_recent))
			return false;
	} else if (!SEQ_GT(sg->seq, tp->rcv_nxt)) {
		return false;
	}
	tcp_statinc(tp->t_ns, TCP_STAT_TWREUSE);
	(void)tcp_close(tp);
	return true;
}

void
tcp_input(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct tcp_seg sg;

	KASSERT(klock_held(&ns->ns_klock));
	tcp_statinc(ns, TCP_STAT_RCVTOTAL);
	if (tcp_seg_parse(ns, m, hlen, &sg))
		tcp_input_seg(ns, &sg);
	m_freem(m);
}

/* IPv4 and IPv6 (tcp_inet6.c) segments meet here. */
void
tcp_input_seg(struct netstack *ns, struct tcp_seg *sg)
{
	struct tcp_state *tcs = tcp_state(ns);
	struct inpcb *inp;
	struct tcpcb *tp;

findpcb:
	if (sg->af == AF_INET6)
		inp = tcp6_pcblookup(ns, sg, true);
	else
		inp = in_pcblookup(&tcs->tcs_table, sg->src, sg->sport,
		    sg->dst, sg->dport, true);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL ||
	    tp->t_state == TCPS_CLOSED) {
		tcp_statinc(ns, TCP_STAT_RCVNOPORT);
		tcp_reset_for(ns, sg);
		return;
	}
	switch (tp->t_state) {
	case TCPS_LISTEN:
		tcp_input_listen(ns, tp, sg);
		break;
	case TCPS_SYN_SENT:
		tcp_input_synsent(ns, tp, sg);
		break;
	case TCPS_TIME_WAIT:
		if (tcp_timewait_reuse(tp, sg))
			goto findpcb;
		tcp_input_sync(ns, tp, sg);
		break;
	default:
		tcp_input_sync(ns, tp, sg);
		break;
	}
}
