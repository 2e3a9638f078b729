/*
 * test_net.c -- interfaces, cloners, flags and capabilities, Ethernet
 * input and output, loopback, the routing table, IPv4 addresses, and
 * the control requests of rump_net.h.  Each test runs on its own
 * instance with a virtual clock and ends with no kernel memory and no
 * mbuf in use (test_net_fakeif.h).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "rumpnet/rump_net.h"
#include "tests/unit/test_net_fakeif.h"
#include "tests/unit/unit.h"

#define TYPE_TEST	0x88b6	/* IEEE 802 local experimental EtherType 2 */
#define TYPE_UNKNOWN	0x88b5	/* ... 1, never registered */

static const uint8_t mac_fake0[6] = { 0x02, 0, 0, 0, 0x01, 0x00 };
static const uint8_t mac_peer[6] = { 0x02, 0, 0, 0, 0x09, 0x09 };

/*
 * Packets handed to the network layer: a test handler is registered
 * for IPv4, IPv6 and TYPE_TEST and keeps what it gets here.
 */
static struct mqueue rxq;
static unsigned rx_echo;	/* re-send each IPv4 packet to lo0 */

static void
rx_handler(struct netstack *ns, struct mbuf *m)
{
	if (rx_echo > 0 && m->m_pkthdr.rcvif->if_type == IFT_LOOP) {
		struct ksockaddr_in sin = { .sin_family = AF_INET };
		struct ifnet *lo0 = if_lo0(ns);

		rx_echo++;
		sin.sin_addr = htonl(KINADDR_LOOPBACK);
		(void)(*lo0->if_output)(lo0, m, (struct ksockaddr *)&sin);
		return;
	}
	(void)mq_enqueue(&rxq, m);
}

static void
rx_other(struct netstack *ns, struct mbuf *m)
{
	m_freem(m);
}

static void
setup(void)
{
	tn_setup();
	mq_init(&rxq, 1024);
	rx_echo = 0;
	/* Take the network-layer EtherTypes over from any protocol. */
	(void)ether_register_input(tn_ns, ETHERTYPE_IP, NULL);
	(void)ether_register_input(tn_ns, ETHERTYPE_IPV6, NULL);
	ck_assert_int_eq(ether_register_input(tn_ns, ETHERTYPE_IP,
	    rx_handler), 0);
	ck_assert_int_eq(ether_register_input(tn_ns, ETHERTYPE_IPV6,
	    rx_handler), 0);
	ck_assert_int_eq(ether_register_input(tn_ns, TYPE_TEST, rx_handler),
	    0);
}

static void
teardown(void)
{
	mq_purge(&rxq);
	tn_teardown();
}

/* A packet of len bytes, each byte its offset + seed. */
static struct mbuf *
mkpacket(size_t len, uint8_t seed)
{
	struct mbuf *m = m_gethdr(len);

	ck_assert_ptr_nonnull(m);
	for (size_t i = 0; i < len; i++)
		m->m_data[i] = (uint8_t)(i + seed);
	return m;
}

static struct ksockaddr *
sin4(struct ksockaddr_in *sin, const char *addr)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = tn_addr(addr);
	return (struct ksockaddr *)sin;
}

static struct ksockaddr *
sin6(struct ksockaddr_in6 *s, const uint8_t addr[16])
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	memcpy(s->sin6_addr.s6_addr, addr, 16);
	return (struct ksockaddr *)s;
}

static int
addaddr(struct ifnet *ifp, const char *addr, unsigned plen)
{
	return in_addaddr(ifp, tn_addr(addr), plen, 0);
}

/* ------------------------------------------------------------ lo0, boot */

START_TEST(test_lo0_at_boot)
{
	struct ifnet *lo0 = if_byname(tn_ns, "lo0");
	struct in_ifaddr *ia;
	struct rtentry *rt;
	uint32_t lo = tn_addr("127.0.0.1"), net = tn_addr("127.0.0.0");

	ck_assert_ptr_nonnull(lo0);
	ck_assert_ptr_eq(lo0, if_lo0(tn_ns));
	ck_assert_ptr_eq(if_byindex(tn_ns, 1), lo0);
	ck_assert_int_eq(lo0->if_type, IFT_LOOP);
	ck_assert_int_eq(lo0->if_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING |
	    IFF_MULTICAST);
	ck_assert_uint_eq(lo0->if_mtu, LOMTU);
	ia = in_ifaddr_primary(lo0);
	ck_assert_ptr_nonnull(ia);
	ck_assert_uint_eq(ia->ia_addr, lo);
	ck_assert_uint_eq(ia->ia_plen, 8);
	ck_assert_uint_eq(ia->ia_broadaddr, 0);
	rt = rt_lookup_exact(tn_ns, AF_INET, &lo, 32);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_HOST | RTF_LOCAL);
	ck_assert_ptr_eq(rt->rt_ifp, lo0);
	rt = rt_lookup_exact(tn_ns, AF_INET, &net, 8);
	ck_assert_ptr_nonnull(rt);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_CONNECTED);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.lo0.ipackets"), 0);
	ck_assert_uint_eq(tn_sysctl("net.link.loopq.maxlen"), 512);
	ck_assert_int_eq(if_clone_destroy(tn_ns, "lo0"), EPERM);
}
END_TEST

/* --------------------------------------------------------------- cloners */

/* Applied in order: each row sees the interfaces of the rows above. */
static const struct {
	const char	*name;
	int		 error;
	const char	*created;
	unsigned	 index;
} clone_rows[] = {
	{ "fake", 0, "fake0", 2 },		/* lowest free unit */
	{ "fake", 0, "fake1", 3 },
	{ "fake3", 0, "fake3", 4 },		/* exactly that unit */
	{ "fake3", EEXIST, NULL, 0 },
	{ "fake", 0, "fake2", 5 },		/* fills the gap */
	{ "fake", 0, "fake4", 6 },
	{ "fake0", EEXIST, NULL, 0 },
	{ "fake32767", 0, "fake32767", 7 },	/* highest unit */
	{ "fake32768", EINVAL, NULL, 0 },
	{ "fake03", EINVAL, NULL, 0 },		/* leading zero */
	{ "nosuch0", EINVAL, NULL, 0 },		/* no such cloner */
	{ "nosuch", EINVAL, NULL, 0 },
	{ "", EINVAL, NULL, 0 },
	{ "42", EINVAL, NULL, 0 },		/* no cloner name */
	{ "fakefakefakefake", EINVAL, NULL, 0 },	/* 16 characters */
	{ "lo", 0, "lo1", 8 },
	{ "lo0", EEXIST, NULL, 0 },
};

START_TEST(test_clone_names)
{
	for (size_t i = 0; i < nitems(clone_rows); i++) {
		struct ifnet *ifp = NULL;
		int rv = if_clone_create_ifp(tn_ns, clone_rows[i].name, &ifp);

		ck_assert_msg(rv == clone_rows[i].error, "%s: %d, want %d",
		    clone_rows[i].name, rv, clone_rows[i].error);
		if (rv != 0)
			continue;
		ck_assert_str_eq(ifp->if_xname, clone_rows[i].created);
		ck_assert_uint_eq(ifp->if_index, clone_rows[i].index);
		ck_assert_ptr_eq(if_byname(tn_ns, clone_rows[i].created), ifp);
		ck_assert_ptr_eq(if_byindex(tn_ns, ifp->if_index), ifp);
	}
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake1.opackets"), 0);

	/* Destroy frees the name, the index and the counters. */
	ck_assert_int_eq(if_clone_destroy(tn_ns, "fake1"), 0);
	ck_assert_ptr_null(if_byname(tn_ns, "fake1"));
	ck_assert_ptr_null(if_byindex(tn_ns, 3));
	ck_assert_int_eq(sysctl_byname(tn_ns, "net.interfaces.fake1.opackets",
	    NULL, NULL, NULL, 0), ENOENT);
	ck_assert_int_eq(if_clone_destroy(tn_ns, "fake1"), ENXIO);
	ck_assert_int_eq(if_clone_destroy(tn_ns, "nosuch"), ENXIO);
	ck_assert_int_eq(if_clone_create(tn_ns, "fake"), 0);
	ck_assert_uint_eq(if_byname(tn_ns, "fake1")->if_index, 3);
	ck_assert_int_eq(if_clone_destroy(tn_ns, "lo1"), 0);
	/* Registering a cloner twice, or a bad name. */
	ck_assert_int_eq(if_clone_register(tn_ns, &lo_cloner), EEXIST);
}
END_TEST

START_TEST(test_clone_destroy_cleans_up)
{
	struct ifnet *ifp = fake_create_up(5);
	uint32_t a = tn_addr("198.51.100.1"), net = tn_addr("198.51.100.0");
	uint32_t dst = tn_addr("203.0.113.0"), gw = tn_addr("198.51.100.2");
	struct fake_softc *sc = fake_softc(ifp);
	struct ksockaddr_in sin;
	uint64_t before;

	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &dst, 24, &gw, NULL,
	    RTF_STATIC, NULL), 0);
	ck_assert_ptr_eq(rt_lookup_exact(tn_ns, AF_INET, &dst, 24)->rt_ifp,
	    ifp);
	ck_assert_uint_eq(sc->fs_stops, 0);
	/* A looped broadcast is waiting for input on the interface. */
	ck_assert_int_eq(ether_output(ifp, mkpacket(20, 0),
	    sin4(&sin, "198.51.100.255")), 0);
	before = tn_sysctl("net.link.stats.ifdown");
	ck_assert_int_eq(if_clone_destroy(tn_ns, "fake5"), 0);
	ck_assert_uint_eq(tn_sysctl("net.link.stats.ifdown"), before + 1);
	tn_advance(0);
	ck_assert_ptr_null(rxq.mq_head);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &a, 32));
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &net, 24));
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &dst, 24));
	ck_assert_ptr_null(in_ifaddr_lookup(tn_ns, a));
}
END_TEST

/* ------------------------------------------------------------ flags, up */

