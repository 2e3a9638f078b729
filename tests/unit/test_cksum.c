/*
 * test_cksum.c -- the Internet checksum: RFC 1071's own example, the fast
 * sum against a word-by-word reference for every length and alignment,
 * sums split across pieces, golden IPv4/ICMP/TCP/UDP values derived by
 * hand (and confirmed by tcpdump -vv, which found every checksum in a
 * pcap of these frames good), and the RFC 1624 incremental update with
 * its corner cases.
 *
 * Results are in memory order (netstack/netinet/in_cksum.h), so golden
 * values are written as htons(RFC number) or as the bytes on the wire.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netstack/netinet/in_cksum.h"
#include "tests/unit/unit.h"

/* ----------------------------------------------------------- support */

/* xorshift64*: reproducible data for every run. */
static uint64_t
rnd_next(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

static void
rnd_fill(uint64_t *state, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(rnd_next(state) >> 56);
}

/* Ones'-complement addition of two 16-bit numbers (RFC 1071 section 1). */
static uint16_t
ones_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * The reference: RFC 1071 taken literally.  Big-endian 16-bit words, an
 * odd last byte padded with a zero after it, end-around carry on every
 * addition.  Returns the folded sum as a host number (the RFC's).
 */
static uint16_t
ref_sum(const uint8_t *p, size_t len)
{
	uint16_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum = ones_add(sum, (uint16_t)(p[i] << 8 | p[i + 1]));
	if (len & 1)
		sum = ones_add(sum, (uint16_t)(p[len - 1] << 8));
	return sum;
}

/* The folded fast sum as a host number, for comparison with ref_sum. */
static uint16_t
fast_sum(const void *p, size_t len)
{
	return ntohs(in_cksum_fold(in_cksum_add(0, p, len)));
}

/* A copy of src at address alignment align, in a block of exact size. */
static uint8_t *
copy_at(const uint8_t *src, size_t len, size_t align, uint8_t **blockp)
{
	uint8_t *block = malloc(align + len > 0 ? align + len : 1);

	ck_assert_ptr_nonnull(block);
	*blockp = block;
	memcpy(block + align, src, len);
	return block + align;
}

/* --------------------------------------------------- RFC 1071 example */

/*
 * RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2
 * and the checksum is ~0xddf2 = 0x220d, i.e. the bytes 22 0d.
 */
START_TEST(test_rfc1071_example)
{
	static const uint8_t data[8] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7
	};
	static const uint8_t want[2] = { 0x22, 0x0d };

	for (size_t align = 0; align < 8; align++) {
		uint8_t *block, *p = copy_at(data, sizeof(data), align, &block);
		uint16_t ck = in_cksum(p, sizeof(data));

		ck_assert_uint_eq(in_cksum_fold(in_cksum_add(0, p, 8)),
		    htons(0xddf2));
		ck_assert_uint_eq(ck, htons(0x220d));
		ck_assert_mem_eq(&ck, want, 2);
		free(block);
	}
}
END_TEST

/* ------------------------------------------------- fast vs reference */

/* Every length 0..3000 at address alignment _i, random data. */
START_TEST(test_random_vs_ref)
{
	enum { MAXLEN = 3000 };
	uint64_t rs = 0x1071 + (uint64_t)_i;
	uint8_t *data = malloc(MAXLEN);

	ck_assert_ptr_nonnull(data);
	rnd_fill(&rs, data, MAXLEN);
	for (size_t len = 0; len <= MAXLEN; len++) {
		uint8_t *block, *p = copy_at(data, len, (size_t)_i, &block);
		uint16_t want = ref_sum(p, len);

		ck_assert_msg(fast_sum(p, len) == want,
		    "len %zu align %d: 0x%04x, want 0x%04x", len, _i,
		    fast_sum(p, len), want);
		ck_assert_uint_eq(in_cksum(p, len), htons((uint16_t)~want));
		free(block);
	}
	free(data);
}
END_TEST

/*
 * Multi-megabyte buffers cross several flushes of the vector
 * accumulators (every 8191 * 64 bytes).  All-zero and all-0xff data
 * push every lane to its negative and positive bound.
 */
START_TEST(test_large_buffers)
{
	enum { BIG = 3 * 1024 * 1024 + 37 };
	static const size_t lens[] = {
		64 * 8191 - 1, 64 * 8191, 64 * 8191 + 1, 64 * 8192,
		2 * 64 * 8191 + 63, BIG - 1, BIG
	};
	uint64_t rs = 0xb16;
	uint8_t *data = malloc(BIG + 1);

	ck_assert_ptr_nonnull(data);
	for (int pattern = 0; pattern < 4; pattern++) {
		switch (pattern) {
		case 0:
			memset(data, 0x00, BIG + 1);
			break;
		case 1:
			memset(data, 0xff, BIG + 1);
			break;
		case 2:
			for (size_t i = 0; i < BIG + 1; i++)
				data[i] = (i & 2) ? 0xff : 0x00;
			break;
		default:
			rnd_fill(&rs, data, BIG + 1);
			break;
		}
		for (size_t k = 0; k < nitems(lens); k++) {
			for (size_t off = 0; off < 2; off++) {
				ck_assert_msg(fast_sum(data + off, lens[k]) ==
				    ref_sum(data + off, lens[k]),
				    "pattern %d len %zu off %zu", pattern,
				    lens[k], off);
			}
		}
	}
	free(data);
}
END_TEST

/*
 * The sum argument may be any 32-bit value: its folded value is added
 * in.  It is in memory order like the result.
 */
START_TEST(test_any_initial_sum)
{
	static const uint32_t fixed[] = {
		0, 1, 0xffff, 0x10000, 0xfffe0001, 0xffff0000, 0xffffffff
	};
	uint64_t rs = 0x5eed;
	uint8_t data[200];

	rnd_fill(&rs, data, sizeof(data));
	for (size_t k = 0; k < nitems(fixed) + 100; k++) {
		uint32_t s0 = k < nitems(fixed) ? fixed[k] :
		    (uint32_t)rnd_next(&rs);
		size_t len = k % sizeof(data);
		uint16_t want = ones_add(ntohs(in_cksum_fold(s0)),
		    ref_sum(data, len));

		ck_assert_uint_eq(ntohs(in_cksum_fold(in_cksum_add(s0, data,
		    len))), want);
	}
}
END_TEST

/* ----------------------------------------------------------- chaining */

/* Two pieces, split at every point of a 300-byte buffer. */
START_TEST(test_chain_two_pieces)
{
	uint64_t rs = 0xc4a1;
	uint8_t data[300];

	rnd_fill(&rs, data, sizeof(data));
	for (size_t len = 0; len <= sizeof(data); len += 1) {
		uint16_t want = ref_sum(data, len);

		for (size_t k = 0; k <= len; k++) {
			uint32_t sum;

			sum = in_cksum_add_at(0, data, k, 0);
			sum = in_cksum_add_at(sum, data + k, len - k, k);
			ck_assert_msg(ntohs(in_cksum_fold(sum)) == want,
			    "len %zu split %zu", len, k);

			/* Pieces summed apart, then combined. */
			sum = in_cksum_combine(in_cksum_add(0, data, k),
			    in_cksum_add(0, data + k, len - k), k);
			ck_assert_uint_eq(ntohs(in_cksum_fold(sum)), want);
		}
	}
}
END_TEST

/*
 * Many pieces of random lengths (odd ones included, so the later
 * pieces start at odd offsets and odd addresses), as in an mbuf chain
 * whose buffers each have their own alignment.
 */
START_TEST(test_chain_many_pieces)
{
	enum { LEN = 6000 };
	uint64_t rs = 0x3b0f;
	uint8_t *data = malloc(LEN);

	ck_assert_ptr_nonnull(data);
	rnd_fill(&rs, data, LEN);
	for (int round = 0; round < 200; round++) {
		uint32_t sum = in_pseudo_sum(htonl(0xc6336401),
		    htonl(0xc6336402), 17, LEN);
		uint16_t want = ones_add(ntohs(in_cksum_fold(sum)),
		    ref_sum(data, LEN));
		size_t off = 0;

		while (off < LEN) {
			size_t n = (size_t)(rnd_next(&rs) % (round < 100 ?
			    9 : 1600));
			size_t align = (size_t)(rnd_next(&rs) % 8);
			uint8_t *block, *p;

			n = MIN(n, (size_t)LEN - off);
			p = copy_at(data + off, n, align, &block);
			sum = in_cksum_add_at(sum, p, n, off);
			free(block);
			off += n;
		}
		ck_assert_uint_eq(ntohs(in_cksum_fold(sum)), want);
	}
	free(data);
}
END_TEST

/* ------------------------------------------------------ golden frames */

/*
 * An ICMP echo request 198.51.100.1 -> 198.51.100.2, id 0x1234, seq 1,
 * payload "rumpnet!", as tcpdump -x prints it:
 *
 *	0x0000:  4500 0024 a6f2 4000 4001 3f7c c633 6401
 *	0x0010:  c633 6402 0800 235e 1234 0001 7275 6d70
 *	0x0020:  6e65 7421
 */
static const uint8_t icmp_echo[36] = {
	0x45, 0x00, 0x00, 0x24, 0xa6, 0xf2, 0x40, 0x00,
	0x40, 0x01, 0x3f, 0x7c, 0xc6, 0x33, 0x64, 0x01,
	0xc6, 0x33, 0x64, 0x02, 0x08, 0x00, 0x23, 0x5e,
	0x12, 0x34, 0x00, 0x01, 0x72, 0x75, 0x6d, 0x70,
	0x6e, 0x65, 0x74, 0x21
};

/*
 * The IPv4 header, checksum field zeroed, by hand:
 *	4500 + 0024 = 4524;  + a6f2 = ec16;  + 4000 = 12c16
 *	+ 4001 = 16c17;  + c633 = 2324a;  + 6401 = 2964b
 *	+ c633 = 35c7e;  + 6402 = 3c080
 *	fold: c080 + 3 = c083;  checksum ~c083 = 3f7c (bytes 3f 7c).
 */
START_TEST(test_ipv4_header_golden)
{
	static const uint8_t want[2] = { 0x3f, 0x7c };
	uint8_t hdr[20];
	uint16_t ck;

	for (size_t align = 0; align < 4; align++) {
		uint8_t *block, *p;

		memcpy(hdr, icmp_echo, sizeof(hdr));
		memset(hdr + 10, 0, 2);
		p = copy_at(hdr, sizeof(hdr), align, &block);
		ck = in_cksum(p, sizeof(hdr));
		ck_assert_uint_eq(ck, htons(0x3f7c));
		ck_assert_mem_eq(&ck, want, 2);
		memcpy(p + 10, &ck, 2);
		ck_assert_mem_eq(p, icmp_echo, sizeof(hdr));
		/* A correct header sums to 0xffff: checksum 0. */
		ck_assert_uint_eq(in_cksum(p, sizeof(hdr)), 0);
		free(block);
	}
}
END_TEST

/*
 * The ICMP message (no pseudo-header, RFC 792), checksum zeroed:
 *	0800 + 0000 + 1234 + 0001 = 1a35
 *	+ 7275 = 8caa;  + 6d70 = fa1a;  + 6e65 = 1687f;  + 7421 = 1dca0
 *	fold: dca0 + 1 = dca1;  checksum ~dca1 = 235e.
 */
START_TEST(test_icmp_golden)
{
	uint8_t msg[16];

	memcpy(msg, icmp_echo + 20, sizeof(msg));
	memset(msg + 2, 0, 2);
	ck_assert_uint_eq(in_cksum(msg, sizeof(msg)), htons(0x235e));
	ck_assert_uint_eq(in_cksum(icmp_echo + 20, sizeof(msg)), 0);
	ck_assert_uint_eq(in_cksum(icmp_echo, sizeof(icmp_echo)), 0);
}
END_TEST

/*
 * TCP and UDP segments from 198.51.100.1 / 2001:db8::1 port 40000 (9c40)
 * to 198.51.100.2 / 2001:db8::2 port 9999 (270f).  Both kinds occur
 * over both IP versions, with the checksum field zeroed:
 *
 *  UDP, 16 bytes: 9c40 270f 0010 0000 "rumpnet!" (7275 6d70 6e65 7421)
 *	header:  9c40 + 270f + 0010 = c35f
 *	payload: 7275 + 6d70 = dfe5;  + 6e65 = 14e4a;  + 7421 = 1c26b
 *	segment: c35f + 1c26b = 285ca
 *  TCP SYN, 20 bytes: 9c40 270f, seq 000003e8 (1000), ack 0, 5002
 *  (offset 5, SYN), window ffff, checksum, urgent 0
 *	segment: 9c40 + 270f = c34f;  + 03e8 = c737;  + 5002 = 11739;
 *	         + ffff = 21738
 *
 *  IPv4 pseudo-header (RFC 793 3.1): c633 6401 c633 6402 00 proto len
 *	addresses: c633 + 6401 = 12a34;  + c633 = 1f067;  + 6402 = 25469
 *	UDP:  25469 + 0011 + 0010 = 2548a;  + 285ca = 4da54
 *	      fold da54 + 4 = da58;  checksum ~da58 = 25a7
 *	TCP:  25469 + 0006 + 0014 = 25483;  + 21738 = 46bbb
 *	      fold 6bbb + 4 = 6bbf;  checksum ~6bbf = 9440
 *
 *  IPv6 pseudo-header (RFC 8200 8.1): 2001 0db8 0 .. 0 0001, the same
 *  ending 0002, 32-bit length, 24 zero bits, next header
 *	addresses: 2 * (2001 + 0db8) + 0001 + 0002 = 5b75
 *	UDP:  5b75 + 0010 + 0011 = 5b96;  + 285ca = 2e160
 *	      fold e160 + 2 = e162;  checksum ~e162 = 1e9d
 *	TCP:  5b75 + 0014 + 0006 = 5b8f;  + 21738 = 272c7
 *	      fold 72c7 + 2 = 72c9;  checksum ~72c9 = 8d36
 */
static const uint8_t udp_seg[16] = {
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x10, 0x00, 0x00,
	0x72, 0x75, 0x6d, 0x70, 0x6e, 0x65, 0x74, 0x21
};
static const uint8_t tcp_syn[20] = {
	0x9c, 0x40, 0x27, 0x0f, 0x00, 0x00, 0x03, 0xe8,
	0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x00
};
static const uint8_t v4_src[4] = { 198, 51, 100, 1 };
static const uint8_t v4_dst[4] = { 198, 51, 100, 2 };
static const uint8_t v6_src[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
};
static const uint8_t v6_dst[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02
};

static const struct pseudo_case {
	const char	*pc_name;
	int		 pc_ipv6;
	uint8_t		 pc_proto;
	const uint8_t	*pc_seg;
	size_t		 pc_len;
	size_t		 pc_sumoff;	/* offset of the checksum field */
	uint16_t	 pc_want;	/* RFC number */
} pseudo_cases[] = {
	{ "udp4", 0, 17, udp_seg, sizeof(udp_seg), 6, 0x25a7 },
	{ "tcp4", 0, 6, tcp_syn, sizeof(tcp_syn), 16, 0x9440 },
	{ "udp6", 1, 17, udp_seg, sizeof(udp_seg), 6, 0x1e9d },
	{ "tcp6", 1, 6, tcp_syn, sizeof(tcp_syn), 16, 0x8d36 },
};

static uint32_t
pseudo_of(const struct pseudo_case *pc)
{
	uint32_t src, dst;

	if (pc->pc_ipv6)
		return in6_pseudo_sum(v6_src, v6_dst, pc->pc_proto,
		    (uint32_t)pc->pc_len);
	memcpy(&src, v4_src, 4);
	memcpy(&dst, v4_dst, 4);
	return in_pseudo_sum(src, dst, pc->pc_proto, (uint16_t)pc->pc_len);
}

START_TEST(test_pseudo_golden)
{
	const struct pseudo_case *pc = &pseudo_cases[_i];
	uint8_t seg[20];
	uint16_t ck;
	uint32_t sum;

	memcpy(seg, pc->pc_seg, pc->pc_len);
	sum = in_cksum_add(pseudo_of(pc), seg, pc->pc_len);
	ck = (uint16_t)~in_cksum_fold(sum);
	ck_assert_msg(ck == htons(pc->pc_want), "%s: 0x%04x, want 0x%04x",
	    pc->pc_name, ntohs(ck), pc->pc_want);

	/* The receiver's check: pseudo-header plus segment folds to ffff. */
	memcpy(seg + pc->pc_sumoff, &ck, 2);
	sum = in_cksum_add(pseudo_of(pc), seg, pc->pc_len);
	ck_assert_uint_eq(in_cksum_fold(sum), 0xffff);

	/* Deferred checksum: the field holds the folded pseudo sum. */
	ck = in_cksum_fold(pseudo_of(pc));
	memcpy(seg + pc->pc_sumoff, &ck, 2);
	ck_assert_uint_eq(in_cksum(seg, pc->pc_len), htons(pc->pc_want));
}
END_TEST

/* in_pseudo_sum and in6_pseudo_sum agree with the header laid out. */
START_TEST(test_pseudo_vs_layout)
{
	uint64_t rs = 0x9e0;

	for (int i = 0; i < 2000; i++) {
		uint8_t ph[40];
		uint32_t src, dst, len32;
		uint8_t proto = (uint8_t)rnd_next(&rs);
		uint16_t len16 = (uint16_t)rnd_next(&rs);

		/* IPv4: src, dst, zero, protocol, length (RFC 793 3.1). */
		rnd_fill(&rs, ph, 8);
		ph[8] = 0;
		ph[9] = proto;
		be16enc(ph + 10, len16);
		memcpy(&src, ph, 4);
		memcpy(&dst, ph + 4, 4);
		ck_assert_uint_eq(in_cksum_fold(in_pseudo_sum(src, dst,
		    proto, len16)), in_cksum_fold(in_cksum_add(0, ph, 12)));

		/* IPv6: src, dst, 32-bit length, 3 zero bytes, next hdr. */
		len32 = (i & 1) ? (uint32_t)rnd_next(&rs) : len16;
		rnd_fill(&rs, ph, 32);
		be32enc(ph + 32, len32);
		be32enc(ph + 36, proto);
		ck_assert_uint_eq(in_cksum_fold(in6_pseudo_sum(ph, ph + 16,
		    proto, len32)), in_cksum_fold(in_cksum_add(0, ph, 40)));
	}
}
END_TEST

/* ------------------------------------------------- RFC 1624 updates */

/*
 * Forwarding: decrement the TTL of random IPv4 headers (with options)
 * and compare the incremental checksum with a full recomputation.
 */
START_TEST(test_update16_ttl)
{
	uint64_t rs = 0x1624;

	for (int i = 0; i < 20000; i++) {
		uint8_t hdr[60];
		size_t hlen = 20 + 4 * (size_t)(rnd_next(&rs) % 11);
		uint16_t ck, old16, new16;

		rnd_fill(&rs, hdr, hlen);
		hdr[0] = (uint8_t)(0x40 | hlen / 4);
		if (hdr[8] == 0)
			hdr[8] = 1;
		memset(hdr + 10, 0, 2);
		ck = in_cksum(hdr, hlen);
		memcpy(hdr + 10, &ck, 2);

		memcpy(&old16, hdr + 8, 2);
		hdr[8]--;
		memcpy(&new16, hdr + 8, 2);
		ck = in_cksum_update16(ck, old16, new16);

		memset(hdr + 10, 0, 2);
		ck_assert_uint_eq(ck, in_cksum(hdr, hlen));
	}
}
END_TEST

/*
 * Any aligned word of random data, changed to any value.  Word 0 is the
 * checksum field; word 1 is a fixed non-zero word, because only data
 * that is all zero sums to 0 and gets the other zero, ffff, as its
 * recomputed checksum (RFC 1624 section 3).
 */
START_TEST(test_update16_any_word)
{
	uint64_t rs = 0xa11;

	for (int i = 0; i < 20000; i++) {
		uint8_t data[64];
		size_t len = 6 + 2 * (size_t)(rnd_next(&rs) % 29);
		size_t at = 4 + 2 * (size_t)(rnd_next(&rs) % ((len - 4) / 2));
		uint16_t ck, old16, new16 = (uint16_t)rnd_next(&rs);

		rnd_fill(&rs, data, len);
		memset(data, 0, 2);
		be16enc(data + 2, 0x4500);
		ck = in_cksum(data, len);
		memcpy(&old16, data + at, 2);
		memcpy(data + at, &new16, 2);
		ck = in_cksum_update16(ck, old16, new16);
		ck_assert_msg(ck == in_cksum(data, len), "len %zu at %zu",
		    len, at);
	}
}
END_TEST

/*
 * RFC 1624 section 3: the other octets sum to C = cd7a and the field
 * m = 5555 becomes m' = 3285.  HC = ~(C + m) = ~22d0 = dd2f, and the
 * new checksum ~(C + m') = ~ffff = 0000.  RFC 1141's HC + m + ~m'
 * gives ffff instead; equation 3 ~(~HC + ~m + m') =
 * ~(22d0 + aaaa + 3285) = ~ffff = 0000.
 */
START_TEST(test_rfc1624_example)
{
	ck_assert_uint_eq(in_cksum_update16(htons(0xdd2f), htons(0x5555),
	    htons(0x3285)), htons(0x0000));
	/* And back: the reverse change must restore dd2f. */
	ck_assert_uint_eq(in_cksum_update16(htons(0x0000), htons(0x3285),
	    htons(0x5555)), htons(0xdd2f));
}
END_TEST

/*
 * The same corner in a real header.  The header of icmp_echo with TTL
 * 63 (word 3f01) sums, without id and checksum, to
 *	4500 + 0024 = 4524;  + 4000 = 8524;  + 3f01 = c425;  + c633 = 18a58
 *	+ 6401 = 1ee59;  + c633 = 2b48c;  + 6402 = 3188e;  fold 188e + 3 = 1891
 * so with id ~1891 = e76e it sums to ffff and its checksum is 0000.
 * At TTL 64 (word 4001, 0100 more) it sums to 0100: checksum feff.
 *  - TTL 64 -> 63: ~(~feff + ~4001 + 3f01) = ~(0100 + bffe + 3f01)
 *    = ~ffff = 0000, as recomputed (RFC 1141 would give ffff).
 *  - TTL 63 -> 62: ~(~0000 + ~3f01 + 3e01) = ~(ffff + c0fe + 3e01)
 *    = ~feff = 0100, as recomputed (sum ffff - 0100 = feff).
 */
START_TEST(test_rfc1624_header_corner)
{
	uint8_t hdr[20];
	uint16_t ck, old16, new16;

	memcpy(hdr, icmp_echo, sizeof(hdr));
	hdr[4] = 0xe7;
	hdr[5] = 0x6e;
	memset(hdr + 10, 0, 2);
	ck = in_cksum(hdr, sizeof(hdr));
	ck_assert_uint_eq(ck, htons(0xfeff));

	memcpy(&old16, hdr + 8, 2);
	hdr[8]--;
	memcpy(&new16, hdr + 8, 2);
	ck = in_cksum_update16(ck, old16, new16);
	ck_assert_uint_eq(ck, htons(0x0000));
	ck_assert_uint_eq(ck, in_cksum(hdr, sizeof(hdr)));

	memcpy(&old16, hdr + 8, 2);
	hdr[8]--;
	memcpy(&new16, hdr + 8, 2);
	ck = in_cksum_update16(ck, old16, new16);
	ck_assert_uint_eq(ck, htons(0x0100));
	ck_assert_uint_eq(ck, in_cksum(hdr, sizeof(hdr)));
}
END_TEST

/* ------------------------------------------------------------- suite */

static Suite *
cksum_suite(void)
{
	Suite *s = suite_create("cksum");
	TCase *tc;

	tc = tcase_create("rfc1071");
	tcase_add_test(tc, test_rfc1071_example);
	tcase_add_loop_test(tc, test_random_vs_ref, 0, 8);
	tcase_add_test(tc, test_large_buffers);
	tcase_add_test(tc, test_any_initial_sum);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("chain");
	tcase_add_test(tc, test_chain_two_pieces);
	tcase_add_test(tc, test_chain_many_pieces);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("golden");
	tcase_add_test(tc, test_ipv4_header_golden);
	tcase_add_test(tc, test_icmp_golden);
	tcase_add_loop_test(tc, test_pseudo_golden, 0,
	    (int)nitems(pseudo_cases));
	tcase_add_test(tc, test_pseudo_vs_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc1624");
	tcase_add_test(tc, test_update16_ttl);
	tcase_add_test(tc, test_update16_any_word);
	tcase_add_test(tc, test_rfc1624_example);
	tcase_add_test(tc, test_rfc1624_header_corner);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(cksum_suite());
}
