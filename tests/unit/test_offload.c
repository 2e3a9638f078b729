/*
 * test_offload.c -- the drivers' software offload emulation
 * (netstack/net/ether_sw_offload.c): deferred checksums finished on
 * transmit, TSO super-packets cut into frames, receive verdicts, fault
 * injection, and the RUMP_SHMIF_CAPENABLE parser.
 *
 * Frames are built here from their fields; correctness is judged by
 * recomputing every checksum from scratch (in_cksum over the header is 0,
 * the pseudo-header sum plus the segment folds to 0xffff), so the test
 * does not depend on the code under test to say what "right" is.
 */
#include <check.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/ether_sw_offload.h"
#include "netstack/netinet/in_cksum.h"
#include "tests/unit/unit.h"

static uint64_t kmem0, mbuf0;
static struct netstack *ns;
static struct ifnet *ifp;
static struct ether_offload eo;

static const uint8_t src4[4] = { 198, 51, 100, 1 };
static const uint8_t dst4[4] = { 198, 51, 100, 2 };
static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	kmem0 = kmem_inuse();
	mbuf0 = m_inuse();
	ck_assert_int_eq(netstack_create("off", NETSTACK_VIRTUAL_CLOCK, &ns),
	    0);
	klock_enter(&ns->ns_klock);
	ifp = if_alloc(ns, "off0");
	ck_assert_ptr_nonnull(ifp);
	ifp->if_capabilities = ETHER_SW_OFFLOAD_CAPS;
	ck_assert_int_eq(ether_sw_offload_attach(ifp, &eo), 0);
}

static void
teardown(void)
{
	ether_sw_offload_detach(ifp);
	if_free(ifp);
	klock_exit(&ns->ns_klock);
	netstack_destroy(ns);
	ck_assert_uint_eq(m_inuse(), mbuf0);
	ck_assert_uint_eq(kmem_inuse(), kmem0);
}

static void
setcap(uint32_t cap)
{
	ifp->if_capenable = cap;
	if_capenable_update(ifp);
}

/*
 * An Ethernet + IPv4 + TCP/UDP frame with paylen bytes of payload,
 * checksums left as the stack leaves them for offload: ip_sum 0 and the
 * L4 field holding the pseudo-header sum.
 */
static struct mbuf *
frame4(uint8_t proto, size_t paylen, uint8_t tcpflags)
{
	size_t l4h = proto == KIPPROTO_TCP ? 20 : 8;
	size_t iplen = 20 + l4h + paylen;
	struct mbuf *m = m_gethdr(14 + iplen);
	uint8_t *e = m->m_data, *ip = e + 14, *l4 = ip + 20;
	uint32_t s, d;
	uint16_t pseudo;

	memset(e, 0, 14 + iplen);
	memcpy(e, "\xb2\xa0\x00\x00\x00\x02\xb2\xa0\x00\x00\x00\x01", 12);
	be16enc(e + 12, ETHERTYPE_IP);
	ip[0] = 0x45;
	be16enc(ip + 2, (uint16_t)iplen);
	be16enc(ip + 4, 0x1234);
	be16enc(ip + 6, 0x4000);	/* DF */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src4, 4);
	memcpy(ip + 16, dst4, 4);
	be16enc(l4, 40000);
	be16enc(l4 + 2, 9);
	if (proto == KIPPROTO_TCP) {
		be32enc(l4 + 4, 1000);
		be32enc(l4 + 8, 2000);
		l4[12] = 5 << 4;
		l4[13] = tcpflags;
		be16enc(l4 + 14, 65535);
	} else
		be16enc(l4 + 4, (uint16_t)(8 + paylen));
	for (size_t i = 0; i < paylen; i++)
		l4[l4h + i] = (uint8_t)(i * 7 + 3);
	memcpy(&s, src4, 4);
	memcpy(&d, dst4, 4);
	pseudo = in_cksum_fold(in_pseudo_sum(s, d, proto,
	    (uint16_t)(l4h + paylen)));
	memcpy(l4 + (proto == KIPPROTO_TCP ? 16 : 6), &pseudo, 2);
	m->m_pkthdr.csum_data = (20u << 16) | (proto == KIPPROTO_TCP ? 16 : 6);
	return m;
}

