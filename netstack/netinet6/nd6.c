/*
 * nd6.c -- the neighbour cache of RFC 4861 (states and timers in
 * nd6.h), address resolution for ether_output, the neighbour requests
 * of rump_net.h for AF_INET6, and the inet6 module's tunables.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/ip6_var.h"
#include "rumpnet/rump_net.h"

static const char *const nd6_stat_names[ND6_NSTATS] = {
	[ND6_STAT_NSIN] = "nsin",
	[ND6_STAT_NAIN] = "nain",
	[ND6_STAT_RSIN] = "rsin",
	[ND6_STAT_RAIN] = "rain",
	[ND6_STAT_NSOUT] = "nsout",
	[ND6_STAT_NAOUT] = "naout",
	[ND6_STAT_RSOUT] = "rsout",
	[ND6_STAT_RAOUT] = "raout",
	[ND6_STAT_BADHLIM] = "badhlim",
	[ND6_STAT_BADCODE] = "badcode",
	[ND6_STAT_BADLEN] = "badlen",
	[ND6_STAT_BADOPT] = "badopt",
	[ND6_STAT_BADADDR] = "badaddr",
	[ND6_STAT_NOTOURS] = "notours",
	[ND6_STAT_DADDUP] = "dadduplicated",
	[ND6_STAT_CONFLICT] = "conflict",
	[ND6_STAT_UNSOLICITED] = "unsolicited",
	[ND6_STAT_RAIGNORED] = "raignored",
	[ND6_STAT_DROPPED] = "dropped",
	[ND6_STAT_TIMEOUTS] = "timeouts",
	[ND6_STAT_EXPIRED] = "expired",
	[ND6_STAT_CACHEFULL] = "cachefull",
	[ND6_STAT_NOMEM] = "nomem",
};

static void nd6_timer(void *);
static void nd6_free(struct llentry6 *);

static unsigned
nd6_hash(const uint8_t *a)
{
	return (be32dec(a + 12) * 2654435761u) >> 26;
}
_Static_assert(ND6_HASHSIZE == 64, "nd6_hash takes 6 bits");

/* ------------------------------------------------------------- entries */

struct llentry6 *
nd6_lookup(struct nd6_state *nd, struct ifnet *ifp, const uint8_t *addr)
{
	for (struct llentry6 *ln = nd->nd_hash[nd6_hash(addr)]; ln != NULL;
	    ln = ln->ln_hnext)
		if (memcmp(ln->ln_addr, addr, 16) == 0 &&
		    (ifp == NULL || ln->ln_ifp == ifp))
			return ln;
	return NULL;
}

struct llentry6 *
nd6_create(struct nd6_state *nd, struct ifnet *ifp, const uint8_t *addr,
    bool force)
{
	struct llentry6 *ln;
	unsigned h = nd6_hash(addr);

	if (!force && nd->nd_count >= (unsigned)nd->nd_maxentries) {
		/* Make room: the dynamic entry closest to its end that is
		 * not being resolved. */
		struct llentry6 *victim = NULL;

		for (unsigned i = 0; i < ND6_HASHSIZE; i++)
			for (ln = nd->nd_hash[i]; ln != NULL; ln = ln->ln_hnext)
				if (!(ln->ln_flags & ND6_LNF_STATIC) &&
				    ln->ln_state != ND6_LLINFO_INCOMPLETE &&
				    (victim == NULL ||
				    ln->ln_expire < victim->ln_expire))
					victim = ln;
		ND6_STATINC(nd, ND6_STAT_CACHEFULL);
		if (victim == NULL)
			return NULL;
		nd6_free(victim);
	}
	ln = kmem_zalloc(sizeof(*ln));
	ln->ln_nd = nd;
	ln->ln_ifp = ifp;
	memcpy(ln->ln_addr, addr, 16);
	ln->ln_state = ND6_LLINFO_INCOMPLETE;
	mq_init(&ln->ln_hold, (unsigned)nd->nd_maxhold);
	callout_init(&ln->ln_timer, nd->nd_ns, nd6_timer, ln);
	ln->ln_hnext = nd->nd_hash[h];
	nd->nd_hash[h] = ln;
	nd->nd_count++;
	return ln;
}

