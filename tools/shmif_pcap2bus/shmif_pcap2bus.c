/*
 * shmif_pcap2bus -- put the Ethernet frames of a capture file on a shmif
 * bus, as a node on that bus would send them.
 *
 *   shmif_pcap2bus [-tv] [-b batch] [-l loops] [-r rate] [-s sender]
 *                  pcapfile buspath
 *
 * The capture is read with libpcap (pcap or pcapng, "-" = standard
 * input).  The bus is created or attached as a node does.  Frames are
 * appended in batches, one bus lock hold per batch, each batch followed
 * by one wakeup write.  Frames outside 14..1514 bytes cannot be on a
 * shmif bus and are skipped with a warning.
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
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_dumpbus/busfile.h"
#include "tools/shmif_pcap2bus/capture.h"

#define BATCH_MAX	1024
#define BATCH_DEFAULT	32
#define WARN_MAX	10	/* per-frame warnings before only counting */

struct p2b_opts {
	const char *o_pcap;
	const char *o_bus;
	unsigned o_batch;	/* frames per lock hold and wakeup */
	uint64_t o_loops;	/* 0 = until interrupted */
	uint64_t o_rate;	/* frames per second; 0 = unpaced */
	uint64_t o_sender;
	bool	o_now;		/* -t: stamp with the current time */
	bool	o_verbose;
};

/* A batch being filled: frames copied out of libpcap's buffer. */
struct p2b_batch {
	struct shmif_txframe b_tf[BATCH_MAX];
	struct shmif_seg b_seg[BATCH_MAX];
	uint8_t	b_buf[BATCH_MAX][SHMIF_FRAME_MAX];
	unsigned b_n;
};

struct p2b_stats {
	uint64_t s_read;	/* records in the capture(s) */
	uint64_t s_sent;
	uint64_t s_skipped;	/* length outside 14..1514 */
	uint64_t s_truncated;	/* captured shorter than on the wire */
};

static volatile sig_atomic_t p2b_stop;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "Usage: %s [-tv] [-b batch] [-l loops] [-r rate] "
	    "[-s sender] pcapfile buspath\n", program_invocation_short_name);
	exit(1);
}

static void
p2b_onsignal(int sig)
{
	(void)sig;
	p2b_stop = 1;
}

static uint64_t
parse_u64(const char *s, const char *what, uint64_t min, uint64_t max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < min || v > max)
		errx(1, "invalid %s `%s': want %" PRIu64 "..%" PRIu64, what, s,
		    min, max);
	return v;
}

