/*
 * if_arp.h -- ARP over Ethernet (RFC 826): the wire format, counters,
 * and the calls the rest of netinet makes.  Resolution for ether_output
 * (arp_resolve), gratuitous announcements (arp_announce) and the
 * interface purge (arp_purge_ifp) are declared in in_var.h.
 *
 * The cache belongs to the instance (NSMOD_ARP).  An entry is keyed by
 * (interface, IPv4 address) and is in one of three states:
 *   INCOMPLETE  a request is out; up to net.inet.arp.maxhold packets
 *               wait; a request goes out every second until
 *               net.inet.arp.maxtries were sent unanswered;
 *   REACHABLE   the link address is known until the entry expires
 *               (net.inet.arp.keep seconds after it was learnt); used
 *               during the last quarter of its life (at most the last
 *               minute) it is refreshed by unicast requests ("stale");
 *   FAILED      nobody answered: packets are refused (EHOSTDOWN) for
 *               net.inet.arp.down seconds, then the entry goes.
 * Static entries (set by hand) are REACHABLE and never expire.
 * Lock legend: netstack/kern/netstack.h; everything is [K].
 */
#ifndef _NETSTACK_NETINET_IF_ARP_H_
#define _NETSTACK_NETINET_IF_ARP_H_

#include "netstack/net/if.h"

#define ARPHRD_ETHER	1
#define ARPOP_REQUEST	1
#define ARPOP_REPLY	2

/* An ARP packet for IPv4 over Ethernet: 28 bytes, fields big endian. */
struct ether_arp {
	uint8_t		ar_hrd[2];	/* hardware type: ARPHRD_ETHER */
	uint8_t		ar_pro[2];	/* protocol: ETHERTYPE_IP */
	uint8_t		ar_hln;		/* 6 */
	uint8_t		ar_pln;		/* 4 */
	uint8_t		ar_op[2];	/* ARPOP_* */
	uint8_t		arp_sha[ETHER_ADDR_LEN];	/* sender hardware */
	uint8_t		arp_spa[4];			/* sender protocol */
	uint8_t		arp_tha[ETHER_ADDR_LEN];	/* target hardware */
	uint8_t		arp_tpa[4];			/* target protocol */
} __packed;
#define ARP_HDRLEN	8		/* up to and including ar_op */
_Static_assert(sizeof(struct ether_arp) == 28, "ARP over Ethernet");

/* Counters: net.inet.arp.stats.<name>, names in arp_stat_names[]. */
enum arp_stat {
	ARP_STAT_RECEIVED,	/* ARP frames received */
	ARP_STAT_RXREQUESTS,	/* ... requests among them */
	ARP_STAT_RXREPLIES,	/* ... replies among them */
	ARP_STAT_TXREQUESTS,	/* requests sent to resolve */
	ARP_STAT_TXREPLIES,	/* replies sent */
	ARP_STAT_TXANNOUNCES,	/* gratuitous announcements sent */
	ARP_STAT_BADLEN,	/* dropped: shorter than its header */
	ARP_STAT_BADHRD,	/* dropped: hardware type not Ethernet */
	ARP_STAT_BADPROTO,	/* dropped: not IPv4, or bad hln/pln */
	ARP_STAT_BADOP,		/* dropped: neither request nor reply */
	ARP_STAT_BADADDR,	/* dropped: sender is us (our MAC) or a
				 * group/broadcast address */
	ARP_STAT_DUPADDR,	/* dropped: another host claims our IPv4
				 * address (conflict, logged) */
	ARP_STAT_NOARP,		/* dropped: interface has IFF_NOARP */
	ARP_STAT_DROPPED,	/* waiting packets dropped: queue full,
				 * resolution failed, entry removed */
	ARP_STAT_TIMEOUTS,	/* resolutions that got no answer */
	ARP_STAT_CACHEFULL,	/* entries not created: cache full */
	ARP_STAT_EXPIRED,	/* entries that timed out */
	ARP_STAT_NOMEM,		/* no mbuf to send a request or reply */
	ARP_STAT_TXPROBES,	/* duplicate address probes sent */
	ARP_STAT_DADDUP,	/* addresses found duplicated by probing */
	ARP_NSTATS
};
extern const char *const arp_stat_names[ARP_NSTATS];

struct mbuf;

/* Module hooks, called by the inet module with the kernel lock held. */
int arp_init(struct netstack *ns);
void arp_fini(struct netstack *ns);

/* Input for ETHERTYPE_ARP (registered by arp_init). */
void arp_input(struct netstack *ns, struct mbuf *m);

/* Forget entries on ifp inside addr/plen (a subnet went away). */
void arp_purge_prefix(struct ifnet *ifp, uint32_t addr, unsigned plen);

/* The neighbour requests of rump_net.h for AF_INET (RUMP_SIOC*NBR).
 * => 0, ENOTTY if not one of them, or errno. */
int arp_control(struct netstack *ns, unsigned long cmd, void *data);

/* The counter array (tests). */
uint64_t *arp_stats(struct netstack *ns);

#endif /* _NETSTACK_NETINET_IF_ARP_H_ */
