/*
 * nd6_nbr.c -- neighbour solicitations and advertisements (RFC 4861
 * sections 4.3, 4.4, 7.1, 7.2): validation, answers for our addresses,
 * cache updates, and the duplicate-address signals of RFC 4862 5.4.3
 * and 5.4.4.  Input handlers get the message after ICMPv6 checked its
 * length and checksum, and do not consume the packet.
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/ip6_var.h"

bool
nd6_options(const uint8_t *opts, size_t len, int type, const uint8_t **lla)
{
	*lla = NULL;
	while (len > 0) {
		size_t olen;

		if (len < 2 || opts[1] == 0)
			return false;
		olen = (size_t)opts[1] * 8;
		if (olen > len)
			return false;
		if (opts[0] == type && *lla == NULL) {
			if (olen < 2 + ETHER_ADDR_LEN)
				return false;
			*lla = opts + 2;
		}
		opts += olen;
		len -= olen;
	}
	return true;
}

/* A new ICMPv6 message of len bytes after a fresh IPv6 header. */
static struct mbuf *
nd6_msg(struct nd6_state *nd, const uint8_t *src, const uint8_t *dst,
    size_t len)
{
	struct ip6_hdr *ip6;
	struct mbuf *m;

	if ((m = m_gethdr(IP6_HDRLEN + len)) == NULL) {
		ND6_STATINC(nd, ND6_STAT_NOMEM);
		return NULL;
	}
	memset(m->m_data, 0, m->m_len);
	ip6 = mtod(m, struct ip6_hdr *);
	ip6->ip6_nxt = KIPPROTO_ICMPV6;
	ip6->ip6_hlim = 255;
	memcpy(ip6->ip6_src, src, 16);
	memcpy(ip6->ip6_dst, dst, 16);
	return m;
}

