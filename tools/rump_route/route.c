/*
 * rump.route -- manipulate the routing tables of a rump kernel.
 *
 *	rump.route [-fnqv] add|change|delete [-inet|-inet6] [-net|-host]
 *	    dest [gateway] [-netmask mask] [-prefixlen n] [-iface]
 *	    [-ifp ifname] [-ifa addr] [-mtu n] [-reject|-blackhole|
 *	    -noreject|-noblackhole] [-static|-nostatic] [-proxy]
 *	rump.route [-n] get [-inet|-inet6] dest
 *	rump.route [-n] show [-inet|-inet6]
 *	rump.route [-n] flush [-inet|-inet6]
 *	rump.route [-n] monitor [-c count]
 *
 * Messages as NetBSD's route(8): "add net 10.0.2.0/24: gateway
 * 10.0.0.1" on stdout; failures on stderr with the BSD error text
 * ("not in table" for a missing route).  Addresses are always shown
 * numerically.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rumpnet/rump_net.h>

#include "tools/common/rnflags.h"
#include "tools/common/rnroute.h"
#include "tools/common/rntool.h"

static const char *const usage_lines[] = {
	"rump.route [-fnqv] command [[modifiers] args]",
	"commands: add, change, delete, get, show, flush, monitor",
	"rump.route add|change|delete [-inet|-inet6] [-net|-host] "
	    "dest [gateway]",
	"    [-netmask mask] [-prefixlen n] [-iface] [-ifp ifname] "
	    "[-ifa addr] [-mtu n]",
	"    [-reject|-noreject] [-blackhole|-noblackhole] "
	    "[-static|-nostatic] [-proxy]",
	"rump.route get [-inet|-inet6] dest",
	"rump.route show|flush [-inet|-inet6]",
	"rump.route monitor [-c count]",
	NULL
};

enum cmd { CMD_ADD, CMD_CHANGE, CMD_DELETE, CMD_GET, CMD_SHOW, CMD_FLUSH,
	CMD_MONITOR };

static const struct {
	const char	*name;
	enum cmd	cmd;
} cmdtab[] = {
	{ "add", CMD_ADD }, { "change", CMD_CHANGE },
	{ "delete", CMD_DELETE }, { "get", CMD_GET }, { "show", CMD_SHOW },
	{ "flush", CMD_FLUSH }, { "monitor", CMD_MONITOR },
};

struct req {
	enum cmd	cmd;
	const char	*cmdname;
	int		family;
	int		forcenet, forcehost;
	int		iface;
	int		nostatic;
	uint32_t	flags;		/* REJECT, BLACKHOLE, ANNOUNCE, ... */
	int		plen;		/* -1: not given */
	const char	*dest, *gateway, *ifp, *ifa;
	unsigned long	mtu;
	int		quiet, verbose;
};

/* Modifiers: name, whether a value follows, and what it does. */
enum mod { M_INET, M_INET6, M_NET, M_HOST, M_NETMASK, M_PREFIXLEN,
	M_IFACE, M_IFP, M_IFA, M_MTU, M_SETF, M_CLRF, M_NOSTATIC, M_STATIC,
	M_IGNORE };

static const struct modkw {
	const char	*name;
	int		nargs;
	enum mod	mod;
	uint32_t	flag;
} modtab[] = {
	{ "inet",	0, M_INET,	0 },
	{ "inet6",	0, M_INET6,	0 },
	{ "net",	0, M_NET,	0 },
	{ "host",	0, M_HOST,	0 },
	{ "netmask",	1, M_NETMASK,	0 },
	{ "prefixlen",	1, M_PREFIXLEN,	0 },
	{ "iface",	0, M_IFACE,	0 },
	{ "interface",	0, M_IFACE,	0 },
	{ "ifp",	1, M_IFP,	0 },
	{ "ifa",	1, M_IFA,	0 },
	{ "mtu",	1, M_MTU,	0 },
	{ "reject",	0, M_SETF,	RUMP_RTF_REJECT },
	{ "noreject",	0, M_CLRF,	RUMP_RTF_REJECT },
	{ "blackhole",	0, M_SETF,	RUMP_RTF_BLACKHOLE },
	{ "noblackhole", 0, M_CLRF,	RUMP_RTF_BLACKHOLE },
	{ "proxy",	0, M_SETF,	RUMP_RTF_ANNOUNCE },
	{ "connected",	0, M_SETF,	RUMP_RTF_CONNECTED },
	{ "static",	0, M_STATIC,	0 },
	{ "nostatic",	0, M_NOSTATIC,	0 },
	{ "link",	0, M_IGNORE,	0 },
	{ "cloning",	0, M_IGNORE,	0 },
	{ "llinfo",	0, M_IGNORE,	0 },
	{ NULL,		0, M_IGNORE,	0 }
};

