/*
 * tcp_subr.c -- the TCP module: start-up and teardown, connection
 * blocks, initial sequence numbers (RFC 6528), segments sent without a
 * connection (RST, RFC 9293 3.10.7.1), MSS selection, ICMP errors, and
 * the network-layer helpers (tcp_af_*) that keep IPv4 specifics in one
 * place.
 */
#include "netstack/netinet/tcp_var.h"
#include "rumpnet/rump_net.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"
#include "netstack/net/route.h"

const char *const tcp_stat_names[TCP_NSTATS] = {
	[TCP_STAT_CONNATTEMPT] = "connattempt",
	[TCP_STAT_ACCEPTS] = "accepts",
	[TCP_STAT_CONNECTS] = "connects",
	[TCP_STAT_DROPS] = "drops",
	[TCP_STAT_CONNDROPS] = "conndrops",
	[TCP_STAT_CLOSED] = "closed",
	[TCP_STAT_SNDTOTAL] = "sndtotal",
	[TCP_STAT_SNDPACK] = "sndpack",
	[TCP_STAT_SNDBYTE] = "sndbyte",
	[TCP_STAT_SNDREXMITPACK] = "sndrexmitpack",
	[TCP_STAT_SNDREXMITBYTE] = "sndrexmitbyte",
	[TCP_STAT_SNDACKS] = "sndacks",
	[TCP_STAT_SNDPROBE] = "sndprobe",
	[TCP_STAT_SNDWINUP] = "sndwinup",
	[TCP_STAT_SNDCTRL] = "sndctrl",
	[TCP_STAT_SNDRST] = "sndrst",
	[TCP_STAT_DELACK] = "delack",
	[TCP_STAT_TSO] = "tso",
	[TCP_STAT_RCVTOTAL] = "rcvtotal",
	[TCP_STAT_RCVPACK] = "rcvpack",
	[TCP_STAT_RCVBYTE] = "rcvbyte",
	[TCP_STAT_RCVBADSUM] = "rcvbadsum",
	[TCP_STAT_RCVBADOFF] = "rcvbadoff",
	[TCP_STAT_RCVSHORT] = "rcvshort",
	[TCP_STAT_RCVBADADDR] = "rcvbadaddr",
	[TCP_STAT_RCVBADFLAGS] = "rcvbadflags",
	[TCP_STAT_RCVNOPORT] = "rcvnoport",
	[TCP_STAT_RCVDUPPACK] = "rcvduppack",
	[TCP_STAT_RCVDUPBYTE] = "rcvdupbyte",
	[TCP_STAT_RCVPARTDUPPACK] = "rcvpartduppack",
	[TCP_STAT_RCVPARTDUPBYTE] = "rcvpartdupbyte",
	[TCP_STAT_RCVOOPACK] = "rcvoopack",
	[TCP_STAT_RCVOOBYTE] = "rcvoobyte",
	[TCP_STAT_RCVOOFULL] = "rcvoofull",
	[TCP_STAT_RCVPACKAFTERWIN] = "rcvpackafterwin",
	[TCP_STAT_RCVBYTEAFTERWIN] = "rcvbyteafterwin",
	[TCP_STAT_RCVAFTERCLOSE] = "rcvafterclose",
	[TCP_STAT_RCVWINPROBE] = "rcvwinprobe",
	[TCP_STAT_RCVDUPACK] = "rcvdupack",
	[TCP_STAT_RCVACKTOOMUCH] = "rcvacktoomuch",
	[TCP_STAT_RCVACKPACK] = "rcvackpack",
	[TCP_STAT_RCVACKBYTE] = "rcvackbyte",
	[TCP_STAT_RCVWINUPD] = "rcvwinupd",
	[TCP_STAT_RCVBADACK] = "rcvbadack",
	[TCP_STAT_RCVLISTENDROP] = "rcvlistendrop",
	[TCP_STAT_RCVNOTSYN] = "rcvnotsyn",
	[TCP_STAT_RCVOLDTS] = "rcvoldts",
	[TCP_STAT_RCVMEMDROP] = "rcvmemdrop",
	[TCP_STAT_REXMTTIMEO] = "rexmttimeo",
	[TCP_STAT_PERSISTTIMEO] = "persisttimeo",
	[TCP_STAT_KEEPTIMEO] = "keeptimeo",
	[TCP_STAT_KEEPPROBE] = "keepprobe",
	[TCP_STAT_KEEPDROPS] = "keepdrops",
	[TCP_STAT_TIMEOUTDROP] = "timeoutdrop",
	[TCP_STAT_TIMEWAIT] = "timewait",
	[TCP_STAT_TWREUSE] = "twreuse",
	[TCP_STAT_CHALLENGEACK] = "challengeack",
	[TCP_STAT_CHALLENGEACK_LIMITED] = "challengeack_limited",
	[TCP_STAT_RSTBAD] = "rstbad",
	[TCP_STAT_RCVRST] = "rcvrst",
	[TCP_STAT_SYNRECV_OVERFLOW] = "synrecv_overflow",
	[TCP_STAT_SACKRECOVERY] = "sackrecovery",
	[TCP_STAT_FASTRETRANSMIT] = "fastretransmit",
	[TCP_STAT_PARTIALACK] = "partialack",
	[TCP_STAT_SACKRCVBLK] = "sackrcvblk",
	[TCP_STAT_SACKSNDBLK] = "sacksndblk",
	[TCP_STAT_PMTUUPDATE] = "pmtuupdate",
	[TCP_STAT_ICMPERR] = "icmperr",
};

