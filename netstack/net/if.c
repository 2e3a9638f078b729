/*
 * if.c -- network interfaces: the list, indexes, flags, capabilities,
 * cloners, per-interface counters, and the deferred input queue.
 *
 * The module (if_module) starts lo0 through the "lo" cloner; address
 * families (netinet, netinet6) follow interface events through the
 * hooks of if_afhooks_register.  Everything runs with the kernel lock
 * held.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"
#include "netstack/net/if_var.h"
#include "rumpnet/rump_net.h"
#include "netstack/net/if_impair.h"
#include "netstack/net/route.h"

/* Per-interface counter names: net.interfaces.<if>.<name>. */
static const char *const if_stat_names[IF_NSTATS] = {
	[IF_STAT_IPACKETS] = "ipackets",
	[IF_STAT_IBYTES] = "ibytes",
	[IF_STAT_IERRORS] = "ierrors",
	[IF_STAT_IQDROPS] = "iqdrops",
	[IF_STAT_NOPROTO] = "noproto",
	[IF_STAT_IMCASTS] = "imcasts",
	[IF_STAT_OPACKETS] = "opackets",
	[IF_STAT_OBYTES] = "obytes",
	[IF_STAT_OERRORS] = "oerrors",
	[IF_STAT_OQDROPS] = "oqdrops",
	[IF_STAT_OMCASTS] = "omcasts",
	[IF_STAT_COLLISIONS] = "collisions",
};

const char *const link_stat_names[LINK_NSTATS] = {
	[LINK_STAT_RUNT] = "runt",
	[LINK_STAT_VLAN] = "vlan",
	[LINK_STAT_NOPROTO] = "noproto",
	[LINK_STAT_NOTFORUS] = "notforus",
	[LINK_STAT_IFDOWN] = "ifdown",
	[LINK_STAT_AFNOSUPPORT] = "afnosupport",
	[LINK_STAT_TOOLONG] = "toolong",
	[LINK_STAT_NOMEM] = "nomem",
	[LINK_STAT_LOOPDROPS] = "loopdrops",
	[LINK_STAT_DYING] = "dying",
};

#define IF_DEFERQ_DEFAULT	512

static void if_defer_run(void *);
static void ifmod_fini(struct netstack *);

/* ------------------------------------------------------------- lookup */

struct ifnet *
if_first(struct netstack *ns)
{
	struct if_state *ifs = if_state(ns);

	return ifs != NULL ? ifs->ifs_list : NULL;
}

struct ifnet *
if_lo0(struct netstack *ns)
{
	struct if_state *ifs = if_state(ns);

	return ifs != NULL ? ifs->ifs_lo0 : NULL;
}

struct ifnet *
if_byname(struct netstack *ns, const char *name)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
		if (strncmp(ifp->if_xname, name, IFNAMSIZ) == 0)
			return ifp;
	return NULL;
}

struct ifnet *
if_byindex(struct netstack *ns, unsigned index)
{
	for (struct ifnet *ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next) {
		if (ifp->if_index == index)
			return ifp;
		if (ifp->if_index > index)
			break;
	}
	return NULL;
}

/* ------------------------------------------------------ attach, detach */

struct ifnet *
if_alloc(struct netstack *ns, const char *name)
{
	struct ifnet *ifp;
	size_t len = strnlen(name, IFNAMSIZ);

	if (len == 0 || len >= IFNAMSIZ)
		return NULL;
	ifp = kmem_zalloc(sizeof(*ifp));
	ifp->if_ns = ns;
	memcpy(ifp->if_xname, name, len + 1);
	ifp->if_type = IFT_ETHER;
	ifp->if_mtu = ETHERMTU;
	return ifp;
}

/*
 * Make ifp visible.  Indexes are the lowest free ones (lo0 is 1, the
 * first interface created after it 2), as tools and scopes expect.
 */
