/*
 * test_shmif_bus.c -- the bus format library: layout, writer ring rules,
 * reader cursor, and the read-only view used by shmif_dumpbus.
 *
 * Numbers used throughout (D = data area size):
 *   D = 1048576 - 32 = 1048544 = 0xFFFE0
 *   one record of a 1514-byte frame = 24 + 1514 = 1538 bytes
 *   on a fresh bus the first header is at 24 (after the phantom
 *   zero-length record at 0), so record k (k = 0, 1, ...) of a run of
 *   1514-byte frames starts at 24 + 1538 k;
 *   (D - 24) / 1538 = 681.7, so records 0..680 end before D and record
 *   681 starts at 24 + 1538 * 681 = 1047402.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rumpuser/rumpuser_proc.h"
#include "shmif/shmif_bus.h"
#include "tests/unit/unit.h"

#define D		SHMIF_DATASIZE
#define REC1514		1538u		/* 24 + 1514 */
#define REC681		1047402u	/* 24 + 1538 * 681 */
#define SENDER		0x0123456789abcdefULL

static unsigned backoffs, wakeups;

static void
test_backoff(void *arg)
{
	struct shmif_bus *sb = arg;

	/* Stands in for the lock holder finishing while we sleep. */
	backoffs++;
	if (sb != NULL)
		shmif_bus_unlock(sb);
}

static void
test_wakeup(void *arg)
{
	(void)arg;
	wakeups++;
}

static const struct shmif_hostops test_ops = {
	.sho_backoff = test_backoff,
	.sho_wakeup = test_wakeup,
};

/* A zeroed, page-aligned bus image, attached. */
static struct shmif_mem *
bus_new(struct shmif_bus *sb)
{
	void *mem = NULL;

	ck_assert_int_eq(posix_memalign(&mem, 4096, SHMIF_BUSSIZE), 0);
	memset(mem, 0, SHMIF_BUSSIZE);
	ck_assert_int_eq(shmif_bus_attach(sb, mem, SHMIF_BUSSIZE, &test_ops,
	    sb), SHMIF_OK);
	backoffs = wakeups = 0;
	return mem;
}

/* Frame of len bytes carrying seq: broadcast, EtherType 0x88b5. */
static void
frame_fill(uint8_t *buf, uint32_t len, uint32_t seq)
{
	uint32_t i;

	memset(buf, 0xff, 6);
	memset(buf + 6, 0, 6);
	buf[6] = 0xb2;
	buf[7] = 0xa0;
	buf[12] = 0x88;
	buf[13] = 0xb5;
	for (i = 14; i < len; i++)
		buf[i] = (uint8_t)(seq + i);
	if (len >= 18)
		memcpy(buf + 14, &seq, 4);
}

static uint32_t
frame_seq(const uint8_t *buf)
{
	uint32_t seq;

	memcpy(&seq, buf + 14, 4);
	return seq;
}

static bool
frame_check(const uint8_t *buf, uint32_t len, uint32_t seq)
{
	uint8_t want[SHMIF_FRAME_MAX];

	frame_fill(want, len, seq);
	return memcmp(want, buf, len) == 0;
}

static int
append(struct shmif_mem *mem, uint32_t len, uint32_t seq)
{
	uint8_t buf[SHMIF_FRAME_MAX + 8];
	struct shmif_seg seg = { buf, len };
	struct shmif_txframe tf = { &seg, 1, seq, seq % 1000000 };

	frame_fill(buf, len < sizeof(buf) ? len : sizeof(buf), seq);
	return shmif_append_locked(mem, &tf, SENDER);
}

static void
append_n(struct shmif_mem *mem, unsigned n, uint32_t len, uint32_t seq0)
{
	unsigned i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(append(mem, len, seq0 + i), SHMIF_OK);
}

/* Read a record header at a data offset, ring-aware. */
static struct shmif_pkthdr
hdr_at(const struct shmif_mem *mem, uint32_t off)
{
	struct shmif_pkthdr sp;
	uint32_t chunk = D - off < sizeof(sp) ? D - off : sizeof(sp);

	memcpy(&sp, mem->shm_data + off, chunk);
	memcpy((uint8_t *)&sp + chunk, mem->shm_data, sizeof(sp) - chunk);
	return sp;
}

/* ------------------------------------------------------------- layout */

START_TEST(test_constants)
{
	ck_assert_uint_eq(SHMIF_DATASIZE, 0xFFFE0);
	ck_assert_uint_eq(SHMIF_DATASIZE, 1048544);
	ck_assert_uint_eq(sizeof(struct shmif_mem), 32);
	ck_assert_uint_eq(sizeof(struct shmif_pkthdr), 24);
	ck_assert_uint_eq(offsetof(struct shmif_mem, shm_version), 4);
	ck_assert_uint_eq(offsetof(struct shmif_mem, shm_first), 16);
	ck_assert_uint_eq(offsetof(struct shmif_mem, shm_last), 20);
	ck_assert_uint_eq(offsetof(struct shmif_pkthdr, sp_sender), 16);
	ck_assert_uint_eq(SHMIF_WAKEUP_OFF, 4);
	ck_assert_uint_eq(SHMIF_WAKEUP_VALUE, 3);
	ck_assert_str_eq(shmif_strerror(SHMIF_ENOTBUS), "not a shmif bus");
	ck_assert_str_eq(shmif_strerror(999), "unknown shmif error");
}
END_TEST