static void
parse_args(struct req *r, int argc, char **argv)
{
	const struct modkw *m;
	const char *netmask = NULL;
	int i, npos = 0;

	for (i = 0; i < argc; i++) {
		if (argv[i][0] != '-' || argv[i][1] == '\0') {
			if (npos == 0)
				r->dest = argv[i];
			else if (npos == 1)
				r->gateway = argv[i];
			else if (npos == 2 && netmask == NULL)
				netmask = argv[i];
			else
				rn_errx(1, "%s: too many arguments", argv[i]);
			npos++;
			continue;
		}
		for (m = modtab; m->name != NULL; m++)
			if (strcmp(argv[i] + 1, m->name) == 0)
				break;
		if (m->name == NULL)
			rn_errx(1, "%s: unknown modifier", argv[i]);
		if (i + m->nargs >= argc)
			rn_errx(1, "%s: missing argument", argv[i]);
		switch (m->mod) {
		case M_INET: r->family = RN_AF_INET; break;
		case M_INET6: r->family = RN_AF_INET6; break;
		case M_NET: r->forcenet = 1; break;
		case M_HOST: r->forcehost = 1; break;
		case M_NETMASK: netmask = argv[i + 1]; break;
		case M_PREFIXLEN:
			r->plen = (int)rn_parse_ulong_or_die(argv[i + 1], 0,
			    128, "-prefixlen");
			r->forcenet = 1;
			break;
		case M_IFACE: r->iface = 1; break;
		case M_IFP: r->ifp = argv[i + 1]; break;
		case M_IFA: r->ifa = argv[i + 1]; break;
		case M_MTU:
			r->mtu = rn_parse_ulong_or_die(argv[i + 1], 68, 65535,
			    "-mtu");
			break;
		case M_SETF: r->flags |= m->flag; break;
		case M_CLRF: r->flags &= ~m->flag; break;
		case M_STATIC: r->nostatic = 0; break;
		case M_NOSTATIC: r->nostatic = 1; break;
		case M_IGNORE: break;
		}
		i += m->nargs;
	}
	if (netmask != NULL) {
		if (!rn_parse_netmask(netmask, &r->plen))
			rn_errx(1, "%s: bad netmask", netmask);
		r->forcenet = 1;
	}
	if (r->forcenet && r->forcehost)
		rn_errx(1, "-net and -host are exclusive");
}

/* The prefix of a "-net" destination given without a length. */
static int
guess_plen(const uint8_t a[4])
{
	int plen = rn_classful_plen(a), last;

	for (last = 3; last >= 0 && a[last] == 0; last--)
		continue;
	if ((last + 1) * 8 > plen)
		plen = (last + 1) * 8;
	return plen;
}

/*
 * Destination into the request; *what becomes "net" or "host", *shown
 * the destination as printed (as typed, without a "/32" or "/128").
 */
