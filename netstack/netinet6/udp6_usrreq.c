/*
 * udp6_usrreq.c -- UDP over IPv6 (RFC 768, RFC 8200 8.1): input,
 * output, ICMPv6 error reports and the AF_INET6 SOCK_DGRAM protocol
 * switch.  PCBs live in the UDP table of the ip module (udp_var.h), so
 * IPv4 and IPv6 sockets share one port space; an AF_INET6 socket that
 * is not IPV6_V6ONLY receives IPv4 datagrams through udp_usrreq.c's
 * input as ::ffff:a.b.c.d.  Sending to v4-mapped destinations is not
 * supported (ENETUNREACH).
 *
 * The checksum is mandatory over IPv6: a datagram with a zero checksum
 * is dropped (net.inet6.udp6.stats.nosum); outgoing checksums are
 * deferred (M_CSUM_UDPv6, csum_data = 40 << 16 | 6) to ip6_output, which
 * hands them to the interface or finishes them in software.  Receive
 * verdicts of interfaces verifying UDPv6 are trusted.  Socket
 * semantics are udp_usrreq.c's (Linux): connect replaces, AF_UNSPEC
 * dissolves, hard ICMPv6 errors reach connected sockets only.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet/udp_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"

static const char *const udp6_stat_names[UDP6_NSTATS] = {
	[UDP6_STAT_IPACKETS] = "ipackets",
	[UDP6_STAT_HDROPS] = "hdrops",
	[UDP6_STAT_BADLEN] = "badlen",
	[UDP6_STAT_BADSUM] = "badsum",
	[UDP6_STAT_NOSUM] = "nosum",
	[UDP6_STAT_NOPORT] = "noport",
	[UDP6_STAT_NOPORTMCAST] = "noportmcast",
	[UDP6_STAT_FULLSOCK] = "fullsock",
	[UDP6_STAT_NOMEM] = "nomem",
	[UDP6_STAT_DELIVERED] = "delivered",
	[UDP6_STAT_OPACKETS] = "opackets",
};

static void
udp6_statinc(struct netstack *ns, enum udp6_stat s)
{
	ip6_state(ns)->ip6s_udpstats[s]++;
}

static struct inpcbtable *
udp6_table(struct netstack *ns)
{
	return &udp_state(ns)->uds_table;
}

static void
udp6_append(struct netstack *ns, struct inpcb *inp, struct mbuf *m,
    unsigned off)
{
	struct socket *so = inp->inp_socket;
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct ksockaddr_storage from;
	size_t fromlen;
	uint16_t sport;

	if (so == NULL) {
		udp6_statinc(ns, UDP6_STAT_FULLSOCK);
		m_freem(m);
		return;
	}
	memcpy(&sport, m->m_data + off, 2);
	fromlen = in6_sockaddr_fill(&from, ip6->ip6_src, sport,
	    m->m_pkthdr.rcvif != NULL ? m->m_pkthdr.rcvif->if_index : 0);
	m_adj(m, (int)(off + sizeof(struct udphdr)));
	m->m_pkthdr.csum_flags = 0;
	if (sbappendaddr(&so->so_rcv, (const struct ksockaddr *)&from,
	    fromlen, m) != 0) {
		udp6_statinc(ns, UDP6_STAT_FULLSOCK);
		return;
	}
	udp6_statinc(ns, UDP6_STAT_DELIVERED);
	sorwakeup(so);
}

static bool
udp6_cksum_ok(const struct mbuf *m, const struct ip6_hdr *ip6,
    const uint8_t *uh, unsigned ulen)
{
	const struct ifnet *ifp = m->m_pkthdr.rcvif;
	uint32_t sum;

	if (ifp != NULL && (ifp->if_csum_flags_rx & M_CSUM_UDPv6) &&
	    (m->m_pkthdr.csum_flags & M_CSUM_UDPv6))
		return !(m->m_pkthdr.csum_flags & M_CSUM_TCP_UDP_BAD);
	sum = in6_pseudo_sum(ip6->ip6_src, ip6->ip6_dst, KIPPROTO_UDP, ulen);
	return in_cksum_fold(in_cksum_add(sum, uh, ulen)) == 0xffff;
}

static void
udp6_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct inpcb *inp;
	const uint8_t *uh;
	unsigned ulen;
	uint16_t sport, dport;

	KASSERT(klock_held(&ns->ns_klock));
	udp6_statinc(ns, UDP6_STAT_IPACKETS);
	if (m->m_len < off + sizeof(struct udphdr)) {
		udp6_statinc(ns, UDP6_STAT_HDROPS);
		goto drop;
	}
	uh = m->m_data + off;
	ulen = be16dec(uh + 4);
	if (ulen != m->m_len - off) {
		udp6_statinc(ns, UDP6_STAT_BADLEN);
		goto drop;
	}
	if (be16dec(uh + 6) == 0) {
		udp6_statinc(ns, UDP6_STAT_NOSUM);
		goto drop;
	}
	if (!udp6_cksum_ok(m, ip6, uh, ulen)) {
		udp6_statinc(ns, UDP6_STAT_BADSUM);
		goto drop;
	}
	memcpy(&sport, uh, 2);
	memcpy(&dport, uh + 2, 2);

	if (in6_is_multicast(ip6->ip6_dst)) {
		struct inpcb *last = NULL;

		for (inp = in_pcbfirst(udp6_table(ns)); inp != NULL;
		    inp = inp->inp_next) {
			struct mbuf *n;

			if (!in6_pcbaccepts(inp, ip6->ip6_src, sport,
			    ip6->ip6_dst, dport))
				continue;
			if (last != NULL) {
				if ((n = m_dup(m)) == NULL)
					udp6_statinc(ns, UDP6_STAT_NOMEM);
				else
					udp6_append(ns, last, n, off);
			}
			last = inp;
		}
		if (last == NULL) {
			udp6_statinc(ns, UDP6_STAT_NOPORTMCAST);
			goto drop;
		}
		udp6_append(ns, last, m, off);
		return;
	}
	inp = in6_pcblookup(udp6_table(ns), ip6->ip6_src, sport, ip6->ip6_dst,
	    dport, true, ifp != NULL ? ifp->if_index : 0);
	if (inp == NULL) {
		udp6_statinc(ns, UDP6_STAT_NOPORT);
		icmp6_error(ns, m, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT,
		    0);
		return;
	}
	udp6_append(ns, inp, m, off);
	return;

drop:
	m_freem(m);
}

static void
udp6_ctlinput(struct netstack *ns, const struct ip6_ctlmsg *cm)
{
	uint16_t sport, dport;

	if (cm->icm6_error == 0 || !cm->icm6_hard || cm->icm6_l4len < 4)
		return;
	memcpy(&sport, cm->icm6_l4, 2);
	memcpy(&dport, cm->icm6_l4 + 2, 2);
	(void)in6_pcbnotify(udp6_table(ns), cm->icm6_dst, dport, cm->icm6_src,
	    sport, cm->icm6_error);
}

/* ------------------------------------------------------ socket calls */