void
if_attach(struct ifnet *ifp)
{
	struct netstack *ns = ifp->if_ns;
	struct if_state *ifs = if_state(ns);
	struct ifnet **pp;
	unsigned index = 1;
	char prefix[SYSCTL_NAMEMAX];
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ifp->if_index == 0);
	KASSERTMSG(if_byname(ns, ifp->if_xname) == NULL,
	    "if_attach: %s exists", ifp->if_xname);
	for (pp = &ifs->ifs_list; *pp != NULL; pp = &(*pp)->if_next) {
		if ((*pp)->if_index != index)
			break;
		index++;
	}
	ifp->if_index = index;
	ifp->if_next = *pp;
	*pp = ifp;

	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s", ifp->if_xname);
	if ((rv = sysctl_add_counters(ns, prefix, if_stat_names,
	    ifp->if_stats, IF_NSTATS)) != 0)
		kprintf("%s: %s: counters not registered: error %d\n",
		    ns->ns_name, ifp->if_xname, rv);
	if ((rv = if_impair_attach(ifp)) != 0)
		kprintf("%s: %s: no impairment stage: error %d\n",
		    ns->ns_name, ifp->if_xname, rv);
}

/* Drop every deferred packet that would enter through ifp. */
static void
if_defer_purge(struct if_state *ifs, struct ifnet *ifp)
{
	struct mqueue *q = &ifs->ifs_deferq;
	unsigned n = q->mq_len;

	while (n-- > 0) {
		struct mbuf *m = mq_dequeue(q);

		if (m->m_pkthdr.rcvif == ifp) {
			LINK_STATINC(ifs, LINK_STAT_IFDOWN);
			m_freem(m);
		} else
			(void)mq_enqueue(q, m);	/* cannot overflow */
	}
}

void
if_detach(struct ifnet *ifp)
{
	struct netstack *ns = ifp->if_ns;
	struct if_state *ifs = if_state(ns);
	struct ifnet **pp;
	char prefix[SYSCTL_NAMEMAX];

	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ifp->if_index != 0);
	if (ifp->if_flags & IFF_UP)
		if_down(ifp);
	for (unsigned i = 0; i < IF_MAXAFHOOKS; i++) {
		const struct if_afhooks *h = ifs->ifs_afhooks[i];

		if (h != NULL && h->ifh_detach != NULL)
			(*h->ifh_detach)(ifp);
	}
	rt_purge_ifp(ns, ifp);
	if_defer_purge(ifs, ifp);
	if_impair_detach(ifp);

	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s", ifp->if_xname);
	sysctl_remove_prefix(ns, prefix);
	for (pp = &ifs->ifs_list; *pp != ifp; pp = &(*pp)->if_next)
		KASSERT(*pp != NULL);
	*pp = ifp->if_next;
	ifp->if_next = NULL;
	ifp->if_index = 0;
	if (ifs->ifs_lo0 == ifp)
		ifs->ifs_lo0 = NULL;
}

void
if_free(struct ifnet *ifp)
{
	if (ifp == NULL)
		return;
	KASSERTMSG(ifp->if_index == 0, "if_free: %s still attached",
	    ifp->if_xname);
	kmem_free(ifp, sizeof(*ifp));
}

/* --------------------------------------------------------------- flags */

static void
if_afhooks_run(struct ifnet *ifp, bool up)
{
	struct if_state *ifs = if_state(ifp->if_ns);

	for (unsigned i = 0; i < IF_MAXAFHOOKS; i++) {
		const struct if_afhooks *h = ifs->ifs_afhooks[i];

		if (h == NULL)
			continue;
		if (up && h->ifh_up != NULL)
			(*h->ifh_up)(ifp);
		else if (!up && h->ifh_down != NULL)
			(*h->ifh_down)(ifp);
	}
}

int
if_up(struct ifnet *ifp)
{
	int old = ifp->if_flags, rv;

	if (old & IFF_UP)
		return 0;
	ifp->if_flags |= IFF_UP;
	if (ifp->if_init != NULL && (rv = (*ifp->if_init)(ifp)) != 0) {
		ifp->if_flags = old;
		return rv;
	}
	ifp->if_flags |= IFF_RUNNING;
	if_afhooks_run(ifp, true);
	return 0;
}

