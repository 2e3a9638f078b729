/*
 * in6_control.c -- the AF_INET6 domain control: the address, route and
 * neighbour requests of include/rumpnet/rump_net.h for IPv6.
 *
 * Route requests go to rt_control with the IPv6 hooks below; since
 * route keys of scoped addresses carry their zone (in6.h), requests
 * naming a link-local destination or gateway have the zone embedded
 * from rtr_scopeid (or the interface named) before, and answers have it
 * removed again and reported in rtr_scopeid.  Without a zone such a
 * destination is "not in table" (ESRCH).
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/ip6_var.h"
#include "rumpnet/rump_net.h"

_Static_assert(IN6_IFF_ANYCAST == RUMP_IN6_IFF_ANYCAST &&
    IN6_IFF_TENTATIVE == RUMP_IN6_IFF_TENTATIVE &&
    IN6_IFF_DUPLICATED == RUMP_IN6_IFF_DUPLICATED &&
    IN6_IFF_DETACHED == RUMP_IN6_IFF_DETACHED &&
    IN6_IFF_DEPRECATED == RUMP_IN6_IFF_DEPRECATED &&
    IN6_IFF_NODAD == RUMP_IN6_IFF_NODAD &&
    IN6_IFF_AUTOCONF == RUMP_IN6_IFF_AUTOCONF, "IPv6 address flags");

/* ------------------------------------------------------- route hooks */

static struct ifnet *
in6_rt_ifa_ifp(struct netstack *ns, const uint8_t *key)
{
	struct in6_ifaddr *ia;
	uint8_t a[16];
	unsigned zone = in6_rtkey_addr(key, a);

	ia = in6_ifaddr_lookup(ns, a, zone);
	return ia != NULL ? ia->ia_ifa.ifa_ifp : NULL;
}

static int
in6_rt_src(struct netstack *ns, const struct rtentry *rt, const uint8_t *key,
    uint8_t *src)
{
	uint8_t dst[16];
	unsigned zone = in6_rtkey_addr(key, dst);
	struct ifnet *ifp = rt->rt_ifp;

	if (zone != 0)
		ifp = if_byindex(ns, zone);
	if (rt->rt_flags & RTF_LOCAL) {
		memcpy(src, dst, 16);
		return 0;
	}
	return in6_selectsrc(ns, dst, ifp, src);
}

static void
in6_rt_purge(struct ifnet *ifp, const uint8_t *key, unsigned plen)
{
	uint8_t a[16];

	(void)in6_rtkey_addr(key, a);
	nd6_purge(ifp, a, plen);
}

static const struct rt_ctlops in6_rtops = {
	.rco_family = AF_INET6,
	.rco_ifa_ifp = in6_rt_ifa_ifp,
	.rco_src = in6_rt_src,
	.rco_purge = in6_rt_purge,
};

/* The zone a route request gives: rtr_scopeid, else the interface. */
static unsigned
in6_req_zone(struct netstack *ns, const struct rump_rtreq *req)
{
	struct ifnet *ifp;

	if (req->rtr_scopeid != 0)
		return req->rtr_scopeid;
	if (req->rtr_ifname[0] != '\0' &&
	    strnlen(req->rtr_ifname, IFNAMSIZ) < IFNAMSIZ &&
	    (ifp = if_byname(ns, req->rtr_ifname)) != NULL)
		return ifp->if_index;
	return 0;
}

static int
in6_route_control(struct netstack *ns, unsigned long cmd,
    struct rump_rtreq *req)
{
	unsigned zone = in6_req_zone(ns, req), dz, gz;
	uint8_t a[16];
	int rv;

	if (cmd != RUMP_SIOCLISTRT && cmd != RUMP_SIOCFLUSHRT) {
		if (in6_is_scoped(req->rtr_dst)) {
			if (zone == 0)
				return cmd == RUMP_SIOCADDRT ? EINVAL : ESRCH;
			memcpy(a, req->rtr_dst, 16);
			in6_rtkey(a, zone, req->rtr_dst);
		}
		if ((req->rtr_flags & RUMP_RTF_GATEWAY) &&
		    in6_is_scoped(req->rtr_gateway)) {
			if (zone == 0)
				return EINVAL;
			memcpy(a, req->rtr_gateway, 16);
			in6_rtkey(a, zone, req->rtr_gateway);
		}
	}
	if ((rv = rt_control(ns, cmd, req, &in6_rtops)) != 0)
		return rv;
	if (cmd == RUMP_SIOCGETRT || cmd == RUMP_SIOCLISTRT) {
		memcpy(a, req->rtr_dst, 16);
		dz = in6_rtkey_addr(a, req->rtr_dst);
		memcpy(a, req->rtr_gateway, 16);
		gz = in6_rtkey_addr(a, req->rtr_gateway);
		memcpy(a, req->rtr_ifaddr, 16);
		(void)in6_rtkey_addr(a, req->rtr_ifaddr);
		req->rtr_scopeid = dz != 0 ? dz : gz;
	}
	return 0;
}