START_TEST(test_attach_fresh)
{
	struct shmif_bus sb, sb2;
	struct shmif_mem *mem = bus_new(&sb);

	ck_assert_uint_eq(mem->shm_magic, SHMIF_MAGIC);
	ck_assert_uint_eq(mem->shm_version, 3);
	ck_assert_uint_eq(mem->shm_first, D);
	ck_assert_uint_eq(mem->shm_last, 0);
	ck_assert_uint_eq(mem->shm_gen, 0);
	ck_assert_uint_eq(mem->shm_lock, 0);

	/* A second attacher changes nothing. */
	mem->shm_version = 0;	/* as a NetBSD-created bus would have it */
	ck_assert_int_eq(shmif_bus_attach(&sb2, mem, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_version, 0);
	ck_assert_uint_eq(mem->shm_first, D);
	free(mem);
}
END_TEST

START_TEST(test_attach_refused)
{
	struct shmif_bus sb;
	uint8_t *raw = NULL;
	struct shmif_mem *mem;

	ck_assert_int_eq(posix_memalign((void **)&raw, 4096,
	    SHMIF_BUSSIZE + 8), 0);
	memset(raw, 0, SHMIF_BUSSIZE + 8);
	mem = (struct shmif_mem *)raw;

	ck_assert_int_eq(shmif_bus_attach(&sb, mem, SHMIF_BUSSIZE - 1,
	    &test_ops, NULL), SHMIF_ETRUNC);
	ck_assert_int_eq(shmif_bus_attach(&sb, raw + 4, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_EALIGN);

	mem->shm_magic = SHMIF_MAGIC_SWAPPED;
	ck_assert_int_eq(shmif_bus_attach(&sb, mem, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_ESWAPPED);
	mem->shm_magic = 0x12345678;
	ck_assert_int_eq(shmif_bus_attach(&sb, mem, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_ENOTBUS);
	/* Nothing was initialised behind the refusals. */
	ck_assert_uint_eq(mem->shm_first, 0);
	ck_assert_uint_eq(mem->shm_version, 0);
	free(raw);
}
END_TEST

START_TEST(test_lock)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);

	ck_assert(shmif_bus_trylock(&sb));
	ck_assert_uint_eq(mem->shm_lock, 1);
	ck_assert(!shmif_bus_trylock(&sb));
	ck_assert(shmif_bus_unlock(&sb));
	ck_assert_uint_eq(mem->shm_lock, 0);
	/* Releasing a free lock is a protocol error, reported. */
	ck_assert(!shmif_bus_unlock(&sb));

	/*
	 * Contended: 1001 failed CAS, then one backoff, during which the
	 * stand-in holder releases; the next CAS succeeds.
	 */
	ck_assert(shmif_bus_trylock(&sb));
	shmif_bus_lock(&sb);
	ck_assert_uint_eq(backoffs, 1);
	ck_assert_uint_eq(sb.sb_backoffs, 1);
	ck_assert_uint_eq(mem->shm_lock, 1);
	shmif_bus_unlock(&sb);
	free(mem);
}
END_TEST


/* ------------------------------------------------------------- writer */

START_TEST(test_first_append)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_pkthdr sp;

	ck_assert_int_eq(append(mem, 60, 7), SHMIF_OK);
	/* Stepped over the phantom zero-length record at 0: header at 24. */
	ck_assert_uint_eq(mem->shm_last, 24);
	ck_assert_uint_eq(mem->shm_first, D);
	ck_assert_uint_eq(mem->shm_gen, 0);
	sp = hdr_at(mem, 0);
	ck_assert_uint_eq(sp.sp_len, 0);
	sp = hdr_at(mem, 24);
	ck_assert_uint_eq(sp.sp_len, 60);
	ck_assert_uint_eq(sp.sp_sec, 7);
	ck_assert_uint_eq(sp.sp_usec, 7);
	ck_assert_uint_eq(sp.sp_pad, 0);
	ck_assert_uint_eq(sp.sp_sender, SENDER);
	ck_assert(frame_check(mem->shm_data + 48, 60, 7));

	/* The next header follows the frame with no padding: 48 + 60. */
	ck_assert_int_eq(append(mem, 14, 8), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 108);
	ck_assert_uint_eq(hdr_at(mem, 108).sp_len, 14);
	free(mem);
}
END_TEST

START_TEST(test_reject_framelen)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	uint8_t *before = malloc(SHMIF_BUSSIZE);
	uint8_t buf[SHMIF_FRAME_MAX + 1];
	struct shmif_seg seg[3];
	struct shmif_txframe tf[3];
	unsigned nsent, nbad;

	append_n(mem, 3, 100, 0);
	memcpy(before, mem, SHMIF_BUSSIZE);
	ck_assert_int_eq(append(mem, 13, 1), SHMIF_EFRAMELEN);
	ck_assert_int_eq(append(mem, 1515, 1), SHMIF_EFRAMELEN);
	ck_assert_int_eq(append(mem, 0, 1), SHMIF_EFRAMELEN);
	ck_assert(memcmp(before, mem, SHMIF_BUSSIZE) == 0);

	/* A batch with only bad frames writes nothing and wakes nobody. */
	memset(buf, 0, sizeof(buf));
	seg[0] = (struct shmif_seg){ buf, 10 };
	seg[1] = (struct shmif_seg){ buf, 1515 };
	tf[0] = (struct shmif_txframe){ &seg[0], 1, 0, 0 };
	tf[1] = (struct shmif_txframe){ &seg[1], 1, 0, 0 };
	ck_assert_int_eq(shmif_bus_send(&sb, tf, 2, SENDER, &nsent, &nbad),
	    SHMIF_OK);
	ck_assert_uint_eq(nsent, 0);
	ck_assert_uint_eq(nbad, 2);
	ck_assert_uint_eq(wakeups, 0);
	ck_assert(memcmp(before, mem, SHMIF_BUSSIZE) == 0);

	/* Mixed: one good frame in the middle, one wakeup for the batch. */
	frame_fill(buf, 60, 0);
	seg[2] = (struct shmif_seg){ buf, 60 };
	tf[2] = tf[1];
	tf[1] = (struct shmif_txframe){ &seg[2], 1, 0, 0 };
	ck_assert_int_eq(shmif_bus_send(&sb, tf, 3, SENDER, &nsent, &nbad),
	    SHMIF_OK);
	ck_assert_uint_eq(nsent, 1);
	ck_assert_uint_eq(nbad, 2);
	ck_assert_uint_eq(wakeups, 1);
	ck_assert_uint_eq(mem->shm_lock, 0);
	free(before);
	free(mem);
}
END_TEST

/*
 * Record 681 (a 1514-byte frame) starts at 1047402; its header ends at
 * 1047426 and its frame would end at 1048940 > D: 1118 bytes go at the
 * end of the area and 396 at the start.
 *  - frame part 1 [1047426, D) ends at D: retire over 1119 bytes; the
 *    range passes D, so the sentinel is retired: shm_first = next(D) =
 *    next of the phantom at 0 = 24.  1047426 > 24 + 24 stops the loop.
 *  - frame part 2 [0, 396): 0 <= 24 + 24 and 396 > 24, so record 0 is
 *    retired: shm_first = 24 + 1538 = 1562; 396 > 1562 is false: stop.
 *  - shm_gen = 1.
 * The next record's header goes at 1047402 + 1538 - D = 396; its frame
 * [420, 1934) overlaps record 1 at 1562: shm_first = 1562 + 1538 = 3100.
 */
START_TEST(test_wrap_frame_straddles)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);

	append_n(mem, 681, 1514, 0);
	ck_assert_uint_eq(mem->shm_last, 24 + 1538 * 680);
	ck_assert_uint_eq(mem->shm_first, D);
	ck_assert_uint_eq(mem->shm_gen, 0);

	ck_assert_int_eq(append(mem, 1514, 681), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, REC681);
	ck_assert_uint_eq(mem->shm_first, 1562);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert_uint_eq(hdr_at(mem, REC681).sp_len, 1514);
	{
		uint8_t want[1514];

		frame_fill(want, 1514, 681);
		ck_assert(memcmp(mem->shm_data + REC681 + 24, want,
		    1118) == 0);
		ck_assert(memcmp(mem->shm_data, want + 1118, 396) == 0);
	}

	ck_assert_int_eq(append(mem, 1514, 682), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 396);
	ck_assert_uint_eq(mem->shm_first, 3100);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert(frame_check(mem->shm_data + 420, 1514, 682));
	free(mem);
}
END_TEST

