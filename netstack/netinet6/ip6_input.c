/*
 * ip6_input.c -- receiving IPv6 packets (RFC 8200): header checks,
 * the extension header chain (hop-by-hop, destination options, routing,
 * fragment), delivery by next header, forwarding (RFC 8200 3, RFC 4443
 * 3.1-3.3); and the ip6 module, which starts IPv6, ICMPv6, UDP over
 * IPv6 and raw IPv6 sockets together.
 *
 * Extension headers: at most net.inet6.ip6.maxexthdrs of them per
 * packet; hop-by-hop only right after the IPv6 header (parameter
 * problem otherwise); options are checked for length and acted on by
 * the two high bits of unknown types (skip, discard, discard and send a
 * parameter problem, the same unless to multicast); a routing header
 * with segments left is refused whatever its type (type 0 is
 * deprecated, RFC 5095, and no other type is supported); fragments are
 * reassembled (ip6_reass.c), atomic fragments (offset 0, M clear,
 * RFC 6946) are processed on their own.  Jumbograms are not supported.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"

const char *const ip6_stat_names[IP6_NSTATS] = {
	[IP6_STAT_TOTAL] = "total",
	[IP6_STAT_TOOSMALL] = "toosmall",
	[IP6_STAT_BADVERS] = "badvers",
	[IP6_STAT_TOOSHORT] = "tooshort",
	[IP6_STAT_BADADDR] = "badaddr",
	[IP6_STAT_BADSCOPE] = "badscope",
	[IP6_STAT_BADHDR] = "badhdr",
	[IP6_STAT_TOOMANYHDR] = "toomanyhdr",
	[IP6_STAT_BADOPTIONS] = "badoptions",
	[IP6_STAT_RTHDR0] = "rthdr",
	[IP6_STAT_HBHNOTFIRST] = "hbhnotfirst",
	[IP6_STAT_NONEXT] = "nonext",
	[IP6_STAT_FRAGMENTS] = "fragments",
	[IP6_STAT_ATOMICFRAGS] = "atomicfrags",
	[IP6_STAT_FRAGDROPPED] = "fragdropped",
	[IP6_STAT_FRAGDUP] = "fragdup",
	[IP6_STAT_FRAGOVERLAP] = "fragoverlap",
	[IP6_STAT_BADFRAGS] = "badfrags",
	[IP6_STAT_FRAGTIMEOUT] = "fragtimeout",
	[IP6_STAT_REASSEMBLED] = "reassembled",
	[IP6_STAT_DELIVERED] = "delivered",
	[IP6_STAT_NOPROTO] = "noproto",
	[IP6_STAT_FORWARD] = "forward",
	[IP6_STAT_CANTFORWARD] = "cantforward",
	[IP6_STAT_HLIMEXCEEDED] = "hlimexceeded",
	[IP6_STAT_NOROUTE] = "noroute",
	[IP6_STAT_TOOBIG] = "toobig",
	[IP6_STAT_LOCALOUT] = "localout",
	[IP6_STAT_ODROPPED] = "odropped",
	[IP6_STAT_FRAGMENTED] = "fragmented",
	[IP6_STAT_OFRAGMENTS] = "ofragments",
	[IP6_STAT_CANTFRAG] = "cantfrag",
};

int
ip6_proto_register(struct netstack *ns, uint8_t proto, ip6_input_fn input,
    ip6_ctlinput_fn ctlinput)
{
	struct ip6_protoent *pe = &ip6_state(ns)->ip6s_proto[proto];

	if (input != NULL && pe->ip6p_input != NULL)
		return EEXIST;
	pe->ip6p_input = input;
	pe->ip6p_ctlinput = ctlinput;
	return 0;
}

/*
 * The options of a hop-by-hop or destination header of hlen bytes at
 * off.  => true if the packet goes on; false if it was consumed
 * (dropped or answered with a parameter problem).
 */
