/*
 * shmif_dumpbus -- print the frames on a shmif bus, write them to a pcap
 * or pcapng file, and optionally follow the bus live.
 *
 *   shmif_dumpbus [-fhnq] [-c count] [-P pcapngfile] [-p pcapfile]
 *                 buspath [expression]
 *
 * Without -f the bus file is read once, without locking, as a post-mortem
 * tool: the frames from the oldest intact record through the one at
 * shm_last, in ring order.  With -f it attaches as a node (creating the
 * file if needed), copies the bus under the lock, dumps that copy, then
 * streams new frames with a reader cursor, holding the lock only to copy
 * a bounded batch and sleeping on the wakeup watch in between.
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser/rumpuser.h"
#include "shmif/shmif_bus.h"
#include "tools/shmif_dumpbus/busfile.h"
#include "tools/shmif_dumpbus/dumpbus_out.h"

#define FOLLOW_BATCH	64	/* frames copied per lock hold */
#define FOLLOW_WAIT_MS	100	/* wakeup wait; bounds signal latency */

struct dumpbus_opts {
	const char *o_bus;
	const char *o_capture;		/* -p / -P path */
	enum dumpbus_fmt o_fmt;
	char	*o_expr;		/* filter expression or NULL */
	uint64_t o_count;		/* -c; 0 = unlimited */
	bool	o_header;		/* -h */
	bool	o_follow;		/* -f */
	bool	o_newonly;		/* -n */
	bool	o_quiet;		/* -q */
};

/* Totals reported when following. */
struct dumpbus_stats {
	uint64_t ds_shown;		/* frames written out */
	uint64_t ds_read;		/* frames read from the bus */
	uint64_t ds_lost;		/* lost and overruns reported so far */
	uint64_t ds_overruns;
	uint64_t ds_reported;		/* when, in ms; 0 = never */
};

static volatile sig_atomic_t dumpbus_stop;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "Usage: %s [-fhnq] [-c count] [-P pcapngfile] "
	    "[-p pcapfile] buspath [expression]\n",
	    program_invocation_short_name);
	exit(1);
}

static void
dumpbus_onsignal(int sig)
{
	(void)sig;
	dumpbus_stop = 1;
}

static uint64_t
parse_count(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || s[0] == '-')
		errx(1, "invalid count `%s': want a positive integer", s);
	return v;
}

/* Join the operands after the bus path into one filter expression. */
static char *
join_expr(int argc, char **argv)
{
	size_t len = 0;
	char *expr;
	int i;

	if (argc == 0)
		return NULL;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	expr = malloc(len);
	if (expr == NULL)
		err(1, "malloc");
	expr[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strcat(expr, " ");
		strcat(expr, argv[i]);
	}
	return expr;
}

