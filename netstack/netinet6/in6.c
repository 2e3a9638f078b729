/*
 * in6.c -- IPv6 interface addresses and the inet6 module (inet6_module):
 * address helpers, link-local addresses from the interface identifier
 * (RFC 4291, RFC 4862 5.3), duplicate address detection (RFC 4862
 * 5.4), local and connected routes, source address selection (RFC 6724,
 * simplified) and the interface hooks.
 *
 * Each address owns, like an IPv4 one (in.c), a local host route
 * addr/128 (RTF_LOCAL) through lo0 and a connected route for its prefix
 * (RTF_CONNECTED) through the interface, unless the prefix is /128 or
 * another address already provides it.  Route keys of link-local
 * addresses carry the zone (in6.h), so fe80::/64 exists once per
 * interface.
 *
 * Duplicate address detection: an address added to an interface that
 * is up (or present when it comes up) is TENTATIVE; one NS from :: to
 * its solicited-node group goes out at once and every RetransTimer
 * (1 s) until net.inet6.ip6.dad_count were sent; one RetransTimer after
 * the last, without a conflict, the address becomes preferred.  An NS
 * from :: or an NA for it meanwhile marks it DUPLICATED (never used).
 * Tentative and duplicated addresses are not sources and do not accept
 * traffic (in6_islocal).  Loopback and IN6_IFF_NODAD addresses skip
 * detection.  Preferred and valid lifetimes (seconds) deprecate and
 * then remove an address (RFC 4862 5.5.4).
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/modules.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/ip6_var.h"

const uint8_t in6addr_any[16];
const uint8_t in6addr_loopback[16] = { [15] = 1 };
const uint8_t in6addr_linklocal_allnodes[16] = { 0xff, 0x02, [15] = 1 };
const uint8_t in6addr_linklocal_allrouters[16] = { 0xff, 0x02, [15] = 2 };

/* ------------------------------------------------------------- helpers */

void
in6_solicited_node(const uint8_t *a, uint8_t *out)
{
	memset(out, 0, 16);
	out[0] = 0xff;
	out[1] = 0x02;
	out[11] = 0x01;
	out[12] = 0xff;
	memcpy(out + 13, a + 13, 3);
}

void
in6_prefixmask(unsigned plen, uint8_t *mask)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
	}
}

bool
in6_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	return in6_common_prefix(a, b) >= plen;
}

unsigned
in6_common_prefix(const uint8_t *a, const uint8_t *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 16; i++) {
		uint8_t x = a[i] ^ b[i];

		if (x == 0) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			x <<= 1;
			n++;
		}
		break;
	}
	return n;
}

void
in6_rtkey(const uint8_t *addr, unsigned ifindex, uint8_t *key)
{
	memcpy(key, addr, 16);
	if (in6_is_scoped(addr))
		be16enc(key + 2, (uint16_t)ifindex);
}

unsigned
in6_rtkey_addr(const uint8_t *key, uint8_t *addr)
{
	unsigned zone = 0;

	memcpy(addr, key, 16);
	if (in6_is_scoped(key)) {
		zone = be16dec(key + 2);
		addr[2] = addr[3] = 0;
	}
	return zone;
}

char *
in6_fmtaddr(const uint8_t *a, char *buf)
{
	int best = -1, bestlen = 0, run = -1, runlen = 0;
	size_t o = 0;

	if (in6_is_v4mapped(a)) {
		ksnprintf(buf, IN6_ADDRSTRLEN, "::ffff:%u.%u.%u.%u", a[12],
		    a[13], a[14], a[15]);
		return buf;
	}
	for (int i = 0; i < 8; i++) {
		if (a[2 * i] == 0 && a[2 * i + 1] == 0) {
			if (run < 0) {
				run = i;
				runlen = 0;
			}
			if (++runlen > bestlen) {
				best = run;
				bestlen = runlen;
			}
		} else {
			run = -1;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			o += (size_t)ksnprintf(buf + o, IN6_ADDRSTRLEN - o, "::");
			i += bestlen - 1;
			continue;
		}
		o += (size_t)ksnprintf(buf + o, IN6_ADDRSTRLEN - o, "%s%x",
		    (i > 0 && i != best + bestlen) || (i > 0 && best < 0) ?
		    ":" : "", be16dec(a + 2 * i));
	}
	return buf;
}