/*
 * 681 frames of 1514 end at REC681 = 1047402.  A frame of 1108 bytes
 * there ends at 1047402 + 24 + 1108 = 1048534 = D - 10, so the next
 * header straddles: 10 bytes at the end, 14 at the start.
 *  - header part 1 [1048534, D) ends at D: retire over 11 bytes, which
 *    retires the sentinel: shm_first = 24 (the phantom at 0 has length 0).
 *  - header part 2 [0, 14): 14 > 24 is false, nothing retired.
 *  - frame (60 bytes) [14, 74): 14 <= 48 and 74 > 24: record 0 at 24 is
 *    retired, shm_first = 1562.
 *  - shm_gen = 1 (the header wrapped), shm_last = 1048534.
 */
static struct shmif_mem *
bus_header_straddles(struct shmif_bus *sb)
{
	struct shmif_mem *mem = bus_new(sb);

	append_n(mem, 681, 1514, 0);
	ck_assert_int_eq(append(mem, 1108, 681), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, REC681);
	ck_assert_uint_eq(mem->shm_gen, 0);
	ck_assert_int_eq(append(mem, 60, 682), SHMIF_OK);
	return mem;
}

START_TEST(test_wrap_header_straddles)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_header_straddles(&sb);
	struct shmif_pkthdr sp;

	ck_assert_uint_eq(mem->shm_last, D - 10);
	ck_assert_uint_eq(mem->shm_first, 1562);
	ck_assert_uint_eq(mem->shm_gen, 1);
	sp = hdr_at(mem, D - 10);
	ck_assert_uint_eq(sp.sp_len, 60);
	ck_assert_uint_eq(sp.sp_sender, SENDER);
	ck_assert(frame_check(mem->shm_data + 14, 60, 682));

	/* Next header right after that frame, at 74; no further wrap. */
	ck_assert_int_eq(append(mem, 60, 683), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 74);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert_uint_eq(mem->shm_first, 1562);
	free(mem);
}
END_TEST

/*
 * A frame ending exactly at D: record 681 with a 1118-byte frame covers
 * [1047402, 1048544).  Its frame part ends at D, so the write "wraps"
 * (shm_gen = 1) with an empty second part, and the one-byte extension
 * retires the sentinel: shm_first = 24.  The next header lands at 0:
 * [0, 24) retires nothing (24 > 24 is false); its frame at 24 retires
 * record 0: shm_first = 1562.  That record did not wrap: shm_gen stays 1.
 */
START_TEST(test_wrap_exact_end)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);

	append_n(mem, 681, 1514, 0);
	ck_assert_int_eq(append(mem, 1118, 681), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, REC681);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert_uint_eq(mem->shm_first, 24);

	ck_assert_int_eq(append(mem, 100, 682), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 0);
	ck_assert_uint_eq(mem->shm_first, 1562);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert_uint_eq(hdr_at(mem, 0).sp_len, 100);
	free(mem);
}
END_TEST

/*
 * A frame gathered from segments, one of them ending exactly at D, is
 * laid out as the same frame written in one piece and bumps shm_gen
 * once.  Record 681 starts at 1047402, its frame at 1047426; a first
 * segment of 1118 bytes ends exactly at D.
 */
START_TEST(test_wrap_segments)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	uint8_t want[1514];
	struct shmif_seg segs[3];
	struct shmif_txframe tf;

	append_n(mem, 681, 1514, 0);
	frame_fill(want, 1514, 681);
	segs[0] = (struct shmif_seg){ want, 1118 };
	segs[1] = (struct shmif_seg){ want + 1118, 0 };
	segs[2] = (struct shmif_seg){ want + 1118, 396 };
	tf = (struct shmif_txframe){ segs, 3, 1, 2 };
	ck_assert_int_eq(shmif_append_locked(mem, &tf, SENDER), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_gen, 1);
	ck_assert_uint_eq(mem->shm_first, 1562);	/* as one piece */
	ck_assert(memcmp(mem->shm_data + REC681 + 24, want, 1118) == 0);
	ck_assert(memcmp(mem->shm_data, want + 1118, 396) == 0);
	free(mem);
}
END_TEST

/*
 * Generations: record k of 1514-byte frames covers, unrolled,
 * [24 + 1538 k, 24 + 1538 (k + 1)).  It increments shm_gen iff some
 * multiple m D lies in (start, end] (a part ending exactly at D counts,
 * a header starting exactly at 0 does not), so after N records
 * shm_gen = floor((24 + 1538 N) / D).  For N = 5000: 7690024 / D = 7.33.
 */
START_TEST(test_gen_counting)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	unsigned n;

	for (n = 1; n <= 5000; n++) {
		ck_assert_int_eq(append(mem, 1514, n), SHMIF_OK);
		ck_assert_uint_eq(mem->shm_gen,
		    (24 + (uint64_t)REC1514 * n) / D);
		ck_assert_uint_eq(mem->shm_last,
		    (24 + (uint64_t)REC1514 * (n - 1)) % D);
	}
	ck_assert_uint_eq(mem->shm_gen, 7);
	free(mem);
}
END_TEST

/* xorshift32: reproducible frame sizes. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/*
 * shm_first always lands on a header boundary: with random sizes, after
 * every append the records from shm_first, followed with next(), reach
 * shm_last exactly, all intact and in order, and shm_first is the header
 * of a frame we wrote (or the phantom's successor chain while the
 * sentinel is still there).
 */
START_TEST(test_first_on_boundaries)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint8_t buf[SHMIF_FRAME_MAX];
	uint32_t s = 0x2545f491, len, seq, prevseq;
	unsigned n, count;

	for (n = 0; n < 3000; n++) {
		len = SHMIF_FRAME_MIN + rnd(&s) % (SHMIF_FRAME_MAX - 13);
		if (len < 18)
			len = 18;	/* room for the sequence number */
		ck_assert_int_eq(append(mem, len, n), SHMIF_OK);
		if (n % 37 != 0 && n < 2990)
			continue;
		/* Walk with the view: every record intact and in order. */
		ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE),
		    SHMIF_OK);
		count = 0;
		prevseq = 0;
		while (shmif_view_next(&sv, &vp)) {
			shmif_view_copy(&sv, &vp, buf);
			seq = frame_seq(buf);
			ck_assert(frame_check(buf, vp.vp_len, seq));
			if (count > 0)
				ck_assert_uint_eq(seq, prevseq + 1);
			prevseq = seq;
			count++;
		}
		ck_assert_int_eq(sv.sv_error, SHMIF_OK);
		ck_assert_uint_eq(prevseq, n);
		ck_assert_uint_eq(vp.vp_hdroff, mem->shm_last);
		/* Lost records are only the oldest; at least 600 remain. */
		ck_assert_uint_ge(count, n < 600 ? n + 1 : 600);
	}
	free(mem);
}
END_TEST

/* ------------------------------------------------------------- reader */

static struct shmif_rxframe *
rxframes(unsigned n)
{
	struct shmif_rxframe *rf = calloc(n, sizeof(*rf));
	unsigned i;

	for (i = 0; i < n; i++)
		rf[i].rf_buf = malloc(SHMIF_FRAME_MAX);
	return rf;
}

