/*
 * shmif_extcap -- a Wireshark extcap program: every shmif bus file
 * appears as a capture interface in Wireshark, tshark and dumpcap.
 *
 *   shmif_extcap --extcap-interfaces
 *   shmif_extcap --extcap-interface IF --extcap-dlts
 *   shmif_extcap --extcap-interface IF --extcap-config
 *   shmif_extcap --extcap-interface IF --extcap-capture-filter EXPR
 *   shmif_extcap --extcap-interface IF --capture --fifo PATH
 *                [--bus FILE] [--filter EXPR] [--history]
 *                [--extcap-capture-filter EXPR]
 *
 * Interfaces: "shmif" (the bus file is chosen in the interface's
 * options) and "shmif-NAME" for every bus file found in the bus
 * directory (RUMPNET_BUSDIR; by default $XDG_RUNTIME_DIR/rumpnet, or
 * /tmp/rumpnet-UID without XDG_RUNTIME_DIR), in its subdirectories one
 * level down, and in RUMPNET_BUSES (file names separated by ':').  A
 * file is a bus if it starts with the bus magic.  NAME is the path below
 * the bus directory (or the file's base name) without ".bus", with '/'
 * turned into '-'.
 *
 * The capture itself is shmif_dumpbus in follow mode writing a pcap to
 * the fifo Wireshark gave (run as a child that gets our SIGTERM; a
 * closed fifo ends it as it ends any shmif_dumpbus -f): the frame
 * handling, locking and filters are that program's.  RUMPNET_DUMPBUS
 * names another shmif_dumpbus (tests use the one in the build tree).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "shmif/shmif_bus.h"

#ifndef SHMIF_DUMPBUS_PATH
#define SHMIF_DUMPBUS_PATH	"shmif_dumpbus"
#endif

#define EXTCAP_PREFIX	"shmif"
#define MAXBUSES	256

/* A bus found for --extcap-interfaces. */
struct busent {
	char	be_value[NAME_MAX + 8];	/* interface name: shmif-NAME */
	char	be_path[PATH_MAX];
};

struct buslist {
	struct busent	bl_bus[MAXBUSES];
	unsigned	bl_n;
};

enum extcap_op {
	OP_NONE,
	OP_INTERFACES,
	OP_VERSION,
	OP_DLTS,
	OP_CONFIG,
	OP_CAPTURE,
};

struct extcap_opts {
	enum extcap_op	 o_op;
	const char	*o_iface;	/* --extcap-interface */
	const char	*o_fifo;	/* --fifo */
	const char	*o_bus;		/* --bus */
	const char	*o_filter;	/* --filter */
	const char	*o_capfilter;	/* --extcap-capture-filter */
	bool		 o_history;	/* --history */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "Usage: shmif_extcap --extcap-interfaces\n"
	    "       shmif_extcap --extcap-interface IF --extcap-dlts\n"
	    "       shmif_extcap --extcap-interface IF --extcap-config\n"
	    "       shmif_extcap --extcap-interface IF --capture --fifo PATH\n"
	    "                    [--bus FILE] [--filter EXPR] [--history]\n"
	    "                    [--extcap-capture-filter EXPR]\n"
	    "(a Wireshark extcap program: see shmif_extcap(1))\n");
	exit(1);
}

/* ------------------------------------------------------- bus discovery */

/* The bus directory: RUMPNET_BUSDIR, $XDG_RUNTIME_DIR/rumpnet, or
 * /tmp/rumpnet-UID. */
static void
busdir(char *buf, size_t len)
{
	const char *d = getenv("RUMPNET_BUSDIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (d != NULL && *d != '\0')
		snprintf(buf, len, "%s", d);
	else if (xdg != NULL && *xdg != '\0')
		snprintf(buf, len, "%s/rumpnet", xdg);
	else
		snprintf(buf, len, "/tmp/rumpnet-%u", (unsigned)getuid());
}

/* A regular file that starts with the bus magic (an initialised bus). */
static bool
is_bus(const char *path)
{
	struct stat st;
	uint32_t magic;
	bool ok = false;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, &magic, sizeof(magic)) == (ssize_t)sizeof(magic))
		ok = magic == SHMIF_MAGIC;
	close(fd);
	return ok;
}

