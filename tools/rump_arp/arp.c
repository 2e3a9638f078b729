/*
 * rump.arp -- show and change the ARP table of a rump kernel.
 *
 *	rump.arp [-nv] hostname
 *	rump.arp [-nv] -a
 *	rump.arp [-nv] -d [-a | hostname]
 *	rump.arp [-nv] -s hostname ether_addr [temp] [pub [proxy]]
 *	rump.arp [-nv] -f filename
 *
 * Output as NetBSD's arp(8):
 *	? (198.51.100.2) at b2:a0:01:02:03:04 on shmif0 [permanent]
 * (names are never looked up, so the host part is always "?"); a
 * missing entry is "rump.arp: A (A) -- no entry" on stderr, exit 1.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rumpnet/rump_net.h>

#include "tools/common/rntool.h"

static const char *const usage_lines[] = {
	"rump.arp [-nv] hostname",
	"rump.arp [-nv] -a",
	"rump.arp [-nv] -d [-a | hostname]",
	"rump.arp [-nv] -s hostname ether_addr [temp] [pub [proxy]]",
	"rump.arp [-nv] -f filename",
	NULL
};

static int verbose;

/* A host: a dotted quad, else the host's resolver. */
static int
get_host(const char *host, uint8_t addr[4])
{
	struct addrinfo hints, *res;

	if (rn_parse_inet(host, addr))
		return 1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0) {
		rn_warnx("%s: unknown host", host);
		return 0;
	}
	memcpy(addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	freeaddrinfo(res);
	return 1;
}

static void
print_entry(const struct rump_nbrreq *nbr)
{
	char a[RN_INET_STRLEN], mac[RN_MAC_STRLEN];
	char ifname[RUMP_IFNAMSIZ];

	memcpy(ifname, nbr->nbr_ifname, RUMP_IFNAMSIZ);
	ifname[RUMP_IFNAMSIZ - 1] = '\0';
	printf("? (%s) at ", rn_fmt_inet(nbr->nbr_addr, a));
	if (nbr->nbr_state == RUMP_NBRS_INCOMPLETE ||
	    rn_is_zero(nbr->nbr_lladdr, 6))
		printf("(incomplete)");
	else
		printf("%s", rn_fmt_mac(nbr->nbr_lladdr, mac));
	printf(" on %s", ifname);
	if (nbr->nbr_flags & RUMP_NBRF_PERMANENT)
		printf(" permanent");
	if (nbr->nbr_flags & RUMP_NBRF_PUBLISHED)
		printf(" published");
	if (nbr->nbr_flags & RUMP_NBRF_PROXY)
		printf(" (proxy only)");
	printf("\n");
}

static int
get_entry(const char *host)
{
	struct rump_nbrreq nbr;
	char a[RN_INET_STRLEN];
	uint32_t i;
	int found = 0;

	memset(&nbr, 0, sizeof(nbr));
	if (!get_host(host, nbr.nbr_addr))
		return 1;
	/* One address may have an entry on several interfaces. */
	for (i = 0;; i++) {
		struct rump_nbrreq e;

		memset(&e, 0, sizeof(e));
		e.nbr_family = RN_AF_INET;
		e.nbr_index = i;
		if (rn_ioctl(RUMP_SIOCLISTNBR, &e) != 0) {
			if (errno != ENOENT)
				rn_err(1, "SIOCLISTNBR");
			break;
		}
		if (memcmp(e.nbr_addr, nbr.nbr_addr, 4) == 0) {
			print_entry(&e);
			found = 1;
		}
	}
	if (!found) {
		fflush(stdout);
		fprintf(stderr, "%s: %s (%s) -- no entry\n", rn_progname(),
		    host, rn_fmt_inet(nbr.nbr_addr, a));
		return 1;
	}
	return 0;
}

static int
dump_all(void)
{
	struct rump_nbrreq nbr;
	uint32_t i;

	for (i = 0;; i++) {
		memset(&nbr, 0, sizeof(nbr));
		nbr.nbr_family = RN_AF_INET;
		nbr.nbr_index = i;
		if (rn_ioctl(RUMP_SIOCLISTNBR, &nbr) != 0) {
			if (errno != ENOENT)
				rn_err(1, "SIOCLISTNBR");
			return 0;
		}
		print_entry(&nbr);
	}
}

