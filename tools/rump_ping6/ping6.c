/*
 * rump.ping6 -- send ICMPv6 echo requests from a rump kernel.
 *
 *	rump.ping6 [-nqv] [-c count] [-h hoplimit] [-I interface]
 *	    [-i interval] [-S sourceaddr] [-s size] [-X deadline]
 *	    host[%zone]
 *
 * As NetBSD's ping6(8): a raw ICMPv6 socket (the kernel computes the
 * checksum), 56 data bytes whose first 16 carry the send time,
 * NetBSD's output lines and summary.  A link-local target needs a zone
 * (fe80::1%shmif0, or -I); without one the kernel has no route
 * ("No route to host").  -X is an overall deadline; after the last
 * probe, ping6 waits for replies max(2 x the longest round trip,
 * 10 x the interval).  Exit status: 0 if any reply came back, 2 if
 * none, 1 on errors.
 */
#include <errno.h>
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

#define ICMP6HDR_LEN	8
#define MAXDATA		(65535 - 40 - ICMP6HDR_LEN)

#define ICMP6_DST_UNREACH	1
#define ICMP6_PACKET_TOO_BIG	2
#define ICMP6_TIME_EXCEEDED	3
#define ICMP6_PARAM_PROB	4
#define ICMP6_ECHO_REQUEST	128
#define ICMP6_ECHO_REPLY	129

/* Linux IPPROTO_IPV6 option numbers (the kernel's ABI). */
#define RN_IPV6_UNICAST_HOPS	16
#define RN_IPV6_MULTICAST_HOPS	18

static const char *const usage_lines[] = {
	"rump.ping6 [-nqv] [-c count] [-h hoplimit] [-I interface] "
	    "[-i interval] [-S sourceaddr] [-s size] [-X deadline] "
	    "host[%zone]",
	NULL
};

struct ping6 {
	unsigned long	count;
	uint64_t	interval;	/* ns */
	uint64_t	deadline;	/* ns, 0: none */
	unsigned long	datalen;
	int		hoplimit;	/* -1: the kernel's */
	int		numeric, quiet, verbose;
	int		havesrc;
	uint8_t		src[16];
	uint32_t	srczone;
	uint32_t	ifindex;	/* -I */
	const char	*hostname;
	uint8_t		dst[16];
	uint32_t	zone;
	int		fd;
	uint16_t	ident;
	struct rn_pingstats stats;	/* counts and round-trip times */
	uint8_t		*rcvd;
};

static volatile sig_atomic_t ping_interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	ping_interrupted = 1;
}


static void
fill_sin6(struct sockaddr_in6 *s, const uint8_t *addr, uint32_t zone)
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	memcpy(&s->sin6_addr, addr, 16);
	if (rn_inet6_is_scoped(addr))
		s->sin6_scope_id = zone;
}

/* "fe80::1%shmif0" for scoped addresses, the plain text otherwise. */
static const char *
fmt_addr(const uint8_t *a, uint32_t zone, char *buf, size_t len)
{
	char t[RN_INET6_STRLEN], ifn[RUMP_IFNAMSIZ];

	rn_fmt_inet6(a, t);
	if (rn_inet6_is_scoped(a) && zone != 0)
		snprintf(buf, len, "%s%%%s", t, rn_ifname(zone, ifn));
	else
		snprintf(buf, len, "%s", t);
	return buf;
}

static void
send_probe(struct ping6 *p, uint8_t *pkt)
{
	size_t len = ICMP6HDR_LEN + p->datalen;
	uint16_t seq = (uint16_t)p->stats.ps_ntransmitted;
	struct sockaddr_in6 to;
	ssize_t n;

	memset(pkt, 0, ICMP6HDR_LEN);
	pkt[0] = ICMP6_ECHO_REQUEST;
	pkt[4] = (uint8_t)(p->ident >> 8);
	pkt[5] = (uint8_t)p->ident;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	rn_ping_fill(pkt + ICMP6HDR_LEN, p->datalen);
	fill_sin6(&to, p->dst, p->zone);
	p->stats.ps_ntransmitted++;
	n = rump_sys_sendto(p->fd, pkt, len, 0, (struct sockaddr *)&to,
	    sizeof(to));
	if (n < 0)
		rn_warn("sendto");
	else if ((size_t)n != len)
		rn_warnx("wrote %s %zu chars, ret=%zd", p->hostname, len, n);
}

