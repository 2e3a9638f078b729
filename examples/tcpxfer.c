/*
 * tcpxfer.c -- a program that embeds a rumpnet kernel, joins a shmif
 * bus, and moves bytes over TCP: one instance listens and receives,
 * another connects and sends.  Both print the SHA-256 of the stream,
 * so two runs can be compared.
 *
 *   tcpxfer [-n bytes] [-p port] [-b sockbuf] [-g gateway] [-t seconds] [-sx]
 *           bus address/plen [peer]
 *
 * Without a peer it accepts one connection on port (default 5001),
 * reads until the sender closes, and prints
 *	received N bytes sha256 HEX
 * With a peer it connects, sends N bytes (default 10 MB) of a
 * deterministic pseudo-random stream, closes, and prints
 *	sent N bytes sha256 HEX
 * -s adds a line with the elapsed time, the rate, the process's user
 * and system CPU time, and the kernel's TCP retransmission counters,
 * then the interface's non-zero software offload counters.
 * -g adds a default route through a router on the bus.
 * -t gives up after that many seconds (default 300).  -x skips the
 * hashing (prints "sha256 -"), for benchmarks of the transport alone;
 * the sender then sends the same 256 KiB block over and over.
 *
 *   tcpxfer /tmp/bus 198.51.100.2/24 &
 *   tcpxfer -n 100000000 /tmp/bus 198.51.100.1/24 198.51.100.2
 *
 * An address with a ':' is IPv6 (the program waits for duplicate
 * address detection before it listens or connects); the peer is then
 * an IPv6 address, "fe80::...%N" with the zone's interface index for
 * a link-local one:
 *
 *   tcpxfer /tmp/bus 2001:db8::2/64 &
 *   tcpxfer /tmp/bus 2001:db8::1/64 2001:db8::2
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
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

/* ------------------------------------------------ SHA-256 (FIPS 180-4) */

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes hashed */
	uint8_t		buf[64];
	size_t		nbuf;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
		    (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));

		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void
sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
	    0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->nbuf = 0;
}

static void
sha256_update(struct sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->len += len;
	if (s->nbuf > 0) {
		size_t n = 64 - s->nbuf < len ? 64 - s->nbuf : len;

		memcpy(s->buf + s->nbuf, p, n);
		s->nbuf += n;
		p += n;
		len -= n;
		if (s->nbuf < 64)
			return;
		sha256_block(s, s->buf);
		s->nbuf = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		sha256_block(s, p);
	memcpy(s->buf, p, len);
	s->nbuf = len;
}

static void
sha256_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (s->nbuf < 56 ? 56 : 120) - s->nbuf;

	for (int i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(s, pad, padlen + 8);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08" PRIx32, s->h[i]);
}

/* ------------------------------------------------------------ program */

static volatile sig_atomic_t stop;
static int nohash;

static void
onsignal(int sig)
{
	(void)sig;
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tcpxfer [-n bytes] [-p port] [-b sockbuf] "
	    "[-g gateway] [-t seconds] [-sx] bus address/plen [peer]\n");
	exit(2);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long
number(const char *s, unsigned long long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v > max)
		usage();
	return v;
}

static void
setbufs(int s, int bufsize)
{
	if (bufsize <= 0)
		return;
	if (rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDBUF, &bufsize,
	    sizeof(bufsize)) == -1 ||
	    rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bufsize,
	    sizeof(bufsize)) == -1)
		perror("tcpxfer: setsockopt");
}

static uint64_t
sysctl_u64(const char *name)
{
	uint64_t v = 0;
	size_t len = sizeof(v);

	if (rump_sys_sysctlbyname(name, &v, &len, NULL, 0) == -1)
		return 0;
	return v;
}

/*
 * Keep this kernel running until the connection just closed is gone
 * (the peer acknowledged our FIN; net.inet.tcp.stats.closed counts it),
 * for at most 5 s: on a lossy link a lost FIN is then retransmitted
 * instead of leaving the peer waiting for it.
 */