static bool
ip6_options(struct netstack *ns, struct mbuf *m, unsigned off, unsigned hlen)
{
	const uint8_t *p = m->m_data;
	unsigned i = off + 2, end = off + hlen;

	while (i < end) {
		unsigned olen;
		uint8_t t = p[i];

		if (t == IP6OPT_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > end || i + 2 + p[i + 1] > end) {
			ip6_statinc(ns, IP6_STAT_BADOPTIONS);
			icmp6_error(ns, m, ICMP6_PARAM_PROB,
			    ICMP6_PARAMPROB_HEADER, i + 1 < end ? i + 1 : i);
			return false;
		}
		olen = 2u + p[i + 1];
		switch (t) {
		case IP6OPT_PADN:
		case IP6OPT_ROUTER_ALERT:
			break;
		default:
			switch (IP6OPT_TYPE(t)) {
			case IP6OPT_TYPE_SKIP:
				break;
			case IP6OPT_TYPE_DISCARD:
				ip6_statinc(ns, IP6_STAT_BADOPTIONS);
				m_freem(m);
				return false;
			case IP6OPT_TYPE_ICMP:
				if (in6_is_multicast(mtod(m, struct ip6_hdr *)->
				    ip6_dst)) {
					ip6_statinc(ns, IP6_STAT_BADOPTIONS);
					m_freem(m);
					return false;
				}
				/* FALLTHROUGH */
			default:
				ip6_statinc(ns, IP6_STAT_BADOPTIONS);
				icmp6_error(ns, m, ICMP6_PARAM_PROB,
				    ICMP6_PARAMPROB_OPTION, i);
				return false;
			}
		}
		i += olen;
	}
	return true;
}

/* Remove len bytes at off (an atomic fragment's header). */
static void
ip6_cut(struct mbuf *m, unsigned off, unsigned len)
{
	struct ip6_hdr *ip6;

	memmove(m->m_data + len, m->m_data, off);
	m_adj(m, (int)len);
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_plen = htons((uint16_t)(m->m_len - IP6_HDRLEN));
}

/*
 * Walk the extension headers from off (the header whose type is nxt,
 * named by the byte at nxtoff) and deliver.  m is consumed.
 */
static void
ip6_deliver(struct netstack *ns, struct mbuf *m, unsigned off, uint8_t nxt,
    unsigned nxtoff, unsigned nhdrs)
{
	struct ip6_state *ip6s = ip6_state(ns);
	const struct ip6_protoent *pe;
	unsigned hlen;
	bool claimed;

	for (;;) {
		if (nxt == KIPPROTO_HOPOPTS || nxt == KIPPROTO_DSTOPTS ||
		    nxt == KIPPROTO_ROUTING || nxt == KIPPROTO_FRAGMENT) {
			if (++nhdrs > (unsigned)ip6s->ip6s_maxexthdrs) {
				ip6_statinc(ns, IP6_STAT_TOOMANYHDR);
				goto drop;
			}
			if (m->m_len < off + 8) {
				ip6_statinc(ns, IP6_STAT_BADHDR);
				goto drop;
			}
		}
		switch (nxt) {
		case KIPPROTO_HOPOPTS:
			ip6_statinc(ns, IP6_STAT_HBHNOTFIRST);
			icmp6_error(ns, m, ICMP6_PARAM_PROB,
			    ICMP6_PARAMPROB_NEXTHEADER, nxtoff);
			return;
		case KIPPROTO_DSTOPTS:
			hlen = ((unsigned)m->m_data[off + 1] + 1) * 8;
			if (m->m_len < off + hlen) {
				ip6_statinc(ns, IP6_STAT_BADHDR);
				goto drop;
			}
			if (!ip6_options(ns, m, off, hlen))
				return;
			nxtoff = off;
			nxt = m->m_data[off];
			off += hlen;
			continue;
		case KIPPROTO_ROUTING:
			hlen = ((unsigned)m->m_data[off + 1] + 1) * 8;
			if (m->m_len < off + hlen) {
				ip6_statinc(ns, IP6_STAT_BADHDR);
				goto drop;
			}
			if (m->m_data[off + 3] != 0) {
				/* Segments left: type 0 (RFC 5095) or a type
				 * we do not know (RFC 8200 4.4). */
				ip6_statinc(ns, IP6_STAT_RTHDR0);
				icmp6_error(ns, m, ICMP6_PARAM_PROB,
				    ICMP6_PARAMPROB_HEADER, off + 2);
				return;
			}
			nxtoff = off;
			nxt = m->m_data[off];
			off += hlen;
			continue;
		case KIPPROTO_FRAGMENT: {
			uint16_t offlg = be16dec(m->m_data + off + 2);

			ip6_statinc(ns, IP6_STAT_FRAGMENTS);
			if ((offlg & (IP6F_OFF_MASK | IP6F_MORE_FRAG)) == 0) {
				/* Atomic fragment: no reassembly needed. */
				ip6_statinc(ns, IP6_STAT_ATOMICFRAGS);
				nxt = m->m_data[off];
				m->m_data[nxtoff] = nxt;
				ip6_cut(m, off, 8);
				continue;
			}
			if ((m = frag6_input(ns, m, off, nxtoff)) == NULL)
				return;
			nxt = m->m_data[nxtoff];
			continue;
		}
		case KIPPROTO_NONE:
			ip6_statinc(ns, IP6_STAT_NONEXT);
			goto drop;
		default:
			break;
		}
		break;
	}

	if (m->m_len < off) {
		ip6_statinc(ns, IP6_STAT_BADHDR);
		goto drop;
	}
	pe = &ip6s->ip6s_proto[nxt];
	claimed = nxt != KIPPROTO_ICMPV6 && rip6_input(ns, m, off, nxt);
	if (pe->ip6p_input != NULL) {
		ip6_statinc(ns, IP6_STAT_DELIVERED);
		(*pe->ip6p_input)(ns, m, off);
		return;
	}
	if (claimed) {
		ip6_statinc(ns, IP6_STAT_DELIVERED);
		goto drop;
	}
	ip6_statinc(ns, IP6_STAT_NOPROTO);
	icmp6_error(ns, m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER,
	    nxtoff);
	return;

drop:
	m_freem(m);
}