const char *const tcp_state_names[TCP_NSTATES] = {
	[TCPS_CLOSED] = "CLOSED",
	[TCPS_LISTEN] = "LISTEN",
	[TCPS_SYN_SENT] = "SYN_SENT",
	[TCPS_SYN_RECEIVED] = "SYN_RECEIVED",
	[TCPS_ESTABLISHED] = "ESTABLISHED",
	[TCPS_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCPS_FIN_WAIT_1] = "FIN_WAIT_1",
	[TCPS_CLOSING] = "CLOSING",
	[TCPS_LAST_ACK] = "LAST_ACK",
	[TCPS_FIN_WAIT_2] = "FIN_WAIT_2",
	[TCPS_TIME_WAIT] = "TIME_WAIT",
};

/* ------------------------------------------------------ keyed hash */

/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012) over a short message: the
 * keyed function F of RFC 6528 section 3.
 */
static inline uint64_t
tcp_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static void
tcp_sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = tcp_rotl(v[1], 13); v[1] ^= v[0];
	v[0] = tcp_rotl(v[0], 32);
	v[2] += v[3]; v[3] = tcp_rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = tcp_rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = tcp_rotl(v[1], 17); v[1] ^= v[2];
	v[2] = tcp_rotl(v[2], 32);
}

static uint64_t
tcp_siphash(const uint8_t key[16], const uint8_t *msg, size_t len)
{
	uint64_t k0, k1, v[4], m, b = (uint64_t)len << 56;
	size_t i;

	memcpy(&k0, key, 8);
	memcpy(&k1, key + 8, 8);
	k0 = le64toh(k0);
	k1 = le64toh(k1);
	v[0] = k0 ^ 0x736f6d6570736575ull;
	v[1] = k1 ^ 0x646f72616e646f6dull;
	v[2] = k0 ^ 0x6c7967656e657261ull;
	v[3] = k1 ^ 0x7465646279746573ull;
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, msg + i, 8);
		m = le64toh(m);
		v[3] ^= m;
		tcp_sipround(v);
		tcp_sipround(v);
		v[0] ^= m;
	}
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)msg[i + j] << (8 * j);
	v[3] ^= b;
	tcp_sipround(v);
	tcp_sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (int r = 0; r < 4; r++)
		tcp_sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static uint64_t
tcp_tuple_hash(struct netstack *ns, const struct inpcb *inp, uint8_t salt)
{
	uint8_t msg[37];

	if (inp->inp_af == AF_INET6) {
		memcpy(msg, inp->inp_laddr6.s6_addr, 16);
		memcpy(msg + 16, inp->inp_faddr6.s6_addr, 16);
		memcpy(msg + 32, &inp->inp_lport, 2);
		memcpy(msg + 34, &inp->inp_fport, 2);
		msg[36] = salt;
		return tcp_siphash(tcp_state(ns)->tcs_secret, msg, 37);
	}
	memcpy(msg, &inp->inp_laddr, 4);
	memcpy(msg + 4, &inp->inp_faddr, 4);
	memcpy(msg + 8, &inp->inp_lport, 2);
	memcpy(msg + 10, &inp->inp_fport, 2);
	msg[12] = salt;
	return tcp_siphash(tcp_state(ns)->tcs_secret, msg, 13);
}

