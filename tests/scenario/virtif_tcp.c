/*
 * virtif_tcp.c -- a librumpclient TCP endpoint for the virt scenario
 * tests: it moves a byte stream between a file and a TCP connection of
 * the kernel at $RUMP_SERVER, so a test can compare SHA-256 sums with
 * a host program (nc) at the other end.
 *
 * ADDR is IPv4, or IPv6 if it has a ':'.
 *
 *	virtif_tcp send ADDR PORT FILE	connect to ADDR:PORT, send FILE,
 *					shut down the sending side, wait
 *					for the peer to close
 *	virtif_tcp recv ADDR PORT FILE	listen on ADDR:PORT, print
 *					"listening", accept one connection,
 *					write what arrives to FILE until
 *					the peer closes
 *
 * Both print "N bytes" when done.  Exit 0 on success; on failure a line
 * "virtif_tcp: ..." on stderr and exit 1.  A 30 s alarm bounds a run.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rumpnet/rump_syscalls.h"
#include "rumpnet/rumpclient.h"

#define XFER_CHUNK	65536
#define XFER_TIMEOUT	30	/* seconds */

static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "virtif_tcp: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* An IPv4 or IPv6 (with a ':') address and a port. */
struct xaddr {
	struct sockaddr_storage	xa_ss;
	socklen_t		xa_len;
	int			xa_family;
};

static struct xaddr
parse_addr(const char *addr, const char *port)
{
	struct xaddr xa;
	char *end;
	unsigned long p;

	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno != 0 || *end != '\0' || end == port || p == 0 || p > 65535)
		die("%s: not a port number", port);
	memset(&xa, 0, sizeof(xa));
	if (strchr(addr, ':') != NULL) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&xa.xa_ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1)
			die("%s: not an IPv6 address", addr);
		xa.xa_len = sizeof(*sin6);
		xa.xa_family = AF_INET6;
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&xa.xa_ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
			die("%s: not an IPv4 address", addr);
		xa.xa_len = sizeof(*sin);
		xa.xa_family = AF_INET;
	}
	return xa;
}

/* Write all of buf to the rump socket s. */
static void
send_all(int s, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = rump_sys_write(s, buf, len);

		if (n < 0)
			die("write: %s", strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
}

static void
cmd_send(const struct xaddr *xa, const char *path)
{
	static char buf[XFER_CHUNK];
	unsigned long long total = 0;
	int s, fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY)) < 0)
		die("%s: %s", path, strerror(errno));
	if ((s = rump_sys_socket(xa->xa_family, SOCK_STREAM, 0)) < 0)
		die("socket: %s", strerror(errno));
	if (rump_sys_connect(s, (const struct sockaddr *)&xa->xa_ss,
	    xa->xa_len) != 0)
		die("connect: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		send_all(s, buf, (size_t)n);
		total += (unsigned long long)n;
	}
	if (n < 0)
		die("%s: %s", path, strerror(errno));
	if (rump_sys_shutdown(s, SHUT_WR) != 0)
		die("shutdown: %s", strerror(errno));
	/* The peer closes once it has everything. */
	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0)
		continue;
	if (n < 0)
		die("read: %s", strerror(errno));
	rump_sys_close(s);
	close(fd);
	printf("%llu bytes\n", total);
}

static void
cmd_recv(const struct xaddr *xa, const char *path)
{
	static char buf[XFER_CHUNK];
	unsigned long long total = 0;
	int ls, s, fd, on = 1;
	ssize_t n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		die("%s: %s", path, strerror(errno));
	if ((ls = rump_sys_socket(xa->xa_family, SOCK_STREAM, 0)) < 0)
		die("socket: %s", strerror(errno));
	if (rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) != 0)
		die("setsockopt: %s", strerror(errno));
	if (rump_sys_bind(ls, (const struct sockaddr *)&xa->xa_ss,
	    xa->xa_len) != 0)
		die("bind: %s", strerror(errno));
	if (rump_sys_listen(ls, 1) != 0)
		die("listen: %s", strerror(errno));
	printf("listening\n");
	fflush(stdout);
	if ((s = rump_sys_accept(ls, NULL, NULL)) < 0)
		die("accept: %s", strerror(errno));
	while ((n = rump_sys_read(s, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			die("%s: %s", path, strerror(errno));
		total += (unsigned long long)n;
	}
	if (n < 0)
		die("read: %s", strerror(errno));
	rump_sys_close(s);
	rump_sys_close(ls);
	if (close(fd) != 0)
		die("%s: %s", path, strerror(errno));
	printf("%llu bytes\n", total);
}

int
main(int argc, char **argv)
{
	struct xaddr xa;

	if (argc != 5 || (strcmp(argv[1], "send") != 0 &&
	    strcmp(argv[1], "recv") != 0)) {
		fprintf(stderr, "usage: virtif_tcp send|recv ADDR PORT FILE\n");
		return 2;
	}
	xa = parse_addr(argv[2], argv[3]);
	alarm(XFER_TIMEOUT);
	if (rumpclient_init() != 0)
		die("rumpclient_init: %s", strerror(errno));
	if (strcmp(argv[1], "send") == 0)
		cmd_send(&xa, argv[4]);
	else
		cmd_recv(&xa, argv[4]);
	return 0;
}
