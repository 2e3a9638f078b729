/*
 * test_sockin.c -- the sockin component in-process: a kernel booted with
 * rump_init_components({"rumpnet", "rumpnet_sockin"}) talks through the
 * public rump_sys_* calls to host sockets this test opens itself on
 * loopback.  Every test ends with no kernel memory and no mbuf in use.
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "rumpnet/rump.h"
#include "rumpnet/rump_syscalls.h"
#include "rumpuser/rumpuser.h"
#include "tests/unit/unit.h"

/*
 * The kernel's headers redefine byte-order helpers the host's socket
 * headers bring, so the few kernel calls used here are declared by hand.
 */
struct netstack;
struct netstack *rump_netstack(void);
bool netstack_module_running(const struct netstack *ns, const char *name);
uint64_t kmem_inuse(void);
uint64_t m_inuse(void);
#define MIN(a, b)	((a) < (b) ? (a) : (b))

static uint64_t kmem_at_start, mbufs_at_start;
static const char *const sockin_comps[] = {
	"rumpnet", "rumpnet_sockin", NULL
};

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	kmem_at_start = kmem_inuse();
	mbufs_at_start = m_inuse();
	ck_assert_int_eq(rump_init_components(sockin_comps), 0);
}

static void
teardown(void)
{
	rump_fini();
	ck_assert_uint_eq(m_inuse(), mbufs_at_start);
	ck_assert_uint_eq(kmem_inuse(), kmem_at_start);
}

#define CK_ERR(call, err) do {						\
	errno = 0;							\
	ck_assert_int_eq((int)(call), -1);				\
	ck_assert_int_eq(errno, (err));					\
} while (0)

/* A host socket listening on 127.0.0.1 (or ::1); its port in *portp. */
static int
host_listener(int family, int type, uint16_t *portp)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(family, type, 0);

	ck_assert_int_ge(fd, 0);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
		len = sizeof(*sin6);
	}
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	if (type == SOCK_STREAM)
		ck_assert_int_eq(listen(fd, 8), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*portp = ntohs(family == AF_INET ?
	    ((struct sockaddr_in *)&ss)->sin_port :
	    ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static struct sockaddr *
lo4(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return (struct sockaddr *)sin;
}

static struct sockaddr *
lo6(struct sockaddr_in6 *sin6, uint16_t port)
{
	memset(sin6, 0, sizeof(*sin6));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = in6addr_loopback;
	return (struct sockaddr *)sin6;
}

/* A port nobody listens on: bound, never listened, then closed. */
static uint16_t
dead_port(void)
{
	uint16_t port;
	int fd = host_listener(AF_INET, SOCK_DGRAM, &port);

	close(fd);
	return port;
}

/* Read exactly len bytes from a host socket. */
static void
host_readall(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
}

static void
fill(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 7 + seed + (i >> 9));
}

/* ------------------------------------------------------------- tests */

START_TEST(test_components)
{
	static const char *const both[] = {
		"rumpnet", "rumpnet_netinet", "rumpnet_sockin", NULL
	};
	static const char *const both6[] = {
		"rumpnet_sockin", "librumpnet_netinet6.so", NULL
	};

	/* The pair is refused before anything boots. */
	rump_fini();
	ck_assert_int_eq(rump_init_components(both), EEXIST);
	ck_assert_int_eq(rump_init_components(both6), EEXIST);
	ck_assert_ptr_null(rump_netstack());
	/* rump_init() leaves sockin out: the kernel's own stack. */
	ck_assert_int_eq(rump_init(), 0);
	ck_assert(!netstack_module_running(rump_netstack(), "sockin"));
	rump_fini();
	ck_assert_int_eq(rump_init_components(sockin_comps), 0);
	ck_assert(netstack_module_running(rump_netstack(), "sockin"));
	ck_assert(!netstack_module_running(rump_netstack(), "tcp"));
	ck_assert(!netstack_module_running(rump_netstack(), "ip6"));
	/* No raw access through sockin; no other protocols. */
	CK_ERR(rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP),
	    ESOCKTNOSUPPORT);
	CK_ERR(rump_sys_socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP),
	    EPROTONOSUPPORT);
}
END_TEST