static void
wait_closed(uint64_t closed_before)
{
	for (int i = 0; i < 500; i++) {
		if (sysctl_u64("net.inet.tcp.stats.closed") > closed_before)
			return;
		usleep(10000);
	}
}

static void
stats(const char *what, unsigned long long bytes, double t0)
{
	struct rusage ru;
	double dt = now_s() - t0;

	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "tcpxfer: %s %llu bytes in %.3f s: %.1f Mbit/s; "
	    "cpu user %.3f s sys %.3f s; rexmit %" PRIu64 " pkts, "
	    "rexmt timeouts %" PRIu64 ", fast rexmits %" PRIu64 "\n", what,
	    bytes, dt, bytes * 8 / dt / 1e6,
	    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
	    sysctl_u64("net.inet.tcp.stats.sndrexmitpack"),
	    sysctl_u64("net.inet.tcp.stats.rexmttimeo"),
	    sysctl_u64("net.inet.tcp.stats.fastretransmit"));
}

static int
receiver(int port, int bufsize, int seconds, int verbose)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons((uint16_t)port) };
	struct sockaddr *sa = ex_family == AF_INET6 ?
	    (struct sockaddr *)&sin6 : (struct sockaddr *)&sin;
	socklen_t salen = ex_family == AF_INET6 ? sizeof(sin6) : sizeof(sin);
	struct timeval tv = { .tv_sec = seconds };
	static uint8_t buf[256 * 1024];
	unsigned long long total = 0;
	uint64_t closed;
	struct sha256 sh;
	char hex[65];
	int ls, s, one = 1;
	double t0;

	if ((ls = rump_sys_socket(ex_family, SOCK_STREAM, 0)) == -1) {
		perror("tcpxfer: socket");
		return 1;
	}
	setbufs(ls, bufsize);
	rump_sys_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	rump_sys_setsockopt(ls, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (rump_sys_bind(ls, sa, salen) == -1 ||
	    rump_sys_listen(ls, 1) == -1) {
		perror("tcpxfer: bind/listen");
		return 1;
	}
	printf("listening on port %d\n", port);
	fflush(stdout);
	if ((s = rump_sys_accept(ls, NULL, NULL)) == -1) {
		perror("tcpxfer: accept");
		return 1;
	}
	rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	sha256_init(&sh);
	t0 = now_s();
	while (!stop) {
		ssize_t n = rump_sys_read(s, buf, sizeof(buf));

		if (n == 0)
			break;
		if (n < 0) {
			perror("tcpxfer: read");
			return 1;
		}
		if (!nohash)
			sha256_update(&sh, buf, (size_t)n);
		total += (unsigned long long)n;
	}
	if (verbose)
		stats("received", total, t0);
	closed = sysctl_u64("net.inet.tcp.stats.closed");
	rump_sys_close(s);
	wait_closed(closed);
	rump_sys_close(ls);
	if (nohash)
		strcpy(hex, "-");
	else
		sha256_hex(&sh, hex);
	printf("received %llu bytes sha256 %s\n", total, hex);
	return stop ? 1 : 0;
}