/* NetBSD ping6's words for an ICMPv6 error. */
static const char *
icmp6_text(const uint8_t *icmp, char *buf, size_t len)
{
	static const char *const unreach[] = {
		"No Route to Destination",
		"Administratively Prohibited",
		"Beyond Scope of Source Address",
		"Destination Host Unreachable",
		"Destination Port Unreachable",
		"Source Address Failed Ingress/Egress Policy",
		"Reject Route to Destination",
	};
	unsigned type = icmp[0], code = icmp[1];

	switch (type) {
	case ICMP6_DST_UNREACH:
		if (code < sizeof(unreach) / sizeof(unreach[0]))
			return unreach[code];
		snprintf(buf, len, "Destination Unreachable, Bad Code: %u",
		    code);
		return buf;
	case ICMP6_PACKET_TOO_BIG:
		snprintf(buf, len, "Packet too big mtu = %u",
		    (unsigned)icmp[4] << 24 | (unsigned)icmp[5] << 16 |
		    (unsigned)icmp[6] << 8 | icmp[7]);
		return buf;
	case ICMP6_TIME_EXCEEDED:
		return code == 0 ? "Time to live exceeded" :
		    "Frag reassembly time exceeded";
	case ICMP6_PARAM_PROB:
		snprintf(buf, len, "Parameter problem: %s, pointer = 0x%02x",
		    code == 0 ? "Erroneous Header" : code == 1 ?
		    "Unknown Nextheader" : "Unrecognized Option",
		    (unsigned)icmp[6] << 8 | icmp[7]);
		return buf;
	case ICMP6_ECHO_REQUEST:
		return "Echo Request";
	default:
		snprintf(buf, len, "Bad ICMP type: %u", type);
		return buf;
	}
}

static void
handle_packet(struct ping6 *p, const uint8_t *icmp, size_t len,
    const struct sockaddr_in6 *from)
{
	char fbuf[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2], tbuf[96];
	const uint8_t *fa = (const uint8_t *)&from->sin6_addr;
	unsigned type;
	uint16_t seq;

	if (len < ICMP6HDR_LEN)
		return;
	type = icmp[0];
	fmt_addr(fa, from->sin6_scope_id, fbuf, sizeof(fbuf));
	if (type == ICMP6_ECHO_REPLY) {
		uint64_t rtt;
		bool dup, timed;

		if (((unsigned)icmp[4] << 8 | icmp[5]) != p->ident)
			return;
		seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
		dup = rn_ping_reply(&p->stats, p->rcvd, seq, icmp + ICMP6HDR_LEN,
		    len - ICMP6HDR_LEN, p->datalen, &rtt, &timed);
		if (p->quiet)
			return;
		printf("%zu bytes from %s, icmp_seq=%u", len, fbuf, seq);
		if (timed)
			printf(" time=%.3f ms", (double)rtt / 1e6);
		if (dup)
			printf("(DUP!)");
		printf("\n");
		fflush(stdout);
		return;
	}
	if (type >= 128 && !p->verbose)
		return;		/* neighbour discovery and the like */
	/* An error about one of our probes quotes its IPv6 header. */
	if (type < 128 && len >= ICMP6HDR_LEN + 40 + ICMP6HDR_LEN) {
		const uint8_t *inner = icmp + ICMP6HDR_LEN;
		const uint8_t *iicmp = inner + 40;

		if (inner[6] == IPPROTO_ICMPV6 &&
		    iicmp[0] == ICMP6_ECHO_REQUEST &&
		    ((unsigned)iicmp[4] << 8 | iicmp[5]) == p->ident) {
			printf("%zu bytes from %s: %s\n", len, fbuf,
			    icmp6_text(icmp, tbuf, sizeof(tbuf)));
			fflush(stdout);
			return;
		}
	}
	if (p->verbose && type < 128) {
		printf("%zu bytes from %s: %s\n", len, fbuf,
		    icmp6_text(icmp, tbuf, sizeof(tbuf)));
		fflush(stdout);
	}
}

