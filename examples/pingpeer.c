/*
 * pingpeer.c -- a program that embeds a rumpnet kernel, joins a shmif
 * bus, and pings a peer process over it.
 *
 *   pingpeer [-S] [-c count] [-g gateway] [-t seconds] bus address/plen [peer]
 *
 * Without a peer it answers for -t seconds (default 10) or until
 * SIGTERM/SIGINT: the kernel replies to ICMP echo requests by itself,
 * and the program echoes UDP datagrams sent to port 7.  With a peer it
 * sends count ICMP echo requests (default 3), one per 200 ms, then count
 * UDP datagrams to the peer's port 7, prints one line per reply, and
 * exits 0 if every request was answered.  -S prints, at exit, the
 * interface's non-zero software offload counters (sysctl
 * net.interfaces.shmifN.offload.*), e.g. with RUMP_SHMIF_CAPENABLE set.
 *
 * -g adds a default route through a router on the bus.
 * An address with a ':' makes the node IPv6 (2001:db8::1/64): then only
 * the UDP echo runs.
 *
 * Two of them make a network:
 *   pingpeer -t 20 /tmp/bus 198.51.100.2/24 &
 *   pingpeer /tmp/bus 198.51.100.1/24 198.51.100.2
 *
 * Build against an installed rumpnet:
 *   cc -o pingpeer pingpeer.c $(pkg-config --cflags --libs rumpnet)
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rumpnet/rump.h>
#include <rumpnet/rump_net.h>
#include <rumpnet/rump_shmif.h>
#include <rumpnet/rump_syscalls.h>

#include "exnode.h"

static volatile sig_atomic_t stop;

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pingpeer [-S] [-c count] [-g gateway] "
	    "[-t seconds] bus "
	    "address/plen [peer]\n");
	exit(2);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* RFC 1071 checksum of an ICMP message (small, so a plain loop). */
static uint16_t
cksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static int
ping(const char *peer, int count)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	uint8_t pkt[64], buf[1500];
	int s, answered = 0;
	uint16_t id = (uint16_t)getpid();

	if (inet_pton(AF_INET, peer, &to.sin_addr) != 1)
		usage();
	if ((s = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)) == -1) {
		perror("pingpeer: raw socket");
		return 1;
	}
	for (int seq = 0; seq < count && !stop; seq++) {
		struct icmphdr *ic = (struct icmphdr *)pkt;
		double sent, deadline;

		memset(pkt, 0, sizeof(pkt));
		ic->type = ICMP_ECHO;
		ic->un.echo.id = htons(id);
		ic->un.echo.sequence = htons((uint16_t)seq);
		memcpy(pkt + 8, "rumpnet pingpeer", 16);
		ic->checksum = cksum(pkt, sizeof(pkt));
		sent = now_ms();
		if (rump_sys_sendto(s, pkt, sizeof(pkt), 0,
		    (struct sockaddr *)&to, sizeof(to)) == -1) {
			perror("pingpeer: sendto");
			continue;
		}
		/* Wait up to 1 s for the matching reply. */
		deadline = sent + 1000;
		while (!stop && now_ms() < deadline) {
			struct pollfd pfd = { .fd = s, .events = POLLIN };
			const struct iphdr *ip = (const struct iphdr *)buf;
			const struct icmphdr *rp;
			ssize_t n;

			if (rump_sys_poll(&pfd, 1,
			    (int)(deadline - now_ms()) + 1) <= 0)
				continue;
			n = rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL,
			    NULL);
			if (n < (ssize_t)sizeof(*ip) ||
			    n < ip->ihl * 4 + (ssize_t)sizeof(*rp))
				continue;
			rp = (const struct icmphdr *)(buf + ip->ihl * 4);
			if (rp->type != ICMP_ECHOREPLY ||
			    ntohs(rp->un.echo.id) != id ||
			    ntohs(rp->un.echo.sequence) != seq)
				continue;
			printf("%zd bytes from %s: icmp_seq=%d ttl=%d "
			    "time=%.3f ms\n", n - ip->ihl * 4, peer, seq,
			    ip->ttl, now_ms() - sent);
			answered++;
			break;
		}
		if (seq + 1 < count)
			usleep(200000);
	}
	rump_sys_close(s);
	printf("%d packets transmitted, %d received\n", count, answered);
	return answered == count ? 0 : 1;
}

