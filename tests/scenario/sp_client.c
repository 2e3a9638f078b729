/*
 * sp_client.c -- a small librumpclient program for the server scenario
 * tests: each subcommand exercises some rump_sys_* calls through
 * $RUMP_SERVER and prints what a test checks.  Exit 0 on success; on
 * failure a line "sp_client: ..." on stderr and exit 1.
 *
 *	udp PORT	UDP to itself over lo0 (127.0.0.1:PORT): socket,
 *			bind, sendto, poll, recvfrom, getsockname; the
 *			same with sendmsg/recvmsg and writev/readv
 *	bind PORT	bind a UDP socket to 127.0.0.1:PORT, print its fd
 *	hold PORT	bind, print "fd N", then block in recvfrom until
 *			killed (the server must close the socket)
 *	ifconfig BUS	create shmif0 on bus file BUS, add 198.51.100.1/24,
 *			print "shmif0 flags=0x..."
 *	sysctl NAME [VALUE]	print NAME's integer value; set VALUE first
 *	sysctlwalk PREFIX	print the names under PREFIX, one a line
 *	errors		error paths: EBADF, ENOTTY, EFAULT, EINVAL ...
 *	fork		a child gets a connection (process) of its own
 *	loop N		N UDP round trips on lo0, port 7777
 *	init		rumpclient_init() only
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rumpnet/rump_net.h"
#include "rumpnet/rump_syscalls.h"
#include "rumpnet/rumpclient.h"

static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sp_client: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

#define CHECK(cond, what) do {						\
	if (!(cond))							\
		die("%s: %s", what, strerror(errno));			\
} while (0)

#define EXPECT_ERR(call, err) do {					\
	errno = 0;							\
	if ((call) != -1 || errno != (err))				\
		die("%s: want errno %d (%s), got %d (%s)", #call, err,	\
		    strerror(err), errno, strerror(errno));		\
} while (0)

static struct sockaddr_in
lo_addr(int port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sin;
}

static int
udp_bound(int port)
{
	struct sockaddr_in sin = lo_addr(port);
	int s;

	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0, "socket");
	CHECK(rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind");
	return s;
}

static void
cmd_udp(int port)
{
	struct sockaddr_in sin = lo_addr(port), from;
	socklen_t fromlen = sizeof(from);
	char buf[64], a[8], b[8];
	struct pollfd pfd;
	struct iovec iov[2];
	struct msghdr msg;
	int s;

	s = udp_bound(port);
	pfd.fd = s;
	pfd.events = POLLIN;
	CHECK(rump_sys_poll(&pfd, 1, 100) == 0, "poll (nothing yet)");
	CHECK(rump_sys_sendto(s, "hello", 5, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == 5, "sendto");
	CHECK(rump_sys_poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN),
	    "poll");
	memset(buf, 0, sizeof(buf));
	CHECK(rump_sys_recvfrom(s, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fromlen) == 5, "recvfrom");
	if (memcmp(buf, "hello", 5) != 0 || fromlen != sizeof(from) ||
	    from.sin_port != htons((uint16_t)port) ||
	    from.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		die("recvfrom: wrong datagram or source");
	fromlen = sizeof(from);
	CHECK(rump_sys_getsockname(s, (struct sockaddr *)&from, &fromlen) == 0,
	    "getsockname");
	if (from.sin_port != htons((uint16_t)port))
		die("getsockname: wrong port");

	/* sendmsg with two iovecs, recvmsg into two. */
	iov[0].iov_base = "ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = "cdef";
	iov[1].iov_len = 4;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &sin;
	msg.msg_namelen = sizeof(sin);
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	CHECK(rump_sys_sendmsg(s, &msg, 0) == 6, "sendmsg");
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	iov[0].iov_base = a;
	iov[0].iov_len = 3;
	iov[1].iov_base = b;
	iov[1].iov_len = sizeof(b);
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	CHECK(rump_sys_recvmsg(s, &msg, 0) == 6, "recvmsg");
	if (memcmp(a, "abc", 3) != 0 || memcmp(b, "def", 3) != 0 ||
	    msg.msg_namelen != sizeof(from))
		die("recvmsg: wrong data");

	/* A connected socket: writev and readv. */
	CHECK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "connect");
	iov[0].iov_base = "xy";
	iov[0].iov_len = 2;
	iov[1].iov_base = "z";
	iov[1].iov_len = 1;
	CHECK(rump_sys_writev(s, iov, 2) == 3, "writev");
	memset(a, 0, sizeof(a));
	iov[0].iov_base = a;
	iov[0].iov_len = 1;
	iov[1].iov_base = a + 1;
	iov[1].iov_len = 7;
	CHECK(rump_sys_readv(s, iov, 2) == 3, "readv");
	if (memcmp(a, "xyz", 3) != 0)
		die("readv: wrong data");
	CHECK(rump_sys_write(s, "w", 1) == 1, "write");
	CHECK(rump_sys_read(s, buf, sizeof(buf)) == 1 && buf[0] == 'w',
	    "read");
	CHECK(rump_sys_close(s) == 0, "close");
	printf("udp ok\n");
}

