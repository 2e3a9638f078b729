/*
 * ip_output.c -- sending IPv4 datagrams (RFC 791, RFC 1122 3.3, RFC
 * 1812 5.2): header completion, routing, source selection, local
 * turn-around on lo0, checksum offload and fragmentation; and the IPPROTO_IP
 * socket options of datagram and raw sockets.
 */
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/in_offload.h"
#include "netstack/net/route.h"
#include "netstack/net/if_var.h"
#include "netstack/kern/socketvar.h"

uint16_t
ip_newid(struct netstack *ns)
{
	return ip_state(ns)->ips_id++;
}

uint32_t
ip_routemtu(const struct rtentry *rt)
{
	uint32_t mtu = rt->rt_ifp->if_mtu;

	if (rt->rt_mtu != 0 && rt->rt_mtu < mtu)
		mtu = rt->rt_mtu;
	return mtu;
}

uint8_t
ip_pcbttl(struct netstack *ns, const struct inpcb *inp, uint32_t dst)
{
	if (inp->inp_ttl >= 0)
		return (uint8_t)inp->inp_ttl;
	/* RFC 1112 6.1: multicast defaults to the local network. */
	if (in_multicast(dst))
		return 1;
	return (uint8_t)ip_state(ns)->ips_defttl;
}

/*
 * Copy the options of a header that must appear in every fragment
 * (copied flag set, RFC 791 section 3.2) into opts, padded with EOL to
 * a multiple of 4.  The header was validated on input or built here.
 * => Returns the length of the copied options.
 */
static unsigned
ip_optcopy(const uint8_t *hdr, unsigned hlen, uint8_t *opts)
{
	unsigned i = IP_MINHLEN, n = 0;

	while (i < hlen) {
		uint8_t opt = hdr[i];
		unsigned olen;

		if (opt == IPOPT_EOL)
			break;
		if (opt == IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hlen)
			break;
		olen = hdr[i + 1];
		if (olen < 2 || olen > hlen - i)
			break;
		if (IPOPT_COPIED(opt)) {
			memcpy(opts + n, hdr + i, olen);
			n += olen;
		}
		i += olen;
	}
	while (n & 3)
		opts[n++] = IPOPT_EOL;
	return n;
}

/*
 * Cut m (a datagram with DF clear and every checksum finished) into
 * fragments of at most mtu bytes (RFC 791 section 3.2, "An Example
 * Fragmentation Procedure"); the fragments of a fragment keep its
 * offset base and, on the last one, its MF flag.  m is consumed.
 * => 0 and the fragments on *listp (m_nextpkt), or an errno.
 */
static int
ip_fragment(struct netstack *ns, struct mbuf *m, unsigned hlen, uint32_t mtu,
    struct mbuf **listp)
{
	const struct ip *ip = mtod(m, const struct ip *);
	uint16_t off0 = ntohs(ip->ip_off);
	unsigned base = (unsigned)(off0 & IP_OFFMASK) << 3;
	bool lastmf = (off0 & IP_MF) != 0;
	unsigned datalen = m->m_len - hlen;
	uint8_t opts[IP_MAXHLEN];
	unsigned optlen, fhlen, count = 0;
	struct mbuf *head = NULL, **tail = &head;

	optlen = ip_optcopy(m->m_data, hlen, opts);
	fhlen = IP_MINHLEN + optlen;
	if (mtu < hlen + 8 || mtu < fhlen + 8) {
		ip_statinc(ns, IP_STAT_CANTFRAG);
		m_freem(m);
		return EMSGSIZE;
	}

	for (unsigned off = 0; off < datalen; count++) {
		unsigned h = off == 0 ? hlen : fhlen;
		unsigned chunk = MIN((mtu - h) & ~7u, datalen - off);
		bool more = off + chunk < datalen || lastmf;
		struct mbuf *f;
		struct ip *fip;

		f = m_get(h + chunk, MHEADROOM);
		if (f == NULL) {
			ip_statinc(ns, IP_STAT_ODROPPED);
			m_freem_list(head);
			m_freem(m);
			return ENOBUFS;
		}
		f->m_len = f->m_pkthdr.len = h + chunk;
		if (off == 0) {
			memcpy(f->m_data, m->m_data, hlen);
		} else {
			memcpy(f->m_data, m->m_data, IP_MINHLEN);
			memcpy(f->m_data + IP_MINHLEN, opts, optlen);
		}
		memcpy(f->m_data + h, m->m_data + hlen + off, chunk);
		fip = mtod(f, struct ip *);
		fip->ip_vhl = IP_VHL(IPVERSION, h >> 2);
		fip->ip_len = htons((uint16_t)(h + chunk));
		fip->ip_off = htons((uint16_t)(((base + off) >> 3) |
		    (more ? IP_MF : 0)));
		fip->ip_sum = 0;
		fip->ip_sum = in_cksum(fip, h);
		f->m_flags = m->m_flags & (M_BCAST | M_MCAST | M_LOOP);
		*tail = f;
		tail = &f->m_nextpkt;
		off += chunk;
	}
	ip_statinc(ns, IP_STAT_FRAGMENTED);
	ip_state(ns)->ips_stats[IP_STAT_OFRAGMENTS] += count;
	m_freem(m);
	*listp = head;
	return 0;
}