void
nd6_ns_output(struct ifnet *ifp, const uint8_t *src, const uint8_t *dst,
    const uint8_t *target)
{
	struct netstack *ns = ifp->if_ns;
	struct nd6_state *nd = nd6_state(ns);
	struct nd_neighbor_solicit *ns6;
	uint8_t snm[16];
	size_t len = sizeof(*ns6) + (src != NULL ? 8 : 0);
	struct mbuf *m;

	if (ip6_state(ns) == NULL || (ifp->if_flags & IFF_LOOPBACK))
		return;
	if (dst == NULL) {
		in6_solicited_node(target, snm);
		dst = snm;
	}
	if ((m = nd6_msg(nd, src != NULL ? src : in6addr_any, dst, len)) ==
	    NULL)
		return;
	ns6 = (struct nd_neighbor_solicit *)(m->m_data + IP6_HDRLEN);
	ns6->nd_ns_type = ND_NEIGHBOR_SOLICIT;
	memcpy(ns6->nd_ns_target, target, 16);
	if (src != NULL) {
		uint8_t *o = (uint8_t *)(ns6 + 1);

		o[0] = ND_OPT_SOURCE_LINKADDR;
		o[1] = 1;
		memcpy(o + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	ND6_STATINC(nd, ND6_STAT_NSOUT);
	(void)icmp6_output(ns, m, ifp->if_index);
}

void
nd6_na_output(struct ifnet *ifp, const uint8_t *dst, const uint8_t *target,
    uint8_t flags, bool tlla)
{
	struct netstack *ns = ifp->if_ns;
	struct nd6_state *nd = nd6_state(ns);
	struct nd_neighbor_advert *na;
	struct mbuf *m;

	if (ip6_state(ns) == NULL || (ifp->if_flags & IFF_LOOPBACK))
		return;
	if (in6_is_unspecified(dst)) {
		/* Answer to a DAD probe: to all nodes, unsolicited. */
		dst = in6addr_linklocal_allnodes;
		flags &= (uint8_t)~ND_NA_FLAG_SOLICITED;
	}
	if ((m = nd6_msg(nd, target, dst, sizeof(*na) + (tlla ? 8 : 0))) ==
	    NULL)
		return;
	na = (struct nd_neighbor_advert *)(m->m_data + IP6_HDRLEN);
	na->nd_na_type = ND_NEIGHBOR_ADVERT;
	na->nd_na_flags = flags;
	memcpy(na->nd_na_target, target, 16);
	if (tlla) {
		uint8_t *o = (uint8_t *)(na + 1);

		o[0] = ND_OPT_TARGET_LINKADDR;
		o[1] = 1;
		memcpy(o + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	ND6_STATINC(nd, ND6_STAT_NAOUT);
	(void)icmp6_output(ns, m, ifp->if_index);
}

/* Checks common to ND messages: hop limit 255 (not forwarded), code 0,
 * minimum length. */
static bool
nd6_check(struct nd6_state *nd, const struct mbuf *m, unsigned off,
    size_t minlen)
{
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);

	if (ip6->ip6_hlim != 255) {
		ND6_STATINC(nd, ND6_STAT_BADHLIM);
		return false;
	}
	if (m->m_data[off + 1] != 0) {
		ND6_STATINC(nd, ND6_STAT_BADCODE);
		return false;
	}
	if (m->m_len - off < minlen) {
		ND6_STATINC(nd, ND6_STAT_BADLEN);
		return false;
	}
	return true;
}

void
nd6_learn(struct ifnet *ifp, const uint8_t *addr, const uint8_t *lla,
    bool isrouter)
{
	struct nd6_state *nd = nd6_state(ifp->if_ns);
	struct llentry6 *ln = nd6_lookup(nd, ifp, addr);

	if (ln == NULL) {
		if ((ln = nd6_create(nd, ifp, addr, false)) == NULL)
			return;
		nd6_resolved(ln, lla, ND6_LLINFO_STALE);
	} else if (!(ln->ln_flags & ND6_LNF_STATIC) &&
	    (ln->ln_state == ND6_LLINFO_INCOMPLETE ||
	    memcmp(ln->ln_lladdr, lla, ETHER_ADDR_LEN) != 0)) {
		nd6_resolved(ln, lla, ND6_LLINFO_STALE);
	}
	if (isrouter)
		ln->ln_flags |= ND6_LNF_ROUTER;
}

void
nd6_ns_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	struct nd6_state *nd = nd6_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct nd_neighbor_solicit ns6;
	const uint8_t *lla;
	struct in6_ifaddr *ia;
	bool dad;
	uint8_t snm[16], flags;

	ND6_STATINC(nd, ND6_STAT_NSIN);
	if (!nd6_check(nd, m, off, sizeof(ns6)))
		return;
	memcpy(&ns6, m->m_data + off, sizeof(ns6));
	if (!nd6_options(m->m_data + off + sizeof(ns6),
	    m->m_len - off - sizeof(ns6), ND_OPT_SOURCE_LINKADDR, &lla)) {
		ND6_STATINC(nd, ND6_STAT_BADOPT);
		return;
	}
	dad = in6_is_unspecified(ip6->ip6_src);
	in6_solicited_node(ns6.nd_ns_target, snm);
	if (in6_is_multicast(ns6.nd_ns_target) ||
	    (dad && (memcmp(ip6->ip6_dst, snm, 16) != 0 || lla != NULL))) {
		ND6_STATINC(nd, ND6_STAT_BADADDR);
		return;
	}
	ia = in6_ifaddr_onif(ifp, ns6.nd_ns_target);
	if (ia == NULL || (ia->ia_ifa.ifa_flags & IN6_IFF_DUPLICATED)) {
		ND6_STATINC(nd, ND6_STAT_NOTOURS);
		return;
	}
	if (ia->ia_ifa.ifa_flags & IN6_IFF_TENTATIVE) {
		/* RFC 4862 5.4.3: another node probes for it too. */
		if (dad)
			in6_dad_duplicated(ia, "NS received");
		return;
	}
	if (dad) {
		nd6_na_output(ifp, in6addr_any, ns6.nd_ns_target,
		    (ia->ia_ifa.ifa_flags & IN6_IFF_ANYCAST) ? 0 :
		    ND_NA_FLAG_OVERRIDE, true);
		return;
	}
	if (lla != NULL)
		nd6_learn(ifp, ip6->ip6_src, lla, false);
	flags = ND_NA_FLAG_SOLICITED;
	if (!(ia->ia_ifa.ifa_flags & IN6_IFF_ANYCAST))
		flags |= ND_NA_FLAG_OVERRIDE;
	if (ip6_state(ns)->ip6s_forwarding)
		flags |= ND_NA_FLAG_ROUTER;
	nd6_na_output(ifp, ip6->ip6_src, ns6.nd_ns_target, flags, true);
}

void
nd6_na_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	struct nd6_state *nd = nd6_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct nd_neighbor_advert na;
	const uint8_t *lla;
	struct in6_ifaddr *ia;
	struct llentry6 *ln;
	bool solicited, override, router, changed;

	ND6_STATINC(nd, ND6_STAT_NAIN);
	if (!nd6_check(nd, m, off, sizeof(na)))
		return;
	memcpy(&na, m->m_data + off, sizeof(na));
	solicited = (na.nd_na_flags & ND_NA_FLAG_SOLICITED) != 0;
	override = (na.nd_na_flags & ND_NA_FLAG_OVERRIDE) != 0;
	router = (na.nd_na_flags & ND_NA_FLAG_ROUTER) != 0;
	if (!nd6_options(m->m_data + off + sizeof(na),
	    m->m_len - off - sizeof(na), ND_OPT_TARGET_LINKADDR, &lla)) {
		ND6_STATINC(nd, ND6_STAT_BADOPT);
		return;
	}
	if (in6_is_multicast(na.nd_na_target) ||
	    (solicited && in6_is_multicast(ip6->ip6_dst))) {
		ND6_STATINC(nd, ND6_STAT_BADADDR);
		return;
	}
	/* A duplicated address is the other node's: its NA counts. */
	if ((ia = in6_ifaddr_onif(ifp, na.nd_na_target)) != NULL &&
	    !(ia->ia_ifa.ifa_flags & IN6_IFF_DUPLICATED)) {
		char a[IN6_ADDRSTRLEN];

		if (ia->ia_ifa.ifa_flags & IN6_IFF_TENTATIVE) {
			in6_dad_duplicated(ia, "NA received");
			return;
		}
		ND6_STATINC(nd, ND6_STAT_CONFLICT);
		kprintf("%s: %s: another node advertises my address %s\n",
		    ns->ns_name, ifp->if_xname,
		    in6_fmtaddr(na.nd_na_target, a));
		return;
	}
	/* RFC 4861 7.2.5: only entries we have are updated. */
	if ((ln = nd6_lookup(nd, ifp, na.nd_na_target)) == NULL ||
	    (ln->ln_flags & ND6_LNF_STATIC)) {
		ND6_STATINC(nd, ND6_STAT_UNSOLICITED);
		return;
	}
	if (ln->ln_state == ND6_LLINFO_INCOMPLETE) {
		if (lla == NULL) {
			ND6_STATINC(nd, ND6_STAT_UNSOLICITED);
			return;
		}
		if (router)
			ln->ln_flags |= ND6_LNF_ROUTER;
		nd6_resolved(ln, lla, solicited ? ND6_LLINFO_REACHABLE :
		    ND6_LLINFO_STALE);
		return;
	}
	changed = lla != NULL &&
	    memcmp(lla, ln->ln_lladdr, ETHER_ADDR_LEN) != 0;
	if (!override && changed) {
		if (ln->ln_state == ND6_LLINFO_REACHABLE)
			nd6_setstate(ln, ND6_LLINFO_STALE);
		return;
	}
	if (changed)
		memcpy(ln->ln_lladdr, lla, ETHER_ADDR_LEN);
	if (solicited)
		nd6_setstate(ln, ND6_LLINFO_REACHABLE);
	else if (changed)
		nd6_setstate(ln, ND6_LLINFO_STALE);
	if (router)
		ln->ln_flags |= ND6_LNF_ROUTER;
	else
		ln->ln_flags &= ~(unsigned)ND6_LNF_ROUTER;
}
