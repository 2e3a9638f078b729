/*
 * route.c -- the routing tables (route_module) and the family-
 * independent part of the route requests.
 *
 * Structure, per family (keys are 4 or 16 bytes, masked):
 *  - a hash table of all entries keyed by (prefix length, masked
 *    destination), chained, doubled when the load passes 2;
 *  - a count of entries per prefix length;
 *  - one list of all entries sorted by (destination, prefix length),
 *    linked through rt_next, for listing.
 * Longest-prefix match probes the hash once for every prefix length in
 * use, longest first: O(L) expected, L = number of distinct prefix
 * lengths present (a handful in practice; at most 33 or 129), plus a
 * scan of the 129 counters.  Insertion and deletion are O(1) expected
 * for the hash and O(n) for the sorted list; listing is linear.  Fine
 * for tables of thousands of routes; a radix tree would replace the
 * list if a benchmark asks for more.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"
#include "netstack/net/route.h"
#include "rumpnet/rump_net.h"

#define RT_MAXPLEN	128
#define RT_HASHINIT	64

enum rt_stat {
	RT_STAT_ADDED,		/* routes added */
	RT_STAT_DELETED,	/* routes deleted */
	RT_STAT_LOOKUPS,	/* longest-prefix lookups */
	RT_STAT_MISSES,		/* ... that found nothing */
	RT_NSTATS
};
static const char *const rt_stat_names[RT_NSTATS] = {
	[RT_STAT_ADDED] = "added",
	[RT_STAT_DELETED] = "deleted",
	[RT_STAT_LOOKUPS] = "lookups",
	[RT_STAT_MISSES] = "misses",
};

/* An entry: the public rtentry plus its hash chain. */
struct rt_node {
	struct rtentry	 rn_rt;		/* must be first */
	struct rt_node	*rn_hnext;	/* [K] */
};

struct rt_table {
	int		 rtt_family;		/* [I] */
	unsigned	 rtt_keylen;		/* [I] 4 or 16 */
	unsigned	 rtt_maxplen;		/* [I] 32 or 128 */
	struct rtentry	*rtt_sorted;		/* [K] */
	struct rt_node	**rtt_hash;		/* [K] */
	unsigned	 rtt_hsize;		/* [K] power of two */
	unsigned	 rtt_count;		/* [K] */
	unsigned	 rtt_plens[RT_MAXPLEN + 1]; /* [K] entries per length */
};

struct rt_state {
	struct rt_table	 rts_inet;
	struct rt_table	 rts_inet6;
	uint64_t	 rts_stats[RT_NSTATS];
	struct rtmsg_log *rts_log;	/* route messages (rtmsg.c), or NULL */
};

static inline struct rt_state *
rt_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_ROUTE];
}

struct rtmsg_log **
rt_msglogp(struct netstack *ns)
{
	struct rt_state *rts = rt_state(ns);

	return rts != NULL ? &rts->rts_log : NULL;
}

static struct rt_table *
rt_table(struct netstack *ns, int family)
{
	struct rt_state *rts = rt_state(ns);

	if (rts == NULL)
		return NULL;
	if (family == AF_INET)
		return &rts->rts_inet;
	if (family == AF_INET6)
		return &rts->rts_inet6;
	return NULL;
}

/* out = in masked to plen bits, over keylen bytes. */
static void
rt_maskkey(uint8_t *out, const uint8_t *in, unsigned plen, unsigned keylen)
{
	for (unsigned i = 0; i < keylen; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits >= 8)
			out[i] = in[i];
		else if (bits == 0)
			out[i] = 0;
		else
			out[i] = in[i] & (uint8_t)(0xff << (8 - bits));
	}
	for (unsigned i = keylen; i < 16; i++)
		out[i] = 0;
}

static void
rt_makemask(uint8_t *mask, unsigned plen)
{
	uint8_t ones[16];

	memset(ones, 0xff, sizeof(ones));
	rt_maskkey(mask, ones, plen, 16);
}

/* FNV-1a over the masked key and the prefix length. */
static unsigned
rt_hash(const struct rt_table *t, const uint8_t *key, unsigned plen)
{
	uint32_t h = 2166136261u;

	for (unsigned i = 0; i < t->rtt_keylen; i++)
		h = (h ^ key[i]) * 16777619u;
	h = (h ^ plen) * 16777619u;
	return h & (t->rtt_hsize - 1);
}