void
in6_ifid(const struct ifnet *ifp, uint8_t id[8])
{
	const uint8_t *l = ifp->if_lladdr;

	id[0] = l[0] ^ 0x02;		/* universal/local bit inverted */
	id[1] = l[1];
	id[2] = l[2];
	id[3] = 0xff;
	id[4] = 0xfe;
	id[5] = l[3];
	id[6] = l[4];
	id[7] = l[5];
}

int
in6_dad_count(struct netstack *ns)
{
	return nd6_state(ns)->nd_dad_count;
}

/* --------------------------------------------------------------- lookup */

struct in6_ifaddr *
in6_ifaddr_onif(struct ifnet *ifp, const uint8_t *addr)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET6 &&
		    memcmp(ifatoia6(ifa)->ia_addr, addr, 16) == 0)
			return ifatoia6(ifa);
	return NULL;
}

struct in6_ifaddr *
in6_ifaddr_lookup(struct netstack *ns, const uint8_t *addr, unsigned scope)
{
	if (in6_is_scoped(addr)) {
		struct ifnet *ifp = if_byindex(ns, scope);

		return ifp != NULL ? in6_ifaddr_onif(ifp, addr) : NULL;
	}
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next) {
		struct in6_ifaddr *ia = in6_ifaddr_onif(ifp, addr);

		if (ia != NULL)
			return ia;
	}
	return NULL;
}

unsigned
in6_addr_zone(struct netstack *ns, const uint8_t *addr)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
		if (in6_ifaddr_onif(ifp, addr) != NULL)
			return ifp->if_index;
	return 0;
}

bool
in6_islocal(struct netstack *ns, const uint8_t *addr, unsigned scope)
{
	struct in6_ifaddr *ia = in6_ifaddr_lookup(ns, addr, scope);

	return ia != NULL && !(ia->ia_ifa.ifa_flags & IN6_IFF_NOTREADY);
}

struct in6_ifaddr *
in6_ifaddr_linklocal(struct ifnet *ifp, bool ready)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		if (ifa->ifa_family != AF_INET6 ||
		    !in6_is_linklocal(ifatoia6(ifa)->ia_addr))
			continue;
		if (ready && (ifa->ifa_flags & (IN6_IFF_NOTREADY |
		    IN6_IFF_DETACHED)))
			continue;
		return ifatoia6(ifa);
	}
	return NULL;
}

/* Scope of an address for RFC 6724 comparisons. */
static unsigned
in6_scope(const uint8_t *a)
{
	if (in6_is_multicast(a))
		return in6_mc_scope(a);
	if (in6_is_linklocal(a) || in6_is_loopback(a))
		return 2;
	return 14;
}

int
in6_route(struct netstack *ns, const uint8_t *dst, unsigned scope,
    struct ifnet **ifpp, uint8_t *nexthop, struct rtentry **rtp)
{
	uint8_t key[16];
	struct rtentry *rt;
	struct ifnet *ifp;

