/*
 * bus_bench -- throughput of the shmif bus format library and a bus
 * writer for measuring readers (bench/bus_bench.sh drives it).
 *
 *   bus_bench append [-t seconds]
 *       The library alone: append frames of 60 and 1514 bytes to a
 *       private 1 MiB bus as fast as possible, one lock hold per frame
 *       and per batch of 32.  No reader, no wakeup: the writer's ceiling.
 *       A plain memcpy of the same records is measured as a baseline.
 *
 *   bus_bench write [-b batch] [-l len] [-r rate] [-t seconds] buspath
 *       A node sending len-byte frames for t seconds, one lock hold and
 *       one wakeup write per batch, at most rate frames/s (0 = flat out).
 *       Prints "written=N seconds=S fps=F".
 */
#include "config.h"

#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_dumpbus/busfile.h"

#define BATCH_MAX	1024

static volatile sig_atomic_t bench_stop;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "Usage: bus_bench append [-t seconds]\n"
	    "       bus_bench write [-b batch] [-l len] [-r rate] "
	    "[-t seconds] buspath\n");
	exit(1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static unsigned long
parse_ul(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		errx(1, "invalid number `%s' (%lu..%lu)", s, min, max);
	return v;
}

/* An Ethernet frame carrying a sequence number after the header. */
static void
bench_frame(uint8_t *buf, uint32_t len, uint32_t seq)
{
	memset(buf, 0, len);
	memset(buf, 0xff, 6);
	buf[6] = 0xb2;
	buf[7] = 0xa0;
	buf[12] = 0x88;
	buf[13] = 0xb5;
	memcpy(buf + 14, &seq, sizeof(seq));
}

static void
bench_nobackoff(void *arg)
{
	(void)arg;
	errx(1, "lock contended in a single-process benchmark");
}

static const struct shmif_hostops bench_ops = {
	.sho_backoff = bench_nobackoff,
	.sho_wakeup = NULL,
};

/* ----------------------------------------------------------------- append */

static void
bench_append_one(uint32_t len, unsigned batch, double secs)
{
	static uint8_t frame[SHMIF_FRAME_MAX];
	struct shmif_txframe tf[BATCH_MAX];
	struct shmif_seg seg;
	struct shmif_bus sb;
	uint64_t t0, t1, n = 0, deadline;
	unsigned i;
	void *mem;
	double s, fps;

	if (posix_memalign(&mem, 4096, SHMIF_BUSSIZE) != 0)
		err(1, "malloc");
	memset(mem, 0, SHMIF_BUSSIZE);
	if (shmif_bus_attach(&sb, mem, SHMIF_BUSSIZE, &bench_ops, NULL) !=
	    SHMIF_OK)
		errx(1, "attach");
	bench_frame(frame, len, 0);
	seg = (struct shmif_seg){ frame, len };
	for (i = 0; i < batch; i++)
		tf[i] = (struct shmif_txframe){ &seg, 1, 0, 0 };

	t0 = now_ns();
	deadline = t0 + (uint64_t)(secs * 1e9);
	do {
		/* Check the clock every 4096 batches only. */
		for (i = 0; i < 4096; i++)
			(void)shmif_bus_send(&sb, tf, batch, 1, NULL, NULL);
		n += 4096 * (uint64_t)batch;
		t1 = now_ns();
	} while (t1 < deadline);
	s = (double)(t1 - t0) / 1e9;
	fps = (double)n / s;
	printf("append len=%u batch=%u frames=%" PRIu64 " seconds=%.3f "
	    "fps=%.0f gbps=%.2f ns_per_frame=%.1f gen=%" PRIu64 "\n",
	    len, batch, n, s, fps, fps * len * 8 / 1e9, 1e9 / fps,
	    ((struct shmif_mem *)mem)->shm_gen);
	free(mem);
}

/*
 * Baseline for the append rate: the same bytes (24-byte header and the
 * frame) copied to consecutive places of a 1 MiB area with memcpy, no
 * lock and no ring rules.
 */
static void
bench_memcpy_one(uint32_t len, double secs)
{
	static uint8_t frame[SHMIF_PKTHDRSIZE + SHMIF_FRAME_MAX];
	uint64_t t0, t1, n = 0, deadline;
	uint32_t off = 0, rec = SHMIF_PKTHDRSIZE + len;
	uint8_t *area;
	unsigned i;
	double s, fps;

	area = malloc(SHMIF_DATASIZE);
	if (area == NULL)
		err(1, "malloc");
	memset(area, 0, SHMIF_DATASIZE);
	t0 = now_ns();
	deadline = t0 + (uint64_t)(secs * 1e9);
	do {
		for (i = 0; i < 4096; i++) {
			if (off + rec > SHMIF_DATASIZE)
				off = 0;
			memcpy(area + off, frame, rec);
			off += rec;
		}
		n += 4096;
		t1 = now_ns();
	} while (t1 < deadline);
	s = (double)(t1 - t0) / 1e9;
	fps = (double)n / s;
	printf("memcpy len=%u frames=%" PRIu64 " seconds=%.3f fps=%.0f "
	    "gbps=%.2f ns_per_frame=%.1f\n", len, n, s, fps,
	    fps * len * 8 / 1e9, 1e9 / fps);
	/* Keep the copies observable. */
	if (area[off % SHMIF_DATASIZE] == 0xfe)
		printf("\n");
	free(area);
}

static int
bench_append(int argc, char **argv)
{
	static const uint32_t lens[] = { 60, 1514 };
	static const unsigned batches[] = { 1, 32 };
	double secs = 1.0;
	unsigned i, j;
	int ch;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			usage();
		secs = (double)parse_ul(optarg, 1, 3600);
	}
	for (i = 0; i < 2; i++) {
		bench_memcpy_one(lens[i], secs);
		for (j = 0; j < 2; j++)
			bench_append_one(lens[i], batches[j], secs);
	}
	return 0;
}

