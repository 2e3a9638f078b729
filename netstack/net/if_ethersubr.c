/*
 * if_ethersubr.c -- Ethernet framing: attach, output with link-address
 * resolution, input with dispatch by EtherType.
 *
 * Counting: ether_input counts every frame it is given in ipackets /
 * ibytes (imcasts for group addresses) and every frame it rejects under
 * one reason; drivers count what happens on their wire (opackets,
 * obytes, omcasts, oerrors, and receive errors they see themselves).
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/net/if_impair.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_offload.h"

const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

void
ether_ifattach(struct ifnet *ifp, const uint8_t lla[ETHER_ADDR_LEN])
{
	ifp->if_type = IFT_ETHER;
	memcpy(ifp->if_lladdr, lla, ETHER_ADDR_LEN);
	ifp->if_mtu = ETHERMTU;
	ifp->if_flags |= IFF_BROADCAST | IFF_MULTICAST;
	ifp->if_extflags |= IFEF_SIMPLEX;
	ifp->if_output = ether_output;
	ifp->if_input = ether_input;
}

int
ether_register_input(struct netstack *ns, uint16_t type, ether_input_fn fn)
{
	struct if_state *ifs = if_state(ns);

	if (ifs == NULL)
		return ENXIO;
	for (unsigned i = 0; i < ifs->ifs_nether; i++) {
		if (ifs->ifs_ether[i].eh_type != type)
			continue;
		if (fn == NULL) {
			ifs->ifs_ether[i] = ifs->ifs_ether[--ifs->ifs_nether];
			return 0;
		}
		return ifs->ifs_ether[i].eh_fn == fn ? 0 : EEXIST;
	}
	if (fn == NULL)
		return 0;
	if (ifs->ifs_nether == IF_MAXETHERTYPES)
		return ENOSPC;
	ifs->ifs_ether[ifs->ifs_nether].eh_type = type;
	ifs->ifs_ether[ifs->ifs_nether].eh_fn = fn;
	ifs->ifs_nether++;
	return 0;
}

ether_input_fn
ether_handler(struct netstack *ns, uint16_t type)
{
	struct if_state *ifs = if_state(ns);

	for (unsigned i = 0; i < ifs->ifs_nether; i++)
		if (ifs->ifs_ether[i].eh_type == type)
			return ifs->ifs_ether[i].eh_fn;
	return NULL;
}

int
ether_register_resolver(struct netstack *ns, int family, ether_resolve_fn fn)
{
	struct if_state *ifs = if_state(ns);

	if (ifs == NULL)
		return ENXIO;
	if (family != AF_INET6)
		return EAFNOSUPPORT;
	ifs->ifs_resolve6 = fn;
	return 0;
}

/* Prepend the Ethernet header. => the packet, or NULL (freed, counted). */
static struct mbuf *
ether_encap(struct ifnet *ifp, struct mbuf *m,
    const uint8_t dst[ETHER_ADDR_LEN], uint16_t type)
{
	uint8_t *eh;

	if ((m = m_prepend(m, ETHER_HDR_LEN)) == NULL) {
		LINK_STATINC(if_state(ifp->if_ns), LINK_STAT_NOMEM);
		IF_STAT_INC(ifp, IF_STAT_OQDROPS);
		return NULL;
	}
	eh = m->m_data;
	memcpy(eh, dst, ETHER_ADDR_LEN);
	memcpy(eh + ETHER_ADDR_LEN, ifp->if_lladdr, ETHER_ADDR_LEN);
	be16enc(eh + 2 * ETHER_ADDR_LEN, type);
	return m;
}

int
ether_output_frame(struct ifnet *ifp, struct mbuf *m,
    const uint8_t dst[ETHER_ADDR_LEN], uint16_t type)
{
	if ((ifp->if_flags & (IFF_UP | IFF_RUNNING)) !=
	    (IFF_UP | IFF_RUNNING)) {
		LINK_STATINC(if_state(ifp->if_ns), LINK_STAT_IFDOWN);
		m_freem(m);
		return ENETDOWN;
	}
	if ((m = ether_encap(ifp, m, dst, type)) == NULL)
		return ENOBUFS;
	return if_impair_transmit(ifp, m);
}

