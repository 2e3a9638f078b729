/*
 * in6_var.h -- IPv6 interface addresses and the services other modules
 * use to ask "is this address mine / which source do I use" (inet6
 * module, in6.c).  All with the kernel lock held [K].
 */
#ifndef _NETSTACK_NETINET6_IN6_VAR_H_
#define _NETSTACK_NETINET6_IN6_VAR_H_

#include "netstack/net/if.h"
#include "netstack/net/route.h"
#include "netstack/netinet6/in6.h"

/* ifa_flags of IPv6 addresses: NetBSD's IN6_IFF_* values, as in the
 * control ABI (RUMP_IN6_IFF_*). */
#define IN6_IFF_ANYCAST		0x01
#define IN6_IFF_TENTATIVE	0x02	/* duplicate detection running */
#define IN6_IFF_DUPLICATED	0x04	/* another node has it */
#define IN6_IFF_DETACHED	0x08	/* interface down */
#define IN6_IFF_DEPRECATED	0x10	/* preferred lifetime over */
#define IN6_IFF_NODAD		0x20	/* no duplicate detection */
#define IN6_IFF_AUTOCONF	0x40	/* from a router advertisement */
#define IN6_IFF_NOTREADY	(IN6_IFF_TENTATIVE | IN6_IFF_DUPLICATED)

#define ND6_INFINITE_LIFETIME	0xffffffffu

struct in6_ifaddr {
	struct ifaddr	ia_ifa;		/* must be first */
	uint8_t		ia_addr[16];
	uint8_t		ia_mask[16];
	unsigned	ia_plen;
	uint32_t	ia_pltime;	/* seconds, ND6_INFINITE_LIFETIME */
	uint32_t	ia_vltime;
	uint64_t	ia_updated;	/* netstack time lifetimes were set */
	/* Duplicate address detection (RFC 4862 5.4). */
	unsigned	ia_dadsent;	/* probes sent */
	struct callout	ia_dadtimer;
};

static inline struct in6_ifaddr *
ifatoia6(struct ifaddr *ifa)
{
	return (struct in6_ifaddr *)ifa;
}

/* The AF_INET6 domain control (in6_control.c). */
int in6_control(struct netstack *ns, unsigned long cmd, void *data);

/*
 * Add addr/plen to ifp (IN6_IFF_* flags given: ANYCAST, NODAD,
 * AUTOCONF, DEPRECATED) with lifetimes in seconds.  Adds the local
 * host route and the connected prefix route, and starts duplicate
 * detection if the interface is up.  An address ifp already has is
 * updated (prefix, lifetimes).
 * => 0, EINVAL (bad address/prefix), EEXIST (another interface has
 *    this global address).
 */
int in6_addaddr(struct ifnet *ifp, const uint8_t *addr, unsigned plen,
    unsigned flags, uint32_t pltime, uint32_t vltime);
/* => 0 or EADDRNOTAVAIL. */
int in6_deladdr(struct ifnet *ifp, const uint8_t *addr);

/* The address record of addr on ifp (any state), or NULL. */
struct in6_ifaddr *in6_ifaddr_onif(struct ifnet *ifp, const uint8_t *addr);
/* The record of addr in zone 'scope' (interface index; needed for
 * link-local addresses, ignored otherwise), any state, or NULL. */
struct in6_ifaddr *in6_ifaddr_lookup(struct netstack *ns,
    const uint8_t *addr, unsigned scope);
/* The index of an interface that has addr (any state), or 0. */
unsigned in6_addr_zone(struct netstack *ns, const uint8_t *addr);
/* Is addr (in zone 'scope') ours and usable (not tentative/duplicated)? */
bool in6_islocal(struct netstack *ns, const uint8_t *addr, unsigned scope);
/* The link-local address of ifp usable as a source, or NULL. */
struct in6_ifaddr *in6_ifaddr_linklocal(struct ifnet *ifp, bool ready);

/*
 * Source address selection (RFC 6724 section 5, simplified: rules 1
 * same address, 2 appropriate scope, 3 avoid deprecated, 5 prefer the
 * outgoing interface, 8 longest matching prefix) among the usable
 * addresses, for a packet to dst leaving through ifp (NULL: by route).
 * => 0 and src, or EADDRNOTAVAIL.
 */
int in6_selectsrc(struct netstack *ns, const uint8_t *dst, struct ifnet *ifp,
    uint8_t *src);

/*
 * Where a packet to dst (zone 'scope' for scoped addresses) goes:
 * output interface and next hop.  *rtp gets the route (NULL for
 * scoped destinations, which need no route).
 * => 0, ENETUNREACH (no route), EHOSTUNREACH (scoped without a zone, or
 *    a reject route), ENXIO (no such zone).
 */
int in6_route(struct netstack *ns, const uint8_t *dst, unsigned scope,
    struct ifnet **ifpp, uint8_t *nexthop, struct rtentry **rtp);

/* Modified EUI-64 interface identifier of ifp (RFC 4291 app. A). */
void in6_ifid(const struct ifnet *ifp, uint8_t id[8]);

/* Module tunables, read by ip6/nd6 code. */
int in6_dad_count(struct netstack *ns);

/* Neighbour discovery (nd6*.c), called by the IPv6 and ICMPv6 code. */
struct mbuf;
void nd6_ns_input(struct netstack *ns, struct mbuf *m, unsigned off);
void nd6_na_input(struct netstack *ns, struct mbuf *m, unsigned off);
void nd6_rs_input(struct netstack *ns, struct mbuf *m, unsigned off);
void nd6_ra_input(struct netstack *ns, struct mbuf *m, unsigned off);
/* An upper layer saw progress with a neighbour (RFC 4861 7.3.1). */
void nd6_reachable_hint(struct ifnet *ifp, const uint8_t *addr);
/* The neighbour requests of rump_net.h for AF_INET6. */
int nd6_control(struct netstack *ns, unsigned long cmd, void *data);
/* Forget neighbours on ifp inside prefix (NULL: all of them). */
void nd6_purge(struct ifnet *ifp, const uint8_t *prefix, unsigned plen);

#endif /* _NETSTACK_NETINET6_IN6_VAR_H_ */