static struct mbuf *
frame6(uint8_t proto, size_t paylen)
{
	size_t l4h = proto == KIPPROTO_TCP ? 20 : 8;
	struct mbuf *m = m_gethdr(14 + 40 + l4h + paylen);
	uint8_t *e = m->m_data, *ip = e + 14, *l4 = ip + 40;
	uint16_t pseudo;

	memset(e, 0, m->m_len);
	be16enc(e + 12, ETHERTYPE_IPV6);
	ip[0] = 0x60;
	be16enc(ip + 4, (uint16_t)(l4h + paylen));
	ip[6] = proto;
	ip[7] = 64;
	memcpy(ip + 8, src6, 16);
	memcpy(ip + 24, dst6, 16);
	be16enc(l4, 40000);
	be16enc(l4 + 2, 9);
	if (proto == KIPPROTO_TCP)
		l4[12] = 5 << 4;
	else
		be16enc(l4 + 4, (uint16_t)(8 + paylen));
	for (size_t i = 0; i < paylen; i++)
		l4[l4h + i] = (uint8_t)(0xff - i);
	pseudo = in_cksum_fold(in6_pseudo_sum(src6, dst6, proto,
	    (uint32_t)(l4h + paylen)));
	memcpy(l4 + (proto == KIPPROTO_TCP ? 16 : 6), &pseudo, 2);
	m->m_pkthdr.csum_data = (40u << 16) | (proto == KIPPROTO_TCP ? 16 : 6);
	return m;
}

/* Every checksum of a finished IPv4 frame is right. */
static void
assert_good4(const struct mbuf *m)
{
	const uint8_t *ip = m->m_data + 14;
	size_t hl = (size_t)(ip[0] & 0xf) * 4, iplen = be16dec(ip + 2);
	uint32_t s, d;

	ck_assert_uint_eq(m->m_len, 14 + iplen);
	ck_assert_uint_le(m->m_len, 1514);
	ck_assert_uint_eq(in_cksum(ip, hl), 0);
	memcpy(&s, ip + 12, 4);
	memcpy(&d, ip + 16, 4);
	ck_assert_uint_eq(in_cksum_fold(in_cksum_add(in_pseudo_sum(s, d, ip[9],
	    (uint16_t)(iplen - hl)), ip + hl, iplen - hl)), 0xffff);
}

static void
assert_good6(const struct mbuf *m)
{
	const uint8_t *ip = m->m_data + 14;
	size_t plen = be16dec(ip + 4);

	ck_assert_uint_eq(m->m_len, 14 + 40 + plen);
	ck_assert_uint_eq(in_cksum_fold(in_cksum_add(in6_pseudo_sum(ip + 8,
	    ip + 24, ip[6], (uint32_t)plen), ip + 40, plen)), 0xffff);
}

/* ------------------------------------------------------------ transmit */

START_TEST(test_tx_plain_frame_untouched)
{
	struct mbuf *m = frame4(KIPPROTO_UDP, 10, 0), *out;
	uint8_t copy[64];

	memcpy(copy, m->m_data, m->m_len);
	setcap(ETHER_SW_OFFLOAD_CAPS);
	out = ether_sw_offload_tx(ifp, &eo, m);
	ck_assert_ptr_eq(out, m);
	ck_assert_mem_eq(out->m_data, copy, out->m_len);
	m_freem(out);
}
END_TEST

/* Loop over the four deferrable checksums of one IPv4 frame. */
static const struct {
	uint8_t		proto;
	uint32_t	cap, flags;
	int		stat;
} tx4_rows[] = {
	{ KIPPROTO_UDP, IFCAP_CSUM_UDPv4_Tx, M_CSUM_UDPv4, EOFF_TX_UDPV4 },
	{ KIPPROTO_TCP, IFCAP_CSUM_TCPv4_Tx, M_CSUM_TCPv4, EOFF_TX_TCPV4 },
	{ KIPPROTO_UDP, IFCAP_CSUM_UDPv4_Tx | IFCAP_CSUM_IPv4_Tx,
	    M_CSUM_UDPv4 | M_CSUM_IPv4, EOFF_TX_IPV4 },
	{ KIPPROTO_TCP, IFCAP_CSUM_TCPv4_Tx | IFCAP_CSUM_IPv4_Tx,
	    M_CSUM_TCPv4 | M_CSUM_IPv4, EOFF_TX_IPV4 },
};

