/*
 * in_cksum.h -- the Internet checksum: RFC 1071 sums, the IPv4 and IPv6
 * pseudo-headers, and the incremental update of RFC 1624.
 *
 * Byte order.  Every 16-bit checksum and every partial sum in this
 * interface is in *memory order*: it is the value that, stored with
 * memcpy() (or through a uint16_t member of a wire struct), puts the
 * right two bytes into the packet, and that a memcpy() out of a packet
 * yields.  On a big-endian host that is the number the RFCs write; on a
 * little-endian host it is that number byte-swapped, so ntohs() of a
 * result gives the RFC's number and htons() turns an RFC number into
 * an argument.  Example (RFC 1071 section 3): the bytes
 * 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 and their checksum is 0x220d;
 * here in_cksum_fold() of their sum is htons(0xddf2) and in_cksum()
 * returns htons(0x220d), i.e. the bytes 22 0d in memory.  This works
 * because the ones'-complement sum commutes with swapping the bytes of
 * every word (RFC 1071 section 2(B)), so no swap is ever done on data.
 *
 * Partial sums.  A partial sum is a uint32_t that stands for a
 * ones'-complement sum without being folded to 16 bits; only
 * in_cksum_fold() of it is meaningful.  0 is the empty sum, any
 * uint32_t may be passed back in, and sums of disjoint pieces add with
 * in_cksum_combine().  in_cksum_add() assumes its buffer starts at an
 * even offset of the data being summed.  A piece that may start at an
 * odd offset (after a piece of odd length) goes through
 * in_cksum_add_at() with its offset.  A UDP datagram gathered from
 * pieces, offsets counted from the UDP header (the pseudo-header is a
 * whole number of words and does not change parities):
 *
 *	uint32_t sum = in_pseudo_sum(src_be, dst_be, IPPROTO_UDP, ulen);
 *	size_t off = 0;
 *	for (int i = 0; i < n; off += piece[i].len, i++)
 *		sum = in_cksum_add_at(sum, piece[i].base, piece[i].len, off);
 *	uh_sum = (uint16_t)~in_cksum_fold(sum);
 *	if (uh_sum == 0)
 *		uh_sum = 0xffff;	(RFC 768; RFC 8200 section 8.1)
 *
 * Checking.  Data that carries its own checksum is intact when
 * in_cksum() over it is 0 (an IPv4 header, ICMP), or when
 * in_cksum_fold() of the pseudo-header sum plus the segment is 0xffff
 * (TCP, UDP).
 *
 * Deferred transmit checksums (M_CSUM_TCPv4 etc., netstack/kern/mbuf.h):
 * the stack stores in_cksum_fold(in_pseudo_sum(...)) in the TCP or UDP
 * checksum field; whoever finishes the job stores in_cksum() over the
 * segment, taken from its first byte with that field in place (for
 * UDP, 0 becomes 0xffff as above).
 */
#ifndef _NETSTACK_NETINET_IN_CKSUM_H_
#define _NETSTACK_NETINET_IN_CKSUM_H_

#include "netstack/kern/kern.h"

/* Internal: reduce a 64-bit sum to a 32-bit partial sum (end-around carry). */
static inline uint32_t
in_cksum__reduce(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (uint32_t)sum;
}

/*
 * Add the 16-bit words of buf[0..len) to sum; an odd last byte counts
 * as the high-order (first) byte of a word padded with zero.  Any
 * length and any alignment.  buf sits at an even offset of the data.
 * => Returns the new partial sum.
 */
uint32_t in_cksum_add(uint32_t sum, const void *buf, size_t len);

/*
 * As in_cksum_add(), for a piece that begins at byte offset off of the
 * data being summed (only the parity of off matters).
 */
uint32_t in_cksum_add_at(uint32_t sum, const void *buf, size_t len,
    size_t off);

/*
 * The checksum of buf[0..len), ready to be memcpy'd into the header
 * field: (uint16_t)~in_cksum_fold(in_cksum_add(0, buf, len)).
 */
uint16_t in_cksum(const void *buf, size_t len);

/*
 * The pseudo-header sum for TCP or UDP over IPv4 (RFC 793 section 3.1,
 * RFC 768): src_be and dst_be as they are in the IP header (network
 * order, e.g. memcpy'd out of it); proto and l4len (the TCP or UDP
 * header plus data, in bytes) are host-order numbers.
 * => Returns a partial sum to continue with in_cksum_add().
 */
static inline uint32_t
in_pseudo_sum(uint32_t src_be, uint32_t dst_be, uint8_t proto,
    uint16_t l4len)
{
	/* A 32-bit word is its two 16-bit halves, modulo 0xffff. */
	return in_cksum__reduce((uint64_t)src_be + dst_be + htons(proto) +
	    htons(l4len));
}

/*
 * The pseudo-header sum for an upper-layer protocol over IPv6 (RFC 8200
 * section 8.1): addresses as they are in the header, nxt the final
 * next-header value, l4len the upper-layer packet length (host order).
 * => Returns a partial sum to continue with in_cksum_add().
 */
uint32_t in6_pseudo_sum(const uint8_t src[16], const uint8_t dst[16],
    uint8_t nxt, uint32_t l4len);

/* Fold a partial sum to its 16-bit ones'-complement value (not negated). */
static inline uint16_t
in_cksum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * Add part, the partial sum of a piece starting at byte offset off of
 * the data, to sum.  A piece at an odd offset has its words straddle
 * the data's words, so its sum enters byte-swapped (RFC 1071 2(B)).
 */
static inline uint32_t
in_cksum_combine(uint32_t sum, uint32_t part, size_t off)
{
	/* Rotating by 8 multiplies by 2^8 modulo 0xffff: a byte swap. */
	if (off & 1)
		part = (part << 8) | (part >> 24);
	return in_cksum__reduce((uint64_t)sum + part);
}

/*
 * RFC 1624: the checksum field value after one 16-bit word of the
 * covered data (at an even offset) changes from old16 to new16, all
 * three in memory order.  Equation 3, HC' = ~(~HC + ~m + m'), which
 * unlike RFC 1141's form never turns a correct 0x0000 into 0xffff
 * (RFC 1624 section 3).  IPv4 forwarding decrements the TTL with the
 * TTL/protocol word at offset 8:
 *
 *	memcpy(&old16, (uint8_t *)ip + 8, 2);
 *	ip->ip_ttl--;
 *	memcpy(&new16, (uint8_t *)ip + 8, 2);
 *	ip->ip_sum = in_cksum_update16(ip->ip_sum, old16, new16);
 */
static inline uint16_t
in_cksum_update16(uint16_t cksum, uint16_t old16, uint16_t new16)
{
	uint32_t sum = (uint16_t)~cksum + (uint32_t)(uint16_t)~old16 + new16;

	return (uint16_t)~in_cksum_fold(sum);
}

#endif /* _NETSTACK_NETINET_IN_CKSUM_H_ */