START_TEST(test_tcp_to_host)
{
	static uint8_t out[300000], in[300000];
	struct sockaddr_in sin, got;
	socklen_t len = sizeof(got);
	uint16_t port;
	int l = host_listener(AF_INET, SOCK_STREAM, &port);
	int s, h, one = 1, v = 0;
	size_t done = 0;
	ssize_t n;

	s = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_msg(s >= 0, "socket: %s", strerror(errno));
	ck_assert_int_eq(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_NODELAY,
	    &one, sizeof(one)), 0);
	len = sizeof(v);
	ck_assert_int_eq(rump_sys_getsockopt(s, IPPROTO_TCP, TCP_NODELAY,
	    &v, &len), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(rump_sys_connect(s, lo4(&sin, port), sizeof(sin)),
	    0);
	h = accept(l, NULL, NULL);
	ck_assert_int_ge(h, 0);
	/* The kernel's names are the host's. */
	len = sizeof(got);
	ck_assert_int_eq(rump_sys_getpeername(s, (struct sockaddr *)&got,
	    &len), 0);
	ck_assert_uint_eq(ntohs(got.sin_port), port);
	len = sizeof(got);
	ck_assert_int_eq(rump_sys_getsockname(s, (struct sockaddr *)&got,
	    &len), 0);
	ck_assert_uint_eq(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

	/* Kernel to host: more than both buffers hold, so the kernel's
	 * send blocks until the host reads. */
	fill(out, sizeof(out), 1);
	ck_assert_int_eq(rump_sys_send(s, out, 1000, 0), 1000);
	host_readall(h, in, 1000);
	ck_assert_mem_eq(in, out, 1000);

	/* Host to kernel, with MSG_PEEK, FIONREAD and MSG_WAITALL. */
	fill(out, sizeof(out), 2);
	ck_assert_int_eq(write(h, out, 5000), 5000);
	n = rump_sys_recv(s, in, 10, MSG_PEEK | MSG_WAITALL);
	ck_assert_int_eq(n, 10);
	ck_assert_mem_eq(in, out, 10);
	n = rump_sys_recv(s, in, 5000, MSG_WAITALL);
	ck_assert_int_eq(n, 5000);
	ck_assert_mem_eq(in, out, 5000);
	CK_ERR(rump_sys_recv(s, in, 1, MSG_DONTWAIT), EAGAIN);
	ck_assert_int_eq(write(h, out, 77), 77);
	for (int i = 0; i < 200; i++) {
		int nread = 0;

		ck_assert_int_eq(rump_sys_ioctl(s, FIONREAD, &nread), 0);
		if (nread == 77)
			break;
		usleep(5000);
	}
	ck_assert_int_eq(rump_sys_recv(s, in, 100, 0), 77);

	/* End of stream both ways. */
	ck_assert_int_eq(rump_sys_shutdown(s, SHUT_WR), 0);
	ck_assert_int_eq(read(h, in, 1), 0);
	close(h);
	while ((n = rump_sys_recv(s, in, sizeof(in), 0)) > 0)
		done += (size_t)n;
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(done, 0);
	ck_assert_int_eq(rump_sys_close(s), 0);
	close(l);
}
END_TEST

/*
 * A kernel socket closed with unsent data still delivers all of it: the
 * host reads only when the kernel's send would block, so at the close
 * the kernel's buffer is full.
 */
START_TEST(test_tcp_close_flushes)
{
	static uint8_t out[1 << 20], in[1 << 20];
	struct sockaddr_in sin;
	uint16_t port;
	int l = host_listener(AF_INET, SOCK_STREAM, &port);
	int s, h;
	size_t off = 0, got = 0;
	ssize_t n;

	s = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(rump_sys_connect(s, lo4(&sin, port), sizeof(sin)),
	    0);
	h = accept(l, NULL, NULL);
	ck_assert_int_ge(h, 0);
	fill(out, sizeof(out), 3);
	while (off < sizeof(out)) {
		n = rump_sys_send(s, out + off, sizeof(out) - off,
		    MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		ck_assert_int_eq(errno, EAGAIN);
		n = recv(h, in + got, MIN(sizeof(in) - got, 4096u), 0);
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
	ck_assert_int_eq(rump_sys_close(s), 0);
	while ((n = read(h, in + got, sizeof(in) - got)) > 0)
		got += (size_t)n;
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(got, sizeof(out));
	ck_assert_mem_eq(in, out, got);
	close(h);
	close(l);
}
END_TEST

START_TEST(test_tcp_from_host)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct pollfd pfd;
	char buf[64];
	int l, h, a, one = 1;

	l = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(rump_sys_setsockopt(l, SOL_SOCKET, SO_REUSEADDR,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(rump_sys_bind(l, lo4(&sin, 0), sizeof(sin)), 0);
	ck_assert_int_eq(rump_sys_listen(l, 4), 0);
	ck_assert_int_eq(rump_sys_getsockname(l, (struct sockaddr *)&sin,
	    &len), 0);
	ck_assert_uint_ne(sin.sin_port, 0);
	pfd = (struct pollfd){ .fd = l, .events = POLLIN };
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 0), 0);

	h = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(h, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 5000), 1);
	a = rump_sys_accept(l, NULL, NULL);
	ck_assert_int_ge(a, 0);
	ck_assert_int_eq(write(h, "hello", 5), 5);
	ck_assert_int_eq(rump_sys_recv(a, buf, 5, MSG_WAITALL), 5);
	ck_assert_mem_eq(buf, "hello", 5);
	ck_assert_int_eq(rump_sys_send(a, "world!", 6, 0), 6);
	host_readall(h, buf, 6);
	ck_assert_mem_eq(buf, "world!", 6);
	close(h);
	ck_assert_int_eq(rump_sys_recv(a, buf, sizeof(buf), 0), 0);
	ck_assert_int_eq(rump_sys_close(a), 0);
	ck_assert_int_eq(rump_sys_close(l), 0);
}
END_TEST

START_TEST(test_tcp6)
{
	struct sockaddr_in6 sin6;
	char buf[16];
	uint16_t port;
	int l = host_listener(AF_INET6, SOCK_STREAM, &port);
	int s, h, v = 0;
	socklen_t len = sizeof(v);

	s = rump_sys_socket(AF_INET6, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	v = 1;
	ck_assert_int_eq(rump_sys_setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
	    &v, sizeof(v)), 0);
	v = 0;
	ck_assert_int_eq(rump_sys_getsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
	    &v, &len), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(rump_sys_connect(s, lo6(&sin6, port), sizeof(sin6)),
	    0);
	h = accept(l, NULL, NULL);
	ck_assert_int_ge(h, 0);
	ck_assert_int_eq(rump_sys_write(s, "six", 3), 3);
	host_readall(h, buf, 3);
	ck_assert_mem_eq(buf, "six", 3);
	close(h);
	ck_assert_int_eq(rump_sys_close(s), 0);
	close(l);
}
END_TEST

START_TEST(test_udp)
{
	struct sockaddr_in sin, from;
	socklen_t fromlen = sizeof(from);
	struct timeval tv = { .tv_sec = 5 };
	char buf[64];
	uint16_t port;
	int h = host_listener(AF_INET, SOCK_DGRAM, &port);
	int s;
	ssize_t n;

	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO,
	    &tv, sizeof(tv)), 0);
	ck_assert_int_eq(rump_sys_sendto(s, "ping", 4, 0,
	    lo4(&sin, port), sizeof(sin)), 4);
	n = recvfrom(h, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &fromlen);
	ck_assert_int_eq(n, 4);
	ck_assert_mem_eq(buf, "ping", 4);
	ck_assert_int_eq(sendto(h, "pong!", 5, 0, (struct sockaddr *)&from,
	    fromlen), 5);
	fromlen = sizeof(sin);
	memset(&sin, 0, sizeof(sin));
	n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
	    (struct sockaddr *)&sin, &fromlen);
	ck_assert_int_eq(n, 5);
	ck_assert_mem_eq(buf, "pong!", 5);
	ck_assert_uint_eq(ntohs(sin.sin_port), port);

	/* Connected UDP to a dead port: the host's ICMP error surfaces. */
	ck_assert_int_eq(rump_sys_connect(s, lo4(&sin, dead_port()),
	    sizeof(sin)), 0);
	ck_assert_int_eq(rump_sys_send(s, "x", 1, 0), 1);
	CK_ERR(rump_sys_recv(s, buf, sizeof(buf), 0), ECONNREFUSED);
	ck_assert_int_eq(rump_sys_close(s), 0);
	close(h);
}
END_TEST

