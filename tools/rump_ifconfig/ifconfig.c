/*
 * rump.ifconfig -- configure the interfaces of a rump kernel.
 *
 *	rump.ifconfig [-hLmNvz] [-w secs] IF [create|destroy] [linkstr PATH]
 *	    [-linkstr] [[inet] A.B.C.D[/len] [netmask M] [broadcast B]
 *	    [alias|-alias|delete]] [inet6 ADDR[/len] [prefixlen N] ...]
 *	    [up|down] [mtu N] [arp|-arp] [media none|auto]
 *	    [link MAC [active]] [CAPABILITY|-CAPABILITY]
 *	rump.ifconfig -a [-bdhLmNuvz]	rump.ifconfig -l [-bdsu]
 *	rump.ifconfig -s IF		rump.ifconfig -C
 *	rump.ifconfig -w secs
 *
 * The status output is NetBSD's ifconfig(8) format.  Commands that
 * succeed print nothing.  All requests are the ioctls of rump_net.h.
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
#include <rumpnet/rump_syscalls.h>

#include "tools/common/rnflags.h"
#include "tools/common/rntool.h"

#define MAX_PRINT_LEN	58	/* capability lines, as NetBSD */

static const char *const usage_lines[] = {
	"rump.ifconfig [-hLmNvz] [-w secs] interface [create | destroy] "
	    "[parameters]",
	"rump.ifconfig -a [-bdhLmNuvz]",
	"rump.ifconfig -l [-bdsu]",
	"rump.ifconfig -s interface",
	"rump.ifconfig -C",
	"rump.ifconfig -w secs",
	NULL
};

/* Options that select and shape the listing. */
struct opts {
	int	all, list, cloners, carrier, verbose, zero, lifetimes;
	int	media, names, onlyup, onlydown, onlybcast;
	int	wait;			/* -w given */
	uint64_t waitns;		/* 0: forever */
};

/* What the command line asks of one interface. */
enum addrop { ADDR_NONE, ADDR_SET, ADDR_ALIAS, ADDR_DELETE };

struct ifcmd {
	const char	*ifname;
	int		create, destroy;
	const char	*linkstr;
	int		unlinkstr;
	int		updown;		/* +1 up, -1 down, 0 unchanged */
	long		mtu;		/* -1: unchanged */
	int		noarp;		/* +1 -arp, -1 arp, 0 unchanged */
	int		debug;		/* +1 debug, -1 -debug */
	uint32_t	capset, capclr;
	int		media;		/* RUMP_IFM_*, -1 unchanged */
	int		lladdr, llactive;
	uint8_t		mac[6];
	int		family;		/* 0, RN_AF_INET, RN_AF_INET6 */
	const char	*familyname;
	enum addrop	addrop;
	int		haveaddr;
	const char	*addrstr;
	uint8_t		addr[16];
	int		plen;		/* -1: not given */
	int		havebcast;
	uint8_t		bcast[4];
	uint32_t	in6flags;
	uint32_t	pltime, vltime;
	int		nargs;		/* keywords and values seen */
};

/* ------------------------------------------------------------ keywords */

struct kw;
typedef void kwfn_t(struct ifcmd *, const struct kw *, const char *);

struct kw {
	const char	*k_name;
	int		k_nargs;	/* values that follow */
	kwfn_t		*k_fn;
	long		k_arg;
};

/* netmask and broadcast imply inet when no family was named. */
static void
need_family(struct ifcmd *c)
{
	if (c->family == 0) {
		c->family = RN_AF_INET;
		c->familyname = "inet";
	}
}

static void kw_create(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)k; (void)v; c->create = 1; }
static void kw_destroy(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)k; (void)v; c->destroy = 1; }
static void kw_linkstr(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)k; c->linkstr = v; c->unlinkstr = 0; }
static void kw_unlinkstr(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)k; (void)v; c->unlinkstr = 1; c->linkstr = NULL; }
static void kw_updown(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)v; c->updown = (int)k->k_arg; }
static void kw_arp(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)v; c->noarp = (int)k->k_arg; }
static void kw_debug(struct ifcmd *c, const struct kw *k, const char *v)
{ (void)v; c->debug = (int)k->k_arg; }

static void
kw_mtu(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	c->mtu = (long)rn_parse_ulong_or_die(v, 1, 65535, "mtu");
}

static void
kw_metric(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)c;
	(void)k;
	if (rn_parse_ulong_or_die(v, 0, 0x7fffffff, "metric") != 0)
		rn_errx(1, "metric: not supported by this kernel");
}

static void
kw_media(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	if (strcmp(v, "none") == 0)
		c->media = RUMP_IFM_NONE;
	else if (strcmp(v, "auto") == 0 || strcmp(v, "autoselect") == 0)
		c->media = RUMP_IFM_AUTO;
	else
		rn_errx(1, "media %s: unknown media (none, auto)", v);
}

static void
kw_family(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)v;
	if (k->k_arg < 0)
		rn_errx(1, "%s: address family not supported", k->k_name);
	c->family = (int)k->k_arg;
	c->familyname = k->k_name;
}