static void
summary(const struct ping6 *p)
{
	printf("\n--- %s ping6 statistics ---\n", p->hostname);
	rn_ping_summary(&p->stats, p->datalen >= RN_PING_TSLEN, "std-dev");
}

/* The source the kernel would pick: connect a datagram socket. */
static void
source_of(struct ping6 *p, uint8_t *src, uint32_t *zone)
{
	struct sockaddr_in6 to, me;
	socklen_t len = sizeof(me);
	int s;

	memset(src, 0, 16);
	*zone = p->zone;
	if (p->havesrc) {
		memcpy(src, p->src, 16);
		*zone = p->srczone;
		return;
	}
	if ((s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0)) < 0)
		return;
	fill_sin6(&to, p->dst, p->zone);
	to.sin6_port = htons(9);
	if (rump_sys_connect(s, (struct sockaddr *)&to, sizeof(to)) == 0 &&
	    rump_sys_getsockname(s, (struct sockaddr *)&me, &len) == 0) {
		memcpy(src, &me.sin6_addr, 16);
		if (me.sin6_scope_id != 0)
			*zone = me.sin6_scope_id;
	}
	rump_sys_close(s);
}

static void
open_socket(struct ping6 *p)
{
	int bufsize = 2 * 65536;

	p->fd = rump_sys_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (p->fd < 0)
		rn_err(1, "socket");
	(void)rump_sys_setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &bufsize,
	    sizeof(bufsize));
	(void)rump_sys_setsockopt(p->fd, SOL_SOCKET, SO_SNDBUF, &bufsize,
	    sizeof(bufsize));
	if (p->hoplimit >= 0 &&
	    (rump_sys_setsockopt(p->fd, IPPROTO_IPV6, RN_IPV6_UNICAST_HOPS,
	    &p->hoplimit, sizeof(p->hoplimit)) != 0 ||
	    rump_sys_setsockopt(p->fd, IPPROTO_IPV6, RN_IPV6_MULTICAST_HOPS,
	    &p->hoplimit, sizeof(p->hoplimit)) != 0) && errno != ENOPROTOOPT)
		rn_err(1, "setsockopt IPV6_UNICAST_HOPS");
	if (p->havesrc) {
		struct sockaddr_in6 sin6;

		fill_sin6(&sin6, p->src, p->srczone);
		if (rump_sys_bind(p->fd, (struct sockaddr *)&sin6,
		    sizeof(sin6)) != 0)
			rn_err(1, "bind");
	}
}

static void
parse_options(struct ping6 *p, int argc, char **argv)
{
	struct rump_ifinfo ifi;
	int ch, error;

	while ((ch = getopt(argc, argv, "c:h:I:i:nqS:s:vX:")) != -1) {
		switch (ch) {
		case 'c':
			p->count = rn_parse_ulong_or_die(optarg, 1,
			    0x7fffffffUL, "-c");
			break;
		case 'h':
			p->hoplimit = (int)rn_parse_ulong_or_die(optarg, 0,
			    255, "-h");
			break;
		case 'I':
			if ((error = rn_ifinfo_byname(optarg, &ifi)) != 0)
				rn_errc(1, error, "%s", optarg);
			p->ifindex = ifi.ifi_index;
			break;
		case 'i':
			if (!rn_parse_seconds(optarg, 3600, &p->interval) ||
			    p->interval < 1000000ull)
				rn_errx(1, "-i %s: bad interval", optarg);
			break;
		case 'n':
			p->numeric = 1;
			break;
		case 'q':
			p->quiet = 1;
			break;
		case 'S':
			if (!rn_parse_inet6_zone(optarg, p->src, &p->srczone))
				rn_errx(1, "-S %s: bad source address",
				    optarg);
			p->havesrc = 1;
			break;
		case 's':
			p->datalen = rn_parse_ulong_or_die(optarg, 0, MAXDATA,
			    "-s");
			break;
		case 'v':
			p->verbose = 1;
			break;
		case 'X':
			if (!rn_parse_seconds(optarg, 86400 * 365,
			    &p->deadline) || p->deadline == 0)
				rn_errx(1, "-X %s: bad deadline", optarg);
			break;
		default:
			rn_usage(usage_lines);
		}
	}
	if (optind != argc - 1)
		rn_usage(usage_lines);
	p->hostname = argv[optind];
	if (!rn_parse_inet6_zone(p->hostname, p->dst, &p->zone))
		rn_errx(1, "%s: bad address (an IPv6 address, with %%zone "
		    "for link-local ones, is expected)", p->hostname);
	if (p->zone == 0)
		p->zone = p->ifindex;
	if (p->srczone == 0)
		p->srczone = p->ifindex != 0 ? p->ifindex : p->zone;
}