/*
 * RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a timer ticking every 4 microseconds.
 */
tcp_seq
tcp_new_iss(struct netstack *ns, const struct inpcb *inp)
{
	return (tcp_seq)(netstack_now(ns) / 4000) +
	    (tcp_seq)tcp_tuple_hash(ns, inp, 0);
}

/* RFC 7323 5.4: a timestamp clock of 1 ms, offset per connection. */
uint32_t
tcp_ts_now(const struct tcpcb *tp)
{
	return (uint32_t)(netstack_now(tp->t_ns) / 1000000) + tp->ts_offset;
}

/* ------------------------------------------------------ tcpcb life */

struct tcpcb *
tcp_newtcpcb(struct inpcb *inp)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	struct tcp_state *tcs = tcp_state(ns);
	struct tcpcb *tp;

	tp = kmem_zalloc(sizeof(*tp));
	tp->t_ns = ns;
	tp->t_inpcb = inp;
	inp->inp_ppcb = tp;
	tp->t_state = TCPS_CLOSED;
	tp->t_maxseg = (uint32_t)tcs->tcs_mssdflt;
	tp->t_rto = NS_MS(tcs->tcs_rtoinit_ms);
	tp->snd_cwnd = TCP_MAXWIN << TCP_MAXWINSHIFT;
	tp->snd_ssthresh = TCP_MAXWIN << TCP_MAXWINSHIFT;
	if (tcs->tcs_rfc1323)
		tp->t_flags |= TF_REQ_SCALE | TF_REQ_TSTMP;
	if (tcs->tcs_sack)
		tp->t_flags |= TF_REQ_SACK;
	tcp_timers_init(tp);
	tp->t_next = tcs->tcs_list;
	if (tp->t_next != NULL)
		tp->t_next->t_pprev = &tp->t_next;
	tp->t_pprev = &tcs->tcs_list;
	tcs->tcs_list = tp;
	tcs->tcs_count++;
	return tp;
}

void
tcp_set_state(struct tcpcb *tp, enum tcp_fsm_state s)
{
	KASSERT(s < TCP_NSTATES);
	tp->t_state = s;
}

/* Is so still on its listener's queue of embryonic connections? */
static bool
tcp_embryonic(const struct socket *so)
{
	return so->so_head != NULL && !(so->so_state & SS_ISCONNECTED);
}

struct tcpcb *
tcp_close(struct tcpcb *tp)
{
	struct netstack *ns = tp->t_ns;
	struct tcp_state *tcs = tcp_state(ns);
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;
	struct tcp_reass *q;

	tcp_timers_stop(tp);
	while ((q = tp->t_reass) != NULL) {
		tp->t_reass = q->tr_next;
		kmem_free(q, sizeof(*q) + q->tr_len);
	}
	*tp->t_pprev = tp->t_next;
	if (tp->t_next != NULL)
		tp->t_next->t_pprev = tp->t_pprev;
	tcs->tcs_count--;
	tcs->tcs_stats[TCP_STAT_CLOSED]++;
	inp->inp_ppcb = NULL;
	kmem_free(tp, sizeof(*tp));

	if (so == NULL) {
		in_pcbfree(inp);
		return NULL;
	}
	if (tcp_embryonic(so) && !(so->so_state & SS_ISDISCONNECTED)) {
		in_pcbfree(inp);
		soabort_embryonic(so);
		return NULL;
	}
	inp->inp_socket = NULL;
	in_pcbfree(inp);
	so->so_pcb = NULL;
	soisdisconnected(so);
	/* Frees the socket if its descriptor is already closed. */
	sofree(so);
	return NULL;
}

void
tcp_release_socket(struct tcpcb *tp)
{
	struct inpcb *inp = tp->t_inpcb;
	struct socket *so = inp->inp_socket;

	if (so == NULL || !(tp->t_flags & TF_DETACHED))
		return;
	inp->inp_socket = NULL;
	sofree(so);
}