START_TEST(test_tx_undefer_v4)
{
	struct mbuf *m = frame4(tx4_rows[_i].proto, 333, 0x18);
	uint8_t *ip = m->m_data + 14;

	setcap(tx4_rows[_i].cap);
	if (!(tx4_rows[_i].flags & M_CSUM_IPv4))	/* stack did it */
		{ uint16_t s = in_cksum(ip, 20); memcpy(ip + 10, &s, 2); }
	m->m_pkthdr.csum_flags = tx4_rows[_i].flags;
	m = ether_sw_offload_tx(ifp, &eo, m);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_null(m->m_nextpkt);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, 0);
	assert_good4(m);
	ck_assert_uint_eq(eo.eo_stats[tx4_rows[_i].stat], 1);
	m_freem(m);
}
END_TEST

START_TEST(test_tx_undefer_v6)
{
	uint8_t proto = _i ? KIPPROTO_TCP : KIPPROTO_UDP;
	struct mbuf *m = frame6(proto, 501);

	setcap(_i ? IFCAP_CSUM_TCPv6_Tx : IFCAP_CSUM_UDPv6_Tx);
	m->m_pkthdr.csum_flags = _i ? M_CSUM_TCPv6 : M_CSUM_UDPv6;
	m = ether_sw_offload_tx(ifp, &eo, m);
	ck_assert_ptr_nonnull(m);
	assert_good6(m);
	ck_assert_uint_eq(eo.eo_stats[_i ? EOFF_TX_TCPV6 : EOFF_TX_UDPV6], 1);
	m_freem(m);
}
END_TEST

START_TEST(test_tx_flags_not_enabled_dropped)
{
	struct mbuf *m = frame4(KIPPROTO_TCP, 10, 0);

	setcap(IFCAP_CSUM_UDPv4_Tx);
	m->m_pkthdr.csum_flags = M_CSUM_TCPv4;
	ck_assert_ptr_null(ether_sw_offload_tx(ifp, &eo, m));
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_BAD], 1);
}
END_TEST

/*
 * TSOv4: 3 full segments of MSS 1448 plus FIN|PSH on the super-packet:
 * three frames of 14+20+20+1448 = 1502 bytes, ids 0x1234.., seq
 * 1000 + i*1448, FIN and PSH only on the last.
 */
START_TEST(test_tso4_segments)
{
	struct mbuf *m = frame4(KIPPROTO_TCP, 3 * 1448, 0x19), *n;
	int i = 0;

	setcap(IFCAP_TSOv4);
	m->m_pkthdr.csum_flags = M_CSUM_TSOv4 | M_CSUM_IPv4;
	m->m_pkthdr.segsz = 1448;
	m = ether_sw_offload_tx(ifp, &eo, m);
	for (n = m; n != NULL; n = n->m_nextpkt, i++) {
		const uint8_t *ip = n->m_data + 14, *th = ip + 20;

		ck_assert_uint_eq(n->m_len, 1502);
		assert_good4(n);
		ck_assert_uint_eq(be16dec(ip + 4), 0x1234 + i);
		ck_assert_uint_eq(be32dec(th + 4), 1000u + (uint32_t)i * 1448);
		ck_assert_uint_eq(th[13], i == 2 ? 0x19 : 0x10);
		/* Payload continues where the previous segment stopped. */
		ck_assert_uint_eq(th[20], (uint8_t)((i * 1448) * 7 + 3));
	}
	ck_assert_int_eq(i, 3);
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_TSOV4], 1);
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_TSOV4_SEGS], 3);
	m_freem_list(m);
}
END_TEST

START_TEST(test_tso6_segments)
{
	struct mbuf *m = frame6(KIPPROTO_TCP, 2 * 1428 + 100), *n;
	int i = 0;

	setcap(IFCAP_TSOv6);
	m->m_pkthdr.csum_flags = M_CSUM_TSOv6;
	m->m_pkthdr.segsz = 1428;
	m = ether_sw_offload_tx(ifp, &eo, m);
	for (n = m; n != NULL; n = n->m_nextpkt, i++) {
		assert_good6(n);
		ck_assert_uint_le(n->m_len, 1514);
	}
	ck_assert_int_eq(i, 3);		/* 1428 + 1428 + 100 */
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_TSOV6_SEGS], 3);
	m_freem_list(m);
}
END_TEST

START_TEST(test_tso_malformed_dropped)
{
	struct mbuf *m = frame4(KIPPROTO_TCP, 3000, 0);

	setcap(IFCAP_TSOv4);
	m->m_pkthdr.csum_flags = M_CSUM_TSOv4;
	m->m_pkthdr.segsz = 1500;	/* 20+20+1500 > MTU */
	ck_assert_ptr_null(ether_sw_offload_tx(ifp, &eo, m));
	m = frame4(KIPPROTO_TCP, 3000, 0);
	m->m_pkthdr.csum_flags = M_CSUM_TSOv4;
	m->m_pkthdr.segsz = 1000;
	m->m_len = m->m_pkthdr.len = 30;	/* truncated headers */
	ck_assert_ptr_null(ether_sw_offload_tx(ifp, &eo, m));
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_BAD], 2);
}
END_TEST

