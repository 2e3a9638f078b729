/*
 * rump_server -- boot a rumpnet kernel and serve it to librumpclient
 * programs (the rump.* tools) at a unix:// or loopback tcp:// URL.
 *
 *	rump_server [-sv] [-c ncpu] [-f file] [-l component]...
 *	    [-r total_ram] URL
 *
 * -c and -r are NetBSD's and accepted for its scripts' sake: they are
 * checked but change nothing (one kernel lock serves every CPU; memory
 * is not capped).  -m and -d (kernel modules, block devices) are
 * refused: this kernel has neither.  -f applies a configuration file.
 *
 * With -l options the kernel starts only the listed components (no
 * IPv6 without -lrumpnet_netinet6, as on NetBSD); without any, it
 * starts them all.
 *
 * Without -s the server detaches, but only once it accepts connections:
 * the parent waits on a pipe for the child's verdict and exits 0
 * silently, or prints the child's error and exits 1.  Scripts can
 * therefore run the next command right away and check that the server
 * printed nothing.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rumpnet/rump.h"
#include "tools/rump_server/rs_config.h"
#include "tools/rump_server/sp_server.h"

/*
 * Components accepted by -l, as rump_server's NetBSD namesake spells
 * them.  With at least one -l, only the listed optional components
 * start (rump_init_components()); with none, everything does.
 */
static const char *const rs_components[] = {
	"rumpnet", "rumpnet_net", "rumpnet_netinet", "rumpnet_netinet6",
	"rumpnet_shmif", "rumpnet_virtif", "rumpnet_sockin", "rumpdev",
	"rumpvfs",
};

/* Where start-up errors go: stderr, or the pipe to the waiting parent. */
static int rs_errfd = STDERR_FILENO;

static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
rs_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "rump_server: ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	n = (int)strlen(msg);
	if (n < (int)sizeof(msg) - 1)
		msg[n++] = '\n';
	(void)!write(rs_errfd, msg, (size_t)n);
	exit(1);
}

static void __attribute__((__noreturn__))
rs_usage(void)
{
	fprintf(stderr, "usage: rump_server [-sv] [-c ncpu] [-f file] "
	    "[-l component]... [-r total_ram] URL\n"
	    "  URL: unix://PATH or tcp://127.0.0.1:PORT\n");
	exit(1);
}

/*
 * NetBSD's -c ncpu and -r total_ram: a positive number (-r: bytes, with
 * an optional k, m or g suffix).  => 0 or -1.
 */
static int
rs_number_ok(const char *s, bool suffix)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || v == 0 || *s == '-')
		return -1;
	if (suffix && *end != '\0' && strchr("kKmMgG", *end) != NULL)
		end++;
	return *end == '\0' ? 0 : -1;
}

/* "rumpnet_shmif", "librumpnet_shmif.so": known?  => 0 or -1. */
static int
rs_component_ok(const char *arg)
{
	char name[64];
	size_t n;

	if (strncmp(arg, "lib", 3) == 0)
		arg += 3;
	n = strlen(arg);
	if (n > 3 && strcmp(arg + n - 3, ".so") == 0)
		n -= 3;
	if (n >= sizeof(name))
		return -1;
	memcpy(name, arg, n);
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(rs_components) /
	    sizeof(rs_components[0]); i++)
		if (strcmp(name, rs_components[i]) == 0)
			return 0;
	return -1;
}

/*
 * Fork; the parent waits for the child's verdict on a pipe: a single
 * NUL byte means "serving", anything else is an error message.
 * => in the child only.
 */
static void
rs_daemonise(void)
{
	char buf[1024];
	size_t len = 0;
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		rs_fail("pipe: %s", strerror(errno));
	if ((pid = fork()) < 0)
		rs_fail("fork: %s", strerror(errno));
	if (pid == 0) {
		/*
		 * Keep nothing of the caller's but stdin/out/err (closed once
		 * we serve): an inherited pipe would keep a reader waiting.
		 */
		close(pfd[0]);
		if (pfd[1] > STDERR_FILENO + 1)
			(void)close_range(STDERR_FILENO + 1,
			    (unsigned)pfd[1] - 1, 0);
		(void)close_range((unsigned)pfd[1] + 1, ~0u, 0);
		rs_errfd = pfd[1];
		if (setsid() < 0)
			rs_fail("setsid: %s", strerror(errno));
		return;
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
		if (len == sizeof(buf) - 1)
			break;
	}
	if (len >= 1 && buf[0] == '\0')
		exit(0);
	(void)waitpid(pid, &status, 0);
	if (len == 0) {
		fprintf(stderr, "rump_server: the server exited while "
		    "starting\n");
		exit(1);
	}
	(void)!write(STDERR_FILENO, buf, len);
	exit(1);
}

