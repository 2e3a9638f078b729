/*
 * rump.netstat -- show the network state of a rump kernel.
 *
 *	rump.netstat -r [-n] [-f inet|inet6]	routing tables
 *	rump.netstat -i [-an] [-f inet|inet6]	interfaces
 *	rump.netstat -s [-f inet] [-p proto]	protocol statistics
 *	rump.netstat [-an] [-f inet|inet6]	sockets (NetBSD's format)
 *
 * The routing table is NetBSD's netstat -rn format (shared with
 * rump.route show).  Statistics are every counter of the sysctl tree
 * under net.inet.<proto>.stats, net.link.stats and net.route.stats.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rumpnet/rump_net.h>
#include <rumpnet/rump_syscalls.h>

#include "tools/common/rnflags.h"
#include "tools/common/rnroute.h"
#include "tools/common/rntool.h"

static const char *const usage_lines[] = {
	"rump.netstat [-an] [-f address_family]",
	"rump.netstat -i [-an] [-f address_family]",
	"rump.netstat -r [-n] [-f address_family]",
	"rump.netstat -s [-f address_family] [-p protocol]",
	NULL
};

/* -------------------------------------------------------------- -i */

static void
print_ifrow(const struct rump_ifinfo *ifi, const char *net, const char *addr)
{
	const uint64_t *s = ifi->ifi_stats;

	printf("%-6s %-5u %-13s %-17s %8llu %5llu %8llu %5llu %5llu\n",
	    ifi->ifi_name, ifi->ifi_mtu, net, addr,
	    (unsigned long long)s[RUMP_IFSTAT_IPACKETS],
	    (unsigned long long)s[RUMP_IFSTAT_IERRORS],
	    (unsigned long long)s[RUMP_IFSTAT_OPACKETS],
	    (unsigned long long)s[RUMP_IFSTAT_OERRORS],
	    (unsigned long long)s[RUMP_IFSTAT_COLLISIONS]);
}

static void
print_interfaces(int family)
{
	struct rump_ifinfo ifi;
	struct rump_ifaddrreq ifra;
	char net[128], addr[RN_INET6_STRLEN], mac[RN_MAC_STRLEN];
	uint8_t n4[4], m4[4];
	uint32_t i;
	int f, k;

	printf("%-6s %-5s %-13s %-17s %8s %5s %8s %5s %5s\n", "Name", "Mtu",
	    "Network", "Address", "Ipkts", "Ierrs", "Opkts", "Oerrs",
	    "Colls");
	memset(&ifi, 0, sizeof(ifi));
	while (rn_ifinfo_next(&ifi)) {
		ifi.ifi_name[RUMP_IFNAMSIZ - 1] = '\0';
		if (family == 0) {
			if (ifi.ifi_addrlen == 6)
				rn_fmt_mac(ifi.ifi_lladdr, mac);
			else
				mac[0] = '\0';
			print_ifrow(&ifi, "<Link>", mac);
		}
		for (f = RN_AF_INET; f != 0;
		    f = f == RN_AF_INET ? RN_AF_INET6 : 0) {
			if (family != 0 && family != f)
				continue;
			for (i = 0;; i++) {
				memset(&ifra, 0, sizeof(ifra));
				ifra.ifra_family = (uint16_t)f;
				ifra.ifra_ifindex = ifi.ifi_index;
				ifra.ifra_index = i;
				if (rn_ioctl(RUMP_SIOCGIFADDR, &ifra) != 0)
					break;
				if (f == RN_AF_INET) {
					rn_plen_to_mask(ifra.ifra_plen, m4);
					for (k = 0; k < 4; k++)
						n4[k] = ifra.ifra_addr[k] &
						    m4[k];
					rn_netname4(n4, ifra.ifra_plen, net,
					    sizeof(net));
					rn_fmt_inet(ifra.ifra_addr, addr);
				} else {
					uint8_t n6[16];

					memcpy(n6, ifra.ifra_addr, 16);
					for (k = ifra.ifra_plen; k < 128; k++)
						n6[k / 8] &= (uint8_t)~(0x80u >>
						    (k % 8));
					rn_netname6(n6, ifra.ifra_plen,
					    ifra.ifra_scopeid, net,
					    sizeof(net));
					rn_fmt_inet6(ifra.ifra_addr, addr);
				}
				print_ifrow(&ifi, net, addr);
			}
		}
	}
}

/* -------------------------------------------------------------- -s */

/*
 * Readable text for the counters whose names are terse; a counter not
 * listed here is shown by its sysctl name.  "%llu" comes first.
 */
