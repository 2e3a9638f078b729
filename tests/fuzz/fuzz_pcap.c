/*
 * fuzz_pcap.c -- libFuzzer target for capture input: the reader of
 * shmif_pcap2bus (tools/shmif_pcap2bus/capture.c, over libpcap's pcap
 * and pcapng parsers) and what the tool does with each record.
 *
 * The input is a capture file.  Every record is classified; those that
 * may go on a bus are appended to an in-memory bus exactly as the tool
 * appends them, and a reader must then get back the same bytes in the
 * same order, and a view walk must reach the last record.  Records
 * that may not go on a bus must be refused for the stated reason.
 *
 * Build and run (clang with libFuzzer; see tests/fuzz/fuzz.mk):
 *   make fuzz-pcap && tests/fuzz/fuzz_pcap tests/fuzz/corpus/pcap
 * With FUZZ_PCAP_REPLAY defined it is an ordinary program that runs
 * every file of tests/fuzz/corpus/pcap (or of its arguments) once.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_pcap2bus/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_pcap: %s:%d: %s\n", __FILE__,	\
		    __LINE__, #c);					\
		abort();						\
	}								\
} while (0)

#define FP_MAXFRAMES	256	/* records checked per input */

static void
fp_backoff(void *arg)
{
	(void)arg;
	FUZZ_ASSERT(!"bus lock contended in a single-threaded test");
}

static const struct shmif_hostops fp_ops = {
	.sho_backoff = fp_backoff,
};

/* What was appended, to compare with what is read back. */
struct fp_sent {
	uint8_t	 fs_frame[SHMIF_FRAME_MAX];
	uint32_t fs_len;
};

static void
fp_check_rec(const struct capture_rec *rec)
{
	volatile uint8_t sink = 0;

	switch (capture_check(rec)) {
	case CAPTURE_FRAME:
		FUZZ_ASSERT(rec->cr_len >= SHMIF_FRAME_MIN &&
		    rec->cr_len <= SHMIF_FRAME_MAX);
		FUZZ_ASSERT(rec->cr_caplen >= rec->cr_len);
		/* All of it readable. */
		sink ^= rec->cr_data[0] ^ rec->cr_data[rec->cr_len - 1];
		break;
	case CAPTURE_TRUNCATED:
		FUZZ_ASSERT(rec->cr_caplen < rec->cr_len);
		break;
	case CAPTURE_BADLEN:
		FUZZ_ASSERT(rec->cr_len < SHMIF_FRAME_MIN ||
		    rec->cr_len > SHMIF_FRAME_MAX);
		break;
	}
	(void)sink;
}

/* Read every frame back from the bus and compare. */
static void
fp_readback(struct shmif_bus *sb, struct shmif_cursor *sc,
    const struct fp_sent *sent, unsigned nsent)
{
	static uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_rxframe rf = { .rf_buf = buf };
	unsigned n, i = 0;
	bool idle = false;

	while (!idle) {
		FUZZ_ASSERT(shmif_cursor_read(sb, sc, &rf, 1, &n, &idle) ==
		    SHMIF_OK);
		if (n == 0)
			continue;
		FUZZ_ASSERT(i < nsent);
		FUZZ_ASSERT(rf.rf_len == sent[i].fs_len);
		FUZZ_ASSERT(memcmp(buf, sent[i].fs_frame, rf.rf_len) == 0);
		i++;
	}
	FUZZ_ASSERT(i == nsent);
	FUZZ_ASSERT(sc->sc_resyncs == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fp_sent sent[FP_MAXFRAMES];
	struct shmif_view sv;
	struct shmif_viewpkt vp;
	struct shmif_cursor sc;
	struct shmif_bus sb;
	struct capture_rec rec;
	struct capture c;
	struct shmif_seg seg;
	struct shmif_txframe tf;
	unsigned nsent = 0, nrec = 0, nview = 0;
	void *mem = NULL;
	FILE *fp;
	int rv;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	FUZZ_ASSERT(fp != NULL);
	if (capture_open_stream(&c, fp) != 0) {
		FUZZ_ASSERT(c.c_err[0] != '\0');
		return 0;		/* the stream is closed */
	}
	FUZZ_ASSERT(posix_memalign(&mem, 4096, SHMIF_BUSSIZE) == 0);
	memset(mem, 0, SHMIF_BUSSIZE);
	FUZZ_ASSERT(shmif_bus_attach(&sb, mem, SHMIF_BUSSIZE, &fp_ops, NULL) ==
	    SHMIF_OK);
	shmif_cursor_init(&sb, &sc, SHMIF_START_NEW);

	while (nrec < FP_MAXFRAMES && (rv = capture_next(&c, &rec)) == 1) {
		nrec++;
		fp_check_rec(&rec);
		if (capture_check(&rec) != CAPTURE_FRAME)
			continue;
		memcpy(sent[nsent].fs_frame, rec.cr_data, rec.cr_len);
		sent[nsent].fs_len = rec.cr_len;
		seg = (struct shmif_seg){ sent[nsent].fs_frame, rec.cr_len };
		tf = (struct shmif_txframe){ &seg, 1, rec.cr_sec,
		    rec.cr_usec };
		FUZZ_ASSERT(shmif_bus_send(&sb, &tf, 1, 1, NULL, NULL) ==
		    SHMIF_OK);
		nsent++;
	}
	capture_close(&c);		/* closes the stream too */

	/* 256 records of at most 1538 bytes fit in one lap. */
	fp_readback(&sb, &sc, sent, nsent);
	FUZZ_ASSERT(shmif_view_open(&sv, mem, SHMIF_BUSSIZE) == SHMIF_OK);
	while (shmif_view_next(&sv, &vp))
		nview++;
	FUZZ_ASSERT(sv.sv_error == SHMIF_OK);
	FUZZ_ASSERT(nview == nsent);
	free(mem);
	return 0;
}

#ifdef FUZZ_PCAP_REPLAY
#include "tests/fuzz/replay.h"

int
main(int argc, char **argv)
{
	return fuzz_replay_main(argc, argv, "pcap");
}
#endif /* FUZZ_PCAP_REPLAY */
