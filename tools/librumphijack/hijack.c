/*
 * hijack.c -- librumphijack: with LD_PRELOAD, a program's sockets live
 * in the rump kernel named by RUMP_SERVER (rumphijack(3)).
 *
 * This file holds the configuration (RUMPHIJACK), start-up, the
 * descriptor map (hijack.h), the wrappers generated from
 * hijack_calls.def, and the hand-written socket and descriptor calls.
 * Waiting (poll, select, epoll) is in hijack_poll.c, fork and exec in
 * hijack_proc.c.
 */
#include "config.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rumpnet/rump_syscalls.h"
#include "rumpnet/rumpclient.h"
#include "tools/librumpclient/rumpclient_int.h"
#include "tools/librumphijack/hijack.h"

#define HJ_FD(ret, name, params, args) \
	ret (*hj_host_##name)(int, HJ_UNPAREN params);
#define HJ_FDW(ret, name, params, args, nosignal) \
	HJ_FD(ret, name, params, args)
#define HJ_OWN(ret, name, params) \
	ret (*hj_host_##name) params;
#include "tools/librumphijack/hijack_calls.def"
#undef HJ_FD
#undef HJ_FDW
#undef HJ_OWN

_Atomic int hj_fdmap[HJ_MAXFD];
_Atomic int hj_nrump;

/*
 * What the program asked for and what we could do.  Set once by
 * hj_init, read-only afterwards.
 */
enum hj_state {
	HJ_OFF,		/* RUMP_SERVER unset: everything on the host */
	HJ_ON,		/* hijacking */
	HJ_BROKEN,	/* server unreachable: hijacked calls fail */
};
static enum hj_state hj_state;
static int hj_brokenerr;		/* the errno they fail with */
static uint64_t hj_families;		/* bit per AF_* hijacked */

void
hj_say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "rumphijack: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	strncat(line, "\n", sizeof(line) - strlen(line) - 1);
	/* One write: threads and processes share the terminal. */
	(void)!HOST(write)(STDERR_FILENO, line, strlen(line));
}

void *
hj_dlnext(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		hj_say("the C library has no %s(): cannot go on", name);
		abort();
	}
	return p;
}

static void hj_forget_all(void);

/* ------------------------------------------------------ configuration */

/* Socket families by name, as RUMPHIJACK's socket= list spells them. */
static const struct {
	const char	*name;
	int		 af;
} hj_aftab[] = {
	{ "local",	AF_UNIX },
	{ "unix",	AF_UNIX },
	{ "inet",	AF_INET },
	{ "inet6",	AF_INET6 },
	{ "route",	AF_NETLINK },
	{ "packet",	AF_PACKET },
};
#define HJ_ALLFAMILIES	(~(uint64_t)0)

/* One socket= word: all, a family, or no<family>.  => 0 or -1. */
static int
hj_conf_family(const char *w, uint64_t *fams)
{
	bool no = strncmp(w, "no", 2) == 0;
	const char *name = no ? w + 2 : w;

	if (strcmp(w, "all") == 0) {
		*fams = HJ_ALLFAMILIES;
		return 0;
	}
	if (strcmp(w, "none") == 0) {
		*fams = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(hj_aftab) / sizeof(hj_aftab[0]); i++) {
		if (strcmp(name, hj_aftab[i].name) != 0)
			continue;
		if (no)
			*fams &= ~((uint64_t)1 << hj_aftab[i].af);
		else
			*fams |= (uint64_t)1 << hj_aftab[i].af;
		return 0;
	}
	return -1;
}

/*
 * Parse RUMPHIJACK: a comma list of key=value; socket= is a colon list
 * of families (see hj_conf_family).  path= and blanket= (file system
 * paths) are accepted and have no effect: this kernel has no file
 * systems.  => 0, or -1 after saying what is wrong.
 */