static const struct {
	const char	*name;		/* full sysctl name */
	const char	*text;
} stattext[] = {
	{ "net.inet.ip.stats.total", "total packets received" },
	{ "net.inet.ip.stats.toosmall", "packets too small" },
	{ "net.inet.ip.stats.badvers", "packets with incorrect version number" },
	{ "net.inet.ip.stats.badhlen", "packets with header length < data size" },
	{ "net.inet.ip.stats.badsum", "bad header checksums" },
	{ "net.inet.ip.stats.badlen", "with data length < header length" },
	{ "net.inet.ip.stats.tooshort", "with data size < data length" },
	{ "net.inet.ip.stats.toolong", "packets too long" },
	{ "net.inet.ip.stats.fragments", "fragments received" },
	{ "net.inet.ip.stats.fragdropped", "fragments dropped (dup or out of space)" },
	{ "net.inet.ip.stats.fragtimeout", "fragments dropped after timeout" },
	{ "net.inet.ip.stats.reassembled", "packets reassembled ok" },
	{ "net.inet.ip.stats.delivered", "packets for this host" },
	{ "net.inet.ip.stats.noproto", "packets for unknown/unsupported protocol" },
	{ "net.inet.ip.stats.forward", "packets forwarded" },
	{ "net.inet.ip.stats.cantforward", "packets not forwardable" },
	{ "net.inet.ip.stats.redirectsent", "redirects sent" },
	{ "net.inet.ip.stats.localout", "packets sent from this host" },
	{ "net.inet.ip.stats.rawout", "packets sent with fabricated ip header" },
	{ "net.inet.ip.stats.odropped", "output packets dropped due to no bufs, etc." },
	{ "net.inet.ip.stats.noroute", "output packets discarded due to no route" },
	{ "net.inet.ip.stats.fragmented", "output datagrams fragmented" },
	{ "net.inet.ip.stats.ofragments", "fragments created" },
	{ "net.inet.ip.stats.cantfrag", "datagrams that can't be fragmented" },
	{ "net.inet.udp.stats.ipackets", "datagrams received" },
	{ "net.inet.udp.stats.opackets", "datagrams output" },
	{ "net.inet.udp.stats.badsum", "with bad checksum" },
	{ "net.inet.udp.stats.noport", "dropped due to no socket" },
	{ "net.inet.udp.stats.fullsock", "dropped due to full socket buffers" },
};

static const char *
counter_text(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(stattext) / sizeof(stattext[0]); i++)
		if (strcmp(stattext[i].name, name) == 0)
			return stattext[i].text;
	return NULL;
}

/*
 * Print the counters under PREFIX ("net.inet.ip.stats") as a section
 * "TITLE:"; nodes of a deeper level (inhist.echo) are grouped under an
 * indented sub-title.  => number of counters printed.
 */
static int
print_stats(const char *prefix, const char *title)
{
	char name[RUMP_SYSCTL_NAMEMAX] = "", group[RUMP_SYSCTL_NAMEMAX] = "";
	size_t plen = strlen(prefix), len;
	int type, n = 0;

	while (rump_sys_sysctlnext(prefix, name, name, sizeof(name),
	    &type) == 0) {
		const char *rest, *dot, *text;
		uint64_t v64 = 0;
		int32_t v32;

		if (strncmp(name, prefix, plen) != 0 || name[plen] != '.')
			continue;
		rest = name + plen + 1;
		if ((type & RUMP_SYSCTL_TYPEMASK) == RUMP_SYSCTL_TYPE_QUAD) {
			len = sizeof(v64);
			if (rn_sysctl_get(name, &v64, &len) != 0)
				continue;
		} else if ((type & RUMP_SYSCTL_TYPEMASK) ==
		    RUMP_SYSCTL_TYPE_INT) {
			len = sizeof(v32);
			if (rn_sysctl_get(name, &v32, &len) != 0)
				continue;
			v64 = (uint64_t)(uint32_t)v32;
		} else
			continue;
		if (n == 0)
			printf("%s:\n", title);
		n++;
		dot = strrchr(rest, '.');
		if (dot != NULL) {
			size_t glen = (size_t)(dot - rest);

			if (strlen(group) != glen ||
			    strncmp(group, rest, glen) != 0) {
				memcpy(group, rest, glen);
				group[glen] = '\0';
				printf("\t%s:\n", group);
			}
			printf("\t\t%llu %s\n", (unsigned long long)v64,
			    dot + 1);
			continue;
		}
		group[0] = '\0';
		text = counter_text(name);
		printf("\t%llu %s\n", (unsigned long long)v64,
		    text != NULL ? text : rest);
	}
	return n;
}