struct tcpcb *
tcp_drop(struct tcpcb *tp, int error)
{
	struct netstack *ns = tp->t_ns;
	struct socket *so = tcp_socket(tp);

	if (TCPS_HAVERCVDSYN(tp->t_state)) {
		(void)tcp_send_segment(tp, tp->snd_nxt, 0, TH_RST | TH_ACK,
		    false);
		tcp_statinc(ns, TCP_STAT_DROPS);
	} else {
		tcp_statinc(ns, TCP_STAT_CONNDROPS);
	}
	tcp_set_state(tp, TCPS_CLOSED);
	if (so != NULL) {
		if (error == ETIMEDOUT && tp->t_softerror != 0)
			error = tp->t_softerror;
		if (error != 0)
			soseterror(so, error);
	}
	return tcp_close(tp);
}

/* ------------------------------------------------ network layer */

unsigned
tcp_af_hdrlen(const struct tcpcb *tp)
{
	return tcp_isv6(tp) ? 40 : IP_MINHLEN;
}

/* Prepend the IPv4 header to a segment and send it (consumes m). */
static int
tcp_ip4_output(struct netstack *ns, struct mbuf *m, uint32_t src,
    uint32_t dst, uint32_t tcplen, const struct inpcb *inp, uint16_t segsz)
{
	struct tcphdr *th = mtod(m, struct tcphdr *);
	struct ip ip;
	uint16_t sum;

	sum = in_cksum_fold(in_pseudo_sum(src, dst, KIPPROTO_TCP,
	    (uint16_t)tcplen));
	memcpy(&th->th_sum, &sum, 2);
	if ((m = m_prepend(m, IP_MINHLEN)) == NULL) {
		tcp_statinc(ns, TCP_STAT_RCVMEMDROP);
		return ENOBUFS;
	}
	memset(&ip, 0, sizeof(ip));
	ip.ip_tos = inp != NULL ? inp->inp_tos : 0;
	ip.ip_ttl = inp != NULL ? ip_pcbttl(ns, inp, dst) :
	    (uint8_t)ip_state(ns)->ips_defttl;
	ip.ip_p = KIPPROTO_TCP;
	ip.ip_off = htons(IP_DF);
	ip.ip_src = src;
	ip.ip_dst = dst;
	memcpy(m->m_data, &ip, sizeof(ip));
	m->m_pkthdr.csum_flags = M_CSUM_TCPv4;
	m->m_pkthdr.csum_data = (IP_MINHLEN << 16) | TCP_CSUM_OFFSET;
	if (segsz != 0) {
		/* The driver cuts it and computes every segment's sums. */
		m->m_pkthdr.csum_flags = M_CSUM_TSOv4;
		m->m_pkthdr.segsz = segsz;
	}
	tcp_statinc(ns, TCP_STAT_SNDTOTAL);
	return ip_output(ns, m, NULL, 0);
}

int
tcp_af_output(struct tcpcb *tp, struct mbuf *m, uint32_t tcplen, bool tso)
{
	struct inpcb *inp = tp->t_inpcb;

	if (tcp_isv6(tp))
		return tcp6_af_output(tp, m, tcplen, tso);
	return tcp_ip4_output(tp->t_ns, m, inp->inp_laddr, inp->inp_faddr,
	    tcplen, inp, tso ? (uint16_t)tp->t_maxseg : 0);
}

uint32_t
tcp_af_mtu(struct tcpcb *tp, bool *tsop)
{
	struct netstack *ns = tp->t_ns;
	uint32_t faddr = tp->t_inpcb->inp_faddr, mtu;
	struct rtentry *rt;
	struct ifnet *ifp;

	*tsop = false;
	if (tcp_isv6(tp))
		return tcp6_af_mtu(tp, tsop);
	if (in_islocal(ns, faddr) && (ifp = if_lo0(ns)) != NULL)
		return ifp->if_mtu;
	if ((rt = rt_lookup(ns, AF_INET, &faddr)) == NULL ||
	    rt->rt_ifp == NULL)
		return 0;
	mtu = ip_routemtu(rt);
	*tsop = (rt->rt_ifp->if_capenable & IFCAP_TSOv4) != 0;
	return mtu;
}

/* ------------------------------------------------------------ MSS */

uint32_t
tcp_mss_to_advertise(struct tcpcb *tp)
{
	bool tso;
	uint32_t mtu = tcp_af_mtu(tp, &tso);
	uint32_t hdr = tcp_af_hdrlen(tp) + TCP_MINHLEN;

	if (mtu <= hdr + 64)
		return (uint32_t)tcp_state(tp->t_ns)->tcs_mssdflt;
	return MIN(mtu - hdr, 65535u);
}

