/*
 * rumpnet/rump_net.h -- the network configuration ABI: interfaces,
 * addresses, routes and neighbour (ARP/ND) entries.
 *
 * Every request is an ioctl on any socket of the kernel:
 *
 *	struct rump_ifinfo ifi = { .ifi_query = RUMP_IFQ_NAME };
 *	strcpy(ifi.ifi_name, "shmif0");
 *	rump_sys_ioctl(s, RUMP_SIOCGIFINFO, &ifi);
 *
 * Requests travel unchanged to a remote rump_server, so the structures
 * hold no pointers, only fixed-width fields with explicit padding, and
 * every request number carries the size of its structure (Linux's
 * generic _IOC encoding with the private type letter 'R'):
 *
 *	bits 31-30 direction (1 write = caller to kernel, 2 read, 3 both)
 *	bits 29-16 size of the structure in bytes
 *	bits 15-8  type 'R' (0x52)          bits 7-0 request number
 *
 * RUMP_IOC_SIZE(cmd) is therefore the number of bytes to copy; "_IOW"
 * requests copy in only, "_IOWR" in and out, "_IOR" out only.  A few
 * Linux requests (SIOCGIFFLAGS ...) are also accepted; their size is
 * RUMP_LINUX_IFREQ_SIZE; rump_ioctl_size() covers both kinds.
 *
 * Conventions:
 * - Names are NUL-terminated within RUMP_IFNAMSIZ bytes (else EINVAL).
 * - Families are Linux's numbers: AF_INET 2, AF_INET6 10.  Addresses
 *   are in network byte order in 16-byte fields; IPv4 uses the first 4.
 * - Flag words use NetBSD's bit values, which rump.ifconfig, rump.route
 *   and rump.netstat print verbatim (flags=0x8843<UP,...>).
 * - "List" requests take a position (0, 1, 2, ...) and return the entry
 *   at it, or ENOENT past the end; the order is stable while nothing
 *   changes.
 * - Errors are Linux errno values.
 *
 * Requests and their structures:
 *
 *   Interfaces (the kernel answers itself)
 *	RUMP_SIOCIFCREATE	rump_ifname	create ("shmif3", or "shmif" =
 *						lowest free unit; name out)
 *	RUMP_SIOCIFDESTROY	rump_ifname	destroy (addresses, routes and
 *						neighbour entries go first)
 *	RUMP_SIOCIFGCLONERS	rump_ifcloners	cloner names ("shmif", "lo")
 *	RUMP_SIOCGIFINFO	rump_ifinfo	one interface: by name, by
 *						index, or the next after an index
 *	RUMP_SIOCGIFFLAGS	rump_ifreq	RUMP_IFF_* in ifr_value
 *	RUMP_SIOCSIFFLAGS	rump_ifreq	set UP DEBUG NOARP PROMISC
 *						ALLMULTI (others ignored)
 *	RUMP_SIOCGIFMTU		rump_ifreq
 *	RUMP_SIOCSIFMTU		rump_ifreq	68 .. 1500 (Ethernet), 65535 (lo)
 *	RUMP_SIOCGIFCAP		rump_ifcapreq	capabilities and enabled set
 *	RUMP_SIOCSIFCAP		rump_ifcapreq	enable exactly ifc_capenable;
 *						EINVAL for bits not offered
 *	RUMP_SIOCSIFLLADDR	rump_iflladdr	set the link address
 *	RUMP_SIOCZIFDATA	rump_ifreq	zero the counters
 *	RUMP_SIOCSIFMEDIA	rump_ifreq	RUMP_IFM_* (driver)
 *	RUMP_SIOCSLINKSTR	rump_linkstr	attach / detach a bus (driver)
 *	RUMP_SIOCGLINKSTR	rump_linkstr	the bus path or its length
 *   Addresses (per family: AF_INET here, AF_INET6 by netinet6)
 *	RUMP_SIOCAIFADDR	rump_ifaddrreq	add
 *	RUMP_SIOCDIFADDR	rump_ifaddrreq	delete
 *	RUMP_SIOCGIFADDR	rump_ifaddrreq	list
 *   Routes
 *	RUMP_SIOCADDRT		rump_rtreq	add
 *	RUMP_SIOCDELRT		rump_rtreq	delete
 *	RUMP_SIOCCHGRT		rump_rtreq	change
 *	RUMP_SIOCGETRT		rump_rtreq	longest-prefix match (route get)
 *	RUMP_SIOCLISTRT		rump_rtreq	list
 *	RUMP_SIOCFLUSHRT	rump_rtreq	delete all but local/connected
 *   Neighbours (ARP for AF_INET, ND for AF_INET6)
 *	RUMP_SIOCGNBR		rump_nbrreq	one entry by address
 *	RUMP_SIOCLISTNBR	rump_nbrreq	list
 *	RUMP_SIOCSNBR		rump_nbrreq	add a static (or temp) entry
 *	RUMP_SIOCDNBR		rump_nbrreq	delete
 *	RUMP_SIOCFLUSHNBR	rump_nbrreq	delete dynamic (or all) entries
 *
 * Statistics and tunables are in the sysctl tree (rump.sysctl):
 * net.interfaces.<if>.<counter>, net.link.stats.* (Ethernet and
 * loopback drops), net.inet.arp.* (keep, down, maxtries, maxhold,
 * maxentries, stats.*), net.route.stats.*.
 *
 * Neighbour entries are not routes here: rump.netstat -r shows them as
 * "UHL" rows by listing RUMP_SIOCLISTNBR after the routes.
 */