	*rtp = NULL;
	if (in6_is_scoped(dst)) {
		if (scope == 0)
			return EHOSTUNREACH;
		if ((ifp = if_byindex(ns, scope)) == NULL)
			return ENXIO;
		in6_rtkey(dst, scope, key);
		rt = rt_lookup(ns, AF_INET6, key);
		if (rt != NULL && (rt->rt_flags & RTF_LOCAL) &&
		    memcmp(rt->rt_dst, key, 16) == 0 && rt->rt_plen == 128 &&
		    in6_islocal(ns, dst, scope)) {
			ifp = rt->rt_ifp;
			*rtp = rt;
		}
		*ifpp = ifp;
		memcpy(nexthop, dst, 16);
		return 0;
	}
	rt = rt_lookup(ns, AF_INET6, dst);
	if (rt == NULL)
		return ENETUNREACH;
	if ((rt->rt_flags & RTF_LOCAL) && !in6_islocal(ns, dst, 0) &&
	    (ifp = if_byindex(ns, in6_addr_zone(ns, dst))) != NULL) {
		/* Our duplicated (or tentative) copy: the owner is on the
		 * link of that interface. */
		*ifpp = ifp;
		memcpy(nexthop, dst, 16);
		return 0;
	}
	if (rt->rt_flags & RTF_REJECT)
		return EHOSTUNREACH;
	*rtp = rt;
	*ifpp = rt->rt_ifp;
	if (rt->rt_flags & RTF_GATEWAY)
		(void)in6_rtkey_addr(rt->rt_gateway, nexthop);
	else
		memcpy(nexthop, dst, 16);
	if (scope != 0 && (rt->rt_ifp == NULL || scope != rt->rt_ifp->if_index) &&
	    !(rt->rt_flags & RTF_LOCAL)) {
		/* A forced interface: the destination is taken as on-link. */
		if ((ifp = if_byindex(ns, scope)) == NULL)
			return ENXIO;
		*ifpp = ifp;
		memcpy(nexthop, dst, 16);
	}
	if (*ifpp == NULL)
		return ENETUNREACH;
	return 0;
}

int
in6_selectsrc(struct netstack *ns, const uint8_t *dst, struct ifnet *ifp,
    uint8_t *src)
{
	struct in6_ifaddr *best = NULL;
	unsigned dscope = in6_scope(dst), bscore = 0;

	if (ifp == NULL) {
		uint8_t nh[16];
		struct rtentry *rt;

		if (in6_route(ns, dst, 0, &ifp, nh, &rt) != 0)
			ifp = NULL;
	}
	/* Rule 1: the destination itself. */
	if (!in6_is_multicast(dst) && in6_islocal(ns, dst,
	    ifp != NULL ? ifp->if_index : 0)) {
		memcpy(src, dst, 16);
		return 0;
	}
	for (struct ifnet *i = if_first(ns); i != NULL; i = i->if_next) {
		for (struct ifaddr *ifa = i->if_addrlist; ifa != NULL;
		    ifa = ifa->ifa_next) {
			struct in6_ifaddr *ia = ifatoia6(ifa);
			unsigned s, score;

			if (ifa->ifa_family != AF_INET6 || (ifa->ifa_flags &
			    (IN6_IFF_NOTREADY | IN6_IFF_DETACHED |
			    IN6_IFF_ANYCAST)))
				continue;
			s = in6_scope(ia->ia_addr);
			/* A link-local source only on its own link. */
			if (s <= 2 && ifp != NULL && i != ifp &&
			    !in6_is_loopback(dst))
				continue;
			if (in6_is_loopback(ia->ia_addr) &&
			    !in6_is_loopback(dst))
				continue;
			/* Rules 2, 3, 5, 8, most significant first. */
			score = (s >= dscope ? 1u << 30 : 0) +
			    (s >= dscope ? (unsigned)(16 - s) << 20 :
			    (unsigned)s << 20) +
			    (ifa->ifa_flags & IN6_IFF_DEPRECATED ? 0 :
			    1u << 19) +
			    (i == ifp ? 1u << 18 : 0) +
			    in6_common_prefix(ia->ia_addr, dst) + 1;
			if (score > bscore) {
				bscore = score;
				best = ia;
			}
		}
	}
	if (best == NULL)
		return EADDRNOTAVAIL;
	memcpy(src, best->ia_addr, 16);
	return 0;
}

/* ---------------------------------------------------------------- routes */

static void
in6_route_add(struct netstack *ns, const uint8_t *key, unsigned plen,
    struct ifnet *ifp, int flags, const uint8_t *ifaddr)
{
	struct rtentry *rt;
	char a[IN6_ADDRSTRLEN];
	int rv;