START_TEST(test_flags_up_down)
{
	struct ifnet *ifp = fake_create(0);
	struct fake_softc *sc = fake_softc(ifp);
	struct in_ifaddr *ia;

	ck_assert_int_eq(ifp->if_flags, IFF_BROADCAST | IFF_MULTICAST);
	ck_assert_int_eq(ifp->if_extflags, IFEF_SIMPLEX);
	ck_assert_uint_eq(ifp->if_mtu, ETHERMTU);
	ck_assert_mem_eq(ifp->if_lladdr, mac_fake0, 6);

	/* An address added while down is detached. */
	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ia = in_ifaddr_primary(ifp);
	ck_assert_uint_eq(ia->ia_ifa.ifa_flags, IN_IFF_DETACHED);

	/* if_init's error propagates and nothing changes. */
	sc->fs_initerr = ENXIO;
	ck_assert_int_eq(if_setflags(ifp, ifp->if_flags | IFF_UP), ENXIO);
	ck_assert_int_eq(ifp->if_flags, IFF_BROADCAST | IFF_MULTICAST);
	sc->fs_initerr = 0;

	ck_assert_int_eq(if_setflags(ifp, ifp->if_flags | IFF_UP), 0);
	ck_assert_int_eq(ifp->if_flags, IFF_UP | IFF_RUNNING | IFF_BROADCAST |
	    IFF_MULTICAST);
	ck_assert_uint_eq(sc->fs_inits, 1);
	ck_assert_uint_eq(ia->ia_ifa.ifa_flags, 0);
	fake_tx_clear(ifp);		/* the announcement */
	ck_assert_int_eq(if_setflags(ifp, ifp->if_flags), 0);
	ck_assert_uint_eq(sc->fs_inits, 1);

	/* Settable flags change; the others cannot be set or cleared. */
	ck_assert_int_eq(if_setflags(ifp, IFF_UP | IFF_NOARP | IFF_PROMISC |
	    IFF_LOOPBACK | IFF_POINTOPOINT), 0);
	ck_assert_int_eq(ifp->if_flags, IFF_UP | IFF_RUNNING | IFF_BROADCAST |
	    IFF_MULTICAST | IFF_NOARP | IFF_PROMISC);

	ck_assert_int_eq(if_setflags(ifp, 0), 0);
	ck_assert_int_eq(ifp->if_flags, IFF_BROADCAST | IFF_MULTICAST);
	ck_assert_uint_eq(sc->fs_stops, 1);
	ck_assert_uint_eq(ia->ia_ifa.ifa_flags, IN_IFF_DETACHED);
	fake_expect_no_tx(ifp);
}
END_TEST

static const struct {
	uint32_t	cap;
	uint32_t	tx;
	uint32_t	rx;
} cap_rows[] = {
	{ 0, 0, 0 },
	{ IFCAP_CSUM_IPv4_Tx, M_CSUM_IPv4, 0 },
	{ IFCAP_CSUM_TCPv4_Tx, M_CSUM_TCPv4, 0 },
	{ IFCAP_CSUM_UDPv4_Tx, M_CSUM_UDPv4, 0 },
	{ IFCAP_CSUM_TCPv6_Tx, M_CSUM_TCPv6, 0 },
	{ IFCAP_CSUM_UDPv6_Tx, M_CSUM_UDPv6, 0 },
	{ IFCAP_TSOv4, M_CSUM_TSOv4, 0 },
	{ IFCAP_TSOv6, M_CSUM_TSOv6, 0 },
	{ IFCAP_CSUM_IPv4_Rx, 0, M_CSUM_IPv4 },
	{ IFCAP_CSUM_TCPv4_Rx, 0, M_CSUM_TCPv4 },
	{ IFCAP_CSUM_UDPv4_Rx, 0, M_CSUM_UDPv4 },
	{ IFCAP_CSUM_TCPv6_Rx, 0, M_CSUM_TCPv6 },
	{ IFCAP_CSUM_UDPv6_Rx, 0, M_CSUM_UDPv6 },
	{ IFCAP_LRO, 0, 0 },
	/* The RUMP_SHMIF_CAPENABLE values of DESIGN.md: all, TX, RX. */
	{ 0x7ff80, 0x373, 0x73 },
	{ 0x6aa80, 0x373, 0 },
	{ 0x15500, 0, 0x73 },
};

START_TEST(test_capenable_map)
{
	struct ifnet *ifp = fake_create(0);

	ifp->if_capenable = cap_rows[_i].cap;
	if_capenable_update(ifp);
	ck_assert_msg(ifp->if_csum_flags_tx == cap_rows[_i].tx &&
	    ifp->if_csum_flags_rx == cap_rows[_i].rx,
	    "capenable %#x: tx %#x rx %#x, want %#x %#x", cap_rows[_i].cap,
	    ifp->if_csum_flags_tx, ifp->if_csum_flags_rx, cap_rows[_i].tx,
	    cap_rows[_i].rx);
}
END_TEST

/* ------------------------------------------------------- Ethernet input */

/* Frames built from (destination, EtherType, length); source mac_peer. */
static const struct {
	const char	*name;
	uint8_t		 dst[6];
	uint16_t	 type;
	size_t		 len;
	bool		 delivered;
	uint32_t	 mflags;
	uint64_t	 ipackets, ierrors, noproto, imcasts;
	const char	*linkstat;	/* net.link.stats.X incremented */
} ein_rows[] = {
	{ "runt", { 0x02, 0, 0, 0, 0x01, 0 }, TYPE_TEST, 13, false, 0,
	  0, 1, 0, 0, "runt" },
	{ "unicast to us", { 0x02, 0, 0, 0, 0x01, 0 }, TYPE_TEST, 60, true, 0,
	  1, 0, 0, 0, NULL },
	{ "header only", { 0x02, 0, 0, 0, 0x01, 0 }, TYPE_TEST, 14, true, 0,
	  1, 0, 0, 0, NULL },
	{ "broadcast", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, TYPE_TEST, 60,
	  true, M_BCAST, 1, 0, 0, 1, NULL },
	{ "multicast", { 0x01, 0x00, 0x5e, 0, 0, 1 }, TYPE_TEST, 60, true,
	  M_MCAST, 1, 0, 0, 1, NULL },
	{ "another station", { 0x02, 0, 0, 0, 0x09, 0x09 }, TYPE_TEST, 60,
	  false, 0, 1, 0, 0, 0, "notforus" },
	{ "unknown type", { 0x02, 0, 0, 0, 0x01, 0 }, TYPE_UNKNOWN, 60, false,
	  0, 1, 0, 1, 0, "noproto" },
	{ "802.1Q tag", { 0x02, 0, 0, 0, 0x01, 0 }, ETHERTYPE_VLAN, 64, false,
	  0, 1, 0, 1, 0, "vlan" },
	{ "802.3 length", { 0x02, 0, 0, 0, 0x01, 0 }, 46, 60, false, 0,
	  1, 0, 1, 0, "noproto" },
};