static void
kw_link(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	if (!rn_parse_mac(v, c->mac))
		rn_errx(1, "link %s: bad link address", v);
	c->lladdr = 1;
}

static void
kw_active(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	(void)v;
	if (!c->lladdr)
		rn_errx(1, "active: no link address given");
	c->llactive = 1;
}

static void
kw_netmask(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	need_family(c);
	if (c->family != RN_AF_INET || !rn_parse_netmask(v, &c->plen))
		rn_errx(1, "netmask %s: bad value", v);
}

static void
kw_prefixlen(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	c->plen = (int)rn_parse_ulong_or_die(v,
	    0, c->family == RN_AF_INET6 ? 128 : 32, "prefixlen");
}

static void
kw_broadcast(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)k;
	need_family(c);
	if (c->family != RN_AF_INET || !rn_parse_inet(v, c->bcast))
		rn_errx(1, "broadcast %s: bad value", v);
	c->havebcast = 1;
}

static void
kw_addrop(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)v;
	c->addrop = (enum addrop)k->k_arg;
}

static void
kw_in6flag(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)v;
	if (k->k_arg > 0)
		c->in6flags |= (uint32_t)k->k_arg;
	else
		c->in6flags &= ~(uint32_t)-k->k_arg;
}

static void
kw_lifetime(struct ifcmd *c, const struct kw *k, const char *v)
{
	uint32_t t = strcmp(v, "infinity") == 0 ? RUMP_ND6_INFINITE :
	    (uint32_t)rn_parse_ulong_or_die(v, 0, 0xfffffffeUL, k->k_name);

	if (k->k_arg == 0)
		c->pltime = t;
	else
		c->vltime = t;
}

static void
kw_unsupported(struct ifcmd *c, const struct kw *k, const char *v)
{
	(void)c;
	(void)v;
	rn_errx(1, "%s: not supported by this kernel", k->k_name);
}

static const struct kw kwtab[] = {
	{ "create",	0, kw_create,	0 },
	{ "destroy",	0, kw_destroy,	0 },
	{ "linkstr",	1, kw_linkstr,	0 },
	{ "-linkstr",	0, kw_unlinkstr, 0 },
	{ "up",		0, kw_updown,	1 },
	{ "down",	0, kw_updown,	-1 },
	{ "mtu",	1, kw_mtu,	0 },
	{ "metric",	1, kw_metric,	0 },
	{ "arp",	0, kw_arp,	-1 },
	{ "-arp",	0, kw_arp,	1 },
	{ "debug",	0, kw_debug,	1 },
	{ "-debug",	0, kw_debug,	-1 },
	{ "media",	1, kw_media,	0 },
	{ "inet",	0, kw_family,	RN_AF_INET },
	{ "inet6",	0, kw_family,	RN_AF_INET6 },
	{ "link",	1, kw_link,	0 },
	{ "active",	0, kw_active,	0 },
	{ "atalk",	0, kw_family,	-1 },
	{ "iso",	0, kw_family,	-1 },
	{ "netmask",	1, kw_netmask,	0 },
	{ "prefixlen",	1, kw_prefixlen, 0 },
	{ "broadcast",	1, kw_broadcast, 0 },
	{ "alias",	0, kw_addrop,	ADDR_ALIAS },
	{ "add",	0, kw_addrop,	ADDR_ALIAS },
	{ "-alias",	0, kw_addrop,	ADDR_DELETE },
	{ "delete",	0, kw_addrop,	ADDR_DELETE },
	{ "remove",	0, kw_addrop,	ADDR_DELETE },
	{ "anycast",	0, kw_in6flag,	RUMP_IN6_IFF_ANYCAST },
	{ "-anycast",	0, kw_in6flag,	-RUMP_IN6_IFF_ANYCAST },
	{ "deprecated",	0, kw_in6flag,	RUMP_IN6_IFF_DEPRECATED },
	{ "-deprecated", 0, kw_in6flag,	-RUMP_IN6_IFF_DEPRECATED },
	{ "pltime",	1, kw_lifetime,	0 },
	{ "vltime",	1, kw_lifetime,	1 },
	{ "eui64",	0, kw_unsupported, 0 },
	{ "tunnel",	2, kw_unsupported, 0 },
	{ NULL,		0, NULL,	0 }
};

/*
 * Capability keywords: NAME enables, -NAME disables; the checksum ones
 * also take -rx / -tx suffixes (ip4csum-rx, -tcp4csum-tx).
 */
