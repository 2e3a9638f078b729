/*
 * fuzz_bus.c -- libFuzzer target for the shmif bus format library.
 *
 * Input: byte 0 selects a mode, the rest is the payload.
 *   mode 0  image: the payload is the start of a bus image (header and
 *           first records) in a buffer of one of several sizes (byte 1),
 *           exactly that large so AddressSanitizer sees any overread.
 *   mode 1  ring: a 1 MiB image whose 32-byte header comes from the
 *           payload, the rest of the payload laid from just before
 *           shm_first around the ring, so records straddle the end.
 *   mode 2  as mode 1, with the magic made byte-swapped.
 *   mode 3  ops: a fresh bus driven by a small op language (append,
 *           bulk append, read, drain, re-attach a cursor, view, a
 *           writer killed before publishing its frame), with
 *           the writer's and readers' results checked against what was
 *           written: the view walk reaches shm_last with consecutive
 *           sequence numbers, readers see frames in order, intact.
 * Images from modes 0-2 go through the view parser, and, when they are
 * a whole native bus, through reader cursors and a few appends.
 *
 * Build and run (clang with libFuzzer):
 *   make -C _build fuzz-bus           # see shmif/local.mk
 *   tests/fuzz/fuzz_bus -max_total_time=60 tests/fuzz/corpus/bus
 * With FUZZ_BUS_REPLAY defined it is an ordinary program instead that
 * runs every file of tests/fuzz/corpus/bus (or of its arguments) once:
 * the seeds are a regression test under any compiler.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shmif/shmif_bus.h"

#define D	SHMIF_DATASIZE

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A check failed: crash so the fuzzer records the input. */
#define FUZZ_ASSERT(c) do {						\
	if (!(c))							\
		abort();						\
} while (0)

static void
fuzz_backoff(void *arg)
{
	/* Nothing else holds the lock here: a backoff means a bug. */
	(void)arg;
	abort();
}

static const struct shmif_hostops fuzz_ops = {
	.sho_backoff = fuzz_backoff,
	.sho_wakeup = NULL,
};

static const size_t fuzz_sizes[] = {
	0, 3, 4, 31, 32, 4096, SHMIF_BUSSIZE - 1, SHMIF_BUSSIZE,
};

/* Walk the whole view; bounded by the library, checked here. */
static void
fuzz_view(const uint8_t *img, size_t len)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_viewpkt vp;
	struct shmif_view sv;
	unsigned n = 0;

	if (shmif_view_open(&sv, img, len) != SHMIF_OK)
		return;
	while (shmif_view_next(&sv, &vp)) {
		FUZZ_ASSERT(vp.vp_len >= 1 && vp.vp_len <= SHMIF_FRAME_MAX);
		FUZZ_ASSERT(vp.vp_dataoff < D);
		shmif_view_copy(&sv, &vp, buf);
		/* Records are >= 13 bytes: a lap holds fewer than D / 13. */
		FUZZ_ASSERT(++n <= D / 13 + 1);
	}
}

static void
fuzz_cursor(struct shmif_bus *sb, enum shmif_cursor_start start)
{
	static uint8_t bufs[8][SHMIF_FRAME_MAX];
	struct shmif_rxframe rf[8];
	struct shmif_cursor sc;
	unsigned i, n, calls;
	bool idle = false;

	for (i = 0; i < 8; i++)
		rf[i].rf_buf = bufs[i];
	shmif_cursor_init(sb, &sc, start);
	for (calls = 0; calls < 64 && !idle; calls++) {
		(void)shmif_cursor_read(sb, &sc, rf, 8, &n, &idle);
		FUZZ_ASSERT(n <= 8);
		FUZZ_ASSERT(sc.sc_nextpkt <= D);
		for (i = 0; i < n; i++)
			FUZZ_ASSERT(rf[i].rf_len >= SHMIF_FRAME_MIN &&
			    rf[i].rf_len <= SHMIF_FRAME_MAX);
	}
	FUZZ_ASSERT(sb->sb_mem->shm_lock == 0);
}

/* Reader cursors and appends on a whole native image. */
static void
fuzz_live(uint8_t *img, const uint8_t *payload, size_t plen)
{
	struct shmif_mem *mem = (struct shmif_mem *)img;
	uint8_t frame[SHMIF_FRAME_MAX];
	struct shmif_seg seg;
	struct shmif_txframe tf;
	struct shmif_bus sb;
	unsigned i;

	mem->shm_lock = 0;
	if (shmif_bus_attach(&sb, img, SHMIF_BUSSIZE, &fuzz_ops, NULL) !=
	    SHMIF_OK)
		return;
	fuzz_cursor(&sb, SHMIF_START_LAST);
	memset(frame, 0xa5, sizeof(frame));
	for (i = 0; i < 4; i++) {
		seg.ss_data = frame;
		seg.ss_len = plen > i ? 14 + payload[i] * 5u : 60;
		tf = (struct shmif_txframe){ &seg, 1, i, i };
		(void)shmif_bus_send(&sb, &tf, 1, 42, NULL, NULL);
		FUZZ_ASSERT(mem->shm_lock == 0);
	}
	fuzz_cursor(&sb, SHMIF_START_LAST);
	fuzz_cursor(&sb, SHMIF_START_NEW);
	fuzz_view(img, SHMIF_BUSSIZE);
}

