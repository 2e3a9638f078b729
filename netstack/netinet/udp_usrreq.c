/*
 * udp_usrreq.c -- UDP over IPv4 (RFC 768, RFC 1122 4.1): input,
 * output, ICMP error reports, and the SOCK_DGRAM protocol switch.
 *
 * Checksums are always sent (a computed 0 goes out as 0xffff) and
 * always deferred to ip_output, which hands them to the interface or
 * finishes them in software (mbuf.h).  On receive a zero checksum means
 * none was sent.  Port unreachable answers unicast datagrams nobody
 * listens for, never broadcasts (RFC 1122 4.1.3.1).  Sending to a
 * broadcast address needs SO_BROADCAST (EACCES otherwise).  ICMP hard
 * errors are reported on connected sockets only (as Linux does without
 * IP_RECVERR).  As in Linux, sendto() on a connected socket may name
 * another destination, connect() replaces an association and
 * connect(AF_UNSPEC) dissolves it, giving back an address and port the
 * kernel chose.
 */
#include "netstack/netinet/udp_var.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"

const char *const udp_stat_names[UDP_NSTATS] = {
	[UDP_STAT_IPACKETS] = "ipackets",
	[UDP_STAT_HDROPS] = "hdrops",
	[UDP_STAT_BADLEN] = "badlen",
	[UDP_STAT_BADSUM] = "badsum",
	[UDP_STAT_NOSUM] = "nosum",
	[UDP_STAT_NOPORT] = "noport",
	[UDP_STAT_NOPORTBCAST] = "noportbcast",
	[UDP_STAT_FULLSOCK] = "fullsock",
	[UDP_STAT_NOMEM] = "nomem",
	[UDP_STAT_DELIVERED] = "delivered",
	[UDP_STAT_OPACKETS] = "opackets",
};

static void
udp_statinc(struct netstack *ns, enum udp_stat s)
{
	udp_state(ns)->uds_stats[s]++;
}

/*
 * Queue a datagram (m starts at the IP header) to inp's socket, with
 * the sender's address.  m is consumed.
 */
static void
udp_append(struct netstack *ns, struct inpcb *inp, struct mbuf *m,
    unsigned hlen, uint32_t src, uint16_t sport)
{
	struct socket *so = inp->inp_socket;
	struct ksockaddr_storage from;
	size_t fromlen;

	if (so == NULL) {
		udp_statinc(ns, UDP_STAT_FULLSOCK);
		m_freem(m);
		return;
	}
	if (inp->inp_af == AF_INET6) {
		/* Dual-stack socket: the sender as ::ffff:a.b.c.d. */
		struct ksockaddr_in6 sin6;

		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = sport;
		sin6.sin6_addr.s6_addr[10] = 0xff;
		sin6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&sin6.sin6_addr.s6_addr[12], &src, 4);
		memset(&from, 0, sizeof(from));
		memcpy(&from, &sin6, sizeof(sin6));
		fromlen = sizeof(sin6);
	} else {
		fromlen = in_sockaddr_fill(&from, src, sport);
	}
	m_adj(m, (int)(hlen + sizeof(struct udphdr)));
	m->m_pkthdr.csum_flags = 0;
	if (sbappendaddr(&so->so_rcv, (const struct ksockaddr *)&from, fromlen,
	    m) != 0) {
		udp_statinc(ns, UDP_STAT_FULLSOCK);
		return;
	}
	udp_statinc(ns, UDP_STAT_DELIVERED);
	sorwakeup(so);
}

/* Is the UDP checksum of a received datagram good (or absent)? */
static bool
udp_cksum_ok(struct netstack *ns, const struct mbuf *m, const struct ip *ip,
    const struct udphdr *uh, unsigned ulen)
{
	const struct ifnet *ifp = m->m_pkthdr.rcvif;
	uint32_t sum;

	if (uh->uh_sum == 0) {
		udp_statinc(ns, UDP_STAT_NOSUM);
		return true;
	}
	if (ifp != NULL && (ifp->if_csum_flags_rx & M_CSUM_UDPv4) &&
	    (m->m_pkthdr.csum_flags & M_CSUM_UDPv4))
		return !(m->m_pkthdr.csum_flags & M_CSUM_TCP_UDP_BAD);
	sum = in_pseudo_sum(ip->ip_src, ip->ip_dst, KIPPROTO_UDP,
	    (uint16_t)ulen);
	sum = in_cksum_add(sum, uh, ulen);
	return in_cksum_fold(sum) == 0xffff;
}