/*
 * RFC 9293 3.7.1: the effective send MSS is the smaller of what the
 * peer announced (536 without the option) and what our path allows,
 * less the option bytes every segment carries (timestamps).
 */
void
tcp_mss_update(struct tcpcb *tp)
{
	struct tcp_state *tcs = tcp_state(tp->t_ns);
	uint32_t hdr = tcp_af_hdrlen(tp) + TCP_MINHLEN, mss, mtu;
	bool tso;

	mtu = tcp_af_mtu(tp, &tso);
	if (tp->t_pmtu != 0 && (mtu == 0 || tp->t_pmtu < mtu))
		mtu = tp->t_pmtu;
	mss = mtu > hdr + 64 ? mtu - hdr : (uint32_t)tcs->tcs_mssdflt;
	mss = MIN(mss, (tp->t_flags & TF_RCVD_MSS) ? tp->t_peermss :
	    (uint32_t)tcs->tcs_mssdflt);
	if (tp->t_usermss != 0)
		mss = MIN(mss, tp->t_usermss);
	if (tp->t_flags & TF_RCVD_TSTMP)
		mss -= 12;	/* NOP NOP TS on every segment */
	mss = MAX(mss, 64u);
	tp->t_maxseg = mss;
	if (tso && tcs->tcs_tso)
		tp->t_flags |= TF_TSO_OK;
	else
		tp->t_flags &= ~TF_TSO_OK;
}

/* --------------------------------------------- no-connection output */

void
tcp_respond(struct netstack *ns, const struct tcp_seg *sg, tcp_seq seq,
    tcp_seq ack, uint8_t flags)
{
	struct tcphdr *th;
	struct mbuf *m;

	if ((m = m_get(TCP_MINHLEN, MHEADROOM)) == NULL) {
		tcp_statinc(ns, TCP_STAT_RCVMEMDROP);
		return;
	}
	m->m_len = m->m_pkthdr.len = TCP_MINHLEN;
	th = mtod(m, struct tcphdr *);
	memset(th, 0, TCP_MINHLEN);
	th->th_sport = sg->dport;
	th->th_dport = sg->sport;
	th->th_seq = htonl(seq);
	th->th_ack = htonl(ack);
	th->th_offx2 = TH_OFFX2(5);
	th->th_flags = flags;
	if (flags & TH_RST)
		tcp_statinc(ns, TCP_STAT_SNDRST);
	else
		tcp_statinc(ns, TCP_STAT_SNDACKS);
	if (sg->af == AF_INET6)
		tcp6_respond(ns, sg, m);
	else
		(void)tcp_ip4_output(ns, m, sg->dst, sg->src, TCP_MINHLEN,
		    NULL, 0);
}

/* RFC 9293 3.10.7.1 (CLOSED): answer anything but a RST with a RST. */
void
tcp_reset_for(struct netstack *ns, const struct tcp_seg *sg)
{
	uint32_t seglen = sg->len + ((sg->flags & TH_SYN) ? 1 : 0) +
	    ((sg->flags & TH_FIN) ? 1 : 0);

	if (sg->flags & TH_RST)
		return;
	if (sg->flags & TH_ACK)
		tcp_respond(ns, sg, sg->ack, 0, TH_RST);
	else
		tcp_respond(ns, sg, 0, sg->seq + seglen, TH_RST | TH_ACK);
}

/*
 * RFC 5961 section 7: at most net.inet.tcp.challenge_ack_limit
 * challenge ACKs per second for the whole instance.
 */
bool
tcp_challenge_ratelimited(struct netstack *ns)
{
	struct tcp_state *tcs = tcp_state(ns);
	uint64_t sec = netstack_now(ns) / NS_SEC(1);

	if (sec != tcs->tcs_chack_second) {
		tcs->tcs_chack_second = sec;
		tcs->tcs_chack_count = 0;
	}
	if (tcs->tcs_chack_count >= (uint32_t)tcs->tcs_chacklimit) {
		tcp_statinc(ns, TCP_STAT_CHALLENGEACK_LIMITED);
		return true;
	}
	tcs->tcs_chack_count++;
	return false;
}

/* ------------------------------------------------------ ICMP errors */