static void
cmd_hold(int port)
{
	char buf[16];
	int s = udp_bound(port);

	printf("fd %d\n", s);
	fflush(stdout);
	(void)rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);
	die("recvfrom returned");
}

static void
cmd_ifconfig(const char *bus)
{
	struct rump_ifname ifn;
	struct rump_linkstr ls;
	struct rump_ifaddrreq ifra;
	struct rump_ifreq ifr;
	int s;

	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0, "socket");
	memset(&ifn, 0, sizeof(ifn));
	strcpy(ifn.ifn_name, "shmif0");
	CHECK(rump_sys_ioctl(s, RUMP_SIOCIFCREATE, &ifn) == 0,
	    "RUMP_SIOCIFCREATE");
	if (strcmp(ifn.ifn_name, "shmif0") != 0)
		die("created %s, not shmif0", ifn.ifn_name);
	memset(&ls, 0, sizeof(ls));
	strcpy(ls.ls_name, "shmif0");
	snprintf(ls.ls_path, sizeof(ls.ls_path), "%s", bus);
	ls.ls_len = (uint32_t)strlen(ls.ls_path) + 1;
	CHECK(rump_sys_ioctl(s, RUMP_SIOCSLINKSTR, &ls) == 0,
	    "RUMP_SIOCSLINKSTR");
	memset(&ls, 0, sizeof(ls));
	strcpy(ls.ls_name, "shmif0");
	CHECK(rump_sys_ioctl(s, RUMP_SIOCGLINKSTR, &ls) == 0,
	    "RUMP_SIOCGLINKSTR");
	if (strcmp(ls.ls_path, bus) != 0)
		die("linkstr reads back as %s", ls.ls_path);
	memset(&ifra, 0, sizeof(ifra));
	strcpy(ifra.ifra_name, "shmif0");
	ifra.ifra_family = AF_INET;
	ifra.ifra_plen = 24;
	inet_pton(AF_INET, "198.51.100.1", ifra.ifra_addr);
	CHECK(rump_sys_ioctl(s, RUMP_SIOCAIFADDR, &ifra) == 0,
	    "RUMP_SIOCAIFADDR");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "shmif0");
	CHECK(rump_sys_ioctl(s, RUMP_SIOCGIFFLAGS, &ifr) == 0,
	    "RUMP_SIOCGIFFLAGS");
	printf("shmif0 flags=0x%x\n", ifr.ifr_value);
}

static void
cmd_sysctl(const char *name, const char *value)
{
	int32_t v;
	size_t len = sizeof(v);

	if (value != NULL) {
		int32_t nv = (int32_t)strtol(value, NULL, 0);

		CHECK(rump_sys_sysctlbyname(name, NULL, NULL, &nv,
		    sizeof(nv)) == 0, name);
	}
	CHECK(rump_sys_sysctlbyname(name, &v, &len, NULL, 0) == 0, name);
	if (len != sizeof(v))
		die("%s: %zu bytes", name, len);
	printf("%s = %d\n", name, v);
}

static void
cmd_sysctlwalk(const char *prefix)
{
	char name[RUMP_SYSCTL_NAMEMAX] = "";
	int type;

	while (rump_sys_sysctlnext(prefix, name, name, sizeof(name),
	    &type) == 0)
		printf("%s\n", name);
	if (errno != ENOENT)
		die("sysctlnext: %s", strerror(errno));
}