/* ----------------------------------------------------------- addresses */

static uint32_t
in6_lifetime_left(uint32_t lt, uint64_t since, uint64_t now)
{
	uint64_t gone;

	if (lt == ND6_INFINITE_LIFETIME)
		return lt;
	gone = (now - since) / NS_SEC(1);
	return gone >= lt ? 0 : lt - (uint32_t)gone;
}

static void
in6_fill_ifaddr(struct netstack *ns, const struct in6_ifaddr *ia,
    struct rump_ifaddrreq *req)
{
	const struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	uint64_t now = netstack_now(ns);

	memset(req, 0, sizeof(*req));
	memcpy(req->ifra_name, ifp->if_xname, IFNAMSIZ);
	req->ifra_family = AF_INET6;
	req->ifra_plen = (uint8_t)ia->ia_plen;
	req->ifra_ifindex = ifp->if_index;
	req->ifra_addrflags = ia->ia_ifa.ifa_flags;
	if (in6_is_linklocal(ia->ia_addr))
		req->ifra_scopeid = ifp->if_index;
	req->ifra_pltime = in6_lifetime_left(ia->ia_pltime, ia->ia_updated,
	    now);
	req->ifra_vltime = in6_lifetime_left(ia->ia_vltime, ia->ia_updated,
	    now);
	memcpy(req->ifra_addr, ia->ia_addr, 16);
}

static int
in6_control_ifaddr(struct netstack *ns, unsigned long cmd,
    struct rump_ifaddrreq *req)
{
	struct ifnet *ifp;
	unsigned plen;
	int rv;

	if (cmd == RUMP_SIOCGIFADDR) {
		unsigned n = req->ifra_index;

		for (ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next) {
			if (req->ifra_ifindex != 0 &&
			    ifp->if_index != req->ifra_ifindex)
				continue;
			for (struct ifaddr *ifa = ifp->if_addrlist;
			    ifa != NULL; ifa = ifa->ifa_next) {
				if (ifa->ifa_family != AF_INET6 || n-- > 0)
					continue;
				n = req->ifra_index;
				in6_fill_ifaddr(ns, ifatoia6(ifa), req);
				req->ifra_index = n;
				return 0;
			}
		}
		if (req->ifra_ifindex != 0 &&
		    if_byindex(ns, req->ifra_ifindex) == NULL)
			return ENXIO;
		return ENOENT;
	}
	if (strnlen(req->ifra_name, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	if ((ifp = if_byname(ns, req->ifra_name)) == NULL)
		return ENXIO;
	if (in6_is_linklocal(req->ifra_addr) && req->ifra_scopeid != 0 &&
	    req->ifra_scopeid != ifp->if_index)
		return EINVAL;
	if (cmd == RUMP_SIOCDIFADDR)
		return in6_deladdr(ifp, req->ifra_addr);
	/* RUMP_SIOCAIFADDR: IPv6 interfaces have many addresses, so an
	 * address is always added (RUMP_IFRA_ALIAS or not). */
	plen = req->ifra_plen != 0 ? req->ifra_plen : 64;
	if (plen > 128 || in6_is_unspecified(req->ifra_addr) ||
	    in6_is_multicast(req->ifra_addr))
		return EINVAL;
	if (!in6_is_linklocal(req->ifra_addr)) {
		struct in6_ifaddr *other = in6_ifaddr_lookup(ns,
		    req->ifra_addr, 0);

		if (other != NULL && other->ia_ifa.ifa_ifp != ifp)
			return EEXIST;
	}
	if (!(ifp->if_flags & IFF_UP) &&
	    (rv = if_setflags(ifp, ifp->if_flags | IFF_UP)) != 0)
		return rv;
	return in6_addaddr(ifp, req->ifra_addr, plen, req->ifra_addrflags,
	    req->ifra_pltime != 0 ? req->ifra_pltime : ND6_INFINITE_LIFETIME,
	    req->ifra_vltime != 0 ? req->ifra_vltime : ND6_INFINITE_LIFETIME);
}

/* ------------------------------------------------------------- control */

int
in6_control(struct netstack *ns, unsigned long cmd, void *data)
{
	KASSERT(klock_held(&ns->ns_klock));
	switch (cmd) {
	case RUMP_SIOCAIFADDR:
	case RUMP_SIOCDIFADDR:
	case RUMP_SIOCGIFADDR: {
		struct rump_ifaddrreq *req = data;

		if (req->ifra_family != AF_INET6)
			return EAFNOSUPPORT;
		return in6_control_ifaddr(ns, cmd, req);
	}
	case RUMP_SIOCADDRT:
	case RUMP_SIOCDELRT:
	case RUMP_SIOCCHGRT:
	case RUMP_SIOCGETRT:
	case RUMP_SIOCLISTRT:
	case RUMP_SIOCFLUSHRT:
		return in6_route_control(ns, cmd, data);
	}
	return nd6_control(ns, cmd, data);
}