/* rn_ping_run's callbacks: what they work on. */
struct ping6_io {
	struct ping6	*p;
	uint8_t		*pkt;		/* the probe being built */
	uint8_t		*rbuf;		/* a datagram received */
	size_t		 rlen;
};

static void
ping6_send(void *arg)
{
	struct ping6_io *io = arg;

	send_probe(io->p, io->pkt);
}

static void
ping6_recv(void *arg)
{
	struct ping6_io *io = arg;
	struct sockaddr_in6 from;
	socklen_t flen = sizeof(from);
	ssize_t r;

	memset(&from, 0, sizeof(from));
	r = rump_sys_recvfrom(io->p->fd, io->rbuf, io->rlen, 0,
	    (struct sockaddr *)&from, &flen);
	if (r < 0) {
		if (errno != EINTR && errno != EAGAIN)
			rn_warn("recvfrom");
		return;
	}
	handle_packet(io->p, io->rbuf, (size_t)r, &from);
}

int
main(int argc, char **argv)
{
	struct ping6 p;
	struct sigaction sa;
	uint8_t *pkt, *rbuf, src[16];
	size_t rlen = 65536 + 64;
	struct ping6_io io;
	struct rn_pingrun run;
	char a[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2];
	char b[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2];
	uint32_t srczone;

	rn_init("rump.ping6");
	memset(&p, 0, sizeof(p));
	p.interval = 1000000000ull;
	p.datalen = 56;
	p.hoplimit = -1;
	parse_options(&p, argc, argv);
	p.ident = (uint16_t)getpid();
	if ((pkt = malloc(ICMP6HDR_LEN + p.datalen)) == NULL ||
	    (rbuf = malloc(rlen)) == NULL ||
	    (p.rcvd = calloc(RN_PING_SEQS / 8, 1)) == NULL)
		rn_err(1, "malloc");
	open_socket(&p);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);

	source_of(&p, src, &srczone);
	printf("PING6(%lu=40+8+%lu bytes) %s --> %s\n",
	    40 + 8 + p.datalen, p.datalen,
	    fmt_addr(src, srczone, a, sizeof(a)),
	    fmt_addr(p.dst, p.zone, b, sizeof(b)));
	fflush(stdout);

	io = (struct ping6_io){ .p = &p, .pkt = pkt, .rbuf = rbuf,
	    .rlen = rlen };
	run = (struct rn_pingrun){ .pr_fd = p.fd, .pr_interval = p.interval,
	    .pr_deadline = p.deadline ? rn_now_ns() + p.deadline : 0,
	    .pr_count = p.count, .pr_stats = &p.stats,
	    .pr_stop = &ping_interrupted, .pr_send = ping6_send,
	    .pr_recv = ping6_recv, .pr_arg = &io };
	rn_ping_run(&run);
	summary(&p);
	rump_sys_close(p.fd);
	free(pkt);
	free(rbuf);
	free(p.rcvd);
	return p.stats.ps_nreceived > 0 ? 0 : 2;
}