static struct rt_node *
rt_find(const struct rt_table *t, const uint8_t *key, unsigned plen)
{
	struct rt_node *rn = t->rtt_hash[rt_hash(t, key, plen)];

	for (; rn != NULL; rn = rn->rn_hnext)
		if (rn->rn_rt.rt_plen == plen &&
		    memcmp(rn->rn_rt.rt_dst, key, t->rtt_keylen) == 0)
			return rn;
	return NULL;
}

/* Order of the sorted list: destination bytes, then prefix length. */
static int
rt_cmp(const struct rt_table *t, const struct rtentry *a,
    const struct rtentry *b)
{
	int c = memcmp(a->rt_dst, b->rt_dst, t->rtt_keylen);

	if (c != 0)
		return c;
	return (int)a->rt_plen - (int)b->rt_plen;
}

static void
rt_table_init(struct rt_table *t, int family, unsigned keylen)
{
	memset(t, 0, sizeof(*t));
	t->rtt_family = family;
	t->rtt_keylen = keylen;
	t->rtt_maxplen = keylen * 8;
	t->rtt_hsize = RT_HASHINIT;
	t->rtt_hash = kmem_zalloc(t->rtt_hsize * sizeof(t->rtt_hash[0]));
}

static void
rt_grow(struct rt_table *t)
{
	struct rt_node **old = t->rtt_hash;
	unsigned oldsize = t->rtt_hsize;

	t->rtt_hsize *= 2;
	t->rtt_hash = kmem_zalloc(t->rtt_hsize * sizeof(t->rtt_hash[0]));
	for (unsigned i = 0; i < oldsize; i++) {
		struct rt_node *rn, *next;

		for (rn = old[i]; rn != NULL; rn = next) {
			unsigned h = rt_hash(t, rn->rn_rt.rt_dst,
			    rn->rn_rt.rt_plen);

			next = rn->rn_hnext;
			rn->rn_hnext = t->rtt_hash[h];
			t->rtt_hash[h] = rn;
		}
	}
	kmem_free(old, oldsize * sizeof(old[0]));
}

static void
rt_insert(struct rt_table *t, struct rt_node *rn)
{
	struct rtentry *rt = &rn->rn_rt, **pp;
	unsigned h;

	if (t->rtt_count >= 2 * t->rtt_hsize)
		rt_grow(t);
	h = rt_hash(t, rt->rt_dst, rt->rt_plen);
	rn->rn_hnext = t->rtt_hash[h];
	t->rtt_hash[h] = rn;
	for (pp = &t->rtt_sorted; *pp != NULL && rt_cmp(t, *pp, rt) < 0;
	    pp = &(*pp)->rt_next)
		continue;
	rt->rt_next = *pp;
	*pp = rt;
	t->rtt_count++;
	t->rtt_plens[rt->rt_plen]++;
}

static void
rt_remove(struct netstack *ns, struct rt_table *t, struct rtentry *rt)
{
	struct rt_node *rn = (struct rt_node *)rt, **hp;
	struct rtentry **pp;

	for (hp = &t->rtt_hash[rt_hash(t, rt->rt_dst, rt->rt_plen)];
	    *hp != rn; hp = &(*hp)->rn_hnext)
		KASSERT(*hp != NULL);
	*hp = rn->rn_hnext;
	for (pp = &t->rtt_sorted; *pp != rt; pp = &(*pp)->rt_next)
		KASSERT(*pp != NULL);
	*pp = rt->rt_next;
	t->rtt_count--;
	t->rtt_plens[rt->rt_plen]--;
	rt_state(ns)->rts_stats[RT_STAT_DELETED]++;
	rt_msg_route(ns, RUMP_RTM_DELETE, rt);
	kmem_free(rn, sizeof(*rn));
}

/* ----------------------------------------------------------- interface */