static void
parse_dest(struct req *r, struct rump_rtreq *rtr, const char **what,
    char *shown, size_t shownlen)
{
	const char *d = r->dest, *slash;
	char buf[RN_INET6_STRLEN + 8];
	int full = r->family == RN_AF_INET6 ? 128 : 32, plen = -1;
	unsigned long v;
	size_t n;

	snprintf(shown, shownlen, "%s", d);
	*what = "host";
	if (strcmp(d, "default") == 0) {
		rtr->rtr_plen = 0;
		*what = "net";
		return;
	}
	slash = strchr(d, '/');
	n = slash != NULL ? (size_t)(slash - d) : strlen(d);
	if (n >= sizeof(buf))
		rn_errx(1, "%s: bad address", d);
	memcpy(buf, d, n);
	buf[n] = '\0';
	if (slash != NULL) {
		if (!rn_parse_ulong(slash + 1, 10, 0, (unsigned long)full, &v))
			rn_errx(1, "%s: bad prefix length", d);
		plen = (int)v;
		if (plen == full)
			snprintf(shown, shownlen, "%s", buf);
	}
	if (r->family == RN_AF_INET6) {
		uint32_t zone;

		if (!rn_parse_inet6_zone(buf, rtr->rtr_dst, &zone))
			rn_errx(1, "%s: bad address", d);
		if (zone != 0)
			rtr->rtr_scopeid = zone;
	} else if (!rn_parse_inet(buf, rtr->rtr_dst))
		rn_errx(1, "%s: bad address", d);
	if (plen < 0 && r->plen >= 0)
		plen = r->plen;
	if (r->forcehost) {
		if (plen >= 0 && plen != full)
			rn_errx(1, "%s: -host with a prefix length", d);
		plen = full;
	} else if (plen >= 0 || r->forcenet) {
		*what = "net";
		if (plen < 0)
			plen = r->family == RN_AF_INET6 ? 64 :
			    guess_plen(rtr->rtr_dst);
	} else
		plen = full;
	if (plen > full)
		rn_errx(1, "%s: bad prefix length", d);
	rtr->rtr_plen = (uint8_t)plen;
}

/* An address of the family; an IPv6 zone ("%shmif0") goes to *zone. */
static int
parse_family_addr(int family, const char *s, uint8_t *out, uint32_t *zone)
{
	uint32_t z = 0;

	if (family == RN_AF_INET6) {
		if (!rn_parse_inet6_zone(s, out, &z))
			return 0;
		if (z != 0 && zone != NULL)
			*zone = z;
		return 1;
	}
	return rn_parse_inet(s, out);
}

static const char *
route_strerror(int error)
{
	return error == ESRCH ? "not in table" : rn_strerror(error);
}

static int
do_modify(struct req *r)
{
	struct rump_rtreq rtr;
	struct rump_ifinfo ifi;
	char shown[128], msg[512];
	const char *what;
	unsigned long ioc;
	size_t off;

	if (r->dest == NULL)
		rn_usage(usage_lines);
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = (uint16_t)r->family;
	parse_dest(r, &rtr, &what, shown, sizeof(shown));
	if (r->cmd != CMD_DELETE && !r->nostatic)
		rtr.rtr_flags |= RUMP_RTF_STATIC;
	rtr.rtr_flags |= r->flags;
	rtr.rtr_mtu = (uint32_t)r->mtu;
	if (r->ifp != NULL)
		rn_setifname(rtr.rtr_ifname, r->ifp);
	if (r->ifa != NULL &&
	    !parse_family_addr(r->family, r->ifa, rtr.rtr_ifaddr, NULL))
		rn_errx(1, "-ifa %s: bad address", r->ifa);
	if (r->gateway != NULL) {
		if (parse_family_addr(r->family, r->gateway,
		    rtr.rtr_gateway, &rtr.rtr_scopeid)) {
			if (!r->iface)
				rtr.rtr_flags |= RUMP_RTF_GATEWAY;
		} else if (rn_ifinfo_byname(r->gateway, &ifi) == 0) {
			/* An interface: a route straight onto its link. */
			rn_setifname(rtr.rtr_ifname, r->gateway);
		} else
			rn_errx(1, "%s: bad gateway address or interface",
			    r->gateway);
	} else if (r->cmd == CMD_ADD && r->ifp == NULL)
		rn_usage(usage_lines);

	switch (r->cmd) {
	case CMD_ADD:
		ioc = RUMP_SIOCADDRT;
		break;
	case CMD_CHANGE:
		ioc = RUMP_SIOCCHGRT;
		break;
	default:
		ioc = RUMP_SIOCDELRT;
		break;
	}
	off = (size_t)snprintf(msg, sizeof(msg), "%s %s %s", r->cmdname,
	    what, shown);
	if (r->gateway != NULL && off < sizeof(msg))
		snprintf(msg + off, sizeof(msg) - off, ": gateway %s",
		    r->gateway);
	if (rn_ioctl(ioc, &rtr) != 0) {
		int error = errno;

		if (error == EAFNOSUPPORT || error == EPROTONOSUPPORT)
			rn_errx(1, "inet6: not supported by this kernel");
		fflush(stdout);
		fprintf(stderr, "%s: %s: %s\n", rn_progname(), msg,
		    route_strerror(error));
		return 1;
	}
	if (!r->quiet)
		printf("%s\n", msg);
	return 0;
}