	if ((rv = rt_add(ns, AF_INET6, key, plen, NULL, ifp, flags, &rt)) !=
	    0) {
		kprintf("%s: %s: no route for %s/%u: error %d\n", ns->ns_name,
		    ifp->if_xname, in6_fmtaddr(key, a), plen, rv);
		return;
	}
	memcpy(rt->rt_ifaddr, ifaddr, 16);
}

static void
in6_prefixkey(const struct in6_ifaddr *ia, uint8_t *key)
{
	uint8_t pfx[16];

	for (unsigned i = 0; i < 16; i++)
		pfx[i] = ia->ia_addr[i] & ia->ia_mask[i];
	in6_rtkey(pfx, ia->ia_ifa.ifa_ifp->if_index, key);
}

static void
in6_addroutes(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct netstack *ns = ifp->if_ns;
	struct ifnet *lo = if_lo0(ns);
	uint8_t key[16];

	in6_rtkey(ia->ia_addr, ifp->if_index, key);
	if (rt_lookup_exact(ns, AF_INET6, key, 128) != NULL)
		(void)rt_delete(ns, AF_INET6, key, 128);
	in6_route_add(ns, key, 128, lo != NULL ? lo : ifp, RTF_LOCAL,
	    ia->ia_addr);
	if (ia->ia_plen < 128) {
		in6_prefixkey(ia, key);
		if (rt_lookup_exact(ns, AF_INET6, key, ia->ia_plen) == NULL)
			in6_route_add(ns, key, ia->ia_plen, ifp, RTF_CONNECTED,
			    ia->ia_addr);
	}
}

static void
in6_delroutes(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct netstack *ns = ifp->if_ns;
	struct rtentry *rt;
	uint8_t key[16];

	in6_rtkey(ia->ia_addr, ifp->if_index, key);
	rt = rt_lookup_exact(ns, AF_INET6, key, 128);
	if (rt != NULL && (rt->rt_flags & RTF_LOCAL) &&
	    memcmp(rt->rt_ifaddr, ia->ia_addr, 16) == 0)
		(void)rt_delete(ns, AF_INET6, key, 128);
	if (ia->ia_plen >= 128)
		return;
	in6_prefixkey(ia, key);
	rt = rt_lookup_exact(ns, AF_INET6, key, ia->ia_plen);
	if (rt == NULL || !(rt->rt_flags & RTF_CONNECTED) ||
	    rt->rt_ifp != ifp || memcmp(rt->rt_ifaddr, ia->ia_addr, 16) != 0)
		return;
	(void)rt_delete(ns, AF_INET6, key, ia->ia_plen);
	/* Hand the prefix route to another address with the prefix. */
	for (struct ifnet *i = if_first(ns); i != NULL; i = i->if_next)
		for (struct ifaddr *ifa = i->if_addrlist; ifa != NULL;
		    ifa = ifa->ifa_next) {
			struct in6_ifaddr *o = ifatoia6(ifa);
			uint8_t okey[16];

			if (ifa->ifa_family != AF_INET6 || o == ia ||
			    o->ia_plen != ia->ia_plen)
				continue;
			in6_prefixkey(o, okey);
			if (memcmp(okey, key, 16) != 0)
				continue;
			in6_route_add(ns, okey, o->ia_plen, i, RTF_CONNECTED,
			    o->ia_addr);
			return;
		}
}

/* ------------------------------------------------------------------ DAD */

/*
 * Lifetimes (RFC 4862 5.5.4): the address is deprecated when its
 * preferred lifetime ends and removed when its valid lifetime does.
 * The DAD callout serves once the address is no longer tentative.
 */
static void
in6_lifetime_arm(struct in6_ifaddr *ia)
{
	uint64_t when = UINT64_MAX;

	if (ia->ia_vltime != ND6_INFINITE_LIFETIME)
		when = ia->ia_updated + NS_SEC((uint64_t)ia->ia_vltime);
	if (ia->ia_pltime != ND6_INFINITE_LIFETIME &&
	    !(ia->ia_ifa.ifa_flags & IN6_IFF_DEPRECATED))
		when = MIN(when, ia->ia_updated +
		    NS_SEC((uint64_t)ia->ia_pltime));
	if (when == UINT64_MAX)
		callout_stop(&ia->ia_dadtimer);
	else
		callout_schedule_at(&ia->ia_dadtimer, when);
}

