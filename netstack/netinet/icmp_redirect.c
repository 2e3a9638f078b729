/*
 * icmp_redirect.c -- ICMP redirects (RFC 792; RFC 1812 5.2.7.2 for the
 * router that sends them, RFC 1122 3.2.2.2 and 3.3.1.2 for the host
 * that takes them).
 *
 * Sending (net.inet.ip.redirect, 1 by default as in BSD): a router
 * that forwards a datagram back out of the interface it came in on, to
 * a first hop on the sender's own subnet, tells the sender (a host
 * redirect, code 1) to use that first hop directly.  Not for datagrams
 * with IP options, nor along routes that redirects made.
 *
 * Taking (net.inet.icmp.rediraccept, 1 by default; never while
 * forwarding): the redirect must come from the current first hop for
 * the destination, and name a new one on a subnet of the interface
 * that route uses, that is not one of our addresses.  It becomes a
 * host route to the destination through the new first hop, flags
 * UGHD, which goes away net.inet.icmp.redirtimeout seconds later (600
 * by default, 0 = never).  A newer redirect for the same destination
 * replaces it (and adds M).  Redirects for routes added by hand are
 * ignored.
 *
 * The routes this made are kept on ics_redirs with their deadlines; one
 * callout (ics_redirtimer) fires at the earliest and removes what is
 * due, if the route is still the dynamic one it made.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/ip.h"
#include "netstack/netinet/ip_icmp.h"
#include "netstack/netinet/ip_var.h"

#define REDIR_TIMEOUT_DEFAULT	600	/* seconds, as NetBSD */

struct icmp_redir {
	struct icmp_redir	*ir_next;
	uint32_t		 ir_dst;	/* host route dst/32 */
	uint64_t		 ir_expire;	/* netstack time; 0 = never */
};

/* ------------------------------------------------------------ sending */

/* The address of ifp whose subnet holds a, or NULL. */
static struct in_ifaddr *
redir_onlink(struct ifnet *ifp, uint32_t a)
{
	for (struct ifaddr *ifa = ifp->if_addrlist; ifa != NULL;
	    ifa = ifa->ifa_next) {
		struct in_ifaddr *ia = (struct in_ifaddr *)ifa;

		if (ifa->ifa_family == AF_INET && ia->ia_plen < 32 &&
		    (a & ia->ia_netmask) == ia->ia_subnet)
			return ia;
	}
	return NULL;
}

void
icmp_redirect_check(struct netstack *ns, const struct mbuf *m,
    const struct rtentry *rt)
{
	const struct ip *ip = mtod(m, const struct ip *);
	struct ifnet *rcvif = m->m_pkthdr.rcvif;
	struct in_ifaddr *ia;
	struct mbuf *copy;
	uint32_t nexthop;

	if (!ip_state(ns)->ips_sendredirects || rcvif == NULL ||
	    rt->rt_ifp != rcvif || (rt->rt_flags & (RTF_DYNAMIC |
	    RTF_MODIFIED)) || IP_VHL_HL(ip->ip_vhl) != IP_MINHLEN >> 2)
		return;
	if (rt->rt_flags & RTF_GATEWAY)
		memcpy(&nexthop, rt->rt_gateway, sizeof(nexthop));
	else
		nexthop = ip->ip_dst;
	/* The sender and the better first hop share one of our subnets. */
	if ((ia = redir_onlink(rcvif, ip->ip_src)) == NULL ||
	    (nexthop & ia->ia_netmask) != ia->ia_subnet ||
	    nexthop == ip->ip_src)
		return;
	if ((copy = m_dup(m)) == NULL)
		return;
	ip_statinc(ns, IP_STAT_REDIRECTSENT);
	icmp_error(ns, copy, ICMP_REDIRECT, ICMP_REDIRECT_HOST, nexthop);
}

/* ------------------------------------------------------------- taking */

static void
redir_arm(struct icmp_state *ics)
{
	uint64_t first = 0;

	for (struct icmp_redir *ir = ics->ics_redirs; ir != NULL;
	    ir = ir->ir_next)
		if (ir->ir_expire != 0 && (first == 0 || ir->ir_expire < first))
			first = ir->ir_expire;
	if (first != 0)
		callout_schedule_at(&ics->ics_redirtimer, first);
	else
		callout_stop(&ics->ics_redirtimer);
}

/* Forget the record of dst (its route is gone or not ours). */
static void
redir_forget(struct icmp_state *ics, uint32_t dst)
{
	for (struct icmp_redir **pp = &ics->ics_redirs; *pp != NULL;
	    pp = &(*pp)->ir_next) {
		struct icmp_redir *ir = *pp;

		if (ir->ir_dst == dst) {
			*pp = ir->ir_next;
			kmem_free(ir, sizeof(*ir));
			return;
		}
	}
}

/* Delete the dynamic host route to dst, if it is still one. */
static void
redir_delete_route(struct netstack *ns, uint32_t dst)
{
	struct rtentry *rt = rt_lookup_exact(ns, AF_INET, &dst, 32);

	if (rt != NULL && (rt->rt_flags & RTF_DYNAMIC))
		(void)rt_delete(ns, AF_INET, &dst, 32);
}