static void
rxframes_free(struct shmif_rxframe *rf, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		free(rf[i].rf_buf);
	free(rf);
}

START_TEST(test_roundtrip)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(4);
	unsigned nread, i;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	ck_assert(shmif_cursor_caughtup(&sb, &sc));
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 0);
	ck_assert(idle);

	append_n(mem, 10, 200, 100);
	ck_assert(!shmif_cursor_caughtup(&sb, &sc));
	/* Bounded batches: 4, 4, then 2 and caught up. */
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 4);
	ck_assert(!idle);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(rf[i].rf_len, 200);
		ck_assert_uint_eq(rf[i].rf_sender, SENDER);
		ck_assert_uint_eq(rf[i].rf_sec, 100 + i);
		ck_assert(frame_check(rf[i].rf_buf, 200, 100 + i));
	}
	/* Header 0 at 24, frame at 48. */
	ck_assert_uint_eq(rf[0].rf_off, 48);
	ck_assert_uint_eq(rf[1].rf_off, 48 + 224);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 4);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 2);
	ck_assert(idle);
	ck_assert(frame_check(rf[1].rf_buf, 200, 109));
	ck_assert_uint_eq(sc.sc_frames, 10);
	ck_assert_uint_eq(sc.sc_resyncs, 0);
	ck_assert_uint_eq(sc.sc_lost, 0);
	ck_assert_uint_eq(mem->shm_lock, 0);
	rxframes_free(rf, 4);
	free(mem);
}
END_TEST

/*
 * Follow a writer across many wraps, reading in small batches after each
 * append: nothing lost, nothing repeated, generations tracked.
 */
START_TEST(test_reader_follows_wraps)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(2);
	uint32_t s = 99, len, expect = 0;
	unsigned n, nread, i;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	for (n = 0; n < 4000; n++) {
		len = 18 + rnd(&s) % (SHMIF_FRAME_MAX - 17);
		ck_assert_int_eq(append(mem, len, n), SHMIF_OK);
		do {
			ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 2,
			    &nread, &idle), SHMIF_OK);
			for (i = 0; i < nread; i++) {
				ck_assert_uint_eq(frame_seq(rf[i].rf_buf),
				    expect);
				ck_assert(frame_check(rf[i].rf_buf,
				    rf[i].rf_len, expect));
				expect++;
			}
		} while (!idle);
	}
	ck_assert_uint_eq(expect, 4000);
	ck_assert_uint_ge(mem->shm_gen, 2);
	ck_assert_uint_eq(sc.sc_devgen, mem->shm_gen);
	ck_assert_uint_eq(sc.sc_resyncs, 0);
	rxframes_free(rf, 2);
	free(mem);
}
END_TEST

/*
 * Lapped: a cursor at the start (header 0 at 24, generation 0), then
 * 2000 frames of 1514 (1.47 laps).  The cursor's record was overwritten:
 * it resyncs to shm_first.  Records are contiguous and all 1538 bytes, so
 * the estimate is exact: frames lost = seq of the oldest intact frame.
 */
START_TEST(test_reader_lapped)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(8);
	uint32_t oldest, expect;
	unsigned nread, i, total = 0;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	append_n(mem, 2000, 1514, 0);
	oldest = frame_seq(mem->shm_data + mem->shm_first + 24);
	ck_assert_uint_gt(oldest, 0);

	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(sc.sc_resyncs, 1);
	ck_assert_uint_eq(sc.sc_lost, oldest);
	ck_assert_uint_eq(nread, 8);
	expect = oldest;
	for (;;) {
		for (i = 0; i < nread; i++) {
			ck_assert(frame_check(rf[i].rf_buf, 1514, expect));
			expect++;
		}
		total += nread;
		if (idle)
			break;
		ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread,
		    &idle), SHMIF_OK);
	}
	ck_assert_uint_eq(expect, 2000);
	ck_assert_uint_eq(total + sc.sc_lost, 2000);
	ck_assert_uint_eq(sc.sc_resyncs, 1);
	rxframes_free(rf, 8);
	free(mem);
}
END_TEST

/* Lapped by many generations: still one resync, estimate exact. */
START_TEST(test_reader_lapped_many)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(1);
	unsigned nread;
	bool idle;

	append_n(mem, 10, 1514, 0);
	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	ck_assert_int_eq(append(mem, 1514, 10), SHMIF_OK);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 1, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	append_n(mem, 5000, 1514, 11);
	ck_assert_uint_ge(mem->shm_gen - sc.sc_devgen, 2);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 1, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	ck_assert_uint_eq(sc.sc_resyncs, 1);
	ck_assert_uint_eq(sc.sc_lost, frame_seq(rf[0].rf_buf) - 11);
	rxframes_free(rf, 1);
	free(mem);
}
END_TEST

/* At attach (START_LAST) the record at shm_last is delivered once. */
START_TEST(test_reader_redelivers_last)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(4);
	unsigned nread;
	bool idle;

	/* Fresh bus: the "last record" is the phantom, dropped as short. */
	shmif_cursor_init(&sb, &sc, SHMIF_START_LAST);
	ck_assert_uint_eq(sc.sc_nextpkt, 0);
	ck_assert(!shmif_cursor_caughtup(&sb, &sc));
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 0);
	ck_assert(idle);
	ck_assert_uint_eq(sc.sc_short, 1);
	ck_assert_uint_eq(sc.sc_nextpkt, 24);

	append_n(mem, 5, 300, 0);
	shmif_cursor_init(&sb, &sc, SHMIF_START_LAST);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 4, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	ck_assert(idle);
	ck_assert(frame_check(rf[0].rf_buf, 300, 4));
	ck_assert_uint_eq(sc.sc_resyncs, 0);
	rxframes_free(rf, 4);
	free(mem);
}
END_TEST

/*
 * The record at shm_last straddles the end (bus_header_straddles: last
 * at D - 10, shm_gen 1, shm_first 1562).  Its header belongs to
 * generation 0: a cursor started there delivers it once and is caught
 * up, and a lapped cursor resyncs to shm_first in generation 0 and reads
 * through to it with a single resync.
 */
START_TEST(test_reader_last_straddles)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_header_straddles(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(64);
	unsigned nread, total;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_LAST);
	ck_assert_uint_eq(sc.sc_nextpkt, D - 10);
	ck_assert_uint_eq(sc.sc_devgen, 0);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 64, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	ck_assert(idle);
	ck_assert_uint_eq(rf[0].rf_off, 14);
	ck_assert(frame_check(rf[0].rf_buf, 60, 682));
	ck_assert_uint_eq(sc.sc_resyncs, 0);
	ck_assert_uint_eq(sc.sc_devgen, 1);

	/* A cursor from a generation long gone: resync once, read 681. */
	memset(&sc, 0, sizeof(sc));
	sc.sc_nextpkt = 500;
	sc.sc_devgen = 1000;
	total = 0;
	do {
		ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 64, &nread,
		    &idle), SHMIF_OK);
		total += nread;
	} while (!idle);
	/* Records 1..682: 680 of 1514, one of 1108, the straddling one. */
	ck_assert_uint_eq(total, 682);
	ck_assert_uint_eq(sc.sc_resyncs, 1);
	ck_assert(frame_check(rf[(total - 1) % 64].rf_buf, 60, 682));
	rxframes_free(rf, 64);
	free(mem);
}
END_TEST