void
if_down(struct ifnet *ifp)
{
	if (!(ifp->if_flags & IFF_UP))
		return;
	if (ifp->if_stop != NULL)
		(*ifp->if_stop)(ifp);
	ifp->if_flags &= ~(IFF_UP | IFF_RUNNING);
	if_afhooks_run(ifp, false);
}

/*
 * Only UP, DEBUG, NOARP, PROMISC and ALLMULTI can be changed; the other
 * bits of 'flags' are ignored.  Going up calls if_init (its error is
 * returned and nothing changes) and sets IFF_RUNNING; going down calls
 * if_stop, clears RUNNING, and lets the address families forget
 * neighbours (ARP purge) and mark addresses detached.
 */
int
if_setflags(struct ifnet *ifp, int flags)
{
	const int settable = IFF_UP | IFF_DEBUG | IFF_NOARP | IFF_PROMISC |
	    IFF_ALLMULTI;
	int rv;

	KASSERT(klock_held(&ifp->if_ns->ns_klock));
	if ((flags & IFF_UP) && !(ifp->if_flags & IFF_UP)) {
		if ((rv = if_up(ifp)) != 0)
			return rv;
	} else if (!(flags & IFF_UP) && (ifp->if_flags & IFF_UP))
		if_down(ifp);
	ifp->if_flags = (ifp->if_flags & ~(settable & ~IFF_UP)) |
	    (flags & settable & ~IFF_UP);
	return 0;
}

/* Capability bits and the packet flags they stand for (mbuf.h). */
static const struct {
	uint32_t	cap;
	uint32_t	csum;
	bool		tx;
} if_capmap[] = {
	{ IFCAP_CSUM_IPv4_Tx, M_CSUM_IPv4, true },
	{ IFCAP_CSUM_TCPv4_Tx, M_CSUM_TCPv4, true },
	{ IFCAP_CSUM_UDPv4_Tx, M_CSUM_UDPv4, true },
	{ IFCAP_CSUM_TCPv6_Tx, M_CSUM_TCPv6, true },
	{ IFCAP_CSUM_UDPv6_Tx, M_CSUM_UDPv6, true },
	{ IFCAP_TSOv4, M_CSUM_TSOv4, true },
	{ IFCAP_TSOv6, M_CSUM_TSOv6, true },
	{ IFCAP_CSUM_IPv4_Rx, M_CSUM_IPv4, false },
	{ IFCAP_CSUM_TCPv4_Rx, M_CSUM_TCPv4, false },
	{ IFCAP_CSUM_UDPv4_Rx, M_CSUM_UDPv4, false },
	{ IFCAP_CSUM_TCPv6_Rx, M_CSUM_TCPv6, false },
	{ IFCAP_CSUM_UDPv6_Rx, M_CSUM_UDPv6, false },
};

void
if_capenable_update(struct ifnet *ifp)
{
	uint32_t tx = 0, rx = 0;

	for (size_t i = 0; i < nitems(if_capmap); i++) {
		if (!(ifp->if_capenable & if_capmap[i].cap))
			continue;
		if (if_capmap[i].tx)
			tx |= if_capmap[i].csum;
		else
			rx |= if_capmap[i].csum;
	}
	ifp->if_csum_flags_tx = tx;
	ifp->if_csum_flags_rx = rx;
}

void
if_zero_stats(struct ifnet *ifp)
{
	memset(ifp->if_stats, 0, sizeof(ifp->if_stats));
}

/* --------------------------------------------------------------- hooks */

int
if_afhooks_register(struct netstack *ns, const struct if_afhooks *h)
{
	struct if_state *ifs = if_state(ns);
	int slot = -1;

	if (ifs == NULL)
		return ENXIO;
	for (int i = 0; i < IF_MAXAFHOOKS; i++) {
		if (ifs->ifs_afhooks[i] == NULL) {
			if (slot < 0)
				slot = i;
		} else if (ifs->ifs_afhooks[i]->ifh_family == h->ifh_family)
			return EEXIST;
	}
	if (slot < 0)
		return ENOSPC;
	ifs->ifs_afhooks[slot] = h;
	return 0;
}

