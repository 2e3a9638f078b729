/*
 * ip6_output.c -- sending IPv6 packets (RFC 8200): header completion,
 * routing with zones, source selection, scope checks, local
 * turn-around on lo0, checksum offload, fragmentation at the source
 * (RFC 8200 4.5) and the path MTU cache (RFC 8201); and the
 * IPPROTO_IPV6 options of datagram and raw sockets.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/socketvar.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"

#define IP6_PMTU_MAX	256	/* cache entries, at most */

void
in6_undefer_cksum(struct mbuf *m, size_t ehlen, uint32_t which)
{
	uint32_t todo = m->m_pkthdr.csum_flags & which &
	    (M_CSUM_UDPv6 | M_CSUM_TCPv6);
	size_t l3len, l4len, off, plen;
	uint8_t *p;
	uint16_t sum;

	if (todo == 0)
		return;
	m->m_pkthdr.csum_flags &= ~todo;
	if (m->m_len < ehlen + IP6_HDRLEN)
		return;
	p = m->m_data + ehlen;
	plen = be16dec(p + IP6_PLEN_OFF);
	l3len = m->m_pkthdr.csum_data >> 16;
	if (l3len == 0)
		l3len = IP6_HDRLEN;
	if (l3len < IP6_HDRLEN || IP6_HDRLEN + plen > m->m_len - ehlen ||
	    l3len > IP6_HDRLEN + plen)
		return;
	l4len = IP6_HDRLEN + plen - l3len;
	off = m->m_pkthdr.csum_data & 0xffff;
	if (off == 0)
		off = (todo & M_CSUM_TCPv6) ? 16 : 6;
	if (off + 2 > l4len)
		return;
	sum = in_cksum(p + l3len, l4len);
	if ((todo & M_CSUM_UDPv6) && sum == 0)
		sum = 0xffff;
	memcpy(p + l3len + off, &sum, sizeof(sum));
}

/* ------------------------------------------------------------ path MTU */

static struct ip6_pmtu *
ip6_pmtu_find(struct netstack *ns, const uint8_t *dst)
{
	struct ip6_state *ip6s = ip6_state(ns);
	struct ip6_pmtu **pp, *pm;
	uint64_t now = netstack_now(ns);

	for (pp = &ip6s->ip6s_pmtu; (pm = *pp) != NULL;) {
		if (pm->pm_expire <= now) {
			*pp = pm->pm_next;
			ip6s->ip6s_npmtu--;
			kmem_free(pm, sizeof(*pm));
			continue;
		}
		if (memcmp(pm->pm_dst, dst, 16) == 0)
			return pm;
		pp = &pm->pm_next;
	}
	return NULL;
}

uint32_t
ip6_pmtu(struct netstack *ns, const uint8_t *dst, unsigned oif)
{
	struct ip6_pmtu *pm = ip6_pmtu_find(ns, dst);
	struct rtentry *rt;
	struct ifnet *ifp;
	uint8_t nh[16];
	uint32_t mtu = IPV6_MAXPACKET;

	if (in6_route(ns, dst, oif, &ifp, nh, &rt) == 0) {
		mtu = ifp->if_mtu;
		if (rt != NULL && rt->rt_mtu != 0 && rt->rt_mtu < mtu)
			mtu = rt->rt_mtu;
	}
	if (pm != NULL && pm->pm_mtu < mtu)
		mtu = pm->pm_mtu;
	return mtu < IPV6_MMTU ? IPV6_MMTU : mtu;
}

void
ip6_pmtu_update(struct netstack *ns, const uint8_t *dst, uint32_t mtu)
{
	struct ip6_state *ip6s = ip6_state(ns);
	struct ip6_pmtu *pm;

	/* RFC 8201 4: never below the IPv6 minimum. */
	if (mtu < IPV6_MMTU)
		mtu = IPV6_MMTU;
	if (mtu >= ip6_pmtu(ns, dst, 0))
		return;
	if ((pm = ip6_pmtu_find(ns, dst)) == NULL) {
		if (ip6s->ip6s_npmtu >= IP6_PMTU_MAX) {
			/* Full: the oldest (last) entry goes. */
			struct ip6_pmtu **pp = &ip6s->ip6s_pmtu;

			while ((*pp)->pm_next != NULL)
				pp = &(*pp)->pm_next;
			kmem_free(*pp, sizeof(**pp));
			*pp = NULL;
			ip6s->ip6s_npmtu--;
		}
		pm = kmem_zalloc(sizeof(*pm));
		memcpy(pm->pm_dst, dst, 16);
		pm->pm_next = ip6s->ip6s_pmtu;
		ip6s->ip6s_pmtu = pm;
		ip6s->ip6s_npmtu++;
	}
	pm->pm_mtu = mtu;
	pm->pm_expire = netstack_now(ns) +
	    NS_SEC((uint64_t)ip6s->ip6s_pmtu_expire);
}

