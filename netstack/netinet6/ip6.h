/*
 * ip6.h -- the IPv6 header and extension headers on the wire (RFC 8200).
 *
 * Wire layout only: packed structures, multi-byte fields in network
 * order.  Stack-internal definitions live in ip6_var.h.
 */
#ifndef _NETSTACK_NETINET6_IP6_H_
#define _NETSTACK_NETINET6_IP6_H_

#include "netstack/kern/kern.h"

#define IPV6_VERSION		0x60
#define IPV6_VERSION_MASK	0xf0

struct ip6_hdr {
	uint32_t	ip6_flow;	/* version 4, class 8, flow label 20 */
	uint16_t	ip6_plen;	/* payload length */
	uint8_t		ip6_nxt;	/* next header */
	uint8_t		ip6_hlim;	/* hop limit */
	uint8_t		ip6_src[16];
	uint8_t		ip6_dst[16];
} __packed;

_Static_assert(sizeof(struct ip6_hdr) == 40, "IPv6 header is 40 bytes");

#define IP6_HDRLEN		40
#define IP6_NXT_OFF		6	/* offset of ip6_nxt */
#define IP6_PLEN_OFF		4	/* offset of ip6_plen */
#define IPV6_MMTU		1280	/* minimum link MTU (RFC 8200 5) */
#define IPV6_MAXPACKET		65535	/* payload, without jumbograms */
#define IPV6_MAXHLIM		255
#define IPV6_DEFHLIM		64

/* Generic extension header: next header and length in 8-byte units,
 * not counting the first 8 bytes (hop-by-hop, routing, destination). */
struct ip6_ext {
	uint8_t		ip6e_nxt;
	uint8_t		ip6e_len;
} __packed;

/* Routing header (RFC 8200 4.4). */
struct ip6_rthdr {
	uint8_t		ip6r_nxt;
	uint8_t		ip6r_len;
	uint8_t		ip6r_type;
	uint8_t		ip6r_segleft;
} __packed;
#define IPV6_RTHDR_TYPE_0	0	/* deprecated, RFC 5095 */

/* Fragment header (RFC 8200 4.5). */
struct ip6_frag {
	uint8_t		ip6f_nxt;
	uint8_t		ip6f_reserved;
	uint16_t	ip6f_offlg;	/* offset << 3 | res 2 | M */
	uint32_t	ip6f_ident;
} __packed;
_Static_assert(sizeof(struct ip6_frag) == 8, "fragment header");
#define IP6F_OFF_MASK		0xfff8	/* host order */
#define IP6F_MORE_FRAG		0x0001

/* Options of hop-by-hop and destination headers (RFC 8200 4.2). */
#define IP6OPT_PAD1		0x00
#define IP6OPT_PADN		0x01
#define IP6OPT_JUMBO		0xc2
#define IP6OPT_ROUTER_ALERT	0x05
/* Action for an unrecognised option: the two high-order bits. */
#define IP6OPT_TYPE(o)		((o) & 0xc0)
#define IP6OPT_TYPE_SKIP	0x00
#define IP6OPT_TYPE_DISCARD	0x40
#define IP6OPT_TYPE_FORCEICMP	0x80
#define IP6OPT_TYPE_ICMP	0xc0

#endif /* _NETSTACK_NETINET6_IP6_H_ */