#ifndef _RUMPNET_RUMP_NET_H_
#define _RUMPNET_RUMP_NET_H_

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ encoding */

#define RUMP_IOC_NONE		0u
#define RUMP_IOC_WRITE		1u	/* caller -> kernel */
#define RUMP_IOC_READ		2u	/* kernel -> caller */
#define RUMP_IOC_TYPE_R		0x52u	/* 'R' */

#define RUMP_IOC(dir, nr, size)						\
	((unsigned long)(((unsigned long)(dir) << 30) |			\
	    ((unsigned long)(size) << 16) | (RUMP_IOC_TYPE_R << 8) |	\
	    (unsigned long)(nr)))
#define RUMP_IOW(nr, type)	RUMP_IOC(RUMP_IOC_WRITE, nr, sizeof(type))
#define RUMP_IOR(nr, type)	RUMP_IOC(RUMP_IOC_READ, nr, sizeof(type))
#define RUMP_IOWR(nr, type)						\
	RUMP_IOC(RUMP_IOC_READ | RUMP_IOC_WRITE, nr, sizeof(type))

#define RUMP_IOC_DIR(cmd)	((unsigned)(((cmd) >> 30) & 0x3u))
#define RUMP_IOC_SIZE(cmd)	((size_t)(((cmd) >> 16) & 0x3fffu))
#define RUMP_IOC_TYPE(cmd)	((unsigned)(((cmd) >> 8) & 0xffu))
#define RUMP_IOC_NR(cmd)	((unsigned)((cmd) & 0xffu))

#define RUMP_IFNAMSIZ		16
#define RUMP_ADDRSIZE		16	/* IPv6-sized address fields */

/* ---------------------------------------------------------- interfaces */

/* Interface flags (NetBSD values; rump.ifconfig prints them). */
#define RUMP_IFF_UP		0x0001
#define RUMP_IFF_BROADCAST	0x0002
#define RUMP_IFF_DEBUG		0x0004
#define RUMP_IFF_LOOPBACK	0x0008
#define RUMP_IFF_POINTOPOINT	0x0010
#define RUMP_IFF_RUNNING	0x0040
#define RUMP_IFF_NOARP		0x0080
#define RUMP_IFF_PROMISC	0x0100
#define RUMP_IFF_ALLMULTI	0x0200
#define RUMP_IFF_OACTIVE	0x0400
#define RUMP_IFF_SIMPLEX	0x0800
#define RUMP_IFF_LINK0		0x1000
#define RUMP_IFF_LINK1		0x2000
#define RUMP_IFF_LINK2		0x4000
#define RUMP_IFF_MULTICAST	0x8000
/* The flags RUMP_SIOCSIFFLAGS may change. */
#define RUMP_IFF_CANCHANGE	(RUMP_IFF_UP | RUMP_IFF_DEBUG | \
	RUMP_IFF_NOARP | RUMP_IFF_PROMISC | RUMP_IFF_ALLMULTI)

/* Capabilities (IFCAP_*, NetBSD values; RUMP_SHMIF_CAPENABLE). */
#define RUMP_IFCAP_TSOv4	0x00080
#define RUMP_IFCAP_CSUM_IPv4_Rx	0x00100
#define RUMP_IFCAP_CSUM_IPv4_Tx	0x00200
#define RUMP_IFCAP_CSUM_TCPv4_Rx 0x00400
#define RUMP_IFCAP_CSUM_TCPv4_Tx 0x00800
#define RUMP_IFCAP_CSUM_UDPv4_Rx 0x01000
#define RUMP_IFCAP_CSUM_UDPv4_Tx 0x02000
#define RUMP_IFCAP_CSUM_TCPv6_Rx 0x04000
#define RUMP_IFCAP_CSUM_TCPv6_Tx 0x08000
#define RUMP_IFCAP_CSUM_UDPv6_Rx 0x10000
#define RUMP_IFCAP_CSUM_UDPv6_Tx 0x20000
#define RUMP_IFCAP_TSOv6	0x40000
#define RUMP_IFCAP_LRO		0x80000

/* Interface types (IANA ifType numbers, as BSD's IFT_*). */
#define RUMP_IFT_ETHER		6
#define RUMP_IFT_LOOP		24

