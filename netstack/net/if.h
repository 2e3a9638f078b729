/*
 * if.h -- network interfaces (struct ifnet) and their addresses.
 *
 * Lock legend: see netstack/kern/netstack.h.  Every member below is
 * protected by the kernel lock [K] unless marked otherwise; drivers'
 * receive threads take the kernel lock before calling if_input.
 */
#ifndef _NETSTACK_NET_IF_H_
#define _NETSTACK_NET_IF_H_

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/netinet/in.h"

#define IFNAMSIZ	16
#define ETHER_ADDR_LEN	6
#define ETHER_HDR_LEN	14
#define ETHERMTU	1500
#define ETHER_MAX_FRAME	(ETHER_HDR_LEN + ETHERMTU)	/* 1514, no FCS */
#define ETHERTYPE_IP	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_IPV6	0x86dd

/* Interface flags: Linux values (SIOCGIFFLAGS ABI). */
#define IFF_UP		0x0001
#define IFF_BROADCAST	0x0002
#define IFF_DEBUG	0x0004
#define IFF_LOOPBACK	0x0008
#define IFF_POINTOPOINT	0x0010
#define IFF_RUNNING	0x0040
#define IFF_NOARP	0x0080
#define IFF_PROMISC	0x0100
#define IFF_ALLMULTI	0x0200
#define IFF_MULTICAST	0x1000
/* Kernel-internal flag (not in Linux's set, kept in if_extflags). */
#define IFEF_SIMPLEX	0x0001	/* cannot hear its own transmissions */

/*
 * Capabilities (if_capabilities / if_capenable): NetBSD's IFCAP_* bit
 * values, which RUMP_SHMIF_CAPENABLE and rump.ifconfig speak.
 * See the M_CSUM_* block in netstack/kern/mbuf.h for the per-packet
 * meaning.
 */
#define IFCAP_TSOv4		0x00080
#define IFCAP_CSUM_IPv4_Rx	0x00100
#define IFCAP_CSUM_IPv4_Tx	0x00200
#define IFCAP_CSUM_TCPv4_Rx	0x00400
#define IFCAP_CSUM_TCPv4_Tx	0x00800
#define IFCAP_CSUM_UDPv4_Rx	0x01000
#define IFCAP_CSUM_UDPv4_Tx	0x02000
#define IFCAP_CSUM_TCPv6_Rx	0x04000
#define IFCAP_CSUM_TCPv6_Tx	0x08000
#define IFCAP_CSUM_UDPv6_Rx	0x10000
#define IFCAP_CSUM_UDPv6_Tx	0x20000
#define IFCAP_TSOv6		0x40000
#define IFCAP_LRO		0x80000
#define IFCAP_MASK		0xfff80

enum if_type {
	IFT_ETHER,
	IFT_LOOP,
};

/* Per-interface counters (rump.netstat -i, sysctl net.interfaces.X). */
enum if_stat {
	IF_STAT_IPACKETS,	/* frames received and accepted */
	IF_STAT_IBYTES,
	IF_STAT_IERRORS,	/* malformed frames */
	IF_STAT_IQDROPS,	/* dropped: queue full, no memory */
	IF_STAT_NOPROTO,	/* unknown ethertype */
	IF_STAT_IMCASTS,
	IF_STAT_OPACKETS,
	IF_STAT_OBYTES,
	IF_STAT_OERRORS,
	IF_STAT_OQDROPS,
	IF_STAT_OMCASTS,
	IF_STAT_COLLISIONS,
	IF_NSTATS
};

struct ifnet;
struct if_impair;
struct ether_offload;

/*
 * An address assigned to an interface.  Protocol-specific address
 * records (struct in_ifaddr, struct in6_ifaddr) begin with this.
 */
struct ifaddr {
	struct ifaddr		*ifa_next;	/* [K] on if_addrlist */
	struct ifnet		*ifa_ifp;	/* [I] */
	uint16_t		 ifa_family;	/* [I] AF_INET, AF_INET6 */
	unsigned		 ifa_flags;	/* [K] protocol-specific */
};

/*
 * The interface method table.  Each method is called with the kernel
 * lock held unless stated otherwise.
 */