START_TEST(test_connect_refused)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	socklen_t len;
	int s, err = 0;

	s = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	CK_ERR(rump_sys_connect(s, lo4(&sin, dead_port()), sizeof(sin)),
	    ECONNREFUSED);
	ck_assert_int_eq(rump_sys_close(s), 0);

	s = rump_sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	errno = 0;
	if (rump_sys_connect(s, lo4(&sin, dead_port()), sizeof(sin)) == -1 &&
	    errno == EINPROGRESS) {
		pfd = (struct pollfd){ .fd = s, .events = POLLOUT };
		ck_assert_int_eq(rump_sys_poll(&pfd, 1, 5000), 1);
		ck_assert(pfd.revents & POLLERR);
		len = sizeof(err);
		ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR,
		    &err, &len), 0);
	} else
		err = errno;
	ck_assert_int_eq(err, ECONNREFUSED);
	ck_assert_int_eq(rump_sys_close(s), 0);
}
END_TEST

/* The host runs out of descriptors: EMFILE, and the kernel carries on. */
START_TEST(test_emfile)
{
	struct rlimit old, low;
	int fds[64], n = 0, s, err = 0;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* The lowest free descriptor tells how many are open. */
	s = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(s, 0);
	low = old;
	low.rlim_cur = (rlim_t)s + 8;
	close(s);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	for (n = 0; n < 64; n++) {
		fds[n] = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
		if (fds[n] == -1) {
			err = errno;
			break;
		}
	}
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_int_eq(err, EMFILE);
	ck_assert_int_lt(n, 64);
	while (n-- > 0)
		ck_assert_int_eq(rump_sys_close(fds[n]), 0);
	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(rump_sys_close(s), 0);
}
END_TEST