START_TEST(test_ether_input)
{
	struct ifnet *ifp = fake_create_up(0);
	uint8_t frame[128];
	char stat[64];
	uint64_t before = 0;
	struct mbuf *m;

	memcpy(frame, ein_rows[_i].dst, 6);
	memcpy(frame + 6, mac_peer, 6);
	be16enc(frame + 12, ein_rows[_i].type);
	for (size_t i = 14; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	if (ein_rows[_i].linkstat != NULL) {
		snprintf(stat, sizeof(stat), "net.link.stats.%s",
		    ein_rows[_i].linkstat);
		before = tn_sysctl(stat);
	}
	if_zero_stats(ifp);
	fake_input(ifp, frame, ein_rows[_i].len);

	ck_assert_uint_eq(ifp->if_stats[IF_STAT_IPACKETS], ein_rows[_i].ipackets);
	ck_assert_uint_eq(ifp->if_stats[IF_STAT_IERRORS], ein_rows[_i].ierrors);
	ck_assert_uint_eq(ifp->if_stats[IF_STAT_NOPROTO], ein_rows[_i].noproto);
	ck_assert_uint_eq(ifp->if_stats[IF_STAT_IMCASTS], ein_rows[_i].imcasts);
	if (ein_rows[_i].ipackets)
		ck_assert_uint_eq(ifp->if_stats[IF_STAT_IBYTES],
		    ein_rows[_i].len);
	if (ein_rows[_i].linkstat != NULL)
		ck_assert_uint_eq(tn_sysctl(stat), before + 1);
	m = mq_dequeue(&rxq);
	if (!ein_rows[_i].delivered) {
		ck_assert_msg(m == NULL, "%s delivered", ein_rows[_i].name);
		return;
	}
	ck_assert_msg(m != NULL, "%s not delivered", ein_rows[_i].name);
	ck_assert_uint_eq(m->m_len, ein_rows[_i].len - ETHER_HDR_LEN);
	ck_assert_ptr_eq(m->m_pkthdr.rcvif, ifp);
	ck_assert_uint_eq(m->m_flags & (M_BCAST | M_MCAST),
	    ein_rows[_i].mflags);
	if (m->m_len > 0)
		ck_assert_uint_eq(m->m_data[0], 14);
	m_freem(m);
}
END_TEST

START_TEST(test_ether_input_down)
{
	struct ifnet *ifp = fake_create(0);
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint64_t before = tn_sysctl("net.link.stats.ifdown");

	be16enc(frame + 12, TYPE_TEST);
	fake_input(ifp, frame, sizeof(frame));
	ck_assert_ptr_null(rxq.mq_head);
	ck_assert_uint_eq(ifp->if_stats[IF_STAT_IQDROPS], 1);
	ck_assert_uint_eq(tn_sysctl("net.link.stats.ifdown"), before + 1);
	/* Registration: duplicates, removal. */
	ck_assert_int_eq(ether_register_input(tn_ns, TYPE_TEST, rx_handler), 0);
	ck_assert_int_eq(ether_register_input(tn_ns, TYPE_TEST, rx_other),
	    EEXIST);
	ck_assert_int_eq(ether_register_input(tn_ns, TYPE_TEST, NULL), 0);
	ck_assert_ptr_null(ether_handler(tn_ns, TYPE_TEST));
}
END_TEST

/* ------------------------------------------------------ Ethernet output */

/* Destination MACs of IPv4 next hops without ARP. */
static const struct {
	const char	*dst;
	uint8_t		 edst[6];
	uint32_t	 mflags;
} eout4_rows[] = {
	{ "198.51.100.255", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, M_BCAST },
	{ "255.255.255.255", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, M_BCAST },
	{ "198.51.100.0", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, M_BCAST },
	/* RFC 1112 6.4: 01:00:5e + low 23 bits. */
	{ "224.0.0.1", { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 }, M_MCAST },
	{ "239.255.255.250", { 0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa }, M_MCAST },
	{ "232.128.2.3", { 0x01, 0x00, 0x5e, 0x00, 0x02, 0x03 }, M_MCAST },
};

START_TEST(test_ether_output_inet)
{
	struct ifnet *ifp = fake_create_up(0);
	struct ksockaddr_in sin;
	struct mbuf *m;
	uint8_t exp[14 + 20];

	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	fake_tx_clear(ifp);
	ck_assert_int_eq(ether_output(ifp, mkpacket(20, 0x40),
	    sin4(&sin, eout4_rows[_i].dst)), 0);
	memcpy(exp, eout4_rows[_i].edst, 6);
	memcpy(exp + 6, mac_fake0, 6);
	be16enc(exp + 12, ETHERTYPE_IP);
	for (size_t i = 0; i < 20; i++)
		exp[14 + i] = (uint8_t)(0x40 + i);
	fake_expect_tx(ifp, exp, sizeof(exp));
	fake_expect_no_tx(ifp);

	/* SIMPLEX: our own broadcasts come back through input, later. */
	ck_assert_ptr_null(rxq.mq_head);
	tn_advance(0);
	m = mq_dequeue(&rxq);
	if (eout4_rows[_i].mflags != M_BCAST) {
		ck_assert_ptr_null(m);
		return;
	}
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_eq(m->m_pkthdr.rcvif, ifp);
	ck_assert_uint_eq(m->m_flags & (M_BCAST | M_LOOP), M_BCAST | M_LOOP);
	ck_assert_uint_eq(m->m_len, 20);
	ck_assert_mem_eq(m->m_data, exp + 14, 20);
	m_freem(m);
	ck_assert_ptr_null(rxq.mq_head);
}
END_TEST

static int resolve6_calls;
static int
resolve6(struct ifnet *ifp, struct mbuf *m, const struct ksockaddr *dst,
    uint8_t lla[ETHER_ADDR_LEN])
{
	resolve6_calls++;
	if (resolve6_calls > 1) {	/* "queued" */
		m_freem(m);
		return EWOULDBLOCK;
	}
	memcpy(lla, mac_peer, 6);
	return 0;
}

START_TEST(test_ether_output_errors)
{
	struct ifnet *ifp = fake_create(0);
	struct ksockaddr_in sin;
	struct ksockaddr_in6 s6;
	struct ksockaddr sa = { .sa_family = AF_PACKET };
	static const uint8_t allnodes[16] = { 0xff, 0x02, [15] = 0x01 };
	static const uint8_t solicited[16] = { 0xff, 0x02, [11] = 0x01,
	    [12] = 0xff, [13] = 0x00, [14] = 0x00, [15] = 0x02 };
	static const uint8_t unicast[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct mbuf *m;

	/* Down. */
	ck_assert_int_eq(ether_output(ifp, mkpacket(20, 0),
	    sin4(&sin, "198.51.100.255")), ENETDOWN);
	ck_assert_int_eq(if_setflags(ifp, IFF_UP), 0);
	/* Longer than the MTU, unless it is a TSO super-packet. */
	ck_assert_int_eq(ether_output(ifp, mkpacket(ETHERMTU + 1, 0),
	    sin4(&sin, "255.255.255.255")), EMSGSIZE);
	m = mkpacket(ETHERMTU + 1, 0);
	m->m_pkthdr.csum_flags = M_CSUM_TSOv4;
	ck_assert_int_eq(ether_output(ifp, m, sin4(&sin, "224.0.0.1")), 0);
	fake_tx_clear(ifp);
	ck_assert_int_eq(ether_output(ifp, mkpacket(20, 0), &sa),
	    EAFNOSUPPORT);
	ck_assert_uint_eq(ifp->if_stats[IF_STAT_OERRORS], 3);

	/* IPv6 multicast maps to 33:33 + low 32 bits (RFC 2464 7). */
	ck_assert_int_eq(ether_output(ifp, mkpacket(40, 0),
	    sin6(&s6, allnodes)), 0);
	ck_assert_int_eq(ether_output(ifp, mkpacket(40, 0),
	    sin6(&s6, solicited)), 0);
	m = fake_tx_pop(ifp);
	ck_assert_mem_eq(m->m_data, ((uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }),
	    6);
	ck_assert_uint_eq(be16dec(m->m_data + 12), ETHERTYPE_IPV6);
	m_freem(m);
	m = fake_tx_pop(ifp);
	ck_assert_mem_eq(m->m_data, ((uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, 2 }),
	    6);
	m_freem(m);
	/* Unicast needs the resolver of netinet6. */
	ck_assert_int_eq(ether_output(ifp, mkpacket(40, 0),
	    sin6(&s6, unicast)), EAFNOSUPPORT);
	ck_assert_int_eq(ether_register_resolver(tn_ns, AF_INET, resolve6),
	    EAFNOSUPPORT);
	ck_assert_int_eq(ether_register_resolver(tn_ns, AF_INET6, resolve6),
	    0);
	ck_assert_int_eq(ether_output(ifp, mkpacket(40, 0),
	    sin6(&s6, unicast)), 0);
	m = fake_tx_pop(ifp);
	ck_assert_mem_eq(m->m_data, mac_peer, 6);
	m_freem(m);
	/* Queued by the resolver: sent as far as the caller knows. */
	ck_assert_int_eq(ether_output(ifp, mkpacket(40, 0),
	    sin6(&s6, unicast)), 0);
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(resolve6_calls, 2);
	resolve6_calls = 0;
}
END_TEST

/* ------------------------------------------------------------- loopback */

START_TEST(test_loopback)
{
	struct ifnet *lo0 = if_lo0(tn_ns);
	struct ksockaddr_in sin;
	struct ksockaddr_in6 s6;
	static const uint8_t lo6[16] = { [15] = 1 };
	struct mbuf *m;

	ck_assert_int_eq((*lo0->if_output)(lo0, mkpacket(30, 1),
	    sin4(&sin, "127.0.0.1")), 0);
	ck_assert_int_eq((*lo0->if_output)(lo0, mkpacket(50, 2),
	    sin6(&s6, lo6)), 0);
	/* Not re-entrant: nothing arrives until the deferred queue runs. */
	ck_assert_ptr_null(rxq.mq_head);
	ck_assert_uint_eq(lo0->if_stats[IF_STAT_OPACKETS], 2);
	ck_assert_uint_eq(lo0->if_stats[IF_STAT_OBYTES], 80);
	tn_advance(0);
	m = mq_dequeue(&rxq);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->m_len, 30);
	ck_assert_uint_eq(m->m_data[0], 1);
	ck_assert_ptr_eq(m->m_pkthdr.rcvif, lo0);
	ck_assert(m->m_flags & M_LOOP);
	m_freem(m);
	m = mq_dequeue(&rxq);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->m_len, 50);
	m_freem(m);
	ck_assert_uint_eq(lo0->if_stats[IF_STAT_IPACKETS], 2);
	ck_assert_uint_eq(lo0->if_stats[IF_STAT_IBYTES], 80);

	/* Only IPv4 and IPv6; not while down. */
	ck_assert_int_eq((*lo0->if_output)(lo0, mkpacket(30, 1),
	    &(struct ksockaddr){ .sa_family = AF_PACKET }), EAFNOSUPPORT);
	ck_assert_int_eq(if_setflags(lo0, 0), 0);
	ck_assert_int_eq((*lo0->if_output)(lo0, mkpacket(30, 1),
	    sin4(&sin, "127.0.0.1")), ENETDOWN);
	ck_assert_int_eq(if_setflags(lo0, IFF_UP), 0);

	/* A full queue drops and counts. */
	tn_sysctl_set("net.link.loopq.maxlen", 2);
	for (int i = 0; i < 3; i++)
		(void)(*lo0->if_output)(lo0, mkpacket(30, 1),
		    sin4(&sin, "127.0.0.1"));
	ck_assert_uint_eq(tn_sysctl("net.link.stats.loopdrops"), 1);
	ck_assert_uint_eq(lo0->if_stats[IF_STAT_IQDROPS], 1);
	tn_advance(0);
	ck_assert_uint_eq(rxq.mq_len, 2);
}
END_TEST

/* A packet that bounces forever: each run is bounded, and after
 * IF_DEFER_BURST runs at one instant the rest waits for the next. */
START_TEST(test_loopback_storm)
{
	struct ifnet *lo0 = if_lo0(tn_ns);
	struct ksockaddr_in sin;

	rx_echo = 1;
	ck_assert_int_eq((*lo0->if_output)(lo0, mkpacket(30, 1),
	    sin4(&sin, "127.0.0.1")), 0);
	tn_advance(0);
	ck_assert_uint_eq(rx_echo - 1, IF_DEFER_BURST);
	tn_advance(1);
	ck_assert_uint_eq(rx_echo - 1, 2 * IF_DEFER_BURST);
	/* The instance is destroyed with the packet still bouncing. */
}
END_TEST

/* --------------------------------------------------------------- routes */

struct rt4_route {
	const char	*dst;
	unsigned	 plen;
	const char	*gw;		/* NULL: interface route on fake0 */
};

/* In order: gateways need the interface route first. */
static const struct rt4_route rt4_routes[] = {
	{ "198.51.100.0", 24, NULL },
	{ "0.0.0.0", 0, "198.51.100.1" },
	{ "203.0.0.0", 16, "198.51.100.2" },
	{ "198.51.100.64", 26, "198.51.100.3" },
	{ "198.51.100.77", 32, "198.51.100.4" },
	{ "198.51.100.128", 25, NULL },
};

static const struct {
	const char	*dst;
	const char	*match;		/* destination of the route found */
	unsigned	 plen;
} rt4_lookups[] = {
	{ "198.51.100.77", "198.51.100.77", 32 },	/* host */
	{ "198.51.100.76", "198.51.100.64", 26 },
	{ "198.51.100.127", "198.51.100.64", 26 },
	{ "198.51.100.63", "198.51.100.0", 24 },
	{ "198.51.100.5", "198.51.100.0", 24 },
	{ "198.51.100.200", "198.51.100.128", 25 },
	{ "203.0.113.9", "203.0.0.0", 16 },
	{ "203.0.113.255", "203.0.0.0", 16 },
	{ "127.0.0.1", "127.0.0.1", 32 },
	{ "127.0.0.2", "127.0.0.0", 8 },
};

static void
add_rt4_routes(struct ifnet *ifp)
{
	for (size_t i = 0; i < nitems(rt4_routes); i++) {
		uint32_t d = tn_addr(rt4_routes[i].dst), g;
		int rv;

		if (rt4_routes[i].gw != NULL) {
			g = tn_addr(rt4_routes[i].gw);
			rv = rt_add(tn_ns, AF_INET, &d, rt4_routes[i].plen, &g,
			    NULL, RTF_STATIC, NULL);
		} else
			rv = rt_add(tn_ns, AF_INET, &d, rt4_routes[i].plen,
			    NULL, ifp, RTF_STATIC, NULL);
		ck_assert_msg(rv == 0, "%s/%u: %d", rt4_routes[i].dst,
		    rt4_routes[i].plen, rv);
	}
}

