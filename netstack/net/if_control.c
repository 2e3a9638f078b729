/*
 * if_control.c -- ifioctl: the configuration requests of
 * include/rumpnet/rump_net.h.  Interface requests are answered here;
 * address, route and neighbour requests go to the control function of
 * their family (in_control for AF_INET), found through the socket
 * layer's domain registry.
 *
 * 'data' holds RUMP_IOC_SIZE(cmd) bytes (RUMP_LINUX_IFREQ_SIZE for the
 * Linux requests), copied in by the caller; every name in it is
 * checked for termination before use.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/socketvar.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "rumpnet/rump_net.h"

_Static_assert((int)RUMP_IFSTAT_NSTATS == (int)IF_NSTATS &&
    (int)RUMP_IFSTAT_NOPROTO == (int)IF_STAT_NOPROTO &&
    (int)RUMP_IFSTAT_COLLISIONS == (int)IF_STAT_COLLISIONS,
    "rump_net.h counter slots follow enum if_stat");
_Static_assert(RUMP_IFNAMSIZ == IFNAMSIZ, "interface name size");

/* Kernel interface flags (Linux values) and their ABI (NetBSD) values. */
static const struct {
	int		kflag;
	uint32_t	uflag;
} if_flagmap[] = {
	{ IFF_UP, RUMP_IFF_UP },
	{ IFF_BROADCAST, RUMP_IFF_BROADCAST },
	{ IFF_DEBUG, RUMP_IFF_DEBUG },
	{ IFF_LOOPBACK, RUMP_IFF_LOOPBACK },
	{ IFF_POINTOPOINT, RUMP_IFF_POINTOPOINT },
	{ IFF_RUNNING, RUMP_IFF_RUNNING },
	{ IFF_NOARP, RUMP_IFF_NOARP },
	{ IFF_PROMISC, RUMP_IFF_PROMISC },
	{ IFF_ALLMULTI, RUMP_IFF_ALLMULTI },
	{ IFF_MULTICAST, RUMP_IFF_MULTICAST },
};

static uint32_t
if_flags_out(const struct ifnet *ifp)
{
	uint32_t u = 0;

	for (size_t i = 0; i < nitems(if_flagmap); i++)
		if (ifp->if_flags & if_flagmap[i].kflag)
			u |= if_flagmap[i].uflag;
	if (ifp->if_extflags & IFEF_SIMPLEX)
		u |= RUMP_IFF_SIMPLEX;
	return u;
}

static int
if_flags_in(uint32_t u)
{
	int k = 0;

	for (size_t i = 0; i < nitems(if_flagmap); i++)
		if (u & if_flagmap[i].uflag)
			k |= if_flagmap[i].kflag;
	return k;
}

/* The interface a request names. => 0, EINVAL (unterminated), ENXIO. */
static int
if_req_ifp(struct netstack *ns, const char *name, struct ifnet **ifpp)
{
	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	if ((*ifpp = if_byname(ns, name)) == NULL)
		return ENXIO;
	return 0;
}

/* Ask the driver; ENOTTY means it has nothing to say. */
static int
if_driver_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	if (ifp->if_ioctl == NULL)
		return ENOTTY;
	return (*ifp->if_ioctl)(ifp, cmd, data);
}

static bool
if_haslinkstr(struct ifnet *ifp)
{
	struct rump_linkstr *ls;
	int rv;

	if (ifp->if_ioctl == NULL)
		return false;
	ls = kmem_zalloc(sizeof(*ls));
	memcpy(ls->ls_name, ifp->if_xname, IFNAMSIZ);
	ls->ls_cmd = RUMP_LINKSTR_QUERYLEN;
	rv = (*ifp->if_ioctl)(ifp, RUMP_SIOCGLINKSTR, ls);
	kmem_free(ls, sizeof(*ls));
	return rv != ENOTTY;
}

