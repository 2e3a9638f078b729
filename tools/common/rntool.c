/*
 * rntool.c -- messages, parsing and kernel access shared by the rump.*
 * tools.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rumpnet/rump_net.h>
#include <rumpnet/rump_syscalls.h>

#include "tools/common/rntool.h"

/* Per-process tool state: the program name and the control socket. */
static const char *rn_prog = "rump";
static int rn_sock = -1;

void
rn_init(const char *progname)
{
	const char *srv;

	rn_prog = progname;
	srv = getenv("RUMP_SERVER");
	if (srv == NULL || *srv == '\0')
		rn_errx(1, "RUMP_SERVER is not set: export "
		    "RUMP_SERVER=unix://PATH of a rump_server");
}

const char *
rn_progname(void)
{
	return rn_prog;
}

/*
 * The BSD texts of the errno values whose Linux wording differs; the
 * NetBSD test scripts match these strings.  Others use strerror().
 */
static const struct {
	int		e_errno;
	const char	*e_text;
} rn_errtab[] = {
	{ ENXIO,	"Device not configured" },
	{ EBUSY,	"Device busy" },
	{ EADDRNOTAVAIL, "Can't assign requested address" },
	{ EAFNOSUPPORT,	"Address family not supported by protocol family" },
	{ ENOTSUP,	"Operation not supported" },
	{ ENODEV,	"Operation not supported by device" },
	{ EMSGSIZE,	"Message too long" },
	{ ETIMEDOUT,	"Operation timed out" },
	{ ECONNREFUSED,	"Connection refused" },
};

const char *
rn_strerror(int error)
{
	size_t i;

	for (i = 0; i < sizeof(rn_errtab) / sizeof(rn_errtab[0]); i++)
		if (rn_errtab[i].e_errno == error)
			return rn_errtab[i].e_text;
	return strerror(error);
}

static void
vmsg(int error, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", rn_prog);
	vfprintf(stderr, fmt, ap);
	if (error != 0)
		fprintf(stderr, ": %s", rn_strerror(error));
	fputc('\n', stderr);
}

void
rn_err(int status, const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(error, fmt, ap);
	va_end(ap);
	exit(status);
}

void
rn_errc(int status, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(error, fmt, ap);
	va_end(ap);
	exit(status);
}

void
rn_errx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
rn_warn(const char *fmt, ...)
{
	int error = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(error, fmt, ap);
	va_end(ap);
}

void
rn_warnc(int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(error, fmt, ap);
	va_end(ap);
}

void
rn_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(0, fmt, ap);
	va_end(ap);
}

void
rn_usage(const char *const *lines)
{
	size_t i;

	fflush(stdout);
	for (i = 0; lines[i] != NULL; i++)
		fprintf(stderr, "%s%s\n", i == 0 ? "usage: " : "       ",
		    lines[i]);
	exit(1);
}

/* ------------------------------------------------------------- parsing */

bool
rn_parse_ulong(const char *s, int base, unsigned long min,
    unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	/* strtoul accepts leading blanks and a sign: refuse both. */
	if (s == NULL || !((*s >= '0' && *s <= '9') || (base == 16 &&
	    ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))))
		return false;
	/* base 16 would take "0x" too: a MAC byte is digits only. */
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    s[2] == '\0')
		return false;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

unsigned long
rn_parse_ulong_or_die(const char *s, unsigned long min, unsigned long max,
    const char *what)
{
	unsigned long v;

	if (!rn_parse_ulong(s, 10, min, max, &v))
		rn_errx(1, "%s: bad value '%s' (expected %lu..%lu)", what, s,
		    min, max);
	return v;
}

bool
rn_parse_seconds(const char *s, uint64_t maxsec, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000ull;
	const char *p = s;

	if (*p == '\0' || (*p == '.' && p[1] == '\0'))
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		sec = sec * 10 + (uint64_t)(*p - '0');
		if (sec > maxsec)
			return false;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
		}
	}
	if (*p != '\0' || p == s)
		return false;
	if (sec == maxsec && frac > 0)
		return false;
	*ns = sec * 1000000000ull + frac;
	return true;
}