static const struct capkw {
	const char	*c_name;
	uint32_t	c_rx, c_tx;
} captab[] = {
	{ "ip4csum",	RUMP_IFCAP_CSUM_IPv4_Rx, RUMP_IFCAP_CSUM_IPv4_Tx },
	{ "tcp4csum",	RUMP_IFCAP_CSUM_TCPv4_Rx, RUMP_IFCAP_CSUM_TCPv4_Tx },
	{ "udp4csum",	RUMP_IFCAP_CSUM_UDPv4_Rx, RUMP_IFCAP_CSUM_UDPv4_Tx },
	{ "tcp6csum",	RUMP_IFCAP_CSUM_TCPv6_Rx, RUMP_IFCAP_CSUM_TCPv6_Tx },
	{ "udp6csum",	RUMP_IFCAP_CSUM_UDPv6_Rx, RUMP_IFCAP_CSUM_UDPv6_Tx },
	{ "tso4",	RUMP_IFCAP_TSOv4, 0 },
	{ "tso6",	RUMP_IFCAP_TSOv6, 0 },
	{ "lro",	RUMP_IFCAP_LRO, 0 },
	{ NULL,		0, 0 }
};

static int
parse_cap(struct ifcmd *c, const char *word)
{
	const struct capkw *ck;
	const char *w = word, *suffix;
	size_t n;
	uint32_t bits;
	int neg = 0;

	if (*w == '-') {
		neg = 1;
		w++;
	}
	for (ck = captab; ck->c_name != NULL; ck++) {
		n = strlen(ck->c_name);
		if (strncmp(w, ck->c_name, n) != 0)
			continue;
		suffix = w + n;
		if (*suffix == '\0')
			bits = ck->c_rx | ck->c_tx;
		else if (ck->c_tx != 0 && strcmp(suffix, "-rx") == 0)
			bits = ck->c_rx;
		else if (ck->c_tx != 0 && strcmp(suffix, "-tx") == 0)
			bits = ck->c_tx;
		else
			continue;
		if (neg) {
			c->capclr |= bits;
			c->capset &= ~bits;
		} else {
			c->capset |= bits;
			c->capclr &= ~bits;
		}
		return 1;
	}
	return 0;
}

/* An address word: A.B.C.D[/len] for inet, ADDR[/len] for inet6. */
static void
parse_addr(struct ifcmd *c, const char *word)
{
	char buf[RN_INET6_STRLEN + 8];
	const char *slash;
	unsigned long v;
	size_t n;

	if (c->haveaddr)
		rn_errx(1, "%s: destination addresses are not supported "
		    "(point-to-point)", word);
	if (c->family == 0) {
		c->family = strchr(word, ':') != NULL ? RN_AF_INET6 :
		    RN_AF_INET;
		c->familyname = c->family == RN_AF_INET6 ? "inet6" : "inet";
	}
	c->addrstr = word;
	if (c->family == RN_AF_INET) {
		int plen;

		if (!rn_parse_inet_prefix(word, c->addr, &plen))
			rn_errx(1, "%s: bad value", word);
		if (plen >= 0)
			c->plen = plen;
	} else {
		slash = strchr(word, '/');
		n = slash != NULL ? (size_t)(slash - word) : strlen(word);
		if (n >= sizeof(buf))
			rn_errx(1, "%s: bad value", word);
		memcpy(buf, word, n);
		buf[n] = '\0';
		if (strchr(buf, '%') != NULL)
			*strchr(buf, '%') = '\0';
		if (!rn_parse_inet6(buf, c->addr))
			rn_errx(1, "%s: bad value", word);
		if (slash != NULL) {
			if (!rn_parse_ulong(slash + 1, 10, 0, 128, &v))
				rn_errx(1, "%s: bad prefix length", word);
			c->plen = (int)v;
		}
	}
	c->haveaddr = 1;
	if (c->addrop == ADDR_NONE)
		c->addrop = ADDR_SET;
}

static void
parse_words(struct ifcmd *c, int argc, char **argv)
{
	const struct kw *k;
	int i;

	for (i = 0; i < argc; i++) {
		for (k = kwtab; k->k_name != NULL; k++)
			if (strcmp(argv[i], k->k_name) == 0)
				break;
		c->nargs++;
		if (k->k_name != NULL && strcmp(k->k_name, "link") == 0 &&
		    i + 1 == argc) {
			/* "IF link": show the link-level part only. */
			c->family = -1;
			c->familyname = "link";
			continue;
		}
		if (k->k_name != NULL) {
			if (i + k->k_nargs >= argc)
				rn_errx(1, "%s: missing argument", k->k_name);
			(*k->k_fn)(c, k, k->k_nargs > 0 ? argv[i + 1] : NULL);
			i += k->k_nargs;
			continue;
		}
		if (parse_cap(c, argv[i]))
			continue;
		if (argv[i][0] == '-' || ((argv[i][0] < '0' ||
		    argv[i][0] > '9') && strchr(argv[i], ':') == NULL))
			rn_errx(1, "%s: unknown keyword or bad value",
			    argv[i]);
		parse_addr(c, argv[i]);
	}
	if (c->lladdr && c->addrop == ADDR_DELETE && !c->haveaddr)
		rn_errx(1, "link delete: not supported by this kernel (one "
		    "link address per interface)");
	if (c->addrop != ADDR_NONE && !c->haveaddr)
		rn_errx(1, "%s: no address given",
		    c->addrop == ADDR_DELETE ? "delete" : "alias");
}

/* -------------------------------------------------------------- status */

