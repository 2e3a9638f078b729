/*
 * in_cksum.c -- the Internet checksum (RFC 1071), summed wide.
 *
 * The sum is order-independent and commutes with byte swapping (RFC 1071
 * section 2), so data is summed in the host's own byte order and wide
 * pieces at a time, with carries deferred into wide accumulators
 * (section 2(C)); the result is in memory order (see in_cksum.h).  A
 * 32-bit word is congruent to the sum of its two 16-bit halves modulo
 * 0xffff, which is all the ones'-complement sum sees, so any exact
 * integer sum of 16-, 32- or 64-bit pieces folds to the right value.
 *
 * Buffers of 64 bytes or more go through a loop over 64-byte blocks
 * (in_cksum_bulk); the rest, and short buffers such as a 20-byte IPv4
 * header, through 32-bit loads into two 64-bit accumulators
 * (in_cksum_short).  Loads go through memcpy(), so any alignment is
 * fine and the compiler emits plain (unaligned) moves.
 *
 * The bulk loop on x86 (SSE2, part of the x86-64 baseline) uses PMADDWD,
 * which multiplies signed 16-bit lanes and adds neighbouring products
 * into 32-bit lanes.  With a multiplier of 1 it sums word pairs, three
 * vector operations per 16 bytes.  The words are unsigned, so each one
 * is first biased by -0x8000 (flipping its top bit does exactly that)
 * and the bias is added back once per chunk.  Elsewhere the bulk loop
 * is the plain 32-bit one, unrolled.  Performance: bench/CKSUM-REPORT.md;
 * cksum.mk builds this file with -O2 -falign-loops=64.
 */
#include "netstack/netinet/in_cksum.h"

/* Bytes per iteration of the bulk loop. */
#define CKSUM_BLOCK	64
/*
 * Blocks summed between two flushes of the vector accumulators.  A
 * 32-bit lane gains at most 2 * 0x8000 in magnitude per vector, four
 * vectors a block land in one lane when the accumulators are added, so
 * 4 * 0x10000 * 8191 < 2^31 keeps a lane exact as a signed number.
 */
#define CKSUM_CHUNK	8191

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint16_t
ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Sum of p[0..len) as 16-bit words in host order, the odd last byte
 * padded with zero after it: the whole of a short buffer, the tail of a
 * long one (len < 64 either way; exact for any len below 2^32).
 */
static inline uint64_t
in_cksum_short(const uint8_t *p, size_t len)
{
	uint64_t a = 0, b = 0;

	for (; len >= 8; len -= 8, p += 8) {
		a += ld32(p);
		b += ld32(p + 4);
	}
	if (len & 4) {
		a += ld32(p);
		p += 4;
	}
	if (len & 2) {
		b += ld16(p);
		p += 2;
	}
	if (len & 1) {
		const uint8_t last[2] = { p[0], 0 };

		a += ld16(last);
	}
	return a + b;
}

#if defined(__SSE2__)

typedef int16_t cksum_v8i16 __attribute__((__vector_size__(16)));
typedef int32_t cksum_v4i32 __attribute__((__vector_size__(16)));
typedef uint32_t cksum_v4u32 __attribute__((__vector_size__(16)));

/* Word pair sums of a 16-byte vector, each word biased by -0x8000. */
static inline cksum_v4u32
madd_biased(const uint8_t *p)
{
	const cksum_v8i16 flip = { -0x8000, -0x8000, -0x8000, -0x8000,
	    -0x8000, -0x8000, -0x8000, -0x8000 };
	const cksum_v8i16 one = { 1, 1, 1, 1, 1, 1, 1, 1 };
	cksum_v8i16 v;

	memcpy(&v, p, sizeof(v));
	return (cksum_v4u32)__builtin_ia32_pmaddwd128(v ^ flip, one);
}

/*
 * Sum of nblk 64-byte blocks at p, reduced to at most 33 bits.  The
 * lanes are added as unsigned (wrapping) numbers; the chunk limit makes
 * the signed reading of the result exact.
 */
static uint64_t
in_cksum_bulk(const uint8_t *p, size_t nblk)
{
	uint64_t sum = 0;

	while (nblk > 0) {
		size_t n = MIN(nblk, (size_t)CKSUM_CHUNK);
		cksum_v4u32 a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
		cksum_v4i32 s;

		for (size_t i = 0; i < n; i++, p += CKSUM_BLOCK) {
			a += madd_biased(p);
			b += madd_biased(p + 16);
			c += madd_biased(p + 32);
			d += madd_biased(p + 48);
		}
		s = (cksum_v4i32)(a + b + c + d);
		/* Undo the bias: 32 words per block, -0x8000 each. */
		sum += (uint64_t)((int64_t)s[0] + s[1] + s[2] + s[3] +
		    ((int64_t)n << 20));
		sum = (sum & 0xffffffff) + (sum >> 32);
		nblk -= n;
	}
	return sum;
}

#else /* !__SSE2__ */

/* Sum of nblk 64-byte blocks at p, reduced to at most 33 bits. */
static uint64_t
in_cksum_bulk(const uint8_t *p, size_t nblk)
{
	uint64_t sum = 0;

	while (nblk > 0) {
		size_t n = MIN(nblk, (size_t)CKSUM_CHUNK);
		uint64_t a = 0, b = 0, c = 0, d = 0;

		for (size_t i = 0; i < n; i++, p += CKSUM_BLOCK) {
			for (size_t j = 0; j < CKSUM_BLOCK; j += 16) {
				a += ld32(p + j);
				b += ld32(p + j + 4);
				c += ld32(p + j + 8);
				d += ld32(p + j + 12);
			}
		}
		sum += in_cksum__reduce(a + b + c + d);
		nblk -= n;
	}
	return sum;
}

#endif /* __SSE2__ */

uint32_t
in_cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t acc = sum;

	if (len >= CKSUM_BLOCK) {
		size_t nblk = len / CKSUM_BLOCK;

		acc += in_cksum_bulk(p, nblk);
		p += nblk * CKSUM_BLOCK;
		len -= nblk * CKSUM_BLOCK;
	}
	return in_cksum__reduce(acc + in_cksum_short(p, len));
}

uint32_t
in_cksum_add_at(uint32_t sum, const void *buf, size_t len, size_t off)
{
	return in_cksum_combine(sum, in_cksum_add(0, buf, len), off);
}

uint16_t
in_cksum(const void *buf, size_t len)
{
	return (uint16_t)~in_cksum_fold(in_cksum_add(0, buf, len));
}

uint32_t
in6_pseudo_sum(const uint8_t src[16], const uint8_t dst[16], uint8_t nxt,
    uint32_t l4len)
{
	/* Source, destination, 32-bit length, 24 zero bits and nxt. */
	uint64_t sum = (uint64_t)htonl(l4len) + htonl(nxt);

	for (size_t i = 0; i < 16; i += 4)
		sum += (uint64_t)ld32(src + i) + ld32(dst + i);
	return in_cksum__reduce(sum);
}