/* -------------------------------------------------------------- output */

static int
ip6_ifoutput(struct ifnet *ifp, struct mbuf *m, const uint8_t *nexthop)
{
	struct ksockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	memcpy(sin6.sin6_addr.s6_addr, nexthop, 16);
	sin6.sin6_scope_id = ifp->if_index;
	return (*ifp->if_output)(ifp, m, (const struct ksockaddr *)&sin6);
}

/* Length of the unfragmentable part: the IPv6 header, hop-by-hop and
 * routing headers (and destination options before a routing header).
 * *nxtoff gets the offset of the next-header byte naming what follows. */
static unsigned
ip6_unfragpart(const struct mbuf *m, unsigned *nxtoff)
{
	unsigned off = IP6_HDRLEN, last = off, lastnxt = IP6_NXT_OFF;
	unsigned noff = IP6_NXT_OFF;
	uint8_t nxt = m->m_data[IP6_NXT_OFF];

	while ((nxt == KIPPROTO_HOPOPTS || nxt == KIPPROTO_ROUTING ||
	    nxt == KIPPROTO_DSTOPTS) && m->m_len >= off + 8) {
		unsigned hlen = ((unsigned)m->m_data[off + 1] + 1) * 8;

		if (m->m_len < off + hlen)
			break;
		noff = off;
		nxt = m->m_data[off];
		off += hlen;
		if (m->m_data[noff] != KIPPROTO_DSTOPTS ||
		    nxt == KIPPROTO_ROUTING) {
			last = off;
			lastnxt = noff;
		}
		if (nxt != KIPPROTO_HOPOPTS && nxt != KIPPROTO_ROUTING &&
		    nxt != KIPPROTO_DSTOPTS)
			break;
	}
	*nxtoff = lastnxt;
	return last;
}

/* Cut m into fragments of at most mtu bytes.  m is consumed.
 * => 0 and the fragments on *listp, or an errno. */
static int
ip6_fragment(struct netstack *ns, struct mbuf *m, uint32_t mtu,
    struct mbuf **listp)
{
	struct ip6_state *ip6s = ip6_state(ns);
	unsigned nxtoff, unfrag = ip6_unfragpart(m, &nxtoff);
	unsigned datalen = m->m_len - unfrag, chunk, count = 0;
	uint8_t nxt = m->m_data[nxtoff];
	uint32_t id = ip6s->ip6s_fragid++;
	struct mbuf *head = NULL, **tail = &head;

	if (mtu < unfrag + 8 + 8) {
		ip6_statinc(ns, IP6_STAT_CANTFRAG);
		m_freem(m);
		return EMSGSIZE;
	}
	chunk = (mtu - unfrag - 8) & ~7u;
	for (unsigned off = 0; off < datalen; off += chunk, count++) {
		unsigned n = MIN(chunk, datalen - off);
		bool more = off + n < datalen;
		struct ip6_frag fh;
		struct mbuf *f;

		if ((f = m_get(unfrag + 8 + n, MHEADROOM)) == NULL) {
			ip6_statinc(ns, IP6_STAT_ODROPPED);
			m_freem_list(head);
			m_freem(m);
			return ENOBUFS;
		}
		f->m_len = f->m_pkthdr.len = unfrag + 8 + n;
		memcpy(f->m_data, m->m_data, unfrag);
		f->m_data[nxtoff] = KIPPROTO_FRAGMENT;
		fh.ip6f_nxt = nxt;
		fh.ip6f_reserved = 0;
		fh.ip6f_offlg = htons((uint16_t)(off | (more ?
		    IP6F_MORE_FRAG : 0)));
		fh.ip6f_ident = htonl(id);
		memcpy(f->m_data + unfrag, &fh, sizeof(fh));
		memcpy(f->m_data + unfrag + 8, m->m_data + unfrag + off, n);
		be16enc(f->m_data + IP6_PLEN_OFF,
		    (uint16_t)(f->m_len - IP6_HDRLEN));
		f->m_flags = m->m_flags & (M_MCAST | M_LOOP);
		*tail = f;
		tail = &f->m_nextpkt;
	}
	ip6_statinc(ns, IP6_STAT_FRAGMENTED);
	ip6s->ip6s_stats[IP6_STAT_OFRAGMENTS] += count;
	m_freem(m);
	*listp = head;
	return 0;
}