static void
print_counters(const struct rump_ifinfo *ifi)
{
	const uint64_t *s = ifi->ifi_stats;
	unsigned long long v;

#define	PL(n, word) (n), (n) == 1 ? word : word "s"
	v = s[RUMP_IFSTAT_IPACKETS];
	printf("\tinput: %llu %s", PL(v, "packet"));
	v = s[RUMP_IFSTAT_IBYTES];
	printf(", %llu %s", PL(v, "byte"));
	if ((v = s[RUMP_IFSTAT_IMCASTS]) != 0)
		printf(", %llu %s", PL(v, "multicast"));
	if ((v = s[RUMP_IFSTAT_IERRORS]) != 0)
		printf(", %llu %s", PL(v, "error"));
	if ((v = s[RUMP_IFSTAT_IQDROPS]) != 0)
		printf(", %llu queue %s", PL(v, "drop"));
	if ((v = s[RUMP_IFSTAT_NOPROTO]) != 0)
		printf(", %llu unknown protocol", v);
	printf("\n");
	v = s[RUMP_IFSTAT_OPACKETS];
	printf("\toutput: %llu %s", PL(v, "packet"));
	v = s[RUMP_IFSTAT_OBYTES];
	printf(", %llu %s", PL(v, "byte"));
	if ((v = s[RUMP_IFSTAT_OMCASTS]) != 0)
		printf(", %llu %s", PL(v, "multicast"));
	if ((v = s[RUMP_IFSTAT_OERRORS]) != 0)
		printf(", %llu %s", PL(v, "error"));
	if ((v = s[RUMP_IFSTAT_OQDROPS]) != 0)
		printf(", %llu queue %s", PL(v, "drop"));
	if ((v = s[RUMP_IFSTAT_COLLISIONS]) != 0)
		printf(", %llu %s", PL(v, "collision"));
	printf("\n");
#undef PL
}

static void
print_caplines(const char *label, uint32_t val)
{
	char buf[512];
	const char *p;

	if (val == 0) {
		printf("\t%s=0\n", label);
		return;
	}
	rn_snprintb_m(buf, sizeof(buf), val, rn_ifcap_bits, MAX_PRINT_LEN);
	for (p = buf; *p != '\0'; p += strlen(p) + 1)
		printf("\t%s=%s\n", label, p);
}

/* The host's resolver names an address for -N; numeric otherwise. */
static const char *
addrname(int family, const uint8_t *addr, char *buf, size_t len,
    const struct opts *o)
{
	char num[RN_INET6_STRLEN];

	if (family == RN_AF_INET)
		rn_fmt_inet(addr, num);
	else
		rn_fmt_inet6(addr, num);
	snprintf(buf, len, "%s", num);
	if (o->names) {
		struct sockaddr_storage ss;
		socklen_t sl;

		memset(&ss, 0, sizeof(ss));
		if (family == RN_AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			memcpy(&sin->sin_addr, addr, 4);
			sl = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			memcpy(&sin6->sin6_addr, addr, 16);
			sl = sizeof(*sin6);
		}
		if (getnameinfo((struct sockaddr *)&ss, sl, buf, (socklen_t)len,
		    NULL, 0, NI_NAMEREQD) != 0)
			snprintf(buf, len, "%s", num);
	}
	return buf;
}

/* Print the addresses of one family; false if the kernel lacks it. */
static int
print_addrs(const struct rump_ifinfo *ifi, int family, const struct opts *o)
{
	struct rump_ifaddrreq ifra;
	char a[NI_MAXHOST], b[NI_MAXHOST], fl[128];
	uint32_t i;

	for (i = 0;; i++) {
		memset(&ifra, 0, sizeof(ifra));
		ifra.ifra_family = (uint16_t)family;
		ifra.ifra_ifindex = ifi->ifi_index;
		ifra.ifra_index = i;
		if (rn_ioctl(RUMP_SIOCGIFADDR, &ifra) != 0) {
			if (errno == ENOENT)
				return 1;
			if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
				return 0;
			rn_err(1, "SIOCGIFADDR %s", ifi->ifi_name);
		}
		if (family == RN_AF_INET) {
			printf("\tinet %s/%u", addrname(family, ifra.ifra_addr,
			    a, sizeof(a), o), ifra.ifra_plen);
			if ((ifi->ifi_flags & RUMP_IFF_BROADCAST) &&
			    !rn_is_zero(ifra.ifra_broadaddr, 4))
				printf(" broadcast %s", addrname(family,
				    ifra.ifra_broadaddr, b, sizeof(b), o));
			printf(" flags %s\n", rn_snprintb(fl, sizeof(fl),
			    ifra.ifra_addrflags, rn_in_iff_bits, 1));
			continue;
		}
		addrname(family, ifra.ifra_addr, a, sizeof(a), o);
		if (ifra.ifra_scopeid != 0)
			printf("\tinet6 %s%%%s/%u", a, ifi->ifi_name,
			    ifra.ifra_plen);
		else
			printf("\tinet6 %s/%u", a, ifra.ifra_plen);
		printf(" flags %s", rn_snprintb(fl, sizeof(fl),
		    ifra.ifra_addrflags, rn_in6_iff_bits, 1));
		if (ifra.ifra_scopeid != 0)
			printf(" scopeid 0x%x", ifra.ifra_scopeid);
		if (o->lifetimes) {
			if (ifra.ifra_pltime == RUMP_ND6_INFINITE)
				printf(" pltime infty");
			else
				printf(" pltime %u", ifra.ifra_pltime);
			if (ifra.ifra_vltime == RUMP_ND6_INFINITE)
				printf(" vltime infty");
			else
				printf(" vltime %u", ifra.ifra_vltime);
		}
		printf("\n");
	}
}