static int
hj_conf_parse(const char *spec, uint64_t *fams, bool *verbose)
{
	char buf[1024], *item, *save1, *save2;

	if (strlen(spec) >= sizeof(buf)) {
		hj_say("RUMPHIJACK is too long");
		return -1;
	}
	strcpy(buf, spec);
	for (item = strtok_r(buf, ",", &save1); item != NULL;
	    item = strtok_r(NULL, ",", &save1)) {
		char *val = strchr(item, '=');

		if (strcmp(item, "verbose") == 0) {
			*verbose = true;
			continue;
		}
		if (val == NULL) {
			hj_say("RUMPHIJACK: '%s' is not key=value", item);
			return -1;
		}
		*val++ = '\0';
		if (strcmp(item, "path") == 0 || strcmp(item, "blanket") == 0)
			continue;
		if (strcmp(item, "socket") != 0) {
			hj_say("RUMPHIJACK: unknown key '%s' (socket=, path=, "
			    "blanket=, verbose)", item);
			return -1;
		}
		*fams = 0;
		for (char *w = strtok_r(val, ":", &save2); w != NULL;
		    w = strtok_r(NULL, ":", &save2)) {
			if (hj_conf_family(w, fams) != 0) {
				hj_say("RUMPHIJACK: unknown socket family "
				    "'%s' (all, none, local, inet, inet6, "
				    "route, packet, or no<family>)", w);
				return -1;
			}
		}
	}
	return 0;
}

/* A short description of hj_families for messages. */
static const char *
hj_famstr(char *buf, size_t len)
{
	buf[0] = '\0';
	if (hj_families == HJ_ALLFAMILIES)
		return "all";
	if (hj_families == (HJ_ALLFAMILIES & ~((uint64_t)1 << AF_UNIX)))
		return "all:nolocal";
	for (size_t i = 0; i < sizeof(hj_aftab) / sizeof(hj_aftab[0]); i++) {
		if (i == 1 || !(hj_families & ((uint64_t)1 << hj_aftab[i].af)))
			continue;	/* "unix" is "local" again */
		if (buf[0] != '\0')
			strncat(buf, ":", len - strlen(buf) - 1);
		strncat(buf, hj_aftab[i].name, len - strlen(buf) - 1);
	}
	return buf[0] != '\0' ? buf : "none";
}

/*
 * Start-up: point librumpclient's host calls at the host, read the
 * configuration, take over what a previous program left across exec,
 * and connect, saying loudly when the hijack cannot take effect.  Runs
 * once, from our constructor or from an earlier socket() call (another
 * library's constructor may come first).
 */
static void
hj_init(void)
{
	const char *spec = getenv("RUMPHIJACK");
	const char *url = getenv("RUMP_SERVER");
	bool verbose = false;
	char fams[128];

	rc_host.ho_socket = HOST(socket);
	rc_host.ho_connect = dlsym(RTLD_NEXT, "connect");
	rc_host.ho_close = HOST(close);
	rc_host.ho_read = dlsym(RTLD_NEXT, "read");
	rc_host.ho_send = dlsym(RTLD_NEXT, "send");
	rc_host.ho_fcntl = (int (*)(int, int, int))HOST(fcntl);
	rc_host.ho_fork = HOST(fork);
	rc_newproc_hook = hj_forget_all;

	/* NetBSD's default: every family but local (X11 stays local). */
	hj_families = HJ_ALLFAMILIES & ~((uint64_t)1 << AF_UNIX);
	if (spec != NULL && hj_conf_parse(spec, &hj_families, &verbose) != 0) {
		hj_say("refusing to run with a RUMPHIJACK it does not "
		    "understand");
		_exit(1);
	}
	if (url == NULL || *url == '\0') {
		hj_state = HJ_OFF;
		hj_say("RUMP_SERVER is not set: nothing is hijacked, %s uses "
		    "the host's sockets", program_invocation_short_name);
		return;
	}
	hj_state = HJ_ON;
	hj_exec_restore();
	if (rumpclient_init() != 0) {
		hj_state = HJ_BROKEN;
		hj_brokenerr = errno;
		hj_say("cannot reach %s (%s): %s's sockets (%s) will fail "
		    "with that error instead of using the host", url,
		    strerror(hj_brokenerr), program_invocation_short_name,
		    hj_famstr(fams, sizeof(fams)));
		return;
	}
	if (verbose)
		hj_say("%s: sockets (%s) in the kernel at %s",
		    program_invocation_short_name,
		    hj_famstr(fams, sizeof(fams)), url);
}

static pthread_once_t hj_once = PTHREAD_ONCE_INIT;

__attribute__((__constructor__))
static void
hj_ctor(void)
{
	pthread_once(&hj_once, hj_init);
}

/* ----------------------------------------------------- descriptor map */

