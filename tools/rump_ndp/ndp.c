/*
 * rump.ndp -- show and change the IPv6 neighbour cache of a rump kernel.
 *
 *	rump.ndp [-n] -a
 *	rump.ndp [-n] addr[%zone]
 *	rump.ndp -s addr[%zone] macaddr [temp]
 *	rump.ndp -d addr[%zone]
 *	rump.ndp -c
 *
 * Output as NetBSD's ndp(8): a header, then per entry the address
 * (with %interface for link-local ones), the link-layer address or
 * "(incomplete)", the interface, the expiry ("permanent", "23h59m58s",
 * "29s", "expired"), the state letter (I incomplete, R reachable,
 * S stale, D delay, P probe) and flags (R router).  Missing entries:
 * "addr (addr) -- no entry" on stderr, exit 1.  Addresses are always
 * numeric; -n is accepted for compatibility.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rumpnet/rump_syscalls.h>

#include "tools/common/rntool.h"

#define W_ADDR	39
#define W_LL	17
#define W_IF	6

static const char *const usage_lines[] = {
	"rump.ndp [-n] -a",
	"rump.ndp [-n] addr[%zone]",
	"rump.ndp -s addr[%zone] macaddr [temp]",
	"rump.ndp -d addr[%zone]",
	"rump.ndp -c",
	NULL
};

static void
fill_req(struct rump_nbrreq *req, const uint8_t *addr, uint32_t zone)
{
	memset(req, 0, sizeof(*req));
	req->nbr_family = RN_AF_INET6;
	memcpy(req->nbr_addr, addr, 16);
	if (zone != 0) {
		char ifn[RUMP_IFNAMSIZ];

		rn_setifname(req->nbr_ifname, rn_ifname(zone, ifn));
		req->nbr_ifindex = zone;
	}
}

static const char *
fmt_entry_addr(const struct rump_nbrreq *req, char *buf, size_t len)
{
	char a[RN_INET6_STRLEN];

	rn_fmt_inet6(req->nbr_addr, a);
	if (rn_inet6_is_scoped(req->nbr_addr))
		snprintf(buf, len, "%s%%%s", a, req->nbr_ifname);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

static void
fmt_expire(const struct rump_nbrreq *req, char *buf, size_t len)
{
	uint32_t s = req->nbr_expire;

	if (req->nbr_flags & RUMP_NBRF_PERMANENT)
		snprintf(buf, len, "permanent");
	else if (s == 0)
		snprintf(buf, len, "expired");
	else if (s >= 86400)
		snprintf(buf, len, "%ud%uh%um%us", s / 86400, s / 3600 % 24,
		    s / 60 % 60, s % 60);
	else if (s >= 3600)
		snprintf(buf, len, "%uh%um%us", s / 3600, s / 60 % 60, s % 60);
	else if (s >= 60)
		snprintf(buf, len, "%um%us", s / 60, s % 60);
	else
		snprintf(buf, len, "%us", s);
}

static void
header(void)
{
	printf("%-*.*s %-*.*s %*.*s %-9.9s %1s %2s\n", W_ADDR, W_ADDR,
	    "Neighbor", W_LL, W_LL, "Linklayer Address", W_IF, W_IF, "Netif",
	    "Expire", "S", "Fl");
}

static void
print_entry(const struct rump_nbrreq *req)
{
	static const char states[] = "IRSDPF";
	char a[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2], ll[RN_MAC_STRLEN];
	char exp[32], fl[4];
	size_t n = 0;

	fmt_entry_addr(req, a, sizeof(a));
	if (req->nbr_state == RUMP_NBRS_INCOMPLETE)
		snprintf(ll, sizeof(ll), "(incomplete)");
	else
		rn_fmt_mac(req->nbr_lladdr, ll);
	fmt_expire(req, exp, sizeof(exp));
	if (req->nbr_flags & RUMP_NBRF_ROUTER)
		fl[n++] = 'R';
	if (req->nbr_flags & RUMP_NBRF_PROXY)
		fl[n++] = 'p';
	fl[n] = '\0';
	printf("%-*.*s %-*.*s %*.*s %-9.9s %c %s\n", W_ADDR, W_ADDR, a,
	    W_LL, W_LL, ll, W_IF, W_IF, req->nbr_ifname, exp,
	    req->nbr_state < sizeof(states) - 1 ? states[req->nbr_state] : '?',
	    fl);
}

static int
show_all(void)
{
	struct rump_nbrreq req;

	header();
	for (uint32_t i = 0;; i++) {
		memset(&req, 0, sizeof(req));
		req.nbr_family = RN_AF_INET6;
		req.nbr_index = i;
		if (rn_ioctl(RUMP_SIOCLISTNBR, &req) != 0) {
			if (errno == ENOENT)
				break;
			rn_err(1, "RUMP_SIOCLISTNBR");
		}
		print_entry(&req);
	}
	return 0;
}

static void
parse_addr(const char *s, uint8_t *addr, uint32_t *zone)
{
	if (!rn_parse_inet6_zone(s, addr, zone))
		rn_errx(1, "%s: bad address", s);
}

static int
show_one(const char *host)
{
	struct rump_nbrreq req;
	uint8_t addr[16];
	uint32_t zone;

	parse_addr(host, addr, &zone);
	fill_req(&req, addr, zone);
	if (rn_ioctl(RUMP_SIOCGNBR, &req) != 0) {
		if (errno == ENOENT) {
			fprintf(stderr, "%s: %s (%s) -- no entry\n",
			    rn_progname(), host, host);
			return 1;
		}
		rn_err(1, "%s", host);
	}
	header();
	print_entry(&req);
	return 0;
}

static int
set_entry(int argc, char **argv)
{
	struct rump_nbrreq req;
	uint8_t addr[16];
	uint32_t zone;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "temp") != 0))
		rn_usage(usage_lines);
	parse_addr(argv[0], addr, &zone);
	fill_req(&req, addr, zone);
	if (!rn_parse_mac(argv[1], req.nbr_lladdr))
		rn_errx(1, "%s: bad link-layer address", argv[1]);
	if (argc == 3)
		req.nbr_flags |= RUMP_NBRF_TEMP;
	if (rn_ioctl(RUMP_SIOCSNBR, &req) != 0)
		rn_err(1, "set: %s", argv[0]);
	return 0;
}

static int
delete_entry(const char *host)
{
	struct rump_nbrreq req;
	uint8_t addr[16];
	uint32_t zone;

	parse_addr(host, addr, &zone);
	fill_req(&req, addr, zone);
	if (rn_ioctl(RUMP_SIOCDNBR, &req) != 0) {
		if (errno == ENOENT) {
			fprintf(stderr, "%s: %s (%s) -- no entry\n",
			    rn_progname(), host, host);
			return 1;
		}
		rn_err(1, "delete: %s", host);
	}
	printf("%s (%s) deleted\n", host, host);
	return 0;
}

/* Delete every dynamic entry, one line each as NetBSD prints. */
static int
flush_all(void)
{
	struct rump_nbrreq req;
	uint32_t i = 0;

	for (;;) {
		char a[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 2];

		memset(&req, 0, sizeof(req));
		req.nbr_family = RN_AF_INET6;
		req.nbr_index = i;
		if (rn_ioctl(RUMP_SIOCLISTNBR, &req) != 0) {
			if (errno == ENOENT)
				break;
			rn_err(1, "RUMP_SIOCLISTNBR");
		}
		if (req.nbr_flags & RUMP_NBRF_PERMANENT) {
			i++;
			continue;
		}
		fmt_entry_addr(&req, a, sizeof(a));
		if (rn_ioctl(RUMP_SIOCDNBR, &req) != 0)
			rn_err(1, "delete: %s", a);
		printf("%s (%s) deleted\n", a, a);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int ch, mode = 0;

	rn_init("rump.ndp");
	while ((ch = getopt(argc, argv, "acdns")) != -1) {
		switch (ch) {
		case 'a':
		case 'c':
		case 'd':
		case 's':
			if (mode != 0)
				rn_usage(usage_lines);
			mode = ch;
			break;
		case 'n':
			break;
		default:
			rn_usage(usage_lines);
		}
	}
	argc -= optind;
	argv += optind;
	switch (mode) {
	case 'a':
	case 'c':
		if (argc != 0)
			rn_usage(usage_lines);
		return mode == 'a' ? show_all() : flush_all();
	case 's':
		return set_entry(argc, argv);
	case 'd':
		if (argc != 1)
			rn_usage(usage_lines);
		return delete_entry(argv[0]);
	default:
		if (argc != 1)
			rn_usage(usage_lines);
		return show_one(argv[0]);
	}
}