int
rt_add(struct netstack *ns, int family, const void *dst, unsigned plen,
    const void *gateway, struct ifnet *ifp, int flags, struct rtentry **rtp)
{
	struct rt_table *t = rt_table(ns, family);
	struct rt_node *rn;
	struct rtentry *rt;
	uint8_t key[16];

	KASSERT(klock_held(&ns->ns_klock));
	if (t == NULL || plen > t->rtt_maxplen)
		return EINVAL;
	rt_maskkey(key, dst, plen, t->rtt_keylen);
	if (rt_find(t, key, plen) != NULL)
		return EEXIST;
	if (gateway != NULL) {
		if (ifp == NULL) {
			/* The gateway must be on a link: reachable through
			 * an interface route, not through another gateway. */
			struct rtentry *gw = rt_lookup(ns, family, gateway);

			if (gw == NULL || (gw->rt_flags & RTF_GATEWAY))
				return ENETUNREACH;
			ifp = gw->rt_ifp;
		}
		flags |= RTF_GATEWAY;
	} else {
		if (ifp == NULL)
			return EINVAL;
		flags &= ~RTF_GATEWAY;
	}
	flags |= RTF_UP;
	if (plen == t->rtt_maxplen)
		flags |= RTF_HOST;
	else
		flags &= ~RTF_HOST;

	rn = kmem_zalloc(sizeof(*rn));
	rt = &rn->rn_rt;
	rt->rt_family = family;
	memcpy(rt->rt_dst, key, sizeof(rt->rt_dst));
	rt_makemask(rt->rt_mask, plen);
	rt->rt_plen = plen;
	if (gateway != NULL)
		memcpy(rt->rt_gateway, gateway, t->rtt_keylen);
	rt->rt_ifp = ifp;
	rt->rt_flags = flags;
	rt_insert(t, rn);
	rt_state(ns)->rts_stats[RT_STAT_ADDED]++;
	rt_msg_route(ns, RUMP_RTM_ADD, rt);
	if (rtp != NULL)
		*rtp = rt;
	return 0;
}

int
rt_delete(struct netstack *ns, int family, const void *dst, unsigned plen)
{
	struct rtentry *rt = rt_lookup_exact(ns, family, dst, plen);

	if (rt == NULL)
		return ESRCH;
	rt_remove(ns, rt_table(ns, family), rt);
	return 0;
}

struct rtentry *
rt_lookup_exact(struct netstack *ns, int family, const void *dst,
    unsigned plen)
{
	struct rt_table *t = rt_table(ns, family);
	struct rt_node *rn;
	uint8_t key[16];

	if (t == NULL || plen > t->rtt_maxplen)
		return NULL;
	rt_maskkey(key, dst, plen, t->rtt_keylen);
	rn = rt_find(t, key, plen);
	return rn != NULL ? &rn->rn_rt : NULL;
}

struct rtentry *
rt_lookup(struct netstack *ns, int family, const void *dst)
{
	struct rt_table *t = rt_table(ns, family);
	uint8_t key[16];

	if (t == NULL)
		return NULL;
	rt_state(ns)->rts_stats[RT_STAT_LOOKUPS]++;
	for (int plen = (int)t->rtt_maxplen; plen >= 0; plen--) {
		struct rt_node *rn;

		if (t->rtt_plens[plen] == 0)
			continue;
		rt_maskkey(key, dst, (unsigned)plen, t->rtt_keylen);
		if ((rn = rt_find(t, key, (unsigned)plen)) != NULL)
			return &rn->rn_rt;
	}
	rt_state(ns)->rts_stats[RT_STAT_MISSES]++;
	return NULL;
}

/* Delete every route of t for which keep() is false. => how many. */
static unsigned
rt_sweep(struct netstack *ns, struct rt_table *t,
    bool (*keep)(const struct rtentry *, const void *), const void *arg)
{
	struct rtentry *rt, *next;
	unsigned n = 0;

	for (rt = t->rtt_sorted; rt != NULL; rt = next) {
		next = rt->rt_next;
		if (!(*keep)(rt, arg)) {
			rt_remove(ns, t, rt);
			n++;
		}
	}
	return n;
}

static bool
rt_keep_notifp(const struct rtentry *rt, const void *arg)
{
	return rt->rt_ifp != arg;
}

static bool
rt_keep_kernel(const struct rtentry *rt, const void *arg)
{
	return (rt->rt_flags & (RTF_LOCAL | RTF_CONNECTED | RTF_BROADCAST)) != 0;
}

void
rt_purge_ifp(struct netstack *ns, struct ifnet *ifp)
{
	struct rt_state *rts = rt_state(ns);

	if (rts == NULL)
		return;
	(void)rt_sweep(ns, &rts->rts_inet, rt_keep_notifp, ifp);
	(void)rt_sweep(ns, &rts->rts_inet6, rt_keep_notifp, ifp);
}

void
rt_flush(struct netstack *ns, int family)
{
	struct rt_table *t = rt_table(ns, family);

	if (t != NULL)
		(void)rt_sweep(ns, t, rt_keep_kernel, NULL);
}

struct rtentry *
rt_next(struct netstack *ns, int family, const struct rtentry *prev)
{
	struct rt_table *t = rt_table(ns, family);

	if (t == NULL)
		return NULL;
	return prev == NULL ? t->rtt_sorted : prev->rt_next;
}

