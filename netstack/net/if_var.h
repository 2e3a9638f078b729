/*
 * if_var.h -- state of the interface module, shared by net/if.c,
 * net/if_ethersubr.c, net/if_loop.c, net/if_control.c and the netinet
 * code that needs the interface list or lo0 (in.c, if_arp.c).  Not for
 * other modules: they use net/if.h.
 *
 * Lock legend: netstack/kern/netstack.h.  Everything here is [K].
 */
#ifndef _NETSTACK_NET_IF_VAR_H_
#define _NETSTACK_NET_IF_VAR_H_

#include "netstack/net/if.h"

#define IF_MAXCLONERS		16
#define IF_MAXETHERTYPES	8
#define IF_MAXAFHOOKS		4
#define IF_MAXUNIT		32767	/* units 0 .. 32767, as shmif's */

/* Link-layer counters of the instance: net.link.stats.<name>. */
enum link_stat {
	LINK_STAT_RUNT,		/* frame shorter than an Ethernet header */
	LINK_STAT_VLAN,		/* 802.1Q tagged frame: not supported */
	LINK_STAT_NOPROTO,	/* no handler for the EtherType */
	LINK_STAT_NOTFORUS,	/* unicast to another station (promisc) */
	LINK_STAT_IFDOWN,	/* sent or received while down, or waiting
				 * for input on an interface destroyed */
	LINK_STAT_AFNOSUPPORT,	/* output family without a resolver */
	LINK_STAT_TOOLONG,	/* output longer than the MTU */
	LINK_STAT_NOMEM,	/* no mbuf for a header or a copy */
	LINK_STAT_LOOPDROPS,	/* deferred input queue full */
	LINK_STAT_DYING,	/* arrived while the instance shuts down */
	LINK_NSTATS
};
extern const char *const link_stat_names[LINK_NSTATS];

struct ether_handler {
	uint16_t	 eh_type;
	ether_input_fn	 eh_fn;
};

/*
 * The interface module (NSMOD_IF).
 *
 * Deferred input: packets that must enter the stack "as if received"
 * (loopback output, the SIMPLEX copy of our own broadcasts) are queued
 * on ifs_deferq with m_pkthdr.rcvif set and delivered by a callout due
 * at once (a softint).  Delivery thus never recurses into the caller's
 * stack frame: a protocol that sends to itself finishes its output
 * before its input runs.  On a virtual clock the queue is drained by
 * netstack_clock_advance(ns, 0).  Each run delivers at most the packets
 * queued when it started; after IF_DEFER_BURST runs at the same instant
 * the next run is put off by 1 ns, so a packet storm cannot keep the
 * kernel lock forever.
 */
#define IF_DEFER_BURST		64
struct if_state {
	struct ifnet		*ifs_list;	/* by if_index */
	struct ifnet		*ifs_lo0;
	const struct if_cloner	*ifs_cloners[IF_MAXCLONERS];
	unsigned		 ifs_ncloners;
	struct ether_handler	 ifs_ether[IF_MAXETHERTYPES];
	unsigned		 ifs_nether;
	ether_resolve_fn	 ifs_resolve6;
	const struct if_afhooks	*ifs_afhooks[IF_MAXAFHOOKS];

	struct mqueue		 ifs_deferq;
	struct callout		 ifs_defer_co;
	int32_t			 ifs_deferq_maxlen; /* net.link.loopq.maxlen */
	uint64_t		 ifs_defer_when; /* time of the last run */
	unsigned		 ifs_defer_runs; /* runs at ifs_defer_when */

	uint64_t		 ifs_stats[LINK_NSTATS];
};

static inline struct if_state *
if_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_IF];
}

#define LINK_STATINC(ifs, s)	((ifs)->ifs_stats[(s)]++)

/* Bring an interface down / up (if_setflags without the other flags). */
int if_up(struct ifnet *ifp);
void if_down(struct ifnet *ifp);
/* Zero the counters. */
void if_zero_stats(struct ifnet *ifp);
/* Create by name; *ifpp (may be NULL) gets the new interface. */
int if_clone_create_ifp(struct netstack *ns, const char *name,
    struct ifnet **ifpp);
/* The cloners' names, in registration order. => how many exist. */
unsigned if_clone_names(struct netstack *ns, char (*names)[IFNAMSIZ],
    unsigned max);

/*
 * Queue m for input on ifp from a clean stack (see above); m_flags get
 * M_LOOP.  => 0, or ENOBUFS after freeing m (counted).
 */
int if_defer_input(struct ifnet *ifp, struct mbuf *m);

/* The EtherType handler, or NULL. */
ether_input_fn ether_handler(struct netstack *ns, uint16_t type);

/* Loopback (net/if_loop.c). */
extern const struct if_cloner lo_cloner;
#define LOMTU	33624		/* NetBSD's lo0 MTU, as tools print it */

#endif /* _NETSTACK_NET_IF_VAR_H_ */
