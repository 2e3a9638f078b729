/*
 * udp.h -- the UDP header on the wire (RFC 768).
 */
#ifndef _NETSTACK_NETINET_UDP_H_
#define _NETSTACK_NETINET_UDP_H_

#include "netstack/kern/kern.h"

struct udphdr {
	uint16_t	uh_sport;	/* source port */
	uint16_t	uh_dport;	/* destination port */
	uint16_t	uh_ulen;	/* header + data length */
	uint16_t	uh_sum;		/* checksum; 0 = none (IPv4 only) */
} __packed;

_Static_assert(sizeof(struct udphdr) == 8, "UDP header is 8 bytes");

/* Offset of uh_sum inside the header (csum_data, mbuf.h). */
#define UDP_CSUM_OFFSET	6

#endif /* _NETSTACK_NETINET_UDP_H_ */