/*
 * A SIMPLEX interface never hears its own transmissions, so a copy of
 * every broadcast we send is fed to our own input, as if heard on the
 * wire (BSD behaviour: "ping 198.51.100.255" is answered by this host
 * too).  Multicast is not copied here: looping multicast back is the
 * sending protocol's decision (IP_MULTICAST_LOOP, ip_mloopback), and
 * neighbour discovery must not hear its own solicitations.  The copy
 * gets the checksums the driver would have finished, so it arrives
 * like any received frame.
 */
static void
ether_loop_copy(struct ifnet *ifp, const struct mbuf *m)
{
	struct mbuf *copy;
	uint32_t deferred;

	if ((copy = m_dup(m)) == NULL) {
		LINK_STATINC(if_state(ifp->if_ns), LINK_STAT_NOMEM);
		return;
	}
	deferred = copy->m_pkthdr.csum_flags &
	    (M_CSUM_IPv4 | M_CSUM_UDPv4 | M_CSUM_TCPv4);
	if (deferred != 0)
		in_undefer_cksum(copy, ETHER_HDR_LEN, deferred);
	copy->m_pkthdr.csum_flags = 0;
	copy->m_pkthdr.csum_data = 0;
	copy->m_pkthdr.segsz = 0;
	copy->m_flags &= ~(M_BCAST | M_MCAST);
	(void)if_defer_input(ifp, copy);
}

/*
 * Send a network-layer packet to next hop dst.  IPv4: broadcast
 * (M_BCAST, 255.255.255.255 or a broadcast address of ifp) goes to
 * ff:ff:ff:ff:ff:ff, multicast to 01:00:5e + the low 23 bits (RFC 1112
 * section 6.4), anything else is resolved by ARP.  IPv6: multicast goes
 * to 33:33 + the low 32 bits (RFC 2464 section 7), anything else to the
 * resolver netinet6 registered.  A packet waiting for resolution counts
 * as sent (0).
 */
int
ether_output(struct ifnet *ifp, struct mbuf *m, const struct ksockaddr *dst)
{
	struct if_state *ifs = if_state(ifp->if_ns);
	uint8_t edst[ETHER_ADDR_LEN];
	uint16_t type;
	bool loopcopy = false;
	int error;

	if ((ifp->if_flags & (IFF_UP | IFF_RUNNING)) !=
	    (IFF_UP | IFF_RUNNING)) {
		LINK_STATINC(ifs, LINK_STAT_IFDOWN);
		error = ENETDOWN;
		goto drop;
	}
	if (m->m_len > ifp->if_mtu &&
	    !(m->m_pkthdr.csum_flags & (M_CSUM_TSOv4 | M_CSUM_TSOv6))) {
		LINK_STATINC(ifs, LINK_STAT_TOOLONG);
		error = EMSGSIZE;
		goto drop;
	}

	switch (dst->sa_family) {
	case AF_INET: {
		struct ksockaddr_in sin;
		uint32_t a;

		memcpy(&sin, dst, sizeof(sin));
		a = sin.sin_addr;
		type = ETHERTYPE_IP;
		if ((m->m_flags & M_BCAST) || in_broadcast(a, ifp)) {
			memcpy(edst, etherbroadcastaddr, ETHER_ADDR_LEN);
			m->m_flags |= M_BCAST;
			loopcopy = (ifp->if_extflags & IFEF_SIMPLEX) != 0;
		} else if (in_multicast(a)) {
			uint32_t h = ntohl(a);

			edst[0] = 0x01;
			edst[1] = 0x00;
			edst[2] = 0x5e;
			edst[3] = (uint8_t)((h >> 16) & 0x7f);
			edst[4] = (uint8_t)(h >> 8);
			edst[5] = (uint8_t)h;
			m->m_flags |= M_MCAST;
		} else {
			error = arp_resolve(ifp, m, a, edst);
			if (error != 0)	/* consumed: queued or dropped */
				return error == EWOULDBLOCK ? 0 : error;
		}
		break;
	}
	case AF_INET6: {
		struct ksockaddr_in6 sin6;

		memcpy(&sin6, dst, sizeof(sin6));
		type = ETHERTYPE_IPV6;
		if (sin6.sin6_addr.s6_addr[0] == 0xff) {
			edst[0] = 0x33;
			edst[1] = 0x33;
			memcpy(&edst[2], &sin6.sin6_addr.s6_addr[12], 4);
			m->m_flags |= M_MCAST;
		} else if (ifs->ifs_resolve6 == NULL) {
			LINK_STATINC(ifs, LINK_STAT_AFNOSUPPORT);
			error = EAFNOSUPPORT;
			goto drop;
		} else {
			error = (*ifs->ifs_resolve6)(ifp, m, dst, edst);
			if (error != 0)
				return error == EWOULDBLOCK ? 0 : error;
		}
		break;
	}
	default:
		LINK_STATINC(ifs, LINK_STAT_AFNOSUPPORT);
		error = EAFNOSUPPORT;
		goto drop;
	}

	if ((m = ether_encap(ifp, m, edst, type)) == NULL)
		return ENOBUFS;
	if (loopcopy)
		ether_loop_copy(ifp, m);
	return if_impair_transmit(ifp, m);

drop:
	IF_STAT_INC(ifp, IF_STAT_OERRORS);
	m_freem(m);
	return error;
}

