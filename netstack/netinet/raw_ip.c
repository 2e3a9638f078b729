/*
 * raw_ip.c -- raw IPv4 sockets (SOCK_RAW), Linux semantics: a socket
 * opened for protocol P receives a copy of every datagram of protocol
 * P delivered to this host, IP header included (fields in network
 * order, as received; a reassembled datagram has its total length and
 * a zero offset).  ICMP messages are copied after ICMP has checked
 * them.  What the application sends is the payload, and the kernel
 * adds the IP header, unless IP_HDRINCL is on (always for
 * IPPROTO_RAW, whose sockets receive nothing): then the application's
 * header is sent with ip_len, and a zero ip_id or ip_src, filled in and
 * the header checksum computed.  The kernel never touches the payload
 * (ping computes its own ICMP checksum).
 */
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"

const char *const raw_stat_names[RAW_NSTATS] = {
	[RAW_STAT_IPACKETS] = "ipackets",
	[RAW_STAT_FULLSOCK] = "fullsock",
	[RAW_STAT_NOMEM] = "nomem",
	[RAW_STAT_OPACKETS] = "opackets",
	[RAW_STAT_BADHDR] = "badhdr",
};

static void
rip_statinc(struct netstack *ns, enum raw_stat s)
{
	ip_state(ns)->ips_rawstats[s]++;
}

bool
rip_input(struct netstack *ns, const struct mbuf *m, unsigned hlen)
{
	struct ip_state *ips = ip_state(ns);
	const struct ip *ip = mtod(m, const struct ip *);
	struct ksockaddr_storage from;
	size_t fromlen;
	bool matched = false;

	(void)hlen;
	fromlen = in_sockaddr_fill(&from, ip->ip_src, 0);
	for (struct inpcb *inp = in_pcbfirst(&ips->ips_rawtable); inp != NULL;
	    inp = inp->inp_next) {
		struct socket *so = inp->inp_socket;
		struct mbuf *n;

		if (so == NULL || inp->inp_proto != ip->ip_p ||
		    inp->inp_proto == KIPPROTO_RAW)
			continue;
		if (inp->inp_laddr != KINADDR_ANY &&
		    inp->inp_laddr != ip->ip_dst)
			continue;
		if (inp->inp_faddr != KINADDR_ANY &&
		    inp->inp_faddr != ip->ip_src)
			continue;
		matched = true;
		if ((n = m_dup(m)) == NULL) {
			rip_statinc(ns, RAW_STAT_NOMEM);
			continue;
		}
		n->m_nextpkt = NULL;
		if (sbappendaddr(&so->so_rcv, (const struct ksockaddr *)&from,
		    fromlen, n) != 0) {
			rip_statinc(ns, RAW_STAT_FULLSOCK);
			continue;
		}
		rip_statinc(ns, RAW_STAT_IPACKETS);
		sorwakeup(so);
	}
	return matched;
}

/* ------------------------------------------------------ socket calls */

static struct inpcb *
rip_pcb(struct socket *so)
{
	return so->so_pcb;
}

static int
rip_attach(struct socket *so, int proto)
{
	struct inpcb *inp;
	int error;

	if (proto <= 0 || proto > 255)
		return EPROTONOSUPPORT;
	error = in_pcballoc(&ip_state(so->so_ns)->ips_rawtable, so, AF_INET,
	    &inp);
	if (error != 0)
		return error;
	inp->inp_proto = proto;
	if (proto == KIPPROTO_RAW)
		inp->inp_flags |= INP_HDRINCL;
	return 0;
}

static int
rip_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = rip_pcb(so);
	uint32_t addr;
	uint16_t port;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, false,
	    NULL)) != 0)
		return error;
	if (addr != KINADDR_ANY && addr != KINADDR_BROADCAST &&
	    !in_multicast(addr) && !in_islocal(so->so_ns, addr))
		return EADDRNOTAVAIL;
	inp->inp_laddr = addr;
	return 0;
}

static int
rip_listen(struct socket *so, int backlog)
{
	return EOPNOTSUPP;
}

static int
rip_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = rip_pcb(so);
	uint32_t addr;
	uint16_t port;
	bool unspec;
	int error;

	if (inp == NULL)
		return EINVAL;
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, true,
	    &unspec)) != 0)
		return error;
	if (unspec) {
		inp->inp_faddr = KINADDR_ANY;
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	inp->inp_faddr = addr;
	soisconnected(so);
	return 0;
}

static int
rip_disconnect(struct socket *so)
{
	struct inpcb *inp = rip_pcb(so);

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_faddr == KINADDR_ANY)
		return ENOTCONN;
	inp->inp_faddr = KINADDR_ANY;
	so->so_state &= ~SS_ISCONNECTED;
	return 0;
}

