/*
 * icmp6.h -- ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861)
 * messages on the wire.
 */
#ifndef _NETSTACK_NETINET6_ICMP6_H_
#define _NETSTACK_NETINET6_ICMP6_H_

#include "netstack/kern/kern.h"

struct icmp6_hdr {
	uint8_t		icmp6_type;
	uint8_t		icmp6_code;
	uint16_t	icmp6_cksum;
	uint8_t		icmp6_data[4];	/* id/seq, MTU, pointer, ... */
} __packed;
_Static_assert(sizeof(struct icmp6_hdr) == 8, "ICMPv6 header");

#define ICMP6_MINLEN		8

/* Error messages (type < 128). */
#define ICMP6_DST_UNREACH	1
#define ICMP6_PACKET_TOO_BIG	2
#define ICMP6_TIME_EXCEEDED	3
#define ICMP6_PARAM_PROB	4
/* Informational messages. */
#define ICMP6_ECHO_REQUEST	128
#define ICMP6_ECHO_REPLY	129
#define MLD_LISTENER_QUERY	130
#define MLD_LISTENER_REPORT	131
#define MLD_LISTENER_DONE	132
#define ND_ROUTER_SOLICIT	133
#define ND_ROUTER_ADVERT	134
#define ND_NEIGHBOR_SOLICIT	135
#define ND_NEIGHBOR_ADVERT	136
#define ND_REDIRECT		137
#define MLDV2_LISTENER_REPORT	143

#define ICMP6_INFOMSG_MASK	0x80	/* set: informational */

/* ICMP6_DST_UNREACH codes */
#define ICMP6_DST_UNREACH_NOROUTE	0
#define ICMP6_DST_UNREACH_ADMIN		1
#define ICMP6_DST_UNREACH_BEYONDSCOPE	2
#define ICMP6_DST_UNREACH_ADDR		3
#define ICMP6_DST_UNREACH_NOPORT	4
#define ICMP6_DST_UNREACH_POLICY	5
#define ICMP6_DST_UNREACH_REJECT	6
/* ICMP6_TIME_EXCEEDED codes */
#define ICMP6_TIME_EXCEED_TRANSIT	0
#define ICMP6_TIME_EXCEED_REASSEMBLY	1
/* ICMP6_PARAM_PROB codes */
#define ICMP6_PARAMPROB_HEADER		0	/* erroneous header field */
#define ICMP6_PARAMPROB_NEXTHEADER	1	/* unrecognised next header */
#define ICMP6_PARAMPROB_OPTION		2	/* unrecognised option */
#define ICMP6_PARAMPROB_FIRSTFRAG	3	/* incomplete header chain */

/* Neighbour discovery (RFC 4861 section 4). */
struct nd_router_solicit {		/* 133 */
	struct icmp6_hdr nd_rs_hdr;	/* data: reserved */
} __packed;

struct nd_router_advert {		/* 134 */
	uint8_t		nd_ra_type;
	uint8_t		nd_ra_code;
	uint16_t	nd_ra_cksum;
	uint8_t		nd_ra_curhoplimit;
	uint8_t		nd_ra_flags;	/* M 0x80, O 0x40 */
	uint16_t	nd_ra_router_lifetime;	/* seconds */
	uint32_t	nd_ra_reachable;	/* ms */
	uint32_t	nd_ra_retransmit;	/* ms */
} __packed;
_Static_assert(sizeof(struct nd_router_advert) == 16, "RA");

struct nd_neighbor_solicit {		/* 135 */
	uint8_t		nd_ns_type;
	uint8_t		nd_ns_code;
	uint16_t	nd_ns_cksum;
	uint32_t	nd_ns_reserved;
	uint8_t		nd_ns_target[16];
} __packed;
_Static_assert(sizeof(struct nd_neighbor_solicit) == 24, "NS");

struct nd_neighbor_advert {		/* 136 */
	uint8_t		nd_na_type;
	uint8_t		nd_na_code;
	uint16_t	nd_na_cksum;
	uint8_t		nd_na_flags;	/* R 0x80, S 0x40, O 0x20 */
	uint8_t		nd_na_reserved[3];
	uint8_t		nd_na_target[16];
} __packed;
_Static_assert(sizeof(struct nd_neighbor_advert) == 24, "NA");
#define ND_NA_FLAG_ROUTER	0x80
#define ND_NA_FLAG_SOLICITED	0x40
#define ND_NA_FLAG_OVERRIDE	0x20

/* Options: type, length in units of 8 bytes. */
#define ND_OPT_SOURCE_LINKADDR	1
#define ND_OPT_TARGET_LINKADDR	2
#define ND_OPT_PREFIX_INFORMATION 3
#define ND_OPT_REDIRECTED_HEADER 4
#define ND_OPT_MTU		5

struct nd_opt_prefix_info {
	uint8_t		nd_opt_pi_type;
	uint8_t		nd_opt_pi_len;		/* 4 */
	uint8_t		nd_opt_pi_prefix_len;
	uint8_t		nd_opt_pi_flags;	/* L 0x80, A 0x40 */
	uint32_t	nd_opt_pi_valid_time;
	uint32_t	nd_opt_pi_preferred_time;
	uint32_t	nd_opt_pi_reserved2;
	uint8_t		nd_opt_pi_prefix[16];
} __packed;
_Static_assert(sizeof(struct nd_opt_prefix_info) == 32, "PIO");
#define ND_OPT_PI_FLAG_ONLINK	0x80
#define ND_OPT_PI_FLAG_AUTO	0x40

#endif /* _NETSTACK_NETINET6_ICMP6_H_ */