/* ------------------------------------------------------------- receive */

static struct mbuf *
finished4(uint8_t proto)
{
	struct mbuf *m = frame4(proto, 77, 0);
	uint32_t save = ifp->if_capenable;

	setcap(IFCAP_CSUM_IPv4_Tx | IFCAP_CSUM_TCPv4_Tx | IFCAP_CSUM_UDPv4_Tx);
	m->m_pkthdr.csum_flags = M_CSUM_IPv4 |
	    (proto == KIPPROTO_TCP ? M_CSUM_TCPv4 : M_CSUM_UDPv4);
	m = ether_sw_offload_tx(ifp, &eo, m);
	setcap(save);
	return m;
}

START_TEST(test_rx_verdicts)
{
	struct mbuf *m;

	/* RX capabilities off: no verdict at all. */
	setcap(0);
	m = finished4(KIPPROTO_TCP);
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, 0);
	m_freem(m);

	setcap(IFCAP_CSUM_IPv4_Rx | IFCAP_CSUM_TCPv4_Rx | IFCAP_CSUM_UDPv4_Rx);
	m = finished4(KIPPROTO_TCP);
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_IPv4 | M_CSUM_TCPv4);
	/* A flipped payload byte: TCP bad, header still good. */
	m->m_data[m->m_len - 1] ^= 0x01;
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags,
	    M_CSUM_IPv4 | M_CSUM_TCPv4 | M_CSUM_TCP_UDP_BAD);
	/* A bad header: IPv4_BAD and no L4 verdict. */
	m->m_data[14 + 8] ^= 0x01;		/* TTL */
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags,
	    M_CSUM_IPv4 | M_CSUM_IPv4_BAD);
	m_freem(m);

	/* UDP without a checksum gets no verdict. */
	m = finished4(KIPPROTO_UDP);
	memset(m->m_data + 14 + 20 + 6, 0, 2);
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_IPv4);
	m_freem(m);

	/* A fragment gets only the header verdict. */
	m = finished4(KIPPROTO_UDP);
	be16enc(m->m_data + 14 + 6, 0x2000);	/* MF */
	{ uint8_t *ip = m->m_data + 14; uint16_t s;
	  memset(ip + 10, 0, 2); s = in_cksum(ip, 20); memcpy(ip + 10, &s, 2); }
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_IPv4);
	m_freem(m);
	ck_assert_uint_eq(eo.eo_stats[EOFF_RX_TCPV4_BAD], 1);
	ck_assert_uint_eq(eo.eo_stats[EOFF_RX_IPV4_BAD], 1);
}
END_TEST

START_TEST(test_rx_v6)
{
	struct mbuf *m = frame6(KIPPROTO_UDP, 40);

	setcap(IFCAP_CSUM_UDPv6_Tx | IFCAP_CSUM_UDPv6_Rx);
	m->m_pkthdr.csum_flags = M_CSUM_UDPv6;
	m = ether_sw_offload_tx(ifp, &eo, m);
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_UDPv6);
	m->m_data[m->m_len - 3] ^= 0x10;
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags,
	    M_CSUM_UDPv6 | M_CSUM_TCP_UDP_BAD);
	m_freem(m);
}
END_TEST

/*
 * Zero has two forms in ones' complement.  A sum computed from scratch
 * never gives 0xffff (RFC 1624 section 3), but Linux's software
 * checksum writes 0xffff where the answer is 0x0000, and receivers
 * must take both.  Turn a finished TCP frame into one whose checksum is
 * 0x0000 (add the old checksum into a payload word), then try -0 too.
 */
START_TEST(test_rx_minus_zero)
{
	struct mbuf *m = finished4(KIPPROTO_TCP);
	uint8_t *l4 = m->m_data + 14 + 20;
	uint16_t ck, w;

	setcap(IFCAP_CSUM_IPv4_Rx | IFCAP_CSUM_TCPv4_Rx);
	memcpy(&ck, l4 + 16, 2);
	memcpy(&w, l4 + 20, 2);
	w = (uint16_t)in_cksum_fold((uint32_t)w + ck);
	memcpy(l4 + 20, &w, 2);
	memset(l4 + 16, 0, 2);
	assert_good4(m);			/* +0 is the right answer */
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_IPv4 | M_CSUM_TCPv4);

	memset(l4 + 16, 0xff, 2);		/* -0, as Linux writes it */
	m->m_pkthdr.csum_flags = 0;
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_IPv4 | M_CSUM_TCPv4);
	ck_assert_uint_eq(eo.eo_stats[EOFF_RX_TCPV4_BAD], 0);
	m_freem(m);
}
END_TEST