void
hj_map(int fd, int rfd)
{
	if (atomic_exchange(&hj_fdmap[fd], rfd + 1) == 0)
		atomic_fetch_add(&hj_nrump, 1);
}

int
hj_install(int rfd, bool cloexec)
{
	int fd, e;

	fd = open("/dev/null", O_RDWR | (cloexec ? O_CLOEXEC : 0));
	if (fd >= HJ_MAXFD) {
		HOST(close)(fd);
		fd = -1;
		errno = EMFILE;
	}
	if (fd < 0) {
		e = errno;
		(void)rump_sys_close(rfd);
		errno = e;
		return -1;
	}
	hj_map(fd, rfd);
	return fd;
}

int
hj_unmap_close(int fd)
{
	int rfd = atomic_exchange(&hj_fdmap[fd], 0) - 1;

	if (rfd < 0)
		return 0;
	atomic_fetch_sub(&hj_nrump, 1);
	hj_epoll_forget_fd(fd);
	return rump_sys_close(rfd);
}

/*
 * A fork() we did not see (the C library's daemon(), say): the rump
 * descriptors named the parent's kernel process, and the child gets a
 * new one.  Their placeholders stay, as plain /dev/null descriptors.
 */
static void
hj_forget_all(void)
{
	for (int fd = 0; fd < HJ_MAXFD; fd++)
		if (atomic_exchange(&hj_fdmap[fd], 0) != 0) {
			atomic_fetch_sub(&hj_nrump, 1);
			hj_epoll_forget_fd(fd);
		}
}

/* ------------------------------------------------ generated wrappers */

/*
 * A write to a rump socket failed with EPIPE: the host's kernel would
 * send SIGPIPE to the calling thread (unless MSG_NOSIGNAL), which ends
 * a program that neither ignores nor catches it.  errno survives a
 * handler.
 */
static void
hj_sigpipe(void)
{
	int error = errno;

	(void)pthread_kill(pthread_self(), SIGPIPE);
	errno = error;
}

/* A call that writes nothing is a write call that never signals. */
#define HJ_FD(ret, name, params, args)					\
	HJ_FDW(ret, name, params, args, 1)
#define HJ_FDW(ret, name, params, args, nosignal)			\
HJ_EXPORT ret								\
name(int fd, HJ_UNPAREN params)						\
{									\
	int rfd = hj_rumpfd(fd);					\
	ret rv;								\
									\
	if (rfd < 0)							\
		return HOST(name)(fd, HJ_UNPAREN args);			\
	rv = rump_sys_##name(rfd, HJ_UNPAREN args);			\
	if (rv == -1 && errno == EPIPE && !(nosignal))			\
		hj_sigpipe();						\
	return rv;							\
}
#define HJ_OWN(ret, name, params)
#include "tools/librumphijack/hijack_calls.def"
#undef HJ_FD
#undef HJ_FDW
#undef HJ_OWN

/* ------------------------------------------------------------ sockets */

static bool
hj_hijacked_family(int domain)
{
	return domain >= 0 && domain < 64 &&
	    (hj_families & ((uint64_t)1 << domain)) != 0;
}

HJ_EXPORT int
socket(int domain, int type, int protocol)
{
	int rfd;

	pthread_once(&hj_once, hj_init);
	if (hj_state == HJ_OFF || !hj_hijacked_family(domain))
		return HOST(socket)(domain, type, protocol);
	if (hj_state == HJ_BROKEN) {
		errno = hj_brokenerr;
		return -1;
	}
	if ((rfd = rump_sys_socket(domain, type, protocol)) < 0)
		return -1;
	return hj_install(rfd, (type & SOCK_CLOEXEC) != 0);
}

HJ_EXPORT int
accept4(int fd, struct sockaddr *addr, socklen_t *lenp, int flags)
{
	int rfd = hj_rumpfd(fd), nfd;

	if (rfd < 0)
		return HOST(accept4)(fd, addr, lenp, flags);
	if ((nfd = rump_sys_accept4(rfd, addr, lenp, flags)) < 0)
		return -1;
	return hj_install(nfd, (flags & SOCK_CLOEXEC) != 0);
}

HJ_EXPORT int
accept(int fd, struct sockaddr *addr, socklen_t *lenp)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(accept)(fd, addr, lenp);
	return accept4(fd, addr, lenp, 0);
}