static void
nd6_free(struct llentry6 *ln)
{
	struct nd6_state *nd = ln->ln_nd;
	struct llentry6 **pp;

	for (pp = &nd->nd_hash[nd6_hash(ln->ln_addr)]; *pp != ln;
	    pp = &(*pp)->ln_hnext)
		KASSERT(*pp != NULL);
	*pp = ln->ln_hnext;
	nd->nd_count--;
	callout_stop(&ln->ln_timer);
	nd->nd_stats[ND6_STAT_DROPPED] += ln->ln_hold.mq_len;
	mq_purge(&ln->ln_hold);
	if (ln->ln_state != ND6_LLINFO_INCOMPLETE)
		rt_msg_neighbour(nd->nd_ns, RUMP_RTM_DELETE, AF_INET6,
		    ln->ln_addr, ln->ln_lladdr, ln->ln_ifp);
	kmem_free(ln, sizeof(*ln));
}

void
nd6_setstate(struct llentry6 *ln, enum nd6_lstate st)
{
	uint64_t now = netstack_now(ln->ln_nd->nd_ns);

	ln->ln_state = st;
	if (ln->ln_flags & ND6_LNF_STATIC) {
		ln->ln_expire = 0;
		callout_stop(&ln->ln_timer);
		return;
	}
	switch (st) {
	case ND6_LLINFO_INCOMPLETE:
	case ND6_LLINFO_PROBE:
		ln->ln_expire = now + ND6_RETRANS;
		break;
	case ND6_LLINFO_REACHABLE:
		ln->ln_asked = 0;
		ln->ln_expire = now + ND6_REACHABLE;
		break;
	case ND6_LLINFO_STALE:
		ln->ln_asked = 0;
		ln->ln_expire = now + ND6_GCTIME;
		break;
	case ND6_LLINFO_DELAY:
		ln->ln_expire = now + ND6_DELAY;
		break;
	}
	callout_schedule_at(&ln->ln_timer, ln->ln_expire);
}

void
nd6_resolved(struct llentry6 *ln, const uint8_t *lla, enum nd6_lstate st)
{
	struct nd6_state *nd = ln->ln_nd;
	struct ifnet *ifp = ln->ln_ifp;
	uint8_t dst[ETHER_ADDR_LEN];
	struct mqueue q;
	struct mbuf *m;

	/* News for route monitors: a new neighbour, or a new address. */
	if (ln->ln_state == ND6_LLINFO_INCOMPLETE ||
	    memcmp(ln->ln_lladdr, lla, ETHER_ADDR_LEN) != 0)
		rt_msg_neighbour(nd->nd_ns, RUMP_RTM_ADD, AF_INET6,
		    ln->ln_addr, lla, ifp);
	memcpy(ln->ln_lladdr, lla, ETHER_ADDR_LEN);
	memcpy(dst, lla, ETHER_ADDR_LEN);
	nd6_setstate(ln, st);
	q = ln->ln_hold;
	mq_init(&ln->ln_hold, (unsigned)nd->nd_maxhold);
	while ((m = mq_dequeue(&q)) != NULL)
		(void)ether_output_frame(ifp, m, dst, ETHERTYPE_IPV6);
}

/* A source address of ifp for a solicitation about target: the source
 * of the waiting packet if it is ours, else selected. */
static bool
nd6_nssrc(struct llentry6 *ln, uint8_t *src)
{
	struct ifnet *ifp = ln->ln_ifp;
	struct mbuf *m = ln->ln_hold.mq_tail;

	if (m != NULL && m->m_len >= IP6_HDRLEN) {
		const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
		struct in6_ifaddr *ia = in6_ifaddr_onif(ifp, ip6->ip6_src);

		if (ia != NULL && !(ia->ia_ifa.ifa_flags & IN6_IFF_NOTREADY)) {
			memcpy(src, ip6->ip6_src, 16);
			return true;
		}
	}
	return in6_selectsrc(ifp->if_ns, ln->ln_addr, ifp, src) == 0;
}