/*
 * Records a reader must drop without harm: a runt (sp_len 5) and giants
 * (2000, and a garbage length) crafted by rewriting sp_len in place.
 * Following records stay readable because every party steps over a
 * record with the same arithmetic.
 */
START_TEST(test_reader_drops)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(8);
	unsigned nread;
	uint32_t v, off;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	append_n(mem, 2, 100, 0);	/* headers at 24 and 148 */
	v = 5;
	memcpy(mem->shm_data + 148, &v, 4);	/* next record at 177 */
	ck_assert_int_eq(append(mem, 100, 2), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 177);
	v = 2000;
	memcpy(mem->shm_data + 177, &v, 4);	/* next at 177+2024 */
	ck_assert_int_eq(append(mem, 100, 3), SHMIF_OK);
	ck_assert_uint_eq(mem->shm_last, 2201);

	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 2);
	ck_assert(idle);
	ck_assert(frame_check(rf[0].rf_buf, 100, 0));
	ck_assert(frame_check(rf[1].rf_buf, 100, 3));
	ck_assert_uint_eq(sc.sc_short, 1);
	ck_assert_uint_eq(sc.sc_giant, 1);

	/*
	 * Garbage length on a new record: skipped by the same arithmetic
	 * as next(), so the cursor ends caught up.
	 */
	ck_assert_int_eq(append(mem, 100, 4), SHMIF_OK);
	off = mem->shm_last;
	ck_assert_uint_eq(off, 2325);
	v = 0xfffffff0u;
	memcpy(mem->shm_data + off, &v, 4);
	ck_assert(!shmif_cursor_caughtup(&sb, &sc));
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 0);
	ck_assert(idle);
	ck_assert_uint_eq(sc.sc_giant, 2);
	/* And the writer steps over it the same way. */
	ck_assert_int_eq(append(mem, 60, 5), SHMIF_OK);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	ck_assert(idle);
	ck_assert(frame_check(rf[0].rf_buf, 60, 5));
	rxframes_free(rf, 8);
	free(mem);
}
END_TEST

/* A clobbered bus header: readers and writers refuse, nothing breaks. */
START_TEST(test_clobbered_header)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_cursor sc;
	struct shmif_rxframe *rf = rxframes(1);
	unsigned nread;
	bool idle;

	append_n(mem, 3, 100, 0);
	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	mem->shm_last = D;
	ck_assert_int_eq(append(mem, 100, 3), SHMIF_EOFFSET);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 1, &nread, &idle),
	    SHMIF_EOFFSET);
	ck_assert(idle);
	ck_assert(shmif_cursor_caughtup(&sb, &sc));
	mem->shm_last = 24;
	mem->shm_first = D + 1;
	ck_assert_int_eq(append(mem, 100, 3), SHMIF_EOFFSET);
	mem->shm_first = D;
	mem->shm_magic = 0xdeadbeef;
	ck_assert_int_eq(append(mem, 100, 3), SHMIF_ENOTBUS);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 1, &nread, &idle),
	    SHMIF_ENOTBUS);
	ck_assert_uint_eq(mem->shm_lock, 0);

	/*
	 * A record whose length leads next() back to itself (24 + len = D):
	 * retiring over it must stop at its bound, not loop for ever.
	 */
	mem->shm_magic = SHMIF_MAGIC;
	mem->shm_first = 24;
	mem->shm_last = 24;
	{
		uint32_t v = D - 24;

		memcpy(mem->shm_data + 24, &v, 4);
	}
	/* next(24) = 24: the header goes at 24, over shm_first itself. */
	ck_assert_int_eq(append(mem, 100, 9), SHMIF_ECORRUPT);
	rxframes_free(rf, 1);
	free(mem);
}
END_TEST

/* ---------------------------------------------------------- lock break */

#define SELF_ID		4242u
#define DEAD_ID		777u
#define LIVE_ID		888u

static unsigned alive_calls;

static void
test_backoff_only(void *arg)
{
	(void)arg;
	backoffs++;
}

static uint32_t
test_self(void *arg)
{
	(void)arg;
	return SELF_ID;
}

static bool
test_alive(void *arg, uint32_t holder)
{
	(void)arg;
	alive_calls++;
	return holder != DEAD_ID;
}

static const struct shmif_hostops break_ops = {
	.sho_backoff = test_backoff_only,
	.sho_wakeup = test_wakeup,
	.sho_self = test_self,
	.sho_alive = test_alive,
};

static struct shmif_mem *
bus_new_break(struct shmif_bus *sb)
{
	void *mem = NULL;

	ck_assert_int_eq(posix_memalign(&mem, 4096, SHMIF_BUSSIZE), 0);
	memset(mem, 0, SHMIF_BUSSIZE);
	ck_assert_int_eq(shmif_bus_attach(sb, mem, SHMIF_BUSSIZE, &break_ops,
	    sb), SHMIF_OK);
	backoffs = wakeups = alive_calls = 0;
	return mem;
}

/* As another process would leave the word: (lock, holder). */
static void
lock_as(struct shmif_mem *mem, uint32_t lock, uint32_t holder)
{
	mem->shm_lock = lock;
	mem->shm_holder = holder;
}

START_TEST(test_lock_holder)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new_break(&sb);
	uint32_t l, h;

	ck_assert_uint_eq(sb.sb_self, SELF_ID);
	/* Attaching a fresh bus took and released the lock: all clear. */
	ck_assert_uint_eq(mem->shm_lock, 0);
	ck_assert_uint_eq(mem->shm_holder, 0);
	ck_assert(shmif_bus_trylock(&sb));
	shmif_bus_lockstate(mem, &l, &h);
	ck_assert_uint_eq(l, 1);
	ck_assert_uint_eq(h, SELF_ID);
	ck_assert(shmif_bus_unlock(&sb));
	ck_assert_uint_eq(mem->shm_lock, 0);
	ck_assert_uint_eq(mem->shm_holder, 0);

	/* A free lock with a stale holder word (32-bit release) is free. */
	lock_as(mem, 0, DEAD_ID);
	ck_assert(shmif_bus_trylock(&sb));
	ck_assert_uint_eq(mem->shm_holder, SELF_ID);
	ck_assert(shmif_bus_unlock(&sb));
	free(mem);
}
END_TEST