/*
 * Forward a packet that is not ours.  Errors quote it as received, so
 * they go before the hop limit changes.  m is consumed.
 */
static void
ip6_forward(struct netstack *ns, struct mbuf *m)
{
	struct ip6_hdr *ip6 = mtod(m, struct ip6_hdr *);
	struct ifnet *rcvif = m->m_pkthdr.rcvif, *ifp;
	struct rtentry *rt;
	uint8_t nh[16];
	uint32_t mtu;
	int error;

	/* Scoped destinations never leave their zone. */
	if (in6_is_scoped(ip6->ip6_dst) || in6_is_multicast(ip6->ip6_dst)) {
		ip6_statinc(ns, IP6_STAT_CANTFORWARD);
		goto drop;
	}
	if (ip6->ip6_hlim <= 1) {
		ip6_statinc(ns, IP6_STAT_HLIMEXCEEDED);
		icmp6_error(ns, m, ICMP6_TIME_EXCEEDED,
		    ICMP6_TIME_EXCEED_TRANSIT, 0);
		return;
	}
	error = in6_route(ns, ip6->ip6_dst, 0, &ifp, nh, &rt);
	if (error != 0) {
		ip6_statinc(ns, IP6_STAT_NOROUTE);
		icmp6_error(ns, m, ICMP6_DST_UNREACH, error == EHOSTUNREACH ?
		    ICMP6_DST_UNREACH_REJECT : ICMP6_DST_UNREACH_NOROUTE, 0);
		return;
	}
	if (rt != NULL && (rt->rt_flags & RTF_BLACKHOLE)) {
		ip6_statinc(ns, IP6_STAT_NOROUTE);
		goto drop;
	}
	/* A link-local source stays on its link (RFC 4443 3.1 code 2). */
	if (in6_is_linklocal(ip6->ip6_src) && ifp != rcvif) {
		ip6_statinc(ns, IP6_STAT_BADSCOPE);
		icmp6_error(ns, m, ICMP6_DST_UNREACH,
		    ICMP6_DST_UNREACH_BEYONDSCOPE, 0);
		return;
	}
	mtu = ip6_pmtu(ns, ip6->ip6_dst, 0);
	if (ifp->if_mtu < mtu)
		mtu = ifp->if_mtu;
	if (m->m_len > mtu) {
		ip6_statinc(ns, IP6_STAT_TOOBIG);
		icmp6_error(ns, m, ICMP6_PACKET_TOO_BIG, 0, mtu);
		return;
	}
	ip6->ip6_hlim--;
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	m->m_pkthdr.rcvif = NULL;
	m->m_flags &= ~(M_BCAST | M_MCAST | M_PROMISC | M_LOOP);
	ip6_statinc(ns, IP6_STAT_FORWARD);
	(void)ip6_output(ns, m, 0, IPV6_FORWARDING);
	return;

drop:
	m_freem(m);
}

