/*
 * hostile_listen.c -- a TCP server in a rump_server, driven through
 * librumpclient ($RUMP_SERVER), for tests/scenario/hostile_frames.sh.
 *
 *   hostile_listen PORT
 *
 * Listens on PORT of every IPv4 address (backlog 8) and prints
 * "listening"; then accepts connections one after another, reads each
 * to its end and prints "received N bytes" -- until killed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rumpnet/rump_syscalls.h"
#include "rumpnet/rumpclient.h"

static void __attribute__((__noreturn__))
die(const char *what)
{
	fprintf(stderr, "hostile_listen: %s: %s\n", what, strerror(errno));
	exit(1);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	char buf[65536];
	long long total;
	ssize_t n;
	int s, c;

	if (argc != 2) {
		fprintf(stderr, "usage: hostile_listen PORT\n");
		return 1;
	}
	if (rumpclient_init() != 0)
		die("rumpclient_init");
	if ((s = rump_sys_socket(AF_INET, SOCK_STREAM, 0)) == -1)
		die("socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(argv[1]));
	if (rump_sys_bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("bind");
	if (rump_sys_listen(s, 8) == -1)
		die("listen");
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if ((c = rump_sys_accept(s, NULL, NULL)) == -1)
			die("accept");
		total = 0;
		while ((n = rump_sys_read(c, buf, sizeof(buf))) > 0)
			total += n;
		if (n == -1)
			die("read");
		rump_sys_close(c);
		printf("received %lld bytes\n", total);
		fflush(stdout);
	}
}