/* Link state and media, as reported by the driver (0 if it has none). */
#define RUMP_LINK_STATE_UNKNOWN	0
#define RUMP_LINK_STATE_DOWN	1
#define RUMP_LINK_STATE_UP	2
#define RUMP_IFM_NOMEDIA	0	/* driver has no media selection */
#define RUMP_IFM_AUTO		1	/* "Ethernet autoselect" */
#define RUMP_IFM_NONE		2	/* "Ethernet none": link forced down */

/* Counter slots of ifi_stats (same order as net.interfaces.<if>.*). */
enum rump_ifstat {
	RUMP_IFSTAT_IPACKETS,	/* frames received */
	RUMP_IFSTAT_IBYTES,
	RUMP_IFSTAT_IERRORS,	/* malformed frames */
	RUMP_IFSTAT_IQDROPS,	/* dropped on input: queue full, memory */
	RUMP_IFSTAT_NOPROTO,	/* unknown or unsupported EtherType */
	RUMP_IFSTAT_IMCASTS,	/* multicast and broadcast received */
	RUMP_IFSTAT_OPACKETS,
	RUMP_IFSTAT_OBYTES,
	RUMP_IFSTAT_OERRORS,
	RUMP_IFSTAT_OQDROPS,
	RUMP_IFSTAT_OMCASTS,
	RUMP_IFSTAT_COLLISIONS,
	RUMP_IFSTAT_NSTATS,
	RUMP_IFSTAT_MAX = 16	/* slots in ifi_stats */
};

/* RUMP_SIOCIFCREATE / RUMP_SIOCIFDESTROY */
struct rump_ifname {
	char		ifn_name[RUMP_IFNAMSIZ];	/* in; create: out */
};

/* RUMP_SIOCIFGCLONERS: ifc_count names are valid (of ifc_total). */
#define RUMP_MAXCLONERS		16
struct rump_ifcloners {
	uint32_t	ifc_count;
	uint32_t	ifc_total;
	char		ifc_names[RUMP_MAXCLONERS][RUMP_IFNAMSIZ];
};

/*
 * RUMP_SIOCGIFINFO: everything rump.ifconfig and rump.netstat -i show
 * about one interface.  ifi_query selects it:
 *   RUMP_IFQ_NAME   the interface named ifi_name
 *   RUMP_IFQ_INDEX  the interface with index ifi_index
 *   RUMP_IFQ_NEXT   the interface with the smallest index > ifi_index
 *                   (start with 0; ENOENT after the last one)
 * ENXIO if there is no such interface.
 */
#define RUMP_IFQ_NAME		0
#define RUMP_IFQ_INDEX		1
#define RUMP_IFQ_NEXT		2
struct rump_ifinfo {
	char		ifi_name[RUMP_IFNAMSIZ];	/* in/out */
	uint32_t	ifi_query;		/* in: RUMP_IFQ_* */
	uint32_t	ifi_index;		/* in/out: 1 .. */
	uint32_t	ifi_flags;		/* RUMP_IFF_* */
	uint32_t	ifi_type;		/* RUMP_IFT_* */
	uint32_t	ifi_mtu;
	uint32_t	ifi_metric;		/* always 0 for now */
	uint32_t	ifi_capabilities;	/* RUMP_IFCAP_* offered */
	uint32_t	ifi_capenable;		/* RUMP_IFCAP_* enabled */
	uint32_t	ifi_addrlen;		/* link address: 6, or 0 */
	uint32_t	ifi_linkstate;		/* RUMP_LINK_STATE_* */
	uint32_t	ifi_media;		/* RUMP_IFM_* */
	uint32_t	ifi_haslinkstr;		/* driver supports linkstr */
	uint8_t		ifi_lladdr[8];
	uint64_t	ifi_stats[RUMP_IFSTAT_MAX];	/* RUMP_IFSTAT_* */
};

/* RUMP_SIOC[GS]IFFLAGS, RUMP_SIOC[GS]IFMTU, RUMP_SIOCZIFDATA,
 * RUMP_SIOCSIFMEDIA */
struct rump_ifreq {
	char		ifr_name[RUMP_IFNAMSIZ];
	uint32_t	ifr_value;
	uint32_t	ifr_pad;
};

/* RUMP_SIOC[GS]IFCAP */
struct rump_ifcapreq {
	char		ifcr_name[RUMP_IFNAMSIZ];
	uint32_t	ifcr_capabilities;	/* out */
	uint32_t	ifcr_capenable;		/* in (set) / out */
};

/* RUMP_SIOCSIFLLADDR: a unicast address; with RUMP_LLADDR_ACTIVE and
 * the interface up, the new address is announced (gratuitous ARP). */
#define RUMP_LLADDR_ACTIVE	0x1
struct rump_iflladdr {
	char		ifl_name[RUMP_IFNAMSIZ];
	uint32_t	ifl_flags;
	uint32_t	ifl_addrlen;		/* 6 */
	uint8_t		ifl_addr[8];
};