static void
nd6_solicit(struct llentry6 *ln, bool unicast)
{
	uint8_t src[16];

	if (!nd6_nssrc(ln, src))
		return;
	ln->ln_asked++;
	nd6_ns_output(ln->ln_ifp, src, unicast ? ln->ln_addr : NULL,
	    ln->ln_addr);
}

static void
nd6_timer(void *arg)
{
	struct llentry6 *ln = arg;
	struct nd6_state *nd = ln->ln_nd;
	struct netstack *ns = nd->nd_ns;
	struct mbuf *m;

	switch (ln->ln_state) {
	case ND6_LLINFO_INCOMPLETE:
		if (ln->ln_asked < ND6_MAX_MCAST_SOLICIT) {
			nd6_setstate(ln, ND6_LLINFO_INCOMPLETE);
			nd6_solicit(ln, false);
			return;
		}
		/* RFC 4861 7.2.2: address unreachable for what waited. */
		ND6_STATINC(nd, ND6_STAT_TIMEOUTS);
		while ((m = mq_dequeue(&ln->ln_hold)) != NULL) {
			ND6_STATINC(nd, ND6_STAT_DROPPED);
			if (ip6_state(ns) != NULL) {
				m->m_pkthdr.rcvif = NULL;
				icmp6_error(ns, m, ICMP6_DST_UNREACH,
				    ICMP6_DST_UNREACH_ADDR, 0);
			} else {
				m_freem(m);
			}
		}
		nd6_free(ln);
		return;
	case ND6_LLINFO_REACHABLE:
		nd6_setstate(ln, ND6_LLINFO_STALE);
		return;
	case ND6_LLINFO_STALE:
		ND6_STATINC(nd, ND6_STAT_EXPIRED);
		nd6_free(ln);
		return;
	case ND6_LLINFO_DELAY:
		ln->ln_asked = 0;
		nd6_setstate(ln, ND6_LLINFO_PROBE);
		nd6_solicit(ln, true);
		return;
	case ND6_LLINFO_PROBE:
		if (ln->ln_asked < ND6_MAX_UCAST_SOLICIT) {
			nd6_setstate(ln, ND6_LLINFO_PROBE);
			nd6_solicit(ln, true);
			return;
		}
		ND6_STATINC(nd, ND6_STAT_TIMEOUTS);
		nd6_free(ln);
		return;
	}
}

/* --------------------------------------------------------- resolution */

int
nd6_resolve(struct ifnet *ifp, struct mbuf *m, const struct ksockaddr *dst,
    uint8_t lla[ETHER_ADDR_LEN])
{
	struct nd6_state *nd = nd6_state(ifp->if_ns);
	struct ksockaddr_in6 sin6;
	struct llentry6 *ln;
	const uint8_t *a;

	memcpy(&sin6, dst, sizeof(sin6));
	a = sin6.sin6_addr.s6_addr;
	if (nd == NULL) {
		m_freem(m);
		return EAFNOSUPPORT;
	}
	ln = nd6_lookup(nd, ifp, a);
	if (ln != NULL && ln->ln_state != ND6_LLINFO_INCOMPLETE) {
		memcpy(lla, ln->ln_lladdr, ETHER_ADDR_LEN);
		if (ln->ln_state == ND6_LLINFO_STALE &&
		    !(ln->ln_flags & ND6_LNF_STATIC))
			nd6_setstate(ln, ND6_LLINFO_DELAY);
		return 0;
	}
	if (ln == NULL) {
		if ((ln = nd6_create(nd, ifp, a, false)) == NULL) {
			ND6_STATINC(nd, ND6_STAT_DROPPED);
			m_freem(m);
			return ENOBUFS;
		}
		nd6_setstate(ln, ND6_LLINFO_INCOMPLETE);
		rt_msg_miss(ifp->if_ns, AF_INET6, a, ifp);
	}
	if (nd->nd_maxhold == 0) {
		ND6_STATINC(nd, ND6_STAT_DROPPED);
		m_freem(m);
	} else {
		while (ln->ln_hold.mq_len >= (unsigned)nd->nd_maxhold) {
			m_freem(mq_dequeue(&ln->ln_hold));
			ND6_STATINC(nd, ND6_STAT_DROPPED);
		}
		ln->ln_hold.mq_maxlen = (unsigned)nd->nd_maxhold;
		(void)mq_enqueue(&ln->ln_hold, m);
	}
	if (ln->ln_asked == 0)
		nd6_solicit(ln, false);
	return EWOULDBLOCK;
}