static const char *
linkstate_name(uint32_t st)
{
	switch (st) {
	case RUMP_LINK_STATE_UP:
		return "up";
	case RUMP_LINK_STATE_DOWN:
		return "down";
	default:
		return "unknown";
	}
}

/* family: 0 = all, else only that family's address lines. */
static void
status(const struct rump_ifinfo *ifi, const struct opts *o, int family)
{
	struct rump_linkstr ls;
	char buf[256], mac[RN_MAC_STRLEN];

	printf("%s: flags=%s", ifi->ifi_name, rn_snprintb(buf, sizeof(buf),
	    ifi->ifi_flags, rn_iff_bits, 1));
	if (ifi->ifi_metric != 0)
		printf(" metric %u", ifi->ifi_metric);
	printf(" mtu %u\n", ifi->ifi_mtu);
	if (ifi->ifi_capabilities != 0) {
		print_caplines("capabilities", ifi->ifi_capabilities);
		print_caplines("enabled", ifi->ifi_capenable);
	}
	if (ifi->ifi_addrlen == 6 && !rn_is_zero(ifi->ifi_lladdr, 6))
		printf("\taddress: %s\n", rn_fmt_mac(ifi->ifi_lladdr, mac));
	if (ifi->ifi_haslinkstr) {
		memset(&ls, 0, sizeof(ls));
		rn_setifname(ls.ls_name, ifi->ifi_name);
		if (rn_ioctl(RUMP_SIOCGLINKSTR, &ls) == 0) {
			ls.ls_path[sizeof(ls.ls_path) - 1] = '\0';
			printf("\tlinkstr: %s\n", ls.ls_path);
		} else if (errno != ENOENT && errno != ENOTTY)
			rn_err(1, "SIOCGLINKSTR %s", ifi->ifi_name);
	}
	if (ifi->ifi_media != RUMP_IFM_NOMEDIA) {
		printf("\tmedia: Ethernet %s\n",
		    ifi->ifi_media == RUMP_IFM_NONE ? "none" : "autoselect");
		printf("\tstatus: %s\n",
		    ifi->ifi_linkstate == RUMP_LINK_STATE_UP ? "active" :
		    "no carrier");
		if (o->media) {
			printf("\tsupported Ethernet media:\n");
			printf("\t\tmedia none\n");
			printf("\t\tmedia autoselect\n");
		}
	}
	if (o->verbose || o->zero) {
		printf("\tlinkstate: %s\n", linkstate_name(ifi->ifi_linkstate));
		print_counters(ifi);
	}
	if (family == 0 || family == RN_AF_INET)
		print_addrs(ifi, RN_AF_INET, o);
	if (family == 0 || family == RN_AF_INET6) {
		if (!print_addrs(ifi, RN_AF_INET6, o) && family == RN_AF_INET6)
			rn_errx(1, "inet6: not supported by this kernel");
	}
	if (o->zero) {
		struct rump_ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		rn_setifname(ifr.ifr_name, ifi->ifi_name);
		if (rn_ioctl(RUMP_SIOCZIFDATA, &ifr) != 0)
			rn_err(1, "SIOCZIFDATA %s", ifi->ifi_name);
	}
}

/* Does the interface pass the -u / -d / -b filters? */
static int
selected(const struct rump_ifinfo *ifi, const struct opts *o)
{
	if (o->onlyup && !(ifi->ifi_flags & RUMP_IFF_UP))
		return 0;
	if (o->onlydown && (ifi->ifi_flags & RUMP_IFF_UP))
		return 0;
	if (o->onlybcast && !(ifi->ifi_flags & RUMP_IFF_BROADCAST))
		return 0;
	return 1;
}

/* -s: "carrier" means the link is not known to be down. */
static int
has_carrier(const struct rump_ifinfo *ifi)
{
	if (ifi->ifi_linkstate == RUMP_LINK_STATE_DOWN)
		return 0;
	if (ifi->ifi_media == RUMP_IFM_NONE)
		return 0;
	return 1;
}

static void
list_all(const struct opts *o)
{
	struct rump_ifinfo ifi;
	const char *sep = "";

	memset(&ifi, 0, sizeof(ifi));
	while (rn_ifinfo_next(&ifi)) {
		if (!selected(&ifi, o) || (o->list && o->carrier &&
		    !has_carrier(&ifi)))
			continue;
		if (o->list) {
			printf("%s%s", sep, ifi.ifi_name);
			sep = " ";
		} else
			status(&ifi, o, 0);
	}
	if (o->list)
		printf("\n");
}