static uint64_t
sockin_stat(const char *name)
{
	char full[96];
	uint64_t v = 0;
	size_t len = sizeof(v);

	snprintf(full, sizeof(full), "net.sockin.stats.%s", name);
	ck_assert_int_eq(rump_sys_sysctlbyname(full, &v, &len, NULL, 0), 0);
	return v;
}

/* The host socket behind a kernel socket: the one with the same name. */
static int
host_fd_of(int s)
{
	struct sockaddr_storage want, got;
	socklen_t wlen = sizeof(want), glen;

	ck_assert_int_eq(rump_sys_getsockname(s, (struct sockaddr *)&want,
	    &wlen), 0);
	for (int fd = 3; fd < 4096; fd++) {
		glen = sizeof(got);
		if (getsockname(fd, (struct sockaddr *)&got, &glen) == 0 &&
		    glen == wlen && memcmp(&got, &want, wlen) == 0)
			return fd;
	}
	ck_abort_msg("no host socket named like kernel socket %d", s);
	return -1;
}

static int
host_intopt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	ck_assert_int_eq(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

/* Options reach the host socket (this process holds it: in-process). */
START_TEST(test_options_forwarded)
{
	struct sockaddr_in sin;
	int s, h, one = 1, big = 200000;

	s = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_KEEPALIVE,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVBUF,
	    &big, sizeof(big)), 0);
	ck_assert_int_eq(rump_sys_setsockopt(s, IPPROTO_TCP, TCP_NODELAY,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(rump_sys_bind(s, lo4(&sin, 0), sizeof(sin)), 0);
	h = host_fd_of(s);
	ck_assert_int_eq(host_intopt(h, SOL_SOCKET, SO_REUSEADDR), 1);
	ck_assert_int_eq(host_intopt(h, SOL_SOCKET, SO_KEEPALIVE), 1);
	ck_assert_int_eq(host_intopt(h, IPPROTO_TCP, TCP_NODELAY), 1);
	/* Linux doubles the value it is given. */
	ck_assert_int_ge(host_intopt(h, SOL_SOCKET, SO_RCVBUF), big);
	/* The host socket never blocks the kernel. */
	ck_assert(fcntl(h, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(h, F_GETFD) & FD_CLOEXEC);
	/* Options of levels nobody forwards. */
	CK_ERR(rump_sys_setsockopt(s, 277, 1, &one, sizeof(one)),
	    ENOPROTOOPT);
	ck_assert_int_eq(rump_sys_close(s), 0);
}
END_TEST

/* A non-blocking connect that succeeds: POLLOUT, SO_ERROR 0. */
START_TEST(test_nbconnect)
{
	struct sockaddr_in sin;
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	uint16_t port;
	int l = host_listener(AF_INET, SOCK_STREAM, &port);
	int s, h, err = -1;
	char c;

	s = rump_sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(s, 0);
	errno = 0;
	if (rump_sys_connect(s, lo4(&sin, port), sizeof(sin)) == -1) {
		ck_assert_int_eq(errno, EINPROGRESS);
		/* Still in progress, or already finished by the poller. */
		ck_assert_int_eq(rump_sys_connect(s, lo4(&sin, port),
		    sizeof(sin)), -1);
		ck_assert(errno == EALREADY || errno == EISCONN);
	}
	pfd = (struct pollfd){ .fd = s, .events = POLLOUT };
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 5000), 1);
	ck_assert_int_eq(pfd.revents, POLLOUT);
	ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err,
	    &len), 0);
	ck_assert_int_eq(err, 0);
	CK_ERR(rump_sys_connect(s, lo4(&sin, port), sizeof(sin)), EISCONN);
	h = accept(l, NULL, NULL);
	ck_assert_int_ge(h, 0);
	/* Reads do not block either; data arrives later. */
	CK_ERR(rump_sys_recv(s, &c, 1, 0), EAGAIN);
	ck_assert_int_eq(write(h, "z", 1), 1);
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 5000), 1);
	ck_assert_int_eq(rump_sys_recv(s, &c, 1, 0), 1);
	ck_assert_int_eq(c, 'z');
	close(h);
	ck_assert_int_eq(rump_sys_close(s), 0);
	close(l);
}
END_TEST

