/*
 * udp_var.h -- UDP inside the stack: counters and per-instance state.
 * Lock legend: netstack/kern/netstack.h.  Everything here is [K].
 */
#ifndef _NETSTACK_NETINET_UDP_VAR_H_
#define _NETSTACK_NETINET_UDP_VAR_H_

#include "netstack/kern/netstack.h"
#include "netstack/netinet/in_pcb.h"
#include "netstack/netinet/udp.h"

/* net.inet.udp.stats.<name>, names in udp_stat_names[]. */
enum udp_stat {
	UDP_STAT_IPACKETS,	/* datagrams received */
	UDP_STAT_HDROPS,	/* shorter than a UDP header */
	UDP_STAT_BADLEN,	/* uh_ulen < 8 or beyond the IP payload */
	UDP_STAT_BADSUM,	/* checksum wrong */
	UDP_STAT_NOSUM,		/* received without a checksum (accepted) */
	UDP_STAT_NOPORT,	/* unicast, no socket: port unreachable sent */
	UDP_STAT_NOPORTBCAST,	/* broadcast/multicast, no socket */
	UDP_STAT_FULLSOCK,	/* receive buffer full */
	UDP_STAT_NOMEM,		/* broadcast copy failed: no memory */
	UDP_STAT_DELIVERED,	/* datagrams (copies) queued to sockets */
	UDP_STAT_OPACKETS,	/* datagrams sent */
	UDP_NSTATS
};
extern const char *const udp_stat_names[UDP_NSTATS];

struct udp_state {
	uint64_t	 uds_stats[UDP_NSTATS];
	struct inpcbtable uds_table;
	bool		 uds_registered;	/* protosw registered */
};

static inline struct udp_state *
udp_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_UDP];
}

/* The largest payload one datagram can carry over IPv4. */
#define UDP_MAXPAYLOAD	(65535 - 20 - 8)

#endif /* _NETSTACK_NETINET_UDP_VAR_H_ */