static void
udp_input(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct udp_state *uds = udp_state(ns);
	const struct ip *ip = mtod(m, const struct ip *);
	const struct ifnet *ifp = m->m_pkthdr.rcvif;
	const struct udphdr *uh;
	uint32_t src = ip->ip_src, dst = ip->ip_dst;
	uint16_t sport, dport;
	unsigned ulen;
	struct inpcb *inp;

	KASSERT(klock_held(&ns->ns_klock));
	udp_statinc(ns, UDP_STAT_IPACKETS);
	if (m->m_len < hlen + sizeof(struct udphdr)) {
		udp_statinc(ns, UDP_STAT_HDROPS);
		goto drop;
	}
	uh = (const struct udphdr *)(m->m_data + hlen);
	ulen = ntohs(uh->uh_ulen);
	if (ulen < sizeof(struct udphdr) || ulen > m->m_len - hlen) {
		udp_statinc(ns, UDP_STAT_BADLEN);
		goto drop;
	}
	if (!udp_cksum_ok(ns, m, ip, uh, ulen)) {
		udp_statinc(ns, UDP_STAT_BADSUM);
		goto drop;
	}
	if (ulen < m->m_len - hlen)	/* RFC 768: octets past uh_ulen */
		m_adj(m, -(int)(m->m_len - hlen - ulen));
	sport = uh->uh_sport;
	dport = uh->uh_dport;

	if ((m->m_flags & (M_BCAST | M_MCAST)) || dst == KINADDR_BROADCAST ||
	    in_multicast(dst) || (ifp != NULL && in_broadcast(dst, ifp))) {
		/* A copy for every socket that accepts it. */
		struct inpcb *last = NULL;

		for (inp = in_pcbfirst(&uds->uds_table); inp != NULL;
		    inp = inp->inp_next) {
			struct mbuf *n;

			if (!in_pcbaccepts(inp, src, sport, dst, dport))
				continue;
			if (last != NULL) {
				if ((n = m_dup(m)) == NULL)
					udp_statinc(ns, UDP_STAT_NOMEM);
				else
					udp_append(ns, last, n, hlen, src,
					    sport);
			}
			last = inp;
		}
		if (last == NULL) {
			udp_statinc(ns, UDP_STAT_NOPORTBCAST);
			goto drop;
		}
		udp_append(ns, last, m, hlen, src, sport);
		return;
	}

	inp = in_pcblookup(&uds->uds_table, src, sport, dst, dport, true);
	if (inp == NULL) {
		udp_statinc(ns, UDP_STAT_NOPORT);
		icmp_error(ns, m, ICMP_UNREACH, ICMP_UNREACH_PORT, 0);
		return;
	}
	udp_append(ns, inp, m, hlen, src, sport);
	return;

drop:
	m_freem(m);
}

static void
udp_ctlinput(struct netstack *ns, const struct ip_ctlmsg *cm)
{
	uint16_t sport, dport;

	if (cm->icm_error == 0 || !cm->icm_hard || cm->icm_l4len < 4)
		return;
	memcpy(&sport, cm->icm_l4, 2);
	memcpy(&dport, cm->icm_l4 + 2, 2);
	(void)in_pcbnotify(&udp_state(ns)->uds_table, cm->icm_dst, dport,
	    cm->icm_src, sport, cm->icm_error, NULL);
}

/* ------------------------------------------------------ socket calls */

static struct inpcb *
udp_pcb(struct socket *so)
{
	return so->so_pcb;
}

static int
udp_attach(struct socket *so, int proto)
{
	struct inpcb *inp;

	if (proto != 0 && proto != KIPPROTO_UDP)
		return EPROTONOSUPPORT;
	return in_pcballoc(&udp_state(so->so_ns)->uds_table, so, AF_INET,
	    &inp);
}

static int
udp_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = udp_pcb(so);
	uint32_t addr;
	uint16_t port;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, false,
	    NULL)) != 0)
		return error;
	return in_pcbbind(inp, addr, port);
}

static int
udp_listen(struct socket *so, int backlog)
{
	return EOPNOTSUPP;
}

/* Is addr a broadcast destination (as ip_output will judge it)? */
static bool
udp_isbroadcast(struct netstack *ns, uint32_t addr)
{
	struct rtentry *rt;

	if (addr == KINADDR_BROADCAST)
		return true;
	if ((rt = rt_lookup(ns, AF_INET, &addr)) == NULL)
		return false;
	return (rt->rt_flags & RTF_BROADCAST) ||
	    (rt->rt_ifp != NULL && in_broadcast(addr, rt->rt_ifp));
}

static int
udp_disconnect(struct socket *so)
{
	struct inpcb *inp = udp_pcb(so);

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_faddr == KINADDR_ANY && inp->inp_fport == 0)
		return ENOTCONN;
	in_pcbdisconnect(inp);
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
udp_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = udp_pcb(so);
	uint32_t addr;
	uint16_t port;
	bool unspec;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, true,
	    &unspec)) != 0)
		return error;
	/* A new connect replaces the old one; AF_UNSPEC only dissolves. */
	if (inp->inp_faddr != KINADDR_ANY || inp->inp_fport != 0) {
		in_pcbdisconnect(inp);
		so->so_state &= ~SS_ISCONNECTED;
	}
	if (unspec)
		return 0;
	if (!(so->so_options & SO_OPT_BROADCAST) &&
	    udp_isbroadcast(so->so_ns, addr))
		return EACCES;
	if ((error = in_pcbconnect(inp, addr, port, NULL)) != 0)
		return error;
	soisconnected(so);
	return 0;
}