static int
do_get(struct req *r)
{
	struct rump_rtreq rtr;
	char a[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2], fl[256];
	uint8_t mask[4];
	int full = r->family == RN_AF_INET6 ? 128 : 32;

	if (r->dest == NULL || r->gateway != NULL)
		rn_usage(usage_lines);
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = (uint16_t)r->family;
	if (strcmp(r->dest, "default") == 0)
		rtr.rtr_plen = 0;
	else if (!parse_family_addr(r->family, r->dest, rtr.rtr_dst,
	    &rtr.rtr_scopeid))
		rn_errx(1, "%s: bad address", r->dest);
	else
		rtr.rtr_plen = (uint8_t)full;
	if (rn_ioctl(RUMP_SIOCGETRT, &rtr) != 0) {
		if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
			rn_errx(1, "inet6: not supported by this kernel");
		fflush(stdout);
		fprintf(stderr, "%s: get %s: %s\n", rn_progname(), r->dest,
		    route_strerror(errno));
		return 1;
	}
#define FMT(x) (r->family == RN_AF_INET6 ? rn_netname6((x), 128, \
	rtr.rtr_scopeid, a, sizeof(a)) : rn_fmt_inet((x), a))
	printf("%11s: %s\n", "route to", r->dest);
	if (rtr.rtr_plen == 0)
		printf("%11s: %s\n", "destination", "default");
	else
		printf("%11s: %s\n", "destination", FMT(rtr.rtr_dst));
	if (rtr.rtr_plen == 0)
		printf("%11s: %s\n", "mask", "default");
	else if (rtr.rtr_plen < full && r->family == RN_AF_INET) {
		rn_plen_to_mask(rtr.rtr_plen, mask);
		printf("%11s: %s\n", "mask", rn_fmt_inet(mask, a));
	} else if (rtr.rtr_plen < full) {
		uint8_t m6[16];
		int i;

		memset(m6, 0, sizeof(m6));
		for (i = 0; i < rtr.rtr_plen; i++)
			m6[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		printf("%11s: %s\n", "mask", rn_fmt_inet6(m6, a));
	}
	if (rtr.rtr_flags & RUMP_RTF_GATEWAY)
		printf("%11s: %s\n", "gateway", FMT(rtr.rtr_gateway));
	if (!rn_is_zero(rtr.rtr_ifaddr, r->family == RN_AF_INET6 ? 16 : 4))
		printf("%11s: %s\n", "local addr", FMT(rtr.rtr_ifaddr));
#undef FMT
	rtr.rtr_ifname[RUMP_IFNAMSIZ - 1] = '\0';
	if (rtr.rtr_ifname[0] != '\0')
		printf("%11s: %s\n", "interface", rtr.rtr_ifname);
	printf("%11s: %s\n", "flags", rn_snprintb(fl, sizeof(fl),
	    rtr.rtr_flags, rn_rtf_bits, 1));
	printf(" recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount"
	    "      mtu     expire\n");
	printf("%8u  %8u  %8u  %8u  %8u  %8u  %8u  %8u\n", 0u, 0u, 0u, 0u,
	    0u, 0u, rtr.rtr_mtu, rtr.rtr_expire);
	return 0;
}