static void
list_cloners(void)
{
	struct rump_ifcloners ifc;
	uint32_t i;

	memset(&ifc, 0, sizeof(ifc));
	if (rn_ioctl(RUMP_SIOCIFGCLONERS, &ifc) != 0)
		rn_err(1, "SIOCIFGCLONERS");
	if (ifc.ifc_count > RUMP_MAXCLONERS)
		ifc.ifc_count = RUMP_MAXCLONERS;
	for (i = 0; i < ifc.ifc_count; i++) {
		ifc.ifc_names[i][RUMP_IFNAMSIZ - 1] = '\0';
		printf("%s%s", i > 0 ? " " : "", ifc.ifc_names[i]);
	}
	printf("\n");
}

/* ------------------------------------------------------------ -w SECS */

static int
any_tentative(void)
{
	static const struct {
		int		family;
		uint32_t	bit;
	} fams[] = {
		{ RN_AF_INET, RUMP_IN_IFF_TENTATIVE },
		{ RN_AF_INET6, RUMP_IN6_IFF_TENTATIVE },
	};
	struct rump_ifaddrreq ifra;
	size_t f;
	uint32_t i;

	for (f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		for (i = 0;; i++) {
			memset(&ifra, 0, sizeof(ifra));
			ifra.ifra_family = (uint16_t)fams[f].family;
			ifra.ifra_index = i;
			if (rn_ioctl(RUMP_SIOCGIFADDR, &ifra) != 0)
				break;
			if (ifra.ifra_addrflags & fams[f].bit)
				return 1;
		}
	}
	return 0;
}

static void
wait_dad(const struct opts *o)
{
	uint64_t deadline = rn_now_ns() + o->waitns;

	while (any_tentative()) {
		if (o->waitns != 0 && rn_now_ns() >= deadline)
			rn_errx(1, "timed out waiting for tentative addresses");
		rn_sleep_ns(50 * 1000000ull);
	}
}

/* ------------------------------------------------------------ commands */

static void
set_flags(const char *ifname, uint32_t set, uint32_t clr)
{
	struct rump_ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	rn_setifname(ifr.ifr_name, ifname);
	if (rn_ioctl(RUMP_SIOCGIFFLAGS, &ifr) != 0)
		rn_err(1, "SIOCGIFFLAGS %s", ifname);
	ifr.ifr_value = (ifr.ifr_value | set) & ~clr;
	if (rn_ioctl(RUMP_SIOCSIFFLAGS, &ifr) != 0)
		rn_err(1, "SIOCSIFFLAGS %s", ifname);
}

static void
do_linkstr(const struct ifcmd *c)
{
	struct rump_linkstr *ls;
	char name[RUMP_IFNAMSIZ];
	size_t n = 0;
	int rv, error;

	/* Every check that exits comes before the allocation. */
	rn_setifname(name, c->ifname);
	if (!c->unlinkstr) {
		n = strlen(c->linkstr);
		if (n == 0 || n >= sizeof(ls->ls_path))
			rn_errx(1, "linkstr: bad path length");
	}
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		rn_err(1, "linkstr");
	memcpy(ls->ls_name, name, sizeof(name));
	if (c->unlinkstr) {
		ls->ls_cmd = RUMP_LINKSTR_UNSET;
	} else {
		memcpy(ls->ls_path, c->linkstr, n);
		ls->ls_len = (uint32_t)(n + 1);
	}
	rv = rn_ioctl(RUMP_SIOCSLINKSTR, ls);
	error = errno;
	free(ls);
	if (rv != 0)
		rn_errc(1, error, "SIOCSLINKSTR %s", c->ifname);
}

/* The prefix length of ADDR if the interface already has it, or -1. */
static int
existing_plen(uint32_t ifindex, const uint8_t *addr, int family)
{
	struct rump_ifaddrreq ifra;
	uint32_t i;

	for (i = 0;; i++) {
		memset(&ifra, 0, sizeof(ifra));
		ifra.ifra_family = (uint16_t)family;
		ifra.ifra_ifindex = ifindex;
		ifra.ifra_index = i;
		if (rn_ioctl(RUMP_SIOCGIFADDR, &ifra) != 0)
			return -1;
		if (memcmp(ifra.ifra_addr, addr,
		    family == RN_AF_INET ? 4 : 16) == 0)
			return ifra.ifra_plen;
	}
}