static int
if_getinfo(struct netstack *ns, struct rump_ifinfo *ifi)
{
	struct ifnet *ifp = NULL;
	unsigned query = ifi->ifi_query;
	int rv;

	switch (query) {
	case RUMP_IFQ_NAME:
		if ((rv = if_req_ifp(ns, ifi->ifi_name, &ifp)) != 0)
			return rv;
		break;
	case RUMP_IFQ_INDEX:
		if ((ifp = if_byindex(ns, ifi->ifi_index)) == NULL)
			return ENXIO;
		break;
	case RUMP_IFQ_NEXT:
		for (ifp = if_first(ns); ifp != NULL; ifp = ifp->if_next)
			if (ifp->if_index > ifi->ifi_index)
				break;
		if (ifp == NULL)
			return ENOENT;
		break;
	default:
		return EINVAL;
	}
	memset(ifi, 0, sizeof(*ifi));
	ifi->ifi_query = query;
	memcpy(ifi->ifi_name, ifp->if_xname, IFNAMSIZ);
	ifi->ifi_index = ifp->if_index;
	ifi->ifi_flags = if_flags_out(ifp);
	ifi->ifi_type = ifp->if_type == IFT_LOOP ? RUMP_IFT_LOOP :
	    RUMP_IFT_ETHER;
	ifi->ifi_mtu = ifp->if_mtu;
	ifi->ifi_capabilities = ifp->if_capabilities;
	ifi->ifi_capenable = ifp->if_capenable;
	if (ifp->if_type == IFT_ETHER) {
		ifi->ifi_addrlen = ETHER_ADDR_LEN;
		memcpy(ifi->ifi_lladdr, ifp->if_lladdr, ETHER_ADDR_LEN);
	}
	for (unsigned i = 0; i < IF_NSTATS; i++)
		ifi->ifi_stats[i] = ifp->if_stats[i];
	ifi->ifi_haslinkstr = if_haslinkstr(ifp);
	/* Link state and media are the driver's to tell. */
	(void)if_driver_ioctl(ifp, RUMP_SIOCGIFINFO, ifi);
	return 0;
}

static int
if_setmtu(struct ifnet *ifp, uint32_t mtu)
{
	uint32_t max = ifp->if_type == IFT_LOOP ? 65535 : ETHERMTU;
	struct rump_ifreq req;
	int rv;

	if (mtu < 68 || mtu > max)
		return EINVAL;
	/* The driver may refuse (or want to know). */
	memset(&req, 0, sizeof(req));
	memcpy(req.ifr_name, ifp->if_xname, IFNAMSIZ);
	req.ifr_value = mtu;
	rv = if_driver_ioctl(ifp, RUMP_SIOCSIFMTU, &req);
	if (rv != 0 && rv != ENOTTY)
		return rv;
	ifp->if_mtu = mtu;
	return 0;
}

static int
if_setcap(struct ifnet *ifp, uint32_t capenable)
{
	struct rump_ifcapreq req;
	uint32_t old = ifp->if_capenable;
	int rv;

	if (capenable & ~ifp->if_capabilities)
		return EINVAL;
	ifp->if_capenable = capenable;
	if_capenable_update(ifp);
	memset(&req, 0, sizeof(req));
	memcpy(req.ifcr_name, ifp->if_xname, IFNAMSIZ);
	req.ifcr_capabilities = ifp->if_capabilities;
	req.ifcr_capenable = capenable;
	rv = if_driver_ioctl(ifp, RUMP_SIOCSIFCAP, &req);
	if (rv != 0 && rv != ENOTTY) {
		ifp->if_capenable = old;
		if_capenable_update(ifp);
		return rv;
	}
	return 0;
}

static int
if_setlladdr(struct ifnet *ifp, const struct rump_iflladdr *ifl)
{
	struct if_state *ifs = if_state(ifp->if_ns);
	uint8_t old[ETHER_ADDR_LEN];
	static const uint8_t zero[ETHER_ADDR_LEN];
	int rv;

	if (ifp->if_type != IFT_ETHER)
		return EOPNOTSUPP;
	if (ifl->ifl_addrlen != ETHER_ADDR_LEN || (ifl->ifl_addr[0] & 0x01) ||
	    memcmp(ifl->ifl_addr, zero, ETHER_ADDR_LEN) == 0)
		return EINVAL;
	memcpy(old, ifp->if_lladdr, ETHER_ADDR_LEN);
	memcpy(ifp->if_lladdr, ifl->ifl_addr, ETHER_ADDR_LEN);
	rv = if_driver_ioctl(ifp, RUMP_SIOCSIFLLADDR, (void *)ifl);
	if (rv != 0 && rv != ENOTTY) {
		memcpy(ifp->if_lladdr, old, ETHER_ADDR_LEN);
		return rv;
	}
	for (unsigned i = 0; i < IF_MAXAFHOOKS; i++) {
		const struct if_afhooks *h = ifs->ifs_afhooks[i];

		if (h != NULL && h->ifh_lladdr != NULL)
			(*h->ifh_lladdr)(ifp,
			    (ifl->ifl_flags & RUMP_LLADDR_ACTIVE) &&
			    (ifp->if_flags & IFF_UP));
	}
	return 0;
}