bool
rn_parse_inet(const char *s, uint8_t addr[4])
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	memcpy(addr, &in, 4);
	return true;
}

bool
rn_parse_inet_prefix(const char *s, uint8_t addr[4], int *plen)
{
	char buf[RN_INET_STRLEN];
	const char *slash = strchr(s, '/');
	unsigned long v;

	*plen = -1;
	if (slash == NULL)
		return rn_parse_inet(s, addr);
	if ((size_t)(slash - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (!rn_parse_inet(buf, addr) ||
	    !rn_parse_ulong(slash + 1, 10, 0, 32, &v))
		return false;
	*plen = (int)v;
	return true;
}

bool
rn_parse_netmask(const char *s, int *plen)
{
	uint8_t m[4];
	uint32_t mask;
	unsigned long v;
	int n;

	if (rn_parse_inet(s, m)) {
		mask = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
		    (uint32_t)m[2] << 8 | m[3];
	} else if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) &&
	    rn_parse_ulong(s, 16, 0, 0xffffffffUL, &v)) {
		mask = (uint32_t)v;
	} else
		return false;
	for (n = 0; n < 32 && (mask & (0x80000000u >> n)); n++)
		continue;
	if (n < 32 && (mask << n) != 0)
		return false;		/* not contiguous */
	*plen = n;
	return true;
}

bool
rn_parse_inet6(const char *s, uint8_t addr[16])
{
	return inet_pton(AF_INET6, s, addr) == 1;
}

bool
rn_parse_inet6_zone(const char *s, uint8_t addr[16], uint32_t *zone)
{
	char buf[RN_INET6_STRLEN];
	const char *pct = strchr(s, '%');
	struct rump_ifinfo ifi;
	unsigned long v;
	size_t n = pct != NULL ? (size_t)(pct - s) : strlen(s);

	*zone = 0;
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!rn_parse_inet6(buf, addr))
		return false;
	if (pct == NULL)
		return true;
	if (rn_parse_ulong(pct + 1, 10, 1, 0xffffffffUL, &v)) {
		*zone = (uint32_t)v;
		return true;
	}
	if (rn_ifinfo_byname(pct + 1, &ifi) != 0)
		return false;
	*zone = ifi.ifi_index;
	return true;
}

bool
rn_inet6_is_scoped(const uint8_t addr[16])
{
	return (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80) ||
	    (addr[0] == 0xff && (addr[1] & 0x0f) == 0x02);
}

bool
rn_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned long v;
	char part[3];
	int i, n;

	for (i = 0; i < 6; i++) {
		for (n = 0; n < 2 && s[n] != ':' && s[n] != '\0'; n++)
			part[n] = s[n];
		if (n == 0)
			return false;
		part[n] = '\0';
		if (!rn_parse_ulong(part, 16, 0, 255, &v))
			return false;
		mac[i] = (uint8_t)v;
		s += n;
		if (i < 5) {
			if (*s != ':')
				return false;
			s++;
		}
	}
	return *s == '\0';
}

const char *
rn_fmt_inet(const uint8_t addr[4], char buf[RN_INET_STRLEN])
{
	snprintf(buf, RN_INET_STRLEN, "%u.%u.%u.%u", addr[0], addr[1],
	    addr[2], addr[3]);
	return buf;
}

const char *
rn_fmt_inet6(const uint8_t addr[16], char buf[RN_INET6_STRLEN])
{
	if (inet_ntop(AF_INET6, addr, buf, RN_INET6_STRLEN) == NULL)
		snprintf(buf, RN_INET6_STRLEN, "?");
	return buf;
}