static int
udp6_attach(struct socket *so, int proto)
{
	struct inpcb *inp;

	if (proto != 0 && proto != KIPPROTO_UDP)
		return EPROTONOSUPPORT;
	return in_pcballoc(udp6_table(so->so_ns), so, AF_INET6, &inp);
}

static int
udp6_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = so->so_pcb;
	uint8_t addr[16];
	uint16_t port;
	unsigned scope;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in6_sockaddr_parse(nam, namlen, addr, &port, &scope,
	    false, NULL)) != 0)
		return error;
	return in6_pcbbind(inp, addr, scope, port);
}

static int
udp6_listen(struct socket *so, int backlog)
{
	return EOPNOTSUPP;
}

static int
udp6_disconnect(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_fport == 0)
		return ENOTCONN;
	in6_pcbdisconnect(inp);
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
udp6_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = so->so_pcb;
	uint8_t addr[16];
	uint16_t port;
	unsigned scope;
	bool unspec;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in6_sockaddr_parse(nam, namlen, addr, &port, &scope,
	    true, &unspec)) != 0)
		return error;
	if (inp->inp_fport != 0) {
		in6_pcbdisconnect(inp);
		so->so_state &= ~SS_ISCONNECTED;
	}
	if (unspec)
		return 0;
	if ((error = in6_pcbconnect(inp, addr, scope, port)) != 0)
		return error;
	soisconnected(so);
	return 0;
}