/* Fortified reads: the buffer-size check, then the ordinary call. */
static void
hj_chk(size_t len, size_t buflen)
{
	if (len > buflen) {
		hj_say("buffer overflow detected");
		abort();
	}
}

HJ_EXPORT ssize_t
__read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(__read_chk)(fd, buf, len, buflen);
	hj_chk(len, buflen);
	return read(fd, buf, len);
}

HJ_EXPORT ssize_t
__recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(__recv_chk)(fd, buf, len, buflen, flags);
	hj_chk(len, buflen);
	return recv(fd, buf, len, flags);
}

HJ_EXPORT ssize_t
__recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
    struct sockaddr *from, socklen_t *fromlenp)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(__recvfrom_chk)(fd, buf, len, buflen, flags, from,
		    fromlenp);
	hj_chk(len, buflen);
	return recvfrom(fd, buf, len, flags, from, fromlenp);
}

/* -------------------------------------------------------- descriptors */

HJ_EXPORT int
close(int fd)
{
	int error = 0;

	/* Not the program's: programs that close every descriptor above
	 * 2 must not cut us off. */
	if (rc_is_connfd(fd)) {
		errno = EBADF;
		return -1;
	}

	if (hj_rumpfd(fd) >= 0 && hj_unmap_close(fd) < 0)
		error = errno;
	hj_epoll_forget_set(fd);
	if (HOST(close)(fd) < 0)
		return -1;
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/*
 * A new number newfd (made on the host by the caller, from fd's
 * placeholder) for fd's rump descriptor.  => newfd, or -1 with errno
 * (newfd closed again).
 */
static int
hj_dup_to(int fd, int newfd)
{
	int rnew, e;

	if (newfd < 0)
		return -1;
	if ((rnew = rump_sys_dup(hj_rumpfd(fd))) < 0 || newfd >= HJ_MAXFD) {
		e = rnew < 0 ? errno : EMFILE;
		if (rnew >= 0)
			(void)rump_sys_close(rnew);
		HOST(close)(newfd);
		errno = e;
		return -1;
	}
	hj_map(newfd, rnew);
	return newfd;
}

HJ_EXPORT int
dup(int fd)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(dup)(fd);
	return hj_dup_to(fd, HOST(dup)(fd));
}

HJ_EXPORT int
dup3(int fd, int newfd, int flags)
{
	if (fd == newfd || newfd < 0)
		return HOST(dup3)(fd, newfd, flags);	/* its errors */
	/* A bad fd leaves newfd alone (the placeholder check covers
	 * rump descriptors too). */
	if (HOST(fcntl)(fd, F_GETFD) < 0)
		return -1;
	/* Whatever newfd was goes, as dup2 closes it. */
	if (hj_rumpfd(newfd) >= 0)
		(void)hj_unmap_close(newfd);
	hj_epoll_forget_set(newfd);
	if (hj_rumpfd(fd) < 0)
		return HOST(dup3)(fd, newfd, flags);
	return hj_dup_to(fd, HOST(dup3)(fd, newfd, flags));
}

HJ_EXPORT int
dup2(int fd, int newfd)
{
	if (fd == newfd)
		return HOST(dup2)(fd, newfd);	/* EBADF or newfd */
	return dup3(fd, newfd, 0);
}

HJ_EXPORT int
fcntl(int fd, int cmd, ...)
{
	int rfd = hj_rumpfd(fd);
	unsigned long arg;
	va_list ap;

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);	/* as glibc does */
	va_end(ap);
	if (rfd < 0)
		return HOST(fcntl)(fd, cmd, arg);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return hj_dup_to(fd, HOST(fcntl)(fd, cmd, arg));
	case F_GETFD:
		return HOST(fcntl)(fd, cmd);
	case F_SETFD:
		/* The placeholder's flag is what exec acts on. */
		if (HOST(fcntl)(fd, cmd, arg) < 0)
			return -1;
		return rump_sys_fcntl(rfd, cmd, (int)arg);
	default:
		return rump_sys_fcntl(rfd, cmd, (int)arg);
	}
}

HJ_EXPORT int
ioctl(int fd, unsigned long request, ...)
{
	int rfd = hj_rumpfd(fd);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (rfd < 0)
		return HOST(ioctl)(fd, request, arg);
	return rump_sys_ioctl(rfd, request, arg);
}