static void in6_freeaddr(struct in6_ifaddr *);

static void
in6_lifetime_expire(struct in6_ifaddr *ia)
{
	uint64_t now = netstack_now(ia->ia_ifa.ifa_ifp->if_ns);

	if (ia->ia_vltime != ND6_INFINITE_LIFETIME &&
	    now >= ia->ia_updated + NS_SEC((uint64_t)ia->ia_vltime)) {
		in6_freeaddr(ia);
		return;
	}
	if (ia->ia_pltime != ND6_INFINITE_LIFETIME &&
	    now >= ia->ia_updated + NS_SEC((uint64_t)ia->ia_pltime))
		ia->ia_ifa.ifa_flags |= IN6_IFF_DEPRECATED;
	in6_lifetime_arm(ia);
}

static void
in6_dad_done(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct nd6_state *nd = nd6_state(ifp->if_ns);

	ia->ia_ifa.ifa_flags &= ~IN6_IFF_TENTATIVE;
	in6_lifetime_arm(ia);
	/* Router discovery starts once the link-local address is ready. */
	if (in6_is_linklocal(ia->ia_addr) && nd->nd_accept_rtadv &&
	    ip6_state(ifp->if_ns) != NULL &&
	    !ip6_state(ifp->if_ns)->ip6s_forwarding)
		nd6_rs_output(ifp);
}

static void
in6_dad_timer(void *arg)
{
	struct in6_ifaddr *ia = arg;
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	if (ia->ia_ifa.ifa_flags & IN6_IFF_DETACHED)
		return;
	if (!(ia->ia_ifa.ifa_flags & IN6_IFF_TENTATIVE)) {
		in6_lifetime_expire(ia);
		return;
	}
	if (ia->ia_dadsent < (unsigned)in6_dad_count(ifp->if_ns)) {
		ia->ia_dadsent++;
		callout_schedule(&ia->ia_dadtimer, ND6_RETRANS);
		nd6_ns_output(ifp, NULL, NULL, ia->ia_addr);
		return;
	}
	in6_dad_done(ia);
}

static void
in6_dad_start(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	callout_stop(&ia->ia_dadtimer);
	ia->ia_ifa.ifa_flags &= ~IN6_IFF_DUPLICATED;
	if ((ia->ia_ifa.ifa_flags & (IN6_IFF_NODAD | IN6_IFF_ANYCAST)) ||
	    (ifp->if_flags & IFF_LOOPBACK) || in6_dad_count(ifp->if_ns) == 0) {
		ia->ia_ifa.ifa_flags &= ~IN6_IFF_TENTATIVE;
		if (in6_is_linklocal(ia->ia_addr) && !(ifp->if_flags &
		    IFF_LOOPBACK))
			in6_dad_done(ia);
		else
			in6_lifetime_arm(ia);
		return;
	}
	ia->ia_ifa.ifa_flags |= IN6_IFF_TENTATIVE;
	ia->ia_dadsent = 0;
	in6_dad_timer(ia);
}

void
in6_dad_duplicated(struct in6_ifaddr *ia, const char *why)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	char a[IN6_ADDRSTRLEN];

	ND6_STATINC(nd6_state(ifp->if_ns), ND6_STAT_DADDUP);
	callout_stop(&ia->ia_dadtimer);
	ia->ia_ifa.ifa_flags &= ~IN6_IFF_TENTATIVE;
	ia->ia_ifa.ifa_flags |= IN6_IFF_DUPLICATED;
	kprintf("%s: %s: DAD detected duplicate IPv6 address %s: %s\n",
	    ifp->if_ns->ns_name, ifp->if_xname, in6_fmtaddr(ia->ia_addr, a),
	    why);
}

/* ------------------------------------------------------------- addresses */