START_TEST(test_route_lpm)
{
	struct ifnet *ifp = fake_create_up(0);
	uint32_t d = tn_addr(rt4_lookups[_i].dst);
	struct rtentry *rt;

	add_rt4_routes(ifp);
	rt = rt_lookup(tn_ns, AF_INET, &d);
	ck_assert_msg(rt != NULL, "%s: no route", rt4_lookups[_i].dst);
	ck_assert_msg(memcmp(rt->rt_dst, &(uint32_t){
	    tn_addr(rt4_lookups[_i].match) }, 4) == 0 &&
	    rt->rt_plen == rt4_lookups[_i].plen, "%s: matched /%u",
	    rt4_lookups[_i].dst, rt->rt_plen);
}
END_TEST

START_TEST(test_route_ops)
{
	struct ifnet *ifp = fake_create_up(0), *ifp1 = fake_create_up(1);
	uint32_t d, g, net;
	struct rtentry *rt, *prev;
	unsigned n;

	add_rt4_routes(ifp);
	/* Flags the table sets. */
	d = tn_addr("198.51.100.77");
	rt = rt_lookup_exact(tn_ns, AF_INET, &d, 32);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_GATEWAY | RTF_HOST |
	    RTF_STATIC);
	ck_assert_ptr_eq(rt->rt_ifp, ifp);
	ck_assert_uint_eq(rt->rt_gateway[3], 4);
	d = tn_addr("198.51.100.0");
	rt = rt_lookup_exact(tn_ns, AF_INET, &d, 24);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_STATIC);
	ck_assert_uint_eq(rt->rt_mask[2], 0xff);
	ck_assert_uint_eq(rt->rt_mask[3], 0);

	/* Exact lookups mask the key; duplicates are refused. */
	d = tn_addr("198.51.100.99");
	ck_assert_ptr_eq(rt_lookup_exact(tn_ns, AF_INET, &d, 24), rt);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 24, NULL, ifp, 0, NULL),
	    EEXIST);
	/* Gateways must be on a link. */
	d = tn_addr("203.0.113.0");
	g = tn_addr("203.0.113.200");	/* only through 203.0/16's gateway */
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 24, &g, NULL, 0, NULL),
	    ENETUNREACH);
	g = tn_addr("198.51.100.9");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 24, &g, NULL, 0, &rt), 0);
	ck_assert_ptr_eq(rt->rt_ifp, ifp);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 33, NULL, ifp, 0, NULL),
	    EINVAL);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 28, NULL, NULL, 0, NULL),
	    EINVAL);
	ck_assert_int_eq(rt_add(tn_ns, AF_PACKET, &d, 8, NULL, ifp, 0, NULL),
	    EINVAL);

	/* Delete: the /26 goes, its addresses fall to the /24. */
	d = tn_addr("198.51.100.64");
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 26), 0);
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 26), ESRCH);
	d = tn_addr("198.51.100.70");
	ck_assert_uint_eq(rt_lookup(tn_ns, AF_INET, &d)->rt_plen, 24);
	/* Without the /16, 203.0.113.9 takes the default route. */
	d = tn_addr("203.0.0.0");
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 16), 0);
	d = tn_addr("203.0.113.9");
	ck_assert_uint_eq(rt_lookup(tn_ns, AF_INET, &d)->rt_plen, 24);
	d = tn_addr("203.0.113.209");
	ck_assert_uint_eq(rt_lookup(tn_ns, AF_INET, &d)->rt_plen, 24);
	d = tn_addr("203.0.113.0");
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 24), 0);
	d = tn_addr("203.0.113.9");
	ck_assert_uint_eq(rt_lookup(tn_ns, AF_INET, &d)->rt_plen, 0);

	/* The list is sorted by (destination, prefix length). */
	n = 0;
	prev = NULL;
	for (rt = rt_next(tn_ns, AF_INET, NULL); rt != NULL;
	    rt = rt_next(tn_ns, AF_INET, rt)) {
		if (prev != NULL) {
			int c = memcmp(prev->rt_dst, rt->rt_dst, 4);
			ck_assert(c < 0 || (c == 0 &&
			    prev->rt_plen < rt->rt_plen));
		}
		prev = rt;
		n++;
	}
	/* default, 127/8, 127.0.0.1, 198.51.100/24, .77, .128/25 */
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(rt_next(tn_ns, AF_INET, NULL)->rt_plen, 0);

	/* Purge: routes through fake1 only. */
	net = tn_addr("203.0.113.0");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &net, 24, NULL, ifp1, 0, NULL),
	    0);
	rt_purge_ifp(tn_ns, ifp1);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &net, 24));
	d = tn_addr("198.51.100.77");
	ck_assert_ptr_nonnull(rt_lookup_exact(tn_ns, AF_INET, &d, 32));

	/* Flush keeps local and connected routes. */
	ck_assert_int_eq(addaddr(ifp1, "203.0.113.1", 24), 0);
	rt_flush(tn_ns, AF_INET);
	n = 0;
	for (rt = rt_next(tn_ns, AF_INET, NULL); rt != NULL;
	    rt = rt_next(tn_ns, AF_INET, rt)) {
		ck_assert(rt->rt_flags & (RTF_LOCAL | RTF_CONNECTED));
		n++;
	}
	ck_assert_uint_eq(n, 4);	/* 127/8, 127.0.0.1, 203.0.113/24, .1 */
	ck_assert_uint_ge(tn_sysctl("net.route.stats.added"), 10);
}
END_TEST

static void
in6(uint8_t *a, const char *s)
{
	/* Tiny parser for the test's 2001:db8:... forms: groups, "::". */
	unsigned g[8] = { 0 }, n = 0, tail = 0, v;
	const char *p = s, *dc = strstr(s, "::");
	int k;

	while (*p != '\0' && (dc == NULL || p < dc)) {
		ck_assert_int_eq(sscanf(p, "%x%n", &v, &k), 1);
		g[n++] = v;
		p += k;
		if (*p == ':' && p != dc)
			p++;
	}
	if (dc != NULL) {
		unsigned t[8], m = 0;

		p = dc + 2;
		while (*p != '\0') {
			ck_assert_int_eq(sscanf(p, "%x%n", &v, &k), 1);
			t[m++] = v;
			p += k;
			if (*p == ':')
				p++;
		}
		for (unsigned i = 0; i < m; i++)
			g[8 - m + i] = t[i];
		tail = m;
	}
	ck_assert_uint_le(n + tail, 8);
	for (unsigned i = 0; i < 8; i++) {
		a[2 * i] = (uint8_t)(g[i] >> 8);
		a[2 * i + 1] = (uint8_t)g[i];
	}
}

static const struct {
	const char	*dst;
	unsigned	 plen;
	bool		 gw;
} rt6_routes[] = {
	{ "::", 0, true },
	{ "2001:db8::", 32, false },
	{ "2001:db8:1::", 48, true },
	{ "2001:db8:1:8000::", 49, true },
	{ "2001:db8:1::", 127, true },
	{ "2001:db8:1::1", 128, true },
	{ "2001:db8:1:ff00::", 57, true },
	{ "2001:db8:1:ffff:ffff:ffff:ffff:fffe", 127, true },
};

static const struct {
	const char	*dst;
	unsigned	 plen;
} rt6_lookups[] = {
	{ "2001:db8:1::1", 128 },
	{ "2001:db8:1::", 127 },
	{ "2001:db8:1::2", 48 },
	{ "2001:db8:1:7fff::1", 48 },
	{ "2001:db8:1:8000::5", 49 },
	{ "2001:db8:1:ff7f::", 57 },
	{ "2001:db8:1:ff80::9", 49 },		/* bit 56 set: not the /57 */
	{ "2001:db8:1:ffff:ffff:ffff:ffff:ffff", 127 },
	{ "2001:db8:2::1", 32 },
	{ "2001:db8:ffff::", 32 },
};

/* Route messages (rtmsg.c): none logged before the first read, then
 * every change, numbered; a reader a ring behind is told its loss. */
static int
rtm_read(uint64_t after, struct rump_rtmsgreq *req)
{
	memset(req, 0, sizeof(*req));
	req->rmr_after = after;
	return ifioctl(tn_ns, NULL, RUMP_SIOCRTMREAD, req);
}

START_TEST(test_route_messages)
{
	struct ifnet *ifp = fake_create_up(0);
	struct rump_rtmsgreq req;
	uint32_t d = tn_addr("203.0.113.0"), g = tn_addr("198.51.100.9");
	uint64_t now;

	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.1"), 24, 0), 0);
	ck_assert_int_eq(rtm_read(RUMP_RTM_NOW, &req), 0);
	now = req.rmr_msg.rtm_seq;
	ck_assert_uint_eq(now, 0);		/* nothing kept so far */
	ck_assert_int_eq(rtm_read(now, &req), ETIMEDOUT);

	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 24, &g, NULL, RTF_STATIC,
	    NULL), 0);
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 24), 0);
	ck_assert_int_eq(rtm_read(now, &req), 0);
	ck_assert_uint_eq(req.rmr_msg.rtm_seq, 1);
	ck_assert_uint_eq(req.rmr_msg.rtm_type, RUMP_RTM_ADD);
	ck_assert_uint_eq(req.rmr_msg.rtm_flags, RUMP_RTF_UP |
	    RUMP_RTF_GATEWAY | RUMP_RTF_DONE | RUMP_RTF_STATIC);
	ck_assert_uint_eq(req.rmr_msg.rtm_addrs, RUMP_RTA_DST |
	    RUMP_RTA_GATEWAY | RUMP_RTA_NETMASK);
	ck_assert_uint_eq(req.rmr_msg.rtm_plen, 24);
	ck_assert_mem_eq(req.rmr_msg.rtm_dst, &d, 4);
	ck_assert_mem_eq(req.rmr_msg.rtm_gateway, &g, 4);
	ck_assert_uint_eq(req.rmr_msg.rtm_index, ifp->if_index);
	ck_assert_uint_eq(req.rmr_lost, 0);
	ck_assert_int_eq(rtm_read(1, &req), 0);
	ck_assert_uint_eq(req.rmr_msg.rtm_type, RUMP_RTM_DELETE);
	ck_assert(!(req.rmr_msg.rtm_flags & RUMP_RTF_UP));
	ck_assert_int_eq(rtm_read(2, &req), ETIMEDOUT);

	/* 300 more (3..302): the ring keeps 47..302, 3..46 are lost. */
	for (int i = 0; i < 150; i++) {
		ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 24, &g, NULL, 0,
		    NULL), 0);
		ck_assert_int_eq(rt_delete(tn_ns, AF_INET, &d, 24), 0);
	}
	ck_assert_int_eq(rtm_read(2, &req), 0);
	ck_assert_uint_eq(req.rmr_lost, 44);
	ck_assert_uint_eq(req.rmr_msg.rtm_seq, 47);
	ck_assert_int_eq(rtm_read(RUMP_RTM_NOW, &req), 0);
	ck_assert_uint_eq(req.rmr_msg.rtm_seq, 302);
	req.rmr_after = 0;
	req.rmr_timeout_ms = -1;
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCRTMREAD, &req), EINVAL);
}
END_TEST