struct ifnet {
	struct ifnet		*if_next;	/* [K] on the instance's list */
	struct netstack		*if_ns;		/* [I] */
	char			 if_xname[IFNAMSIZ]; /* [I] e.g. "shmif0" */
	unsigned		 if_index;	/* [I] 1.. ; 0 = none */
	enum if_type		 if_type;	/* [I] */
	int			 if_flags;	/* [K] IFF_* */
	int			 if_extflags;	/* [K] IFEF_* */
	uint32_t		 if_mtu;	/* [K] */
	uint8_t			 if_lladdr[ETHER_ADDR_LEN]; /* [K] */
	uint32_t		 if_capabilities; /* [I] IFCAP_* offered */
	uint32_t		 if_capenable;	/* [K] IFCAP_* enabled */
	uint32_t		 if_csum_flags_tx; /* [K] M_CSUM_* from capenable */
	uint32_t		 if_csum_flags_rx; /* [K] M_CSUM_* from capenable */
	uint64_t		 if_stats[IF_NSTATS]; /* [K] */
	struct ifaddr		*if_addrlist;	/* [K] */
	void			*if_softc;	/* [I] driver state */
	void			*if_afdata[2];	/* [K] per-family (inet, inet6) */
	struct if_impair	*if_impair;	/* [K] impairment (if_impair.h),
						 * NULL if not Ethernet */
	struct ether_offload	*if_offload;	/* [K] the driver's software
						 * offload state, or NULL */

	/*
	 * if_output: send a packet of the given family to 'dst' (the next
	 * hop, a ksockaddr_in/in6).  For Ethernet this is ether_output,
	 * which resolves the link address (ARP/ND) and calls if_transmit.
	 * => 0 or errno; the mbuf is consumed in every case.
	 */
	int	(*if_output)(struct ifnet *ifp, struct mbuf *m,
		    const struct ksockaddr *dst);
	/*
	 * if_transmit: hand one complete link-layer frame to the driver.
	 * The frame may carry M_CSUM_* / TSO flags the interface enabled;
	 * the driver finishes them (see mbuf.h).  => 0 or errno; consumed.
	 */
	int	(*if_transmit)(struct ifnet *ifp, struct mbuf *m);
	/*
	 * if_input: a frame arrived (called by the driver with the kernel
	 * lock held; m_pkthdr.rcvif set).  For Ethernet: ether_input.
	 * Consumes the mbuf.
	 */
	void	(*if_input)(struct ifnet *ifp, struct mbuf *m);
	/*
	 * if_init / if_stop: bring the driver up (IFF_RUNNING) or down.
	 * if_init => 0 or errno (e.g. ENXIO: shmif without a bus).
	 */
	int	(*if_init)(struct ifnet *ifp);
	void	(*if_stop)(struct ifnet *ifp);
	/*
	 * if_ioctl: driver-specific requests (linkstr, capabilities,
	 * MTU limits).  => 0, ENOTTY if not handled, or errno.
	 */
	int	(*if_ioctl)(struct ifnet *ifp, unsigned long cmd, void *data);
	/* if_destroy: free driver state; the interface is already
	 * detached from the stack.  Called by the cloner. */
	void	(*if_destroy)(struct ifnet *ifp);
};

#define IF_STAT_ADD(ifp, s, n)	((ifp)->if_stats[(s)] += (n))
#define IF_STAT_INC(ifp, s)	IF_STAT_ADD(ifp, s, 1)

/*
 * Interface management (net/if.c).  All with the kernel lock held.
 */
/* Allocate a zeroed ifnet with the Ethernet defaults (ether_ifattach
 * sets the methods). */
struct ifnet *if_alloc(struct netstack *ns, const char *name);
/* Make the interface visible: assigns if_index, registers sysctl nodes. */
void if_attach(struct ifnet *ifp);
/* Bring down, remove all addresses and routes through it, unlink.  The
 * caller frees the ifnet afterwards with if_free. */
void if_detach(struct ifnet *ifp);
void if_free(struct ifnet *ifp);
struct ifnet *if_byname(struct netstack *ns, const char *name);
struct ifnet *if_byindex(struct netstack *ns, unsigned index);
/* The interface with the lowest index (continue with if_next), and lo0;
 * NULL if none. */
struct ifnet *if_first(struct netstack *ns);
struct ifnet *if_lo0(struct netstack *ns);
/* Set or clear IFF_UP (calls if_init / if_stop). => 0 or errno. */
int if_setflags(struct ifnet *ifp, int flags);
/* Recompute if_csum_flags_tx/rx from if_capenable. */
void if_capenable_update(struct ifnet *ifp);

/*
 * Interface cloners: "shmif", "virt".  => 0 or errno.
 * unit < 0 picks the lowest free unit; the name is returned in name.
 */
struct if_cloner {
	const char	*ifc_name;
	int		(*ifc_create)(struct netstack *ns, int unit,
			    struct ifnet **ifpp);
	void		(*ifc_destroy)(struct ifnet *ifp);
};
/*
 * The linkstr requests (RUMP_SIOCSLINKSTR / RUMP_SIOCGLINKSTR of
 * rumpnet/rump_net.h) for a driver whose link is named by a string (a
 * bus file, a tap): the request is checked here -- a string longer than
 * lo_maxlen bytes gets lo_toolong, a bad ls_len or ls_cmd EINVAL -- and
 * the driver's methods do the rest.  Other requests: ENOTTY.
 */