static void
do_address(const struct ifcmd *c, uint32_t ifindex)
{
	struct rump_ifaddrreq ifra;
	unsigned long req;
	const char *reqname;
	int plen = c->plen;

	memset(&ifra, 0, sizeof(ifra));
	rn_setifname(ifra.ifra_name, c->ifname);
	ifra.ifra_family = (uint16_t)c->family;
	memcpy(ifra.ifra_addr, c->addr, c->family == RN_AF_INET ? 4 : 16);
	if (c->addrop == ADDR_DELETE) {
		req = RUMP_SIOCDIFADDR;
		reqname = "SIOCDIFADDR";
	} else {
		req = RUMP_SIOCAIFADDR;
		reqname = "SIOCAIFADDR";
		if (c->addrop == ADDR_ALIAS)
			ifra.ifra_reqflags |= RUMP_IFRA_ALIAS;
		if (plen < 0)
			plen = existing_plen(ifindex, c->addr, c->family);
		if (plen < 0)
			plen = c->family == RN_AF_INET ?
			    rn_classful_plen(c->addr) : 64;
		if (c->havebcast)
			memcpy(ifra.ifra_broadaddr, c->bcast, 4);
		if (c->family == RN_AF_INET6) {
			ifra.ifra_addrflags = c->in6flags;
			ifra.ifra_pltime = c->pltime;
			ifra.ifra_vltime = c->vltime;
		}
	}
	ifra.ifra_plen = (uint8_t)(plen < 0 ? 0 : plen);
	if (rn_ioctl(req, &ifra) == 0)
		return;
	if (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT)
		rn_errx(1, "%s: not supported by this kernel", c->familyname);
	rn_err(1, "%s %s %s", reqname, c->ifname, c->addrstr);
}

static void
do_caps(const struct ifcmd *c)
{
	struct rump_ifcapreq ifcr;

	memset(&ifcr, 0, sizeof(ifcr));
	rn_setifname(ifcr.ifcr_name, c->ifname);
	if (rn_ioctl(RUMP_SIOCGIFCAP, &ifcr) != 0)
		rn_err(1, "SIOCGIFCAP %s", c->ifname);
	if ((c->capset & ~ifcr.ifcr_capabilities) != 0)
		rn_errx(1, "%s: capability not supported by the interface",
		    c->ifname);
	ifcr.ifcr_capenable = (ifcr.ifcr_capenable | c->capset) & ~c->capclr;
	ifcr.ifcr_capenable &= ifcr.ifcr_capabilities;
	if (rn_ioctl(RUMP_SIOCSIFCAP, &ifcr) != 0)
		rn_err(1, "SIOCSIFCAP %s", c->ifname);
}

static void
do_simple(unsigned long req, const char *reqname, const char *ifname,
    uint32_t value)
{
	struct rump_ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	rn_setifname(ifr.ifr_name, ifname);
	ifr.ifr_value = value;
	if (rn_ioctl(req, &ifr) != 0)
		rn_err(1, "%s %s", reqname, ifname);
}

/*
 * Apply the changes in a fixed order: create; down; the link (bus,
 * link address); MTU, flags, capabilities, media; the address; up;
 * destroy.  An address brings a down interface up by itself.
 */
static void
apply(struct ifcmd *c)
{
	struct rump_ifinfo ifi;
	struct rump_ifname ifn;
	int error;

	if (c->create) {
		memset(&ifn, 0, sizeof(ifn));
		rn_setifname(ifn.ifn_name, c->ifname);
		if (rn_ioctl(RUMP_SIOCIFCREATE, &ifn) != 0)
			rn_err(1, "SIOCIFCREATE %s", c->ifname);
	}
	if ((error = rn_ifinfo_byname(c->ifname, &ifi)) != 0)
		rn_errc(1, error, "%s", c->ifname);
	if (c->updown < 0)
		set_flags(c->ifname, 0, RUMP_IFF_UP);
	if (c->linkstr != NULL || c->unlinkstr)
		do_linkstr(c);
	if (c->lladdr) {
		struct rump_iflladdr ifl;

		memset(&ifl, 0, sizeof(ifl));
		rn_setifname(ifl.ifl_name, c->ifname);
		ifl.ifl_addrlen = 6;
		memcpy(ifl.ifl_addr, c->mac, 6);
		ifl.ifl_flags = c->llactive ? RUMP_LLADDR_ACTIVE : 0;
		if (rn_ioctl(RUMP_SIOCSIFLLADDR, &ifl) != 0)
			rn_err(1, "SIOCSIFLLADDR %s", c->ifname);
	}
	if (c->mtu >= 0)
		do_simple(RUMP_SIOCSIFMTU, "SIOCSIFMTU", c->ifname,
		    (uint32_t)c->mtu);
	if (c->noarp != 0 || c->debug != 0)
		set_flags(c->ifname,
		    (c->noarp > 0 ? RUMP_IFF_NOARP : 0) |
		    (c->debug > 0 ? RUMP_IFF_DEBUG : 0),
		    (c->noarp < 0 ? RUMP_IFF_NOARP : 0) |
		    (c->debug < 0 ? RUMP_IFF_DEBUG : 0));
	if (c->capset != 0 || c->capclr != 0)
		do_caps(c);
	if (c->media >= 0) {
		struct rump_ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		rn_setifname(ifr.ifr_name, c->ifname);
		ifr.ifr_value = (uint32_t)c->media;
		if (rn_ioctl(RUMP_SIOCSIFMEDIA, &ifr) != 0) {
			if (errno == ENOTTY || errno == EOPNOTSUPP)
				rn_errx(1, "media: not supported by %s",
				    c->ifname);
			rn_err(1, "SIOCSIFMEDIA %s", c->ifname);
		}
	}
	if (c->haveaddr)
		do_address(c, ifi.ifi_index);
	if (c->updown > 0)
		set_flags(c->ifname, RUMP_IFF_UP, 0);
	if (c->destroy) {
		memset(&ifn, 0, sizeof(ifn));
		rn_setifname(ifn.ifn_name, c->ifname);
		if (rn_ioctl(RUMP_SIOCIFDESTROY, &ifn) != 0)
			rn_err(1, "SIOCIFDESTROY %s", c->ifname);
	}
}