static int
udp6_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
udp6_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct netstack *ns = so->so_ns;
	struct inpcb *inp = so->so_pcb;
	struct ip6_hdr *ip6;
	uint8_t dst[16], src[16], *uh;
	unsigned scope = 0, len;
	uint16_t dport;
	int error;

	if (inp == NULL) {
		error = EINVAL;
		goto drop;
	}
	if (nam != NULL) {
		if ((error = in6_sockaddr_parse(nam, namlen, dst, &dport,
		    &scope, false, NULL)) != 0)
			goto drop;
		if (dport == 0) {
			error = EINVAL;
			goto drop;
		}
		if (in6_is_unspecified(dst))
			memcpy(dst, in6addr_loopback, 16);
	} else if (inp->inp_fport != 0) {
		memcpy(dst, inp->inp_faddr6.s6_addr, 16);
		dport = inp->inp_fport;
	} else {
		error = EDESTADDRREQ;
		goto drop;
	}
	if (in6_is_v4mapped(dst)) {
		error = ENETUNREACH;
		goto drop;
	}
	if (scope == 0)
		scope = inp->inp_scope6;
	len = m->m_len;
	if (len > IPV6_MAXPACKET - sizeof(struct udphdr)) {
		error = EMSGSIZE;
		goto drop;
	}
	if (inp->inp_lport == 0 && (error = in6_pcbbind(inp,
	    inp->inp_laddr6.s6_addr, inp->inp_scope6, 0)) != 0)
		goto drop;
	memcpy(src, inp->inp_laddr6.s6_addr, 16);
	if (in6_is_unspecified(src) || in6_is_multicast(src)) {
		struct ifnet *ifp;
		struct rtentry *rt;
		uint8_t nh[16];

		if ((error = in6_route(ns, dst, scope, &ifp, nh, &rt)) != 0 ||
		    (error = in6_selectsrc(ns, dst, ifp, src)) != 0)
			goto drop;
	}
	if ((m = m_prepend(m, IP6_HDRLEN + sizeof(struct udphdr))) == NULL) {
		udp6_statinc(ns, UDP6_STAT_NOMEM);
		return ENOBUFS;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	memset(ip6, 0, IP6_HDRLEN);
	ip6->ip6_nxt = KIPPROTO_UDP;
	ip6->ip6_hlim = ip6_pcbhlim(ns, inp, dst);
	memcpy(ip6->ip6_src, src, 16);
	memcpy(ip6->ip6_dst, dst, 16);
	uh = m->m_data + IP6_HDRLEN;
	memcpy(uh, &inp->inp_lport, 2);
	memcpy(uh + 2, &dport, 2);
	be16enc(uh + 4, (uint16_t)(len + sizeof(struct udphdr)));
	{
		uint16_t psum = in_cksum_fold(in6_pseudo_sum(src, dst,
		    KIPPROTO_UDP, len + sizeof(struct udphdr)));

		memcpy(uh + 6, &psum, 2);
	}
	m->m_pkthdr.csum_flags = M_CSUM_UDPv6;
	m->m_pkthdr.csum_data = (IP6_HDRLEN << 16) | UDP_CSUM_OFFSET;
	error = ip6_output(ns, m, in6_is_scoped(dst) ? scope : 0, 0);
	if (error == 0)
		udp6_statinc(ns, UDP6_STAT_OPACKETS);
	return error;

drop:
	m_freem(m);
	return error;
}

static int
udp6_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	if (so->so_pcb == NULL)
		return EINVAL;
	return ip6_ctloutput(so->so_pcb, set, level, name, val, lenp);
}

static const struct protosw udp6_protosw = {
	.pr_type = KSOCK_DGRAM,
	.pr_domain = AF_INET6,
	.pr_protocol = KIPPROTO_UDP,
	.pr_flags = PR_ATOMIC | PR_ADDR,
	.pr_attach = udp6_attach,
	.pr_detach = in_pcbdetach,
	.pr_bind = udp6_bind,
	.pr_listen = udp6_listen,
	.pr_connect = udp6_connect,
	.pr_disconnect = udp6_disconnect,
	.pr_shutdown = udp6_shutdown,
	.pr_send = udp6_send,
	.pr_sockaddr = in6_pcb_sockaddr,
	.pr_peeraddr = in6_pcb_peeraddr,
	.pr_ctloutput = udp6_ctloutput,
};

int
udp6_init(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);
	int rv;

	if (udp_state(ns) == NULL)
		return 0;	/* no UDP module: no UDP over IPv6 */
	if ((rv = sysctl_add_counters(ns, "net.inet6.udp6.stats",
	    udp6_stat_names, ip6s->ip6s_udpstats, UDP6_NSTATS)) != 0 ||
	    (rv = ip6_proto_register(ns, KIPPROTO_UDP, udp6_input,
	    udp6_ctlinput)) != 0 ||
	    (rv = proto_register(ns, &udp6_protosw, true)) != 0)
		return rv;
	ip6s->ip6s_udpregistered = true;
	return 0;
}

void
udp6_fini(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);

	if (ip6s->ip6s_udpregistered)
		proto_unregister(ns, &udp6_protosw);
	ip6s->ip6s_udpregistered = false;
	(void)ip6_proto_register(ns, KIPPROTO_UDP, NULL, NULL);
	sysctl_remove_prefix(ns, "net.inet6.udp6");
}
