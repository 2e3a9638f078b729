/*
 * rump.ping -- send ICMP echo requests from a rump kernel.
 *
 *	rump.ping [-DnoqRv] [-c count] [-I srcaddr] [-i interval]
 *	    [-s size] [-T ttl] [-t tos] [-w maxwait] host
 *
 * As NetBSD's ping(8): a raw socket with IP_HDRINCL (the IP header is
 * built here: TTL 255 by default, DF with -D), 56 data bytes whose
 * first 16 carry the send time, NetBSD's output lines and summary.
 * -w is an overall deadline; after the last probe, ping waits for
 * replies max(2 x the longest round trip, 10 x the interval).
 * Exit status: 0 if any reply came back, 2 if none, 1 on errors.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rumpnet/rump_syscalls.h>

#include "tools/common/rntool.h"

#define IPHDR_LEN	20
#define ICMPHDR_LEN	8
#define MAXDATA		(65535 - IPHDR_LEN - ICMPHDR_LEN)

#define ICMP_ECHOREPLY	0
#define ICMP_UNREACH	3
#define ICMP_SOURCEQUENCH 4
#define ICMP_REDIRECT	5
#define ICMP_ECHO	8
#define ICMP_TIMXCEED	11
#define ICMP_PARAMPROB	12

static const char *const usage_lines[] = {
	"rump.ping [-DnoqRv] [-c count] [-I srcaddr] [-i interval] "
	    "[-s size] [-T ttl] [-t tos] [-w maxwait] host",
	NULL
};

struct ping {
	/* options */
	unsigned long	count;		/* 0: until interrupted */
	uint64_t	interval;	/* ns */
	uint64_t	maxwait;	/* ns, 0: none */
	unsigned long	datalen;
	unsigned	ttl, tos;
	int		df, numeric, quiet, verbose, once;
	int		havesrc;
	uint8_t		src[4];
	/* target */
	const char	*hostname;
	uint8_t		dst[4];
	/* state */
	int		fd;
	uint16_t	ident;
	struct rn_pingstats stats;	/* counts and round-trip times */
	uint8_t		*rcvd;		/* one bit per sequence number */
};

/* Set by SIGINT: print the summary and stop. */
static volatile sig_atomic_t ping_interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	ping_interrupted = 1;
}

static uint16_t
cksum16(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}


static void
send_probe(struct ping *p, uint8_t *pkt)
{
	size_t icmplen = ICMPHDR_LEN + p->datalen;
	size_t len = IPHDR_LEN + icmplen;
	uint16_t seq = (uint16_t)p->stats.ps_ntransmitted, sum;
	struct sockaddr_in to;
	uint8_t *icmp = pkt + IPHDR_LEN;
	ssize_t n;

	memset(pkt, 0, IPHDR_LEN + ICMPHDR_LEN);
	pkt[0] = 0x45;
	pkt[1] = (uint8_t)p->tos;
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	if (p->df)
		pkt[6] = 0x40;
	pkt[8] = (uint8_t)p->ttl;
	pkt[9] = IPPROTO_ICMP;
	if (p->havesrc)
		memcpy(pkt + 12, p->src, 4);
	memcpy(pkt + 16, p->dst, 4);

	icmp[0] = ICMP_ECHO;
	icmp[4] = (uint8_t)(p->ident >> 8);
	icmp[5] = (uint8_t)p->ident;
	icmp[6] = (uint8_t)(seq >> 8);
	icmp[7] = (uint8_t)seq;
	rn_ping_fill(icmp + ICMPHDR_LEN, p->datalen);
	sum = cksum16(icmp, icmplen);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;

	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	memcpy(&to.sin_addr, p->dst, 4);
	p->stats.ps_ntransmitted++;
	n = rump_sys_sendto(p->fd, pkt, len, 0, (struct sockaddr *)&to,
	    sizeof(to));
	if (n < 0)
		rn_warn("sendto");
	else if ((size_t)n != len)
		rn_warnx("wrote %s %zu chars, ret=%zd", p->hostname, len, n);
}