/*
 * More host clients than the backlog: the extra connections wait in
 * the host's queue and are accepted once the kernel's queue has room;
 * none is lost.
 */
START_TEST(test_backlog)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int l, h[3], seen = 0;

	l = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(rump_sys_bind(l, lo4(&sin, 0), sizeof(sin)), 0);
	ck_assert_int_eq(rump_sys_listen(l, 1), 0);
	ck_assert_int_eq(rump_sys_getsockname(l, (struct sockaddr *)&sin,
	    &len), 0);
	for (int i = 0; i < 3; i++) {
		char c = (char)('a' + i);

		h[i] = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_eq(connect(h[i], (struct sockaddr *)&sin,
		    sizeof(sin)), 0);
		ck_assert_int_eq(write(h[i], &c, 1), 1);
	}
	/* The kernel's queue takes backlog + 1, as Linux's does. */
	usleep(200000);
	ck_assert_uint_eq(sockin_stat("accepted"), 2);
	for (int i = 0; i < 3; i++) {
		int a = rump_sys_accept(l, NULL, NULL);
		char c;

		ck_assert_int_ge(a, 0);
		ck_assert_int_eq(rump_sys_recv(a, &c, 1, 0), 1);
		ck_assert(c >= 'a' && c <= 'c');
		seen |= 1 << (c - 'a');
		ck_assert_int_eq(rump_sys_close(a), 0);
	}
	ck_assert_int_eq(seen, 7);
	ck_assert_uint_eq(sockin_stat("accepted"), 3);
	for (int i = 0; i < 3; i++)
		close(h[i]);
	ck_assert_int_eq(rump_sys_close(l), 0);
}
END_TEST

/* UDP over ::1: records, MSG_TRUNC, FIONREAD of the first record. */
START_TEST(test_udp6_records)
{
	static char big[3000];
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin6);
	struct pollfd pfd;
	char buf[100];
	int s, h, n = 0;

	s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(rump_sys_bind(s, lo6(&sin6, 0), sizeof(sin6)), 0);
	ck_assert_int_eq(rump_sys_getsockname(s, (struct sockaddr *)&sin6,
	    &len), 0);
	h = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(h, 0);
	memset(big, 'b', sizeof(big));
	ck_assert_int_eq(sendto(h, big, sizeof(big), 0,
	    (struct sockaddr *)&sin6, len), (int)sizeof(big));
	ck_assert_int_eq(sendto(h, "small", 5, 0, (struct sockaddr *)&sin6,
	    len), 5);
	pfd = (struct pollfd){ .fd = s, .events = POLLIN };
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 5000), 1);
	ck_assert_int_eq(rump_sys_ioctl(s, FIONREAD, &n), 0);
	ck_assert_int_eq(n, (int)sizeof(big));
	ck_assert_int_eq(rump_sys_recv(s, buf, sizeof(buf), MSG_TRUNC),
	    (int)sizeof(big));
	for (int i = 0; i < 200; i++) {
		errno = 0;
		n = (int)rump_sys_recv(s, buf, sizeof(buf), MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN)
			break;
		usleep(5000);
	}
	ck_assert_int_eq(n, 5);
	ck_assert_mem_eq(buf, "small", 5);
	close(h);
	ck_assert_int_eq(rump_sys_close(s), 0);
}
END_TEST

static Suite *
sockin_suite(void)
{
	Suite *s = suite_create("sockin");
	TCase *tc = tcase_create("sockin");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_components);
	tcase_add_test(tc, test_tcp_to_host);
	tcase_add_test(tc, test_tcp_close_flushes);
	tcase_add_test(tc, test_tcp_from_host);
	tcase_add_test(tc, test_tcp6);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_connect_refused);
	tcase_add_test(tc, test_emfile);
	tcase_add_test(tc, test_options_forwarded);
	tcase_add_test(tc, test_nbconnect);
	tcase_add_test(tc, test_backlog);
	tcase_add_test(tc, test_udp6_records);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sockin_suite());
}
