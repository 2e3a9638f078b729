/*
 * in_var.h -- IPv4 interface addresses and the services other IPv4
 * modules use to ask "is this address mine / which source do I use".
 * All with the kernel lock held [K].
 */
#ifndef _NETSTACK_NETINET_IN_VAR_H_
#define _NETSTACK_NETINET_IN_VAR_H_

#include "netstack/kern/callout.h"
#include "netstack/net/if.h"
#include "netstack/net/route.h"

/* ia_flags (in ifa_flags) */
#define IN_IFF_TENTATIVE	0x01	/* duplicate check in progress */
#define IN_IFF_DUPLICATED	0x02	/* another node answered for it */
#define IN_IFF_DETACHED		0x04

struct in_ifaddr {
	struct ifaddr	ia_ifa;		/* must be first */
	uint32_t	ia_addr;	/* network order */
	uint32_t	ia_netmask;	/* network order */
	uint32_t	ia_subnet;	/* ia_addr & ia_netmask */
	uint32_t	ia_broadaddr;	/* directed broadcast */
	unsigned	ia_plen;
	/* Duplicate address detection (arp_dad.c). */
	struct callout	ia_dadtimer;
	unsigned	ia_dadleft;	/* probes, then announcements, to go */
};

/* The AF_INET domain control (addresses, routes, ARP requests). */
int in_control(struct netstack *ns, unsigned long cmd, void *data);

/* Add or delete an address on ifp (used by in_control and tests).
 * => 0, EEXIST, EADDRNOTAVAIL, EINVAL, ENOMEM. */
int in_addaddr(struct ifnet *ifp, uint32_t addr, unsigned plen,
    uint32_t broadaddr);
int in_deladdr(struct ifnet *ifp, uint32_t addr);
/* As in_addaddr, but the address goes first: it becomes the primary. */
int in_addaddr_primary(struct ifnet *ifp, uint32_t addr, unsigned plen,
    uint32_t broadaddr);
/* Change the prefix length / broadcast of an address (routes follow).
 * => 0 or EINVAL. */
int in_updateaddr(struct in_ifaddr *ia, unsigned plen, uint32_t broadaddr);

/* The first (primary) IPv4 address of ifp, or NULL. */
struct in_ifaddr *in_ifaddr_primary(struct ifnet *ifp);
/* The address record of addr on ifp, or NULL. */
struct in_ifaddr *in_ifaddr_onif(struct ifnet *ifp, uint32_t addr);
/* The address record holding addr on any interface, or NULL. */
struct in_ifaddr *in_ifaddr_lookup(struct netstack *ns, uint32_t addr);
/* An address of ifp usable as a source (not TENTATIVE or DUPLICATED),
 * one on nh's subnet if there is one, else the first; or NULL. */
struct in_ifaddr *in_ifaddr_for(struct ifnet *ifp, uint32_t nh);
/* Is addr one of ours (any interface, any state but DUPLICATED)? */
bool in_islocal(struct netstack *ns, uint32_t addr);
/* Is addr a broadcast address on ifp (limited, directed, or the
 * all-zeros/all-ones host part of a subnet of ifp)? */
bool in_broadcast(uint32_t addr, const struct ifnet *ifp);
/* When rt is the local route of an address of ours that is DUPLICATED
 * (dst), the interface it is on -- the owner is on that link -- else
 * NULL. */
struct ifnet *in_duplicated_ifp(struct netstack *ns,
    const struct rtentry *rt, uint32_t dst);
/*
 * Choose a source address for a packet to dst: the route's preferred
 * source, else the primary address of the output interface.
 * => 0 and *src, or EADDRNOTAVAIL / ENETUNREACH / EHOSTUNREACH.
 */
int in_selectsrc(struct netstack *ns, uint32_t dst, uint32_t *src,
    struct rtentry **rtp);

/* ARP (netinet/if_arp.c) -------------------------------------------- */
/*
 * Resolve the link address of next hop 'dst' on ifp.  => 0 and lla
 * filled if known; EWOULDBLOCK if the packet was queued (consumed) while
 * a request is outstanding; other errno if dropped (consumed).
 */
int arp_resolve(struct ifnet *ifp, struct mbuf *m, uint32_t dst,
    uint8_t lla[ETHER_ADDR_LEN]);
/* Announce addr (gratuitous ARP) on ifp. */
void arp_announce(struct ifnet *ifp, uint32_t addr);
/* Probe for addr (RFC 5227 ARP probe: sender 0.0.0.0) on ifp. */
void arp_probe(struct ifnet *ifp, uint32_t addr);
/* net.inet.ip.dad_count: probes before an address is used (0: none). */
int arp_dad_count(struct netstack *ns);

/* Duplicate address detection (netinet/arp_dad.c) ------------------- */
/* Once, when the address record is made. */
void arp_dad_init(struct in_ifaddr *ia);
/* The address was set, or its interface came up: detect (it is
 * TENTATIVE meanwhile), or with detection off, announce it. */
void arp_dad_start(struct in_ifaddr *ia);
/* Its interface went down, or the address goes away. */
void arp_dad_stop(struct in_ifaddr *ia);
/*
 * An ARP packet from another station: sender and target are our
 * address records of its sender and target address (NULL if not ours),
 * probe says the sender address is 0.0.0.0.  => true if it shows an
 * address of ours that is TENTATIVE to be in use (it is DUPLICATED
 * now) and is consumed; false to go on with it.
 */
bool arp_dad_input(uint16_t op, const uint8_t *sha, bool probe,
    struct in_ifaddr *sender, struct in_ifaddr *target);
/* Forget every entry on ifp (interface down/detach). */
void arp_purge_ifp(struct ifnet *ifp);

/* IPv4 input (netinet/ip_input.c): registered for ETHERTYPE_IP. */
void ip_input(struct netstack *ns, struct mbuf *m);

#endif /* _NETSTACK_NETINET_IN_VAR_H_ */