static int
sender(const char *peer, int port, unsigned long long nbytes, int bufsize,
    int seconds, int verbose)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 to6 = { .sin6_family = AF_INET6,
	    .sin6_port = htons((uint16_t)port) };
	struct sockaddr *sa = ex_family == AF_INET6 ?
	    (struct sockaddr *)&to6 : (struct sockaddr *)&to;
	socklen_t salen = ex_family == AF_INET6 ? sizeof(to6) : sizeof(to);
	struct timeval tv = { .tv_sec = seconds };
	static uint8_t buf[256 * 1024];
	unsigned long long sent = 0;
	uint64_t x = 0x2545f4914f6cdd1dull;
	struct sha256 sh;
	char hex[65], addr[64], *pct;
	double t0;
	int s, tries;

	snprintf(addr, sizeof(addr), "%s", peer);
	if ((pct = strchr(addr, '%')) != NULL && ex_family == AF_INET6) {
		*pct = '\0';
		to6.sin6_scope_id = (uint32_t)number(pct + 1, 0xffffffffu);
	}
	if (inet_pton(ex_family, addr, ex_family == AF_INET6 ?
	    (void *)&to6.sin6_addr : (void *)&to.sin_addr) != 1)
		usage();
	/* The receiver may still be starting: retry refused connects. */
	for (tries = 0;; tries++) {
		if ((s = rump_sys_socket(ex_family, SOCK_STREAM, 0)) == -1) {
			perror("tcpxfer: socket");
			return 1;
		}
		setbufs(s, bufsize);
		rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
		    sizeof(tv));
		/* Also bounds the wait for the receiver's close. */
		rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
		    sizeof(tv));
		if (rump_sys_connect(s, sa, salen) == 0)
			break;
		if (errno != ECONNREFUSED || tries >= 50 || stop) {
			perror("tcpxfer: connect");
			return 1;
		}
		rump_sys_close(s);
		usleep(100000);
	}
	sha256_init(&sh);
	t0 = now_s();
	while (sent < nbytes && !stop) {
		size_t n = sizeof(buf), off = 0;

		if (n > nbytes - sent)
			n = (size_t)(nbytes - sent);
		for (size_t i = 0; i + 8 <= sizeof(buf) &&
		    (!nohash || sent == 0); i += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(buf + i, &x, 8);
		}
		if (!nohash)
			sha256_update(&sh, buf, n);
		while (off < n) {
			ssize_t w = rump_sys_write(s, buf + off, n - off);

			if (w < 0) {
				perror("tcpxfer: write");
				return 1;
			}
			off += (size_t)w;
		}
		sent += n;
	}
	if (rump_sys_shutdown(s, SHUT_WR) == -1)
		perror("tcpxfer: shutdown");
	/* Wait for the receiver's close: everything was acknowledged. */
	{
		char c;

		(void)rump_sys_read(s, &c, 1);
	}
	if (verbose)
		stats("sent", sent, t0);
	rump_sys_close(s);
	if (nohash)
		strcpy(hex, "-");
	else
		sha256_hex(&sh, hex);
	printf("sent %llu bytes sha256 %s\n", sent, hex);
	return stop ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const char *gateway = NULL;
	unsigned long long nbytes = 10000000;
	int ch, port = 5001, bufsize = 0, seconds = 300, verbose = 0, rv;

	while ((ch = getopt(argc, argv, "n:p:b:g:t:sx")) != -1) {
		switch (ch) {
		case 'n':
			nbytes = number(optarg, 1ull << 50);
			break;
		case 'p':
			port = (int)number(optarg, 65535);
			break;
		case 'b':
			bufsize = (int)number(optarg, 64 * 1024 * 1024);
			break;
		case 'g':
			gateway = optarg;
			break;
		case 't':
			seconds = (int)number(optarg, 86400);
			break;
		case 's':
			verbose = 1;
			break;
		case 'x':
			nohash = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc > 3 || port == 0)
		usage();

	signal(SIGINT, onsignal);
	signal(SIGTERM, onsignal);
	signal(SIGPIPE, SIG_IGN);
	if ((rv = rump_init()) != 0) {
		fprintf(stderr, "tcpxfer: rump_init: %s\n", strerror(rv));
		return 1;
	}
	if ((rv = ex_join_bus("tcpxfer", argv[0], argv[1])) == -2)
		usage();
	if (rv != 0)
		return 1;
	if (gateway != NULL &&
	    (rv = ex_default_route("tcpxfer", gateway)) != 0) {
		if (rv == -2)
			usage();
		return 1;
	}
	if (argc == 3)
		rv = sender(argv[2], port, nbytes, bufsize, seconds, verbose);
	else
		rv = receiver(port, bufsize, seconds, verbose);
	if (verbose)
		ex_print_offload();
	rump_fini();
	return rv;
}
