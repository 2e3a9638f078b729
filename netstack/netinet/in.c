/*
 * in.c -- IPv4 interface addresses and the inet module (inet_module):
 * addresses with their local and connected routes, source address
 * selection, broadcast and locality tests, and the interface hooks that
 * announce addresses (gratuitous ARP) when an interface comes up, or
 * first check them for duplicates (arp_dad.c, net.inet.ip.dad_count).
 *
 * An interface's IPv4 addresses are kept on if_addrlist in the order
 * they were added; the first is the primary address.  Each address owns
 * two routes:
 *   - a local host route addr/32 (RTF_LOCAL) through lo0, which makes
 *     traffic to our own address loop back; rt_ifaddr = addr;
 *   - a connected route for its subnet (RTF_CONNECTED) through the
 *     interface, unless the prefix is /32 or another address already
 *     provides the same subnet route; when the owner goes, the route is
 *     handed to the next address with that subnet.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/modules.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/if_arp.h"

/* ------------------------------------------------------------- helpers */

int
in_mask2len(uint32_t mask)
{
	uint32_t h = ntohl(mask);
	int len = 0;

	while (len < 32 && (h & 0x80000000u)) {
		h <<= 1;
		len++;
	}
	return h == 0 ? len : -1;
}

char *
in_fmtaddr(uint32_t a, char *buf)
{
	const uint8_t *b = (const uint8_t *)&a;

	ksnprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

static inline struct in_ifaddr *
ifatoia(struct ifaddr *ifa)
{
	return (struct in_ifaddr *)ifa;
}

/* --------------------------------------------------------------- lookup */

struct in_ifaddr *
in_ifaddr_onif(struct ifnet *ifp, uint32_t addr)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET && ifatoia(ifa)->ia_addr == addr)
			return ifatoia(ifa);
	return NULL;
}

struct in_ifaddr *
in_ifaddr_primary(struct ifnet *ifp)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET)
			return ifatoia(ifa);
	return NULL;
}

struct in_ifaddr *
in_ifaddr_lookup(struct netstack *ns, uint32_t addr)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next) {
		struct in_ifaddr *ia = in_ifaddr_onif(ifp, addr);

		if (ia != NULL)
			return ia;
	}
	return NULL;
}

bool
in_islocal(struct netstack *ns, uint32_t addr)
{
	struct in_ifaddr *ia = in_ifaddr_lookup(ns, addr);

	return ia != NULL && !(ia->ia_ifa.ifa_flags & IN_IFF_DUPLICATED);
}

/*
 * RFC 1122 3.2.1.3 / RFC 919: the limited broadcast (and, as BSD does,
 * 0.0.0.0), and on a broadcast-capable interface the directed broadcast
 * and the all-zeros host of each of its subnets (none for /31, RFC
 * 3021, and /32).
 */
bool
in_broadcast(uint32_t addr, const struct ifnet *ifp)
{
	if (addr == KINADDR_BROADCAST || addr == KINADDR_ANY)
		return true;
	if (ifp == NULL || !(ifp->if_flags & IFF_BROADCAST))
		return false;
	for (const struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		const struct in_ifaddr *ia = (const struct in_ifaddr *)ifa;

		if (ifa->ifa_family != AF_INET)
			continue;
		if (ia->ia_broadaddr != 0 && addr == ia->ia_broadaddr)
			return true;
		if (ia->ia_plen <= 30 && (addr == ia->ia_subnet ||
		    addr == (ia->ia_subnet | ~ia->ia_netmask)))
			return true;
	}
	return false;
}

struct in_ifaddr *
in_ifaddr_for(struct ifnet *ifp, uint32_t nh)
{
	struct in_ifaddr *first = NULL;

	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		struct in_ifaddr *ia = ifatoia(ifa);

		if (ifa->ifa_family != AF_INET || (ifa->ifa_flags &
		    (IN_IFF_DUPLICATED | IN_IFF_TENTATIVE)))
			continue;
		if ((nh & ia->ia_netmask) == ia->ia_subnet)
			return ia;
		if (first == NULL)
			first = ia;
	}
	return first;
}