/* The text NetBSD's ping prints for an ICMP error. */
static const char *
icmp_text(unsigned type, unsigned code, const uint8_t *icmp, char *buf,
    size_t len)
{
	static const char *const unreach[] = {
		"Destination Net Unreachable",
		"Destination Host Unreachable",
		"Destination Protocol Unreachable",
		"Destination Port Unreachable",
		NULL,
		"Source Route Failed",
		"Destination Net Unknown",
		"Destination Host Unknown",
		"Source Host Isolated",
		"Net prohibited access",
		"Host prohibited access",
		"Bad TOS for net",
		"Bad TOS for host",
		"Communication prohibited by filter",
		"Host precedence violation",
		"Precedence cutoff",
	};

	switch (type) {
	case ICMP_UNREACH:
		if (code == 4) {
			snprintf(buf, len, "frag needed and DF set.  Next MTU=%u",
			    (unsigned)icmp[6] << 8 | icmp[7]);
			return buf;
		}
		if (code < sizeof(unreach) / sizeof(unreach[0]))
			return unreach[code];
		snprintf(buf, len, "Destination Unreachable, Unknown Code: %u",
		    code);
		return buf;
	case ICMP_SOURCEQUENCH:
		return "Source Quench";
	case ICMP_REDIRECT:
		return "Redirect";
	case ICMP_TIMXCEED:
		return code == 0 ? "Time To Live exceeded" :
		    "Frag reassembly time exceeded";
	case ICMP_PARAMPROB:
		snprintf(buf, len, "Parameter problem: pointer = 0x%02x",
		    icmp[4]);
		return buf;
	case ICMP_ECHO:
		return "Echo Request";
	default:
		snprintf(buf, len, "Bad ICMP type: %u", type);
		return buf;
	}
}

static void
handle_packet(struct ping *p, const uint8_t *buf, size_t len)
{
	char from[RN_INET_STRLEN], tbuf[64];
	const uint8_t *icmp;
	size_t hlen, icmplen, iplen;
	unsigned type, code;
	uint16_t seq;

	if (len < IPHDR_LEN || (buf[0] >> 4) != 4)
		return;
	hlen = (size_t)(buf[0] & 0x0f) * 4;
	iplen = (size_t)buf[2] << 8 | buf[3];
	if (hlen < IPHDR_LEN || hlen + ICMPHDR_LEN > len)
		return;
	if (iplen < hlen || iplen > len)
		iplen = len;
	icmp = buf + hlen;
	icmplen = iplen - hlen;
	type = icmp[0];
	code = icmp[1];
	rn_fmt_inet(buf + 12, from);

	if (type == ICMP_ECHOREPLY) {
		uint64_t rtt;
		bool dup, timed;

		if (((unsigned)icmp[4] << 8 | icmp[5]) != p->ident)
			return;
		seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
		/* ip_len may claim less than the ICMP header we read. */
		dup = rn_ping_reply(&p->stats, p->rcvd, seq, icmp + ICMPHDR_LEN,
		    icmplen > ICMPHDR_LEN ? icmplen - ICMPHDR_LEN : 0,
		    p->datalen, &rtt, &timed);
		if (p->quiet)
			return;
		printf("%zu bytes from %s: icmp_seq=%u ttl=%u", icmplen, from,
		    seq, buf[8]);
		if (timed)
			printf(" time=%.3f ms", (double)rtt / 1e6);
		if (dup)
			printf(" (DUP!)");
		printf("\n");
		fflush(stdout);
		return;
	}
	if (type == ICMP_ECHO)
		return;		/* our own request, seen on loopback */

	/* An error about one of our probes carries its headers. */
	if (icmplen >= ICMPHDR_LEN + IPHDR_LEN + ICMPHDR_LEN &&
	    (type == ICMP_UNREACH || type == ICMP_TIMXCEED ||
	    type == ICMP_PARAMPROB || type == ICMP_SOURCEQUENCH ||
	    type == ICMP_REDIRECT)) {
		const uint8_t *inner = icmp + ICMPHDR_LEN;
		size_t ihlen = (size_t)(inner[0] & 0x0f) * 4;
		const uint8_t *iicmp = inner + ihlen;

		if (ihlen >= IPHDR_LEN &&
		    ICMPHDR_LEN + ihlen + ICMPHDR_LEN <= icmplen &&
		    inner[9] == IPPROTO_ICMP && iicmp[0] == ICMP_ECHO &&
		    ((unsigned)iicmp[4] << 8 | iicmp[5]) == p->ident) {
			printf("%zu bytes from %s: %s\n", icmplen, from,
			    icmp_text(type, code, icmp, tbuf, sizeof(tbuf)));
			fflush(stdout);
			return;
		}
	}
	if (p->verbose) {
		printf("%zu bytes from %s: %s\n", icmplen, from,
		    icmp_text(type, code, icmp, tbuf, sizeof(tbuf)));
		fflush(stdout);
	}
}