static const struct {
	const char	*proto;		/* -p name and title */
	const char	*prefix;
	int		family;
} stattab[] = {
	{ "ip",		"net.inet.ip.stats",	RN_AF_INET },
	{ "icmp",	"net.inet.icmp.stats",	RN_AF_INET },
	{ "tcp",	"net.inet.tcp.stats",	RN_AF_INET },
	{ "udp",	"net.inet.udp.stats",	RN_AF_INET },
	{ "raw",	"net.inet.raw.stats",	RN_AF_INET },
	{ "arp",	"net.inet.arp.stats",	RN_AF_INET },
	{ "ip6",	"net.inet6.ip6.stats",	RN_AF_INET6 },
	{ "icmp6",	"net.inet6.icmp6.stats", RN_AF_INET6 },
	{ "udp6",	"net.inet6.udp6.stats",	RN_AF_INET6 },
	{ "tcp6",	"net.inet6.tcp6.stats",	RN_AF_INET6 },
	{ "nd6",	"net.inet6.nd6.stats",	RN_AF_INET6 },
	{ "link",	"net.link.stats",	0 },
	{ "route",	"net.route.stats",	0 },
};

/*
 * The software offload counters of every interface that has them
 * (net.interfaces.<if>.offload.*), one section per interface.
 */
static void
print_offload_stats(void)
{
	static const char top[] = "net.interfaces";
	char name[RUMP_SYSCTL_NAMEMAX] = "", last[RUMP_IFNAMSIZ] = "";
	char prefix[RUMP_SYSCTL_NAMEMAX], title[64];
	int type;

	while (rump_sys_sysctlnext(top, name, name, sizeof(name),
	    &type) == 0) {
		const char *ifn = name + sizeof(top), *dot;
		size_t len;

		if ((dot = strchr(ifn, '.')) == NULL ||
		    (len = (size_t)(dot - ifn)) >= sizeof(last) ||
		    strcmp(dot + 1, "offload.tx_ipv4") != 0)
			continue;
		memcpy(last, ifn, len);
		last[len] = '\0';
		snprintf(prefix, sizeof(prefix), "%s.%s.offload", top, last);
		snprintf(title, sizeof(title), "offload (%s)", last);
		print_stats(prefix, title);
	}
}

static int
print_all_stats(int family, const char *proto)
{
	size_t i;
	int found = 0;

	for (i = 0; i < sizeof(stattab) / sizeof(stattab[0]); i++) {
		if (proto != NULL && strcmp(proto, stattab[i].proto) != 0)
			continue;
		if (family != 0 && stattab[i].family != family)
			continue;
		found = 1;
		print_stats(stattab[i].prefix, stattab[i].proto);
	}
	if (family == 0 && (proto == NULL || strcmp(proto, "offload") == 0)) {
		found = 1;
		print_offload_stats();
	}
	if (proto != NULL && !found)
		rn_errx(1, "%s: unknown or uninstrumented protocol", proto);
	return 0;
}

/* ---------------------------------------------------------- sockets */

/* NetBSD's names of the TCP states, indexed by RUMP_TCPS_*. */
static const char *const tcpstates[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED",
	"CLOSE_WAIT", "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2",
	"TIME_WAIT",
};

/* Every PCB of the kernel, in the kernel's order.  => count; *out is
 * malloc'd.  Exits with a message if the kernel has no list. */
static size_t
fetch_pcbs(struct rump_pcbreq **out)
{
	struct rump_pcbreq req, *v = NULL, *nv;
	size_t n = 0, cap = 0;
	uint32_t i;

	for (i = 0;; i++) {
		memset(&req, 0, sizeof(req));
		req.pcb_index = i;
		if (rn_ioctl(RUMP_SIOCLISTPCB, &req) != 0) {
			if (errno == ENOENT)
				break;
			rn_err(1, "socket list");
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				rn_err(1, "socket list");
			v = nv;
		}
		req.pcb_table[sizeof(req.pcb_table) - 1] = '\0';
		v[n++] = req;
	}
	*out = v;
	return n;
}

/* "addr.port" as netstat prints it: "*" for a wildcard address or
 * port, IPv6 link-local addresses with their %zone. */
static void
fmt_endpoint(const struct rump_pcbreq *p, const uint8_t *addr,
    uint16_t port, char *buf, size_t len)
{
	char a[RN_INET6_STRLEN + RUMP_IFNAMSIZ + 1], ifn[RUMP_IFNAMSIZ];
	char pstr[8];
	size_t alen = p->pcb_family == RN_AF_INET ? 4 : 16;

	if (rn_is_zero(addr, alen))
		strcpy(a, "*");
	else if (p->pcb_family == RN_AF_INET)
		rn_fmt_inet(addr, a);
	else {
		rn_fmt_inet6(addr, a);
		if (p->pcb_scopeid != 0 && rn_inet6_is_scoped(addr)) {
			strcat(a, "%");
			strcat(a, rn_ifname(p->pcb_scopeid, ifn));
		}
	}
	if (port == 0)
		strcpy(pstr, "*");
	else
		snprintf(pstr, sizeof(pstr), "%u", port);
	snprintf(buf, len, "%s.%s", a, pstr);
}