/* ------------------------------------------------------------------ write */

static void
bench_onsignal(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static void
bench_pace(uint64_t t0, uint64_t sent, unsigned long rate)
{
	uint64_t due, now;
	struct timespec ts;

	if (rate == 0)
		return;
	due = t0 + sent * 1000000000u / rate;
	now = now_ns();
	if (due <= now)
		return;
	ts.tv_sec = (time_t)((due - now) / 1000000000u);
	ts.tv_nsec = (long)((due - now) % 1000000000u);
	nanosleep(&ts, NULL);
}

static int
bench_write(int argc, char **argv)
{
	static uint8_t frames[BATCH_MAX][SHMIF_FRAME_MAX];
	struct shmif_txframe tf[BATCH_MAX];
	struct shmif_seg seg[BATCH_MAX];
	unsigned long batch = 32, len = 1514, rate = 0, secs = 3;
	uint64_t t0, t1, sent = 0, deadline;
	struct busfile bf;
	unsigned i, nsent;
	uint32_t seq = 0;
	int ch;

	while ((ch = getopt(argc, argv, "b:l:r:t:")) != -1) {
		switch (ch) {
		case 'b':
			batch = parse_ul(optarg, 1, BATCH_MAX);
			break;
		case 'l':
			len = parse_ul(optarg, 18, SHMIF_FRAME_MAX);
			break;
		case 'r':
			rate = parse_ul(optarg, 0, 1000000000);
			break;
		case 't':
			secs = parse_ul(optarg, 1, 3600);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	signal(SIGINT, bench_onsignal);
	signal(SIGTERM, bench_onsignal);
	busfile_attach(&bf, argv[optind]);
	for (i = 0; i < batch; i++) {
		seg[i] = (struct shmif_seg){ frames[i], (uint32_t)len };
		tf[i] = (struct shmif_txframe){ &seg[i], 1, 0, 0 };
	}

	t0 = now_ns();
	deadline = t0 + secs * 1000000000u;
	for (t1 = t0; t1 < deadline && !bench_stop; t1 = now_ns()) {
		for (i = 0; i < batch; i++) {
			bench_frame(frames[i], (uint32_t)len, seq++);
			tf[i].tf_sec = (uint32_t)(t1 / 1000000000u);
			tf[i].tf_usec = (uint32_t)(t1 / 1000 % 1000000);
		}
		bench_pace(t0, sent + batch, rate);
		if (shmif_bus_send(&bf.bf_bus, tf, (unsigned)batch, 2, &nsent,
		    NULL) != SHMIF_OK)
			errx(1, "send failed");
		sent += nsent;
		if (busfile_wakeup(&bf) != 0)
			err(1, "wakeup");
	}
	printf("written=%" PRIu64 " seconds=%.3f fps=%.0f backoffs=%" PRIu64
	    "\n", sent, (double)(t1 - t0) / 1e9,
	    (double)sent * 1e9 / (double)(t1 - t0), bf.bf_bus.sb_backoffs);
	busfile_close(&bf);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "append") == 0)
		return bench_append(argc - 1, argv + 1);
	if (strcmp(argv[1], "write") == 0)
		return bench_write(argc - 1, argv + 1);
	usage();
}
