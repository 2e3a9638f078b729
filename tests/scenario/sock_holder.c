/*
 * sock_holder.c -- open a known set of sockets in the kernel named by
 * $RUMP_SERVER, say "ready", and keep them until stdin reaches EOF:
 * what tools_netstat.sh expects rump.netstat to list.
 *
 *	tcp  *.7001 LISTEN; 127.0.0.1.7001 <-> 127.0.0.1.N ESTABLISHED
 *	     both ways, 5 bytes unread on the accepted side (Recv-Q 5);
 *	     a second pair whose client side has closed: FIN_WAIT_2 and
 *	     CLOSE_WAIT
 *	tcp6 *.7002 LISTEN (IPV6_V6ONLY)
 *	udp  198.51.100.1.7003 (bound to a local address)
 *	udp  *.7004 (wildcard: a "server", shown only with -a)
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rumpnet/rump_syscalls.h"

static void
die(const char *what)
{
	fprintf(stderr, "sock_holder: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
sock4(int type, const char *addr, uint16_t port)
{
	struct sockaddr_in sin;
	int fd, on = 1;

	if ((fd = rump_sys_socket(AF_INET, type, 0)) < 0)
		die("socket");
	(void)rump_sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		die("address");
	if (rump_sys_bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		die(addr);
	return fd;
}

static int
connect4(uint16_t port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (rump_sys_connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
		die("connect");
	return fd;
}

static int
listen6(uint16_t port)
{
	struct sockaddr_in6 sin6;
	int fd, on = 1;

	if ((fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0)) < 0)
		die("socket6");
	if (rump_sys_setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) != 0)
		die("IPV6_V6ONLY");
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(port);
	if (rump_sys_bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) != 0)
		die("bind6");
	if (rump_sys_listen(fd, 5) != 0)
		die("listen6");
	return fd;
}

int
main(void)
{
	int lfd, cfd, afd, c2, a2;
	char buf[1];

	lfd = sock4(SOCK_STREAM, "0.0.0.0", 7001);
	if (rump_sys_listen(lfd, 5) != 0)
		die("listen");
	cfd = connect4(7001);
	if ((afd = rump_sys_accept(lfd, NULL, NULL)) < 0)
		die("accept");
	if (rump_sys_write(cfd, "hello", 5) != 5)
		die("write");
	c2 = connect4(7001);
	if ((a2 = rump_sys_accept(lfd, NULL, NULL)) < 0)
		die("accept");
	if (rump_sys_shutdown(c2, SHUT_WR) != 0)
		die("shutdown");
	(void)listen6(7002);
	(void)sock4(SOCK_DGRAM, "198.51.100.1", 7003);
	(void)sock4(SOCK_DGRAM, "0.0.0.0", 7004);
	printf("ready\n");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