static int
do_flush(struct req *r)
{
	struct rump_rtreq rtr;
	int fams[2], nf = 0, i;

	if (r->family == RN_AF_INET || r->family == 0)
		fams[nf++] = RN_AF_INET;
	if (r->family == RN_AF_INET6 || r->family == 0)
		fams[nf++] = RN_AF_INET6;
	for (i = 0; i < nf; i++) {
		memset(&rtr, 0, sizeof(rtr));
		rtr.rtr_family = (uint16_t)fams[i];
		if (rn_ioctl(RUMP_SIOCFLUSHRT, &rtr) != 0) {
			if ((errno == EAFNOSUPPORT ||
			    errno == EPROTONOSUPPORT) && r->family == 0)
				continue;
			if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
				rn_errx(1, "inet6: not supported by this "
				    "kernel");
			rn_err(1, "flush");
		}
		if (r->verbose)
			printf("%u %s routes flushed\n", rtr.rtr_index,
			    fams[i] == RN_AF_INET ? "inet" : "inet6");
	}
	return 0;
}

/* ------------------------------------------------------------ monitor */

static const struct {
	unsigned	type;
	const char	*name, *what;
} rtm_types[] = {
	{ RUMP_RTM_ADD, "RTM_ADD", "Add Route" },
	{ RUMP_RTM_DELETE, "RTM_DELETE", "Delete Route" },
	{ RUMP_RTM_CHANGE, "RTM_CHANGE", "Change Metrics or flags" },
	{ RUMP_RTM_MISS, "RTM_MISS", "Lookup failed on this address" },
};

static const struct rn_bit rta_bits[] = {
	{ RUMP_RTA_DST, "DST", 0 },
	{ RUMP_RTA_GATEWAY, "GATEWAY", 0 },
	{ RUMP_RTA_NETMASK, "NETMASK", 0 },
	{ 0, NULL, 0 },
};

/* One address of a message, as route monitor shows it. */
static void
print_rtm_addr(unsigned family, const uint8_t *a)
{
	char buf[RN_INET6_STRLEN];

	printf(" %s", family == RN_AF_INET ? rn_fmt_inet(a, buf) :
	    rn_fmt_inet6(a, buf));
}

/* NetBSD's layout: a "got message" line, the header with flags, locks
 * and inits (none here), the address list and the addresses. */
static void
print_rtmsg(const struct rump_rtmsg *m)
{
	static const uint8_t zero[sizeof(m->rtm_gateway)];
	const char *name = "RTM_?", *what = "unknown message";
	char flags[256], addrs[64], mac[RN_MAC_STRLEN];
	uint8_t mask[16];
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < sizeof(rtm_types) / sizeof(rtm_types[0]); i++)
		if (rtm_types[i].type == m->rtm_type) {
			name = rtm_types[i].name;
			what = rtm_types[i].what;
		}
	printf("got message of size %zu on %s", sizeof(*m), ctime(&now));
	rn_snprintb(flags, sizeof(flags), m->rtm_flags, rn_rtf_bits, 0);
	printf("%s: %s: len %zu, pid: 0, seq %llu, errno %d, flags:%s\n",
	    name, what, sizeof(*m), (unsigned long long)m->rtm_seq,
	    m->rtm_errno, strchr(flags, '<') != NULL ? strchr(flags, '<') :
	    "<>");
	printf("locks:  inits: \n");
	rn_snprintb(addrs, sizeof(addrs), m->rtm_addrs, rta_bits, 0);
	printf("sockaddrs: %s\n", strchr(addrs, '<') != NULL ?
	    strchr(addrs, '<') : "<>");
	if (m->rtm_addrs & RUMP_RTA_DST)
		print_rtm_addr(m->rtm_family, m->rtm_dst);
	if (m->rtm_addrs & RUMP_RTA_GATEWAY) {
		if (m->rtm_haslladdr)
			printf(" %s", rn_fmt_mac(m->rtm_lladdr, mac));
		else if (memcmp(m->rtm_gateway, zero,
		    sizeof(m->rtm_gateway)) == 0 && m->rtm_index != 0)
			printf(" link#%u", m->rtm_index);	/* no address */
		else
			print_rtm_addr(m->rtm_family, m->rtm_gateway);
	}
	if (m->rtm_addrs & RUMP_RTA_NETMASK) {
		memset(mask, 0, sizeof(mask));
		for (i = 0; i < m->rtm_plen && i < 128; i++)
			mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
		print_rtm_addr(m->rtm_family, mask);
	}
	printf("\n\n");
	fflush(stdout);
}