/*
 * A frame of type ETHERTYPE_IPV6 arrived (Ethernet header removed,
 * rcvif set), or a packet looped through lo0.  m is consumed.
 */
void
ip6_input(struct netstack *ns, struct mbuf *m)
{
	struct ip6_state *ip6s = ip6_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ip6_hdr *ip6;
	unsigned plen, off = IP6_HDRLEN, nxtoff = IP6_NXT_OFF;
	uint8_t nxt;
	bool ours;

	if (ip6s == NULL) {
		m_freem(m);
		return;
	}
	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ifp != NULL);
	ip6s->ip6s_stats[IP6_STAT_TOTAL]++;
	if (m->m_len < IP6_HDRLEN) {
		ip6_statinc(ns, IP6_STAT_TOOSMALL);
		goto drop;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	if ((m->m_data[0] & IPV6_VERSION_MASK) != IPV6_VERSION) {
		ip6_statinc(ns, IP6_STAT_BADVERS);
		goto drop;
	}
	plen = ntohs(ip6->ip6_plen);
	if (plen == 0 || plen > m->m_len - IP6_HDRLEN) {
		/* plen 0 would be a jumbogram: not supported. */
		ip6_statinc(ns, IP6_STAT_TOOSHORT);
		goto drop;
	}
	if (m->m_len > IP6_HDRLEN + plen) {
		m_adj(m, (int)(IP6_HDRLEN + plen) - (int)m->m_len);
		m->m_pkthdr.csum_flags &= ~(M_CSUM_TCPv6 | M_CSUM_UDPv6 |
		    M_CSUM_TCP_UDP_BAD);
	}
	/* RFC 4291 2.5.2, 2.5.3, 2.5.5.2, 2.7: sources are unicast,
	 * loopback stays on lo0, v4-mapped never on a wire. */
	if (in6_is_multicast(ip6->ip6_src) || in6_is_unspecified(ip6->ip6_dst) ||
	    in6_is_v4mapped(ip6->ip6_src) || in6_is_v4mapped(ip6->ip6_dst) ||
	    (!(ifp->if_flags & IFF_LOOPBACK) &&
	    (in6_is_loopback(ip6->ip6_src) || in6_is_loopback(ip6->ip6_dst))) ||
	    (in6_is_multicast(ip6->ip6_dst) && in6_mc_scope(ip6->ip6_dst) <= 1 &&
	    !(ifp->if_flags & IFF_LOOPBACK))) {
		ip6_statinc(ns, IP6_STAT_BADADDR);
		goto drop;
	}
	/* A unicast packet in a link multicast is bogus. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) &&
	    !in6_is_multicast(ip6->ip6_dst)) {
		ip6_statinc(ns, IP6_STAT_BADADDR);
		goto drop;
	}

	/* Multicast: every group is accepted (no listener filter). */
	if (in6_is_multicast(ip6->ip6_dst))
		ours = true;
	else if (ifp->if_flags & IFF_LOOPBACK)
		ours = in6_is_loopback(ip6->ip6_dst) ||
		    in6_islocal(ns, ip6->ip6_dst, 0) ||
		    (in6_is_linklocal(ip6->ip6_dst) &&
		    in6_addr_zone(ns, ip6->ip6_dst) != 0);
	else
		ours = in6_islocal(ns, ip6->ip6_dst, ifp->if_index);

	nxt = ip6->ip6_nxt;
	if (nxt == KIPPROTO_HOPOPTS) {
		unsigned hlen;

		if (m->m_len < off + 8 ||
		    m->m_len < off + (hlen = ((unsigned)m->m_data[off + 1] + 1) *
		    8)) {
			ip6_statinc(ns, IP6_STAT_BADHDR);
			goto drop;
		}
		if (!ip6_options(ns, m, off, hlen))
			return;
		nxtoff = off;
		nxt = m->m_data[off];
		off += hlen;
	}
	if (!ours) {
		if (!ip6s->ip6s_forwarding || (m->m_flags & M_LOOP)) {
			ip6_statinc(ns, IP6_STAT_CANTFORWARD);
			goto drop;
		}
		ip6_forward(ns, m);
		return;
	}
	ip6_deliver(ns, m, off, nxt, nxtoff, off > IP6_HDRLEN ? 1 : 0);
	return;

drop:
	m_freem(m);
}