/* The interface requests of rump_net.h. => ENOTTY if not one. */
static int
if_control(struct netstack *ns, unsigned long cmd, void *data)
{
	struct ifnet *ifp = NULL;
	int rv;

	switch (cmd) {
	case RUMP_SIOCIFCREATE: {
		struct rump_ifname *ifn = data;

		if (strnlen(ifn->ifn_name, IFNAMSIZ) >= IFNAMSIZ)
			return EINVAL;
		if ((rv = if_clone_create_ifp(ns, ifn->ifn_name, &ifp)) != 0)
			return rv;
		memcpy(ifn->ifn_name, ifp->if_xname, IFNAMSIZ);
		return 0;
	}
	case RUMP_SIOCIFDESTROY: {
		struct rump_ifname *ifn = data;

		if (strnlen(ifn->ifn_name, IFNAMSIZ) >= IFNAMSIZ)
			return EINVAL;
		return if_clone_destroy(ns, ifn->ifn_name);
	}
	case RUMP_SIOCIFGCLONERS: {
		struct rump_ifcloners *ifc = data;
		unsigned n;

		memset(ifc, 0, sizeof(*ifc));
		n = if_clone_names(ns, ifc->ifc_names, RUMP_MAXCLONERS);
		ifc->ifc_total = n;
		ifc->ifc_count = MIN(n, RUMP_MAXCLONERS);
		return 0;
	}
	case RUMP_SIOCGIFINFO:
		return if_getinfo(ns, data);
	case RUMP_SIOCGIFCAP:
	case RUMP_SIOCSIFCAP: {
		struct rump_ifcapreq *req = data;

		if ((rv = if_req_ifp(ns, req->ifcr_name, &ifp)) != 0)
			return rv;
		if (cmd == RUMP_SIOCSIFCAP)
			return if_setcap(ifp, req->ifcr_capenable);
		req->ifcr_capabilities = ifp->if_capabilities;
		req->ifcr_capenable = ifp->if_capenable;
		return 0;
	}
	case RUMP_SIOCSIFLLADDR: {
		struct rump_iflladdr *req = data;

		if ((rv = if_req_ifp(ns, req->ifl_name, &ifp)) != 0)
			return rv;
		return if_setlladdr(ifp, req);
	}
	case RUMP_SIOCSLINKSTR:
	case RUMP_SIOCGLINKSTR: {
		struct rump_linkstr *ls = data;

		if ((rv = if_req_ifp(ns, ls->ls_name, &ifp)) != 0)
			return rv;
		return if_driver_ioctl(ifp, cmd, ls);
	}
	case RUMP_SIOCGIFFLAGS:
	case RUMP_SIOCSIFFLAGS:
	case RUMP_SIOCGIFMTU:
	case RUMP_SIOCSIFMTU:
	case RUMP_SIOCZIFDATA:
	case RUMP_SIOCSIFMEDIA:
		break;
	default:
		return ENOTTY;
	}

	/* The requests on a struct rump_ifreq. */
	struct rump_ifreq *ifr = data;

	if ((rv = if_req_ifp(ns, ifr->ifr_name, &ifp)) != 0)
		return rv;
	switch (cmd) {
	case RUMP_SIOCGIFFLAGS:
		ifr->ifr_value = if_flags_out(ifp);
		return 0;
	case RUMP_SIOCSIFFLAGS:
		return if_setflags(ifp, if_flags_in(ifr->ifr_value &
		    RUMP_IFF_CANCHANGE));
	case RUMP_SIOCGIFMTU:
		ifr->ifr_value = ifp->if_mtu;
		return 0;
	case RUMP_SIOCSIFMTU:
		return if_setmtu(ifp, ifr->ifr_value);
	case RUMP_SIOCZIFDATA:
		if_zero_stats(ifp);
		return 0;
	default: /* RUMP_SIOCSIFMEDIA */
		return if_driver_ioctl(ifp, cmd, ifr);
	}
}

/*
 * The Linux requests (struct ifreq: name[16], then a union at 16).
 */
#define LINUX_ARPHRD_ETHER	1
#define LINUX_ARPHRD_LOOPBACK	772