START_TEST(test_route_inet6)
{
	struct ifnet *ifp = fake_create_up(0);
	uint8_t d[16], g[16];
	struct rtentry *rt;
	unsigned n;

	in6(g, "2001:db8::1");
	for (size_t i = 1; i < nitems(rt6_routes); i++) {
		in6(d, rt6_routes[i].dst);
		ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, rt6_routes[i].plen,
		    rt6_routes[i].gw ? g : NULL, rt6_routes[i].gw ? NULL : ifp,
		    0, NULL), 0);
	}
	in6(d, "::");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, 0, g, NULL, 0, NULL), 0);
	for (size_t i = 0; i < nitems(rt6_lookups); i++) {
		in6(d, rt6_lookups[i].dst);
		rt = rt_lookup(tn_ns, AF_INET6, d);
		ck_assert_msg(rt != NULL && rt->rt_plen == rt6_lookups[i].plen,
		    "%s: /%u", rt6_lookups[i].dst, rt ? rt->rt_plen : 999);
	}
	in6(d, "2001:db8:1::1");
	rt = rt_lookup_exact(tn_ns, AF_INET6, d, 128);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_GATEWAY | RTF_HOST);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, 129, g, NULL, 0, NULL),
	    EINVAL);
	/* Without the /32 the gateway is unreachable, and 2001:db8:2::1 takes
	 * the default route. */
	in6(d, "2001:db8::");
	ck_assert_int_eq(rt_delete(tn_ns, AF_INET6, d, 32), 0);
	in6(d, "2001:db8:2::1");
	ck_assert_uint_eq(rt_lookup(tn_ns, AF_INET6, d)->rt_plen, 0);
	in6(d, "2001:db8:3::");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, 48, g, NULL, 0, NULL),
	    ENETUNREACH);

	/* Many routes: the hash grows, every one is found, all listed. */
	in6(d, "2001:db8::");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, 32, NULL, ifp, 0, NULL),
	    0);
	for (unsigned i = 0; i < 2000; i++) {
		in6(d, "2001:db8:ffff::");
		be16enc(&d[14], (uint16_t)i);
		ck_assert_int_eq(rt_add(tn_ns, AF_INET6, d, i % 2 ? 128 : 127,
		    g, NULL, 0, NULL), 0);
	}
	for (unsigned i = 0; i < 2000; i += 7) {
		in6(d, "2001:db8:ffff::");
		be16enc(&d[14], (uint16_t)i);
		rt = rt_lookup(tn_ns, AF_INET6, d);
		ck_assert_uint_eq(rt->rt_plen, i % 2 ? 128 : 127);
	}
	n = 0;
	for (rt = rt_next(tn_ns, AF_INET6, NULL); rt != NULL;
	    rt = rt_next(tn_ns, AF_INET6, rt))
		n++;
	ck_assert_uint_eq(n, nitems(rt6_routes) + 2000);
	/* Purge removes the IPv6 routes through the interface too. */
	rt_purge_ifp(tn_ns, ifp);
	ck_assert_ptr_null(rt_next(tn_ns, AF_INET6, NULL));
}
END_TEST

/* ------------------------------------------------------------ addresses */

START_TEST(test_addr_routes)
{
	struct ifnet *ifp = fake_create_up(0), *ifp1 = fake_create_up(1);
	uint32_t a1 = tn_addr("198.51.100.1"), a2 = tn_addr("198.51.100.2");
	uint32_t a5 = tn_addr("198.51.100.5"), net = tn_addr("198.51.100.0");
	uint32_t h = tn_addr("203.0.113.9"), g = tn_addr("198.51.100.7");
	struct in_ifaddr *ia;
	struct rtentry *rt;

	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ia = in_ifaddr_lookup(tn_ns, a1);
	ck_assert_ptr_eq(ia, in_ifaddr_primary(ifp));
	ck_assert_ptr_eq(ia->ia_ifa.ifa_ifp, ifp);
	ck_assert_uint_eq(ia->ia_netmask, tn_addr("255.255.255.0"));
	ck_assert_uint_eq(ia->ia_subnet, net);
	ck_assert_uint_eq(ia->ia_broadaddr, tn_addr("198.51.100.255"));
	rt = rt_lookup_exact(tn_ns, AF_INET, &a1, 32);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_HOST | RTF_LOCAL);
	ck_assert_ptr_eq(rt->rt_ifp, if_lo0(tn_ns));
	ck_assert_mem_eq(rt->rt_ifaddr, &a1, 4);
	rt = rt_lookup_exact(tn_ns, AF_INET, &net, 24);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_CONNECTED);
	ck_assert_ptr_eq(rt->rt_ifp, ifp);
	ck_assert_mem_eq(rt->rt_ifaddr, &a1, 4);
	ck_assert(in_islocal(tn_ns, a1));

	/* An alias on the same subnet shares the connected route. */
	ck_assert_int_eq(addaddr(ifp, "198.51.100.2", 24), 0);
	ck_assert_ptr_eq(in_ifaddr_primary(ifp), ia);
	ck_assert_ptr_nonnull(rt_lookup_exact(tn_ns, AF_INET, &a2, 32));
	/* The same subnet on another interface, too. */
	ck_assert_int_eq(addaddr(ifp1, "198.51.100.5", 24), 0);
	ck_assert_ptr_eq(rt_lookup_exact(tn_ns, AF_INET, &net, 24)->rt_ifp,
	    ifp);
	/* The owner goes: the route passes to the next address. */
	ck_assert_int_eq(in_deladdr(ifp, a1), 0);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &a1, 32));
	ck_assert(!in_islocal(tn_ns, a1));
	rt = rt_lookup_exact(tn_ns, AF_INET, &net, 24);
	ck_assert_ptr_eq(rt->rt_ifp, ifp);
	ck_assert_mem_eq(rt->rt_ifaddr, &a2, 4);
	ck_assert_int_eq(in_deladdr(ifp, a2), 0);
	rt = rt_lookup_exact(tn_ns, AF_INET, &net, 24);
	ck_assert_ptr_eq(rt->rt_ifp, ifp1);
	ck_assert_int_eq(in_deladdr(ifp1, a5), 0);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &net, 24));
	ck_assert_int_eq(in_deladdr(ifp1, a5), EADDRNOTAVAIL);
	ck_assert_ptr_null(in_ifaddr_primary(ifp));

	/* /32: the local route only; it replaces a host route by hand. */
	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &h, 32, &g, NULL, RTF_STATIC,
	    NULL), 0);
	ck_assert_int_eq(addaddr(ifp1, "203.0.113.9", 32), 0);
	rt = rt_lookup_exact(tn_ns, AF_INET, &h, 32);
	ck_assert_int_eq(rt->rt_flags, RTF_UP | RTF_HOST | RTF_LOCAL);
	ck_assert_ptr_null(in_ifaddr_lookup(tn_ns, a5));
	ck_assert_int_eq(in_deladdr(ifp1, h), 0);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &h, 32));

	/* Updating the prefix moves the connected route. */
	ia = in_ifaddr_primary(ifp);
	ck_assert_int_eq(in_updateaddr(ia, 25, 0), 0);
	ck_assert_ptr_null(rt_lookup_exact(tn_ns, AF_INET, &net, 24));
	ck_assert_ptr_nonnull(rt_lookup_exact(tn_ns, AF_INET, &net, 25));
	ck_assert_uint_eq(ia->ia_broadaddr, tn_addr("198.51.100.127"));
}
END_TEST

static const struct {
	const char	*addr;
	unsigned	 plen;
	int		 error;
} addr_rows[] = {
	{ "198.51.100.1", 24, 0 },
	{ "198.51.100.1", 24, EEXIST },		/* on fake1 */
	{ "0.0.0.0", 0, EINVAL },
	{ "0.1.2.3", 8, EINVAL },		/* "this network" */
	{ "224.0.0.1", 24, EINVAL },
	{ "255.255.255.255", 32, EINVAL },
	{ "198.51.100.0", 24, EINVAL },		/* host part zero */
	{ "198.51.100.255", 24, EINVAL },	/* ... all ones */
	{ "198.51.100.255", 25, EINVAL },	/* broadcast of .128/25 */
	{ "198.51.100.255", 32, 0 },
	{ "203.0.113.0", 31, 0 },		/* RFC 3021 */
	{ "203.0.113.3", 33, EINVAL },
	{ "203.0.113.4", 32, 0 },
};

START_TEST(test_addr_errors)
{
	struct ifnet *ifp = fake_create(0), *ifp1 = fake_create(1);

	for (size_t i = 0; i < nitems(addr_rows); i++) {
		int rv = addaddr(i == 1 ? ifp1 : ifp, addr_rows[i].addr,
		    addr_rows[i].plen);

		ck_assert_msg(rv == addr_rows[i].error, "%s/%u: %d",
		    addr_rows[i].addr, addr_rows[i].plen, rv);
	}
}
END_TEST

static const struct {
	const char	*addr;
	const char	*ifname;
	bool		 bcast;
} bcast_rows[] = {
	{ "255.255.255.255", "fake0", true },
	{ "0.0.0.0", "fake0", true },
	{ "198.51.100.255", "fake0", true },	/* directed */
	{ "198.51.100.0", "fake0", true },	/* all-zeros host */
	{ "198.51.100.1", "fake0", false },
	{ "198.51.100.254", "fake0", false },
	{ "203.0.113.255", "fake0", false },	/* fake1's subnet */
	{ "203.0.113.255", "fake1", true },
	{ "203.0.113.8", "fake0", false },	/* /31: no broadcast */
	{ "203.0.113.9", "fake0", false },
	{ "127.255.255.255", "lo0", false },	/* lo0: not IFF_BROADCAST */
	{ "255.255.255.255", "lo0", true },
	{ "224.0.0.1", "fake0", false },
};