struct ifnet *
in_duplicated_ifp(struct netstack *ns, const struct rtentry *rt,
    uint32_t dst)
{
	struct in_ifaddr *ia;

	if (rt == NULL || !(rt->rt_flags & RTF_LOCAL) ||
	    (ia = in_ifaddr_lookup(ns, dst)) == NULL ||
	    !(ia->ia_ifa.ifa_flags & IN_IFF_DUPLICATED))
		return NULL;
	return ia->ia_ifa.ifa_ifp;
}

int
in_selectsrc(struct netstack *ns, uint32_t dst, uint32_t *src,
    struct rtentry **rtp)
{
	struct rtentry *rt;
	struct in_ifaddr *ia;
	struct ifnet *ifp;
	uint32_t pref, nh;

	if ((rt = rt_lookup(ns, AF_INET, &dst)) == NULL)
		return ENETUNREACH;
	if (rtp != NULL)
		*rtp = rt;
	/* To the owner of an address we found duplicated: on its link. */
	if ((ifp = in_duplicated_ifp(ns, rt, dst)) != NULL) {
		if ((ia = in_ifaddr_for(ifp, dst)) == NULL)
			return EADDRNOTAVAIL;
		*src = ia->ia_addr;
		return 0;
	}
	/* The route's preferred source, if it is still ours and ready. */
	memcpy(&pref, rt->rt_ifaddr, sizeof(pref));
	if (pref != 0 && (ia = in_ifaddr_lookup(ns, pref)) != NULL &&
	    !(ia->ia_ifa.ifa_flags & (IN_IFF_DUPLICATED | IN_IFF_TENTATIVE))) {
		*src = pref;
		return 0;
	}
	/* To ourselves: the destination itself. */
	if ((rt->rt_flags & RTF_LOCAL) && in_islocal(ns, dst)) {
		*src = dst;
		return 0;
	}
	if (rt->rt_ifp == NULL)
		return EHOSTUNREACH;
	if (rt->rt_flags & RTF_GATEWAY)
		memcpy(&nh, rt->rt_gateway, sizeof(nh));
	else
		nh = dst;
	if ((ia = in_ifaddr_for(rt->rt_ifp, nh)) == NULL)
		return EADDRNOTAVAIL;
	*src = ia->ia_addr;
	return 0;
}

/* ---------------------------------------------------------------- routes */

static void
in_route_add(struct netstack *ns, const void *dst, unsigned plen,
    struct ifnet *ifp, int flags, uint32_t ifaddr)
{
	struct rtentry *rt;
	char a[16];
	int rv;

	if ((rv = rt_add(ns, AF_INET, dst, plen, NULL, ifp, flags, &rt)) != 0) {
		uint32_t d;

		memcpy(&d, dst, sizeof(d));
		kprintf("%s: %s: no route for %s/%u: error %d\n", ns->ns_name,
		    ifp->if_xname, in_fmtaddr(d, a), plen, rv);
		return;
	}
	memcpy(rt->rt_ifaddr, &ifaddr, sizeof(ifaddr));
}

static void
in_addroutes(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct netstack *ns = ifp->if_ns;
	struct ifnet *lo = if_lo0(ns);
	struct rtentry *rt;

	/* The local route replaces any route added by hand for the host. */
	if ((rt = rt_lookup_exact(ns, AF_INET, &ia->ia_addr, 32)) != NULL)
		(void)rt_delete(ns, AF_INET, &ia->ia_addr, 32);
	in_route_add(ns, &ia->ia_addr, 32, lo != NULL ? lo : ifp, RTF_LOCAL,
	    ia->ia_addr);
	if (ia->ia_plen < 32 &&
	    rt_lookup_exact(ns, AF_INET, &ia->ia_subnet, ia->ia_plen) == NULL)
		in_route_add(ns, &ia->ia_subnet, ia->ia_plen, ifp,
		    RTF_CONNECTED, ia->ia_addr);
}

/* An address other than 'not' with the same subnet, or NULL. */
static struct in_ifaddr *
in_subnet_owner(struct netstack *ns, const struct in_ifaddr *not,
    uint32_t subnet, unsigned plen)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
		for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
		    ifa = ifa->ifa_next) {
			struct in_ifaddr *ia = ifatoia(ifa);

			if (ifa->ifa_family == AF_INET && ia != not &&
			    ia->ia_subnet == subnet && ia->ia_plen == plen)
				return ia;
		}
	return NULL;
}