static uint8_t *
fuzz_busbuf(void)
{
	void *p = NULL;

	if (posix_memalign(&p, 4096, SHMIF_BUSSIZE) != 0)
		abort();
	memset(p, 0, SHMIF_BUSSIZE);
	return p;
}

static void
fuzz_image(const uint8_t *p, size_t n)
{
	size_t len = fuzz_sizes[(n > 0 ? p[0] : 0) % 8];
	uint8_t *img;

	if (n > 0) {
		p++;
		n--;
	}
	img = len == SHMIF_BUSSIZE ? fuzz_busbuf() : calloc(1, len + !len);
	memcpy(img, p, n < len ? n : len);
	fuzz_view(img, len);
	if (len == SHMIF_BUSSIZE)
		fuzz_live(img, p, n);
	free(img);
}

/* Header from the payload, records laid around shm_first. */
static void
fuzz_ring(const uint8_t *p, size_t n, bool swapped)
{
	uint8_t *img = fuzz_busbuf();
	uint32_t first, at, chunk;
	size_t i;

	memcpy(img, p, n < SHMIF_HDRSIZE ? n : SHMIF_HDRSIZE);
	if (swapped) {
		uint32_t m = SHMIF_MAGIC_SWAPPED;

		memcpy(img, &m, 4);
	}
	if (n > SHMIF_HDRSIZE) {
		memcpy(&first, img + 16, 4);
		if (swapped)
			first = __builtin_bswap32(first);
		at = (uint32_t)(((uint64_t)first % D + D - 16) % D);
		p += SHMIF_HDRSIZE;
		n -= SHMIF_HDRSIZE;
		for (i = 0; i < n && i < D; i += chunk) {
			chunk = D - at;
			if (chunk > n - i)
				chunk = (uint32_t)(n - i);
			memcpy(img + SHMIF_HDRSIZE + at, p + i, chunk);
			at = (at + chunk) % D;
		}
	}
	fuzz_view(img, SHMIF_BUSSIZE);
	if (!swapped)
		fuzz_live(img, p, n);
	free(img);
}

/* ------------------------------------------------------------- ops mode */

struct fuzz_model {
	struct shmif_bus fm_bus;
	uint32_t fm_nextseq;		/* seq of the next frame appended */
	struct shmif_cursor fm_sc;
	bool	fm_synced;		/* fm_expect is known */
	uint32_t fm_expect;		/* next seq the cursor should return */
	uint8_t	fm_buf[8][SHMIF_FRAME_MAX];
};

/* Frame content from seq; memset, not a byte loop: coverage hooks slow it. */
static void
fuzz_frame(uint8_t *buf, uint32_t len, uint32_t seq)
{
	memset(buf, 0xff, 12);
	buf[12] = 0x88;
	buf[13] = 0xb5;
	memcpy(buf + 14, &seq, 4);
	memset(buf + 18, (int)(seq * 7 + len), len - 18);
}

static bool
fuzz_frame_ok(const uint8_t *buf, uint32_t len, uint32_t *seqp)
{
	uint8_t want[SHMIF_FRAME_MAX];

	memcpy(seqp, buf + 14, 4);
	fuzz_frame(want, len, *seqp);
	return memcmp(want, buf, len) == 0;
}

static void
fuzz_append(struct fuzz_model *fm, uint32_t len)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_seg seg[2];
	struct shmif_txframe tf;
	unsigned nsent;
	uint32_t cut;

	fuzz_frame(buf, len, fm->fm_nextseq);
	/* Gathered from two pieces, cut somewhere inside. */
	cut = fm->fm_nextseq % len;
	seg[0] = (struct shmif_seg){ buf, cut };
	seg[1] = (struct shmif_seg){ buf + cut, len - cut };
	tf = (struct shmif_txframe){ seg, 2, fm->fm_nextseq, 0 };
	FUZZ_ASSERT(shmif_bus_send(&fm->fm_bus, &tf, 1, 1, &nsent, NULL) ==
	    SHMIF_OK);
	FUZZ_ASSERT(nsent == 1);
	fm->fm_nextseq++;
}

/*
 * The bytes of a frame go into the ring but it is never published, as
 * when its writer is killed with the lock held (the lock is then broken,
 * nothing repaired).  Its content carries a seq no reader may ever see.
 */
static void
fuzz_append_unpublished(struct fuzz_model *fm, uint32_t len)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_seg seg = { buf, len };
	struct shmif_txframe tf = { &seg, 1, 0, 0 };
	struct shmif_pending pend;

	fuzz_frame(buf, len, UINT32_MAX);
	shmif_bus_lock(&fm->fm_bus);
	FUZZ_ASSERT(shmif_append_write_locked(fm->fm_bus.sb_mem, &tf, 1,
	    &pend) == SHMIF_OK);
	FUZZ_ASSERT(shmif_bus_unlock(&fm->fm_bus));
}