START_TEST(test_lock_trybreak)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new_break(&sb);

	/* Nothing to break: free, unknown holder, ourselves, alive. */
	ck_assert(!shmif_bus_trybreak(&sb));
	lock_as(mem, 1, 0);
	ck_assert(!shmif_bus_trybreak(&sb));
	lock_as(mem, 1, SELF_ID);
	ck_assert(!shmif_bus_trybreak(&sb));
	lock_as(mem, 1, LIVE_ID);
	ck_assert(!shmif_bus_trybreak(&sb));
	ck_assert_uint_eq(mem->shm_holder, LIVE_ID);
	ck_assert_uint_eq(sb.sb_breaks, 0);

	/* A dead holder: taken over, not released. */
	lock_as(mem, 1, DEAD_ID);
	ck_assert(shmif_bus_trybreak(&sb));
	ck_assert_uint_eq(mem->shm_lock, 1);
	ck_assert_uint_eq(mem->shm_holder, SELF_ID);
	ck_assert_uint_eq(sb.sb_breaks, 1);
	/* A second breaker that saw the same dead holder loses. */
	ck_assert(!shmif_bus_trybreak(&sb));
	ck_assert(shmif_bus_unlock(&sb));
	free(mem);
}
END_TEST

START_TEST(test_lock_break_in_lock)
{
	struct shmif_bus sb, other;
	struct shmif_mem *mem = bus_new_break(&sb);

	/* Alive holder that releases during a back-off: no break. */
	lock_as(mem, 1, DEAD_ID);
	/*
	 * Dead holder: the waiter backs off SHMIF_BREAK_BACKOFFS - 1
	 * times, then checks and takes the lock over.
	 */
	shmif_bus_lock(&sb);
	ck_assert_uint_eq(backoffs, SHMIF_BREAK_BACKOFFS - 1);
	ck_assert_uint_eq(alive_calls, 1);
	ck_assert_uint_eq(sb.sb_breaks, 1);
	ck_assert_uint_eq(mem->shm_holder, SELF_ID);
	ck_assert(shmif_bus_unlock(&sb));

	/* Without sho_alive (a NetBSD-like node) no lock is broken. */
	ck_assert_int_eq(shmif_bus_attach(&other, mem, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_OK);
	ck_assert_uint_eq(other.sb_self, 0);
	lock_as(mem, 1, DEAD_ID);
	ck_assert(!shmif_bus_trybreak(&other));
	/* Its holds record no holder. */
	lock_as(mem, 0, 0);
	ck_assert(shmif_bus_trylock(&other));
	ck_assert_uint_eq(mem->shm_holder, 0);
	ck_assert(shmif_bus_unlock(&other));
	free(mem);
}
END_TEST

/*
 * The host's answer the drivers use: we exist; a child that exited is
 * gone as soon as it is a zombie, and after it is reaped.
 */
START_TEST(test_proc_alive)
{
	pid_t pid;
	int status, i;

	ck_assert(rumpuser_proc_alive(rumpuser_proc_self()));
	ck_assert_uint_eq(rumpuser_proc_self(), (uint32_t)getpid());
	ck_assert(rumpuser_proc_alive(0));	/* not a pid: never dead */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	/* Not reaped yet: a zombie, which will never release a lock. */
	for (i = 0; i < 2000 && rumpuser_proc_alive((uint32_t)pid); i++)
		usleep(1000);
	ck_assert(!rumpuser_proc_alive((uint32_t)pid));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(!rumpuser_proc_alive((uint32_t)pid));
}
END_TEST

/* Write a frame without publishing it: a writer killed half way. */
static void
append_unpublished(struct shmif_mem *mem, uint32_t len, uint32_t seq)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_seg seg = { buf, len };
	struct shmif_txframe tf = { &seg, 1, seq, 0 };
	struct shmif_pending pend;

	frame_fill(buf, len, seq);
	ck_assert_int_eq(shmif_append_write_locked(mem, &tf, SENDER, &pend),
	    SHMIF_OK);
}

/*
 * A writer dies after putting a record's bytes in the ring but before
 * publishing it; its lock is broken.  Readers see nothing of it, the
 * next record lands where it was, and everything reads back intact --
 * also when the dead write wrapped and retired old records.
 */
START_TEST(test_lock_break_half_written)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new_break(&sb);
	struct shmif_cursor sc, lag;
	struct shmif_rxframe *rf = rxframes(8);
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint32_t last, seq, want;
	uint64_t gen;
	unsigned nread, n;
	bool idle;

	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);
	append_n(mem, 3, 300, 1);
	last = mem->shm_last;
	lock_as(mem, 1, DEAD_ID);
	append_unpublished(mem, 500, 99);
	ck_assert_uint_eq(mem->shm_last, last);
	shmif_bus_lock(&sb);
	ck_assert_uint_eq(sb.sb_breaks, 1);
	shmif_bus_unlock(&sb);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 3);
	ck_assert(idle);
	append_n(mem, 1, 200, 4);
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	ck_assert_uint_eq(nread, 1);
	ck_assert(frame_check(rf[0].rf_buf, 200, 4));

	/*
	 * Fill the ring until the next record would wrap; a lagging
	 * reader sits at the oldest records.  The dead writer's record
	 * wraps, retiring records under the lagging reader.
	 */
	shmif_cursor_init(&sb, &lag, SHMIF_START_NEW);
	seq = 5;
	while (D - (mem->shm_last + 24 + hdr_at(mem, mem->shm_last).sp_len) >=
	    REC1514)
		append_n(mem, 1, 1514, seq++);
	ck_assert_uint_eq(mem->shm_gen, 0);
	gen = mem->shm_gen;
	last = mem->shm_last;
	ck_assert_int_eq(shmif_cursor_read(&sb, &sc, rf, 8, &nread, &idle),
	    SHMIF_OK);
	lock_as(mem, 1, DEAD_ID);
	append_unpublished(mem, 1514, 999);
	append_unpublished(mem, 1514, 998);	/* same place again */
	ck_assert_uint_eq(mem->shm_last, last);
	ck_assert_uint_eq(mem->shm_gen, gen);
	ck_assert_uint_ne(mem->shm_first, D);	/* it did retire */
	shmif_bus_lock(&sb);
	ck_assert_uint_eq(sb.sb_breaks, 2);
	shmif_bus_unlock(&sb);
	/* Published ring still walks cleanly to shm_last. */
	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	n = 0;
	while (shmif_view_next(&sv, &vp))
		n++;
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	ck_assert_uint_gt(n, 600);
	/* Writers carry on; readers get every later frame, in order. */
	append_n(mem, 4, 1514, seq);
	want = 5;
	n = 0;
	do {
		ck_assert_int_eq(shmif_cursor_read(&sb, &lag, rf, 8, &nread,
		    &idle), SHMIF_OK);
		for (unsigned i = 0; i < nread; i++) {
			uint32_t got = frame_seq(rf[i].rf_buf);

			ck_assert_uint_ge(got, want);
			ck_assert(frame_check(rf[i].rf_buf, rf[i].rf_len,
			    got));
			ck_assert_uint_ne(got, 999);
			ck_assert_uint_ne(got, 998);
			want = got + 1;
			n++;
		}
	} while (!idle);
	ck_assert_uint_eq(want, seq + 4);
	rxframes_free(rf, 8);
	free(mem);
}
END_TEST