static int
rip_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
rip_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct netstack *ns = so->so_ns;
	struct inpcb *inp = rip_pcb(so);
	uint32_t dst;
	uint16_t port;
	int ipflags = 0, error;
	struct ip *ip;

	if (inp == NULL) {
		error = EINVAL;
		goto drop;
	}
	if (nam != NULL) {
		if ((error = in_sockaddr_parse(nam, namlen, &dst, &port, false,
		    NULL)) != 0)
			goto drop;
	} else if (inp->inp_faddr != KINADDR_ANY) {
		dst = inp->inp_faddr;
	} else {
		error = EDESTADDRREQ;
		goto drop;
	}
	if (so->so_options & SO_OPT_BROADCAST)
		ipflags |= IP_ALLOWBROADCAST;

	if (inp->inp_flags & INP_HDRINCL) {
		unsigned hlen;

		if (m->m_len < IP_MINHLEN || m->m_len > IP_MAXPACKET) {
			rip_statinc(ns, RAW_STAT_BADHDR);
			error = EINVAL;
			goto drop;
		}
		ip = mtod(m, struct ip *);
		hlen = (unsigned)IP_VHL_HL(ip->ip_vhl) << 2;
		if (IP_VHL_V(ip->ip_vhl) != IPVERSION || hlen < IP_MINHLEN ||
		    hlen > m->m_len) {
			rip_statinc(ns, RAW_STAT_BADHDR);
			error = EINVAL;
			goto drop;
		}
		if (ip->ip_dst == KINADDR_ANY)
			ip->ip_dst = dst;
		ipflags |= IP_RAWOUTPUT;
	} else {
		if (m->m_len > IP_MAXPACKET - IP_MINHLEN) {
			error = EMSGSIZE;
			goto drop;
		}
		if ((m = m_prepend(m, IP_MINHLEN)) == NULL) {
			rip_statinc(ns, RAW_STAT_NOMEM);
			return ENOBUFS;
		}
		ip = mtod(m, struct ip *);
		memset(ip, 0, IP_MINHLEN);
		ip->ip_tos = inp->inp_tos;
		ip->ip_ttl = ip_pcbttl(ns, inp, dst);
		ip->ip_p = (uint8_t)inp->inp_proto;
		ip->ip_src = in_multicast(inp->inp_laddr) ||
		    inp->inp_laddr == KINADDR_BROADCAST ? KINADDR_ANY :
		    inp->inp_laddr;
		ip->ip_dst = dst;
	}
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	if ((error = ip_output(ns, m, NULL, ipflags)) == 0)
		rip_statinc(ns, RAW_STAT_OPACKETS);
	return error;

drop:
	m_freem(m);
	return error;
}

static int
rip_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct inpcb *inp = rip_pcb(so);

	if (inp == NULL)
		return EINVAL;
	return ip_ctloutput(inp, set, level, name, val, lenp);
}

#define RIP_PROTOSW(proto) {					\
	.pr_type = KSOCK_RAW,					\
	.pr_domain = AF_INET,					\
	.pr_protocol = (proto),					\
	.pr_flags = PR_ATOMIC | PR_ADDR,			\
	.pr_attach = rip_attach,				\
	.pr_detach = in_pcbdetach,				\
	.pr_bind = rip_bind,					\
	.pr_listen = rip_listen,				\
	.pr_connect = rip_connect,				\
	.pr_disconnect = rip_disconnect,			\
	.pr_shutdown = rip_shutdown,				\
	.pr_send = rip_send,					\
	.pr_sockaddr = in_pcb_sockaddr,				\
	.pr_peeraddr = in_pcb_peeraddr,				\
	.pr_ctloutput = rip_ctloutput,				\
}

/*
 * The protocols a raw socket may be opened for.  The socket layer
 * matches (domain, type, protocol) exactly, so each gets an entry.
 */
static const struct protosw rip_protosw[] = {
	RIP_PROTOSW(KIPPROTO_ICMP),
	RIP_PROTOSW(KIPPROTO_UDP),
	RIP_PROTOSW(KIPPROTO_TCP),
	RIP_PROTOSW(KIPPROTO_RAW),
};

/* ------------------------------------------------------------ module */

int
rip_init(struct netstack *ns)
{
	struct ip_state *ips = ip_state(ns);
	unsigned i;
	int rv;

	in_pcbtable_init(&ips->ips_rawtable, ns, "raw");
	if ((rv = sysctl_add_counters(ns, "net.inet.raw.stats",
	    raw_stat_names, ips->ips_rawstats, RAW_NSTATS)) != 0)
		return rv;
	for (i = 0; i < nitems(rip_protosw); i++) {
		if ((rv = proto_register(ns, &rip_protosw[i], false)) != 0)
			return rv;
		ips->ips_rawnproto++;
	}
	return 0;
}

void
rip_fini(struct netstack *ns)
{
	struct ip_state *ips = ip_state(ns);

	if (ips->ips_rawtable.inpt_ns == NULL)
		return;		/* never initialised */
	while (ips->ips_rawnproto > 0)
		proto_unregister(ns, &rip_protosw[--ips->ips_rawnproto]);
	in_pcbtable_fini(&ips->ips_rawtable);
	sysctl_remove_prefix(ns, "net.inet.raw");
}