/* -------------------------------------------------------------- module */

int
rt_init(struct netstack *ns)
{
	struct rt_state *rts = kmem_zalloc(sizeof(*rts));
	int rv;

	rt_table_init(&rts->rts_inet, AF_INET, 4);
	rt_table_init(&rts->rts_inet6, AF_INET6, 16);
	ns->ns_mod[NSMOD_ROUTE] = rts;
	if ((rv = sysctl_add_counters(ns, "net.route.stats", rt_stat_names,
	    rts->rts_stats, RT_NSTATS)) != 0)
		rt_fini(ns);
	return rv;
}

static void
rt_table_fini(struct netstack *ns, struct rt_table *t)
{
	while (t->rtt_sorted != NULL)
		rt_remove(ns, t, t->rtt_sorted);
	kmem_free(t->rtt_hash, t->rtt_hsize * sizeof(t->rtt_hash[0]));
}

void
rt_fini(struct netstack *ns)
{
	struct rt_state *rts = rt_state(ns);

	if (rts == NULL)
		return;
	rt_table_fini(ns, &rts->rts_inet);
	rt_table_fini(ns, &rts->rts_inet6);
	rtmsg_log_destroy(rts->rts_log);
	sysctl_remove_prefix(ns, "net.route");
	kmem_free(rts, sizeof(*rts));
	ns->ns_mod[NSMOD_ROUTE] = NULL;
}

const struct netstack_module route_module = {
	.nm_name = "route",
	.nm_init = rt_init,
	.nm_fini = rt_fini,
};

/* ------------------------------------------------------------ requests */

/* Kernel route flags and their ABI (NetBSD) values. */
static const struct {
	int		kflag;
	uint32_t	uflag;
} rt_flagmap[] = {
	{ RTF_UP, RUMP_RTF_UP },
	{ RTF_GATEWAY, RUMP_RTF_GATEWAY },
	{ RTF_HOST, RUMP_RTF_HOST },
	{ RTF_REJECT, RUMP_RTF_REJECT },
	{ RTF_DYNAMIC, RUMP_RTF_DYNAMIC },
	{ RTF_MODIFIED, RUMP_RTF_MODIFIED },
	{ RTF_STATIC, RUMP_RTF_STATIC },
	{ RTF_BLACKHOLE, RUMP_RTF_BLACKHOLE },
	{ RTF_ANNOUNCE, RUMP_RTF_ANNOUNCE },
	{ RTF_LOCAL, RUMP_RTF_LOCAL },
	{ RTF_CONNECTED, RUMP_RTF_CONNECTED },
	{ RTF_BROADCAST, RUMP_RTF_BROADCAST },
};

/* Flags a request may set (the kernel owns UP, GATEWAY, HOST, LOCAL). */
#define RT_USERFLAGS	(RTF_REJECT | RTF_BLACKHOLE | RTF_STATIC | \
	RTF_ANNOUNCE | RTF_CONNECTED | RTF_DYNAMIC | RTF_MODIFIED)

uint32_t
rt_flags_out(int kflags)
{
	uint32_t u = 0;

	for (size_t i = 0; i < nitems(rt_flagmap); i++)
		if (kflags & rt_flagmap[i].kflag)
			u |= rt_flagmap[i].uflag;
	return u;
}

static int
rt_flags_in(uint32_t uflags)
{
	int k = 0;

	for (size_t i = 0; i < nitems(rt_flagmap); i++)
		if (uflags & rt_flagmap[i].uflag)
			k |= rt_flagmap[i].kflag;
	return k;
}

static bool
rt_iszero(const uint8_t *a, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		if (a[i] != 0)
			return false;
	return true;
}