int
ip6_output(struct netstack *ns, struct mbuf *m, unsigned oif, int flags)
{
	struct ip6_state *ip6s = ip6_state(ns);
	struct ip6_hdr *ip6;
	struct ifnet *ifp;
	struct rtentry *rt;
	uint8_t nexthop[16];
	uint32_t mtu, undo;
	int error = 0;

	if (ip6s == NULL) {
		m_freem(m);
		return ENETDOWN;
	}
	KASSERT(klock_held(&ns->ns_klock));
	if (m->m_len < IP6_HDRLEN) {
		ip6_statinc(ns, IP6_STAT_ODROPPED);
		error = EINVAL;
		goto drop;
	}
	ip6 = mtod(m, struct ip6_hdr *);
	if (!(flags & IPV6_FORWARDING)) {
		if (m->m_len - IP6_HDRLEN > IPV6_MAXPACKET) {
			ip6_statinc(ns, IP6_STAT_ODROPPED);
			error = EMSGSIZE;
			goto drop;
		}
		ip6->ip6_flow = (ip6->ip6_flow & htonl(0x0fffffff)) |
		    htonl(0x60000000);
		ip6->ip6_plen = htons((uint16_t)(m->m_len - IP6_HDRLEN));
		ip6_statinc(ns, IP6_STAT_LOCALOUT);
	}

	if ((error = in6_route(ns, ip6->ip6_dst, oif, &ifp, nexthop, &rt)) !=
	    0) {
		ip6_statinc(ns, IP6_STAT_NOROUTE);
		goto drop;
	}
	if (rt != NULL && (rt->rt_flags & RTF_BLACKHOLE)) {
		ip6_statinc(ns, IP6_STAT_NOROUTE);
		goto drop;
	}
	if (in6_is_multicast(ip6->ip6_dst))
		m->m_flags |= M_MCAST;

	if (!(flags & IPV6_FORWARDING)) {
		if (in6_is_unspecified(ip6->ip6_src) &&
		    !(flags & IPV6_UNSPECSRC) &&
		    (error = in6_selectsrc(ns, ip6->ip6_dst, ifp,
		    ip6->ip6_src)) != 0) {
			ip6_statinc(ns, IP6_STAT_ODROPPED);
			goto drop;
		}
		/* A link-local source only on its link, never through a
		 * router (RFC 4291 2.5.6). */
		if (in6_is_linklocal(ip6->ip6_src) &&
		    !(ifp->if_flags & IFF_LOOPBACK) &&
		    (in6_ifaddr_onif(ifp, ip6->ip6_src) == NULL ||
		    (rt != NULL && (rt->rt_flags & RTF_GATEWAY)))) {
			ip6_statinc(ns, IP6_STAT_BADSCOPE);
			error = EHOSTUNREACH;
			goto drop;
		}
	}
	if (rt != NULL)
		rt->rt_use++;

	/* Our own address through a real interface: turn around on lo0. */
	if (!(ifp->if_flags & IFF_LOOPBACK) && !in6_is_multicast(ip6->ip6_dst) &&
	    in6_islocal(ns, ip6->ip6_dst, ifp->if_index) &&
	    if_lo0(ns) != NULL) {
		ifp = if_lo0(ns);
		memcpy(nexthop, ip6->ip6_dst, 16);
	}
	mtu = ifp->if_mtu;
	if (!(ifp->if_flags & IFF_LOOPBACK)) {
		uint32_t pm = ip6_pmtu(ns, ip6->ip6_dst, oif);

		if (pm < mtu)
			mtu = pm;
	}
	if ((flags & IPV6_MINMTU) && mtu > IPV6_MMTU)
		mtu = IPV6_MMTU;

	if (m->m_len <= mtu || ((m->m_pkthdr.csum_flags & M_CSUM_TSOv6) &&
	    (ifp->if_capenable & IFCAP_TSOv6))) {
		undo = m->m_pkthdr.csum_flags & (M_CSUM_UDPv6 | M_CSUM_TCPv6) &
		    ~ifp->if_csum_flags_tx;
		if (undo != 0)
			in6_undefer_cksum(m, 0, undo);
		return ip6_ifoutput(ifp, m, nexthop);
	}
	if ((flags & IPV6_FORWARDING) ||
	    (m->m_pkthdr.csum_flags & M_CSUM_TSOv6)) {
		ip6_statinc(ns, IP6_STAT_CANTFRAG);
		error = EMSGSIZE;
		goto drop;
	}
	in6_undefer_cksum(m, 0, M_CSUM_UDPv6 | M_CSUM_TCPv6);
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	{
		struct mbuf *list, *f;

		if ((error = ip6_fragment(ns, m, mtu, &list)) != 0)
			return error;
		while ((f = list) != NULL) {
			int e;

			list = f->m_nextpkt;
			f->m_nextpkt = NULL;
			e = ip6_ifoutput(ifp, f, nexthop);
			if (e != 0 && error == 0)
				error = e;
		}
	}
	return error;

drop:
	m_freem(m);
	return error;
}