/* Tell the parent we are serving, and let go of the terminal. */
static void
rs_detach(int verbose)
{
	char ok = '\0';
	int fd;

	(void)!write(rs_errfd, &ok, 1);
	close(rs_errfd);
	rs_errfd = -1;
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (!verbose)
		dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

int
main(int argc, char **argv)
{
	struct sp_server srv;
	char err[256];
	int ch, foreground = 0, rv;
	/* The -l arguments, NULL-terminated; there are fewer than argc. */
	const char **comps;
	int ncomps = 0;
	/* -f: commands applied before the first client is served. */
	const char *cfgfile = NULL;

	if ((comps = calloc((size_t)argc + 1, sizeof(*comps))) == NULL)
		rs_fail("out of memory");

	memset(&srv, 0, sizeof(srv));
	while ((ch = getopt(argc, argv, "c:d:f:l:m:r:sv")) != -1) {
		switch (ch) {
		case 'c':
			if (rs_number_ok(optarg, false) != 0)
				rs_fail("-c %s: not a number of CPUs", optarg);
			break;
		case 'd':
			rs_fail("-d %s: this kernel has no block devices",
			    optarg);
		case 'f':
			cfgfile = optarg;
			break;
		case 'm':
			rs_fail("-m %s: this kernel has no loadable modules "
			    "(its components are chosen with -l)", optarg);
		case 'r':
			if (rs_number_ok(optarg, true) != 0)
				rs_fail("-r %s: not a memory size", optarg);
			break;
		case 'l':
			if (rs_component_ok(optarg) != 0)
				rs_fail("unknown component -l %s (known: "
				    "rumpnet rumpnet_net rumpnet_netinet "
				    "rumpnet_netinet6 rumpnet_shmif "
				    "rumpnet_virtif rumpnet_sockin rumpdev "
				    "rumpvfs)", optarg);
			comps[ncomps++] = optarg;
			break;
		case 's':
			foreground = 1;
			break;
		case 'v':
			srv.s_verbose = 1;
			/* The kernel's own notes too, as in NetBSD. */
			(void)setenv("RUMP_VERBOSE", "1", 1);
			break;
		default:
			rs_usage();
		}
	}
	if (argc - optind != 1)
		rs_usage();
	if (sp_url_parse(argv[optind], &srv.s_url, err, sizeof(err)) != 0)
		rs_fail("%s", err);

	if (!foreground)
		rs_daemonise();
	/* From here on we may be the child: errors go to the parent. */
	if (sp_server_signals() != 0)
		rs_fail("signals: %s", strerror(errno));
	if (sp_server_listen(&srv, err, sizeof(err)) != 0)
		rs_fail("%s", err);
	rv = ncomps > 0 ? rump_init_components(comps) : rump_init();
	if (rv != 0) {
		if (srv.s_url.u_unix)
			(void)unlink(srv.s_url.u_path);
		if (rv == EEXIST)
			rs_fail("-l rumpnet_sockin cannot be combined with "
			    "-l rumpnet_netinet or -l rumpnet_netinet6: both "
			    "would serve PF_INET sockets (sockin uses the "
			    "host's, the others the kernel's own TCP/IP)");
		rs_fail("rump_init: %s", strerror(rv));
	}
	free(comps);
	if (cfgfile != NULL && rs_config_file(cfgfile, err, sizeof(err)) != 0) {
		if (srv.s_url.u_unix)
			(void)unlink(srv.s_url.u_path);
		rs_fail("-f %s", err);
	}
	pthread_mutex_init(&srv.s_mtx, NULL);
	pthread_cond_init(&srv.s_cv, NULL);
	if (!foreground)
		rs_detach(srv.s_verbose);
	if (srv.s_verbose)
		fprintf(stderr, "rump_server: serving %s\n", argv[optind]);
	sp_server_run(&srv);
	return 0;
}