/* Hand one finished datagram or fragment to the interface. */
static int
ip_ifoutput(struct ifnet *ifp, struct mbuf *m, uint32_t nexthop)
{
	struct ksockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = nexthop;
	return (*ifp->if_output)(ifp, m, (const struct ksockaddr *)&sin);
}

int
ip_output(struct netstack *ns, struct mbuf *m, struct rtentry *rt, int flags)
{
	struct ifnet *ifp;
	struct ip *ip;
	uint32_t dst, nexthop, mtu, undo;
	unsigned hlen;
	bool bcast;
	int error = 0;

	KASSERT(klock_held(&ns->ns_klock));
	if (m->m_len < IP_MINHLEN) {
		ip_statinc(ns, IP_STAT_ODROPPED);
		error = EINVAL;
		goto drop;
	}
	ip = mtod(m, struct ip *);

	/* Complete the header. */
	if (flags & IP_FORWARDING) {
		hlen = (unsigned)IP_VHL_HL(ip->ip_vhl) << 2;
	} else {
		if (m->m_len > IP_MAXPACKET) {
			ip_statinc(ns, IP_STAT_ODROPPED);
			error = EMSGSIZE;
			goto drop;
		}
		if (flags & IP_RAWOUTPUT) {
			hlen = (unsigned)IP_VHL_HL(ip->ip_vhl) << 2;
			if (IP_VHL_V(ip->ip_vhl) != IPVERSION ||
			    hlen < IP_MINHLEN || hlen > m->m_len) {
				ip_statinc(ns, IP_STAT_ODROPPED);
				error = EINVAL;
				goto drop;
			}
			if (ip->ip_id == 0)
				ip->ip_id = htons(ip_newid(ns));
			ip_statinc(ns, IP_STAT_RAWOUT);
		} else {
			hlen = IP_MINHLEN;
			ip->ip_vhl = IP_VHL_BORING;
			ip->ip_off &= htons(IP_DF);
			ip->ip_id = htons(ip_newid(ns));
		}
		ip->ip_len = htons((uint16_t)m->m_len);
		ip_statinc(ns, IP_STAT_LOCALOUT);
	}
	dst = ip->ip_dst;

	/*
	 * Route.  The limited broadcast goes out of the interface of the
	 * source address when no route names one.
	 */
	if (rt == NULL)
		rt = rt_lookup(ns, AF_INET, &dst);
	if ((ifp = in_duplicated_ifp(ns, rt, dst)) != NULL)
		rt = NULL;	/* our copy is duplicated: the owner's link */
	if (rt == NULL && ifp == NULL && dst == KINADDR_BROADCAST &&
	    ip->ip_src != 0) {
		struct in_ifaddr *ia = in_ifaddr_lookup(ns, ip->ip_src);

		if (ia != NULL)
			ifp = ia->ia_ifa.ifa_ifp;
	}
	if (rt != NULL) {
		if (rt->rt_flags & RTF_BLACKHOLE) {
			ip_statinc(ns, IP_STAT_BLACKHOLE);
			goto drop;
		}
		if (rt->rt_flags & RTF_REJECT) {
			ip_statinc(ns, IP_STAT_NOROUTE);
			error = EHOSTUNREACH;
			goto drop;
		}
		ifp = rt->rt_ifp;
	}
	if (ifp == NULL) {
		ip_statinc(ns, IP_STAT_NOROUTE);
		rt_msg_miss(ns, AF_INET, &dst, NULL);
		error = ENETUNREACH;
		goto drop;
	}
	nexthop = dst;
	if (rt != NULL && (rt->rt_flags & RTF_GATEWAY))
		memcpy(&nexthop, rt->rt_gateway, sizeof(nexthop));
	mtu = rt != NULL ? ip_routemtu(rt) : ifp->if_mtu;

	bcast = dst == KINADDR_BROADCAST || in_broadcast(dst, ifp) ||
	    (rt != NULL && (rt->rt_flags & RTF_BROADCAST));
	if (bcast) {
		if (!(flags & (IP_ALLOWBROADCAST | IP_FORWARDING))) {
			ip_statinc(ns, IP_STAT_BCASTDENIED);
			error = EACCES;
			goto drop;
		}
		nexthop = dst;		/* on the link, never a gateway */
		m->m_flags |= M_BCAST;
	} else if (in_multicast(dst)) {
		nexthop = dst;
		m->m_flags |= M_MCAST;
	}

	if (ip->ip_src == KINADDR_ANY && !(flags & IP_FORWARDING)) {
		uint32_t src = KINADDR_ANY;
		struct in_ifaddr *ia;

		if (in_selectsrc(ns, dst, &src, NULL) != 0 &&
		    (ia = in_ifaddr_primary(ifp)) != NULL)
			src = ia->ia_addr;
		if (src == KINADDR_ANY) {
			ip_statinc(ns, IP_STAT_ODROPPED);
			error = EADDRNOTAVAIL;
			goto drop;
		}
		ip->ip_src = src;
	}
	if (rt != NULL)
		rt->rt_use++;

	/*
	 * One of our own addresses, routed through a real interface:
	 * turn it around on lo0, which delivers it from a clean stack
	 * (net/if_loop.c).  lo0 offloads nothing, so every checksum is
	 * finished below.
	 */
	if (!(ifp->if_flags & IFF_LOOPBACK) && !bcast && !in_multicast(dst) &&
	    in_islocal(ns, dst) && if_lo0(ns) != NULL) {
		ifp = if_lo0(ns);
		nexthop = dst;
		mtu = ifp->if_mtu;
	}

	/*
	 * It fits (or is a TSO super-packet the interface cuts itself):
	 * finish the header checksum or leave it to the interface, and
	 * finish in software the transport checksums it does not offload.
	 */
	if (m->m_len <= mtu || ((m->m_pkthdr.csum_flags & M_CSUM_TSOv4) &&
	    (ifp->if_capenable & IFCAP_TSOv4))) {
		if (!(flags & IP_FORWARDING)) {
			ip->ip_sum = 0;
			if (ifp->if_csum_flags_tx & M_CSUM_IPv4) {
				m->m_pkthdr.csum_flags |= M_CSUM_IPv4;
				m->m_pkthdr.csum_data =
				    (m->m_pkthdr.csum_data & 0xffff) |
				    ((uint32_t)hlen << 16);
			} else {
				ip->ip_sum = in_cksum(ip, hlen);
			}
		}
		undo = m->m_pkthdr.csum_flags & (M_CSUM_UDPv4 | M_CSUM_TCPv4) &
		    ~ifp->if_csum_flags_tx;
		if (undo != 0)
			in_undefer_cksum(m, 0, undo);
		return ip_ifoutput(ifp, m, nexthop);
	}

	/* Too big. */
	if ((ip->ip_off & htons(IP_DF)) ||
	    (m->m_pkthdr.csum_flags & M_CSUM_TSOv4)) {
		ip_statinc(ns, IP_STAT_CANTFRAG);
		error = EMSGSIZE;
		goto drop;
	}
	in_undefer_cksum(m, 0, M_CSUM_UDPv4 | M_CSUM_TCPv4);
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	{
		struct mbuf *list, *f;

		if ((error = ip_fragment(ns, m, hlen, mtu, &list)) != 0)
			return error;
		while ((f = list) != NULL) {
			int e;

			list = f->m_nextpkt;
			f->m_nextpkt = NULL;
			e = ip_ifoutput(ifp, f, nexthop);
			if (e != 0 && error == 0)
				error = e;
		}
	}
	return error;

drop:
	m_freem(m);
	return error;
}