/* ----------------------------------------------------- socket options */

uint8_t
ip6_pcbhlim(struct netstack *ns, const struct inpcb *inp, const uint8_t *dst)
{
	if (inp->inp_ttl >= 0)
		return (uint8_t)inp->inp_ttl;
	if (in6_is_multicast(dst))
		return 1;
	return (uint8_t)ip6_state(ns)->ip6s_hlim;
}

int
ip6_ctloutput(struct inpcb *inp, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	bool israw = inp->inp_table == &ip6_state(ns)->ip6s_rawtable;
	int v;

	if (level != KIPPROTO_IPV6)
		return ENOPROTOOPT;
	switch (name) {
	case KIPV6_UNICAST_HOPS:
	case KIPV6_V6ONLY:
	case KIPV6_MULTICAST_IF:
		break;
	case KIPV6_CHECKSUM:
		if (!israw)
			return ENOPROTOOPT;
		break;
	default:
		return ENOPROTOOPT;
	}
	if (val == NULL || *lenp < sizeof(int))
		return EINVAL;
	if (set) {
		memcpy(&v, val, sizeof(v));
		switch (name) {
		case KIPV6_UNICAST_HOPS:
			if (v < -1 || v > 255)
				return EINVAL;
			inp->inp_ttl = v;
			break;
		case KIPV6_V6ONLY:
			if (inp->inp_lport != 0)
				return EINVAL;
			if (v)
				inp->inp_flags |= INP_V6ONLY;
			else
				inp->inp_flags &= ~INP_V6ONLY;
			break;
		case KIPV6_MULTICAST_IF:
			if (v != 0 && if_byindex(ns, (unsigned)v) == NULL)
				return ENXIO;
			inp->inp_scope6 = (unsigned)v;
			break;
		case KIPV6_CHECKSUM:
			/* Linux: the offset must be even; -1 turns it off;
			 * ICMPv6 sockets always have it at 2. */
			if (inp->inp_proto == KIPPROTO_ICMPV6)
				return EINVAL;
			if (v < -1 || (v >= 0 && (v & 1)))
				return EINVAL;
			inp->inp_cksum6 = v + 1;
			break;
		}
		return 0;
	}
	switch (name) {
	case KIPV6_UNICAST_HOPS:
		v = inp->inp_ttl >= 0 ? inp->inp_ttl :
		    ip6_state(ns)->ip6s_hlim;
		break;
	case KIPV6_V6ONLY:
		v = (inp->inp_flags & INP_V6ONLY) != 0;
		break;
	case KIPV6_MULTICAST_IF:
		v = (int)inp->inp_scope6;
		break;
	default:
		v = inp->inp_proto == KIPPROTO_ICMPV6 ? 2 : inp->inp_cksum6 - 1;
		break;
	}
	memcpy(val, &v, sizeof(v));
	*lenp = sizeof(v);
	return 0;
}
