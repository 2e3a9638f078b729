/*
 * ip_icmp.h -- ICMP for IPv4 (RFC 792): the wire header, types and
 * codes, and the services other modules call (icmp_error).
 */
#ifndef _NETSTACK_NETINET_IP_ICMP_H_
#define _NETSTACK_NETINET_IP_ICMP_H_

#include "netstack/kern/kern.h"
#include "netstack/kern/mbuf.h"

/*
 * The fixed part of every ICMP message.  The last four bytes depend on
 * the type: identifier and sequence number (echo, timestamp), the
 * parameter-problem pointer (first byte), the next-hop MTU of a
 * fragmentation-needed unreachable (last two bytes, RFC 1191), the
 * gateway of a redirect, or zero.
 */
struct icmp_hdr {
	uint8_t		icmp_type;
	uint8_t		icmp_code;
	uint16_t	icmp_cksum;	/* over the whole ICMP message */
	union {
		struct {
			uint16_t	icd_id;
			uint16_t	icd_seq;
		} __packed ih_idseq;
		struct {
			uint16_t	ipm_void;
			uint16_t	ipm_nextmtu;
		} __packed ih_pmtu;
		uint8_t		ih_pptr;	/* parameter problem pointer */
		uint32_t	ih_gwaddr;	/* redirect gateway */
		uint32_t	ih_void;
	} __packed icmp_hun;
} __packed;

_Static_assert(sizeof(struct icmp_hdr) == 8, "ICMP header is 8 bytes");

#define ICMP_MINLEN	8		/* header alone */
/* An error quotes the IP header and at least 8 bytes of data. */
#define ICMP_ADVLENMIN	(ICMP_MINLEN + 20 + 8)

/* Types */
#define ICMP_ECHOREPLY		0
#define ICMP_UNREACH		3
#define ICMP_SOURCEQUENCH	4	/* deprecated (RFC 6633) */
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_ROUTERADVERT	9
#define ICMP_ROUTERSOLICIT	10
#define ICMP_TIMXCEED		11
#define ICMP_PARAMPROB		12
#define ICMP_TSTAMP		13
#define ICMP_TSTAMPREPLY	14
#define ICMP_IREQ		15
#define ICMP_IREQREPLY		16
#define ICMP_MASKREQ		17
#define ICMP_MASKREPLY		18
#define ICMP_MAXTYPE		18

/* ICMP_UNREACH codes (RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1) */
#define ICMP_UNREACH_NET		0
#define ICMP_UNREACH_HOST		1
#define ICMP_UNREACH_PROTOCOL		2
#define ICMP_UNREACH_PORT		3
#define ICMP_UNREACH_NEEDFRAG		4
#define ICMP_UNREACH_SRCFAIL		5
#define ICMP_UNREACH_NET_UNKNOWN	6
#define ICMP_UNREACH_HOST_UNKNOWN	7
#define ICMP_UNREACH_ISOLATED		8
#define ICMP_UNREACH_NET_PROHIB		9
#define ICMP_UNREACH_HOST_PROHIB	10
#define ICMP_UNREACH_TOSNET		11
#define ICMP_UNREACH_TOSHOST		12
#define ICMP_UNREACH_FILTER_PROHIB	13
#define ICMP_UNREACH_HOST_PRECEDENCE	14
#define ICMP_UNREACH_PRECEDENCE_CUTOFF	15
#define ICMP_UNREACH_MAXCODE		15

/* ICMP_TIMXCEED codes */
#define ICMP_TIMXCEED_INTRANS	0	/* TTL reached zero in transit */
#define ICMP_TIMXCEED_REASS	1	/* reassembly timed out */

/* ICMP_PARAMPROB codes */
#define ICMP_PARAMPROB_ERRATPTR	0	/* pointer indicates the error */
#define ICMP_PARAMPROB_OPTABSENT 1	/* required option missing */
#define ICMP_PARAMPROB_LENGTH	2	/* bad length (RFC 1812) */

/* ICMP_REDIRECT codes */
#define ICMP_REDIRECT_NET	0
#define ICMP_REDIRECT_HOST	1
#define ICMP_REDIRECT_TOSNET	2
#define ICMP_REDIRECT_TOSHOST	3

/* Is this type an error message (as opposed to a query or reply)? */
static inline bool
icmp_iserror(uint8_t type)
{
	switch (type) {
	case ICMP_UNREACH:
	case ICMP_SOURCEQUENCH:
	case ICMP_REDIRECT:
	case ICMP_TIMXCEED:
	case ICMP_PARAMPROB:
		return true;
	default:
		return false;
	}
}

struct netstack;

/*
 * Send an ICMP error of (type, code) about the datagram n, which starts
 * at its IP header (as received: fields in network order) and is
 * consumed.  'info' is the next-hop MTU for ICMP_UNREACH_NEEDFRAG and
 * the octet pointer for ICMP_PARAMPROB, otherwise ignored.  Nothing is
 * sent, following RFC 1122 3.2.2 and RFC 1812 4.3.2.7, about an ICMP
 * error, a non-first fragment, a broadcast or multicast (link or IP),
 * or a datagram whose source does not name a single host; errors are
 * rate limited by net.inet.icmp.errppslimit.  Every case is counted in
 * net.inet.icmp.stats.
 */
void icmp_error(struct netstack *ns, struct mbuf *n, int type, int code,
    uint32_t info);

/*
 * The errno an ICMP error reports to a transport (Linux's mapping, so
 * programs see the error codes they expect), and whether it is "hard"
 * (RFC 1122 4.2.3.9: the connection cannot succeed).  => 0 for
 * messages that are advisory only (source quench, redirect).
 */
int icmp_errno(int type, int code, bool *hard);

#endif /* _NETSTACK_NETINET_IP_ICMP_H_ */
