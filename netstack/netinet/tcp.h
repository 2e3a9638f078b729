/*
 * tcp.h -- the TCP wire format (RFC 9293 section 3.1) and its options:
 * MSS (RFC 9293 3.2), window scale and timestamps (RFC 7323), SACK
 * (RFC 2018).  Wire layout only; the stack's own structures are in
 * tcp_var.h.
 */
#ifndef _NETSTACK_NETINET_TCP_H_
#define _NETSTACK_NETINET_TCP_H_

#include "netstack/kern/kern.h"

/* Multi-byte fields are in network order; read them with ntohl/ntohs. */
struct tcphdr {
	uint16_t	th_sport;	/* source port */
	uint16_t	th_dport;	/* destination port */
	uint32_t	th_seq;		/* sequence number */
	uint32_t	th_ack;		/* acknowledgment number */
	uint8_t		th_offx2;	/* data offset (words) << 4 */
	uint8_t		th_flags;	/* TH_* */
	uint16_t	th_win;		/* window */
	uint16_t	th_sum;		/* checksum over pseudo-header + segment */
	uint16_t	th_urp;		/* urgent pointer */
} __packed;

_Static_assert(sizeof(struct tcphdr) == 20, "TCP header is 20 bytes");

#define TH_OFF(th)		((unsigned)((th)->th_offx2 >> 4))
#define TH_OFFX2(words)		((uint8_t)((words) << 4))

/* th_flags */
#define TH_FIN		0x01
#define TH_SYN		0x02
#define TH_RST		0x04
#define TH_PUSH		0x08
#define TH_ACK		0x10
#define TH_URG		0x20
#define TH_ECE		0x40
#define TH_CWR		0x80

#define TCP_CSUM_OFFSET	16		/* th_sum inside the header */
#define TCP_MINHLEN	20
#define TCP_MAXHLEN	60
#define TCP_MAXOLEN	(TCP_MAXHLEN - TCP_MINHLEN)

/* Options (kind, length). */
#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MAXSEG		2
#define TCPOLEN_MAXSEG		4
#define TCPOPT_WINDOW		3
#define TCPOLEN_WINDOW		3
#define TCPOPT_SACK_PERMITTED	4
#define TCPOLEN_SACK_PERMITTED	2
#define TCPOPT_SACK		5
#define TCPOLEN_SACKBLK		8	/* each block: left, right edge */
#define TCPOPT_TIMESTAMP	8
#define TCPOLEN_TIMESTAMP	10

#define TCP_MAXWINSHIFT	14		/* RFC 7323 2.3 */
#define TCP_MAXWIN	65535u		/* unscaled window field */
#define TCP_MSS_DEFAULT	536		/* RFC 9293 3.7.1, IPv4 */

#endif /* _NETSTACK_NETINET_TCP_H_ */