static void
print_pcb(const struct rump_pcbreq *p)
{
	char proto[16], local[96], foreign[96];
	bool v6 = p->pcb_family == RN_AF_INET6;
	size_t tl = strlen(p->pcb_table);

	/* "tcp"/"udp"/"raw" get a 6 for IPv6 ("raw6" has it already). */
	snprintf(proto, sizeof(proto), "%s%s", p->pcb_table,
	    v6 && (tl == 0 || p->pcb_table[tl - 1] != '6') ? "6" : "");
	fmt_endpoint(p, p->pcb_laddr, p->pcb_lport, local, sizeof(local));
	fmt_endpoint(p, p->pcb_faddr, p->pcb_fport, foreign, sizeof(foreign));
	printf("%-5.5s %6u %6u  %-22s %-22s", proto, p->pcb_rcvq,
	    p->pcb_sndq, local, foreign);
	if (p->pcb_state < sizeof(tcpstates) / sizeof(tcpstates[0]))
		printf(" %s", tcpstates[p->pcb_state]);
	else if (p->pcb_state != RUMP_TCPS_NONE)
		printf(" %u", p->pcb_state);
	printf("\n");
}

/*
 * NetBSD's rules: without -a a socket whose local address is the
 * wildcard (listeners, unconnected datagram sockets) is a server and
 * not shown; raw sockets appear only with -a.  TCP and UDP sockets
 * that are neither bound nor connected (among them the socket this
 * program asks through) have nothing to show and are skipped.  One section per family,
 * its header printed before its first line; within it TCP, then UDP,
 * then raw.
 */
static void
print_sockets(int family, bool aflag)
{
	static const char *const order[] = { "tcp", "udp", "raw" };
	struct rump_pcbreq *v;
	size_t n, i, k;
	int f;
	bool shown;

	n = fetch_pcbs(&v);
	for (f = RN_AF_INET; f != 0; f = f == RN_AF_INET ? RN_AF_INET6 : 0) {
		if (family != 0 && family != f)
			continue;
		shown = false;
		for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
			for (i = 0; i < n; i++) {
				const struct rump_pcbreq *p = &v[i];

				if (p->pcb_family != f ||
				    strncmp(p->pcb_table, order[k], 3) != 0)
					continue;
				if (k < 2 && p->pcb_lport == 0 &&
				    p->pcb_fport == 0)
					continue;
				if (!aflag && (k == 2 || rn_is_zero(p->pcb_laddr,
				    f == RN_AF_INET ? 4 : 16)))
					continue;
				if (!shown) {
					printf("Active Internet%s connections%s\n",
					    f == RN_AF_INET6 ? "6" : "",
					    aflag ? " (including servers)" : "");
					printf("%-5.5s %6.6s %6.6s  %-22.22s "
					    "%-22.22s %s\n", "Proto", "Recv-Q",
					    "Send-Q", "Local Address",
					    "Foreign Address",
					    f == RN_AF_INET6 ? "(state)" :
					    "State");
					shown = true;
				}
				print_pcb(p);
			}
		}
	}
	free(v);
}

static int
parse_family(const char *s)
{
	if (strcmp(s, "inet") == 0)
		return RN_AF_INET;
	if (strcmp(s, "inet6") == 0)
		return RN_AF_INET6;
	rn_errx(1, "%s: unknown address family", s);
}

int
main(int argc, char **argv)
{
	int ch, aflag = 0, rflag = 0, iflag = 0, sflag = 0, family = 0;
	const char *proto = NULL;

	rn_init("rump.netstat");
	while ((ch = getopt(argc, argv, "af:inp:rsv")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'f': family = parse_family(optarg); break;
		case 'i': iflag = 1; break;
		case 'n': break;		/* always numeric */
		case 'p': proto = optarg; break;
		case 'r': rflag = 1; break;
		case 's': sflag = 1; break;
		case 'v': break;
		default:
			rn_usage(usage_lines);
		}
	}
	if (optind != argc || rflag + iflag + sflag > 1)
		rn_usage(usage_lines);
	if (proto != NULL && !sflag)
		sflag = 1;
	if (rflag)
		rn_print_routes(family);
	else if (iflag)
		print_interfaces(family);
	else if (sflag)
		return print_all_stats(family, proto);
	else
		print_sockets(family, aflag != 0);
	return 0;
}
