/*
 * if_loop.c -- the loopback interface (lo0, and lo1... via the "lo"
 * cloner).
 *
 * Output turns a packet around: it is queued on the deferred input
 * queue (if_var.h) with a 4-byte family header in front, like BSD's
 * DLT_NULL, and lo_input later hands it to the protocol registered for
 * the matching EtherType.  Delivery is therefore never re-entrant: the
 * sender's output call returns before the receiver's input runs, and a
 * conversation with ourselves proceeds one callout run per round trip.
 * On a virtual clock, netstack_clock_advance(ns, 0) delivers.
 *
 * lo0 offers no checksum offload: the stack finishes every checksum
 * before a packet reaches it, so looped packets are ordinary received
 * packets.
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"

#define LO_HDRLEN	4	/* family, big endian */

static int
lo_output(struct ifnet *ifp, struct mbuf *m, const struct ksockaddr *dst)
{
	struct if_state *ifs = if_state(ifp->if_ns);
	uint16_t family = dst->sa_family;
	uint32_t len = m->m_len;
	int error;

	if (!(ifp->if_flags & IFF_UP)) {
		LINK_STATINC(ifs, LINK_STAT_IFDOWN);
		error = ENETDOWN;
		goto drop;
	}
	if (family != AF_INET && family != AF_INET6) {
		LINK_STATINC(ifs, LINK_STAT_AFNOSUPPORT);
		error = EAFNOSUPPORT;
		goto drop;
	}
	if ((m = m_prepend(m, LO_HDRLEN)) == NULL) {
		LINK_STATINC(ifs, LINK_STAT_NOMEM);
		IF_STAT_INC(ifp, IF_STAT_OQDROPS);
		return ENOBUFS;
	}
	be32enc(m->m_data, family);
	m->m_flags &= ~(M_BCAST | M_MCAST);
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	m->m_pkthdr.segsz = 0;
	IF_STAT_INC(ifp, IF_STAT_OPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_OBYTES, len);
	return if_defer_input(ifp, m);

drop:
	IF_STAT_INC(ifp, IF_STAT_OERRORS);
	m_freem(m);
	return error;
}

static void
lo_input(struct ifnet *ifp, struct mbuf *m)
{
	struct netstack *ns = ifp->if_ns;
	struct if_state *ifs = if_state(ns);
	ether_input_fn fn;
	uint32_t family;

	if (m->m_len < LO_HDRLEN) {
		IF_STAT_INC(ifp, IF_STAT_IERRORS);
		LINK_STATINC(ifs, LINK_STAT_RUNT);
		goto drop;
	}
	family = be32dec(m->m_data);
	m_adj(m, LO_HDRLEN);
	IF_STAT_INC(ifp, IF_STAT_IPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_IBYTES, m->m_len);
	fn = ether_handler(ns, family == AF_INET ? ETHERTYPE_IP :
	    family == AF_INET6 ? ETHERTYPE_IPV6 : 0);
	if (fn == NULL) {
		IF_STAT_INC(ifp, IF_STAT_NOPROTO);
		LINK_STATINC(ifs, LINK_STAT_NOPROTO);
		goto drop;
	}
	m->m_pkthdr.rcvif = ifp;
	(*fn)(ns, m);
	return;

drop:
	m_freem(m);
}

static int
lo_init(struct ifnet *ifp)
{
	return 0;
}

static int
lo_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	struct ifnet *ifp;
	char name[IFNAMSIZ];

	if ((size_t)ksnprintf(name, sizeof(name), "lo%d", unit) >= sizeof(name))
		return EINVAL;
	if ((ifp = if_alloc(ns, name)) == NULL)
		return EINVAL;
	ifp->if_type = IFT_LOOP;
	ifp->if_flags = IFF_LOOPBACK | IFF_MULTICAST;
	ifp->if_mtu = LOMTU;
	ifp->if_output = lo_output;
	ifp->if_input = lo_input;
	ifp->if_init = lo_init;
	if_attach(ifp);
	*ifpp = ifp;
	return 0;
}

static void
lo_clone_destroy(struct ifnet *ifp)
{
	/* No driver state: if_clone_destroy frees the ifnet. */
}

const struct if_cloner lo_cloner = {
	.ifc_name = "lo",
	.ifc_create = lo_clone_create,
	.ifc_destroy = lo_clone_destroy,
};