/*
 * An ICMP error about one of our segments.  The quoted sequence number
 * must lie in [snd_una, snd_max) (RFC 5927 4.1) or the message is
 * ignored.  Fragmentation needed lowers the MSS and resends what is in
 * flight (RFC 1191); a hard error aborts a connection still in SYN_SENT
 * (port unreachable: ECONNREFUSED) and is otherwise only remembered
 * (RFC 1122 4.2.3.9), to be reported if the connection times out.
 */
void
tcp_ctlinput(struct netstack *ns, const struct ip_ctlmsg *cm)
{
	struct inpcb *inp;
	struct tcpcb *tp;
	uint16_t sport, dport;
	tcp_seq seq;

	if (cm->icm_l4len < 8)
		return;
	memcpy(&sport, cm->icm_l4, 2);
	memcpy(&dport, cm->icm_l4 + 2, 2);
	seq = be32dec(cm->icm_l4 + 4);
	inp = in_pcblookup(&tcp_state(ns)->tcs_table, cm->icm_dst, dport,
	    cm->icm_src, sport, false);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL)
		return;
	if (cm->icm_type == ICMP_UNREACH &&
	    cm->icm_code == ICMP_UNREACH_NEEDFRAG) {
		tcp_ctlinput_conn(tp, seq, true, cm->icm_mtu, 0, false);
		return;
	}
	tcp_ctlinput_conn(tp, seq, false, 0, cm->icm_error, cm->icm_hard);
}

void
tcp_ctlinput_conn(struct tcpcb *tp, tcp_seq seq, bool toobig, uint32_t mtu,
    int error, bool hard)
{
	struct netstack *ns = tp->t_ns;

	if (tp->t_state == TCPS_LISTEN)
		return;
	if (SEQ_LT(seq, tp->snd_una) || SEQ_GEQ(seq, tp->snd_max))
		return;
	tcp_statinc(ns, TCP_STAT_ICMPERR);
	if (toobig) {
		uint32_t old = tp->t_maxseg;

		if (mtu < 68 || (tp->t_pmtu != 0 && mtu >= tp->t_pmtu))
			return;
		tp->t_pmtu = mtu;
		tcp_mss_update(tp);
		if (tp->t_maxseg < old) {
			tcp_statinc(ns, TCP_STAT_PMTUUPDATE);
			tp->snd_nxt = tp->snd_una;
			tp->t_rtttime = 0;
			(void)tcp_output(tp);
		}
		return;
	}
	if (error == 0)
		return;
	if (tp->t_state == TCPS_SYN_SENT && hard) {
		(void)tcp_drop(tp, error);
		return;
	}
	tp->t_softerror = error;
}

/* ------------------------------------------------------------ module */

struct tcp_sysctl {
	const char	*name;
	size_t		 off;
	int32_t		 dflt, min, max;
	const char	*descr;
};

#define TCS_OFF(f)	offsetof(struct tcp_state, f)
static const struct tcp_sysctl tcp_sysctls[] = {
	{ "msl", TCS_OFF(tcs_msl_ms), 30000, 1, 600000,
	  "maximum segment lifetime, ms (TIME_WAIT lasts 2*msl)" },
	{ "finwait2_timeout", TCS_OFF(tcs_finwait2_ms), 60000, 1, 600000,
	  "FIN_WAIT_2 without a socket: time to wait for the FIN, ms" },
	{ "mssdflt", TCS_OFF(tcs_mssdflt), TCP_MSS_DEFAULT, 64, 65535,
	  "MSS assumed without the peer's option" },
	{ "rtomin", TCS_OFF(tcs_rtomin_ms), 200, 1, 60000,
	  "lower bound of the retransmission timeout, ms" },
	{ "rtoinit", TCS_OFF(tcs_rtoinit_ms), 1000, 1, 60000,
	  "retransmission timeout before an RTT sample, ms (RFC 6298)" },
	{ "rtomax", TCS_OFF(tcs_rtomax_ms), 120000, 1000, 600000,
	  "upper bound of the retransmission timeout, ms" },
	{ "delack", TCS_OFF(tcs_delack_ms), 40, 1, 500,
	  "delayed ACK timeout, ms (RFC 1122 4.2.3.2)" },
	{ "keepidle", TCS_OFF(tcs_keepidle), 7200, 1, 32767,
	  "idle time before keepalive probes, s" },
	{ "keepintvl", TCS_OFF(tcs_keepintvl), 75, 1, 32767,
	  "time between keepalive probes, s" },
	{ "keepcnt", TCS_OFF(tcs_keepcnt), 9, 1, 127,
	  "unanswered keepalive probes before dropping" },
	{ "synretries", TCS_OFF(tcs_synretries), 6, 1, 20,
	  "SYN retransmissions before giving up" },
	{ "retries", TCS_OFF(tcs_retries), 12, 1, 30,
	  "data retransmissions before giving up" },
	{ "sack", TCS_OFF(tcs_sack), 1, 0, 1,
	  "offer SACK (RFC 2018)" },
	{ "rfc1323", TCS_OFF(tcs_rfc1323), 1, 0, 1,
	  "offer window scaling and timestamps (RFC 7323)" },
	{ "tso", TCS_OFF(tcs_tso), 1, 0, 1,
	  "send TSO super-packets where the interface offers it" },
	{ "challenge_ack_limit", TCS_OFF(tcs_chacklimit), 1000, 0, 1000000,
	  "challenge ACKs per second (RFC 5961 7)" },
	{ "initcwnd", TCS_OFF(tcs_initcwnd), 10, 1, 100,
	  "initial congestion window, segments (RFC 6928)" },
};