static int
in6_checkaddr(const uint8_t *addr, unsigned plen)
{
	if (plen > 128 || in6_is_unspecified(addr) || in6_is_multicast(addr) ||
	    in6_is_v4mapped(addr))
		return EINVAL;
	return 0;
}

static void
in6_setprefix(struct in6_ifaddr *ia, unsigned plen)
{
	ia->ia_plen = plen;
	in6_prefixmask(plen, ia->ia_mask);
}

int
in6_addaddr(struct ifnet *ifp, const uint8_t *addr, unsigned plen,
    unsigned flags, uint32_t pltime, uint32_t vltime)
{
	struct netstack *ns = ifp->if_ns;
	struct in6_ifaddr *ia;
	struct ifaddr **pp;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	if ((rv = in6_checkaddr(addr, plen)) != 0)
		return rv;
	flags &= IN6_IFF_ANYCAST | IN6_IFF_NODAD | IN6_IFF_AUTOCONF |
	    IN6_IFF_DEPRECATED;
	if ((ia = in6_ifaddr_onif(ifp, addr)) != NULL) {
		if (ia->ia_plen != plen) {
			in6_delroutes(ia);
			in6_setprefix(ia, plen);
			in6_addroutes(ia);
		}
		ia->ia_pltime = pltime;
		ia->ia_vltime = vltime;
		ia->ia_updated = netstack_now(ns);
		ia->ia_ifa.ifa_flags = (ia->ia_ifa.ifa_flags &
		    ~IN6_IFF_DEPRECATED) | (flags & IN6_IFF_DEPRECATED);
		if (pltime == 0)
			ia->ia_ifa.ifa_flags |= IN6_IFF_DEPRECATED;
		if (!(ia->ia_ifa.ifa_flags & (IN6_IFF_NOTREADY |
		    IN6_IFF_DETACHED)))
			in6_lifetime_arm(ia);
		return 0;
	}
	if (!in6_is_linklocal(addr) &&
	    in6_ifaddr_lookup(ns, addr, 0) != NULL)
		return EEXIST;
	ia = kmem_zalloc(sizeof(*ia));
	ia->ia_ifa.ifa_ifp = ifp;
	ia->ia_ifa.ifa_family = AF_INET6;
	ia->ia_ifa.ifa_flags = flags;
	memcpy(ia->ia_addr, addr, 16);
	in6_setprefix(ia, plen);
	ia->ia_pltime = pltime;
	ia->ia_vltime = vltime;
	ia->ia_updated = netstack_now(ns);
	callout_init(&ia->ia_dadtimer, ns, in6_dad_timer, ia);
	for (pp = &ifp->if_addrlist; *pp != NULL; pp = &(*pp)->ifa_next)
		continue;
	*pp = &ia->ia_ifa;
	in6_addroutes(ia);
	if (ifp->if_flags & IFF_UP)
		in6_dad_start(ia);
	else
		ia->ia_ifa.ifa_flags |= IN6_IFF_DETACHED;
	return 0;
}

static void
in6_freeaddr(struct in6_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	struct ifaddr **pp;
	uint8_t pfx[16];

	for (pp = &ifp->if_addrlist; *pp != &ia->ia_ifa; pp = &(*pp)->ifa_next)
		KASSERT(*pp != NULL);
	*pp = ia->ia_ifa.ifa_next;
	callout_stop(&ia->ia_dadtimer);
	in6_delroutes(ia);
	for (unsigned i = 0; i < 16; i++)
		pfx[i] = ia->ia_addr[i] & ia->ia_mask[i];
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET6 &&
		    ifatoia6(ifa)->ia_plen == ia->ia_plen &&
		    in6_prefix_match(ifatoia6(ifa)->ia_addr, pfx, ia->ia_plen))
			goto done;
	nd6_purge(ifp, pfx, ia->ia_plen);
done:
	kmem_free(ia, sizeof(*ia));
}

int
in6_deladdr(struct ifnet *ifp, const uint8_t *addr)
{
	struct in6_ifaddr *ia;

	KASSERT(klock_held(&ifp->if_ns->ns_klock));
	if ((ia = in6_ifaddr_onif(ifp, addr)) == NULL)
		return EADDRNOTAVAIL;
	in6_freeaddr(ia);
	return 0;
}

