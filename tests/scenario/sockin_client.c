/*
 * sockin_client.c -- a librumpclient program for the sockin scenario
 * tests.  Every socket call goes to the kernel at $RUMP_SERVER; with
 * sockin that kernel carries it out on host sockets.  Addresses are
 * numeric IPv4 or IPv6 literals.  Exit 0 on success; on failure a line
 * "sockin_client: ..." on stderr and exit 1.
 *
 *	tcp ADDR PORT IN OUT	connect, send file IN, shut the write side,
 *				receive until end of stream into file OUT
 *	serve ADDR PORT IN OUT	listen on ADDR:PORT (0: any port), print
 *				"port N", accept one connection, receive
 *				until end of stream into OUT, then send IN
 *	udp ADDR PORT MSG	send MSG, print the reply and its source
 *				port ("reply TEXT from PORT")
 *	connect ADDR PORT	blocking connect; print "connected"
 *	nbconnect ADDR PORT	non-blocking connect, poll, print
 *				"so_error ERRNO-TEXT"
 *	hold ADDR PORT		connect, print "holding", block in recv
 *				until killed
 *	emfile N		open up to N sockets, print "opened K: TEXT"
 *				for the first failure, close them, open one
 *				more and print "recovered"
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
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "rumpnet/rump_syscalls.h"
#include "rumpnet/rumpclient.h"

#define IOSIZE	(32 * 1024)

static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sockin_client: ");
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

/* ADDR PORT into a sockaddr; => its length. */
static socklen_t
parse_addr(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	char *end;
	unsigned long p = strtoul(port, &end, 10);

	if (*port == '\0' || *end != '\0' || p > 65535)
		die("bad port '%s'", port);
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			die("bad address '%s'", addr);
		return sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			die("bad address '%s'", addr);
		return sizeof(*sin);
	}
}

static uint16_t
addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ?
	    ((const struct sockaddr_in6 *)ss)->sin6_port :
	    ((const struct sockaddr_in *)ss)->sin_port);
}

static int
connect_to(const char *addr, const char *port, int type)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int s = rump_sys_socket(ss.ss_family, type, 0);

	CHECK(s >= 0, "socket");
	CHECK(rump_sys_connect(s, (struct sockaddr *)&ss, len) == 0,
	    "connect");
	return s;
}

/* Send a whole host file on a kernel socket. */
static void
send_file(int s, const char *path)
{
	char *buf = malloc(IOSIZE);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(buf != NULL && fd >= 0, path);
	while ((n = read(fd, buf, IOSIZE)) > 0) {
		for (ssize_t off = 0; off < n;) {
			ssize_t w = rump_sys_send(s, buf + off,
			    (size_t)(n - off), 0);

			CHECK(w > 0, "send");
			off += w;
		}
	}
	CHECK(n == 0, "read");
	close(fd);
	free(buf);
}

/* Receive until end of stream into a host file. */
static void
recv_file(int s, const char *path)
{
	char *buf = malloc(IOSIZE);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	CHECK(buf != NULL && fd >= 0, path);
	while ((n = rump_sys_recv(s, buf, IOSIZE, 0)) > 0)
		CHECK(write(fd, buf, (size_t)n) == n, "write");
	CHECK(n == 0, "recv");
	close(fd);
	free(buf);
}

static void
cmd_tcp(char **argv)
{
	int s = connect_to(argv[0], argv[1], SOCK_STREAM);

	send_file(s, argv[2]);
	CHECK(rump_sys_shutdown(s, SHUT_WR) == 0, "shutdown");
	recv_file(s, argv[3]);
	CHECK(rump_sys_close(s) == 0, "close");
}

static void
cmd_serve(char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(argv[0], argv[1], &ss);
	int l, a, one = 1;

	l = rump_sys_socket(ss.ss_family, SOCK_STREAM, 0);
	CHECK(l >= 0, "socket");
	CHECK(rump_sys_setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) == 0, "setsockopt");
	CHECK(rump_sys_bind(l, (struct sockaddr *)&ss, len) == 0, "bind");
	CHECK(rump_sys_listen(l, 1) == 0, "listen");
	len = sizeof(ss);
	CHECK(rump_sys_getsockname(l, (struct sockaddr *)&ss, &len) == 0,
	    "getsockname");
	printf("port %u\n", addr_port(&ss));
	fflush(stdout);
	a = rump_sys_accept(l, NULL, NULL);
	CHECK(a >= 0, "accept");
	recv_file(a, argv[3]);
	send_file(a, argv[2]);
	CHECK(rump_sys_close(a) == 0, "close");
	CHECK(rump_sys_close(l) == 0, "close");
}