static int
delete_entry(const char *host)
{
	struct rump_nbrreq nbr;
	char a[RN_INET_STRLEN];
	int n = 0;

	memset(&nbr, 0, sizeof(nbr));
	nbr.nbr_family = RN_AF_INET;
	if (!get_host(host, nbr.nbr_addr))
		return 1;
	rn_fmt_inet(nbr.nbr_addr, a);
	/* Delete it from every interface that has it. */
	while (rn_ioctl(RUMP_SIOCDNBR, &nbr) == 0) {
		n++;
		if (verbose)
			printf("%s (%s) deleted\n", host, a);
		memset(nbr.nbr_ifname, 0, sizeof(nbr.nbr_ifname));
		if (n > 64)
			break;
	}
	if (n == 0) {
		if (errno == ENOENT) {
			fflush(stdout);
			fprintf(stderr, "%s: %s (%s) -- no entry\n",
			    rn_progname(), host, a);
		} else
			rn_warn("delete %s", host);
		return 1;
	}
	return 0;
}

static int
delete_all(void)
{
	struct rump_nbrreq nbr;

	memset(&nbr, 0, sizeof(nbr));
	nbr.nbr_family = RN_AF_INET;
	nbr.nbr_flags = RUMP_NBRF_ALL;
	if (rn_ioctl(RUMP_SIOCFLUSHNBR, &nbr) != 0)
		rn_err(1, "SIOCFLUSHNBR");
	if (verbose)
		printf("%u entries deleted\n", nbr.nbr_index);
	return 0;
}

/* -s host mac [temp] [pub [proxy]]: argv[0] is the host. */
static int
set_entry(int argc, char **argv)
{
	struct rump_nbrreq nbr;
	char a[RN_INET_STRLEN];
	int i;

	if (argc < 2)
		rn_usage(usage_lines);
	memset(&nbr, 0, sizeof(nbr));
	nbr.nbr_family = RN_AF_INET;
	if (!get_host(argv[0], nbr.nbr_addr))
		return 1;
	if (!rn_parse_mac(argv[1], nbr.nbr_lladdr)) {
		rn_warnx("invalid Ethernet address '%s'", argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "temp") == 0)
			nbr.nbr_flags |= RUMP_NBRF_TEMP;
		else if (strcmp(argv[i], "pub") == 0)
			nbr.nbr_flags |= RUMP_NBRF_PUBLISHED;
		else if (strcmp(argv[i], "proxy") == 0 &&
		    (nbr.nbr_flags & RUMP_NBRF_PUBLISHED))
			nbr.nbr_flags |= RUMP_NBRF_PROXY;
		else {
			rn_warnx("%s: unknown keyword (temp, pub, proxy)",
			    argv[i]);
			return 1;
		}
	}
	if (rn_ioctl(RUMP_SIOCSNBR, &nbr) != 0) {
		rn_warn("set %s", argv[0]);
		return 1;
	}
	if (verbose)
		printf("%s (%s) added\n", argv[0],
		    rn_fmt_inet(nbr.nbr_addr, a));
	return 0;
}

/* -f FILE: one "host mac [temp] [pub [proxy]]" per line. */
static int
set_file(const char *path)
{
	char line[512], *words[8], *p;
	FILE *f;
	int n, rv = 0, lineno = 0;

	if ((f = fopen(path, "r")) == NULL)
		rn_err(1, "cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		n = 0;
		for (p = strtok(line, " \t\r\n"); p != NULL && n < 8;
		    p = strtok(NULL, " \t\r\n"))
			words[n++] = p;
		if (n == 0)
			continue;
		if (n < 2) {
			rn_warnx("%s:%d: bad line", path, lineno);
			rv = 1;
			continue;
		}
		if (set_entry(n, words) != 0)
			rv = 1;
	}
	fclose(f);
	return rv;
}

int
main(int argc, char **argv)
{
	int ch, aflag = 0, dflag = 0, sflag = 0, fflag = 0;

	rn_init("rump.arp");
	while ((ch = getopt(argc, argv, "adfnsv")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'd': dflag = 1; break;
		case 'f': fflag = 1; break;
		case 'n': break;		/* never resolved */
		case 's': sflag = 1; break;
		case 'v': verbose = 1; break;
		default:
			rn_usage(usage_lines);
		}
	}
	argc -= optind;
	argv += optind;
	if (dflag + sflag + fflag > 1)
		rn_usage(usage_lines);
	if (dflag) {
		if (aflag && argc == 0)
			return delete_all();
		if (aflag || argc != 1)
			rn_usage(usage_lines);
		return delete_entry(argv[0]);
	}
	if (sflag) {
		if (aflag || argc < 2 || argc > 5)
			rn_usage(usage_lines);
		return set_entry(argc, argv);
	}
	if (fflag) {
		if (aflag || argc != 1)
			rn_usage(usage_lines);
		return set_file(argv[0]);
	}
	if (aflag) {
		if (argc != 0)
			rn_usage(usage_lines);
		return dump_all();
	}
	if (argc != 1)
		rn_usage(usage_lines);
	return get_entry(argv[0]);
}