/*
 * RUMP_SIOCSLINKSTR / RUMP_SIOCGLINKSTR: the "link string" of a driver
 * (shmif: the bus file).  Set: ls_cmd 0, ls_path NUL-terminated and
 * ls_len = strlen + 1; unset: ls_cmd RUMP_LINKSTR_UNSET.  Both need the
 * interface down (EBUSY).  Get: ls_cmd 0 copies the path,
 * RUMP_LINKSTR_QUERYLEN returns only ls_len; ENOENT if none.  ENOTTY if
 * the driver has no link string.
 */
#define RUMP_LINKSTR_MAX	4096	/* bytes in ls_path, NUL included */
#define RUMP_LINKSTR_QUERYLEN	1
#define RUMP_LINKSTR_UNSET	2
struct rump_linkstr {
	char		ls_name[RUMP_IFNAMSIZ];
	uint32_t	ls_cmd;
	uint32_t	ls_len;
	char		ls_path[RUMP_LINKSTR_MAX];
};

/* ------------------------------------------------------------ addresses */

/* Address flags (out; IPv6 also in on add).  IPv4, NetBSD values: */
#define RUMP_IN_IFF_TENTATIVE	0x01
#define RUMP_IN_IFF_DUPLICATED	0x02
#define RUMP_IN_IFF_DETACHED	0x04	/* interface down */
#define RUMP_IN_IFF_TRYTENTATIVE 0x08
/* IPv6, NetBSD values: */
#define RUMP_IN6_IFF_ANYCAST	0x01
#define RUMP_IN6_IFF_TENTATIVE	0x02
#define RUMP_IN6_IFF_DUPLICATED	0x04
#define RUMP_IN6_IFF_DETACHED	0x08
#define RUMP_IN6_IFF_DEPRECATED	0x10
#define RUMP_IN6_IFF_NODAD	0x20
#define RUMP_IN6_IFF_AUTOCONF	0x40
#define RUMP_IN6_IFF_TEMPORARY	0x80
#define RUMP_ND6_INFINITE	0xffffffffu	/* lifetime */

/* Request flags (ifra_reqflags) for RUMP_SIOCAIFADDR. */
#define RUMP_IFRA_ALIAS		0x1

/*
 * RUMP_SIOCAIFADDR: add ifra_addr/ifra_plen to ifra_name.
 *   Without RUMP_IFRA_ALIAS the address becomes the interface's primary
 *   (first) address of the family, replacing the current primary, as
 *   "ifconfig shmif0 inet 198.51.100.1/24" does; with it the address
 *   is added after the others ("... alias").  Adding an address the
 *   interface already has updates its prefix length and broadcast.
 *   IPv4: ifra_broadaddr 0 means the subnet's all-ones address
 *   (none for /31 and /32).  An interface that is down is brought up
 *   first (its error, e.g. ENXIO for shmif without a bus, is returned).
 *   => EEXIST if another interface has the address, EINVAL (bad
 *   address or prefix length).
 * RUMP_SIOCDIFADDR: delete ifra_addr from ifra_name (EADDRNOTAVAIL).
 * RUMP_SIOCGIFADDR: the ifra_index'th address of family ifra_family on
 *   the interface with index ifra_ifindex (0: on all interfaces, in
 *   interface order); fills ifra_name, ifra_ifindex, the address, prefix
 *   length, broadcast, ifra_addrflags and, for IPv6, lifetimes.
 */
struct rump_ifaddrreq {
	char		ifra_name[RUMP_IFNAMSIZ];
	uint16_t	ifra_family;		/* AF_INET, AF_INET6 */
	uint8_t		ifra_plen;
	uint8_t		ifra_pad0;
	uint32_t	ifra_reqflags;		/* RUMP_IFRA_* */
	uint32_t	ifra_addrflags;		/* RUMP_IN_IFF_* / RUMP_IN6_IFF_* */
	uint32_t	ifra_ifindex;
	uint32_t	ifra_index;
	uint32_t	ifra_scopeid;		/* IPv6 link-local: zone */
	uint32_t	ifra_pltime;		/* IPv6, seconds */
	uint32_t	ifra_vltime;
	uint8_t		ifra_addr[RUMP_ADDRSIZE];
	uint8_t		ifra_broadaddr[RUMP_ADDRSIZE];
};

/* --------------------------------------------------------------- routes */

/* Route flags (NetBSD values: rump.route prints them, rump.netstat -r
 * turns them into letters). */