void
nd6_reachable_hint(struct ifnet *ifp, const uint8_t *addr)
{
	struct nd6_state *nd = nd6_state(ifp->if_ns);
	struct llentry6 *ln;

	if (nd == NULL || (ln = nd6_lookup(nd, ifp, addr)) == NULL ||
	    ln->ln_state == ND6_LLINFO_INCOMPLETE ||
	    (ln->ln_flags & ND6_LNF_STATIC))
		return;
	nd6_setstate(ln, ND6_LLINFO_REACHABLE);
}

/* ----------------------------------------------------------- purging */

void
nd6_purge(struct ifnet *ifp, const uint8_t *prefix, unsigned plen)
{
	struct nd6_state *nd = nd6_state(ifp->if_ns);

	if (nd == NULL)
		return;
	for (unsigned h = 0; h < ND6_HASHSIZE; h++) {
		struct llentry6 *ln, *next;

		for (ln = nd->nd_hash[h]; ln != NULL; ln = next) {
			next = ln->ln_hnext;
			if (ln->ln_ifp != ifp)
				continue;
			if (prefix != NULL &&
			    !in6_prefix_match(ln->ln_addr, prefix, plen))
				continue;
			nd6_free(ln);
		}
	}
}

/* ------------------------------------------------------------ control */

static void
nd6_fill(struct nd6_state *nd, const struct llentry6 *ln,
    struct rump_nbrreq *req)
{
	uint64_t now = netstack_now(nd->nd_ns);
	static const uint32_t states[] = {
		[ND6_LLINFO_INCOMPLETE] = RUMP_NBRS_INCOMPLETE,
		[ND6_LLINFO_REACHABLE] = RUMP_NBRS_REACHABLE,
		[ND6_LLINFO_STALE] = RUMP_NBRS_STALE,
		[ND6_LLINFO_DELAY] = RUMP_NBRS_DELAY,
		[ND6_LLINFO_PROBE] = RUMP_NBRS_PROBE,
	};

	memset(req, 0, sizeof(*req));
	req->nbr_family = AF_INET6;
	memcpy(req->nbr_addr, ln->ln_addr, 16);
	memcpy(req->nbr_ifname, ln->ln_ifp->if_xname, IFNAMSIZ);
	req->nbr_ifindex = ln->ln_ifp->if_index;
	req->nbr_state = states[ln->ln_state];
	if (ln->ln_state != ND6_LLINFO_INCOMPLETE)
		memcpy(req->nbr_lladdr, ln->ln_lladdr, ETHER_ADDR_LEN);
	if (ln->ln_flags & ND6_LNF_STATIC)
		req->nbr_flags |= RUMP_NBRF_PERMANENT;
	if (ln->ln_flags & ND6_LNF_ROUTER)
		req->nbr_flags |= RUMP_NBRF_ROUTER;
	if (ln->ln_expire != 0)
		req->nbr_expire = ln->ln_expire > now ?
		    (uint32_t)howmany(ln->ln_expire - now, NS_SEC(1)) : 1;
	req->nbr_asked = ln->ln_asked;
}

