/*
 * cksum_bench.c -- Internet checksum throughput: in_cksum() against two
 * plain loops and memcpy(), in one run, on buffers that stay in cache
 * (20 B .. 64 KiB, each summed over and over) and on one larger than
 * every cache (memory speed).
 *
 *   naive     16-bit big-endian words into a 32-bit sum, the textbook
 *             loop (the "naive" row of the machine-limits reference)
 *   u32x2     32-bit loads into two 64-bit accumulators, the loop behind
 *             the ~46 GB/s reference anchor
 *   in_cksum  netstack/netinet/in_cksum.c on a buffer at a 64-byte
 *             boundary, and again -o bytes (default 1) past it
 *   memcpy    libc memcpy of the same length into a second buffer
 *
 * Runs interleave the implementations; each run repeats one call until
 * about -t milliseconds have passed.  GB/s = 10^9 bytes summed (or
 * copied) per second; min / median / max over -r runs.  Build with the
 * flags of cksum.mk (-O2 -falign-loops=64) to compare with the anchor.
 *
 * usage: cksum_bench [-r runs] [-t ms] [-o offset] [-s size]...
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netstack/netinet/in_cksum.h"

/* The ~46 GB/s anchor: u32x2 at 1500 B and 64 KiB, reference machine. */
#define ANCHOR_GBS	46.0
/* Larger than every cache of the machine (L3: 480 MiB reported). */
#define DRAM_SIZE	(512u * 1024 * 1024)
#define MAX_SIZES	16
#define MAX_RUNS	99

/*
 * The plain loops return the folded sum as an RFC (host) number.  They
 * are out of line, as in_cksum_add() is, and each row of the table
 * reaches its function through the same kind of wrapper (cksum_fn).
 */
