/*
 * raw_ip6.c -- raw IPv6 sockets (SOCK_RAW, AF_INET6), Linux semantics:
 * a socket opened for protocol P receives a copy of every packet of
 * upper-layer protocol P delivered to this host, WITHOUT the IPv6
 * header and extension headers (ICMPv6 messages after ICMPv6 checked
 * them), the sender in a sockaddr_in6 with the zone of link-local
 * sources.  Sending: the application gives the upper-layer message, the
 * kernel adds the IPv6 header; for IPPROTO_ICMPV6 it computes the
 * ICMPv6 checksum (offset 2), for others where IPV6_CHECKSUM says.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"

static const char *const raw6_stat_names[RAW6_NSTATS] = {
	[RAW6_STAT_IPACKETS] = "ipackets",
	[RAW6_STAT_FULLSOCK] = "fullsock",
	[RAW6_STAT_NOMEM] = "nomem",
	[RAW6_STAT_OPACKETS] = "opackets",
	[RAW6_STAT_BADSUM] = "badsum",
};

static void
rip6_statinc(struct netstack *ns, enum raw6_stat s)
{
	ip6_state(ns)->ip6s_rawstats[s]++;
}

bool
rip6_input(struct netstack *ns, const struct mbuf *m, unsigned off,
    uint8_t nxt)
{
	struct ip6_state *ip6s = ip6_state(ns);
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct ifnet *rcvif = m->m_pkthdr.rcvif;
	struct ksockaddr_storage from;
	size_t fromlen;
	bool matched = false;

	fromlen = in6_sockaddr_fill(&from, ip6->ip6_src, 0,
	    rcvif != NULL ? rcvif->if_index : 0);
	for (struct inpcb *inp = in_pcbfirst(&ip6s->ip6s_rawtable);
	    inp != NULL; inp = inp->inp_next) {
		struct socket *so = inp->inp_socket;
		struct mbuf *n;

		if (so == NULL || inp->inp_proto != nxt)
			continue;
		if (!in6_is_unspecified(inp->inp_laddr6.s6_addr) &&
		    memcmp(inp->inp_laddr6.s6_addr, ip6->ip6_dst, 16) != 0)
			continue;
		if (!in6_is_unspecified(inp->inp_faddr6.s6_addr) &&
		    memcmp(inp->inp_faddr6.s6_addr, ip6->ip6_src, 16) != 0)
			continue;
		if (inp->inp_cksum6 > 0 && nxt != KIPPROTO_ICMPV6) {
			size_t len = m->m_len - off;
			uint32_t sum = in6_pseudo_sum(ip6->ip6_src,
			    ip6->ip6_dst, nxt, (uint32_t)len);

			if ((size_t)inp->inp_cksum6 + 1 > len ||
			    in_cksum_fold(in_cksum_add(sum, m->m_data + off,
			    len)) != 0xffff) {
				rip6_statinc(ns, RAW6_STAT_BADSUM);
				continue;
			}
		}
		matched = true;
		if ((n = m_dup(m)) == NULL) {
			rip6_statinc(ns, RAW6_STAT_NOMEM);
			continue;
		}
		n->m_nextpkt = NULL;
		m_adj(n, (int)off);
		n->m_pkthdr.csum_flags = 0;
		if (sbappendaddr(&so->so_rcv, (const struct ksockaddr *)&from,
		    fromlen, n) != 0) {
			rip6_statinc(ns, RAW6_STAT_FULLSOCK);
			continue;
		}
		rip6_statinc(ns, RAW6_STAT_IPACKETS);
		sorwakeup(so);
	}
	return matched;
}

/* ------------------------------------------------------ socket calls */

static int
rip6_attach(struct socket *so, int proto)
{
	struct inpcb *inp;
	int error;

	if (proto <= 0 || proto > 255)
		return EPROTONOSUPPORT;
	error = in_pcballoc(&ip6_state(so->so_ns)->ip6s_rawtable, so,
	    AF_INET6, &inp);
	if (error != 0)
		return error;
	inp->inp_proto = proto;
	inp->inp_flags |= INP_V6ONLY;
	return 0;
}

static int
rip6_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
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
	if (!in6_is_unspecified(addr) && !in6_is_multicast(addr)) {
		struct in6_ifaddr *ia;

		if (in6_is_scoped(addr) && scope == 0)
			return EINVAL;
		ia = in6_ifaddr_lookup(so->so_ns, addr, scope);
		if (ia == NULL || (ia->ia_ifa.ifa_flags & IN6_IFF_DUPLICATED))
			return EADDRNOTAVAIL;
	}
	memcpy(inp->inp_laddr6.s6_addr, addr, 16);
	if (scope != 0)
		inp->inp_scope6 = scope;
	return 0;
}

static int
rip6_listen(struct socket *so, int backlog)
{
	return EOPNOTSUPP;
}

static int
rip6_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
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
	memcpy(inp->inp_faddr6.s6_addr, addr, 16);
	if (unspec) {
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	if (scope != 0)
		inp->inp_scope6 = scope;
	soisconnected(so);
	return 0;
}

