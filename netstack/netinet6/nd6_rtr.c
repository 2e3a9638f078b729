/*
 * nd6_rtr.c -- router discovery (RFC 4861 section 6), kept simple:
 *   host (net.inet6.ip6.accept_rtadv=1, forwarding=0): one router
 *     solicitation when the link-local address is ready; a received
 *     advertisement installs a default route through its sender (while
 *     its router lifetime is not 0) and configures an address from
 *     every prefix with the autonomous flag and length 64 (RFC 4862
 *     5.5.3, interface identifier from the MAC), with the prefix's
 *     lifetimes (a new advertisement renews them; the two-hour rule
 *     of 5.5.3(e) is not applied);
 *   router (forwarding=1 and net.inet6.ip6.rtadv=1): a solicitation is
 *     answered with an advertisement to all nodes listing the /64
 *     prefixes of the interface's global addresses.
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/ip6_var.h"

#define ND6_RA_LIFETIME		1800		/* seconds */
#define ND6_PI_VALID		2592000		/* 30 days */
#define ND6_PI_PREFERRED	604800		/* 7 days */

static struct mbuf *
nd6_rtr_msg(struct nd6_state *nd, const uint8_t *src, const uint8_t *dst,
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
nd6_rs_output(struct ifnet *ifp)
{
	struct netstack *ns = ifp->if_ns;
	struct nd6_state *nd = nd6_state(ns);
	struct in6_ifaddr *ll = in6_ifaddr_linklocal(ifp, true);
	struct mbuf *m;
	uint8_t *p;

	if (ip6_state(ns) == NULL || ifp->if_type != IFT_ETHER)
		return;
	m = nd6_rtr_msg(nd, ll != NULL ? ll->ia_addr : in6addr_any,
	    in6addr_linklocal_allrouters, 8 + (ll != NULL ? 8 : 0));
	if (m == NULL)
		return;
	p = m->m_data + IP6_HDRLEN;
	p[0] = ND_ROUTER_SOLICIT;
	if (ll != NULL) {
		p[8] = ND_OPT_SOURCE_LINKADDR;
		p[9] = 1;
		memcpy(p + 10, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	ND6_STATINC(nd, ND6_STAT_RSOUT);
	(void)icmp6_output(ns, m, ifp->if_index);
}

void
nd6_ra_output(struct ifnet *ifp, const uint8_t *dst)
{
	struct netstack *ns = ifp->if_ns;
	struct nd6_state *nd = nd6_state(ns);
	struct in6_ifaddr *ll = in6_ifaddr_linklocal(ifp, true);
	struct nd_router_advert *ra;
	unsigned npfx = 0;
	struct mbuf *m;
	uint8_t *p;

	if (ll == NULL || ifp->if_type != IFT_ETHER)
		return;
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET6 &&
		    !in6_is_linklocal(ifatoia6(ifa)->ia_addr) &&
		    ifatoia6(ifa)->ia_plen == 64)
			npfx++;
	m = nd6_rtr_msg(nd, ll->ia_addr, dst, sizeof(*ra) + 8 + npfx * 32);
	if (m == NULL)
		return;
	ra = (struct nd_router_advert *)(m->m_data + IP6_HDRLEN);
	ra->nd_ra_type = ND_ROUTER_ADVERT;
	ra->nd_ra_curhoplimit = (uint8_t)ip6_state(ns)->ip6s_hlim;
	ra->nd_ra_router_lifetime = htons(ND6_RA_LIFETIME);
	p = (uint8_t *)(ra + 1);
	p[0] = ND_OPT_SOURCE_LINKADDR;
	p[1] = 1;
	memcpy(p + 2, ifp->if_lladdr, ETHER_ADDR_LEN);
	p += 8;
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		struct in6_ifaddr *ia = ifatoia6(ifa);
		struct nd_opt_prefix_info pi;

		if (ifa->ifa_family != AF_INET6 ||
		    in6_is_linklocal(ia->ia_addr) || ia->ia_plen != 64)
			continue;
		memset(&pi, 0, sizeof(pi));
		pi.nd_opt_pi_type = ND_OPT_PREFIX_INFORMATION;
		pi.nd_opt_pi_len = 4;
		pi.nd_opt_pi_prefix_len = 64;
		pi.nd_opt_pi_flags = ND_OPT_PI_FLAG_ONLINK |
		    ND_OPT_PI_FLAG_AUTO;
		pi.nd_opt_pi_valid_time = htonl(ND6_PI_VALID);
		pi.nd_opt_pi_preferred_time = htonl(ND6_PI_PREFERRED);
		for (unsigned i = 0; i < 16; i++)
			pi.nd_opt_pi_prefix[i] = ia->ia_addr[i] & ia->ia_mask[i];
		memcpy(p, &pi, sizeof(pi));
		p += sizeof(pi);
	}
	ND6_STATINC(nd, ND6_STAT_RAOUT);
	(void)icmp6_output(ns, m, ifp->if_index);
}

void
nd6_rs_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	struct nd6_state *nd = nd6_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	const uint8_t *lla;

	ND6_STATINC(nd, ND6_STAT_RSIN);
	if (!ip6_state(ns)->ip6s_forwarding || !nd->nd_rtadv) {
		ND6_STATINC(nd, ND6_STAT_RAIGNORED);
		return;
	}
	if (ip6->ip6_hlim != 255 || m->m_data[off + 1] != 0 ||
	    m->m_len - off < 8) {
		ND6_STATINC(nd, ND6_STAT_BADLEN);
		return;
	}
	if (!nd6_options(m->m_data + off + 8, m->m_len - off - 8,
	    ND_OPT_SOURCE_LINKADDR, &lla) ||
	    (lla != NULL && in6_is_unspecified(ip6->ip6_src))) {
		ND6_STATINC(nd, ND6_STAT_BADOPT);
		return;
	}
	if (lla != NULL)
		nd6_learn(ifp, ip6->ip6_src, lla, false);
	nd6_ra_output(ifp, in6addr_linklocal_allnodes);
}