/* rump.route monitor [-c count]: messages as they come. */
static int
do_monitor(int argc, char **argv)
{
	struct rump_rtmsgreq req;
	unsigned long count = 0, seen = 0;
	char *end;
	int error;

	if (argc == 2 && strcmp(argv[0], "-c") == 0) {
		errno = 0;
		count = strtoul(argv[1], &end, 10);
		if (errno != 0 || *end != '\0' || count == 0)
			rn_errx(1, "monitor: -c %s: bad count", argv[1]);
	} else if (argc != 0)
		rn_usage(usage_lines);
	memset(&req, 0, sizeof(req));
	req.rmr_after = RUMP_RTM_NOW;
	if (rn_ioctl(RUMP_SIOCRTMREAD, &req) != 0)
		rn_err(1, "monitor");
	req.rmr_after = req.rmr_msg.rtm_seq;
	while (count == 0 || seen < count) {
		req.rmr_timeout_ms = 1000;
		if (rn_ioctl(RUMP_SIOCRTMREAD, &req) != 0) {
			error = errno;
			if (error == ETIMEDOUT || error == EINTR)
				continue;
			errno = error;
			rn_err(1, "monitor");
		}
		if (req.rmr_lost != 0)
			printf("(%llu messages lost: this monitor was too "
			    "slow)\n\n", (unsigned long long)req.rmr_lost);
		print_rtmsg(&req.rmr_msg);
		req.rmr_after = req.rmr_msg.rtm_seq;
		seen++;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct req r;
	size_t i;
	int ch, flushfirst = 0, family;

	rn_init("rump.route");
	memset(&r, 0, sizeof(r));
	r.plen = -1;
	while ((ch = getopt(argc, argv, "+dfnqSsTtv")) != -1) {
		switch (ch) {
		case 'f': flushfirst = 1; break;
		case 'q': r.quiet = 1; break;
		case 'v': r.verbose = 1; break;
		case 'd': case 'n': case 'S': case 's': case 'T': case 't':
			break;		/* addresses are always numeric */
		default:
			rn_usage(usage_lines);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		if (flushfirst)
			return do_flush(&r);
		rn_usage(usage_lines);
	}
	for (i = 0; i < sizeof(cmdtab) / sizeof(cmdtab[0]); i++)
		if (strcmp(argv[0], cmdtab[i].name) == 0)
			break;
	if (i == sizeof(cmdtab) / sizeof(cmdtab[0])) {
		rn_warnx("%s: unknown command", argv[0]);
		rn_usage(usage_lines);
	}
	r.cmd = cmdtab[i].cmd;
	r.cmdname = cmdtab[i].name;
	if (r.cmd == CMD_MONITOR)
		return do_monitor(argc - 1, argv + 1);
	parse_args(&r, argc - 1, argv + 1);
	family = r.family;
	if (r.family == 0)
		r.family = RN_AF_INET;
	if (r.family == RN_AF_INET && r.dest != NULL &&
	    strchr(r.dest, ':') != NULL)
		r.family = RN_AF_INET6;		/* an IPv6 literal */
	if (flushfirst) {
		struct req fr = r;

		fr.family = family;
		do_flush(&fr);
	}
	switch (r.cmd) {
	case CMD_ADD:
	case CMD_CHANGE:
	case CMD_DELETE:
		return do_modify(&r);
	case CMD_GET:
		return do_get(&r);
	case CMD_SHOW:
		if (r.dest != NULL)
			rn_usage(usage_lines);
		rn_print_routes(family);
		return 0;
	case CMD_FLUSH:
		r.family = family;
		return do_flush(&r);
	case CMD_MONITOR:
		break;		/* done above */
	}
	return 1;
}