static void
rt_fill(struct netstack *ns, const struct rt_table *t,
    const struct rtentry *rt, struct rump_rtreq *req,
    const struct rt_ctlops *ops)
{
	struct ifnet *owner = rt->rt_ifp;

	memset(req, 0, sizeof(*req));
	req->rtr_family = (uint16_t)rt->rt_family;
	req->rtr_plen = (uint8_t)rt->rt_plen;
	req->rtr_flags = rt_flags_out(rt->rt_flags);
	memcpy(req->rtr_dst, rt->rt_dst, t->rtt_keylen);
	if (rt->rt_flags & RTF_GATEWAY)
		memcpy(req->rtr_gateway, rt->rt_gateway, t->rtt_keylen);
	memcpy(req->rtr_ifaddr, rt->rt_ifaddr, t->rtt_keylen);
	if (rt->rt_ifp != NULL) {
		memcpy(req->rtr_ifname, rt->rt_ifp->if_xname, IFNAMSIZ);
		req->rtr_ifindex = rt->rt_ifp->if_index;
	}
	if ((rt->rt_flags & RTF_LOCAL) && ops->rco_ifa_ifp != NULL) {
		struct ifnet *ifp = (*ops->rco_ifa_ifp)(ns,
		    rt_iszero(rt->rt_ifaddr, t->rtt_keylen) ? rt->rt_dst :
		    rt->rt_ifaddr);
		if (ifp != NULL)
			owner = ifp;
	}
	if (!(rt->rt_flags & RTF_GATEWAY) && owner != NULL)
		req->rtr_gwifindex = owner->if_index;
	req->rtr_mtu = rt->rt_mtu;
	req->rtr_use = rt->rt_use;
}