#define RUMP_RTF_UP		0x00001	/* U */
#define RUMP_RTF_GATEWAY	0x00002	/* G */
#define RUMP_RTF_HOST		0x00004	/* H */
#define RUMP_RTF_REJECT		0x00008	/* R */
#define RUMP_RTF_DYNAMIC	0x00010	/* D: created by redirect */
#define RUMP_RTF_MODIFIED	0x00020	/* M: modified by redirect */
#define RUMP_RTF_DONE		0x00040	/* route get answers carry it */
#define RUMP_RTF_CONNECTED	0x00100	/* C */
#define RUMP_RTF_LLINFO		0x00400	/* L: neighbour entry */
#define RUMP_RTF_STATIC		0x00800	/* S */
#define RUMP_RTF_BLACKHOLE	0x01000	/* B */
#define RUMP_RTF_CLONED		0x02000
#define RUMP_RTF_ANNOUNCE	0x20000	/* p: proxy */
#define RUMP_RTF_LOCAL		0x40000	/* l */
#define RUMP_RTF_BROADCAST	0x80000	/* b */

/*
 * RUMP_SIOCADDRT: add rtr_dst/rtr_plen (a host route if rtr_plen is
 *   the full length).
 *   - With RUMP_RTF_GATEWAY: through rtr_gateway; the interface is
 *     rtr_ifname if given, else the one the gateway is reachable
 *     through by an interface (non-gateway) route.
 *   - Without: an interface route on rtr_ifname, or, if rtr_ifname is
 *     empty, on the interface that has the local address rtr_gateway
 *     ("-iface").
 *   Flags taken from the request: REJECT, BLACKHOLE, STATIC, ANNOUNCE,
 *   CONNECTED (the kernel adds UP, HOST, GATEWAY).  rtr_ifaddr (if not
 *   zero) is the preferred source address and must be local.  rtr_mtu
 *   0 means the interface MTU.
 *   => EEXIST, ENETUNREACH (gateway not reachable), ENXIO (no such
 *   interface), EADDRNOTAVAIL (rtr_ifaddr not ours), EINVAL.
 * RUMP_SIOCDELRT: delete the exact rtr_dst/rtr_plen.  => ESRCH.
 * RUMP_SIOCCHGRT: change the exact rtr_dst/rtr_plen: its gateway (if
 *   RUMP_RTF_GATEWAY), interface (rtr_ifname if not empty), source
 *   (rtr_ifaddr if not zero), MTU, and REJECT/BLACKHOLE/STATIC/ANNOUNCE
 *   which are set exactly as in rtr_flags.  => ESRCH, as for add.
 * RUMP_SIOCGETRT: the route rtr_dst (rtr_plen ignored) would use,
 *   longest-prefix match, flags with RUMP_RTF_DONE added, rtr_ifaddr =
 *   the source address a packet would get.  => ESRCH ("not in table").
 * RUMP_SIOCLISTRT: the rtr_index'th route of rtr_family, in (address,
 *   prefix length) order: "default" first.
 * RUMP_SIOCFLUSHRT: delete every route of rtr_family except local,
 *   connected and broadcast routes; rtr_index = how many went.
 * Answers fill every field: rtr_ifname/rtr_ifindex = the output
 * interface; rtr_gwifindex = for interface routes, the interface whose
 * address or subnet the route serves (netstat's "link#N" gateway; for
 * a local route this is the address's interface, while the output
 * interface is lo0).
 */
struct rump_rtreq {
	uint16_t	rtr_family;
	uint8_t		rtr_plen;
	uint8_t		rtr_pad0;
	uint32_t	rtr_flags;		/* RUMP_RTF_* */
	uint32_t	rtr_index;
	uint32_t	rtr_ifindex;
	uint32_t	rtr_gwifindex;
	uint32_t	rtr_scopeid;		/* IPv6 link-local: zone */
	char		rtr_ifname[RUMP_IFNAMSIZ];
	uint8_t		rtr_dst[RUMP_ADDRSIZE];
	uint8_t		rtr_gateway[RUMP_ADDRSIZE];
	uint8_t		rtr_ifaddr[RUMP_ADDRSIZE];
	uint32_t	rtr_mtu;		/* 0: interface MTU */
	uint32_t	rtr_expire;		/* seconds left, 0: none */
	uint64_t	rtr_use;		/* packets sent through it */
};

/* ------------------------------------------------------ route messages */

/*
 * What changed in the routing tables and neighbour caches, as NetBSD's
 * routing socket reports it (rump.route monitor): routes added, deleted
 * or changed (by hand, with addresses, by redirects), neighbour entries
 * resolved (RUMP_RTF_LLINFO, the link address in rtm_lladdr) or
 * removed, and misses -- a datagram with no route (only rtm_dst), or a
 * neighbour being resolved (rtm_dst and the interface).
 */
#define RUMP_RTM_ADD		0x1
#define RUMP_RTM_DELETE		0x2
#define RUMP_RTM_CHANGE		0x3
#define RUMP_RTM_MISS		0x7

/* rtm_addrs: which addresses the message carries. */
#define RUMP_RTA_DST		0x1
#define RUMP_RTA_GATEWAY	0x2
#define RUMP_RTA_NETMASK	0x4