static void
summary(const struct ping *p)
{
	printf("\n----%s PING Statistics----\n", p->hostname);
	rn_ping_summary(&p->stats, p->datalen >= RN_PING_TSLEN, "stddev");
}

static void
resolve(struct ping *p, const char *host)
{
	struct addrinfo hints, *res;
	int error;

	if (rn_parse_inet(host, p->dst))
		return;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_RAW;
	if ((error = getaddrinfo(host, NULL, &hints, &res)) != 0)
		rn_errx(1, "Cannot resolve \"%s\" (%s)", host,
		    gai_strerror(error));
	memcpy(p->dst, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	freeaddrinfo(res);
}

static void
open_socket(struct ping *p)
{
	int on = 1, bufsize = 2 * 65536;

	p->fd = rump_sys_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (p->fd < 0)
		rn_err(1, "socket");
	if (rump_sys_setsockopt(p->fd, IPPROTO_IP, IP_HDRINCL, &on,
	    sizeof(on)) != 0)
		rn_err(1, "setsockopt IP_HDRINCL");
	(void)rump_sys_setsockopt(p->fd, SOL_SOCKET, SO_BROADCAST, &on,
	    sizeof(on));
	/*
	 * Room for the largest reply (and request); the kernel clamps
	 * the sizes to kern.sbmax, so a failure here is not fatal.
	 */
	(void)rump_sys_setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &bufsize,
	    sizeof(bufsize));
	(void)rump_sys_setsockopt(p->fd, SOL_SOCKET, SO_SNDBUF, &bufsize,
	    sizeof(bufsize));
	if (p->havesrc) {
		struct sockaddr_in sin;

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, p->src, 4);
		if (rump_sys_bind(p->fd, (struct sockaddr *)&sin,
		    sizeof(sin)) != 0)
			rn_err(1, "bind");
	}
}