/* --------------------------------------------------------------- view */

START_TEST(test_view_fresh)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_view sv;
	struct shmif_viewpkt vp;

	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(!sv.sv_swapped);
	ck_assert_uint_eq(sv.sv_version, 3);
	ck_assert_uint_eq(sv.sv_first, D);
	ck_assert_uint_eq(sv.sv_last, 0);
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);

	append_n(mem, 3, 60, 0);
	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(shmif_view_next(&sv, &vp));
	ck_assert_uint_eq(vp.vp_hdroff, 24);
	ck_assert_uint_eq(vp.vp_dataoff, 48);
	ck_assert_uint_eq(vp.vp_len, 60);
	ck_assert_uint_eq(vp.vp_sender, SENDER);
	ck_assert(shmif_view_next(&sv, &vp));
	ck_assert_uint_eq(vp.vp_dataoff, 48 + 84);
	ck_assert(shmif_view_next(&sv, &vp));
	ck_assert_uint_eq(vp.vp_dataoff, 48 + 168);
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	free(mem);
}
END_TEST

/*
 * After a wrap the walk starts at shm_first (1562 in the frame-straddles
 * case plus one record: 3100) which is past shm_last (396): the "bonus"
 * rule walks to the end of the area first, then on to shm_last.
 * Records 2..682 remain: 681 frames.
 */
START_TEST(test_view_wrapped)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint8_t buf[SHMIF_FRAME_MAX];
	unsigned n = 0;

	append_n(mem, 683, 1514, 0);
	ck_assert_uint_eq(mem->shm_first, 3100);
	ck_assert_uint_eq(mem->shm_last, 396);
	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(sv.sv_bonus);
	while (shmif_view_next(&sv, &vp)) {
		shmif_view_copy(&sv, &vp, buf);
		ck_assert(frame_check(buf, 1514, 2 + n));
		n++;
	}
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	ck_assert_uint_eq(n, 681);
	ck_assert_uint_eq(vp.vp_hdroff, 396);
	ck_assert_uint_eq(vp.vp_dataoff, 420);
	free(mem);
}
END_TEST

/*
 * The record at shm_last straddles the end: the walk ends right after
 * it, at the frame at data offset 14 (NetBSD's loop condition alone
 * would continue from 74 <= shm_last).
 */
START_TEST(test_view_last_straddles)
{
	struct shmif_bus sb;
	struct shmif_mem *mem = bus_header_straddles(&sb);
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint8_t buf[SHMIF_FRAME_MAX];
	unsigned n = 0;

	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(!sv.sv_bonus);
	while (shmif_view_next(&sv, &vp))
		n++;
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	ck_assert_uint_eq(n, 682);	/* records 1..682 */
	ck_assert_uint_eq(vp.vp_hdroff, D - 10);
	ck_assert_uint_eq(vp.vp_dataoff, 14);
	shmif_view_copy(&sv, &vp, buf);
	ck_assert(frame_check(buf, 60, 682));
	free(mem);
}
END_TEST

static void
put32(uint8_t *p, uint32_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}