static void
cmd_udp(char **argv)
{
	struct sockaddr_storage ss, from;
	socklen_t len = parse_addr(argv[0], argv[1], &ss);
	socklen_t fromlen = sizeof(from);
	struct timeval tv = { .tv_sec = 5 };
	char buf[512];
	ssize_t n;
	int s;

	s = rump_sys_socket(ss.ss_family, SOCK_DGRAM, 0);
	CHECK(s >= 0, "socket");
	CHECK(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == 0, "setsockopt");
	n = rump_sys_sendto(s, argv[2], strlen(argv[2]), 0,
	    (struct sockaddr *)&ss, len);
	CHECK(n == (ssize_t)strlen(argv[2]), "sendto");
	n = rump_sys_recvfrom(s, buf, sizeof(buf) - 1, 0,
	    (struct sockaddr *)&from, &fromlen);
	CHECK(n >= 0, "recvfrom");
	buf[n] = '\0';
	printf("reply %s from %u\n", buf, addr_port(&from));
	CHECK(rump_sys_close(s) == 0, "close");
}

static void
cmd_connect(char **argv)
{
	int s = connect_to(argv[0], argv[1], SOCK_STREAM);

	printf("connected\n");
	CHECK(rump_sys_close(s) == 0, "close");
}

static void
cmd_nbconnect(char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(argv[0], argv[1], &ss);
	struct pollfd pfd;
	int s, err = 0;

	s = rump_sys_socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(s >= 0, "socket");
	if (rump_sys_connect(s, (struct sockaddr *)&ss, len) == 0)
		err = 0;
	else if (errno != EINPROGRESS)
		err = errno;
	else {
		pfd = (struct pollfd){ .fd = s, .events = POLLOUT };
		CHECK(rump_sys_poll(&pfd, 1, 5000) == 1, "poll");
		len = sizeof(err);
		CHECK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err,
		    &len) == 0, "getsockopt");
	}
	printf("so_error %s\n", err == 0 ? "0" : strerror(err));
	CHECK(rump_sys_close(s) == 0, "close");
}

static void
cmd_hold(char **argv)
{
	int s = connect_to(argv[0], argv[1], SOCK_STREAM);
	char c;

	printf("holding\n");
	fflush(stdout);
	(void)rump_sys_recv(s, &c, 1, MSG_WAITALL);
	die("recv returned");
}

static void
cmd_emfile(char **argv)
{
	long max = strtol(argv[0], NULL, 10);
	int *fds, n, s;

	if (max <= 0 || max > 100000)
		die("bad count '%s'", argv[0]);
	fds = calloc((size_t)max, sizeof(*fds));
	CHECK(fds != NULL, "calloc");
	for (n = 0; n < max; n++) {
		fds[n] = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
		if (fds[n] == -1) {
			printf("opened %d: %s\n", n, strerror(errno));
			break;
		}
	}
	if (n == max)
		printf("opened %d: no error\n", n);
	while (n-- > 0)
		CHECK(rump_sys_close(fds[n]) == 0, "close");
	s = rump_sys_socket(AF_INET, SOCK_STREAM, 0);
	CHECK(s >= 0, "socket after closing");
	printf("recovered\n");
	CHECK(rump_sys_close(s) == 0, "close");
	free(fds);
}

static const struct command {
	const char	*c_name;
	int		 c_nargs;
	void		(*c_fn)(char **);
} commands[] = {
	{ "tcp",	4, cmd_tcp },
	{ "serve",	4, cmd_serve },
	{ "udp",	3, cmd_udp },
	{ "connect",	2, cmd_connect },
	{ "nbconnect",	2, cmd_nbconnect },
	{ "hold",	2, cmd_hold },
	{ "emfile",	1, cmd_emfile },
};

int
main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: sockin_client command args...");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].c_name) != 0)
			continue;
		if (argc - 2 != commands[i].c_nargs)
			die("%s takes %d arguments", argv[1],
			    commands[i].c_nargs);
		if (rumpclient_init() != 0)
			die("rumpclient_init: %s", strerror(errno));
		commands[i].c_fn(argv + 2);
		return 0;
	}
	die("unknown command '%s'", argv[1]);
}