static __attribute__((noinline)) uint16_t
sum_naive(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	while (len > 1) {
		/* 32 bits hold 65537 words: fold between 64 KiB pieces. */
		size_t n = MIN(len, (size_t)65536) & ~(size_t)1;

		for (size_t i = 0; i < n; i += 2)
			sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
		p += n;
		len -= n;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static __attribute__((noinline)) uint16_t
sum_u32x2(const uint8_t *p, size_t len)
{
	uint64_t a = 0, b = 0;
	uint32_t w0, w1;
	uint16_t h;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		a += w0;
		b += w1;
	}
	if (len >= 4) {
		memcpy(&w0, p, 4);
		a += w0;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		b += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		const uint8_t last[2] = { p[0], 0 };

		memcpy(&h, last, 2);
		a += h;
	}
	a += b;
	a = (a & 0xffffffff) + (a >> 32);
	a = (a & 0xffffffff) + (a >> 32);
	return ntohs(in_cksum_fold((uint32_t)a));
}

/*
 * A row of the table: the folded sum as an RFC number, or for memcpy a
 * byte of the copy; scratch is a buffer as large as the data.
 */
typedef uint16_t cksum_fn(const uint8_t *, size_t, uint8_t *);

static uint16_t
row_naive(const uint8_t *p, size_t len, uint8_t *scratch __unused)
{
	return sum_naive(p, len);
}

static uint16_t
row_u32x2(const uint8_t *p, size_t len, uint8_t *scratch __unused)
{
	return sum_u32x2(p, len);
}

static uint16_t
row_in_cksum(const uint8_t *p, size_t len, uint8_t *scratch __unused)
{
	return ntohs(in_cksum_fold(in_cksum_add(0, p, len)));
}

static uint16_t
row_memcpy(const uint8_t *p, size_t len, uint8_t *scratch)
{
	memcpy(scratch, p, len);
	return scratch[0];
}

struct impl {
	const char	*im_name;
	cksum_fn	*im_fn;
	size_t		 im_off;	/* added to the buffer address */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile uint16_t sink;

/* GB/s of one run: calls in batches until ms milliseconds are over. */
static double
run_once(const struct impl *im, const uint8_t *buf, size_t len,
    uint8_t *scratch, double ms)
{
	const uint8_t *p = buf + im->im_off;
	size_t batch = 1 + ((size_t)1 << 20) / len;
	size_t calls = 0;
	double t0 = now(), t;

	do {
		for (size_t i = 0; i < batch; i++) {
			/* Keep the call inside the loop. */
			__asm__ volatile("" : : "r"(p) : "memory");
			sink = im->im_fn(p, len, scratch);
		}
		calls += batch;
		t = now() - t0;
	} while (t * 1e3 < ms);
	return (double)len * (double)calls / t / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static unsigned long
parse_ulong(const char *opt, const char *s, unsigned long lo,
    unsigned long hi)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "cksum_bench: -%s %s: not a number in "
		    "%lu..%lu\n", opt, s, lo, hi);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	size_t sizes[MAX_SIZES] = { 20, 64, 576, 1500, 9000, 65536,
	    DRAM_SIZE };
	size_t nsizes = 7, maxsize = 0;
	unsigned long runs = 9, offset = 1;
	double ms = 50;
	int ch, user_sizes = 0;

	while ((ch = getopt(argc, argv, "r:t:o:s:")) != -1) {
		switch (ch) {
		case 'r':
			runs = parse_ulong("r", optarg, 1, MAX_RUNS);
			break;
		case 't':
			ms = (double)parse_ulong("t", optarg, 1, 10000);
			break;
		case 'o':
			offset = parse_ulong("o", optarg, 0, 63);
			break;
		case 's':
			if (!user_sizes)
				nsizes = 0;
			user_sizes = 1;
			if (nsizes == MAX_SIZES) {
				fprintf(stderr, "cksum_bench: at most %d -s\n",
				    MAX_SIZES);
				return 2;
			}
			sizes[nsizes++] = parse_ulong("s", optarg, 1,
			    1024ul * 1024 * 1024);
			break;
		default:
			fprintf(stderr, "usage: cksum_bench [-r runs] [-t ms] "
			    "[-o offset] [-s size]...\n");
			return 2;
		}
	}
	for (size_t i = 0; i < nsizes; i++)
		maxsize = MAX(maxsize, sizes[i]);

	uint8_t *buf = aligned_alloc(64, roundup(maxsize + 64, 64));
	uint8_t *scratch = aligned_alloc(64, roundup(maxsize + 64, 64));
	if (buf == NULL || scratch == NULL) {
		fprintf(stderr, "cksum_bench: out of memory\n");
		return 1;
	}
	uint64_t rs = 1071;
	for (size_t i = 0; i < maxsize + 64; i++) {
		rs ^= rs << 13;
		rs ^= rs >> 7;
		rs ^= rs << 17;
		buf[i] = (uint8_t)(rs >> 32);
	}
	memset(scratch, 0, maxsize + 64);

	char oddname[32];
	snprintf(oddname, sizeof(oddname), "in_cksum +%lu", offset);
	const struct impl impls[] = {
		{ "naive", row_naive, 0 },
		{ "u32x2", row_u32x2, 0 },
		{ "in_cksum", row_in_cksum, 0 },
		{ oddname, row_in_cksum, offset },
		{ "memcpy", row_memcpy, 0 },
	};
	/* impls[FAST] is the one compared; the first CHECKED are sums. */
	enum { NIMPL = nitems(impls), FAST = 2, CHECKED = 4 };

	printf("GB/s, %lu runs of %.0f ms each: min / median / max\n",
	    runs, ms);
	printf("%-9s %-13s %21s   %s\n", "size", "impl", "min / med / max",
	    "in_cksum median vs this");
	for (size_t s = 0; s < nsizes; s++) {
		size_t len = sizes[s];
		double gbs[NIMPL][MAX_RUNS], med[NIMPL];

		/* All sums agree before any is timed. */
		for (size_t k = 1; k < CHECKED; k++) {
			const uint8_t *p = buf + impls[k].im_off;

			if (impls[k].im_fn(p, len, scratch) !=
			    sum_naive(p, len)) {
				fprintf(stderr, "cksum_bench: %s disagrees "
				    "with naive at %zu bytes\n",
				    impls[k].im_name, len);
				return 1;
			}
		}
		for (unsigned long r = 0; r < runs; r++)
			for (size_t k = 0; k < NIMPL; k++)
				gbs[k][r] = run_once(&impls[k], buf, len,
				    scratch, ms);
		for (size_t k = 0; k < NIMPL; k++) {
			qsort(gbs[k], runs, sizeof(double), cmp_double);
			med[k] = runs & 1 ? gbs[k][runs / 2] :
			    (gbs[k][runs / 2 - 1] + gbs[k][runs / 2]) / 2;
		}
		for (size_t k = 0; k < NIMPL; k++) {
			char sz[32];

			if (len % (1024 * 1024) == 0)
				snprintf(sz, sizeof(sz), "%zu MiB",
				    len / (1024 * 1024));
			else
				snprintf(sz, sizeof(sz), "%zu", len);
			printf("%-9s %-13s %6.1f / %6.1f / %6.1f", k ? "" : sz,
			    impls[k].im_name, gbs[k][0], med[k],
			    gbs[k][runs - 1]);
			if (k != FAST)
				printf("   x%.2f", med[FAST] / med[k]);
			printf("\n");
		}
		printf("%-9s %-13s %21s   x%.2f of the %.0f GB/s anchor\n",
		    "", "", "", med[FAST] / ANCHOR_GBS, ANCHOR_GBS);
	}
	free(buf);
	free(scratch);
	return 0;
}