static void
in_delroutes(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct netstack *ns = ifp->if_ns;
	struct in_ifaddr *heir;
	struct rtentry *rt;

	rt = rt_lookup_exact(ns, AF_INET, &ia->ia_addr, 32);
	if (rt != NULL && (rt->rt_flags & RTF_LOCAL) &&
	    memcmp(rt->rt_ifaddr, &ia->ia_addr, sizeof(ia->ia_addr)) == 0)
		(void)rt_delete(ns, AF_INET, &ia->ia_addr, 32);
	if (ia->ia_plen >= 32)
		return;
	rt = rt_lookup_exact(ns, AF_INET, &ia->ia_subnet, ia->ia_plen);
	if (rt == NULL || !(rt->rt_flags & RTF_CONNECTED) ||
	    rt->rt_ifp != ifp ||
	    memcmp(rt->rt_ifaddr, &ia->ia_addr, sizeof(ia->ia_addr)) != 0)
		return;
	(void)rt_delete(ns, AF_INET, &ia->ia_subnet, ia->ia_plen);
	if ((heir = in_subnet_owner(ns, ia, ia->ia_subnet, ia->ia_plen)) !=
	    NULL)
		in_route_add(ns, &heir->ia_subnet, heir->ia_plen,
		    heir->ia_ifa.ifa_ifp, RTF_CONNECTED, heir->ia_addr);
}

/* ------------------------------------------------------------- addresses */

static void
in_setprefix(struct in_ifaddr *ia, unsigned plen, uint32_t broadaddr)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	ia->ia_plen = plen;
	ia->ia_netmask = in_prefixmask(plen);
	ia->ia_subnet = ia->ia_addr & ia->ia_netmask;
	if (broadaddr != 0)
		ia->ia_broadaddr = broadaddr;
	else if (plen <= 30 && (ifp->if_flags & IFF_BROADCAST))
		ia->ia_broadaddr = ia->ia_subnet | ~ia->ia_netmask;
	else
		ia->ia_broadaddr = 0;
}

/* => 0 or EINVAL: an address an interface may have. */
static int
in_checkaddr(uint32_t addr, unsigned plen)
{
	uint32_t mask;

	if (plen > 32 || addr == KINADDR_ANY || addr == KINADDR_BROADCAST ||
	    in_multicast(addr) || in_zeronet(addr))
		return EINVAL;
	mask = in_prefixmask(plen);
	/* RFC 1122 3.2.1.3: no host part of all zeros or all ones. */
	if (plen <= 30 && ((addr & ~mask) == 0 || (addr & ~mask) == ~mask))
		return EINVAL;
	return 0;
}

/*
 * Add addr/plen to ifp, first (primary) or last on its list.
 * => 0, EINVAL, EEXIST (some interface has it already).
 */
static int
in_addaddr_at(struct ifnet *ifp, uint32_t addr, unsigned plen,
    uint32_t broadaddr, bool primary)
{
	struct netstack *ns = ifp->if_ns;
	struct in_ifaddr *ia;
	struct ifaddr **pp;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	if ((rv = in_checkaddr(addr, plen)) != 0)
		return rv;
	if (in_ifaddr_lookup(ns, addr) != NULL)
		return EEXIST;
	ia = kmem_zalloc(sizeof(*ia));
	ia->ia_ifa.ifa_ifp = ifp;
	ia->ia_ifa.ifa_family = AF_INET;
	ia->ia_addr = addr;
	in_setprefix(ia, plen, broadaddr);
	arp_dad_init(ia);
	if (!(ifp->if_flags & IFF_UP))
		ia->ia_ifa.ifa_flags |= IN_IFF_DETACHED;
	pp = &ifp->if_addrlist;
	if (!primary)
		while (*pp != NULL)
			pp = &(*pp)->ifa_next;
	ia->ia_ifa.ifa_next = *pp;
	*pp = &ia->ia_ifa;
	in_addroutes(ia);
	if (ifp->if_flags & IFF_UP)
		arp_dad_start(ia);
	return 0;
}

int
in_addaddr(struct ifnet *ifp, uint32_t addr, unsigned plen,
    uint32_t broadaddr)
{
	return in_addaddr_at(ifp, addr, plen, broadaddr, false);
}

int
in_addaddr_primary(struct ifnet *ifp, uint32_t addr, unsigned plen,
    uint32_t broadaddr)
{
	return in_addaddr_at(ifp, addr, plen, broadaddr, true);
}