void
nd6_ra_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	struct nd6_state *nd = nd6_state(ns);
	struct ip6_state *ip6s = ip6_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct nd_router_advert ra;
	const uint8_t *lla, *o;
	size_t left;
	uint8_t zero[16] = { 0 }, gw[16];

	ND6_STATINC(nd, ND6_STAT_RAIN);
	if (ip6->ip6_hlim != 255 || !in6_is_linklocal(ip6->ip6_src) ||
	    m->m_data[off + 1] != 0 || m->m_len - off < sizeof(ra)) {
		ND6_STATINC(nd, ND6_STAT_BADLEN);
		return;
	}
	if (!nd6_options(m->m_data + off + sizeof(ra),
	    m->m_len - off - sizeof(ra), ND_OPT_SOURCE_LINKADDR, &lla)) {
		ND6_STATINC(nd, ND6_STAT_BADOPT);
		return;
	}
	if (!nd->nd_accept_rtadv || ip6s->ip6s_forwarding) {
		ND6_STATINC(nd, ND6_STAT_RAIGNORED);
		return;
	}
	memcpy(&ra, m->m_data + off, sizeof(ra));
	if (lla != NULL)
		nd6_learn(ifp, ip6->ip6_src, lla, true);
	if (ra.nd_ra_curhoplimit != 0)
		ip6s->ip6s_hlim = ra.nd_ra_curhoplimit;

	/* Default router. */
	in6_rtkey(ip6->ip6_src, ifp->if_index, gw);
	if (ntohs(ra.nd_ra_router_lifetime) != 0) {
		if (rt_lookup_exact(ns, AF_INET6, zero, 0) == NULL)
			(void)rt_add(ns, AF_INET6, zero, 0, gw, ifp,
			    RTF_DYNAMIC, NULL);
	} else {
		struct rtentry *rt = rt_lookup_exact(ns, AF_INET6, zero, 0);

		if (rt != NULL && (rt->rt_flags & RTF_GATEWAY) &&
		    memcmp(rt->rt_gateway, gw, 16) == 0)
			(void)rt_delete(ns, AF_INET6, zero, 0);
	}

	/* Prefixes (RFC 4862 5.5.3). */
	o = m->m_data + off + sizeof(ra);
	left = m->m_len - off - sizeof(ra);
	while (left >= 8) {
		size_t olen = (size_t)o[1] * 8;
		struct nd_opt_prefix_info pi;
		uint32_t vl, pl;
		uint8_t addr[16];

		if (o[0] == ND_OPT_PREFIX_INFORMATION && olen == sizeof(pi)) {
			memcpy(&pi, o, sizeof(pi));
			vl = ntohl(pi.nd_opt_pi_valid_time);
			pl = ntohl(pi.nd_opt_pi_preferred_time);
			if ((pi.nd_opt_pi_flags & ND_OPT_PI_FLAG_AUTO) &&
			    pi.nd_opt_pi_prefix_len == 64 &&
			    !in6_is_linklocal(pi.nd_opt_pi_prefix) &&
			    !in6_is_multicast(pi.nd_opt_pi_prefix) &&
			    pl <= vl && vl != 0) {
				memcpy(addr, pi.nd_opt_pi_prefix, 8);
				in6_ifid(ifp, addr + 8);
				(void)in6_addaddr(ifp, addr, 64,
				    IN6_IFF_AUTOCONF | (pl == 0 ?
				    IN6_IFF_DEPRECATED : 0), pl, vl);
			}
		}
		o += olen;
		left -= olen;
	}
}