static void
parse_options(struct ping *p, int argc, char **argv)
{
	unsigned long v;
	int ch;

	while ((ch = getopt(argc, argv, "c:DI:i:noqRs:T:t:vw:")) != -1) {
		switch (ch) {
		case 'c':
			p->count = rn_parse_ulong_or_die(optarg, 1,
			    0x7fffffffUL, "-c");
			break;
		case 'D':
			p->df = 1;
			break;
		case 'I':
			if (!rn_parse_inet(optarg, p->src))
				rn_errx(1, "-I %s: bad source address "
				    "(an IPv4 address is expected)", optarg);
			p->havesrc = 1;
			break;
		case 'i':
			if (!rn_parse_seconds(optarg, 3600, &p->interval) ||
			    p->interval < 1000000ull)
				rn_errx(1, "-i %s: bad interval (at least "
				    "0.001 seconds)", optarg);
			break;
		case 'n':
			p->numeric = 1;
			break;
		case 'o':
			p->once = 1;
			break;
		case 'q':
			p->quiet = 1;
			break;
		case 'R':
			rn_errx(1, "-R: record route is not supported");
		case 's':
			p->datalen = rn_parse_ulong_or_die(optarg, 0, MAXDATA,
			    "-s");
			break;
		case 'T':
			p->ttl = (unsigned)rn_parse_ulong_or_die(optarg, 1,
			    255, "-T");
			break;
		case 't':
			if (!rn_parse_ulong(optarg, 0, 0, 255, &v))
				rn_errx(1, "-t %s: bad value (expected "
				    "0..255)", optarg);
			p->tos = (unsigned)v;
			break;
		case 'v':
			p->verbose = 1;
			break;
		case 'w':
			if (!rn_parse_seconds(optarg, 86400 * 365, &p->maxwait) ||
			    p->maxwait == 0)
				rn_errx(1, "-w %s: bad maximum wait", optarg);
			break;
		default:
			rn_usage(usage_lines);
		}
	}
	if (optind != argc - 1)
		rn_usage(usage_lines);
	p->hostname = argv[optind];
}

/* rn_ping_run's callbacks: what they work on. */
struct ping_io {
	struct ping	*p;
	uint8_t		*pkt;		/* the probe being built */
	uint8_t		*rbuf;		/* a datagram received */
	size_t		 rlen;
};

static void
ping_send(void *arg)
{
	struct ping_io *io = arg;

	send_probe(io->p, io->pkt);
}

static void
ping_recv(void *arg)
{
	struct ping_io *io = arg;
	ssize_t r;

	r = rump_sys_recvfrom(io->p->fd, io->rbuf, io->rlen, 0, NULL, NULL);
	if (r < 0) {
		if (errno != EINTR && errno != EAGAIN)
			rn_warn("recvfrom");
		return;
	}
	handle_packet(io->p, io->rbuf, (size_t)r);
}

int
main(int argc, char **argv)
{
	struct ping p;
	struct sigaction sa;
	uint8_t *pkt, *rbuf;
	size_t rlen = 65536 + 64;
	char a[RN_INET_STRLEN];
	struct ping_io io;
	struct rn_pingrun run;

	rn_init("rump.ping");
	memset(&p, 0, sizeof(p));
	p.interval = 1000000000ull;
	p.datalen = 56;
	p.ttl = 255;
	parse_options(&p, argc, argv);
	resolve(&p, p.hostname);
	p.ident = (uint16_t)getpid();
	if ((pkt = malloc(IPHDR_LEN + ICMPHDR_LEN + p.datalen)) == NULL ||
	    (rbuf = malloc(rlen)) == NULL ||
	    (p.rcvd = calloc(RN_PING_SEQS / 8, 1)) == NULL)
		rn_err(1, "malloc");
	open_socket(&p);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	printf("PING %s (%s): %lu data bytes\n", p.hostname,
	    rn_fmt_inet(p.dst, a), p.datalen);
	fflush(stdout);

	io = (struct ping_io){ .p = &p, .pkt = pkt, .rbuf = rbuf,
	    .rlen = rlen };
	run = (struct rn_pingrun){ .pr_fd = p.fd, .pr_interval = p.interval,
	    .pr_deadline = p.maxwait ? rn_now_ns() + p.maxwait : 0,
	    .pr_count = p.count, .pr_once = p.once != 0,
	    .pr_stats = &p.stats, .pr_stop = &ping_interrupted,
	    .pr_send = ping_send, .pr_recv = ping_recv, .pr_arg = &io };
	rn_ping_run(&run);
	summary(&p);
	rump_sys_close(p.fd);
	free(pkt);
	free(rbuf);
	free(p.rcvd);
	return p.stats.ps_nreceived > 0 ? 0 : 2;
}