/* Read up to n frames and check them against the model. */
static bool
fuzz_read(struct fuzz_model *fm, unsigned n)
{
	struct shmif_rxframe rf[8];
	uint64_t resyncs = fm->fm_sc.sc_resyncs;
	unsigned i, got;
	uint32_t seq;
	bool idle;

	for (i = 0; i < 8; i++)
		rf[i].rf_buf = fm->fm_buf[i];
	FUZZ_ASSERT(shmif_cursor_read(&fm->fm_bus, &fm->fm_sc, rf, n, &got,
	    &idle) == SHMIF_OK);
	FUZZ_ASSERT(got <= n);
	for (i = 0; i < got; i++) {
		FUZZ_ASSERT(fuzz_frame_ok(rf[i].rf_buf, rf[i].rf_len, &seq));
		FUZZ_ASSERT(seq < fm->fm_nextseq);
		if (fm->fm_synced && fm->fm_sc.sc_resyncs == resyncs)
			FUZZ_ASSERT(seq == fm->fm_expect);
		else if (fm->fm_synced)
			FUZZ_ASSERT(seq >= fm->fm_expect);
		fm->fm_expect = seq + 1;
		fm->fm_synced = true;
	}
	/* Caught up means every frame appended has been seen. */
	if (idle && fm->fm_synced)
		FUZZ_ASSERT(fm->fm_expect == fm->fm_nextseq);
	return idle;
}

/* The view walk: consecutive frames ending with the newest. */
static void
fuzz_check_view(struct fuzz_model *fm)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_viewpkt vp;
	struct shmif_view sv;
	uint32_t seq, prev = 0;
	unsigned n = 0;

	FUZZ_ASSERT(shmif_view_open(&sv, fm->fm_bus.sb_mem, SHMIF_BUSSIZE) ==
	    SHMIF_OK);
	while (shmif_view_next(&sv, &vp)) {
		shmif_view_copy(&sv, &vp, buf);
		FUZZ_ASSERT(fuzz_frame_ok(buf, vp.vp_len, &seq));
		FUZZ_ASSERT(n == 0 || seq == prev + 1);
		prev = seq;
		n++;
	}
	FUZZ_ASSERT(sv.sv_error == SHMIF_OK);
	if (fm->fm_nextseq > 0)
		FUZZ_ASSERT(n > 0 && prev == fm->fm_nextseq - 1);
	else
		FUZZ_ASSERT(n == 0);
}

static void
fuzz_opsmode(const uint8_t *p, size_t n)
{
	static struct fuzz_model fm;
	uint8_t *img = fuzz_busbuf();
	unsigned k, drains;
	uint32_t arg;
	size_t i;

	memset(&fm, 0, sizeof(fm));
	FUZZ_ASSERT(shmif_bus_attach(&fm.fm_bus, img, SHMIF_BUSSIZE,
	    &fuzz_ops, NULL) == SHMIF_OK);
	shmif_cursor_init(&fm.fm_bus, &fm.fm_sc, SHMIF_START_NEW);
	fm.fm_synced = true;
	for (i = 0; i + 2 < n; i += 3) {
		arg = (uint32_t)p[i + 1] << 8 | p[i + 2];
		switch (p[i] % 7) {
		case 0:		/* one frame of 18..1514 bytes */
			fuzz_append(&fm, 18 + arg % 1497);
			break;
		case 1:		/* up to 255 frames of one size */
			for (k = 0; k < (arg >> 8) + 1u; k++)
				fuzz_append(&fm, 18 + (arg & 0xff) * 5u + k % 7);
			break;
		case 2:		/* one bounded read */
			(void)fuzz_read(&fm, 1 + arg % 8);
			break;
		case 3:		/* read until caught up */
			for (drains = 0; drains < 100000; drains++)
				if (fuzz_read(&fm, 8))
					break;
			FUZZ_ASSERT(drains < 100000);
			break;
		case 4:		/* re-attach: the newest frame comes again */
			shmif_cursor_init(&fm.fm_bus, &fm.fm_sc,
			    SHMIF_START_LAST);
			fm.fm_synced = fm.fm_nextseq > 0;
			fm.fm_expect = fm.fm_nextseq - 1;
			break;
		case 5:
			fuzz_check_view(&fm);
			break;
		case 6:		/* a writer killed before publishing */
			fuzz_append_unpublished(&fm, 18 + arg % 1497);
			break;
		}
	}
	fuzz_check_view(&fm);
	free(img);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_image(data + 1, size - 1);
		break;
	case 1:
		fuzz_ring(data + 1, size - 1, false);
		break;
	case 2:
		fuzz_ring(data + 1, size - 1, true);
		break;
	case 3:
		fuzz_opsmode(data + 1, size - 1);
		break;
	}
	return 0;
}

#ifdef FUZZ_BUS_REPLAY
#include "tests/fuzz/replay.h"

int
main(int argc, char **argv)
{
	return fuzz_replay_main(argc, argv, "bus");
}
#endif /* FUZZ_BUS_REPLAY */