static int
nd6_req_ifp(struct netstack *ns, const struct rump_nbrreq *req,
    struct ifnet **ifpp)
{
	*ifpp = NULL;
	if (req->nbr_ifname[0] != '\0') {
		if (strnlen(req->nbr_ifname, IFNAMSIZ) >= IFNAMSIZ)
			return EINVAL;
		if ((*ifpp = if_byname(ns, req->nbr_ifname)) == NULL)
			return ENXIO;
	} else if (req->nbr_ifindex != 0) {
		if ((*ifpp = if_byindex(ns, req->nbr_ifindex)) == NULL)
			return ENXIO;
	}
	return 0;
}

int
nd6_control(struct netstack *ns, unsigned long cmd, void *data)
{
	struct nd6_state *nd = nd6_state(ns);
	struct rump_nbrreq *req = data;
	struct llentry6 *ln;
	struct ifnet *ifp;
	unsigned n;
	int rv;

	switch (cmd) {
	case RUMP_SIOCGNBR:
	case RUMP_SIOCLISTNBR:
	case RUMP_SIOCSNBR:
	case RUMP_SIOCDNBR:
	case RUMP_SIOCFLUSHNBR:
		break;
	default:
		return ENOTTY;
	}
	if (nd == NULL)
		return ENXIO;
	if (req->nbr_family != AF_INET6)
		return EAFNOSUPPORT;
	if (cmd != RUMP_SIOCLISTNBR && cmd != RUMP_SIOCFLUSHNBR &&
	    (rv = nd6_req_ifp(ns, req, &ifp)) != 0)
		return rv;
	switch (cmd) {
	case RUMP_SIOCGNBR:
		if (in6_is_scoped(req->nbr_addr) && ifp == NULL)
			return ENOENT;
		if ((ln = nd6_lookup(nd, ifp, req->nbr_addr)) == NULL)
			return ENOENT;
		nd6_fill(nd, ln, req);
		return 0;
	case RUMP_SIOCLISTNBR:
		n = req->nbr_index;
		for (unsigned h = 0; h < ND6_HASHSIZE; h++)
			for (ln = nd->nd_hash[h]; ln != NULL; ln = ln->ln_hnext)
				if (n-- == 0) {
					n = req->nbr_index;
					nd6_fill(nd, ln, req);
					req->nbr_index = n;
					return 0;
				}
		return ENOENT;
	case RUMP_SIOCSNBR: {
		const uint8_t *a = req->nbr_addr;

		if (in6_is_unspecified(a) || in6_is_multicast(a) ||
		    (req->nbr_lladdr[0] & 0x01) ||
		    in6_ifaddr_lookup(ns, a, ifp != NULL ? ifp->if_index : 0) !=
		    NULL)
			return EINVAL;
		if (ifp == NULL) {
			uint8_t nh[16];
			struct rtentry *rt;

			if (in6_is_scoped(a) ||
			    in6_route(ns, a, 0, &ifp, nh, &rt) != 0 ||
			    rt == NULL || (rt->rt_flags & (RTF_GATEWAY |
			    RTF_LOCAL | RTF_BLACKHOLE)))
				return ENETUNREACH;
		}
		if (ifp->if_type != IFT_ETHER)
			return ENETUNREACH;
		ln = nd6_lookup(nd, ifp, a);
		if (ln != NULL && (ln->ln_flags & ND6_LNF_STATIC))
			return EEXIST;
		if (ln == NULL && (ln = nd6_create(nd, ifp, a,
		    !(req->nbr_flags & RUMP_NBRF_TEMP))) == NULL)
			return ENOBUFS;
		ln->ln_flags = 0;
		if (!(req->nbr_flags & RUMP_NBRF_TEMP))
			ln->ln_flags |= ND6_LNF_STATIC;
		/* A temporary entry lives as a reachable one would. */
		nd6_resolved(ln, req->nbr_lladdr,
		    (req->nbr_flags & RUMP_NBRF_TEMP) ? ND6_LLINFO_STALE :
		    ND6_LLINFO_REACHABLE);
		return 0;
	}
	case RUMP_SIOCDNBR:
		if (in6_is_scoped(req->nbr_addr) && ifp == NULL)
			return ENOENT;
		n = 0;
		while ((ln = nd6_lookup(nd, ifp, req->nbr_addr)) != NULL) {
			nd6_free(ln);
			n++;
		}
		return n > 0 ? 0 : ENOENT;
	default: /* RUMP_SIOCFLUSHNBR */
		n = 0;
		for (unsigned h = 0; h < ND6_HASHSIZE; h++) {
			struct llentry6 *next;

			for (ln = nd->nd_hash[h]; ln != NULL; ln = next) {
				next = ln->ln_hnext;
				if ((ln->ln_flags & ND6_LNF_STATIC) &&
				    !(req->nbr_flags & RUMP_NBRF_ALL))
					continue;
				nd6_free(ln);
				n++;
			}
		}
		req->nbr_index = n;
		return 0;
	}
}

