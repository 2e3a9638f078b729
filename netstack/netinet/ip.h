/*
 * ip.h -- the IPv4 header on the wire (RFC 791 section 3.1).
 *
 * Wire layout only.  The structure is packed, so a pointer to it may
 * point anywhere inside a packet; multi-byte fields are in network byte
 * order and are read with ntohs()/ntohl() (or be16dec() on raw bytes).
 * Stack-internal definitions live in ip_var.h.
 */
#ifndef _NETSTACK_NETINET_IP_H_
#define _NETSTACK_NETINET_IP_H_

#include "netstack/kern/kern.h"

#define IPVERSION	4

struct ip {
	uint8_t		ip_vhl;		/* version << 4 | header length / 4 */
	uint8_t		ip_tos;		/* type of service / DSCP+ECN */
	uint16_t	ip_len;		/* total length, header included */
	uint16_t	ip_id;		/* identification */
	uint16_t	ip_off;		/* flags and fragment offset / 8 */
	uint8_t		ip_ttl;		/* time to live */
	uint8_t		ip_p;		/* protocol */
	uint16_t	ip_sum;		/* header checksum */
	uint32_t	ip_src;		/* source address */
	uint32_t	ip_dst;		/* destination address */
} __packed;

_Static_assert(sizeof(struct ip) == 20, "IPv4 header is 20 bytes");

/* ip_vhl */
#define IP_VHL_V(vhl)		((vhl) >> 4)
#define IP_VHL_HL(vhl)		((vhl) & 0x0f)		/* in 32-bit words */
#define IP_VHL(v, hl)		((uint8_t)(((v) << 4) | (hl)))
#define IP_VHL_BORING		IP_VHL(IPVERSION, 5)	/* no options */

/* ip_off, host order */
#define IP_RF		0x8000		/* reserved, must be zero */
#define IP_DF		0x4000		/* don't fragment */
#define IP_MF		0x2000		/* more fragments */
#define IP_OFFMASK	0x1fff		/* fragment offset in 8-byte units */

#define IP_MINHLEN	20		/* header without options */
#define IP_MAXHLEN	60		/* 15 words */
#define IP_MAXPACKET	65535		/* largest datagram */
#define IP_MSS		576		/* every host must accept (RFC 791) */

#define MAXTTL		255
#define IPDEFTTL	64		/* RFC 1700 recommendation */

/*
 * Options (RFC 791 section 3.1).  Option type octet: copied flag (1 bit),
 * class (2 bits), number (5 bits).  Every option but EOL and NOP has a
 * length octet counting the type and length octets themselves.
 */
#define IPOPT_COPIED(o)		((o) & 0x80)
#define IPOPT_EOL		0	/* end of option list */
#define IPOPT_NOP		1	/* no operation */
#define IPOPT_RR		7	/* record route */
#define IPOPT_TS		68	/* timestamp */
#define IPOPT_SECURITY		130	/* basic security (RFC 1108) */
#define IPOPT_LSRR		131	/* loose source and record route */
#define IPOPT_SATID		136	/* stream identifier */
#define IPOPT_SSRR		137	/* strict source and record route */
#define IPOPT_RA		148	/* router alert (RFC 2113) */

#define IPOPT_OPTVAL		0	/* offset of the type octet */
#define IPOPT_OLEN		1	/* offset of the length octet */
#define IPOPT_OFFSET		2	/* RR/SRR/TS: pointer octet */
#define IPOPT_MINOFF		4	/* smallest valid pointer value */

#endif /* _NETSTACK_NETINET_IP_H_ */