START_TEST(test_in_broadcast)
{
	struct ifnet *ifp = fake_create(0), *ifp1 = fake_create(1);

	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ck_assert_int_eq(addaddr(ifp, "203.0.113.8", 31), 0);
	ck_assert_int_eq(addaddr(ifp1, "203.0.113.1", 24), 0);
	for (size_t i = 0; i < nitems(bcast_rows); i++)
		ck_assert_msg(in_broadcast(tn_addr(bcast_rows[i].addr),
		    if_byname(tn_ns, bcast_rows[i].ifname)) ==
		    bcast_rows[i].bcast, "%s on %s", bcast_rows[i].addr,
		    bcast_rows[i].ifname);
	ck_assert(!in_broadcast(tn_addr("198.51.100.255"), NULL));
}
END_TEST

static const struct {
	const char	*dst;
	int		 error;
	const char	*src;
} src_rows[] = {
	{ "198.51.100.77", 0, "198.51.100.1" },	/* on-link: primary */
	{ "203.0.113.50", 0, "203.0.113.1" },	/* fake1's subnet */
	{ "203.0.113.1", 0, "203.0.113.1" },	/* ourselves */
	{ "198.51.100.2", 0, "198.51.100.2" },	/* our alias */
	{ "127.0.0.1", 0, "127.0.0.1" },
	{ "203.0.113.200", 0, "198.51.100.1" },	/* via 198.51.100.254 */
	{ "203.0.113.130", 0, "198.51.100.2" },	/* route with -ifa .2 */
	{ "203.0.113.70", EADDRNOTAVAIL, NULL },	/* fake2 has none */
};

START_TEST(test_in_selectsrc)
{
	struct ifnet *ifp = fake_create_up(0), *ifp1 = fake_create_up(1);
	struct ifnet *ifp2 = fake_create_up(2);
	uint32_t d = tn_addr("203.0.113.50"), s, g;
	struct rtentry *rt = NULL;

	ck_assert_int_eq(in_selectsrc(tn_ns, d, &s, &rt), ENETUNREACH);
	ck_assert_int_eq(addaddr(ifp, "198.51.100.1", 24), 0);
	ck_assert_int_eq(addaddr(ifp, "198.51.100.2", 24), 0);
	ck_assert_int_eq(addaddr(ifp1, "203.0.113.1", 25), 0);
	g = tn_addr("198.51.100.254");
	d = tn_addr("203.0.113.192");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 26, &g, NULL, 0, NULL), 0);
	d = tn_addr("203.0.113.128");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 26, &g, NULL, 0, &rt), 0);
	s = tn_addr("198.51.100.2");
	memcpy(rt->rt_ifaddr, &s, 4);
	d = tn_addr("203.0.113.64");
	ck_assert_int_eq(rt_add(tn_ns, AF_INET, &d, 26, NULL, ifp2, 0, NULL),
	    0);

	for (size_t i = 0; i < nitems(src_rows); i++) {
		int rv;

		rt = NULL;
		s = 0;
		rv = in_selectsrc(tn_ns, tn_addr(src_rows[i].dst), &s, &rt);
		ck_assert_msg(rv == src_rows[i].error, "%s: %d",
		    src_rows[i].dst, rv);
		if (rv != 0)
			continue;
		ck_assert_ptr_nonnull(rt);
		ck_assert_msg(s == tn_addr(src_rows[i].src), "%s: source %08x",
		    src_rows[i].dst, ntohl(s));
	}
}
END_TEST

START_TEST(test_mask2len_fmt)
{
	char buf[16];

	ck_assert_int_eq(in_mask2len(tn_addr("255.255.255.0")), 24);
	ck_assert_int_eq(in_mask2len(tn_addr("255.255.255.255")), 32);
	ck_assert_int_eq(in_mask2len(0), 0);
	ck_assert_int_eq(in_mask2len(tn_addr("255.255.128.0")), 17);
	ck_assert_int_eq(in_mask2len(tn_addr("255.0.255.0")), -1);
	ck_assert_int_eq(in_mask2len(tn_addr("0.0.0.255")), -1);
	for (unsigned p = 0; p <= 32; p++)
		ck_assert_int_eq(in_mask2len(in_prefixmask(p)), (int)p);
	ck_assert_str_eq(in_fmtaddr(tn_addr("203.0.113.255"), buf),
	    "203.0.113.255");
	ck_assert_str_eq(in_fmtaddr(0, buf), "0.0.0.0");
}
END_TEST

/* --------------------------------------------------- control requests */

static int
ioc(unsigned long cmd, void *data)
{
	return ifioctl(tn_ns, NULL, cmd, data);
}

START_TEST(test_ctl_interfaces)
{
	struct rump_ifname ifn;
	struct rump_ifinfo ifi;
	struct rump_ifreq ifr;
	struct rump_ifcapreq cap;
	struct rump_ifcloners cl;
	struct rump_linkstr *ls;
	struct rump_iflladdr lla;
	unsigned seen;

	/* Create / destroy. */
	memset(&ifn, 0, sizeof(ifn));
	strcpy(ifn.ifn_name, "fake");
	ck_assert_int_eq(ioc(RUMP_SIOCIFCREATE, &ifn), 0);
	ck_assert_str_eq(ifn.ifn_name, "fake0");
	ck_assert_int_eq(ioc(RUMP_SIOCIFCREATE, &ifn), EEXIST);
	strcpy(ifn.ifn_name, "fake7");
	ck_assert_int_eq(ioc(RUMP_SIOCIFCREATE, &ifn), 0);
	memset(ifn.ifn_name, 'x', sizeof(ifn.ifn_name));	/* no NUL */
	ck_assert_int_eq(ioc(RUMP_SIOCIFCREATE, &ifn), EINVAL);
	strcpy(ifn.ifn_name, "fake7");
	ck_assert_int_eq(ioc(RUMP_SIOCIFDESTROY, &ifn), 0);
	ck_assert_int_eq(ioc(RUMP_SIOCIFDESTROY, &ifn), ENXIO);
	ck_assert_int_eq(ioc(RUMP_SIOCIFGCLONERS, &cl), 0);
	ck_assert_uint_eq(cl.ifc_count, 2);
	ck_assert_str_eq(cl.ifc_names[0], "lo");
	ck_assert_str_eq(cl.ifc_names[1], "fake");

	/* Listing: lo0 then fake0. */
	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_query = RUMP_IFQ_NEXT;
	seen = 0;
	while (ioc(RUMP_SIOCGIFINFO, &ifi) == 0) {
		seen++;
		ck_assert_uint_eq(ifi.ifi_query, RUMP_IFQ_NEXT);
	}
	ck_assert_uint_eq(seen, 2);
	ifi.ifi_index = 0;
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), 0);
	ck_assert_str_eq(ifi.ifi_name, "lo0");
	ck_assert_uint_eq(ifi.ifi_flags, 0x8049);	/* UP,LOOPBACK,RUNNING,
							 * MULTICAST */
	ck_assert_uint_eq(ifi.ifi_type, RUMP_IFT_LOOP);
	ck_assert_uint_eq(ifi.ifi_mtu, 33624);
	ck_assert_uint_eq(ifi.ifi_addrlen, 0);

	memset(&ifi, 0, sizeof(ifi));
	ifi.ifi_query = RUMP_IFQ_NAME;
	strcpy(ifi.ifi_name, "fake0");
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), 0);
	ck_assert_uint_eq(ifi.ifi_index, 2);
	ck_assert_uint_eq(ifi.ifi_flags, 0x8802);	/* BROADCAST,SIMPLEX,
							 * MULTICAST */
	ck_assert_uint_eq(ifi.ifi_type, RUMP_IFT_ETHER);
	ck_assert_uint_eq(ifi.ifi_mtu, 1500);
	ck_assert_uint_eq(ifi.ifi_capabilities, 0x7ff80);
	ck_assert_uint_eq(ifi.ifi_capenable, 0);
	ck_assert_uint_eq(ifi.ifi_addrlen, 6);
	ck_assert_mem_eq(ifi.ifi_lladdr, mac_fake0, 6);
	ck_assert_uint_eq(ifi.ifi_haslinkstr, 1);
	ck_assert_uint_eq(ifi.ifi_linkstate, RUMP_LINK_STATE_UNKNOWN);
	ck_assert_uint_eq(ifi.ifi_media, RUMP_IFM_AUTO);
	ifi.ifi_query = RUMP_IFQ_INDEX;
	ifi.ifi_index = 9;
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), ENXIO);
	ifi.ifi_query = 7;
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), EINVAL);

	/* Link string and media go to the driver; linkstr needs down. */
	ls = calloc(1, sizeof(*ls));
	strcpy(ls->ls_name, "fake0");
	strcpy(ls->ls_path, "/tmp/bus0");
	ls->ls_len = 10;
	ck_assert_int_eq(ioc(RUMP_SIOCSLINKSTR, ls), 0);
	memset(ls->ls_path, 0, sizeof(ls->ls_path));
	ls->ls_cmd = RUMP_LINKSTR_QUERYLEN;
	ck_assert_int_eq(ioc(RUMP_SIOCGLINKSTR, ls), 0);
	ck_assert_uint_eq(ls->ls_len, 10);
	ls->ls_cmd = 0;
	ck_assert_int_eq(ioc(RUMP_SIOCGLINKSTR, ls), 0);
	ck_assert_str_eq(ls->ls_path, "/tmp/bus0");
	strcpy(ls->ls_name, "lo0");
	ck_assert_int_eq(ioc(RUMP_SIOCGLINKSTR, ls), ENOTTY);
	free(ls);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "fake0");
	ifr.ifr_value = RUMP_IFM_NONE;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFMEDIA, &ifr), 0);
	ifi.ifi_query = RUMP_IFQ_NAME;
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), 0);
	ck_assert_uint_eq(ifi.ifi_linkstate, RUMP_LINK_STATE_DOWN);

	/* Flags: NetBSD values in and out. */
	ifr.ifr_value = RUMP_IFF_UP | RUMP_IFF_LOOPBACK;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFFLAGS, &ifr), 0);
	ck_assert_int_eq(ioc(RUMP_SIOCGIFFLAGS, &ifr), 0);
	ck_assert_uint_eq(ifr.ifr_value, 0x8843);	/* UP,BROADCAST,
							 * RUNNING,SIMPLEX,
							 * MULTICAST */
	fake_softc(if_byname(tn_ns, "fake0"))->fs_initerr = ENXIO;
	ifr.ifr_value = 0;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFFLAGS, &ifr), 0);
	ifr.ifr_value = RUMP_IFF_UP;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFFLAGS, &ifr), ENXIO);
	fake_softc(if_byname(tn_ns, "fake0"))->fs_initerr = 0;

	/* MTU. */
	ck_assert_int_eq(ioc(RUMP_SIOCGIFMTU, &ifr), 0);
	ck_assert_uint_eq(ifr.ifr_value, 1500);
	ifr.ifr_value = 1280;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFMTU, &ifr), 0);
	ck_assert_uint_eq(if_byname(tn_ns, "fake0")->if_mtu, 1280);
	ifr.ifr_value = 1501;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFMTU, &ifr), EINVAL);
	ifr.ifr_value = 67;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFMTU, &ifr), EINVAL);
	strcpy(ifr.ifr_name, "nosuch0");
	ck_assert_int_eq(ioc(RUMP_SIOCGIFMTU, &ifr), ENXIO);

	/* Capabilities: only offered bits; the packet flags follow. */
	memset(&cap, 0, sizeof(cap));
	strcpy(cap.ifcr_name, "fake0");
	cap.ifcr_capenable = IFCAP_LRO;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFCAP, &cap), EINVAL);
	cap.ifcr_capenable = IFCAP_TSOv4 | IFCAP_CSUM_TCPv4_Tx;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFCAP, &cap), 0);
	ck_assert_uint_eq(if_byname(tn_ns, "fake0")->if_csum_flags_tx,
	    M_CSUM_TSOv4 | M_CSUM_TCPv4);
	memset(&cap, 0, sizeof(cap));
	strcpy(cap.ifcr_name, "fake0");
	ck_assert_int_eq(ioc(RUMP_SIOCGIFCAP, &cap), 0);
	ck_assert_uint_eq(cap.ifcr_capabilities, 0x7ff80);
	ck_assert_uint_eq(cap.ifcr_capenable, 0x880);

	/* Link address: unicast only. */
	memset(&lla, 0, sizeof(lla));
	strcpy(lla.ifl_name, "fake0");
	lla.ifl_addrlen = 6;
	memcpy(lla.ifl_addr, mac_peer, 6);
	ck_assert_int_eq(ioc(RUMP_SIOCSIFLLADDR, &lla), 0);
	ck_assert_mem_eq(if_byname(tn_ns, "fake0")->if_lladdr, mac_peer, 6);
	lla.ifl_addr[0] = 0x01;
	ck_assert_int_eq(ioc(RUMP_SIOCSIFLLADDR, &lla), EINVAL);
	strcpy(lla.ifl_name, "lo0");
	ck_assert_int_eq(ioc(RUMP_SIOCSIFLLADDR, &lla), EOPNOTSUPP);

	/* Zeroing the counters. */
	if_byname(tn_ns, "fake0")->if_stats[IF_STAT_IPACKETS] = 5;
	strcpy(ifr.ifr_name, "fake0");
	ck_assert_int_eq(ioc(RUMP_SIOCZIFDATA, &ifr), 0);
	ck_assert_uint_eq(if_byname(tn_ns, "fake0")->if_stats[IF_STAT_IPACKETS],
	    0);

	ck_assert_int_eq(ioc(RUMP_IOWR(200, struct rump_ifreq), &ifr), ENOTTY);
}
END_TEST