START_TEST(test_rx_truncated_frames)
{
	/* Every truncation of a good frame: no crash, no false "good". */
	struct mbuf *good = finished4(KIPPROTO_TCP);

	setcap(IFCAP_CSUM_IPv4_Rx | IFCAP_CSUM_TCPv4_Rx);
	for (uint32_t len = 0; len < good->m_len; len++) {
		struct mbuf *m = m_devget(good->m_data, len);

		ether_sw_offload_rx(ifp, &eo, m);
		ck_assert(!(m->m_pkthdr.csum_flags & M_CSUM_TCPv4) ||
		    (m->m_pkthdr.csum_flags & M_CSUM_TCP_UDP_BAD));
		m_freem(m);
	}
	m_freem(good);
}
END_TEST

/* -------------------------------------------------- fault injection */

START_TEST(test_corrupt_tx)
{
	struct mbuf *m;
	int32_t v = M_CSUM_TCPv4;

	ck_assert_int_eq(sysctl_byname(ns, "net.interfaces.off0.offload."
	    "corrupt_tx", NULL, NULL, &v, sizeof(v)), 0);
	m = finished4(KIPPROTO_TCP);	/* corrupted on its way out */
	setcap(IFCAP_CSUM_IPv4_Rx | IFCAP_CSUM_TCPv4_Rx);
	ether_sw_offload_rx(ifp, &eo, m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags,
	    M_CSUM_IPv4 | M_CSUM_TCPv4 | M_CSUM_TCP_UDP_BAD);
	ck_assert_uint_eq(eo.eo_stats[EOFF_TX_CORRUPTED], 1);
	m_freem(m);
	v = 0x100;	/* outside the corruptible set */
	ck_assert_int_eq(sysctl_byname(ns, "net.interfaces.off0.offload."
	    "corrupt_tx", NULL, NULL, &v, sizeof(v)), EINVAL);
}
END_TEST

START_TEST(test_parse_capenable)
{
	static const struct { const char *s; int rv; uint32_t v; } rows[] = {
		{ "0x7ff80", 0, 0x7ff80 }, { "0X6AA80", 0, 0x6aa80 },
		{ "87296", 0, 0x15500 }, { "0", 0, 0 }, { "010", 0, 8 },
		{ " 0x80", 0, 0x80 }, { "", EINVAL, 0 }, { "0x", EINVAL, 0 },
		{ "junk", EINVAL, 0 }, { "0x7ff80z", EINVAL, 0 },
		{ "09", EINVAL, 0 }, { "0x100000000", EINVAL, 0 },
		{ "-1", EINVAL, 0 },
	};

	for (size_t i = 0; i < nitems(rows); i++) {
		uint32_t v = 0xdead;

		ck_assert_msg(ether_parse_capenable(rows[i].s, &v) == rows[i].rv,
		    "parse \"%s\"", rows[i].s);
		if (rows[i].rv == 0)
			ck_assert_uint_eq(v, rows[i].v);
	}
}
END_TEST

static Suite *
offload_suite(void)
{
	Suite *s = suite_create("offload");
	TCase *tc = tcase_create("sw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tx_plain_frame_untouched);
	tcase_add_loop_test(tc, test_tx_undefer_v4, 0, nitems(tx4_rows));
	tcase_add_loop_test(tc, test_tx_undefer_v6, 0, 2);
	tcase_add_test(tc, test_tx_flags_not_enabled_dropped);
	tcase_add_test(tc, test_tso4_segments);
	tcase_add_test(tc, test_tso6_segments);
	tcase_add_test(tc, test_tso_malformed_dropped);
	tcase_add_test(tc, test_rx_verdicts);
	tcase_add_test(tc, test_rx_v6);
	tcase_add_test(tc, test_rx_minus_zero);
	tcase_add_test(tc, test_rx_truncated_frames);
	tcase_add_test(tc, test_corrupt_tx);
	tcase_add_test(tc, test_parse_capenable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(offload_suite());
}