void
if_afhooks_unregister(struct netstack *ns, const struct if_afhooks *h)
{
	struct if_state *ifs = if_state(ns);

	if (ifs == NULL)
		return;
	for (int i = 0; i < IF_MAXAFHOOKS; i++)
		if (ifs->ifs_afhooks[i] == h)
			ifs->ifs_afhooks[i] = NULL;
}

/* ------------------------------------------------------------- cloners */

/*
 * Split "shmif3" into the cloner name "shmif" and unit 3; "shmif" has
 * unit -1.  => 0 or EINVAL (empty or too long, no cloner name, a unit
 * with a leading zero, or a unit above IF_MAXUNIT).
 */
static int
if_clone_parse(const char *name, char prefix[IFNAMSIZ], int *unit)
{
	size_t len = strnlen(name, IFNAMSIZ), d;
	long u = 0;

	if (len == 0 || len >= IFNAMSIZ)
		return EINVAL;
	for (d = len; d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9'; d--)
		continue;
	if (d == 0)
		return EINVAL;
	if (d == len) {
		*unit = -1;
	} else {
		if (name[d] == '0' && len - d > 1)
			return EINVAL;
		if (len - d > 5)
			return EINVAL;
		for (size_t i = d; i < len; i++)
			u = u * 10 + (name[i] - '0');
		if (u > IF_MAXUNIT)
			return EINVAL;
		*unit = (int)u;
	}
	memcpy(prefix, name, d);
	prefix[d] = '\0';
	return 0;
}

static const struct if_cloner *
if_clone_find(struct if_state *ifs, const char *prefix)
{
	for (unsigned i = 0; i < ifs->ifs_ncloners; i++)
		if (strcmp(ifs->ifs_cloners[i]->ifc_name, prefix) == 0)
			return ifs->ifs_cloners[i];
	return NULL;
}

/* The cloner that made ifp, or NULL. */
static const struct if_cloner *
if_clone_of(struct ifnet *ifp)
{
	char prefix[IFNAMSIZ];
	int unit;

	if (if_clone_parse(ifp->if_xname, prefix, &unit) != 0 || unit < 0)
		return NULL;
	return if_clone_find(if_state(ifp->if_ns), prefix);
}

int
if_clone_register(struct netstack *ns, const struct if_cloner *ifc)
{
	struct if_state *ifs = if_state(ns);
	char prefix[IFNAMSIZ];
	int unit;

	if (ifs == NULL)
		return ENXIO;
	if (if_clone_parse(ifc->ifc_name, prefix, &unit) != 0 || unit >= 0 ||
	    ifc->ifc_create == NULL)
		return EINVAL;
	if (if_clone_find(ifs, ifc->ifc_name) != NULL)
		return EEXIST;
	if (ifs->ifs_ncloners == IF_MAXCLONERS)
		return ENOSPC;
	ifs->ifs_cloners[ifs->ifs_ncloners++] = ifc;
	return 0;
}

unsigned
if_clone_names(struct netstack *ns, char (*names)[IFNAMSIZ], unsigned max)
{
	struct if_state *ifs = if_state(ns);

	for (unsigned i = 0; i < ifs->ifs_ncloners && i < max; i++) {
		memset(names[i], 0, IFNAMSIZ);
		memcpy(names[i], ifs->ifs_cloners[i]->ifc_name,
		    strlen(ifs->ifs_cloners[i]->ifc_name));
	}
	return ifs->ifs_ncloners;
}

int
if_clone_create_ifp(struct netstack *ns, const char *name,
    struct ifnet **ifpp)
{
	struct if_state *ifs = if_state(ns);
	const struct if_cloner *ifc;
	struct ifnet *ifp = NULL;
	char prefix[IFNAMSIZ], full[IFNAMSIZ + 8];
	int unit, rv;

	KASSERT(klock_held(&ns->ns_klock));
	if ((rv = if_clone_parse(name, prefix, &unit)) != 0)
		return rv;
	if ((ifc = if_clone_find(ifs, prefix)) == NULL)
		return EINVAL;
	if (unit >= 0) {
		if (if_byname(ns, name) != NULL)
			return EEXIST;
	} else {
		for (unit = 0; unit <= IF_MAXUNIT; unit++) {
			ksnprintf(full, sizeof(full), "%s%d", prefix, unit);
			if (strlen(full) >= IFNAMSIZ)
				return ENOSPC;
			if (if_byname(ns, full) == NULL)
				break;
		}
		if (unit > IF_MAXUNIT)
			return ENOSPC;
	}
	if ((rv = (*ifc->ifc_create)(ns, unit, &ifp)) != 0)
		return rv;
	KASSERT(ifp != NULL);
	if (ifp->if_index == 0)
		if_attach(ifp);
	if (ifpp != NULL)
		*ifpp = ifp;
	return 0;
}

int
if_clone_create(struct netstack *ns, const char *name)
{
	return if_clone_create_ifp(ns, name, NULL);
}

/* Detach ifp and free it and its driver state. */
static void
if_destroy_ifp(struct ifnet *ifp)
{
	const struct if_cloner *ifc = if_clone_of(ifp);

	if_detach(ifp);
	if (ifc != NULL && ifc->ifc_destroy != NULL)
		(*ifc->ifc_destroy)(ifp);
	else if (ifp->if_destroy != NULL)
		(*ifp->if_destroy)(ifp);
	if_free(ifp);
}

/*
 * Destroy a cloned interface: it goes down, loses its addresses (with
 * their routes and neighbour entries) and every route through it, is
 * detached, and then the cloner frees the driver state.
 * => 0, ENXIO (no such interface), EINVAL (not cloned), EPERM (lo0).
 */
int
if_clone_destroy(struct netstack *ns, const char *name)
{
	struct ifnet *ifp;

	KASSERT(klock_held(&ns->ns_klock));
	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	if ((ifp = if_byname(ns, name)) == NULL)
		return ENXIO;
	if (ifp == if_state(ns)->ifs_lo0)
		return EPERM;
	if (if_clone_of(ifp) == NULL)
		return EINVAL;
	if_destroy_ifp(ifp);
	return 0;
}

/* ------------------------------------------------------ deferred input */

int
if_defer_input(struct ifnet *ifp, struct mbuf *m)
{
	struct if_state *ifs = if_state(ifp->if_ns);
	struct mqueue *q = &ifs->ifs_deferq;

	m->m_pkthdr.rcvif = ifp;
	m->m_flags |= M_LOOP;
	q->mq_maxlen = (unsigned)ifs->ifs_deferq_maxlen;
	if (mq_enqueue(q, m) != 0) {
		IF_STAT_INC(ifp, IF_STAT_IQDROPS);
		LINK_STATINC(ifs, LINK_STAT_LOOPDROPS);
		return ENOBUFS;
	}
	if (!callout_pending(&ifs->ifs_defer_co))
		callout_schedule(&ifs->ifs_defer_co, 0);
	return 0;
}

static void
if_defer_run(void *arg)
{
	struct netstack *ns = arg;
	struct if_state *ifs = if_state(ns);
	struct mqueue *q = &ifs->ifs_deferq;
	unsigned n = q->mq_len;
	struct mbuf *m;

	if (netstack_now(ns) != ifs->ifs_defer_when) {
		ifs->ifs_defer_when = netstack_now(ns);
		ifs->ifs_defer_runs = 0;
	}
	ifs->ifs_defer_runs++;
	/* Only what was queued before this run: replies wait for the next. */
	while (n-- > 0 && (m = mq_dequeue(q)) != NULL) {
		struct ifnet *ifp = m->m_pkthdr.rcvif;

		if (ns->ns_dying) {
			LINK_STATINC(ifs, LINK_STAT_DYING);
			m_freem(m);
			continue;
		}
		(*ifp->if_input)(ifp, m);
	}
	if (q->mq_len > 0 || callout_pending(&ifs->ifs_defer_co))
		callout_schedule(&ifs->ifs_defer_co,
		    ifs->ifs_defer_runs < IF_DEFER_BURST ? 0 : 1);
}

/* -------------------------------------------------------------- module */

static int
ifmod_init(struct netstack *ns)
{
	struct if_state *ifs;
	struct ifnet *lo0;
	int rv;

	ifs = kmem_zalloc(sizeof(*ifs));
	ns->ns_mod[NSMOD_IF] = ifs;
	mq_init(&ifs->ifs_deferq, IF_DEFERQ_DEFAULT);
	ifs->ifs_deferq_maxlen = IF_DEFERQ_DEFAULT;
	callout_init(&ifs->ifs_defer_co, ns, if_defer_run, ns);
	if ((rv = sysctl_add_counters(ns, "net.link.stats", link_stat_names,
	    ifs->ifs_stats, LINK_NSTATS)) != 0 ||
	    (rv = sysctl_add_int(ns, "net.link.loopq.maxlen", SYSCTL_RW,
	    &ifs->ifs_deferq_maxlen, 1, 65536,
	    "packets waiting for loopback delivery")) != 0 ||
	    (rv = if_clone_register(ns, &lo_cloner)) != 0 ||
	    (rv = if_clone_create_ifp(ns, "lo0", &lo0)) != 0)
		goto fail;
	ifs->ifs_lo0 = lo0;
	if ((rv = if_setflags(lo0, lo0->if_flags | IFF_UP)) != 0)
		goto fail;
	return 0;

fail:
	kprintf("%s: interfaces: error %d at start\n", ns->ns_name, rv);
	ifmod_fini(ns);
	return rv;
}

static void
ifmod_fini(struct netstack *ns)
{
	struct if_state *ifs = if_state(ns);

	if (ifs == NULL)
		return;
	/* Highest index first, so lo0 goes last. */
	while (ifs->ifs_list != NULL) {
		struct ifnet *ifp = ifs->ifs_list;

		while (ifp->if_next != NULL)
			ifp = ifp->if_next;
		if_destroy_ifp(ifp);
	}
	callout_stop(&ifs->ifs_defer_co);
	mq_purge(&ifs->ifs_deferq);
	sysctl_remove_prefix(ns, "net.link");
	sysctl_remove_prefix(ns, "net.interfaces");
	kmem_free(ifs, sizeof(*ifs));
	ns->ns_mod[NSMOD_IF] = NULL;
}

const struct netstack_module if_module = {
	.nm_name = "if",
	.nm_init = ifmod_init,
	.nm_fini = ifmod_fini,
};

/* ------------------------------------------------------------ linkstr */

int
if_linkstr_ioctl(struct ifnet *ifp, unsigned long cmd, void *data,
    const struct if_linkstr_ops *ops)
{
	struct rump_linkstr *ls = data;
	const char *cur;
	size_t len;

	switch (cmd) {
	case RUMP_SIOCSLINKSTR:
		if (ls->ls_cmd == RUMP_LINKSTR_UNSET)
			return (*ops->lo_unset)(ifp);
		if (ls->ls_cmd != 0)
			return EINVAL;
		len = strnlen(ls->ls_path, sizeof(ls->ls_path));
		if (len == sizeof(ls->ls_path) || len > ops->lo_maxlen)
			return ops->lo_toolong;
		if (ls->ls_len != len + 1)
			return EINVAL;
		return (*ops->lo_set)(ifp, ls->ls_path);
	case RUMP_SIOCGLINKSTR:
		if ((cur = (*ops->lo_get)(ifp)) == NULL)
			return ENOENT;
		len = strlen(cur) + 1;
		ls->ls_len = (uint32_t)len;
		if (ls->ls_cmd == RUMP_LINKSTR_QUERYLEN)
			return 0;
		if (ls->ls_cmd != 0)
			return EINVAL;
		memcpy(ls->ls_path, cur, len);
		return 0;
	default:
		return ENOTTY;
	}
}