struct rump_rtmsg {
	uint64_t	rtm_seq;		/* 1, 2, ... per kernel */
	uint16_t	rtm_type;		/* RUMP_RTM_* */
	uint16_t	rtm_family;
	uint32_t	rtm_flags;		/* RUMP_RTF_* */
	uint32_t	rtm_addrs;		/* RUMP_RTA_* */
	int32_t		rtm_errno;
	uint32_t	rtm_index;		/* interface, 0 if none */
	uint8_t		rtm_plen;		/* with RUMP_RTA_NETMASK */
	uint8_t		rtm_haslladdr;		/* gateway is rtm_lladdr */
	uint8_t		rtm_pad[2];
	uint8_t		rtm_dst[RUMP_ADDRSIZE];
	uint8_t		rtm_gateway[RUMP_ADDRSIZE];
	uint8_t		rtm_lladdr[8];
};

/*
 * RUMP_SIOCRTMREAD: the first message after number rmr_after, waiting
 * up to rmr_timeout_ms (0: not at all) for one.  rmr_after =
 * RUMP_RTM_NOW asks where the log is: rmr_msg.rtm_seq = the number of
 * the newest message, type 0, at once.  The kernel keeps the last 256
 * messages; a reader further behind gets the oldest kept and, in
 * rmr_lost, how many it missed.  => ETIMEDOUT (nothing came), EINTR.
 */
#define RUMP_RTM_NOW		UINT64_MAX
struct rump_rtmsgreq {
	uint64_t	rmr_after;
	int32_t		rmr_timeout_ms;
	uint32_t	rmr_pad;
	uint64_t	rmr_lost;
	struct rump_rtmsg rmr_msg;
};

/* ----------------------------------------------------------- neighbours */

/* nbr_flags */
#define RUMP_NBRF_PERMANENT	0x01	/* static: never expires */
#define RUMP_NBRF_PUBLISHED	0x02	/* answer requests for it (pub) */
#define RUMP_NBRF_PROXY		0x04	/* "pub proxy": proxy only */
#define RUMP_NBRF_TEMP		0x08	/* add: static address, expires */
#define RUMP_NBRF_ROUTER	0x10	/* IPv6: neighbour is a router */
#define RUMP_NBRF_ALL		0x80	/* flush: also permanent entries */

/* nbr_state */
#define RUMP_NBRS_INCOMPLETE	0	/* resolving */
#define RUMP_NBRS_REACHABLE	1
#define RUMP_NBRS_STALE		2	/* near expiry / being refreshed */
#define RUMP_NBRS_DELAY		3
#define RUMP_NBRS_PROBE		4
#define RUMP_NBRS_FAILED	5	/* no answer: held down for a while */

/*
 * RUMP_SIOCGNBR: the entry for nbr_addr (on nbr_ifname, if given).
 *   => ENOENT ("no entry").  Own addresses have no entry.
 * RUMP_SIOCLISTNBR: the nbr_index'th entry of nbr_family.
 * RUMP_SIOCSNBR: add nbr_addr -> nbr_lladdr, permanent unless
 *   RUMP_NBRF_TEMP; RUMP_NBRF_PUBLISHED/PROXY as given.  The interface
 *   is nbr_ifname, or the one whose subnet holds nbr_addr.  => EEXIST if
 *   a permanent entry exists (dynamic ones are replaced), ENETUNREACH
 *   (no interface), EINVAL (multicast link address).
 * RUMP_SIOCDNBR: delete the entry for nbr_addr (on nbr_ifname if
 *   given).  => ENOENT.
 * RUMP_SIOCFLUSHNBR: delete every dynamic entry of nbr_family, and the
 *   permanent ones too with RUMP_NBRF_ALL; nbr_index = how many went.
 * Answers fill nbr_ifname, nbr_ifindex, nbr_lladdr (zero while
 * incomplete), nbr_state, nbr_flags, nbr_expire (seconds until expiry;
 * 0 for permanent entries) and nbr_asked (requests sent unanswered).
 */
struct rump_nbrreq {
	uint16_t	nbr_family;
	uint16_t	nbr_pad0;
	uint32_t	nbr_flags;		/* RUMP_NBRF_* */
	uint32_t	nbr_state;		/* RUMP_NBRS_* */
	uint32_t	nbr_index;
	uint32_t	nbr_ifindex;
	uint32_t	nbr_expire;
	uint32_t	nbr_asked;
	uint32_t	nbr_pad1;
	char		nbr_ifname[RUMP_IFNAMSIZ];
	uint8_t		nbr_addr[RUMP_ADDRSIZE];
	uint8_t		nbr_lladdr[8];
};

/* ------------------------------------------------------------- sockets */