/* "2" names the interface with index 2. */
static const char *
resolve_index(const char *name, char buf[RUMP_IFNAMSIZ])
{
	struct rump_ifinfo ifi;
	unsigned long idx;
	int error;

	if (!rn_parse_ulong(name, 10, 0, 0xffffffffUL, &idx))
		return name;
	if (idx == 0)
		rn_errc(1, ENXIO, "%s", name);
	if ((error = rn_ifinfo_byindex((uint32_t)idx, &ifi)) != 0)
		rn_errc(1, error, "%s", name);
	memcpy(buf, ifi.ifi_name, RUMP_IFNAMSIZ);
	buf[RUMP_IFNAMSIZ - 1] = '\0';
	return buf;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct ifcmd c;
	struct rump_ifinfo ifi;
	char namebuf[RUMP_IFNAMSIZ];
	int ch, error;

	rn_init("rump.ifconfig");
	memset(&o, 0, sizeof(o));
	/* '+': stop at the interface name; "-arp" etc. are keywords. */
	while ((ch = getopt(argc, argv, "+abCdhLlmNsuvw:W:z")) != -1) {
		switch (ch) {
		case 'a': o.all = 1; break;
		case 'b': o.onlybcast = 1; break;
		case 'C': o.cloners = 1; break;
		case 'd': o.onlydown = 1; break;
		case 'h': break;		/* bytes are printed in full */
		case 'L': o.lifetimes = 1; break;
		case 'l': o.list = 1; break;
		case 'm': o.media = 1; break;
		case 'N': o.names = 1; break;
		case 's': o.carrier = 1; break;
		case 'u': o.onlyup = 1; break;
		case 'v': o.verbose = 1; break;
		case 'z': o.zero = 1; break;
		case 'w':
			if (!rn_parse_seconds(optarg, 86400 * 365, &o.waitns))
				rn_errx(1, "-w %s: bad number of seconds",
				    optarg);
			o.wait = 1;
			break;
		case 'W': {
			uint64_t ns;

			/* Addresses are DETACHED only while down: no wait. */
			if (!rn_parse_seconds(optarg, 86400 * 365, &ns))
				rn_errx(1, "-W %s: bad number of seconds",
				    optarg);
			break;
		}
		default:
			rn_usage(usage_lines);
		}
	}
	argc -= optind;
	argv += optind;

	if (o.cloners) {
		if (argc != 0 || o.all || o.list)
			rn_usage(usage_lines);
		list_cloners();
		return 0;
	}
	if (o.all || o.list) {
		if (argc != 0 || (o.all && o.list))
			rn_usage(usage_lines);
		list_all(&o);
		return 0;
	}
	if (argc == 0) {
		if (o.wait) {
			wait_dad(&o);
			return 0;
		}
		if (o.carrier)
			rn_usage(usage_lines);
		list_all(&o);
		return 0;
	}

	memset(&c, 0, sizeof(c));
	c.ifname = resolve_index(argv[0], namebuf);
	c.mtu = -1;
	c.plen = -1;
	c.media = -1;
	c.pltime = c.vltime = RUMP_ND6_INFINITE;
	if (strlen(c.ifname) >= RUMP_IFNAMSIZ)
		rn_errx(1, "%s: interface name too long", c.ifname);
	parse_words(&c, argc - 1, argv + 1);

	if (o.carrier) {
		if (argc != 1)
			rn_usage(usage_lines);
		if ((error = rn_ifinfo_byname(c.ifname, &ifi)) != 0)
			rn_errc(1, error, "%s", c.ifname);
		return has_carrier(&ifi) ? 0 : 1;
	}

	/* Only a family (or nothing): show the interface. */
	if (!c.create && !c.destroy && c.linkstr == NULL && !c.unlinkstr &&
	    c.updown == 0 && c.mtu < 0 && c.noarp == 0 && c.debug == 0 &&
	    c.capset == 0 && c.capclr == 0 && c.media < 0 && !c.lladdr &&
	    !c.haveaddr && c.nargs <= 1) {
		if ((error = rn_ifinfo_byname(c.ifname, &ifi)) != 0)
			rn_errc(1, error, "%s", c.ifname);
		status(&ifi, &o, c.family);
		if (o.wait)
			wait_dad(&o);
		return 0;
	}
	if (c.haveaddr == 0 && (c.plen >= 0 || c.havebcast))
		rn_errx(1, "%s: no address given", c.ifname);
	apply(&c);
	if (o.wait)
		wait_dad(&o);
	return 0;
}