static void
parse_opts(struct dumpbus_opts *o, int argc, char **argv)
{
	int ch;

	memset(o, 0, sizeof(*o));
	opterr = 0;	/* our own message, named after the program */
	while ((ch = getopt(argc, argv, "c:fhnP:p:q")) != -1) {
		switch (ch) {
		case 'c':
			o->o_count = parse_count(optarg);
			break;
		case 'f':
			o->o_follow = true;
			break;
		case 'h':
			o->o_header = true;
			break;
		case 'n':
			o->o_newonly = o->o_follow = true;
			break;
		case 'P':
		case 'p':
			if (o->o_fmt != DUMPBUS_NONE) {
				warnx("only one capture file (-p or -P)");
				usage();
			}
			o->o_fmt = ch == 'p' ? DUMPBUS_PCAP : DUMPBUS_PCAPNG;
			o->o_capture = optarg;
			break;
		case 'q':
			o->o_quiet = true;
			break;
		default:
			if (optopt != 0 && strchr("c:fhnP:p:q", optopt) != NULL)
				warnx("option -%c needs an argument", optopt);
			else
				warnx("unknown option -%c", optopt);
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	o->o_bus = argv[0];
	o->o_expr = join_expr(argc - 1, argv + 1);
}

/* ------------------------------------------------------------ the image */

/*
 * Read the bus file into memory: a private copy is what the view
 * parser walks, so a writer changing the file cannot make it read
 * outside the buffer.  At most one bus worth is read.
 */
static uint8_t *
load_image(const char *path, size_t *lenp)
{
	struct stat st;
	uint8_t *img;
	size_t len, done = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		err(1, "Can't open bus file `%s'", path);
	if (fstat(fd, &st) == -1)
		err(1, "Can't stat bus file `%s'", path);
	len = st.st_size < (off_t)SHMIF_BUSSIZE ? (size_t)st.st_size :
	    SHMIF_BUSSIZE;
	img = malloc(len > 0 ? len : 1);
	if (img == NULL)
		err(1, "malloc");
	while (done < len) {
		n = read(fd, img + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(1, "Can't read bus file `%s'", path);
		if (n == 0)
			break;		/* shrank under us */
		done += (size_t)n;
	}
	close(fd);
	*lenp = done;
	return img;
}

/* Open a view on the image or exit with a message naming the file. */
static void
open_view(struct shmif_view *sv, const char *path, const uint8_t *img,
    size_t len)
{
	int error;

	error = shmif_view_open(sv, img, len);
	switch (error) {
	case SHMIF_OK:
		return;
	case SHMIF_ENOTBUS:
		errx(1, "`%s' not a shmif bus: bad magic 0x%x != 0x%x", path,
		    sv->sv_magic, SHMIF_MAGIC);
	case SHMIF_EVERSION:
		errx(1, "`%s': Unhandled bus version %u, program %d", path,
		    sv->sv_version, SHMIF_VERSION);
	case SHMIF_ETRUNC:
		errx(1, "`%s': truncated bus file: %zu bytes, a bus has %u",
		    path, len, SHMIF_BUSSIZE);
	case SHMIF_EOFFSET:
		errx(1, "`%s': corrupt bus header: firstoff 0x%x, lastoff "
		    "0x%x, data area 0x%x bytes", path, sv->sv_first,
		    sv->sv_last, SHMIF_DATASIZE);
	default:
		errx(1, "`%s': %s", path, shmif_strerror(error));
	}
}

static void
print_header(FILE *fp, const struct shmif_view *sv)
{
	if (fp == NULL)
		return;
	fprintf(fp, "bus version %u, lock: %u, generation: %" PRIu64
	    ", firstoff: 0x%04x, lastoff: 0x%04x", sv->sv_version,
	    sv->sv_lock, sv->sv_gen, sv->sv_first, sv->sv_last);
	/* NetBSD's line, plus the holder when one is recorded. */
	if (sv->sv_holder != 0)
		fprintf(fp, ", holder: pid %u", sv->sv_holder);
	fputc('\n', fp);
}

static bool
count_reached(const struct dumpbus_opts *o, const struct dumpbus_stats *ds)
{
	return o->o_count != 0 && ds->ds_shown >= o->o_count;
}

/* Stop on a write error; a reader that went away is a normal end. */
static bool
check_output(struct dumpbus_out *out)
{
	int error = dumpbus_out_flush(out);

	if (error == 0)
		return true;
	if (error == EPIPE)
		return false;
	errno = error;
	err(1, "write");
}

/* Dump the records of the image in ring order. */
static void
dump_view(const struct dumpbus_opts *o, struct shmif_view *sv,
    struct dumpbus_out *out, struct dumpbus_stats *ds)
{
	uint8_t buf[SHMIF_FRAME_MAX];
	struct shmif_viewpkt vp;
	struct dumpbus_frame df;

	while (!count_reached(o, ds) && shmif_view_next(sv, &vp)) {
		shmif_view_copy(sv, &vp, buf);
		df = (struct dumpbus_frame){
			.df_data = buf, .df_len = vp.vp_len,
			.df_off = vp.vp_dataoff, .df_sec = vp.vp_sec,
			.df_usec = vp.vp_usec, .df_sender = vp.vp_sender,
			.df_hassender = sv->sv_pkthdrsize == SHMIF_PKTHDRSIZE,
		};
		if (dumpbus_out_frame(out, &df))
			ds->ds_shown++;
	}
	if (sv->sv_error != SHMIF_OK) {
		(void)dumpbus_out_close(out);
		errx(1, "`%s': record at offset 0x%04x: %s", o->o_bus,
		    sv->sv_erroff, shmif_strerror(sv->sv_error));
	}
}

/* ---------------------------------------------------------- follow mode */

static void
follow_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dumpbus_onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Report frames lost since the last report: at once for the first loss,
 * then at most once a second (a reader that cannot keep up would resync
 * on nearly every batch), and once more at the end if any is pending.
 */
static void
follow_report_loss(const struct shmif_cursor *sc, struct dumpbus_stats *ds,
    bool final)
{
	uint64_t now;

	if (sc->sc_resyncs == ds->ds_overruns)
		return;
	now = mono_ms();
	if (!final && ds->ds_reported != 0 && now - ds->ds_reported < 1000)
		return;
	fprintf(stderr, "%s: lost %" PRIu64 " frames (reader overrun)\n",
	    program_invocation_short_name, sc->sc_lost - ds->ds_lost);
	ds->ds_overruns = sc->sc_resyncs;
	ds->ds_lost = sc->sc_lost;
	ds->ds_reported = now;
}

/* Copy out and show one batch.  => false when it is time to stop. */
static bool
follow_batch(const struct dumpbus_opts *o, struct busfile *bf,
    struct shmif_cursor *sc, struct shmif_rxframe *rf,
    struct dumpbus_out *out, struct dumpbus_stats *ds, bool *idlep)
{
	struct dumpbus_frame df;
	unsigned n, i;
	int error;

	error = shmif_cursor_read(&bf->bf_bus, sc, rf, FOLLOW_BATCH, &n,
	    idlep);
	if (error != SHMIF_OK)
		errx(1, "`%s': %s", o->o_bus, shmif_strerror(error));
	follow_report_loss(sc, ds, false);
	for (i = 0; i < n && !count_reached(o, ds); i++) {
		ds->ds_read++;
		df = (struct dumpbus_frame){
			.df_data = rf[i].rf_buf, .df_len = rf[i].rf_len,
			.df_off = rf[i].rf_off, .df_sec = rf[i].rf_sec,
			.df_usec = rf[i].rf_usec, .df_sender = rf[i].rf_sender,
			.df_hassender = true,
		};
		if (dumpbus_out_frame(out, &df))
			ds->ds_shown++;
	}
	/* Flushed per batch: no frame waits in a buffer while we sleep. */
	if (n > 0 && !check_output(out))
		return false;
	return !count_reached(o, ds);
}

static void
follow(const struct dumpbus_opts *o, struct busfile *bf,
    struct shmif_cursor *sc, struct dumpbus_out *out,
    struct dumpbus_stats *ds)
{
	static uint8_t bufs[FOLLOW_BATCH][SHMIF_FRAME_MAX];
	struct shmif_rxframe rf[FOLLOW_BATCH];
	struct rumpuser_watch *w;
	bool idle;
	int error, i;

	for (i = 0; i < FOLLOW_BATCH; i++)
		rf[i].rf_buf = bufs[i];
	error = rumpuser_watch_setup(bf->bf_fd, &bf->bf_mem->shm_last, &w);
	if (error != 0) {
		errno = error;
		err(1, "Can't watch bus file `%s'", o->o_bus);
	}
	while (!dumpbus_stop) {
		if (!follow_batch(o, bf, sc, rf, out, ds, &idle))
			break;
		if (!idle)
			continue;
		if (dumpbus_out_gone(out))
			break;
		/*
		 * A write after the caught-up check leaves an event pending,
		 * so this cannot sleep through a frame (nor can a futex
		 * watch: shm_last moved on since the read, or the writer's
		 * wake comes); the timeout bounds how late a signal, or a
		 * frame from a writer that wakes no futex, is noticed.
		 */
		error = rumpuser_watch_wait(w, sc->sc_lastseen,
		    FOLLOW_WAIT_MS);
		if (error != 0 && error != ETIMEDOUT) {
			errno = error;
			err(1, "Can't wait on bus file `%s'", o->o_bus);
		}
	}
	rumpuser_watch_destroy(w);
}

/*
 * Attach, then snapshot the bus and position the cursor in one lock
 * hold: the snapshot ends exactly where the cursor starts, so following
 * neither repeats nor skips a frame.
 */
static uint8_t *
follow_attach(const struct dumpbus_opts *o, struct busfile *bf,
    struct shmif_cursor *sc)
{
	uint8_t *snap;

	busfile_attach(bf, o->o_bus);
	snap = malloc(SHMIF_BUSSIZE);
	if (snap == NULL)
		err(1, "malloc");
	shmif_bus_lock(&bf->bf_bus);
	memcpy(snap, bf->bf_mem, SHMIF_BUSSIZE);
	shmif_cursor_init_locked(bf->bf_mem, sc, SHMIF_START_NEW);
	shmif_bus_unlock(&bf->bf_bus);
	/* Show the header as it was, but with the lock word we held. */
	((struct shmif_mem *)snap)->shm_lock = 0;
	/* A NetBSD-created bus nobody sent on yet still says version 0. */
	if (((struct shmif_mem *)snap)->shm_version == 0)
		((struct shmif_mem *)snap)->shm_version = SHMIF_VERSION;
	return snap;
}

/* ------------------------------------------------------------------ main */

int
main(int argc, char **argv)
{
	struct dumpbus_opts o;
	struct dumpbus_out out;
	struct dumpbus_stats ds;
	struct shmif_cursor sc;
	struct shmif_view sv;
	struct busfile bf;
	uint8_t *img;
	size_t len;
	int error;

	parse_opts(&o, argc, argv);
	/* A closed output pipe is seen as EPIPE and ends the dump cleanly. */
	signal(SIGPIPE, SIG_IGN);

	if (o.o_follow && !o.o_header) {
		img = follow_attach(&o, &bf, &sc);
		len = SHMIF_BUSSIZE;
	} else
		img = load_image(o.o_bus, &len);
	open_view(&sv, o.o_bus, img, len);

	if (o.o_header) {
		print_header(o.o_fmt != DUMPBUS_NONE &&
		    strcmp(o.o_capture, "-") == 0 ? stderr : stdout, &sv);
		free(img);
		free(o.o_expr);
		return 0;
	}

	dumpbus_out_open(&out, o.o_fmt, o.o_capture, o.o_expr, o.o_quiet);
	memset(&ds, 0, sizeof(ds));
	print_header(dumpbus_out_textfp(&out), &sv);
	if (!o.o_newonly)
		dump_view(&o, &sv, &out, &ds);
	free(img);

	if (o.o_follow && !count_reached(&o, &ds) && check_output(&out)) {
		follow_signals();
		follow(&o, &bf, &sc, &out, &ds);
		follow_report_loss(&sc, &ds, true);
		fprintf(stderr, "%s: %" PRIu64 " frames read from the bus, %"
		    PRIu64 " lost in %" PRIu64 " overruns\n",
		    program_invocation_short_name, ds.ds_read, sc.sc_lost,
		    sc.sc_resyncs);
	}
	if (o.o_follow)
		busfile_close(&bf);

	error = dumpbus_out_close(&out);
	if (error != 0 && error != EPIPE) {
		errno = error;
		err(1, "write");
	}
	free(o.o_expr);
	return 0;
}