static int
udp_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
udp_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct netstack *ns = so->so_ns;
	struct inpcb *inp = udp_pcb(so);
	struct rtentry *rt = NULL;
	uint32_t dst, src, len;
	uint16_t dport;
	struct ip *ip;
	struct udphdr *uh;
	int error;

	if (inp == NULL) {
		error = EINVAL;
		goto drop;
	}
	if (nam != NULL) {
		if ((error = in_sockaddr_parse(nam, namlen, &dst, &dport,
		    false, NULL)) != 0)
			goto drop;
		if (dport == 0) {
			error = EINVAL;
			goto drop;
		}
	} else if (inp->inp_fport != 0) {
		dst = inp->inp_faddr;
		dport = inp->inp_fport;
	} else {
		error = EDESTADDRREQ;
		goto drop;
	}
	len = m->m_len;
	if (len > UDP_MAXPAYLOAD) {
		error = EMSGSIZE;
		goto drop;
	}
	if (inp->inp_lport == 0 &&
	    (error = in_pcbbind(inp, inp->inp_laddr, 0)) != 0)
		goto drop;

	/*
	 * The source: the bound address, else chosen by route (the
	 * pseudo-header needs it now).  The limited broadcast needs a
	 * bound address or a route (a default one will do).
	 */
	src = inp->inp_laddr;
	if (src == KINADDR_ANY || in_multicast(src) ||
	    src == KINADDR_BROADCAST) {
		if ((error = in_selectsrc(ns, dst, &src, &rt)) != 0)
			goto drop;
	}

	if ((m = m_prepend(m, IP_MINHLEN + sizeof(*uh))) == NULL) {
		udp_statinc(ns, UDP_STAT_NOMEM);
		return ENOBUFS;
	}
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN);
	ip->ip_tos = inp->inp_tos;
	ip->ip_ttl = ip_pcbttl(ns, inp, dst);
	ip->ip_p = KIPPROTO_UDP;
	ip->ip_src = src;
	ip->ip_dst = dst;
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = inp->inp_lport;
	uh->uh_dport = dport;
	uh->uh_ulen = htons((uint16_t)(len + sizeof(*uh)));
	uh->uh_sum = 0;
	/* Deferred checksum: the pseudo-header sum (mbuf.h). */
	uh->uh_sum = in_cksum_fold(in_pseudo_sum(src, dst, KIPPROTO_UDP,
	    (uint16_t)(len + sizeof(*uh))));
	m->m_pkthdr.csum_flags = M_CSUM_UDPv4;
	m->m_pkthdr.csum_data = (IP_MINHLEN << 16) | UDP_CSUM_OFFSET;
	error = ip_output(ns, m, rt,
	    (so->so_options & SO_OPT_BROADCAST) ? IP_ALLOWBROADCAST : 0);
	if (error == 0)
		udp_statinc(ns, UDP_STAT_OPACKETS);
	return error;

drop:
	m_freem(m);
	return error;
}

static int
udp_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct inpcb *inp = udp_pcb(so);

	if (inp == NULL)
		return EINVAL;
	return ip_ctloutput(inp, set, level, name, val, lenp);
}

static const struct protosw udp_protosw = {
	.pr_type = KSOCK_DGRAM,
	.pr_domain = AF_INET,
	.pr_protocol = KIPPROTO_UDP,
	.pr_flags = PR_ATOMIC | PR_ADDR,
	.pr_attach = udp_attach,
	.pr_detach = in_pcbdetach,
	.pr_bind = udp_bind,
	.pr_listen = udp_listen,
	.pr_connect = udp_connect,
	.pr_disconnect = udp_disconnect,
	.pr_shutdown = udp_shutdown,
	.pr_send = udp_send,
	.pr_sockaddr = in_pcb_sockaddr,
	.pr_peeraddr = in_pcb_peeraddr,
	.pr_ctloutput = udp_ctloutput,
};

/* ------------------------------------------------------------ module */

int
udp_init(struct netstack *ns)
{
	struct udp_state *uds;
	int rv;

	uds = kmem_zalloc(sizeof(*uds));
	ns->ns_mod[NSMOD_UDP] = uds;
	in_pcbtable_init(&uds->uds_table, ns, "udp");
	if ((rv = sysctl_add_counters(ns, "net.inet.udp.stats",
	    udp_stat_names, uds->uds_stats, UDP_NSTATS)) != 0 ||
	    (rv = ip_proto_register(ns, KIPPROTO_UDP, udp_input,
	    udp_ctlinput)) != 0)
		return rv;
	if ((rv = proto_register(ns, &udp_protosw, true)) != 0)
		return rv;
	uds->uds_registered = true;
	return 0;
}

void
udp_fini(struct netstack *ns)
{
	struct udp_state *uds = udp_state(ns);

	if (uds == NULL)
		return;
	if (uds->uds_registered)
		proto_unregister(ns, &udp_protosw);
	(void)ip_proto_register(ns, KIPPROTO_UDP, NULL, NULL);
	in_pcbtable_fini(&uds->uds_table);
	sysctl_remove_prefix(ns, "net.inet.udp");
	ns->ns_mod[NSMOD_UDP] = NULL;
	kmem_free(uds, sizeof(*uds));
}