static void
in6_purgeaddrs(struct ifnet *ifp)
{
	struct ifaddr *ifa, *next;

	for (ifa = ifp->if_addrlist; ifa != NULL; ifa = next) {
		next = ifa->ifa_next;
		if (ifa->ifa_family == AF_INET6)
			in6_freeaddr(ifatoia6(ifa));
	}
	nd6_purge(ifp, NULL, 0);
}

/* ------------------------------------------------------ interface hooks */

static void
in6_if_up(struct ifnet *ifp)
{
	struct nd6_state *nd = nd6_state(ifp->if_ns);

	if (ifp->if_type == IFT_ETHER && nd->nd_auto_linklocal &&
	    in6_ifaddr_linklocal(ifp, false) == NULL) {
		uint8_t ll[16] = { 0xfe, 0x80 };

		in6_ifid(ifp, ll + 8);
		(void)in6_addaddr(ifp, ll, 64, 0, ND6_INFINITE_LIFETIME,
		    ND6_INFINITE_LIFETIME);
	}
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		if (ifa->ifa_family != AF_INET6 ||
		    !(ifa->ifa_flags & IN6_IFF_DETACHED))
			continue;
		ifa->ifa_flags &= ~IN6_IFF_DETACHED;
		in6_dad_start(ifatoia6(ifa));
	}
}

static void
in6_if_down(struct ifnet *ifp)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET6) {
			ifa->ifa_flags |= IN6_IFF_DETACHED;
			callout_stop(&ifatoia6(ifa)->ia_dadtimer);
		}
	nd6_purge(ifp, NULL, 0);
}

/* A new link address: tell the neighbours (unsolicited NA, RFC 4861
 * 7.2.6) when asked to announce. */
static void
in6_if_lladdr(struct ifnet *ifp, bool announce)
{
	if (!announce || !(ifp->if_flags & IFF_UP))
		return;
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next)
		if (ifa->ifa_family == AF_INET6 &&
		    !(ifa->ifa_flags & IN6_IFF_NOTREADY))
			nd6_na_output(ifp, in6addr_linklocal_allnodes,
			    ifatoia6(ifa)->ia_addr, ND_NA_FLAG_OVERRIDE, true);
}

static const struct if_afhooks in6_afhooks = {
	.ifh_family = AF_INET6,
	.ifh_up = in6_if_up,
	.ifh_down = in6_if_down,
	.ifh_lladdr = in6_if_lladdr,
	.ifh_detach = in6_purgeaddrs,
};

/* --------------------------------------------------------------- module */

static void inet6_fini(struct netstack *);

static int
inet6_init(struct netstack *ns)
{
	struct ifnet *lo0;
	int rv;

	if ((rv = nd6_init(ns)) != 0)
		return rv;
	if ((rv = if_afhooks_register(ns, &in6_afhooks)) != 0 ||
	    (rv = domain_control_register(ns, AF_INET6, in6_control)) != 0)
		goto fail;
	if ((lo0 = if_lo0(ns)) != NULL &&
	    (rv = in6_addaddr(lo0, in6addr_loopback, 128, IN6_IFF_NODAD,
	    ND6_INFINITE_LIFETIME, ND6_INFINITE_LIFETIME)) != 0)
		goto fail;
	return 0;

fail:
	inet6_fini(ns);
	return rv;
}

static void
inet6_fini(struct netstack *ns)
{
	if (nd6_state(ns) == NULL)
		return;
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
		in6_purgeaddrs(ifp);
	if_afhooks_unregister(ns, &in6_afhooks);
	if (domain_control_lookup(ns, AF_INET6) == in6_control)
		(void)domain_control_register(ns, AF_INET6, NULL);
	nd6_fini(ns);
}

const struct netstack_module inet6_module = {
	.nm_name = "inet6",
	.nm_init = inet6_init,
	.nm_fini = inet6_fini,
};
