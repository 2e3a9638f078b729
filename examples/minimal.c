/*
 * minimal.c -- the smallest useful program that embeds a rumpnet kernel:
 * it boots a kernel inside this process, puts an interface on a shmif
 * bus, gives it an address, and uses an ordinary UDP socket of that
 * kernel.  Two copies of it, on one bus, are two hosts on one Ethernet.
 *
 *   minimal BUS ADDR/LEN                 wait for one datagram, print it
 *                                        and send it back
 *   minimal BUS ADDR/LEN PEER MESSAGE    send MESSAGE to PEER, print the
 *                                        answer (5 s at most)
 *
 *   ./minimal /tmp/lan.bus 198.51.100.2/24 &
 *   ./minimal /tmp/lan.bus 198.51.100.1/24 198.51.100.2 hello
 *
 * Build against an installed rumpnet:
 *   cc -o minimal minimal.c $(pkg-config --cflags --libs rumpnet)
 *
 * Everything named rump_sys_* is the system call of the same name, run
 * by the kernel in this process (not by the host): same arguments,
 * same Linux constants and structures, -1 and errno on failure.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rumpnet/rump.h>		/* rump_init, rump_fini */
#include <rumpnet/rump_net.h>		/* interface configuration ioctls */
#include <rumpnet/rump_shmif.h>		/* rump_pub_shmif_create */
#include <rumpnet/rump_syscalls.h>	/* rump_sys_socket, ... */

#define PORT	7777

static int
fail(const char *what)
{
	fprintf(stderr, "minimal: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Give interface ifname the IPv4 address "a.b.c.d/len" (this also
 * brings the interface up, as on BSD). */
static int
set_address(const char *ifname, const char *cidr)
{
	struct rump_ifaddrreq ifra;
	char addr[32];
	const char *slash = strchr(cidr, '/');
	int s, rv;

	if (slash == NULL || (size_t)(slash - cidr) >= sizeof(addr)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(addr, cidr, (size_t)(slash - cidr));
	addr[slash - cidr] = '\0';
	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ifname);
	ifra.ifra_family = AF_INET;
	ifra.ifra_plen = (uint8_t)atoi(slash + 1);
	if (inet_pton(AF_INET, addr, ifra.ifra_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	/* Configuration requests are ioctls on any socket of the kernel. */
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	rv = rump_sys_ioctl(s, RUMP_SIOCAIFADDR, &ifra);
	rump_sys_close(s);
	return rv;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons(PORT) };
	char ifname[RUMP_IFNAMSIZ], buf[512];
	int unit, s, rv;
	ssize_t n;

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: minimal BUS ADDR/LEN [PEER MESSAGE]\n");
		return 2;
	}
	/* 1. Boot the kernel: from here on, this process is a host. */
	if ((rv = rump_init()) != 0) {
		errno = rv;
		return fail("rump_init");
	}
	/* 2. A shmif interface on the bus file (created if missing). */
	if ((rv = rump_pub_shmif_create(argv[1], &unit)) != 0) {
		errno = rv;
		return fail(argv[1]);
	}
	snprintf(ifname, sizeof(ifname), "shmif%d", unit);
	/* 3. An address. */
	if (set_address(ifname, argv[2]) == -1)
		return fail(argv[2]);
	/* 4. A UDP socket, used as on any host. */
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return fail("socket");
	if (argc == 5) {
		if (inet_pton(AF_INET, argv[3], &sin.sin_addr) != 1) {
			errno = EINVAL;
			return fail(argv[3]);
		}
		struct timeval tv = { .tv_sec = 5 };

		/* ARP resolves the peer first; the datagram waits for it. */
		if (rump_sys_sendto(s, argv[4], strlen(argv[4]), 0,
		    (struct sockaddr *)&sin, sizeof(sin)) == -1)
			return fail("sendto");
		printf("sent \"%s\" to %s port %d\n", argv[4], argv[3], PORT);
		/* The answer proves the round trip; it also keeps this
		 * kernel alive until the datagram has left. */
		rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
		if ((n = rump_sys_recv(s, buf, sizeof(buf) - 1, 0)) == -1)
			return fail("no answer");
		buf[n] = '\0';
		printf("answer \"%s\"\n", buf);
	} else {
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		char who[INET_ADDRSTRLEN];

		if (rump_sys_bind(s, (struct sockaddr *)&sin,
		    sizeof(sin)) == -1)
			return fail("bind");
		printf("listening on %s port %d\n", ifname, PORT);
		fflush(stdout);
		n = rump_sys_recvfrom(s, buf, sizeof(buf) - 1, 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1)
			return fail("recvfrom");
		buf[n] = '\0';
		inet_ntop(AF_INET, &from.sin_addr, who, sizeof(who));
		printf("received \"%s\" from %s\n", buf, who);
		/* Answer: the sender's link address is known by now (its
		 * ARP request), so the frame is on the bus when this
		 * returns. */
		if (rump_sys_sendto(s, buf, (size_t)n, 0,
		    (struct sockaddr *)&from, fromlen) == -1)
			return fail("sendto");
	}
	rump_sys_close(s);
	/* 5. Shut the kernel down (the interface leaves the bus). */
	rump_fini();
	return 0;
}
