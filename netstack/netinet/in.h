/*
 * in.h -- Internet address family definitions inside the kernel.
 *
 * Layouts and constant values are Linux's (the syscall ABI), but the
 * names carry a 'k' prefix where they would clash with the host's
 * <netinet/in.h> in programs (tests, tools) that include both.
 * Addresses are kept in network byte order everywhere in the kernel.
 */
#ifndef _NETSTACK_NETINET_IN_H_
#define _NETSTACK_NETINET_IN_H_

#include "netstack/kern/kern.h"

#ifndef AF_UNSPEC
#define AF_UNSPEC	0
#endif
#ifndef AF_INET
#define AF_INET		2
#endif
#ifndef AF_INET6
#define AF_INET6	10
#endif
#ifndef AF_PACKET
#define AF_PACKET	17
#endif

#define KIPPROTO_IP	0
#define KIPPROTO_ICMP	1
#define KIPPROTO_TCP	6
#define KIPPROTO_UDP	17
#define KIPPROTO_IPV6	41
#define KIPPROTO_ROUTING 43
#define KIPPROTO_FRAGMENT 44
#define KIPPROTO_ICMPV6	58
#define KIPPROTO_NONE	59
#define KIPPROTO_DSTOPTS 60
#define KIPPROTO_RAW	255

/* Generic socket address: family first, as in Linux (no length byte). */
struct ksockaddr {
	uint16_t	sa_family;
	uint8_t		sa_data[14];
};

struct ksockaddr_in {
	uint16_t	sin_family;	/* AF_INET */
	uint16_t	sin_port;	/* network order */
	uint32_t	sin_addr;	/* network order */
	uint8_t		sin_zero[8];
};

struct kin6_addr {
	uint8_t		s6_addr[16];
};

struct ksockaddr_in6 {
	uint16_t	sin6_family;	/* AF_INET6 */
	uint16_t	sin6_port;	/* network order */
	uint32_t	sin6_flowinfo;
	struct kin6_addr sin6_addr;
	uint32_t	sin6_scope_id;	/* interface index for link-local */
};

/* Large enough for any address the kernel handles (Linux: 128). */
struct ksockaddr_storage {
	uint16_t	ss_family;
	uint8_t		ss_data[126];
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct ksockaddr_in) == 16, "Linux sockaddr_in");
_Static_assert(sizeof(struct ksockaddr_in6) == 28, "Linux sockaddr_in6");

/* Host-order helpers for IPv4 address classes (argument network order). */
#define KINADDR_ANY		0x00000000u
#define KINADDR_BROADCAST	0xffffffffu
#define KINADDR_LOOPBACK	0x7f000001u	/* host order */

static inline bool
in_multicast(uint32_t a)
{
	return (ntohl(a) & 0xf0000000u) == 0xe0000000u;
}

static inline bool
in_loopback(uint32_t a)
{
	return (ntohl(a) >> 24) == 127;
}

static inline bool
in_zeronet(uint32_t a)
{
	return (ntohl(a) >> 24) == 0;
}

/* Mask of a prefix length 0..32, network order. */
static inline uint32_t
in_prefixmask(unsigned plen)
{
	return plen == 0 ? 0 : htonl(0xffffffffu << (32 - plen));
}

/* Length of a contiguous network-order mask, or -1 if not contiguous. */
int in_mask2len(uint32_t mask);

/* Text form, for messages: buf must hold 16 bytes. */
char *in_fmtaddr(uint32_t a, char *buf);

#endif /* _NETSTACK_NETINET_IN_H_ */