/* pcb_state: TCP states, RFC 9293 order (NetBSD's TCPS_* numbering). */
#define RUMP_TCPS_CLOSED	0
#define RUMP_TCPS_LISTEN	1
#define RUMP_TCPS_SYN_SENT	2
#define RUMP_TCPS_SYN_RECEIVED	3
#define RUMP_TCPS_ESTABLISHED	4
#define RUMP_TCPS_CLOSE_WAIT	5
#define RUMP_TCPS_FIN_WAIT_1	6
#define RUMP_TCPS_CLOSING	7
#define RUMP_TCPS_LAST_ACK	8
#define RUMP_TCPS_FIN_WAIT_2	9
#define RUMP_TCPS_TIME_WAIT	10
#define RUMP_TCPS_NONE		0xffffffffu	/* not TCP */

/* pcb_flags */
#define RUMP_PCBF_V6ONLY	0x1	/* AF_INET6 socket with IPV6_V6ONLY */
#define RUMP_PCBF_NOSOCKET	0x2	/* socket closed, PCB lingers
					 * (TCP TIME_WAIT, final FIN) */

/*
 * RUMP_SIOCLISTPCB: the pcb_index'th Internet protocol control block
 *   (TCP, UDP and raw sockets of both families) whose family is
 *   pcb_family (0: any).  Tables are walked in a fixed order and each
 *   newest first; an index past the end gives ENOENT.  The list can
 *   change between calls: a caller walking it sees each block at most
 *   once only while nothing is opened or closed.
 * Answers fill pcb_family (AF_INET or AF_INET6), pcb_table ("tcp",
 * "udp", "raw", "raw6"), pcb_proto (IP protocol: 6, 17, or a raw
 * socket's protocol, 0 = any), pcb_state (RUMP_TCPS_*), the local and
 * foreign address (IPv4: the first 4 bytes; all zero = wildcard) and
 * port (host order; 0 = wildcard), pcb_scopeid (IPv6 link-local
 * zone), pcb_rcvq/pcb_sndq (bytes queued in the socket buffers) and
 * pcb_flags.
 */
struct rump_pcbreq {
	uint16_t	pcb_family;
	uint8_t		pcb_proto;
	uint8_t		pcb_pad0;
	uint32_t	pcb_index;
	uint32_t	pcb_state;		/* RUMP_TCPS_* */
	uint32_t	pcb_flags;		/* RUMP_PCBF_* */
	uint32_t	pcb_rcvq;
	uint32_t	pcb_sndq;
	uint32_t	pcb_scopeid;
	uint16_t	pcb_lport;
	uint16_t	pcb_fport;
	char		pcb_table[8];
	uint8_t		pcb_laddr[RUMP_ADDRSIZE];
	uint8_t		pcb_faddr[RUMP_ADDRSIZE];
};

/* ------------------------------------------------------------- requests */

#define RUMP_SIOCIFCREATE	RUMP_IOWR(1, struct rump_ifname)
#define RUMP_SIOCIFDESTROY	RUMP_IOW(2, struct rump_ifname)
#define RUMP_SIOCIFGCLONERS	RUMP_IOR(3, struct rump_ifcloners)
#define RUMP_SIOCGIFINFO	RUMP_IOWR(4, struct rump_ifinfo)
#define RUMP_SIOCGIFFLAGS	RUMP_IOWR(5, struct rump_ifreq)
#define RUMP_SIOCSIFFLAGS	RUMP_IOW(6, struct rump_ifreq)
#define RUMP_SIOCGIFMTU		RUMP_IOWR(7, struct rump_ifreq)
#define RUMP_SIOCSIFMTU		RUMP_IOW(8, struct rump_ifreq)
#define RUMP_SIOCGIFCAP		RUMP_IOWR(9, struct rump_ifcapreq)
#define RUMP_SIOCSIFCAP		RUMP_IOW(10, struct rump_ifcapreq)
#define RUMP_SIOCSIFLLADDR	RUMP_IOW(11, struct rump_iflladdr)
#define RUMP_SIOCZIFDATA	RUMP_IOW(12, struct rump_ifreq)
#define RUMP_SIOCSIFMEDIA	RUMP_IOW(13, struct rump_ifreq)
#define RUMP_SIOCSLINKSTR	RUMP_IOW(14, struct rump_linkstr)
#define RUMP_SIOCGLINKSTR	RUMP_IOWR(15, struct rump_linkstr)

#define RUMP_SIOCAIFADDR	RUMP_IOW(32, struct rump_ifaddrreq)
#define RUMP_SIOCDIFADDR	RUMP_IOW(33, struct rump_ifaddrreq)
#define RUMP_SIOCGIFADDR	RUMP_IOWR(34, struct rump_ifaddrreq)

#define RUMP_SIOCADDRT		RUMP_IOW(48, struct rump_rtreq)
#define RUMP_SIOCDELRT		RUMP_IOW(49, struct rump_rtreq)
#define RUMP_SIOCCHGRT		RUMP_IOW(50, struct rump_rtreq)
#define RUMP_SIOCGETRT		RUMP_IOWR(51, struct rump_rtreq)
#define RUMP_SIOCLISTRT		RUMP_IOWR(52, struct rump_rtreq)
#define RUMP_SIOCFLUSHRT	RUMP_IOWR(53, struct rump_rtreq)
#define RUMP_SIOCRTMREAD	RUMP_IOWR(54, struct rump_rtmsgreq)

