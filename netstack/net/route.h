/*
 * route.h -- the routing table of an instance.
 *
 * One table per address family, longest-prefix match.  Keys are the
 * destination and mask in network order, stored as byte strings so the
 * same code serves IPv4 (4 bytes) and IPv6 (16 bytes).  All calls with
 * the kernel lock held [K].
 */
#ifndef _NETSTACK_NET_ROUTE_H_
#define _NETSTACK_NET_ROUTE_H_

#include "netstack/net/if.h"

/* Route flags: NetBSD letters in rump.netstat -r. */
#define RTF_UP		0x0001	/* U: usable */
#define RTF_GATEWAY	0x0002	/* G: destination through a gateway */
#define RTF_HOST	0x0004	/* H: host route (full-length mask) */
#define RTF_REJECT	0x0008	/* R: unreachable */
#define RTF_DYNAMIC	0x0010	/* D: created by redirect */
#define RTF_MODIFIED	0x0020	/* M: modified by redirect */
#define RTF_STATIC	0x0800	/* S: added by hand */
#define RTF_BLACKHOLE	0x1000	/* B: discard silently */
#define RTF_ANNOUNCE	0x20000	/* p: proxy: announce the destination */
#define RTF_LOCAL	0x200000 /* l: address of this host */
#define RTF_CONNECTED	0x400000 /* C: network of an interface address */
#define RTF_BROADCAST	0x800000 /* b: broadcast address */

struct rtentry {
	struct rtentry	*rt_next;	/* [K] table chain */
	int		 rt_family;	/* [I] AF_INET, AF_INET6 */
	uint8_t		 rt_dst[16];	/* [I] masked destination */
	uint8_t		 rt_mask[16];	/* [I] */
	unsigned	 rt_plen;	/* [I] prefix length */
	uint8_t		 rt_gateway[16]; /* [K] next hop if RTF_GATEWAY */
	struct ifnet	*rt_ifp;	/* [K] output interface */
	uint8_t		 rt_ifaddr[16];	/* [K] preferred source address */
	int		 rt_flags;	/* [K] RTF_* */
	uint32_t	 rt_mtu;	/* [K] 0 = interface MTU */
	uint64_t	 rt_use;	/* [K] packets sent through it */
};

int rt_init(struct netstack *ns);
void rt_fini(struct netstack *ns);

/*
 * Add a route.  gateway may be NULL for an interface route (then ifp is
 * required); for a gateway route ifp may be NULL and is found from the
 * gateway.  => 0, EEXIST, ENETUNREACH (gateway not reachable), ENOMEM,
 * EINVAL.
 */
int rt_add(struct netstack *ns, int family, const void *dst, unsigned plen,
    const void *gateway, struct ifnet *ifp, int flags,
    struct rtentry **rtp);
/* Delete the exact (dst, plen) route. => 0 or ESRCH. */
int rt_delete(struct netstack *ns, int family, const void *dst,
    unsigned plen);
/* Longest-prefix match. => NULL if no route (or only reject routes:
 * the caller checks RTF_REJECT/RTF_BLACKHOLE). */
struct rtentry *rt_lookup(struct netstack *ns, int family, const void *dst);
/* Exact (dst, plen) entry or NULL. */
struct rtentry *rt_lookup_exact(struct netstack *ns, int family,
    const void *dst, unsigned plen);
/* Remove every route through ifp (interface detach / address delete). */
void rt_purge_ifp(struct netstack *ns, struct ifnet *ifp);
/* Remove all non-local, non-connected routes (route flush). */
void rt_flush(struct netstack *ns, int family);
/* Iterate in (family, prefix) order: first entry after 'prev' (NULL =
 * first). */
struct rtentry *rt_next(struct netstack *ns, int family,
    const struct rtentry *prev);

/* RTF_* as the RUMP_RTF_* values of rump_net.h. */
uint32_t rt_flags_out(int kflags);

/*
 * Route messages (rtmsg.c; RUMP_SIOCRTMREAD, rump.route monitor).
 * type is RUMP_RTM_*.  A neighbour message is about the link address
 * of dst on ifp (lladdr NULL: unknown); a miss is about dst, with ifp
 * when it is a neighbour being resolved there.
 */
struct rtmsg_log;
struct rtmsg_log **rt_msglogp(struct netstack *ns);	/* route.c */
void rtmsg_log_destroy(struct rtmsg_log *log);
void rt_msg_route(struct netstack *ns, int type, const struct rtentry *rt);
void rt_msg_neighbour(struct netstack *ns, int type, int family,
    const void *dst, const uint8_t *lladdr, const struct ifnet *ifp);
void rt_msg_miss(struct netstack *ns, int family, const void *dst,
    const struct ifnet *ifp);
/* => 0, ENOTTY (not RUMP_SIOCRTMREAD), or errno.  May sleep. */
int rt_msg_control(struct netstack *ns, unsigned long cmd, void *data);

/*
 * The route requests of include/rumpnet/rump_net.h (RUMP_SIOCADDRT ...),
 * family-independent part.  A domain control (in_control, in6_control)
 * calls it with hooks for what depends on the family.
 * => 0, ENOTTY (not a route request), or errno.
 */
struct rt_ctlops {
	int	rco_family;
	/* The interface holding local address addr, or NULL. */
	struct ifnet *(*rco_ifa_ifp)(struct netstack *ns, const uint8_t *addr);
	/* The source address a packet to dst through rt would get.
	 * => 0 or errno (the request reports an all-zero address). */
	int	(*rco_src)(struct netstack *ns, const struct rtentry *rt,
		    const uint8_t *dst, uint8_t *src);
	/* An interface route went away: forget neighbour entries on ifp
	 * inside dst/plen. */
	void	(*rco_purge)(struct ifnet *ifp, const uint8_t *dst,
		    unsigned plen);
};
int rt_control(struct netstack *ns, unsigned long cmd, void *data,
    const struct rt_ctlops *ops);

#endif /* _NETSTACK_NET_ROUTE_H_ */
