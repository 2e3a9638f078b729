/*
 * in_control.c -- the AF_INET domain control: the address, route and
 * neighbour requests of include/rumpnet/rump_net.h for IPv4, reached
 * through ifioctl.  Route requests are served by rt_control with the
 * IPv4 hooks below, neighbour requests by ARP.
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_pcb.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/if_arp.h"
#include "rumpnet/rump_net.h"

/* ------------------------------------------------------- route hooks */

static struct ifnet *
in_rt_ifa_ifp(struct netstack *ns, const uint8_t *addr)
{
	struct in_ifaddr *ia;
	uint32_t a;

	memcpy(&a, addr, sizeof(a));
	ia = in_ifaddr_lookup(ns, a);
	return ia != NULL ? ia->ia_ifa.ifa_ifp : NULL;
}

static int
in_rt_src(struct netstack *ns, const struct rtentry *rt, const uint8_t *dst,
    uint8_t *src)
{
	uint32_t d, s;
	int rv;

	memcpy(&d, dst, sizeof(d));
	if ((rv = in_selectsrc(ns, d, &s, NULL)) != 0)
		return rv;
	memcpy(src, &s, sizeof(s));
	return 0;
}

static void
in_rt_purge(struct ifnet *ifp, const uint8_t *dst, unsigned plen)
{
	uint32_t d;

	memcpy(&d, dst, sizeof(d));
	arp_purge_prefix(ifp, d, plen);
}

static const struct rt_ctlops in_rtops = {
	.rco_family = AF_INET,
	.rco_ifa_ifp = in_rt_ifa_ifp,
	.rco_src = in_rt_src,
	.rco_purge = in_rt_purge,
};

/* ----------------------------------------------------------- addresses */

static void
in_fill_ifaddr(const struct in_ifaddr *ia, struct rump_ifaddrreq *req)
{
	const struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	memset(req, 0, sizeof(*req));
	memcpy(req->ifra_name, ifp->if_xname, IFNAMSIZ);
	req->ifra_family = AF_INET;
	req->ifra_plen = (uint8_t)ia->ia_plen;
	req->ifra_ifindex = ifp->if_index;
	/* The address flags are NetBSD's values already. */
	req->ifra_addrflags = ia->ia_ifa.ifa_flags & (IN_IFF_TENTATIVE |
	    IN_IFF_DUPLICATED | IN_IFF_DETACHED);
	memcpy(req->ifra_addr, &ia->ia_addr, 4);
	memcpy(req->ifra_broadaddr, &ia->ia_broadaddr, 4);
}

_Static_assert(IN_IFF_TENTATIVE == RUMP_IN_IFF_TENTATIVE &&
    IN_IFF_DUPLICATED == RUMP_IN_IFF_DUPLICATED &&
    IN_IFF_DETACHED == RUMP_IN_IFF_DETACHED, "IPv4 address flags");

/*
 * Add an address as rump_net.h describes: the interface comes up first;
 * without RUMP_IFRA_ALIAS the address replaces the primary one.
 */
static int
in_control_add(struct netstack *ns, struct ifnet *ifp,
    const struct rump_ifaddrreq *req)
{
	struct in_ifaddr *ia, *primary;
	uint32_t addr, brd;
	int rv;

	memcpy(&addr, req->ifra_addr, 4);
	memcpy(&brd, req->ifra_broadaddr, 4);
	if (req->ifra_plen > 32)
		return EINVAL;
	if ((ia = in_ifaddr_onif(ifp, addr)) == NULL &&
	    in_ifaddr_lookup(ns, addr) != NULL)
		return EEXIST;
	if (!(ifp->if_flags & IFF_UP) &&
	    (rv = if_setflags(ifp, ifp->if_flags | IFF_UP)) != 0)
		return rv;
	if (ia != NULL)
		return in_updateaddr(ia, req->ifra_plen, brd);
	if (req->ifra_reqflags & RUMP_IFRA_ALIAS)
		return in_addaddr(ifp, addr, req->ifra_plen, brd);
	if ((primary = in_ifaddr_primary(ifp)) != NULL)
		(void)in_deladdr(ifp, primary->ia_addr);
	return in_addaddr_primary(ifp, addr, req->ifra_plen, brd);
}

static int
in_control_ifaddr(struct netstack *ns, unsigned long cmd,
    struct rump_ifaddrreq *req)
{
	struct ifnet *ifp;
	struct in_ifaddr *ia;
	uint32_t addr;

	if (cmd == RUMP_SIOCGIFADDR) {
		unsigned n = req->ifra_index;

		for (ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next) {
			if (req->ifra_ifindex != 0 &&
			    ifp->if_index != req->ifra_ifindex)
				continue;
			for (struct ifaddr *ifa = ifp->if_addrlist;
			    ifa != NULL; ifa = ifa->ifa_next) {
				if (ifa->ifa_family != AF_INET || n-- > 0)
					continue;
				n = req->ifra_index;
				in_fill_ifaddr((struct in_ifaddr *)ifa, req);
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
	if (cmd == RUMP_SIOCAIFADDR)
		return in_control_add(ns, ifp, req);
	/* RUMP_SIOCDIFADDR; 0.0.0.0 means the primary address. */
	memcpy(&addr, req->ifra_addr, 4);
	if (addr == 0) {
		if ((ia = in_ifaddr_primary(ifp)) == NULL)
			return EADDRNOTAVAIL;
		addr = ia->ia_addr;
	}
	return in_deladdr(ifp, addr);
}

/* ------------------------------------------------------------- control */

int
in_control(struct netstack *ns, unsigned long cmd, void *data)
{
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	switch (cmd) {
	case RUMP_SIOCAIFADDR:
	case RUMP_SIOCDIFADDR:
	case RUMP_SIOCGIFADDR: {
		struct rump_ifaddrreq *req = data;

		if (req->ifra_family != AF_INET)
			return EAFNOSUPPORT;
		return in_control_ifaddr(ns, cmd, req);
	}
	case RUMP_SIOCLISTPCB:
		return in_pcb_list(ns, data);
	}
	if ((rv = rt_control(ns, cmd, data, &in_rtops)) != ENOTTY)
		return rv;
	return arp_control(ns, cmd, data);
}