#define RUMP_SIOCGNBR		RUMP_IOWR(64, struct rump_nbrreq)
#define RUMP_SIOCLISTNBR	RUMP_IOWR(65, struct rump_nbrreq)
#define RUMP_SIOCSNBR		RUMP_IOW(66, struct rump_nbrreq)
#define RUMP_SIOCDNBR		RUMP_IOW(67, struct rump_nbrreq)
#define RUMP_SIOCFLUSHNBR	RUMP_IOWR(68, struct rump_nbrreq)

#define RUMP_SIOCLISTPCB	RUMP_IOWR(80, struct rump_pcbreq)

/*
 * Linux requests also accepted (struct ifreq: a 16-byte name, then a
 * 24-byte union; 40 bytes in and out):
 *   SIOCGIFNAME   name of the interface whose index is the int at 16
 *   SIOCGIFFLAGS  short at 16: Linux IFF_* (UP 0x1 ... MULTICAST 0x1000)
 *   SIOCSIFFLAGS  same, the changeable ones are applied
 *   SIOCGIFMTU / SIOCSIFMTU    int at 16
 *   SIOCGIFHWADDR struct sockaddr at 16: family 1 (ARPHRD_ETHER) + MAC
 *   SIOCGIFINDEX  int at 16
 */
#define RUMP_LINUX_SIOCGIFNAME		0x8910
#define RUMP_LINUX_SIOCGIFFLAGS		0x8913
#define RUMP_LINUX_SIOCSIFFLAGS		0x8914
#define RUMP_LINUX_SIOCGIFMTU		0x8921
#define RUMP_LINUX_SIOCSIFMTU		0x8922
#define RUMP_LINUX_SIOCGIFHWADDR	0x8927
#define RUMP_LINUX_SIOCGIFINDEX		0x8933
#define RUMP_LINUX_IFREQ_SIZE		40

/*
 * Bytes of argument a request carries, for marshalling: the size
 * encoded in a private request, 40 for the Linux requests above, 0 for
 * anything else (unknown: the kernel answers ENOTTY).
 */
static inline size_t
rump_ioctl_size(unsigned long cmd)
{
	switch (cmd) {
	case RUMP_LINUX_SIOCGIFNAME:
	case RUMP_LINUX_SIOCGIFFLAGS:
	case RUMP_LINUX_SIOCSIFFLAGS:
	case RUMP_LINUX_SIOCGIFMTU:
	case RUMP_LINUX_SIOCSIFMTU:
	case RUMP_LINUX_SIOCGIFHWADDR:
	case RUMP_LINUX_SIOCGIFINDEX:
		return RUMP_LINUX_IFREQ_SIZE;
	}
	if (RUMP_IOC_TYPE(cmd) == RUMP_IOC_TYPE_R &&
	    RUMP_IOC_DIR(cmd) != RUMP_IOC_NONE)
		return RUMP_IOC_SIZE(cmd);
	return 0;
}

/* Does the request copy its argument in (to the kernel) / out? */
static inline int
rump_ioctl_copyin(unsigned long cmd)
{
	if (RUMP_IOC_TYPE(cmd) != RUMP_IOC_TYPE_R)
		return rump_ioctl_size(cmd) != 0;
	return (RUMP_IOC_DIR(cmd) & RUMP_IOC_WRITE) != 0;
}

static inline int
rump_ioctl_copyout(unsigned long cmd)
{
	if (RUMP_IOC_TYPE(cmd) != RUMP_IOC_TYPE_R)
		return rump_ioctl_size(cmd) != 0;
	return (RUMP_IOC_DIR(cmd) & RUMP_IOC_READ) != 0;
}

#ifndef __cplusplus
_Static_assert(sizeof(struct rump_ifinfo) == 200, "rump_ifinfo ABI");
_Static_assert(sizeof(struct rump_ifreq) == 24, "rump_ifreq ABI");
_Static_assert(sizeof(struct rump_linkstr) == 4120, "rump_linkstr ABI");
_Static_assert(sizeof(struct rump_ifaddrreq) == 80, "rump_ifaddrreq ABI");
_Static_assert(sizeof(struct rump_rtreq) == 104, "rump_rtreq ABI");
_Static_assert(sizeof(struct rump_rtmsg) == 72, "rump_rtmsg ABI");
_Static_assert(sizeof(struct rump_rtmsgreq) == 96, "rump_rtmsgreq ABI");
_Static_assert(sizeof(struct rump_nbrreq) == 72, "rump_nbrreq ABI");
_Static_assert(sizeof(struct rump_pcbreq) == 72, "rump_pcbreq ABI");
#endif

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_NET_H_ */