static int
rip6_disconnect(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	if (in6_is_unspecified(inp->inp_faddr6.s6_addr))
		return ENOTCONN;
	memset(&inp->inp_faddr6, 0, sizeof(inp->inp_faddr6));
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
rip6_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
rip6_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct netstack *ns = so->so_ns;
	struct inpcb *inp = so->so_pcb;
	struct ip6_hdr *ip6;
	uint8_t dst[16];
	uint16_t port;
	unsigned scope = 0, len, cko = 0;
	int error;

	if (inp == NULL) {
		error = EINVAL;
		goto drop;
	}
	if (nam != NULL) {
		if ((error = in6_sockaddr_parse(nam, namlen, dst, &port,
		    &scope, false, NULL)) != 0)
			goto drop;
	} else if (!in6_is_unspecified(inp->inp_faddr6.s6_addr)) {
		memcpy(dst, inp->inp_faddr6.s6_addr, 16);
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
	if (len > IPV6_MAXPACKET) {
		error = EMSGSIZE;
		goto drop;
	}
	/* cko: offset of the checksum + 1, 0 = none. */
	if (inp->inp_proto == KIPPROTO_ICMPV6)
		cko = 3;
	else if (inp->inp_cksum6 > 0)
		cko = (unsigned)inp->inp_cksum6;
	if (cko != 0 && len < cko + 1) {
		error = EINVAL;
		goto drop;
	}
	if ((m = m_prepend(m, IP6_HDRLEN)) == NULL) {
		rip6_statinc(ns, RAW6_STAT_NOMEM);
		return ENOBUFS;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	memset(ip6, 0, IP6_HDRLEN);
	ip6->ip6_nxt = (uint8_t)inp->inp_proto;
	ip6->ip6_hlim = ip6_pcbhlim(ns, inp, dst);
	memcpy(ip6->ip6_dst, dst, 16);
	if (!in6_is_multicast(inp->inp_laddr6.s6_addr))
		memcpy(ip6->ip6_src, inp->inp_laddr6.s6_addr, 16);
	if (cko != 0) {
		/* The checksum needs the source: choose it now. */
		uint8_t *ck = m->m_data + IP6_HDRLEN + cko - 1;
		uint32_t sum;
		uint16_t v;

		if (in6_is_unspecified(ip6->ip6_src)) {
			struct ifnet *ifp;
			struct rtentry *rt;
			uint8_t nh[16];

			if ((error = in6_route(ns, dst, scope, &ifp, nh,
			    &rt)) != 0 ||
			    (error = in6_selectsrc(ns, dst, ifp,
			    ip6->ip6_src)) != 0)
				goto drop;
		}
		memset(ck, 0, 2);
		sum = in6_pseudo_sum(ip6->ip6_src, ip6->ip6_dst,
		    (uint8_t)inp->inp_proto, len);
		v = (uint16_t)~in_cksum_fold(in_cksum_add(sum,
		    m->m_data + IP6_HDRLEN, len));
		memcpy(ck, &v, 2);
	}
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	if ((error = ip6_output(ns, m, in6_is_scoped(dst) ||
	    in6_is_linklocal(inp->inp_laddr6.s6_addr) ? scope : 0, 0)) == 0)
		rip6_statinc(ns, RAW6_STAT_OPACKETS);
	return error;

drop:
	m_freem(m);
	return error;
}

static int
rip6_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	if (so->so_pcb == NULL)
		return EINVAL;
	return ip6_ctloutput(so->so_pcb, set, level, name, val, lenp);
}

#define RIP6_PROTOSW(proto) {					\
	.pr_type = KSOCK_RAW,					\
	.pr_domain = AF_INET6,					\
	.pr_protocol = (proto),					\
	.pr_flags = PR_ATOMIC | PR_ADDR,			\
	.pr_attach = rip6_attach,				\
	.pr_detach = in_pcbdetach,				\
	.pr_bind = rip6_bind,					\
	.pr_listen = rip6_listen,				\
	.pr_connect = rip6_connect,				\
	.pr_disconnect = rip6_disconnect,			\
	.pr_shutdown = rip6_shutdown,				\
	.pr_send = rip6_send,					\
	.pr_sockaddr = in6_pcb_sockaddr,				\
	.pr_peeraddr = in6_pcb_peeraddr,				\
	.pr_ctloutput = rip6_ctloutput,				\
}

static const struct protosw rip6_protosw[] = {
	RIP6_PROTOSW(KIPPROTO_ICMPV6),
	RIP6_PROTOSW(KIPPROTO_UDP),
	RIP6_PROTOSW(KIPPROTO_TCP),
};

int
rip6_init(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);
	int rv;

	in_pcbtable_init(&ip6s->ip6s_rawtable, ns, "raw6");
	if ((rv = sysctl_add_counters(ns, "net.inet6.raw6.stats",
	    raw6_stat_names, ip6s->ip6s_rawstats, RAW6_NSTATS)) != 0)
		return rv;
	for (size_t i = 0; i < nitems(rip6_protosw); i++) {
		if ((rv = proto_register(ns, &rip6_protosw[i], false)) != 0)
			return rv;
		ip6s->ip6s_rawnproto++;
	}
	return 0;
}

void
rip6_fini(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);

	if (ip6s->ip6s_rawtable.inpt_ns == NULL)
		return;
	while (ip6s->ip6s_rawnproto > 0)
		proto_unregister(ns, &rip6_protosw[--ip6s->ip6s_rawnproto]);
	in_pcbtable_fini(&ip6s->ip6s_rawtable);
	sysctl_remove_prefix(ns, "net.inet6.raw6");
}