const char *
rn_fmt_mac(const uint8_t mac[6], char buf[RN_MAC_STRLEN])
{
	snprintf(buf, RN_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

void
rn_plen_to_mask(int plen, uint8_t mask[4])
{
	uint32_t m = plen <= 0 ? 0 : plen >= 32 ? 0xffffffffu :
	    ~(0xffffffffu >> plen);

	mask[0] = (uint8_t)(m >> 24);
	mask[1] = (uint8_t)(m >> 16);
	mask[2] = (uint8_t)(m >> 8);
	mask[3] = (uint8_t)m;
}

/* The historical class of an address decides a default prefix. */
int
rn_classful_plen(const uint8_t addr[4])
{
	if (addr[0] < 128)
		return 8;
	if (addr[0] < 192)
		return 16;
	return 24;
}

bool
rn_is_zero(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != 0)
			return false;
	return true;
}

/* ---------------------------------------------------------- the kernel */

int
rn_ctlsock(void)
{
	if (rn_sock < 0) {
		rn_sock = rump_sys_socket(AF_INET, SOCK_DGRAM, 0);
		if (rn_sock < 0)
			rn_err(1, "cannot reach the server at %s",
			    getenv("RUMP_SERVER") != NULL ?
			    getenv("RUMP_SERVER") : "(unset)");
	}
	return rn_sock;
}

int
rn_ioctl(unsigned long req, void *arg)
{
	return rump_sys_ioctl(rn_ctlsock(), req, arg);
}

void
rn_setifname(char dst[RUMP_IFNAMSIZ], const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= RUMP_IFNAMSIZ)
		rn_errx(1, "%s: bad interface name", name);
	memset(dst, 0, RUMP_IFNAMSIZ);
	memcpy(dst, name, n);
}

int
rn_ifinfo_byname(const char *name, struct rump_ifinfo *ifi)
{
	memset(ifi, 0, sizeof(*ifi));
	if (strlen(name) >= RUMP_IFNAMSIZ)
		return ENXIO;
	strcpy(ifi->ifi_name, name);
	ifi->ifi_query = RUMP_IFQ_NAME;
	return rn_ioctl(RUMP_SIOCGIFINFO, ifi) == 0 ? 0 : errno;
}

int
rn_ifinfo_byindex(uint32_t index, struct rump_ifinfo *ifi)
{
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_index = index;
	ifi->ifi_query = RUMP_IFQ_INDEX;
	return rn_ioctl(RUMP_SIOCGIFINFO, ifi) == 0 ? 0 : errno;
}

bool
rn_ifinfo_next(struct rump_ifinfo *ifi)
{
	uint32_t index = ifi->ifi_index;

	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_index = index;
	ifi->ifi_query = RUMP_IFQ_NEXT;
	if (rn_ioctl(RUMP_SIOCGIFINFO, ifi) == 0)
		return true;
	if (errno != ENOENT && errno != ENXIO)
		rn_err(1, "SIOCGIFINFO");
	return false;
}

const char *
rn_ifname(uint32_t index, char buf[RUMP_IFNAMSIZ])
{
	struct rump_ifinfo ifi;

	if (index == 0 || rn_ifinfo_byindex(index, &ifi) != 0) {
		snprintf(buf, RUMP_IFNAMSIZ, "?");
		return buf;
	}
	memcpy(buf, ifi.ifi_name, RUMP_IFNAMSIZ);
	buf[RUMP_IFNAMSIZ - 1] = '\0';
	return buf;
}

int
rn_sysctl_get(const char *name, void *buf, size_t *len)
{
	return rump_sys_sysctlbyname(name, buf, len, NULL, 0) == 0 ? 0 :
	    errno;
}