static int
if_linux_control(struct netstack *ns, unsigned long cmd, uint8_t *ifr)
{
	struct ifnet *ifp;
	int32_t v;
	int16_t f;
	int rv;

	if (cmd == RUMP_LINUX_SIOCGIFNAME) {
		memcpy(&v, ifr + IFNAMSIZ, sizeof(v));
		if (v <= 0 || (ifp = if_byindex(ns, (unsigned)v)) == NULL)
			return ENODEV;
		memcpy(ifr, ifp->if_xname, IFNAMSIZ);
		return 0;
	}
	if ((rv = if_req_ifp(ns, (const char *)ifr, &ifp)) != 0)
		return rv == ENXIO ? ENODEV : rv;
	switch (cmd) {
	case RUMP_LINUX_SIOCGIFFLAGS:
		f = (int16_t)(ifp->if_flags & 0xffff);
		memcpy(ifr + IFNAMSIZ, &f, sizeof(f));
		return 0;
	case RUMP_LINUX_SIOCSIFFLAGS:
		memcpy(&f, ifr + IFNAMSIZ, sizeof(f));
		return if_setflags(ifp, (uint16_t)f);
	case RUMP_LINUX_SIOCGIFMTU:
		v = (int32_t)ifp->if_mtu;
		memcpy(ifr + IFNAMSIZ, &v, sizeof(v));
		return 0;
	case RUMP_LINUX_SIOCSIFMTU:
		memcpy(&v, ifr + IFNAMSIZ, sizeof(v));
		return v < 0 ? EINVAL : if_setmtu(ifp, (uint32_t)v);
	case RUMP_LINUX_SIOCGIFHWADDR: {
		uint16_t fam = ifp->if_type == IFT_LOOP ?
		    LINUX_ARPHRD_LOOPBACK : LINUX_ARPHRD_ETHER;

		memset(ifr + IFNAMSIZ, 0, RUMP_LINUX_IFREQ_SIZE - IFNAMSIZ);
		memcpy(ifr + IFNAMSIZ, &fam, sizeof(fam));
		if (ifp->if_type == IFT_ETHER)
			memcpy(ifr + IFNAMSIZ + 2, ifp->if_lladdr,
			    ETHER_ADDR_LEN);
		return 0;
	}
	default: /* RUMP_LINUX_SIOCGIFINDEX */
		v = (int32_t)ifp->if_index;
		memcpy(ifr + IFNAMSIZ, &v, sizeof(v));
		return 0;
	}
}

/* Family of an address/route/neighbour request, or -1. */
static int
if_req_family(unsigned long cmd, const void *data)
{
	uint16_t family;

	switch (cmd) {
	case RUMP_SIOCAIFADDR:
	case RUMP_SIOCDIFADDR:
	case RUMP_SIOCGIFADDR:
		memcpy(&family, (const uint8_t *)data +
		    offsetof(struct rump_ifaddrreq, ifra_family),
		    sizeof(family));
		return family;
	case RUMP_SIOCADDRT:
	case RUMP_SIOCDELRT:
	case RUMP_SIOCCHGRT:
	case RUMP_SIOCGETRT:
	case RUMP_SIOCLISTRT:
	case RUMP_SIOCFLUSHRT:
		memcpy(&family, (const uint8_t *)data +
		    offsetof(struct rump_rtreq, rtr_family), sizeof(family));
		return family;
	case RUMP_SIOCGNBR:
	case RUMP_SIOCLISTNBR:
	case RUMP_SIOCSNBR:
	case RUMP_SIOCDNBR:
	case RUMP_SIOCFLUSHNBR:
		memcpy(&family, (const uint8_t *)data +
		    offsetof(struct rump_nbrreq, nbr_family), sizeof(family));
		return family;
	case RUMP_SIOCLISTPCB:
		/* One list for both families, kept by netinet. */
		return AF_INET;
	default:
		return -1;
	}
}

int
ifioctl(struct netstack *ns, struct socket *so, unsigned long cmd,
    void *data)
{
	domain_control_fn fn;
	int family, rv;

	KASSERT(klock_held(&ns->ns_klock));
	if (if_state(ns) == NULL)
		return ENXIO;
	switch (cmd) {
	case RUMP_LINUX_SIOCGIFNAME:
	case RUMP_LINUX_SIOCGIFFLAGS:
	case RUMP_LINUX_SIOCSIFFLAGS:
	case RUMP_LINUX_SIOCGIFMTU:
	case RUMP_LINUX_SIOCSIFMTU:
	case RUMP_LINUX_SIOCGIFHWADDR:
	case RUMP_LINUX_SIOCGIFINDEX:
		return if_linux_control(ns, cmd, data);
	}
	if ((rv = if_control(ns, cmd, data)) != ENOTTY ||
	    (rv = rt_msg_control(ns, cmd, data)) != ENOTTY)
		return rv;
	if ((family = if_req_family(cmd, data)) < 0)
		return ENOTTY;
	if ((fn = domain_control_lookup(ns, family)) == NULL)
		return EAFNOSUPPORT;
	return (*fn)(ns, cmd, data);
}
