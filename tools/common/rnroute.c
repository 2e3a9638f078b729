/*
 * rnroute.c -- the routing table listing (netstat -rn format).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rumpnet/rump_net.h>

#include "tools/common/rnflags.h"
#include "tools/common/rnroute.h"
#include "tools/common/rntool.h"

const char *
rn_netname4(const uint8_t addr[4], int plen, char *buf, size_t len)
{
	int noct, last, i;
	size_t off;

	if (plen == 0 && rn_is_zero(addr, 4)) {
		snprintf(buf, len, "default");
		return buf;
	}
	if (plen >= 32) {
		rn_fmt_inet(addr, buf);
		return buf;
	}
	/* Octets covered by the prefix, and any non-zero one after them. */
	noct = (plen + 7) / 8;
	for (last = 3; last >= 0 && addr[last] == 0; last--)
		continue;
	if (last + 1 > noct)
		noct = last + 1;
	if (noct < 1)
		noct = 1;
	off = 0;
	buf[0] = '\0';
	for (i = 0; i < noct && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%u",
		    i > 0 ? "." : "", addr[i]);
	if (off < len)
		snprintf(buf + off, len - off, "/%d", plen);
	return buf;
}

/* "%shmif0" for a link-scoped address with a zone, else "". */
static const char *
zone_suffix(const uint8_t addr[16], uint32_t zone, char *buf, size_t len)
{
	char ifname[RUMP_IFNAMSIZ];

	buf[0] = '\0';
	if (zone != 0 && rn_inet6_is_scoped(addr))
		snprintf(buf, len, "%%%s", rn_ifname(zone, ifname));
	return buf;
}

const char *
rn_netname6(const uint8_t addr[16], int plen, uint32_t zone, char *buf,
    size_t len)
{
	char a[RN_INET6_STRLEN], z[RUMP_IFNAMSIZ + 2];

	zone_suffix(addr, zone, z, sizeof(z));
	if (plen == 0 && rn_is_zero(addr, 16))
		snprintf(buf, len, "default");
	else if (plen >= 128)
		snprintf(buf, len, "%s%s", rn_fmt_inet6(addr, a), z);
	else
		snprintf(buf, len, "%s%s/%d", rn_fmt_inet6(addr, a), z, plen);
	return buf;
}

struct cols {
	int	dstw, gww;
};

static void
print_row(const struct cols *c, const char *dst, const char *gw,
    const char *flags, const char *mtu, const char *ifname)
{
	/* Long names widen their column rather than being cut. */
	printf("%-*s %-*s %-6s %6s %8s %6s  %s\n", c->dstw, dst, c->gww, gw,
	    flags, "-", "-", mtu, ifname);
}

/* "link#N", or the interface's name for a loopback (as NetBSD's lo0). */
static const char *
link_gateway(uint32_t index, char *buf, size_t len)
{
	struct rump_ifinfo ifi;

	if (index != 0 && rn_ifinfo_byindex(index, &ifi) == 0 &&
	    ifi.ifi_type == RUMP_IFT_LOOP) {
		ifi.ifi_name[RUMP_IFNAMSIZ - 1] = '\0';
		snprintf(buf, len, "%s", ifi.ifi_name);
	} else
		snprintf(buf, len, "link#%u", index);
	return buf;
}