START_TEST(test_ctl_linux)
{
	uint8_t ifr[RUMP_LINUX_IFREQ_SIZE];
	int32_t v;
	int16_t f;

	(void)fake_create_up(0);
	memset(ifr, 0, sizeof(ifr));
	strcpy((char *)ifr, "fake0");
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFINDEX, ifr), 0);
	memcpy(&v, ifr + 16, 4);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFFLAGS, ifr), 0);
	memcpy(&f, ifr + 16, 2);
	ck_assert_int_eq(f, IFF_UP | IFF_BROADCAST | IFF_RUNNING |
	    IFF_MULTICAST);				/* 0x1043, Linux */
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFMTU, ifr), 0);
	memcpy(&v, ifr + 16, 4);
	ck_assert_int_eq(v, 1500);
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFHWADDR, ifr), 0);
	ck_assert_uint_eq(ifr[16], 1);			/* ARPHRD_ETHER */
	ck_assert_mem_eq(ifr + 18, mac_fake0, 6);
	memset(ifr, 0, sizeof(ifr));
	v = 1;
	memcpy(ifr + 16, &v, 4);
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFNAME, ifr), 0);
	ck_assert_str_eq((char *)ifr, "lo0");
	strcpy((char *)ifr, "nosuch0");
	ck_assert_int_eq(ioc(RUMP_LINUX_SIOCGIFINDEX, ifr), ENODEV);
	ck_assert_uint_eq(rump_ioctl_size(RUMP_LINUX_SIOCGIFFLAGS), 40);
	ck_assert_uint_eq(rump_ioctl_size(RUMP_SIOCSLINKSTR), 4120);
	ck_assert_uint_eq(rump_ioctl_size(0x5401), 0);
	ck_assert(rump_ioctl_copyin(RUMP_SIOCSIFMTU));
	ck_assert(!rump_ioctl_copyout(RUMP_SIOCSIFMTU));
	ck_assert(rump_ioctl_copyout(RUMP_SIOCIFGCLONERS));
	ck_assert(!rump_ioctl_copyin(RUMP_SIOCIFGCLONERS));
}
END_TEST

static int
ctl_addaddr(const char *ifname, const char *addr, unsigned plen,
    const char *brd, uint32_t reqflags)
{
	struct rump_ifaddrreq req;
	uint32_t a = tn_addr(addr);

	memset(&req, 0, sizeof(req));
	strcpy(req.ifra_name, ifname);
	req.ifra_family = AF_INET;
	req.ifra_plen = (uint8_t)plen;
	req.ifra_reqflags = reqflags;
	memcpy(req.ifra_addr, &a, 4);
	if (brd != NULL) {
		a = tn_addr(brd);
		memcpy(req.ifra_broadaddr, &a, 4);
	}
	return ioc(RUMP_SIOCAIFADDR, &req);
}

/* The index'th address of the family on ifindex (0: all); NULL at end. */
static const char *
ctl_listaddr(unsigned ifindex, unsigned index, struct rump_ifaddrreq *req,
    char *buf)
{
	uint32_t a;

	memset(req, 0, sizeof(*req));
	req->ifra_family = AF_INET;
	req->ifra_ifindex = ifindex;
	req->ifra_index = index;
	if (ioc(RUMP_SIOCGIFADDR, req) != 0)
		return NULL;
	memcpy(&a, req->ifra_addr, 4);
	return in_fmtaddr(a, buf);
}

START_TEST(test_ctl_addresses)
{
	struct ifnet *ifp = fake_create(0);
	struct rump_ifaddrreq req;
	char buf[16];

	/* Adding brings the interface up (and fails if it cannot). */
	fake_softc(ifp)->fs_initerr = ENXIO;
	ck_assert_int_eq(ctl_addaddr("fake0", "198.51.100.1", 24, NULL, 0),
	    ENXIO);
	ck_assert_ptr_null(in_ifaddr_primary(ifp));
	fake_softc(ifp)->fs_initerr = 0;
	ck_assert_int_eq(ctl_addaddr("fake0", "198.51.100.1", 24, NULL, 0), 0);
	ck_assert(ifp->if_flags & IFF_UP);
	ck_assert_int_eq(ctl_addaddr("fake0", "198.51.100.9", 24, NULL,
	    RUMP_IFRA_ALIAS), 0);
	ck_assert_int_eq(ctl_addaddr("fake0", "203.0.113.1", 24,
	    "255.255.255.255", RUMP_IFRA_ALIAS), 0);
	ck_assert_int_eq(ctl_addaddr("lo0", "203.0.113.1", 24, NULL,
	    RUMP_IFRA_ALIAS), EEXIST);
	ck_assert_int_eq(ctl_addaddr("nosuch0", "203.0.113.2", 24, NULL, 0),
	    ENXIO);
	ck_assert_int_eq(ctl_addaddr("fake0", "203.0.113.2", 40, NULL, 0),
	    EINVAL);

	ck_assert_str_eq(ctl_listaddr(2, 0, &req, buf), "198.51.100.1");
	ck_assert_str_eq(req.ifra_name, "fake0");
	ck_assert_uint_eq(req.ifra_plen, 24);
	ck_assert_uint_eq(req.ifra_ifindex, 2);
	ck_assert_uint_eq(req.ifra_index, 0);
	ck_assert_uint_eq(req.ifra_addrflags, 0);
	ck_assert_mem_eq(req.ifra_broadaddr,
	    &(uint32_t){ tn_addr("198.51.100.255") }, 4);
	ck_assert_str_eq(ctl_listaddr(2, 1, &req, buf), "198.51.100.9");
	ck_assert_str_eq(ctl_listaddr(2, 2, &req, buf), "203.0.113.1");
	ck_assert_mem_eq(req.ifra_broadaddr,
	    &(uint32_t){ tn_addr("255.255.255.255") }, 4);
	ck_assert_ptr_null(ctl_listaddr(2, 3, &req, buf));
	ck_assert_int_eq(ioc(RUMP_SIOCGIFADDR, &req), ENOENT);
	ck_assert_ptr_null(ctl_listaddr(9, 0, &req, buf));
	ck_assert_int_eq(ioc(RUMP_SIOCGIFADDR, &req), ENXIO);
	/* All interfaces: lo0's first. */
	ck_assert_str_eq(ctl_listaddr(0, 0, &req, buf), "127.0.0.1");
	ck_assert_str_eq(ctl_listaddr(0, 3, &req, buf), "203.0.113.1");

	/* Without alias the new address replaces the primary. */
	ck_assert_int_eq(ctl_addaddr("fake0", "198.51.100.2", 24, NULL, 0), 0);
	ck_assert_str_eq(ctl_listaddr(2, 0, &req, buf), "198.51.100.2");
	ck_assert_str_eq(ctl_listaddr(2, 1, &req, buf), "198.51.100.9");
	ck_assert_ptr_null(in_ifaddr_lookup(tn_ns, tn_addr("198.51.100.1")));
	/* Again with the address it has: an update. */
	ck_assert_int_eq(ctl_addaddr("fake0", "198.51.100.9", 25, NULL,
	    RUMP_IFRA_ALIAS), 0);
	ck_assert_uint_eq(in_ifaddr_lookup(tn_ns,
	    tn_addr("198.51.100.9"))->ia_plen, 25);

	/* Down: addresses are detached. */
	ck_assert_int_eq(if_setflags(ifp, 0), 0);
	ck_assert_str_eq(ctl_listaddr(2, 0, &req, buf), "198.51.100.2");
	ck_assert_uint_eq(req.ifra_addrflags, RUMP_IN_IFF_DETACHED);

	/* Delete; 0.0.0.0 is the primary. */
	memset(&req, 0, sizeof(req));
	strcpy(req.ifra_name, "fake0");
	req.ifra_family = AF_INET;
	memcpy(req.ifra_addr, &(uint32_t){ tn_addr("198.51.100.9") }, 4);
	ck_assert_int_eq(ioc(RUMP_SIOCDIFADDR, &req), 0);
	ck_assert_int_eq(ioc(RUMP_SIOCDIFADDR, &req), EADDRNOTAVAIL);
	memset(req.ifra_addr, 0, 4);
	ck_assert_int_eq(ioc(RUMP_SIOCDIFADDR, &req), 0);
	ck_assert_str_eq(ctl_listaddr(2, 0, &req, buf), "203.0.113.1");
	req.ifra_family = AF_INET6;
	ck_assert_int_eq(ioc(RUMP_SIOCDIFADDR, &req), EAFNOSUPPORT);
}
END_TEST