void
rn_sleep_ns(uint64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

uint64_t
rn_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Square root by Newton's method: the tools do not link libm. */
static double
rn_sqrt(double x)
{
	double r = x > 1 ? x : 1;

	if (x <= 0)
		return 0;
	for (int i = 0; i < 100; i++)
		r = (r + x / r) / 2;
	return r;
}

void
rn_ping_summary(const struct rn_pingstats *ps, bool timed, const char *stddev)
{
	printf("%lu packets transmitted, ", ps->ps_ntransmitted);
	printf("%lu packets received, ", ps->ps_nreceived);
	if (ps->ps_nrepeats)
		printf("+%lu duplicates, ", ps->ps_nrepeats);
	if (ps->ps_ntransmitted) {
		if (ps->ps_nreceived > ps->ps_ntransmitted)
			printf("-- somebody's duplicating packets!");
		else
			printf("%.1f%% packet loss",
			    (double)(ps->ps_ntransmitted - ps->ps_nreceived) *
			    100.0 / (double)ps->ps_ntransmitted);
	}
	printf("\n");
	if (ps->ps_nreceived > 0 && timed) {
		double n = (double)ps->ps_nreceived;
		double avg = ps->ps_tsum / n;
		double var = ps->ps_tsumsq / n - avg * avg;

		printf("round-trip min/avg/max/%s = %.3f/%.3f/%.3f/%.3f ms\n",
		    stddev, (double)ps->ps_tmin / 1e6, avg,
		    (double)ps->ps_tmax / 1e6, rn_sqrt(var > 0 ? var : 0));
	}
	fflush(stdout);
}

static void
rn_put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t
rn_get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
rn_ping_fill(uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)i;
	if (len >= RN_PING_TSLEN) {
		uint64_t now = rn_now_ns();

		rn_put64(data, now / 1000000000ull);
		rn_put64(data + 8, now % 1000000000ull);
	}
}

bool
rn_ping_reply(struct rn_pingstats *ps, uint8_t *rcvd, uint16_t seq,
    const uint8_t *data, size_t len, size_t datalen, uint64_t *rttp,
    bool *timedp)
{
	uint64_t rtt = 0;
	bool timed = false;

	if (len >= RN_PING_TSLEN && datalen >= RN_PING_TSLEN) {
		uint64_t sent = rn_get64(data) * 1000000000ull +
		    rn_get64(data + 8);
		uint64_t now = rn_now_ns();

		rtt = now > sent ? now - sent : 0;
		timed = true;
	}
	*rttp = rtt;
	*timedp = timed;
	if ((rcvd[seq / 8] >> (seq % 8)) & 1) {
		ps->ps_nrepeats++;
		return true;
	}
	rcvd[seq / 8] |= (uint8_t)(1u << (seq % 8));
	ps->ps_nreceived++;
	if (timed) {
		double ms = (double)rtt / 1e6;

		if (ps->ps_nreceived == 1 || rtt < ps->ps_tmin)
			ps->ps_tmin = rtt;
		if (rtt > ps->ps_tmax)
			ps->ps_tmax = rtt;
		ps->ps_tsum += ms;
		ps->ps_tsumsq += ms * ms;
	}
	return false;
}

void
rn_ping_run(const struct rn_pingrun *pr)
{
	const struct rn_pingstats *ps = pr->pr_stats;
	uint64_t now, nextsend = rn_now_ns(), linger = 0, until;
	struct pollfd pfd;
	int timeout, n;

	while (!*pr->pr_stop) {
		now = rn_now_ns();
		if (pr->pr_deadline && now >= pr->pr_deadline)
			break;
		if (pr->pr_count && ps->ps_nreceived >= pr->pr_count)
			break;
		if (pr->pr_once && ps->ps_nreceived > 0)
			break;
		if (now >= nextsend && (pr->pr_count == 0 ||
		    ps->ps_ntransmitted < pr->pr_count)) {
			(*pr->pr_send)(pr->pr_arg);
			nextsend += pr->pr_interval;
			if (pr->pr_count && ps->ps_ntransmitted >= pr->pr_count) {
				/* Last probe: how long to wait for replies. */
				uint64_t w = 2 * ps->ps_tmax;

				if (w < 10 * pr->pr_interval)
					w = 10 * pr->pr_interval;
				linger = rn_now_ns() + w;
			}
			continue;
		}
		if (linger && now >= linger)
			break;
		until = linger ? linger : nextsend;
		if (pr->pr_deadline && pr->pr_deadline < until)
			until = pr->pr_deadline;
		timeout = until > now ? (int)((until - now + 999999) /
		    1000000) : 0;
		pfd.fd = pr->pr_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = rump_sys_poll(&pfd, 1, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rn_err(1, "poll");
		}
		if (n > 0 && (pfd.revents & POLLIN))
			(*pr->pr_recv)(pr->pr_arg);
	}
}