/*
 * A frame arrived (driver's receive path, kernel lock held).  Checks
 * the length, marks link broadcast/multicast, drops what is not for us
 * and 802.1Q-tagged frames, strips the header and hands the packet to
 * the handler registered for its EtherType.
 */
void
ether_input(struct ifnet *ifp, struct mbuf *m)
{
	struct netstack *ns = ifp->if_ns;
	struct if_state *ifs = if_state(ns);
	const uint8_t *eh;
	ether_input_fn fn;
	uint16_t type;

	KASSERT(klock_held(&ns->ns_klock));
	m->m_pkthdr.rcvif = ifp;
	if (ns->ns_dying) {
		LINK_STATINC(ifs, LINK_STAT_DYING);
		goto drop;
	}
	if (m->m_len < ETHER_HDR_LEN) {
		IF_STAT_INC(ifp, IF_STAT_IERRORS);
		LINK_STATINC(ifs, LINK_STAT_RUNT);
		goto drop;
	}
	IF_STAT_INC(ifp, IF_STAT_IPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_IBYTES, m->m_len);
	if (!(ifp->if_flags & IFF_UP)) {
		IF_STAT_INC(ifp, IF_STAT_IQDROPS);
		LINK_STATINC(ifs, LINK_STAT_IFDOWN);
		goto drop;
	}
	eh = m->m_data;
	type = be16dec(eh + 2 * ETHER_ADDR_LEN);
	m->m_flags &= ~(M_BCAST | M_MCAST);
	if (eh[0] & 0x01) {
		IF_STAT_INC(ifp, IF_STAT_IMCASTS);
		if (memcmp(eh, etherbroadcastaddr, ETHER_ADDR_LEN) == 0)
			m->m_flags |= M_BCAST;
		else
			m->m_flags |= M_MCAST;
	} else if ((m->m_flags & M_PROMISC) ||
	    memcmp(eh, ifp->if_lladdr, ETHER_ADDR_LEN) != 0) {
		LINK_STATINC(ifs, LINK_STAT_NOTFORUS);
		goto drop;
	}
	if (type == ETHERTYPE_VLAN) {
		IF_STAT_INC(ifp, IF_STAT_NOPROTO);
		LINK_STATINC(ifs, LINK_STAT_VLAN);
		goto drop;
	}
	if ((fn = ether_handler(ns, type)) == NULL) {
		IF_STAT_INC(ifp, IF_STAT_NOPROTO);
		LINK_STATINC(ifs, LINK_STAT_NOPROTO);
		goto drop;
	}
	m_adj(m, ETHER_HDR_LEN);
	(*fn)(ns, m);
	return;

drop:
	m_freem(m);
}

bool
ether_rx_wanted(const struct ifnet *ifp, const uint8_t *frame, bool *promisc)
{
	*promisc = false;
	if (memcmp(frame, ifp->if_lladdr, ETHER_ADDR_LEN) == 0)
		return true;
	if (frame[0] & 0x01)		/* group bit: broadcast, multicast */
		return true;
	if (ifp->if_flags & IFF_PROMISC) {
		*promisc = true;
		return true;
	}
	return false;
}

void
ether_random_lladdr(uint8_t lla[ETHER_ADDR_LEN], uint8_t second)
{
	uint32_t r = cprng_u32();

	lla[0] = 0xb2;
	lla[1] = second;
	memcpy(&lla[2], &r, sizeof(r));
}