static void
cmd_errors(void)
{
	struct sockaddr_in sin = lo_addr(9);
	char small[2], name[8];
	size_t len;
	int s, v, on = 1;
	socklen_t sl;

	EXPECT_ERR(rump_sys_close(999), EBADF);
	EXPECT_ERR(rump_sys_socket(12345, SOCK_DGRAM, 0), EAFNOSUPPORT);
	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0, "socket");
	EXPECT_ERR(rump_sys_ioctl(s, 0x1234UL, &v), ENOTTY);
	EXPECT_ERR(rump_sys_ioctl(s, RUMP_SIOCGIFFLAGS, NULL), EFAULT);
	EXPECT_ERR(rump_sys_bind(s, NULL, sizeof(sin)), EFAULT);
	EXPECT_ERR(rump_sys_readv(s, NULL, -1), EINVAL);
	EXPECT_ERR(rump_sys_poll(NULL, 100000, 0), EINVAL);
	EXPECT_ERR(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, NULL),
	    EFAULT);
	/* FIONBIO in, then a receive that would block. */
	CHECK(rump_sys_ioctl(s, FIONBIO, &on) == 0, "FIONBIO");
	CHECK(rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "bind");
	EXPECT_ERR(rump_sys_recv(s, small, sizeof(small), 0), EAGAIN);
	CHECK(rump_sys_ioctl(s, FIONREAD, &v) == 0 && v == 0, "FIONREAD");
	CHECK((rump_sys_fcntl(s, F_GETFL) & O_NONBLOCK) != 0, "F_GETFL");
	/* getsockopt with a short buffer: truncated, length reported. */
	sl = sizeof(v);
	CHECK(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &sl) == 0 &&
	    sl == sizeof(v) && v == SOCK_DGRAM, "getsockopt SO_TYPE");
	/* dup family. */
	v = rump_sys_dup(s);
	CHECK(v > s, "dup");
	CHECK(rump_sys_dup2(s, 20) == 20, "dup2");
	EXPECT_ERR(rump_sys_dup3(s, s, 0), EINVAL);
	CHECK(rump_sys_fcntl(s, F_DUPFD, 30) == 30, "F_DUPFD");
	/* sysctl: missing node, too small a buffer (size reported). */
	len = sizeof(v);
	EXPECT_ERR(rump_sys_sysctlbyname("no.such.node", &v, &len, NULL, 0),
	    ENOENT);
	len = 1;
	EXPECT_ERR(rump_sys_sysctlbyname("net.inet.ip.ttl", small, &len,
	    NULL, 0), ENOMEM);
	if (len != 4)
		die("sysctl ENOMEM: len %zu, want 4", len);
	len = 0;
	CHECK(rump_sys_sysctlbyname("net.inet.ip.ttl", NULL, &len, NULL,
	    0) == 0 && len == 4, "sysctl size query");
	EXPECT_ERR(rump_sys_sysctlnext("net", NULL, name, 2, NULL), ENOMEM);
	printf("errors ok\n");
}

static void
cmd_fork(void)
{
	int s, status;
	pid_t pid;

	s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s >= 0, "socket");
	CHECK(rump_sys_socket(AF_INET, SOCK_DGRAM, 0) == s + 1, "socket 2");
	pid = fork();
	CHECK(pid >= 0, "fork");
	if (pid == 0) {
		/* A new kernel process: its first descriptor is the lowest. */
		int c = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);

		if (c != s) {
			fprintf(stderr, "sp_client: child got fd %d, not %d\n",
			    c, s);
			_exit(1);
		}
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("child failed");
	/* The parent's connection is intact. */
	CHECK(rump_sys_socket(AF_INET, SOCK_DGRAM, 0) == s + 2, "socket 3");
	printf("fork ok\n");
}

static void
cmd_loop(int n)
{
	struct sockaddr_in sin = lo_addr(7777);
	char buf[32];
	int s = udp_bound(7777);

	for (int i = 0; i < n; i++) {
		CHECK(rump_sys_sendto(s, "ping", 4, 0, (struct sockaddr *)&sin,
		    sizeof(sin)) == 4, "sendto");
		CHECK(rump_sys_recv(s, buf, sizeof(buf), 0) == 4, "recv");
	}
	printf("loop ok\n");
}

int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "udp") == 0 && argc == 3)
		cmd_udp(atoi(argv[2]));
	else if (strcmp(cmd, "bind") == 0 && argc == 3) {
		int s = udp_bound(atoi(argv[2]));

		printf("fd %d\n", s);
	} else if (strcmp(cmd, "hold") == 0 && argc == 3)
		cmd_hold(atoi(argv[2]));
	else if (strcmp(cmd, "ifconfig") == 0 && argc == 3)
		cmd_ifconfig(argv[2]);
	else if (strcmp(cmd, "sysctl") == 0 && (argc == 3 || argc == 4))
		cmd_sysctl(argv[2], argc == 4 ? argv[3] : NULL);
	else if (strcmp(cmd, "sysctlwalk") == 0 && argc == 3)
		cmd_sysctlwalk(argv[2]);
	else if (strcmp(cmd, "errors") == 0)
		cmd_errors();
	else if (strcmp(cmd, "fork") == 0)
		cmd_fork();
	else if (strcmp(cmd, "loop") == 0 && argc == 3)
		cmd_loop(atoi(argv[2]));
	else if (strcmp(cmd, "init") == 0) {
		if (rumpclient_init() != 0)
			return 1;
	} else
		die("usage: sp_client udp|bind|hold|ifconfig|sysctl|"
		    "sysctlwalk|errors|fork|loop|init ...");
	return 0;
}