int
ip_ctloutput(struct inpcb *inp, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	struct ip_state *ips = ip_state(ns);
	bool israw = inp->inp_table == &ips->ips_rawtable;
	int v;

	if (level != KIPPROTO_IP)
		return ENOPROTOOPT;
	switch (name) {
	case KIP_TTL:
	case KIP_TOS:
		break;
	case KIP_HDRINCL:
		if (!israw)
			return ENOPROTOOPT;
		break;
	default:
		return ENOPROTOOPT;
	}

	if (set) {
		if (val == NULL || *lenp < sizeof(int))
			return EINVAL;
		memcpy(&v, val, sizeof(v));
		switch (name) {
		case KIP_TTL:
			/* -1 restores the default (Linux). */
			if (v != -1 && (v < 1 || v > MAXTTL))
				return EINVAL;
			inp->inp_ttl = v;
			break;
		case KIP_TOS:
			inp->inp_tos = (uint8_t)v;
			break;
		case KIP_HDRINCL:
			if (v)
				inp->inp_flags |= INP_HDRINCL;
			else
				inp->inp_flags &= ~INP_HDRINCL;
			break;
		}
		return 0;
	}

	if (val == NULL || *lenp < sizeof(int))
		return EINVAL;
	switch (name) {
	case KIP_TTL:
		v = inp->inp_ttl >= 0 ? inp->inp_ttl : ips->ips_defttl;
		break;
	case KIP_TOS:
		v = inp->inp_tos;
		break;
	default:
		v = (inp->inp_flags & INP_HDRINCL) != 0;
		break;
	}
	memcpy(val, &v, sizeof(v));
	*lenp = sizeof(v);
	return 0;
}