static int
number(const char *s, int max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > max)
		usage();
	return (int)v;
}

/* UDP echo service on port 7 until stopped or the time is up. */
static int
udp_echo_serve(int seconds)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(7) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons(7) };
	const struct sockaddr *sa = ex_family == AF_INET6 ?
	    (const struct sockaddr *)&sin6 : (const struct sockaddr *)&sin;
	socklen_t salen = ex_family == AF_INET6 ? sizeof(sin6) : sizeof(sin);
	double end = now_ms() + seconds * 1000.0;
	char buf[2048];
	int s;

	if ((s = rump_sys_socket(ex_family, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_bind(s, sa, salen) == -1) {
		perror("pingpeer: udp echo socket");
		return 1;
	}
	while (!stop && now_ms() < end) {
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		ssize_t n;

		if (rump_sys_poll(&pfd, 1, 100) <= 0)
			continue;
		n = rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n >= 0)
			rump_sys_sendto(s, buf, (size_t)n, 0,
			    (struct sockaddr *)&from, fromlen);
	}
	rump_sys_close(s);
	return 0;
}

/* Send count datagrams to peer:7 and check each comes back intact. */
static int
udp_echo_check(const char *peer, int count)
{
	struct sockaddr_in to4 = { .sin_family = AF_INET,
	    .sin_port = htons(7) };
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons(7) };
	const struct sockaddr *to = ex_family == AF_INET6 ?
	    (const struct sockaddr *)&to6 : (const struct sockaddr *)&to4;
	socklen_t tolen = ex_family == AF_INET6 ? sizeof(to6) : sizeof(to4);
	int s, answered = 0;

	if (inet_pton(ex_family, peer, ex_family == AF_INET6 ?
	    (void *)&to6.sin6_addr : (void *)&to4.sin_addr) != 1)
		usage();
	if ((s = rump_sys_socket(ex_family, SOCK_DGRAM, 0)) == -1) {
		perror("pingpeer: udp socket");
		return 1;
	}
	for (int i = 0; i < count && !stop; i++) {
		char msg[64], buf[128];
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		ssize_t n;
		int len;

		len = snprintf(msg, sizeof(msg), "datagram %d from pid %d", i,
		    (int)getpid());
		if (rump_sys_sendto(s, msg, (size_t)len, 0, to, tolen) !=
		    len) {
			perror("pingpeer: udp sendto");
			continue;
		}
		if (rump_sys_poll(&pfd, 1, 1000) <= 0)
			continue;
		n = rump_sys_recvfrom(s, buf, sizeof(buf), 0, NULL, NULL);
		if (n == len && memcmp(buf, msg, (size_t)len) == 0) {
			printf("udp echo %d from %s:7: %zd bytes\n", i, peer, n);
			answered++;
		}
	}
	rump_sys_close(s);
	printf("%d datagrams sent, %d echoed\n", count, answered);
	return answered == count ? 0 : 1;
}

int
main(int argc, char **argv)
{
	const char *gateway = NULL;
	int ch, count = 3, seconds = 10, rv;
	bool stats = false;

	while ((ch = getopt(argc, argv, "Sc:g:t:")) != -1) {
		switch (ch) {
		case 'S':
			stats = true;
			break;
		case 'c':
			count = number(optarg, 100000);
			break;
		case 'g':
			gateway = optarg;
			break;
		case 't':
			seconds = number(optarg, 86400);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3)
		usage();

	signal(SIGINT, onsignal);
	signal(SIGTERM, onsignal);
	if ((rv = rump_init()) != 0) {
		fprintf(stderr, "pingpeer: rump_init: %s\n", strerror(rv));
		return 1;
	}
	if ((rv = ex_join_bus("pingpeer", argv[0], argv[1])) == -2)
		usage();
	if (rv != 0)
		return 1;
	if (gateway != NULL &&
	    (rv = ex_default_route("pingpeer", gateway)) != 0) {
		if (rv == -2)
			usage();
		return 1;
	}
	if (argc == 3) {
		/* ICMP echo over IPv4; over IPv6 only the UDP echo. */
		rv = ex_family == AF_INET ? ping(argv[2], count) : 0;
		if (udp_echo_check(argv[2], count) != 0)
			rv = 1;
	} else
		rv = udp_echo_serve(seconds);
	if (stats)
		ex_print_offload();
	rump_fini();
	return rv;
}