static int
tcp_init_sysctl(struct netstack *ns, struct tcp_state *tcs)
{
	char name[SYSCTL_NAMEMAX];
	int rv;

	for (size_t i = 0; i < nitems(tcp_sysctls); i++) {
		const struct tcp_sysctl *t = &tcp_sysctls[i];
		int32_t *p = (int32_t *)(void *)((char *)tcs + t->off);

		*p = t->dflt;
		ksnprintf(name, sizeof(name), "net.inet.tcp.%s", t->name);
		if ((rv = sysctl_add_int(ns, name, SYSCTL_RW, p, t->min,
		    t->max, t->descr)) != 0)
			return rv;
	}
	return sysctl_add_counters(ns, "net.inet.tcp.stats", tcp_stat_names,
	    tcs->tcs_stats, TCP_NSTATS);
}

_Static_assert(TCPS_TIME_WAIT == RUMP_TCPS_TIME_WAIT &&
    TCPS_LISTEN == RUMP_TCPS_LISTEN, "RUMP_TCPS_* follow TCPS_*");

/* The socket list's state of a TCP PCB (RUMP_TCPS_* = TCPS_*). */
static uint32_t
tcp_pcb_state(const struct inpcb *inp)
{
	const struct tcpcb *tp = intotcpcb(inp);

	return tp != NULL ? (uint32_t)tp->t_state : RUMP_TCPS_CLOSED;
}

int
tcp_init(struct netstack *ns)
{
	struct tcp_state *tcs;
	int rv;

	tcs = kmem_zalloc(sizeof(*tcs));
	ns->ns_mod[NSMOD_TCP] = tcs;
	in_pcbtable_init(&tcs->tcs_table, ns, "tcp");
	tcs->tcs_table.inpt_state = tcp_pcb_state;
	cprng_bytes(tcs->tcs_secret, sizeof(tcs->tcs_secret));
	if ((rv = tcp_init_sysctl(ns, tcs)) != 0 ||
	    (rv = ip_proto_register(ns, KIPPROTO_TCP, tcp_input,
	    tcp_ctlinput)) != 0 ||
	    (rv = tcp_usr_init(ns)) != 0)
		return rv;
	return 0;
}

void
tcp_fini(struct netstack *ns)
{
	struct tcp_state *tcs = tcp_state(ns);

	if (tcs == NULL)
		return;
	tcs->tcs_dying = true;
	tcp_usr_fini(ns);
	while (tcs->tcs_list != NULL)
		(void)tcp_close(tcs->tcs_list);
	(void)ip_proto_register(ns, KIPPROTO_TCP, NULL, NULL);
	in_pcbtable_fini(&tcs->tcs_table);
	sysctl_remove_prefix(ns, "net.inet.tcp");
	ns->ns_mod[NSMOD_TCP] = NULL;
	kmem_free(tcs, sizeof(*tcs));
}

const struct netstack_module tcp_module = {
	.nm_name = "tcp",
	.nm_init = tcp_init,
	.nm_fini = tcp_fini,
};