static void
put64(uint8_t *p, uint64_t v, bool swap)
{
	if (swap)
		v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

/* Swap every integer of a native bus image in place (records via view). */
static void
bus_byteswap(uint8_t *img)
{
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint32_t hdrs[1024], lens[1024], secs[1024];
	unsigned n = 0, i;
	uint8_t *data = img + 32;
	struct shmif_mem h;

	ck_assert_int_eq(shmif_view_open(&sv, img, SHMIF_BUSSIZE), SHMIF_OK);
	while (shmif_view_next(&sv, &vp) && n < 1024) {
		hdrs[n] = vp.vp_hdroff;
		lens[n] = vp.vp_len;
		secs[n] = vp.vp_sec;
		n++;
	}
	/* Records used by the tests do not straddle: swap in place. */
	for (i = 0; i < n; i++) {
		ck_assert_uint_le(hdrs[i] + 24, D);
		put32(data + hdrs[i], lens[i], true);
		put32(data + hdrs[i] + 4, secs[i], true);
		put32(data + hdrs[i] + 8, secs[i] % 1000000, true);
		put64(data + hdrs[i] + 16, SENDER, true);
	}
	memcpy(&h, img, sizeof(h));
	put32(img, h.shm_magic, true);
	put32(img + 4, h.shm_version, true);
	put64(img + 8, h.shm_gen, true);
	put32(img + 16, h.shm_first, true);
	put32(img + 20, h.shm_last, true);
}

START_TEST(test_view_swapped)
{
	struct shmif_bus sb, sb2;
	struct shmif_mem *mem = bus_new(&sb);
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint8_t buf[SHMIF_FRAME_MAX];
	unsigned n = 0;

	append_n(mem, 5, 1000, 40);
	bus_byteswap((uint8_t *)mem);
	ck_assert_uint_eq(mem->shm_magic, SHMIF_MAGIC_SWAPPED);
	ck_assert_int_eq(shmif_view_open(&sv, mem, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(sv.sv_swapped);
	ck_assert_uint_eq(sv.sv_version, 3);
	ck_assert_uint_eq(sv.sv_first, D);
	ck_assert_uint_eq(sv.sv_last, 24 + 4 * 1024);
	while (shmif_view_next(&sv, &vp)) {
		ck_assert_uint_eq(vp.vp_len, 1000);
		ck_assert_uint_eq(vp.vp_sec, 40 + n);
		ck_assert_uint_eq(vp.vp_sender, SENDER);
		shmif_view_copy(&sv, &vp, buf);
		ck_assert(frame_check(buf, 1000, 40 + n));
		n++;
	}
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	ck_assert_uint_eq(n, 5);
	/* The kernel side refuses it, as NetBSD does (ENOEXEC). */
	ck_assert_int_eq(shmif_bus_attach(&sb2, mem, SHMIF_BUSSIZE,
	    &test_ops, NULL), SHMIF_ESWAPPED);
	free(mem);
}
END_TEST

/*
 * Version 2: 12-byte record headers (len, sec, usec).  Built by hand as
 * a v2 writer would: phantom at 0, first header at 12, its 60-byte frame
 * at 24, the next header at 84 with a 14-byte frame at 96.
 */
START_TEST(test_view_v2)
{
	uint8_t *img = calloc(1, SHMIF_BUSSIZE);
	uint8_t *data = img + 32;
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	uint8_t buf[SHMIF_FRAME_MAX];

	put32(img, SHMIF_MAGIC, false);
	put32(img + 4, 2, false);
	put32(img + 16, D, false);
	put32(img + 20, 84, false);
	put32(data + 12, 60, false);
	put32(data + 16, 11, false);
	put32(data + 20, 22, false);
	frame_fill(data + 24, 60, 1);
	put32(data + 84, 14, false);
	frame_fill(data + 96, 14, 2);

	ck_assert_int_eq(shmif_view_open(&sv, img, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert_uint_eq(sv.sv_pkthdrsize, 12);
	ck_assert(shmif_view_next(&sv, &vp));
	ck_assert_uint_eq(vp.vp_hdroff, 12);
	ck_assert_uint_eq(vp.vp_dataoff, 24);
	ck_assert_uint_eq(vp.vp_len, 60);
	ck_assert_uint_eq(vp.vp_sec, 11);
	ck_assert_uint_eq(vp.vp_usec, 22);
	ck_assert_uint_eq(vp.vp_sender, 0);
	shmif_view_copy(&sv, &vp, buf);
	ck_assert(frame_check(buf, 60, 1));
	ck_assert(shmif_view_next(&sv, &vp));
	ck_assert_uint_eq(vp.vp_dataoff, 96);
	ck_assert_uint_eq(vp.vp_len, 14);
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert_int_eq(sv.sv_error, SHMIF_OK);
	free(img);
}
END_TEST

/*
 * Insane images.  Each is in a buffer of exactly the stated length, so
 * AddressSanitizer catches any read beyond it.
 */
static int
view_open_len(const uint8_t *src, size_t len, struct shmif_view *sv)
{
	uint8_t *img = calloc(1, len > 0 ? len : 1);
	int rv;

	if (len > 0)
		memcpy(img, src, len);
	rv = shmif_view_open(sv, img, len);
	free(img);
	return rv;
}

START_TEST(test_view_insane_header)
{
	uint8_t *img = calloc(1, SHMIF_BUSSIZE);
	struct shmif_view sv;

	put32(img, SHMIF_MAGIC, false);
	put32(img + 4, 3, false);
	put32(img + 16, D, false);
	ck_assert_int_eq(view_open_len(img, 0, &sv), SHMIF_ETRUNC);
	ck_assert_int_eq(view_open_len(img, 3, &sv), SHMIF_ETRUNC);
	ck_assert_int_eq(view_open_len(img, 31, &sv), SHMIF_ETRUNC);
	ck_assert_int_eq(view_open_len(img, 32, &sv), SHMIF_ETRUNC);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE - 1, &sv),
	    SHMIF_ETRUNC);
	ck_assert_uint_eq(sv.sv_len, SHMIF_BUSSIZE - 1);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv), SHMIF_OK);

	put32(img, 0x12345678, false);
	ck_assert_int_eq(view_open_len(img, 8, &sv), SHMIF_ENOTBUS);
	ck_assert_uint_eq(sv.sv_magic, 0x12345678);
	put32(img, 0, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_ENOTBUS);
	put32(img, SHMIF_MAGIC, false);

	put32(img + 4, 7, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_EVERSION);
	ck_assert_uint_eq(sv.sv_version, 7);
	put32(img + 4, 0, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_EVERSION);
	put32(img + 4, 3, false);

	put32(img + 16, D + 1, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_EOFFSET);
	put32(img + 16, 0xffffffff, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_EOFFSET);
	put32(img + 16, D, false);
	put32(img + 20, D, false);
	ck_assert_int_eq(view_open_len(img, SHMIF_BUSSIZE, &sv),
	    SHMIF_EOFFSET);
	free(img);
}
END_TEST

START_TEST(test_view_insane_records)
{
	uint8_t *img = calloc(1, SHMIF_BUSSIZE);
	uint8_t *data = img + 32;
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	unsigned n;

	put32(img, SHMIF_MAGIC, false);
	put32(img + 4, 3, false);
	put32(img + 16, D, false);

	/* A huge sp_len right at the start. */
	put32(img + 20, 24, false);
	put32(data + 24, 0x7fffffff, false);
	ck_assert_int_eq(shmif_view_open(&sv, img, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert_int_eq(sv.sv_error, SHMIF_ELENGTH);
	ck_assert_uint_eq(sv.sv_erroff, 24);
	ck_assert(!shmif_view_next(&sv, &vp));
	put32(data + 24, 1515, false);
	ck_assert_int_eq(shmif_view_open(&sv, img, SHMIF_BUSSIZE), SHMIF_OK);
	ck_assert(!shmif_view_next(&sv, &vp));
	ck_assert_int_eq(sv.sv_error, SHMIF_ELENGTH);
	put32(data + 24, 0, false);

	/*
	 * Records that never meet shm_last: zero-length records every 24
	 * bytes from 0, shm_last = D - 10 (no record there: D - 10 is not a
	 * multiple of 24), and a 100-byte record at 1048512 whose frame
	 * straddles the end.  The walk wraps to 92 <= shm_last and would
	 * round the ring for ever; it stops after one lap with SHMIF_EWALK.
	 */
	put32(img + 16, 0, false);
	put32(img + 20, D - 10, false);
	put32(data + 1048512, 100, false);
	ck_assert_int_eq(shmif_view_open(&sv, img, SHMIF_BUSSIZE), SHMIF_OK);
	n = 0;
	while (shmif_view_next(&sv, &vp)) {
		ck_assert_uint_eq(vp.vp_len, 100);
		n++;
	}
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_le(n, 2);
	ck_assert_int_eq(sv.sv_error, SHMIF_EWALK);
	free(img);
}
END_TEST

static Suite *
shmif_bus_suite(void)
{
	Suite *s = suite_create("shmif_bus");
	TCase *tc;

	tc = tcase_create("layout");
	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_attach_fresh);
	tcase_add_test(tc, test_attach_refused);
	tcase_add_test(tc, test_lock);
	tcase_add_test(tc, test_lock_holder);
	tcase_add_test(tc, test_lock_trybreak);
	tcase_add_test(tc, test_lock_break_in_lock);
	tcase_add_test(tc, test_lock_break_half_written);
	tcase_add_test(tc, test_proc_alive);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_first_append);
	tcase_add_test(tc, test_reject_framelen);
	tcase_add_test(tc, test_wrap_frame_straddles);
	tcase_add_test(tc, test_wrap_header_straddles);
	tcase_add_test(tc, test_wrap_exact_end);
	tcase_add_test(tc, test_wrap_segments);
	tcase_add_test(tc, test_gen_counting);
	tcase_add_test(tc, test_first_on_boundaries);
	suite_add_tcase(s, tc);

	tc = tcase_create("reader");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_reader_follows_wraps);
	tcase_add_test(tc, test_reader_lapped);
	tcase_add_test(tc, test_reader_lapped_many);
	tcase_add_test(tc, test_reader_redelivers_last);
	tcase_add_test(tc, test_reader_last_straddles);
	tcase_add_test(tc, test_reader_drops);
	tcase_add_test(tc, test_clobbered_header);
	suite_add_tcase(s, tc);

	tc = tcase_create("view");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_view_fresh);
	tcase_add_test(tc, test_view_wrapped);
	tcase_add_test(tc, test_view_last_straddles);
	tcase_add_test(tc, test_view_swapped);
	tcase_add_test(tc, test_view_v2);
	tcase_add_test(tc, test_view_insane_header);
	tcase_add_test(tc, test_view_insane_records);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(shmif_bus_suite());
}