/* -------------------------------------------------------------- module */

int
nd6_init(struct netstack *ns)
{
	struct nd6_state *nd = kmem_zalloc(sizeof(*nd));
	int rv;

	nd->nd_ns = ns;
	nd->nd_auto_linklocal = 1;
	nd->nd_dad_count = 1;
	nd->nd_accept_rtadv = 0;
	nd->nd_rtadv = 0;
	nd->nd_maxhold = 16;
	nd->nd_maxentries = 1024;
	ns->ns_mod[NSMOD_ND6] = nd;
	if ((rv = sysctl_add_int(ns, "net.inet6.ip6.auto_linklocal",
	    SYSCTL_RW, &nd->nd_auto_linklocal, 0, 1,
	    "assign a link-local address when an interface comes up")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.dad_count", SYSCTL_RW,
	    &nd->nd_dad_count, 0, 15,
	    "duplicate address detection probes")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.accept_rtadv", SYSCTL_RW,
	    &nd->nd_accept_rtadv, 0, 1,
	    "configure from router advertisements")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.rtadv", SYSCTL_RW,
	    &nd->nd_rtadv, 0, 1,
	    "send router advertisements when forwarding")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.nd6.maxhold", SYSCTL_RW,
	    &nd->nd_maxhold, 0, 1024,
	    "packets kept per unresolved neighbour")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.nd6.maxentries", SYSCTL_RW,
	    &nd->nd_maxentries, 1, 1 << 20,
	    "dynamic neighbour entries, at most")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet6.ip6.neighborgcthresh",
	    SYSCTL_RW, &nd->nd_maxentries, 1, 1 << 20,
	    "dynamic neighbour entries, at most (as nd6.maxentries)")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet6.nd6.stats", nd6_stat_names,
	    nd->nd_stats, ND6_NSTATS)) != 0 ||
	    (rv = ether_register_resolver(ns, AF_INET6, nd6_resolve)) != 0) {
		nd6_fini(ns);
		return rv;
	}
	return 0;
}

void
nd6_fini(struct netstack *ns)
{
	struct nd6_state *nd = nd6_state(ns);

	if (nd == NULL)
		return;
	(void)ether_register_resolver(ns, AF_INET6, NULL);
	for (unsigned h = 0; h < ND6_HASHSIZE; h++)
		while (nd->nd_hash[h] != NULL)
			nd6_free(nd->nd_hash[h]);
	sysctl_remove_prefix(ns, "net.inet6.ip6.auto_linklocal");
	sysctl_remove_prefix(ns, "net.inet6.ip6.dad_count");
	sysctl_remove_prefix(ns, "net.inet6.ip6.accept_rtadv");
	sysctl_remove_prefix(ns, "net.inet6.ip6.rtadv");
	sysctl_remove_prefix(ns, "net.inet6.ip6.neighborgcthresh");
	sysctl_remove_prefix(ns, "net.inet6.nd6");
	kmem_free(nd, sizeof(*nd));
	ns->ns_mod[NSMOD_ND6] = NULL;
}