static void
parse_opts(struct p2b_opts *o, int argc, char **argv)
{
	bool havebatch = false, havesender = false;
	int ch;

	memset(o, 0, sizeof(*o));
	o->o_loops = 1;
	opterr = 0;	/* our own message, named after the program */
	while ((ch = getopt(argc, argv, "b:l:r:s:tv")) != -1) {
		switch (ch) {
		case 'b':
			o->o_batch = (unsigned)parse_u64(optarg, "batch", 1,
			    BATCH_MAX);
			havebatch = true;
			break;
		case 'l':
			o->o_loops = parse_u64(optarg, "loop count", 0,
			    UINT64_MAX);
			break;
		case 'r':
			o->o_rate = parse_u64(optarg, "rate", 1, 100000000);
			break;
		case 's':
			o->o_sender = parse_u64(optarg, "sender id", 0,
			    UINT64_MAX);
			havesender = true;
			break;
		case 't':
			o->o_now = true;
			break;
		case 'v':
			o->o_verbose = true;
			break;
		default:
			if (optopt != 0 && strchr("b:l:r:s:tv", optopt) != NULL)
				warnx("option -%c needs an argument", optopt);
			else
				warnx("unknown option -%c", optopt);
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	o->o_pcap = argv[optind];
	o->o_bus = argv[optind + 1];
	/* Paced output is smoothest one frame at a time. */
	if (!havebatch)
		o->o_batch = o->o_rate != 0 ? 1 : BATCH_DEFAULT;
	if (!havesender &&
	    getrandom(&o->o_sender, sizeof(o->o_sender), 0) !=
	    sizeof(o->o_sender))
		err(1, "getrandom");
	if (o->o_loops != 1 && strcmp(o->o_pcap, "-") == 0)
		errx(1, "cannot loop over standard input");
}

static uint64_t
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Sleep until `sent' frames are due at the requested rate. */
static void
pace(const struct p2b_opts *o, uint64_t start, uint64_t sent)
{
	uint64_t due, now;
	struct timespec ts;

	if (o->o_rate == 0)
		return;
	due = start + sent * 1000000000u / o->o_rate;
	now = now_ns(CLOCK_MONOTONIC);
	if (due <= now)
		return;
	ts.tv_sec = (time_t)((due - now) / 1000000000u);
	ts.tv_nsec = (long)((due - now) % 1000000000u);
	nanosleep(&ts, NULL);
}

static void
send_batch(const struct p2b_opts *o, struct busfile *bf,
    struct p2b_batch *b, struct p2b_stats *st)
{
	unsigned nsent, nbad;
	int error;

	if (b->b_n == 0)
		return;
	error = shmif_bus_send(&bf->bf_bus, b->b_tf, b->b_n, o->o_sender,
	    &nsent, &nbad);
	if (error != SHMIF_OK)
		errx(1, "`%s': %s", o->o_bus, shmif_strerror(error));
	st->s_sent += nsent;
	b->b_n = 0;
	error = busfile_wakeup(bf);
	if (error != 0) {
		errno = error;
		err(1, "Can't write wakeup to bus file `%s'", o->o_bus);
	}
}

/* => true if the record can go on the bus; warns and counts if not. */
static bool
frame_ok(const struct p2b_opts *o, const struct capture_rec *rec,
    struct p2b_stats *st)
{
	uint64_t bad = st->s_skipped + st->s_truncated;

	switch (capture_check(rec)) {
	case CAPTURE_FRAME:
		return true;
	case CAPTURE_TRUNCATED:
		if (bad < WARN_MAX)
			warnx("`%s': frame %" PRIu64 " captured %u of %u "
			    "bytes, skipped", o->o_pcap, st->s_read,
			    rec->cr_caplen, rec->cr_len);
		st->s_truncated++;
		return false;
	case CAPTURE_BADLEN:
		break;
	}
	if (bad < WARN_MAX)
		warnx("`%s': frame %" PRIu64 " is %u bytes, outside "
		    "%u..%u, skipped", o->o_pcap, st->s_read, rec->cr_len,
		    SHMIF_FRAME_MIN, SHMIF_FRAME_MAX);
	st->s_skipped++;
	return false;
}

static void
add_frame(const struct p2b_opts *o, struct p2b_batch *b,
    const struct capture_rec *rec)
{
	unsigned i = b->b_n++;
	uint64_t t;

	memcpy(b->b_buf[i], rec->cr_data, rec->cr_len);
	b->b_seg[i] = (struct shmif_seg){ b->b_buf[i], rec->cr_len };
	b->b_tf[i] = (struct shmif_txframe){ &b->b_seg[i], 1, rec->cr_sec,
	    rec->cr_usec };
	if (o->o_now) {
		t = now_ns(CLOCK_REALTIME) / 1000;
		b->b_tf[i].tf_sec = (uint32_t)(t / 1000000);
		b->b_tf[i].tf_usec = (uint32_t)(t % 1000000);
	}
}

/* One pass over the capture. */
static void
play(const struct p2b_opts *o, struct busfile *bf, struct p2b_batch *b,
    struct p2b_stats *st, uint64_t start)
{
	struct capture_rec rec;
	struct capture c;
	int rv = 0;

	if (capture_open_path(&c, o->o_pcap) != 0)
		errx(1, "Can't read capture `%s': %s", o->o_pcap, c.c_err);
	while (!p2b_stop && (rv = capture_next(&c, &rec)) == 1) {
		st->s_read++;
		if (!frame_ok(o, &rec, st))
			continue;
		add_frame(o, b, &rec);
		if (b->b_n == o->o_batch) {
			pace(o, start, st->s_sent + b->b_n);
			send_batch(o, bf, b, st);
		}
	}
	if (!p2b_stop && rv == -1)
		errx(1, "`%s': %s", o->o_pcap, c.c_err);
	capture_close(&c);
	pace(o, start, st->s_sent + b->b_n);
	send_batch(o, bf, b, st);
}

int
main(int argc, char **argv)
{
	static struct p2b_batch batch;
	struct p2b_opts o;
	struct p2b_stats st;
	struct busfile bf;
	struct sigaction sa;
	uint64_t loop, start;

	parse_opts(&o, argc, argv);
	/* Stop between batches, never with the bus lock held. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = p2b_onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	busfile_attach(&bf, o.o_bus);
	memset(&st, 0, sizeof(st));
	start = now_ns(CLOCK_MONOTONIC);
	for (loop = 0; !p2b_stop && (o.o_loops == 0 || loop < o.o_loops);
	    loop++)
		play(&o, &bf, &batch, &st, start);
	busfile_close(&bf);

	if (st.s_skipped > 0)
		warnx("skipped %" PRIu64 " frames outside %u..%u bytes",
		    st.s_skipped, SHMIF_FRAME_MIN, SHMIF_FRAME_MAX);
	if (st.s_truncated > 0)
		warnx("skipped %" PRIu64 " frames truncated in the capture",
		    st.s_truncated);
	if (o.o_verbose)
		fprintf(stderr, "%s: wrote %" PRIu64 " frames to `%s' as "
		    "sender 0x%016" PRIx64 "\n", program_invocation_short_name,
		    st.s_sent, o.o_bus, o.o_sender);
	return 0;
}