/* ------------------------------------------------------------ module */

static void ip6_modfini(struct netstack *);

static int
ip6_modinit(struct netstack *ns)
{
	struct ip6_state *ip6s;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	ip6s = kmem_zalloc(sizeof(*ip6s));
	ns->ns_mod[NSMOD_IP6] = ip6s;
	ip6s->ip6s_forwarding = 0;
	ip6s->ip6s_hlim = IPV6_DEFHLIM;
	ip6s->ip6s_maxfragpackets = 200;
	ip6s->ip6s_maxfrags = 64;
	ip6s->ip6s_maxfragbytes = 4 * 1024 * 1024;
	ip6s->ip6s_maxexthdrs = 10;
	ip6s->ip6s_pmtu_expire = 600;	/* RFC 8201 5.3: 10 minutes */
	ip6s->ip6s_fragid = cprng_u32();
	if ((rv = sysctl_add_int(ns, "net.inet6.ip6.forwarding", SYSCTL_RW,
	    &ip6s->ip6s_forwarding, 0, 1, "forward packets not for us")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.hlim", SYSCTL_RW,
	    &ip6s->ip6s_hlim, 1, 255, "default hop limit")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.maxfragpackets", SYSCTL_RW,
	    &ip6s->ip6s_maxfragpackets, 0, INT32_MAX,
	    "packets in reassembly at once")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.maxfrags", SYSCTL_RW,
	    &ip6s->ip6s_maxfrags, 1, INT32_MAX,
	    "fragments per packet")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.maxfragbytes", SYSCTL_RW,
	    &ip6s->ip6s_maxfragbytes, 0, INT32_MAX,
	    "bytes held for reassembly")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.maxexthdrs", SYSCTL_RW,
	    &ip6s->ip6s_maxexthdrs, 1, 64,
	    "extension headers per packet")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.pmtu_expire", SYSCTL_RW,
	    &ip6s->ip6s_pmtu_expire, 1, 86400,
	    "seconds a learnt path MTU is kept")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet6.ip6.stats", ip6_stat_names,
	    ip6s->ip6s_stats, IP6_NSTATS)) != 0 ||
	    (rv = frag6_init(ns)) != 0 ||
	    (rv = icmp6_init(ns)) != 0 ||
	    (rv = rip6_init(ns)) != 0 ||
	    (rv = udp6_init(ns)) != 0 ||
	    (rv = ip6_proto_register(ns, KIPPROTO_ICMPV6, icmp6_input,
	    NULL)) != 0 ||
	    (rv = ether_register_input(ns, ETHERTYPE_IPV6, ip6_input)) != 0) {
		ip6_modfini(ns);
		return rv;
	}
	return 0;
}

static void
ip6_modfini(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);
	static const char *const nodes[] = {
		"net.inet6.ip6.forwarding", "net.inet6.ip6.hlim",
		"net.inet6.ip6.maxfragpackets", "net.inet6.ip6.maxfrags",
		"net.inet6.ip6.maxfragbytes", "net.inet6.ip6.maxexthdrs",
		"net.inet6.ip6.pmtu_expire", "net.inet6.ip6.stats",
	};
	struct ip6_pmtu *pm;

	if (ip6s == NULL)
		return;
	(void)ether_register_input(ns, ETHERTYPE_IPV6, NULL);
	udp6_fini(ns);
	rip6_fini(ns);
	icmp6_fini(ns);
	frag6_fini(ns);
	while ((pm = ip6s->ip6s_pmtu) != NULL) {
		ip6s->ip6s_pmtu = pm->pm_next;
		kmem_free(pm, sizeof(*pm));
	}
	for (size_t i = 0; i < nitems(nodes); i++)
		sysctl_remove_prefix(ns, nodes[i]);
	ns->ns_mod[NSMOD_IP6] = NULL;
	kmem_free(ip6s, sizeof(*ip6s));
}

static const char *const ip6_requires[] = { "inet6", NULL };

const struct netstack_module ip6_module = {
	.nm_name = "ip6",
	.nm_init = ip6_modinit,
	.nm_fini = ip6_modfini,
	.nm_requires = ip6_requires,	/* neighbour discovery, addresses */
};