/* Interface named in a request, or NULL if the name is empty. */
static int
rt_req_ifp(struct netstack *ns, const struct rump_rtreq *req,
    struct ifnet **ifpp)
{
	*ifpp = NULL;
	if (req->rtr_ifname[0] == '\0')
		return 0;
	if (strnlen(req->rtr_ifname, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	if ((*ifpp = if_byname(ns, req->rtr_ifname)) == NULL)
		return ENXIO;
	return 0;
}

static int
rt_req_add(struct netstack *ns, const struct rt_table *t,
    const struct rump_rtreq *req, const struct rt_ctlops *ops)
{
	const uint8_t *gw = NULL;
	struct ifnet *ifp;
	struct rtentry *rt;
	int rv;

	if ((rv = rt_req_ifp(ns, req, &ifp)) != 0)
		return rv;
	if (req->rtr_flags & RUMP_RTF_GATEWAY) {
		gw = req->rtr_gateway;
	} else if (ifp == NULL) {
		/* "-iface ADDR": the interface that has address ADDR. */
		if (rt_iszero(req->rtr_gateway, t->rtt_keylen) ||
		    ops->rco_ifa_ifp == NULL)
			return EINVAL;
		if ((ifp = (*ops->rco_ifa_ifp)(ns, req->rtr_gateway)) == NULL)
			return ENETUNREACH;
	}
	if (!rt_iszero(req->rtr_ifaddr, t->rtt_keylen) &&
	    (ops->rco_ifa_ifp == NULL ||
	    (*ops->rco_ifa_ifp)(ns, req->rtr_ifaddr) == NULL))
		return EADDRNOTAVAIL;
	rv = rt_add(ns, t->rtt_family, req->rtr_dst, req->rtr_plen, gw, ifp,
	    rt_flags_in(req->rtr_flags) & RT_USERFLAGS, &rt);
	if (rv != 0)
		return rv;
	memcpy(rt->rt_ifaddr, req->rtr_ifaddr, t->rtt_keylen);
	rt->rt_mtu = req->rtr_mtu;
	return 0;
}

static int
rt_req_change(struct netstack *ns, const struct rt_table *t,
    const struct rump_rtreq *req, const struct rt_ctlops *ops)
{
	struct rtentry *rt;
	struct ifnet *ifp, *oldifp;
	int rv;

	if ((rt = rt_lookup_exact(ns, t->rtt_family, req->rtr_dst,
	    req->rtr_plen)) == NULL)
		return ESRCH;
	if ((rv = rt_req_ifp(ns, req, &ifp)) != 0)
		return rv;
	if (!rt_iszero(req->rtr_ifaddr, t->rtt_keylen) &&
	    (ops->rco_ifa_ifp == NULL ||
	    (*ops->rco_ifa_ifp)(ns, req->rtr_ifaddr) == NULL))
		return EADDRNOTAVAIL;
	if (req->rtr_flags & RUMP_RTF_GATEWAY) {
		struct rtentry *gw;

		if (ifp == NULL) {
			gw = rt_lookup(ns, t->rtt_family, req->rtr_gateway);
			if (gw == NULL || gw == rt ||
			    (gw->rt_flags & RTF_GATEWAY))
				return ENETUNREACH;
			ifp = gw->rt_ifp;
		}
		memcpy(rt->rt_gateway, req->rtr_gateway, t->rtt_keylen);
		rt->rt_flags |= RTF_GATEWAY;
	}
	oldifp = rt->rt_ifp;
	if (ifp != NULL)
		rt->rt_ifp = ifp;
	if (!rt_iszero(req->rtr_ifaddr, t->rtt_keylen))
		memcpy(rt->rt_ifaddr, req->rtr_ifaddr, t->rtt_keylen);
	rt->rt_mtu = req->rtr_mtu;
	rt->rt_flags = (rt->rt_flags &
	    ~(RTF_REJECT | RTF_BLACKHOLE | RTF_STATIC | RTF_ANNOUNCE)) |
	    (rt_flags_in(req->rtr_flags) &
	    (RTF_REJECT | RTF_BLACKHOLE | RTF_STATIC | RTF_ANNOUNCE));
	/* Neighbours learnt through the old interface are stale now. */
	if (oldifp != rt->rt_ifp && !(rt->rt_flags & (RTF_GATEWAY |
	    RTF_LOCAL)) && ops->rco_purge != NULL)
		(*ops->rco_purge)(oldifp, rt->rt_dst, rt->rt_plen);
	rt_msg_route(ns, RUMP_RTM_CHANGE, rt);
	return 0;
}

static int
rt_req_delete(struct netstack *ns, const struct rt_table *t,
    const struct rump_rtreq *req, const struct rt_ctlops *ops)
{
	struct rtentry *rt;
	struct ifnet *ifp;
	uint8_t dst[16];
	unsigned plen;
	bool purge;

	if ((rt = rt_lookup_exact(ns, t->rtt_family, req->rtr_dst,
	    req->rtr_plen)) == NULL)
		return ESRCH;
	ifp = rt->rt_ifp;
	plen = rt->rt_plen;
	memcpy(dst, rt->rt_dst, sizeof(dst));
	purge = !(rt->rt_flags & (RTF_GATEWAY | RTF_LOCAL));
	(void)rt_delete(ns, t->rtt_family, dst, plen);
	if (purge && ifp != NULL && ops->rco_purge != NULL)
		(*ops->rco_purge)(ifp, dst, plen);
	return 0;
}

int
rt_control(struct netstack *ns, unsigned long cmd, void *data,
    const struct rt_ctlops *ops)
{
	struct rump_rtreq *req = data;
	struct rt_table *t;
	struct rtentry *rt;
	unsigned n;

	switch (cmd) {
	case RUMP_SIOCADDRT:
	case RUMP_SIOCDELRT:
	case RUMP_SIOCCHGRT:
	case RUMP_SIOCGETRT:
	case RUMP_SIOCLISTRT:
	case RUMP_SIOCFLUSHRT:
		break;
	default:
		return ENOTTY;
	}
	KASSERT(klock_held(&ns->ns_klock));
	if (req->rtr_family != ops->rco_family ||
	    (t = rt_table(ns, req->rtr_family)) == NULL)
		return EAFNOSUPPORT;
	if ((cmd == RUMP_SIOCADDRT || cmd == RUMP_SIOCDELRT ||
	    cmd == RUMP_SIOCCHGRT) && req->rtr_plen > t->rtt_maxplen)
		return EINVAL;

	switch (cmd) {
	case RUMP_SIOCADDRT:
		return rt_req_add(ns, t, req, ops);
	case RUMP_SIOCDELRT:
		return rt_req_delete(ns, t, req, ops);
	case RUMP_SIOCCHGRT:
		return rt_req_change(ns, t, req, ops);
	case RUMP_SIOCGETRT: {
		uint8_t dst[16], src[16];

		memcpy(dst, req->rtr_dst, sizeof(dst));
		if ((rt = rt_lookup(ns, t->rtt_family, dst)) == NULL)
			return ESRCH;
		rt_fill(ns, t, rt, req, ops);
		req->rtr_flags |= RUMP_RTF_DONE;
		memset(src, 0, sizeof(src));
		if (ops->rco_src != NULL &&
		    (*ops->rco_src)(ns, rt, dst, src) == 0)
			memcpy(req->rtr_ifaddr, src, t->rtt_keylen);
		return 0;
	}
	case RUMP_SIOCLISTRT:
		n = req->rtr_index;
		for (rt = t->rtt_sorted; rt != NULL && n > 0; rt = rt->rt_next)
			n--;
		if (rt == NULL)
			return ENOENT;
		n = req->rtr_index;
		rt_fill(ns, t, rt, req, ops);
		req->rtr_index = n;
		return 0;
	default: /* RUMP_SIOCFLUSHRT */
		n = t->rtt_count;
		rt_flush(ns, t->rtt_family);
		req->rtr_index = n - t->rtt_count;
		return 0;
	}
}