/* Change the prefix length / broadcast of an address ifp has. */
int
in_updateaddr(struct in_ifaddr *ia, unsigned plen, uint32_t broadaddr)
{
	int rv;

	if ((rv = in_checkaddr(ia->ia_addr, plen)) != 0)
		return rv;
	in_delroutes(ia);
	in_setprefix(ia, plen, broadaddr);
	in_addroutes(ia);
	return 0;
}

static void
in_freeaddr(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct ifaddr **pp;

	arp_dad_stop(ia);
	for (pp = &ifp->if_addrlist; *pp != &ia->ia_ifa; pp = &(*pp)->ifa_next)
		KASSERT(*pp != NULL);
	*pp = ia->ia_ifa.ifa_next;
	in_delroutes(ia);
	/* Neighbours on the subnet, unless another address still has it. */
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET &&
		    ifatoia(ifa)->ia_subnet == ia->ia_subnet &&
		    ifatoia(ifa)->ia_plen == ia->ia_plen)
			goto done;
	arp_purge_prefix(ifp, ia->ia_subnet, ia->ia_plen);
done:
	kmem_free(ia, sizeof(*ia));
}

int
in_deladdr(struct ifnet *ifp, uint32_t addr)
{
	struct in_ifaddr *ia;

	KASSERT(klock_held(&ifp->if_ns->ns_klock));
	if ((ia = in_ifaddr_onif(ifp, addr)) == NULL)
		return EADDRNOTAVAIL;
	in_freeaddr(ia);
	return 0;
}

static void
in_purgeaddrs(struct ifnet *ifp)
{
	struct in_ifaddr *ia;

	while ((ia = in_ifaddr_primary(ifp)) != NULL)
		in_freeaddr(ia);
	arp_purge_ifp(ifp);
}

/* ----------------------------------------------------- interface hooks */

static void
in_if_up(struct ifnet *ifp)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		if (ifa->ifa_family != AF_INET)
			continue;
		ifa->ifa_flags &= ~IN_IFF_DETACHED;
		arp_dad_start(ifatoia(ifa));
	}
}

static void
in_if_down(struct ifnet *ifp)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		if (ifa->ifa_family != AF_INET)
			continue;
		arp_dad_stop(ifatoia(ifa));
		ifa->ifa_flags &= ~IN_IFF_TENTATIVE;
		ifa->ifa_flags |= IN_IFF_DETACHED;
	}
	arp_purge_ifp(ifp);
}

static void
in_if_lladdr(struct ifnet *ifp, bool announce)
{
	if (!announce)
		return;
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET && !(ifa->ifa_flags &
		    (IN_IFF_TENTATIVE | IN_IFF_DUPLICATED)))
			arp_announce(ifp, ifatoia(ifa)->ia_addr);
}

static const struct if_afhooks in_afhooks = {
	.ifh_family = AF_INET,
	.ifh_up = in_if_up,
	.ifh_down = in_if_down,
	.ifh_lladdr = in_if_lladdr,
	.ifh_detach = in_purgeaddrs,
};

/* --------------------------------------------------------------- module */

static void inet_fini(struct netstack *);

static int
inet_init(struct netstack *ns)
{
	struct ifnet *lo0;
	int rv;

	if ((rv = arp_init(ns)) != 0)
		return rv;
	if ((rv = if_afhooks_register(ns, &in_afhooks)) != 0 ||
	    (rv = domain_control_register(ns, AF_INET, in_control)) != 0)
		goto fail;
	if ((lo0 = if_lo0(ns)) != NULL &&
	    (rv = in_addaddr(lo0, htonl(KINADDR_LOOPBACK), 8, 0)) != 0)
		goto fail;
	return 0;

fail:
	inet_fini(ns);
	return rv;
}

static void
inet_fini(struct netstack *ns)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
		in_purgeaddrs(ifp);
	if_afhooks_unregister(ns, &in_afhooks);
	if (domain_control_lookup(ns, AF_INET) == in_control)
		(void)domain_control_register(ns, AF_INET, NULL);
	arp_fini(ns);
}

const struct netstack_module inet_module = {
	.nm_name = "inet",
	.nm_init = inet_init,
	.nm_fini = inet_fini,
};
