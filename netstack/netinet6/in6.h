/*
 * in6.h -- IPv6 address classes and helpers inside the kernel
 * (RFC 4291).  Addresses are 16-byte arrays in network order.
 *
 * Zones.  A link-local unicast address (fe80::/10) or a link- or
 * interface-local multicast address (ff02::/16, ff01::/16) means
 * something only together with an interface: its zone, the interface
 * index (sin6_scope_id, "fe80::1%shmif0").  The routing table has one
 * key space per family, so route keys of such addresses carry the zone
 * in bytes 2-3 (in6_rtkey); nothing else ever does, and neither packets
 * nor the control ABI see embedded zones.
 */
#ifndef _NETSTACK_NETINET6_IN6_H_
#define _NETSTACK_NETINET6_IN6_H_

#include "netstack/netinet/in.h"

#define KIPPROTO_HOPOPTS	0	/* IPv6 hop-by-hop options */

/* Linux IPPROTO_IPV6 level socket options (the syscall ABI). */
#define KIPV6_CHECKSUM		7
#define KIPV6_UNICAST_HOPS	16
#define KIPV6_MULTICAST_IF	17
#define KIPV6_MULTICAST_HOPS	18
#define KIPV6_V6ONLY		26

extern const uint8_t in6addr_any[16];
extern const uint8_t in6addr_loopback[16];
extern const uint8_t in6addr_linklocal_allnodes[16];	/* ff02::1 */
extern const uint8_t in6addr_linklocal_allrouters[16];	/* ff02::2 */

static inline bool
in6_is_unspecified(const uint8_t *a)
{
	return memcmp(a, in6addr_any, 16) == 0;
}

static inline bool
in6_is_loopback(const uint8_t *a)
{
	return memcmp(a, in6addr_loopback, 16) == 0;
}

static inline bool
in6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

static inline bool
in6_is_linklocal(const uint8_t *a)
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline bool
in6_is_v4mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(a, pfx, 12) == 0;
}

/* Multicast scope (RFC 4291 2.7): 1 interface, 2 link, 5 site, 14 global. */
static inline unsigned
in6_mc_scope(const uint8_t *a)
{
	return a[1] & 0x0f;
}

/* Does the address need a zone (interface) to mean anything? */
static inline bool
in6_is_scoped(const uint8_t *a)
{
	return in6_is_linklocal(a) || (in6_is_multicast(a) &&
	    (in6_mc_scope(a) == 1 || in6_mc_scope(a) == 2));
}

/* The solicited-node multicast address of a (RFC 4291 2.7.1):
 * ff02::1:ffXX:XXXX with the low 24 bits of a. */
void in6_solicited_node(const uint8_t *a, uint8_t *out);
/* A mask of plen bits (0..128). */
void in6_prefixmask(unsigned plen, uint8_t *mask);
/* Do a and b agree in their first plen bits? */
bool in6_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen);
/* Length of the common prefix of a and b (0..128). */
unsigned in6_common_prefix(const uint8_t *a, const uint8_t *b);
/* The route key of addr in zone ifindex (see above): a copy, with the
 * zone in bytes 2-3 for scoped addresses. */
void in6_rtkey(const uint8_t *addr, unsigned ifindex, uint8_t *key);
/* The address of a route key, and its zone (0 if none). */
unsigned in6_rtkey_addr(const uint8_t *key, uint8_t *addr);
/* Text form (RFC 5952) for messages; buf holds 46 bytes. */
#define IN6_ADDRSTRLEN	46
char *in6_fmtaddr(const uint8_t *a, char *buf);

#endif /* _NETSTACK_NETINET6_IN6_H_ */