/* Print one family's section; false if the kernel does not have it. */
static int
print_family(int family)
{
	struct rump_rtreq rtr;
	struct rump_nbrreq nbr;
	struct cols c;
	char dst[128], gw[128], fl[32], mtu[16];
	uint32_t i;
	int got;

	c.dstw = family == RN_AF_INET ? 18 : 28;
	c.gww = family == RN_AF_INET ? 18 : 28;
	for (i = 0;; i++) {
		memset(&rtr, 0, sizeof(rtr));
		rtr.rtr_family = (uint16_t)family;
		rtr.rtr_index = i;
		got = rn_ioctl(RUMP_SIOCLISTRT, &rtr) == 0;
		if (!got) {
			if (i == 0 && (errno == EAFNOSUPPORT ||
			    errno == EPROTONOSUPPORT))
				return 0;
			if (errno != ENOENT)
				rn_err(1, "SIOCLISTRT");
		}
		if (i == 0) {
			printf("\n%s:\n", family == RN_AF_INET ? "Internet" :
			    "Internet6");
			printf("%-*.*s %-*.*s %-6.6s %6.6s %8.8s %6.6s %s\n",
			    c.dstw, c.dstw, "Destination", c.gww, c.gww,
			    "Gateway", "Flags", "Refs", "Use", "Mtu",
			    "Interface");
		}
		if (!got)
			break;
		if (family == RN_AF_INET)
			rn_netname4(rtr.rtr_dst, rtr.rtr_plen, dst, sizeof(dst));
		else
			rn_netname6(rtr.rtr_dst, rtr.rtr_plen, rtr.rtr_scopeid,
			    dst, sizeof(dst));
		if (rtr.rtr_flags & RUMP_RTF_GATEWAY) {
			if (family == RN_AF_INET)
				rn_fmt_inet(rtr.rtr_gateway, gw);
			else
				rn_netname6(rtr.rtr_gateway, 128,
				    rtr.rtr_scopeid, gw, sizeof(gw));
		} else
			link_gateway(rtr.rtr_gwifindex, gw, sizeof(gw));
		rn_rtf_letters(rtr.rtr_flags, fl, sizeof(fl));
		if (rtr.rtr_mtu != 0)
			snprintf(mtu, sizeof(mtu), "%u", rtr.rtr_mtu);
		else
			snprintf(mtu, sizeof(mtu), "-");
		rtr.rtr_ifname[RUMP_IFNAMSIZ - 1] = '\0';
		print_row(&c, dst, gw, fl, mtu, rtr.rtr_ifname);
	}
	for (i = 0;; i++) {
		uint32_t f = RUMP_RTF_UP | RUMP_RTF_HOST | RUMP_RTF_LLINFO;

		memset(&nbr, 0, sizeof(nbr));
		nbr.nbr_family = (uint16_t)family;
		nbr.nbr_index = i;
		if (rn_ioctl(RUMP_SIOCLISTNBR, &nbr) != 0) {
			if (errno == ENOENT || errno == EAFNOSUPPORT ||
			    errno == EPROTONOSUPPORT)
				break;
			rn_err(1, "SIOCLISTNBR");
		}
		if (family == RN_AF_INET)
			rn_fmt_inet(nbr.nbr_addr, dst);
		else
			rn_netname6(nbr.nbr_addr, 128, nbr.nbr_ifindex, dst,
			    sizeof(dst));
		if (nbr.nbr_state == RUMP_NBRS_INCOMPLETE ||
		    rn_is_zero(nbr.nbr_lladdr, 6))
			snprintf(gw, sizeof(gw), "link#%u", nbr.nbr_ifindex);
		else
			rn_fmt_mac(nbr.nbr_lladdr, gw);
		if (nbr.nbr_flags & RUMP_NBRF_PERMANENT)
			f |= RUMP_RTF_STATIC;
		if (nbr.nbr_flags & RUMP_NBRF_PUBLISHED)
			f |= RUMP_RTF_ANNOUNCE;
		rn_rtf_letters(f, fl, sizeof(fl));
		nbr.nbr_ifname[RUMP_IFNAMSIZ - 1] = '\0';
		print_row(&c, dst, gw, fl, "-", nbr.nbr_ifname);
	}
	return 1;
}

/* Does the kernel have routing tables for this family? */
static int
family_supported(int family)
{
	struct rump_rtreq rtr;

	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = (uint16_t)family;
	return rn_ioctl(RUMP_SIOCLISTRT, &rtr) == 0 ||
	    (errno != EAFNOSUPPORT && errno != EPROTONOSUPPORT);
}

void
rn_print_routes(int family)
{
	if (family == RN_AF_INET6 && !family_supported(family))
		rn_errx(1, "inet6: not supported by this kernel");
	printf("Routing tables\n");
	if (family == 0 || family == RN_AF_INET)
		print_family(RN_AF_INET);
	if (family == 0 || family == RN_AF_INET6) {
		if (!print_family(RN_AF_INET6) && family == RN_AF_INET6)
			rn_errx(1, "inet6: not supported by this kernel");
	}
}
