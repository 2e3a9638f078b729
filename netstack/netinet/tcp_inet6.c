/*
 * tcp_inet6.c -- TCP over IPv6: the network-layer side of the shared
 * TCP code (tcp_var.h, "Address families").  Input from ip6 (checksum
 * over the IPv6 pseudo-header, RFC 8200 8.1), output through
 * ip6_output with a deferred checksum and TSOv6 (mbuf.h), the MSS from
 * the path MTU (RFC 8201; IPv6 and TCP headers are 60 bytes), ICMPv6
 * errors (RFC 4443), and the module that registers all this once ip6
 * is up (the tcp module starts before it).
 *
 * The AF_INET6 socket methods are tcp_usrreq.c's, shared with AF_INET.
 * Link-local peers are matched and reached in the zone of the
 * receiving interface (inp_scope6).
 */
#include "netstack/netinet/tcp_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/modules.h"
#include "netstack/net/if.h"
#include "netstack/net/route.h"

/* ------------------------------------------------------------ output */

/* Prepend the IPv6 header to a segment and send it (consumes m). */
static int
tcp6_output(struct netstack *ns, struct mbuf *m, const uint8_t *src,
    const uint8_t *dst, unsigned scope, uint32_t tcplen,
    const struct inpcb *inp, uint16_t segsz)
{
	struct tcphdr *th = mtod(m, struct tcphdr *);
	struct ip6_hdr *ip6;
	uint16_t sum;

	sum = in_cksum_fold(in6_pseudo_sum(src, dst, KIPPROTO_TCP, tcplen));
	memcpy(&th->th_sum, &sum, 2);
	if ((m = m_prepend(m, IP6_HDRLEN)) == NULL) {
		tcp_statinc(ns, TCP_STAT_RCVMEMDROP);
		return ENOBUFS;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	memset(ip6, 0, IP6_HDRLEN);
	ip6->ip6_nxt = KIPPROTO_TCP;
	ip6->ip6_hlim = inp != NULL ? ip6_pcbhlim(ns, inp, dst) :
	    (uint8_t)ip6_state(ns)->ip6s_hlim;
	memcpy(ip6->ip6_src, src, 16);
	memcpy(ip6->ip6_dst, dst, 16);
	m->m_pkthdr.csum_flags = M_CSUM_TCPv6;
	m->m_pkthdr.csum_data = (IP6_HDRLEN << 16) | TCP_CSUM_OFFSET;
	if (segsz != 0) {
		/* The driver cuts it and computes every segment's sum. */
		m->m_pkthdr.csum_flags = M_CSUM_TSOv6;
		m->m_pkthdr.segsz = segsz;
	}
	tcp_statinc(ns, TCP_STAT_SNDTOTAL);
	return ip6_output(ns, m, in6_is_scoped(dst) ? scope : 0, 0);
}

int
tcp6_af_output(struct tcpcb *tp, struct mbuf *m, uint32_t tcplen, bool tso)
{
	struct inpcb *inp = tp->t_inpcb;

	return tcp6_output(tp->t_ns, m, inp->inp_laddr6.s6_addr,
	    inp->inp_faddr6.s6_addr, inp->inp_scope6, tcplen, inp,
	    tso ? (uint16_t)tp->t_maxseg : 0);
}

void
tcp6_respond(struct netstack *ns, const struct tcp_seg *sg, struct mbuf *m)
{
	(void)tcp6_output(ns, m, sg->dst6, sg->src6, sg->scope, m->m_len,
	    NULL, 0);
}

/*
 * The MTU toward the peer: path MTU cache, route and interface
 * (ip6_pmtu), or lo0's for our own addresses.  TSO whenever the
 * interface enables TSOv6 (it computes the segments' checksums itself).
 */
uint32_t
tcp6_af_mtu(struct tcpcb *tp, bool *tsop)
{
	struct netstack *ns = tp->t_ns;
	const struct inpcb *inp = tp->t_inpcb;
	const uint8_t *dst = inp->inp_faddr6.s6_addr;
	struct ifnet *ifp = NULL;
	struct rtentry *rt;
	uint8_t nh[16];

	*tsop = false;
	if (in6_is_unspecified(dst))
		return 0;
	if (in6_islocal(ns, dst, inp->inp_scope6) &&
	    (ifp = if_lo0(ns)) != NULL)
		return ifp->if_mtu;
	if (in6_route(ns, dst, inp->inp_scope6, &ifp, nh, &rt) != 0 ||
	    ifp == NULL)
		return 0;
	*tsop = (ifp->if_capenable & IFCAP_TSOv6) != 0;
	return ip6_pmtu(ns, dst, inp->inp_scope6);
}

/* ------------------------------------------------------------- input */

struct inpcb *
tcp6_pcblookup(struct netstack *ns, const struct tcp_seg *sg, bool wildcard)
{
	return in6_pcblookup(&tcp_state(ns)->tcs_table, sg->src6, sg->sport,
	    sg->dst6, sg->dport, wildcard, sg->scope);
}

void
tcp6_pcb_from_seg(struct inpcb *inp, const struct tcp_seg *sg)
{
	memcpy(inp->inp_laddr6.s6_addr, sg->dst6, 16);
	memcpy(inp->inp_faddr6.s6_addr, sg->src6, 16);
	if (in6_is_scoped(sg->dst6) || in6_is_scoped(sg->src6))
		inp->inp_scope6 = sg->scope;
}

/* Is the checksum of the segment right (or verified by the driver)? */
static bool
tcp6_cksum_ok(const struct mbuf *m, const struct tcp_seg *sg,
    const uint8_t *th, uint32_t tlen)
{
	const struct ifnet *ifp = m->m_pkthdr.rcvif;
	uint32_t sum;

	if (ifp != NULL && (ifp->if_csum_flags_rx & M_CSUM_TCPv6) &&
	    (m->m_pkthdr.csum_flags & M_CSUM_TCPv6))
		return !(m->m_pkthdr.csum_flags & M_CSUM_TCP_UDP_BAD);
	sum = in6_pseudo_sum(sg->src6, sg->dst6, KIPPROTO_TCP, tlen);
	sum = in_cksum_add(sum, th, tlen);
	return in_cksum_fold(sum) == 0xffff;
}

/* m starts at the IPv6 header, the TCP header at off (ip6_var.h). */
static void
tcp6_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct tcp_seg sg;
	const uint8_t *th;
	uint32_t tlen;

	KASSERT(klock_held(&ns->ns_klock));
	tcp_statinc(ns, TCP_STAT_RCVTOTAL);
	memset(&sg, 0, sizeof(sg));
	sg.af = AF_INET6;
	memcpy(sg.src6, ip6->ip6_src, 16);
	memcpy(sg.dst6, ip6->ip6_dst, 16);
	sg.rcvif = m->m_pkthdr.rcvif;
	if (sg.rcvif != NULL && (in6_is_scoped(sg.src6) ||
	    in6_is_scoped(sg.dst6)))
		sg.scope = sg.rcvif->if_index;
	if (m->m_len < off + TCP_MINHLEN) {
		tcp_statinc(ns, TCP_STAT_RCVSHORT);
		goto drop;
	}
	th = m->m_data + off;
	tlen = m->m_len - off;
	if (!tcp6_cksum_ok(m, &sg, th, tlen)) {
		tcp_statinc(ns, TCP_STAT_RCVBADSUM);
		goto drop;
	}
	/* Never to or from a multicast or unspecified address. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) ||
	    in6_is_multicast(sg.dst6) || in6_is_multicast(sg.src6) ||
	    in6_is_unspecified(sg.src6) || in6_is_v4mapped(sg.src6) ||
	    in6_is_v4mapped(sg.dst6)) {
		tcp_statinc(ns, TCP_STAT_RCVBADADDR);
		goto drop;
	}
	if (!tcp_seg_parse_th(ns, th, tlen, &sg))
		goto drop;
	tcp_input_seg(ns, &sg);
drop:
	m_freem(m);
}

/*
 * An ICMPv6 error about one of our segments (RFC 4443 3; RFC 5927 4.1
 * sequence check in tcp_ctlinput_conn).  Packet Too Big was already
 * recorded in the path MTU cache; the connection lowers its MSS.
 * Destination unreachable "port" or "administratively prohibited"
 * refuse a connection still in SYN_SENT.
 */
static void
tcp6_ctlinput(struct netstack *ns, const struct ip6_ctlmsg *cm)
{
	struct inpcb *inp;
	struct tcpcb *tp;
	uint16_t sport, dport;
	int error = cm->icm6_error;
	tcp_seq seq;

	if (cm->icm6_l4len < 8)
		return;
	memcpy(&sport, cm->icm6_l4, 2);
	memcpy(&dport, cm->icm6_l4 + 2, 2);
	seq = be32dec(cm->icm6_l4 + 4);
	inp = in6_pcblookup(&tcp_state(ns)->tcs_table, cm->icm6_dst, dport,
	    cm->icm6_src, sport, false, cm->icm6_scope);
	if (inp == NULL || (tp = intotcpcb(inp)) == NULL)
		return;
	if (cm->icm6_type == ICMP6_PACKET_TOO_BIG) {
		uint32_t mtu = MAX(cm->icm6_mtu, (uint32_t)IPV6_MMTU);

		tcp_ctlinput_conn(tp, seq, true, mtu, 0, false);
		return;
	}
	if (cm->icm6_type == ICMP6_DST_UNREACH &&
	    (cm->icm6_code == ICMP6_DST_UNREACH_NOPORT ||
	    cm->icm6_code == ICMP6_DST_UNREACH_ADMIN))
		error = ECONNREFUSED;
	tcp_ctlinput_conn(tp, seq, false, 0, error, cm->icm6_hard);
}

/* ------------------------------------------------------------ module */

int
tcp6_init(struct netstack *ns)
{
	struct tcp_state *tcs = tcp_state(ns);
	int rv;

	if (tcs == NULL || ip6_state(ns) == NULL)
		return 0;	/* no TCP or no IPv6: no TCP over IPv6 */
	if ((rv = ip6_proto_register(ns, KIPPROTO_TCP, tcp6_input,
	    tcp6_ctlinput)) != 0)
		return rv;
	tcs->tcs_registered6 = true;
	if ((rv = proto_register(ns, &tcp6_protosw, true)) != 0)
		return rv;
	tcs->tcs_protosw6 = true;
	return 0;
}

void
tcp6_fini(struct netstack *ns)
{
	struct tcp_state *tcs = tcp_state(ns);

	if (tcs == NULL)
		return;
	if (tcs->tcs_protosw6)
		proto_unregister(ns, &tcp6_protosw);
	if (tcs->tcs_registered6 && ip6_state(ns) != NULL)
		(void)ip6_proto_register(ns, KIPPROTO_TCP, NULL, NULL);
	tcs->tcs_protosw6 = tcs->tcs_registered6 = false;
}

static const char *const tcp6_requires[] = { "tcp", "ip6", NULL };

const struct netstack_module tcp6_module = {
	.nm_name = "tcp6",
	.nm_init = tcp6_init,
	.nm_fini = tcp6_fini,
	.nm_requires = tcp6_requires,
};