struct if_linkstr_ops {
	size_t		  lo_maxlen;	/* bytes, the NUL not counted */
	int		  lo_toolong;	/* E2BIG, ENAMETOOLONG ... */
	int		(*lo_set)(struct ifnet *ifp, const char *s);
	int		(*lo_unset)(struct ifnet *ifp);	/* ENOENT: none */
	const char	*(*lo_get)(struct ifnet *ifp);	/* NULL: none */
};
int if_linkstr_ioctl(struct ifnet *ifp, unsigned long cmd, void *data,
    const struct if_linkstr_ops *ops);

int if_clone_register(struct netstack *ns, const struct if_cloner *ifc);
int if_clone_create(struct netstack *ns, const char *name);
int if_clone_destroy(struct netstack *ns, const char *name);

/* Ethernet (net/if_ethersubr.c). */
void ether_ifattach(struct ifnet *ifp, const uint8_t lla[ETHER_ADDR_LEN]);
/* A driver's MAC address: b2:<second> + 32 random bits (locally
 * administered, unicast). */
void ether_random_lladdr(uint8_t lla[ETHER_ADDR_LEN], uint8_t second);
int ether_output(struct ifnet *ifp, struct mbuf *m,
    const struct ksockaddr *dst);
void ether_input(struct ifnet *ifp, struct mbuf *m);
/*
 * A driver's receive filter, in NetBSD's order: frames to our address,
 * to a group address (broadcast, multicast), and -- *promisc set --
 * anything else when IFF_PROMISC is on.  frame holds at least the
 * destination address.  => accept?
 */
bool ether_rx_wanted(const struct ifnet *ifp, const uint8_t *frame,
    bool *promisc);
/* Prepend an Ethernet header and transmit. => 0 or errno; consumed. */
int ether_output_frame(struct ifnet *ifp, struct mbuf *m,
    const uint8_t dst[ETHER_ADDR_LEN], uint16_t type);
extern const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN];
/*
 * Network-layer input by EtherType: protocol modules register at init
 * (IPv4, ARP, IPv6).  The handler gets the packet with the Ethernet
 * header removed and m_pkthdr.rcvif set, and consumes it.  Frames of an
 * unregistered type are counted in IF_STAT_NOPROTO and dropped.
 */
typedef void (*ether_input_fn)(struct netstack *ns, struct mbuf *m);
int ether_register_input(struct netstack *ns, uint16_t type,
    ether_input_fn fn);

/*
 * Link-address resolution for ether_output other than IPv4 (which uses
 * arp_resolve): netinet6 registers its neighbour discovery for
 * AF_INET6.  Same contract as arp_resolve: => 0 and lla filled;
 * EWOULDBLOCK if the packet was queued (consumed); another errno if it
 * was dropped (consumed).  fn NULL unregisters.  => 0 or EAFNOSUPPORT.
 */
typedef int (*ether_resolve_fn)(struct ifnet *ifp, struct mbuf *m,
    const struct ksockaddr *dst, uint8_t lla[ETHER_ADDR_LEN]);
int ether_register_resolver(struct netstack *ns, int family,
    ether_resolve_fn fn);

/*
 * Address families follow interface events through hooks (netinet,
 * netinet6), called with the kernel lock held; any member may be NULL.
 */
struct if_afhooks {
	int	ifh_family;
	/* IFF_UP was set (if_init succeeded). */
	void	(*ifh_up)(struct ifnet *ifp);
	/* IFF_UP was cleared (if_stop was called). */
	void	(*ifh_down)(struct ifnet *ifp);
	/* if_lladdr changed; 'announce' asks for gratuitous notices. */
	void	(*ifh_lladdr)(struct ifnet *ifp, bool announce);
	/* The interface is being detached: remove the family's addresses,
	 * their routes and neighbour entries. */
	void	(*ifh_detach)(struct ifnet *ifp);
};
/* => 0, EEXIST (family already hooked), ENOSPC. */
int if_afhooks_register(struct netstack *ns, const struct if_afhooks *h);
void if_afhooks_unregister(struct netstack *ns, const struct if_afhooks *h);

struct socket;
/*
 * Interface and configuration control (ioctl on any socket): interface
 * create/destroy/list, flags, MTU, capabilities, linkstr, then address,
 * route and neighbour requests dispatched to the family's domain
 * control.  Requests and structures: include/rumpnet/rump_net.h.
 * => 0, ENOTTY (unknown request), or errno.
 */
int ifioctl(struct netstack *ns, struct socket *so, unsigned long cmd,
    void *data);

#endif /* _NETSTACK_NET_IF_H_ */