static void
redir_timer(void *arg)
{
	struct netstack *ns = arg;
	struct icmp_state *ics = icmp_state(ns);
	uint64_t now = netstack_now(ns);
	struct icmp_redir **pp = &ics->ics_redirs;

	while (*pp != NULL) {
		struct icmp_redir *ir = *pp;

		if (ir->ir_expire != 0 && ir->ir_expire <= now) {
			redir_delete_route(ns, ir->ir_dst);
			*pp = ir->ir_next;
			kmem_free(ir, sizeof(*ir));
		} else
			pp = &ir->ir_next;
	}
	redir_arm(ics);
}

/* Remember (or renew) the route to dst made by a redirect. */
static void
redir_record(struct netstack *ns, uint32_t dst)
{
	struct icmp_state *ics = icmp_state(ns);
	struct icmp_redir *ir;

	redir_forget(ics, dst);
	ir = kmem_zalloc(sizeof(*ir));
	ir->ir_dst = dst;
	ir->ir_expire = ics->ics_redirtimeout > 0 ? netstack_now(ns) +
	    NS_SEC((uint64_t)ics->ics_redirtimeout) : 0;
	ir->ir_next = ics->ics_redirs;
	ics->ics_redirs = ir;
	redir_arm(ics);
}

/*
 * Is the redirect from 'from' about dst, naming gw, one to follow?
 * => the interface of the current route, or NULL.
 */
static struct ifnet *
redir_acceptable(struct netstack *ns, uint32_t from, uint32_t dst,
    uint32_t gw)
{
	struct rtentry *rt = rt_lookup(ns, AF_INET, &dst);
	uint32_t cur;

	if (rt == NULL || !(rt->rt_flags & RTF_GATEWAY) ||
	    rt->rt_ifp == NULL || (rt->rt_flags & (RTF_REJECT |
	    RTF_BLACKHOLE)))
		return NULL;
	/* RFC 1122 3.2.2.2: from the current first hop only. */
	memcpy(&cur, rt->rt_gateway, sizeof(cur));
	if (cur != from || gw == cur)
		return NULL;
	/* A host route is replaced only if a redirect made it: routes set
	 * by hand (-nostatic ones too) stay as they are. */
	if (rt->rt_plen == 32 && !(rt->rt_flags & RTF_DYNAMIC))
		return NULL;
	if (gw == KINADDR_ANY || in_multicast(gw) ||
	    in_broadcast(gw, rt->rt_ifp) || in_islocal(ns, gw) ||
	    redir_onlink(rt->rt_ifp, gw) == NULL || in_islocal(ns, dst))
		return NULL;
	return rt->rt_ifp;
}

bool
icmp_redirect_input(struct netstack *ns, uint32_t from, uint32_t dst,
    uint32_t gw)
{
	struct icmp_state *ics = icmp_state(ns);
	struct rtentry *rt;
	struct ifnet *ifp;
	int flags = RTF_UP | RTF_GATEWAY | RTF_HOST | RTF_DYNAMIC;

	if (!ics->ics_rediraccept || ip_state(ns)->ips_forwarding ||
	    (ifp = redir_acceptable(ns, from, dst, gw)) == NULL)
		return false;
	if ((rt = rt_lookup_exact(ns, AF_INET, &dst, 32)) != NULL) {
		/* Our own earlier redirect (redir_acceptable let no other
		 * host route through): replaced, and marked so. */
		(void)rt_delete(ns, AF_INET, &dst, 32);
		flags |= RTF_MODIFIED;
	}
	if (rt_add(ns, AF_INET, &dst, 32, &gw, ifp, flags, NULL) != 0) {
		redir_forget(ics, dst);
		return false;
	}
	redir_record(ns, dst);
	return true;
}

/* ------------------------------------------------------------- module */

int
icmp_redirect_init(struct netstack *ns)
{
	struct icmp_state *ics = icmp_state(ns);
	struct ip_state *ips = ip_state(ns);
	int rv;

	ics->ics_rediraccept = 1;
	ics->ics_redirtimeout = REDIR_TIMEOUT_DEFAULT;
	ips->ips_sendredirects = 1;
	callout_init(&ics->ics_redirtimer, ns, redir_timer, ns);
	if ((rv = sysctl_add_int(ns, "net.inet.ip.redirect", SYSCTL_RW,
	    &ips->ips_sendredirects, 0, 1,
	    "send ICMP redirects when forwarding")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.icmp.rediraccept", SYSCTL_RW,
	    &ics->ics_rediraccept, 0, 1,
	    "follow ICMP redirects (hosts only)")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.icmp.redirtimeout", SYSCTL_RW,
	    &ics->ics_redirtimeout, 0, INT32_MAX,
	    "seconds a redirect's route lives (0: for ever)")) != 0)
		return rv;
	return 0;
}

void
icmp_redirect_fini(struct netstack *ns)
{
	struct icmp_state *ics = icmp_state(ns);

	callout_stop(&ics->ics_redirtimer);
	while (ics->ics_redirs != NULL) {
		struct icmp_redir *ir = ics->ics_redirs;

		ics->ics_redirs = ir->ir_next;
		kmem_free(ir, sizeof(*ir));
	}
	sysctl_remove_prefix(ns, "net.inet.ip.redirect");
}