/* "shmif-" + name without ".bus", '/' as '-', odd characters as '_'. */
static void
bus_value(char *buf, size_t len, const char *name)
{
	size_t n = strlen(name), o;

	if (n > 4 && strcmp(name + n - 4, ".bus") == 0)
		n -= 4;
	o = (size_t)snprintf(buf, len, "%s-", EXTCAP_PREFIX);
	for (size_t i = 0; i < n && o + 1 < len; i++) {
		char c = name[i];

		if (c == '/')
			c = '-';
		else if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '_' &&
		    c != '-')
			c = '_';
		buf[o++] = c;
	}
	buf[o] = '\0';
}

/* Add a bus under a name; the first bus with a given name wins. */
static void
buslist_add(struct buslist *bl, const char *name, const char *path)
{
	struct busent *be;
	char value[sizeof(be->be_value)];

	if (bl->bl_n >= MAXBUSES || strlen(path) >= sizeof(be->be_path))
		return;
	bus_value(value, sizeof(value), name);
	for (unsigned i = 0; i < bl->bl_n; i++)
		if (strcmp(bl->bl_bus[i].be_value, value) == 0)
			return;
	be = &bl->bl_bus[bl->bl_n++];
	memcpy(be->be_value, value, sizeof(value));
	snprintf(be->be_path, sizeof(be->be_path), "%s", path);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The bus files of dir (names sorted, so the list is stable), and those
 * of its subdirectories while depth > 0.  rel is dir's path below the
 * bus directory ("" at the top).
 */
static void
scan_dir(struct buslist *bl, const char *dir, const char *rel, int depth)
{
	char *names[MAXBUSES];
	unsigned n = 0;
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < MAXBUSES) {
		if (de->d_name[0] == '.')
			continue;
		if ((names[n] = strdup(de->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (unsigned i = 0; i < n; i++) {
		char path[PATH_MAX], name[PATH_MAX];
		struct stat st;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) < sizeof(path) &&
		    (size_t)snprintf(name, sizeof(name), "%s%s%s", rel,
		    *rel ? "/" : "", names[i]) < sizeof(name) &&
		    stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && depth > 0)
				scan_dir(bl, path, name, depth - 1);
			else if (is_bus(path))
				buslist_add(bl, name, path);
		}
		free(names[i]);
	}
}

static void
buslist_collect(struct buslist *bl)
{
	char dir[PATH_MAX];
	const char *env = getenv("RUMPNET_BUSES");

	bl->bl_n = 0;
	busdir(dir, sizeof(dir));
	scan_dir(bl, dir, "", 1);
	if (env != NULL) {
		char *list = strdup(env), *save = NULL;

		for (char *p = list == NULL ? NULL : strtok_r(list, ":", &save);
		    p != NULL; p = strtok_r(NULL, ":", &save)) {
			const char *base = strrchr(p, '/');

			if (is_bus(p))
				buslist_add(bl, base != NULL ? base + 1 : p, p);
		}
		free(list);
	}
}

/* The bus behind an interface name, or NULL ("shmif" or unknown). */
static const char *
buslist_find(const struct buslist *bl, const char *iface)
{
	for (unsigned i = 0; i < bl->bl_n; i++)
		if (strcmp(bl->bl_bus[i].be_value, iface) == 0)
			return bl->bl_bus[i].be_path;
	return NULL;
}

/* ------------------------------------------------------------- queries */

static void
print_version(void)
{
	printf("extcap {version=%s}{help=man:shmif_extcap(1)}\n",
	    PACKAGE_VERSION);
}

static void
print_interfaces(const struct buslist *bl)
{
	print_version();
	printf("interface {value=%s}{display=rumpnet shmif bus "
	    "(choose the file in the options)}\n", EXTCAP_PREFIX);
	for (unsigned i = 0; i < bl->bl_n; i++)
		printf("interface {value=%s}{display=rumpnet shmif bus %s}\n",
		    bl->bl_bus[i].be_value, bl->bl_bus[i].be_path);
}

static void
print_dlts(void)
{
	printf("dlt {number=%d}{name=EN10MB}{display=Ethernet}\n", DLT_EN10MB);
}

static void
print_config(const char *path)
{
	printf("arg {number=0}{call=--bus}{display=Bus file}"
	    "{type=fileselect}{mustexist=true}%s%s%s"
	    "{tooltip=The shmif bus file to capture}\n",
	    path != NULL ? "{default=" : "", path != NULL ? path : "",
	    path != NULL ? "}" : "");
	printf("arg {number=1}{call=--filter}{display=Bus filter}"
	    "{type=string}{tooltip=A libpcap filter expression applied "
	    "by shmif_dumpbus, as well as any capture filter}\n");
	printf("arg {number=2}{call=--history}{display=Include the frames "
	    "already on the bus}{type=boolflag}{default=false}"
	    "{tooltip=Start with the frames the bus still holds}\n");
}

/* Check a filter expression for Ethernet; print the error, if any, on
 * errfp (stdout for extcap filter validation).  => true if valid. */
static bool
filter_ok(const char *expr, FILE *errfp)
{
	struct bpf_program prog;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	bool ok;

	if (p == NULL)
		return false;
	ok = pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
	if (ok)
		pcap_freecode(&prog);
	else
		fprintf(errfp, "%s\n", pcap_geterr(p));
	pcap_close(p);
	return ok;
}

/* ------------------------------------------------------------- capture */

static volatile sig_atomic_t child_pid;

/* SIGTERM/SIGINT from Wireshark: pass it on to shmif_dumpbus. */
static void
forward_signal(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/*
 * Run argv (shmif_dumpbus) with its standard error in a pipe, pass our
 * stop signals on, and wait.  Its final report ("N frames read ...") is
 * normal output that Wireshark would show as an error, so what it wrote
 * is repeated on our standard error only if it failed.
 * => our exit status.
 */
static int
run_dumpbus(const char *const *argv)
{
	struct sigaction sa;
	char msg[4096];
	size_t len = 0;
	int pfd[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(pfd) == -1) {
		fprintf(stderr, "shmif_extcap: pipe: %s\n", strerror(errno));
		return 1;
	}
	if ((pid = fork()) == -1) {
		fprintf(stderr, "shmif_extcap: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[1]);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "shmif_extcap: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	child_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	for (;;) {
		n = read(pfd[0], msg + len, sizeof(msg) - 1 - len);
		if (n > 0) {
			len += (size_t)n;
			if (len == sizeof(msg) - 1)	/* keep the start */
				len = sizeof(msg) - 2;
		} else if (n == 0 || errno != EINTR)
			break;
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	msg[len] = '\0';
	fputs(msg, stderr);
	if (WIFSIGNALED(status))
		fprintf(stderr, "shmif_extcap: %s killed by signal %d\n",
		    argv[0], WTERMSIG(status));
	return 1;
}

/* Capture: shmif_dumpbus -f on the bus, writing a pcap into the fifo. */
static int
capture(const struct extcap_opts *o, const struct buslist *bl)
{
	const char *bus = o->o_bus, *prog = getenv("RUMPNET_DUMPBUS");
	char *expr = NULL;
	const char *argv[10];
	int argc = 0, rv;

	if (o->o_fifo == NULL) {
		fprintf(stderr, "shmif_extcap: --capture needs --fifo\n");
		return 1;
	}
	if ((bus == NULL || *bus == '\0') && o->o_iface != NULL)
		bus = buslist_find(bl, o->o_iface);
	if (bus == NULL || *bus == '\0') {
		fprintf(stderr, "shmif_extcap: interface %s: no bus file "
		    "(set one with --bus)\n", o->o_iface ? o->o_iface : "?");
		return 1;
	}
	if (!is_bus(bus)) {
		fprintf(stderr, "shmif_extcap: %s: not a shmif bus file\n",
		    bus);
		return 1;
	}
	if (o->o_filter != NULL && *o->o_filter != '\0' &&
	    o->o_capfilter != NULL && *o->o_capfilter != '\0') {
		size_t len = strlen(o->o_filter) + strlen(o->o_capfilter) + 16;

		if ((expr = malloc(len)) == NULL) {
			fprintf(stderr, "shmif_extcap: out of memory\n");
			return 1;
		}
		snprintf(expr, len, "(%s) and (%s)", o->o_filter,
		    o->o_capfilter);
	} else if (o->o_filter != NULL && *o->o_filter != '\0')
		expr = strdup(o->o_filter);
	else if (o->o_capfilter != NULL && *o->o_capfilter != '\0')
		expr = strdup(o->o_capfilter);

	if (prog == NULL || *prog == '\0')
		prog = access(SHMIF_DUMPBUS_PATH, X_OK) == 0 ?
		    SHMIF_DUMPBUS_PATH : "shmif_dumpbus";
	argv[argc++] = prog;
	argv[argc++] = "-f";
	if (!o->o_history)
		argv[argc++] = "-n";
	argv[argc++] = "-q";
	argv[argc++] = "-p";
	argv[argc++] = o->o_fifo;
	argv[argc++] = bus;
	if (expr != NULL)
		argv[argc++] = expr;
	argv[argc] = NULL;
	rv = run_dumpbus(argv);
	free(expr);
	return rv;
}

/* --------------------------------------------------------------- main */

enum {
	OPT_INTERFACES = 256, OPT_VERSION, OPT_DLTS, OPT_CONFIG, OPT_IFACE,
	OPT_CAPTURE, OPT_FIFO, OPT_CAPFILTER, OPT_CONTROL_IN, OPT_CONTROL_OUT,
	OPT_BUS, OPT_FILTER, OPT_HISTORY, OPT_DEBUG, OPT_DEBUG_FILE, OPT_HELP,
};

static const struct option longopts[] = {
	{ "extcap-interfaces", no_argument, NULL, OPT_INTERFACES },
	{ "extcap-version", optional_argument, NULL, OPT_VERSION },
	{ "extcap-dlts", no_argument, NULL, OPT_DLTS },
	{ "extcap-config", no_argument, NULL, OPT_CONFIG },
	{ "extcap-interface", required_argument, NULL, OPT_IFACE },
	{ "capture", no_argument, NULL, OPT_CAPTURE },
	{ "fifo", required_argument, NULL, OPT_FIFO },
	{ "extcap-capture-filter", required_argument, NULL, OPT_CAPFILTER },
	{ "extcap-control-in", required_argument, NULL, OPT_CONTROL_IN },
	{ "extcap-control-out", required_argument, NULL, OPT_CONTROL_OUT },
	{ "bus", required_argument, NULL, OPT_BUS },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "history", no_argument, NULL, OPT_HISTORY },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "debug-file", required_argument, NULL, OPT_DEBUG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Several query options may come together (Wireshark passes the
 * interface with each); the first one that is a query decides. */
static void
set_op(struct extcap_opts *o, enum extcap_op op)
{
	if (o->o_op == OP_NONE || op == OP_CAPTURE)
		o->o_op = op;
}

static void
parse_opts(struct extcap_opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INTERFACES: set_op(o, OP_INTERFACES); break;
		case OPT_VERSION: set_op(o, OP_VERSION); break;
		case OPT_DLTS: set_op(o, OP_DLTS); break;
		case OPT_CONFIG: set_op(o, OP_CONFIG); break;
		case OPT_CAPTURE: set_op(o, OP_CAPTURE); break;
		case OPT_IFACE: o->o_iface = optarg; break;
		case OPT_FIFO: o->o_fifo = optarg; break;
		case OPT_CAPFILTER: o->o_capfilter = optarg; break;
		case OPT_BUS: o->o_bus = optarg; break;
		case OPT_FILTER: o->o_filter = optarg; break;
		case OPT_HISTORY: o->o_history = true; break;
		case OPT_CONTROL_IN:	/* no controls: ignored */
		case OPT_CONTROL_OUT:
		case OPT_DEBUG:
		case OPT_DEBUG_FILE:
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* An interface this program offers (for the queries that name one). */
static bool
known_iface(const struct buslist *bl, const char *iface)
{
	return strcmp(iface, EXTCAP_PREFIX) == 0 ||
	    buslist_find(bl, iface) != NULL;
}

int
main(int argc, char **argv)
{
	static struct buslist bl;
	struct extcap_opts o;

	parse_opts(&o, argc, argv);
	buslist_collect(&bl);
	if ((o.o_op == OP_DLTS || o.o_op == OP_CONFIG) &&
	    (o.o_iface == NULL || !known_iface(&bl, o.o_iface))) {
		fprintf(stderr, "shmif_extcap: unknown interface '%s'\n",
		    o.o_iface ? o.o_iface : "");
		return 1;
	}
	switch (o.o_op) {
	case OP_INTERFACES:
		print_interfaces(&bl);
		return 0;
	case OP_VERSION:
		print_version();
		return 0;
	case OP_DLTS:
		print_dlts();
		return 0;
	case OP_CONFIG:
		print_config(buslist_find(&bl, o.o_iface));
		return 0;
	case OP_CAPTURE:
		if (o.o_filter != NULL && *o.o_filter != '\0' &&
		    !filter_ok(o.o_filter, stderr))
			return 1;
		return capture(&o, &bl);
	case OP_NONE:
		break;
	}
	/* Filter validation: --extcap-capture-filter alone. */
	if (o.o_capfilter != NULL) {
		(void)filter_ok(o.o_capfilter, stdout);
		return 0;
	}
	usage();
}