static int
ctl_route(unsigned long cmd, const char *dst, unsigned plen, const char *gw,
    const char *ifname, uint32_t flags, struct rump_rtreq *req)
{
	uint32_t a;

	memset(req, 0, sizeof(*req));
	req->rtr_family = AF_INET;
	req->rtr_plen = (uint8_t)plen;
	req->rtr_flags = flags;
	a = tn_addr(dst);
	memcpy(req->rtr_dst, &a, 4);
	if (gw != NULL) {
		a = tn_addr(gw);
		memcpy(req->rtr_gateway, &a, 4);
	}
	if (ifname != NULL)
		strcpy(req->rtr_ifname, ifname);
	return ioc(cmd, req);
}

static const char *
fmt4(const uint8_t *a, char *buf)
{
	uint32_t v;

	memcpy(&v, a, 4);
	return in_fmtaddr(v, buf);
}

START_TEST(test_ctl_routes)
{
	struct rump_rtreq req;
	char buf[16];
	unsigned n;

	(void)fake_create_up(0);
	ck_assert_int_eq(addaddr(if_byname(tn_ns, "fake0"), "198.51.100.2",
	    24), 0);

	/* "route add default 198.51.100.1" */
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "0.0.0.0", 0,
	    "198.51.100.1", NULL, RUMP_RTF_GATEWAY | RUMP_RTF_STATIC, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "0.0.0.0", 0,
	    "198.51.100.1", NULL, RUMP_RTF_GATEWAY | RUMP_RTF_STATIC, &req),
	    EEXIST);
	/* A gateway only reachable through a gateway route. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "203.0.113.0", 24,
	    "203.0.113.1", NULL, RUMP_RTF_GATEWAY | RUMP_RTF_STATIC, &req),
	    ENETUNREACH);
	/* "-reject via 127.0.0.1", "-iface", "-ifa" */
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "203.0.113.32", 32,
	    "127.0.0.1", NULL, RUMP_RTF_GATEWAY | RUMP_RTF_REJECT |
	    RUMP_RTF_STATIC, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "203.0.113.64", 26,
	    "198.51.100.2", NULL, RUMP_RTF_STATIC, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "203.0.113.128", 26,
	    NULL, "nosuch0", RUMP_RTF_STATIC, &req), ENXIO);
	ck_assert_int_eq(ctl_route(RUMP_SIOCADDRT, "203.0.113.128", 26,
	    NULL, NULL, RUMP_RTF_STATIC, &req), EINVAL);
	memcpy(req.rtr_ifaddr, &(uint32_t){ tn_addr("203.0.113.1") }, 4);
	strcpy(req.rtr_ifname, "fake0");
	ck_assert_int_eq(ioc(RUMP_SIOCADDRT, &req), EADDRNOTAVAIL);

	/* route get: own address (NetBSD: 0x40045<UP,HOST,DONE,LOCAL>). */
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "198.51.100.2", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, 0x40045);
	ck_assert_str_eq(req.rtr_ifname, "lo0");
	ck_assert_uint_eq(req.rtr_gwifindex, 2);
	ck_assert_str_eq(fmt4(req.rtr_ifaddr, buf), "198.51.100.2");
	/* On-link neighbour: 0x141<UP,DONE,CONNECTED>, the network. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "198.51.100.7", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, 0x141);
	ck_assert_str_eq(fmt4(req.rtr_dst, buf), "198.51.100.0");
	ck_assert_uint_eq(req.rtr_plen, 24);
	ck_assert_str_eq(req.rtr_ifname, "fake0");
	ck_assert_uint_eq(req.rtr_gwifindex, 2);
	ck_assert_str_eq(fmt4(req.rtr_ifaddr, buf), "198.51.100.2");
	/* Remote: default, 0x843<UP,GATEWAY,DONE,STATIC>. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "203.0.113.200", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, 0x843);
	ck_assert_uint_eq(req.rtr_plen, 0);
	ck_assert_str_eq(fmt4(req.rtr_gateway, buf), "198.51.100.1");
	ck_assert_str_eq(fmt4(req.rtr_ifaddr, buf), "198.51.100.2");
	ck_assert_str_eq(req.rtr_ifname, "fake0");
	/* Reject host route through lo0: UGHRS. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "203.0.113.32", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, RUMP_RTF_UP | RUMP_RTF_GATEWAY |
	    RUMP_RTF_HOST | RUMP_RTF_REJECT | RUMP_RTF_STATIC | RUMP_RTF_DONE);
	ck_assert_str_eq(req.rtr_ifname, "lo0");

	/* List in order: default first. */
	static const char *const order[] = { "0.0.0.0", "127.0.0.0",
	    "127.0.0.1", "198.51.100.0", "198.51.100.2", "203.0.113.32",
	    "203.0.113.64" };
	for (n = 0; ; n++) {
		memset(&req, 0, sizeof(req));
		req.rtr_family = AF_INET;
		req.rtr_index = n;
		if (ioc(RUMP_SIOCLISTRT, &req) != 0)
			break;
		ck_assert_uint_lt(n, nitems(order));
		ck_assert_str_eq(fmt4(req.rtr_dst, buf), order[n]);
		ck_assert_uint_eq(req.rtr_index, n);
		ck_assert(!(req.rtr_flags & RUMP_RTF_DONE));
	}
	ck_assert_uint_eq(n, nitems(order));

	/* Change: -reject on the default route, then back. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCCHGRT, "0.0.0.0", 0, NULL, NULL,
	    RUMP_RTF_REJECT | RUMP_RTF_STATIC, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "203.0.113.200", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, 0x84b);
	ck_assert_int_eq(ctl_route(RUMP_SIOCCHGRT, "0.0.0.0", 0,
	    "198.51.100.3", NULL, RUMP_RTF_GATEWAY | RUMP_RTF_STATIC, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "203.0.113.200", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_flags, 0x843);
	ck_assert_str_eq(fmt4(req.rtr_gateway, buf), "198.51.100.3");
	ck_assert_int_eq(ctl_route(RUMP_SIOCCHGRT, "203.0.113.0", 24, NULL,
	    NULL, 0, &req), ESRCH);

	/* Delete, flush. */
	ck_assert_int_eq(ctl_route(RUMP_SIOCDELRT, "203.0.113.64", 26, NULL,
	    NULL, 0, &req), 0);
	ck_assert_int_eq(ctl_route(RUMP_SIOCDELRT, "203.0.113.64", 26, NULL,
	    NULL, 0, &req), ESRCH);
	ck_assert_int_eq(ctl_route(RUMP_SIOCFLUSHRT, "0.0.0.0", 0, NULL,
	    NULL, 0, &req), 0);
	ck_assert_uint_eq(req.rtr_index, 2);	/* default, 203.0.113.32 */
	ck_assert_int_eq(ctl_route(RUMP_SIOCGETRT, "203.0.113.200", 0, NULL,
	    NULL, 0, &req), ESRCH);
	req.rtr_family = AF_INET6;
	ck_assert_int_eq(ioc(RUMP_SIOCFLUSHRT, &req), EAFNOSUPPORT);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *
net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc;

#define TN_CASE(name)							\
	tc = tcase_create(name);					\
	tcase_add_checked_fixture(tc, setup, teardown);			\
	suite_add_tcase(s, tc)

	TN_CASE("interfaces");
	tcase_add_test(tc, test_lo0_at_boot);
	tcase_add_test(tc, test_clone_names);
	tcase_add_test(tc, test_clone_destroy_cleans_up);
	tcase_add_test(tc, test_flags_up_down);
	tcase_add_loop_test(tc, test_capenable_map, 0, nitems(cap_rows));

	TN_CASE("ethernet");
	tcase_add_loop_test(tc, test_ether_input, 0, nitems(ein_rows));
	tcase_add_test(tc, test_ether_input_down);
	tcase_add_loop_test(tc, test_ether_output_inet, 0, nitems(eout4_rows));
	tcase_add_test(tc, test_ether_output_errors);

	TN_CASE("loopback");
	tcase_add_test(tc, test_loopback);
	tcase_add_test(tc, test_loopback_storm);

	TN_CASE("routes");
	tcase_add_loop_test(tc, test_route_lpm, 0, nitems(rt4_lookups));
	tcase_add_test(tc, test_route_ops);
	tcase_add_test(tc, test_route_messages);
	tcase_add_test(tc, test_route_inet6);

	TN_CASE("addresses");
	tcase_add_test(tc, test_addr_routes);
	tcase_add_test(tc, test_addr_errors);
	tcase_add_test(tc, test_in_broadcast);
	tcase_add_test(tc, test_in_selectsrc);
	tcase_add_test(tc, test_mask2len_fmt);

	TN_CASE("control");
	tcase_add_test(tc, test_ctl_interfaces);
	tcase_add_test(tc, test_ctl_linux);
	tcase_add_test(tc, test_ctl_addresses);
	tcase_add_test(tc, test_ctl_routes);
#undef TN_CASE
	return s;
}

int
main(void)
{
	return unit_run(net_suite());
}
