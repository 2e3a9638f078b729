/*
 * test_ip.c -- IPv4: input validation, forwarding, reassembly,
 * fragmentation and checksum offload on output, fed and checked frame
 * by frame through the tst interface (frametest.h).  Golden frames come
 * from frames_ipv4.h (scapy); every test ends leak-free.
 */
#include <check.h>

#include "netstack/kern/sysctl.h"
#include "netstack/net/route.h"
#include "tests/unit/frames_ipv4.h"
#include "tests/unit/test_ip_fixture.h"
#include "tests/unit/unit.h"

#define IPS(x)		"net.inet.ip.stats." x
#define ICMPS(x)	"net.inet.icmp.stats." x

/* ------------------------------------------------------------- input */

static const struct ft_row input_rows[] = {
	{ .fr_name = "echo request answered",
	  .fr_in = { FT_BYTES(echo_req) },
	  .fr_out = { FT_BYTES(echo_rep) },
	  .fr_deltas = { { IPS("total"), 1 }, { IPS("delivered"), 1 },
	      { IPS("localout"), 1 }, { ICMPS("inhist.echo"), 1 },
	      { ICMPS("outhist.echoreply"), 1 } } },
	{ .fr_name = "bad header checksum",
	  .fr_in = { FT_BYTES(echo_req_badsum) },
	  .fr_deltas = { { IPS("total"), 1 }, { IPS("badsum"), 1 },
	      { IPS("delivered"), 0 } } },
	{ .fr_name = "Ethernet padding trimmed",
	  .fr_in = { FT_BYTES(echo_req_padded) },
	  .fr_out = { FT_BYTES(echo_rep_small) },
	  .fr_deltas = { { IPS("delivered"), 1 } } },
	{ .fr_name = "shorter than a header",
	  .fr_in = { FT_BYTES(ip_toosmall) },
	  .fr_deltas = { { IPS("toosmall"), 1 } } },
	{ .fr_name = "version 6 in an IPv4 frame",
	  .fr_in = { FT_BYTES(ip_badvers) },
	  .fr_deltas = { { IPS("badvers"), 1 } } },
	{ .fr_name = "header length 16",
	  .fr_in = { FT_BYTES(ip_badhlen_small) },
	  .fr_deltas = { { IPS("badhlen"), 1 } } },
	{ .fr_name = "header length past the datagram",
	  .fr_in = { FT_BYTES(ip_badhlen_big) },
	  .fr_deltas = { { IPS("badhlen"), 1 } } },
	{ .fr_name = "total length below the header length",
	  .fr_in = { FT_BYTES(ip_badlen) },
	  .fr_deltas = { { IPS("badlen"), 1 } } },
	{ .fr_name = "total length past the frame",
	  .fr_in = { FT_BYTES(ip_tooshort) },
	  .fr_deltas = { { IPS("tooshort"), 1 } } },
	{ .fr_name = "loopback source from the wire",
	  .fr_in = { FT_BYTES(ip_src_loopback) },
	  .fr_deltas = { { IPS("badaddr"), 1 } } },
	{ .fr_name = "multicast source",
	  .fr_in = { FT_BYTES(ip_src_multicast) },
	  .fr_deltas = { { IPS("badaddr"), 1 } } },
	{ .fr_name = "directed broadcast source",
	  .fr_in = { FT_BYTES(ip_src_bcast) },
	  .fr_deltas = { { IPS("badaddr"), 1 } } },
	{ .fr_name = "loopback destination from the wire",
	  .fr_in = { FT_BYTES(ip_dst_loopback) },
	  .fr_deltas = { { IPS("badaddr"), 1 } } },
	{ .fr_name = "malformed option: parameter problem",
	  .fr_in = { FT_BYTES(ip_badopt) },
	  .fr_out = { FT_BYTES(ip_badopt_paramprob) },
	  .fr_deltas = { { IPS("badoptions"), 1 },
	      { ICMPS("outhist.paramprob"), 1 } } },
	{ .fr_name = "options are not echoed",
	  .fr_in = { FT_BYTES(echo_req_opts) },
	  .fr_out = { FT_BYTES(echo_rep) },
	  .fr_deltas = { { IPS("badoptions"), 0 }, { IPS("delivered"), 1 } } },
	{ .fr_name = "unknown protocol: protocol unreachable",
	  .fr_in = { FT_BYTES(ip_noproto) },
	  .fr_out = { FT_BYTES(ip_noproto_unreach) },
	  .fr_deltas = { { IPS("noproto"), 1 }, { IPS("delivered"), 0 },
	      { ICMPS("outhist.unreach"), 1 } } },
	{ .fr_name = "unknown protocol to broadcast: silence",
	  .fr_in = { FT_BYTES(ip_noproto_bcast) },
	  .fr_deltas = { { IPS("noproto"), 1 }, { ICMPS("oldbmcast"), 1 } } },
	{ .fr_name = "unicast datagram in a link broadcast",
	  .fr_in = { FT_BYTES(echo_req_linkbcast) },
	  .fr_deltas = { { IPS("linkbcast"), 1 } } },
	{ .fr_name = "not ours, forwarding off",
	  .fr_in = { FT_BYTES(fwd_in) },
	  .fr_deltas = { { IPS("cantforward"), 1 }, { IPS("forward"), 0 } } },
};

START_TEST(test_input_row)
{
	fx_run_row_masked(A, input_rows, nitems(input_rows), _i);
}
END_TEST

/* The driver's checksum verdict is trusted only when RX offload is on. */
START_TEST(test_input_rx_offload)
{
	/* Off: flags are ignored, the bad sum is found in software. */
	ft_input_flags(A, echo_req_badsum, sizeof(echo_req_badsum),
	    M_CSUM_IPv4);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("badsum")), 1);

	ft_set_capenable(A, IFCAP_CSUM_IPv4_Rx);
	/* On: "verified good" is believed ... */
	ft_input_flags(A, echo_req_badsum, sizeof(echo_req_badsum),
	    M_CSUM_IPv4);
	ft_expect_tx(A, echo_rep, sizeof(echo_rep));
	/* ... and so is "verified bad", whatever the bytes say. */
	ft_input_flags(A, echo_req, sizeof(echo_req),
	    M_CSUM_IPv4 | M_CSUM_IPv4_BAD);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("badsum")), 2);
	/* No flag at all: verified in software. */
	ft_input_flags(A, echo_req_badsum, sizeof(echo_req_badsum), 0);
	ck_assert_uint_eq(ft_counter(A, IPS("badsum")), 3);
	/* The harness plays the driver: a good frame passes. */
	ft_input(A, echo_req, sizeof(echo_req));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
}
END_TEST

/* --------------------------------------------------------- forwarding */

/*
 * P sends A datagrams for 203.0.113.0/24, which A forwards to R on the
 * same link: a redirect would be due (test_forward_redirect); the
 * other tests turn redirects off to see the forwarding alone.
 */
static void
fwd_setup(void)
{
	fx_setup();
	ft_sysctl_set(A, "net.inet.ip.forwarding", 1);
	ft_sysctl_set(A, "net.inet.ip.redirect", 0);
	ft_route(A, "203.0.113.0/24", "198.51.100.3", 0);
}

static const struct ft_row forward_rows[] = {
	{ .fr_name = "forwarded with TTL 63",
	  .fr_in = { FT_BYTES(fwd_in) },
	  .fr_out = { FT_BYTES(fwd_out) },
	  .fr_deltas = { { IPS("forward"), 1 }, { IPS("delivered"), 0 } } },
	{ .fr_name = "TTL 1: time exceeded",
	  .fr_in = { FT_BYTES(fwd_ttl1) },
	  .fr_out = { FT_BYTES(fwd_timxceed) },
	  .fr_deltas = { { IPS("ttlexceeded"), 1 }, { IPS("forward"), 0 },
	      { ICMPS("outhist.timxceed"), 1 } } },
	{ .fr_name = "TTL 1 on an ICMP error: silence",
	  .fr_in = { FT_BYTES(fwd_ttl1_icmperr) },
	  .fr_deltas = { { IPS("ttlexceeded"), 1 }, { ICMPS("oldicmp"), 1 } } },
	{ .fr_name = "TTL 1 on a later fragment: silence",
	  .fr_in = { FT_BYTES(fwd_ttl1_frag) },
	  .fr_deltas = { { IPS("ttlexceeded"), 1 }, { ICMPS("oldfrag"), 1 } } },
	{ .fr_name = "link broadcast is not forwarded",
	  .fr_in = { FT_BYTES(fwd_linkbcast) },
	  .fr_deltas = { { IPS("linkbcast"), 1 }, { IPS("forward"), 0 } } },
};

START_TEST(test_forward_row)
{
	fx_run_row_masked(A, forward_rows, nitems(forward_rows), _i);
}
END_TEST

static void
set_route_mtu(struct ft_node *fn, const char *dst, unsigned plen,
    uint32_t mtu)
{
	uint32_t a = ft_addr(dst);
	struct rtentry *rt;

	ft_lock(fn);
	rt = rt_lookup_exact(fn->fn_ns, AF_INET, &a, plen);
	ck_assert_ptr_nonnull(rt);
	rt->rt_mtu = mtu;
	ft_unlock(fn);
}

START_TEST(test_forward_mtu)
{
	set_route_mtu(A, "203.0.113.0", 24, 1280);
	/* RFC 1191: DF and too big: the next-hop MTU goes back. */
	ft_input(A, fwd_big_df, sizeof(fwd_big_df));
	ft_expect_tx(A, fwd_needfrag, sizeof(fwd_needfrag));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("cantfrag")), 1);
	/* Without DF: cut to fit. */
	ft_input(A, fwd_big, sizeof(fwd_big));
	ft_expect_tx(A, fwd_big_frag1, sizeof(fwd_big_frag1));
	ft_expect_tx(A, fwd_big_frag2, sizeof(fwd_big_frag2));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("fragmented")), 1);
	ck_assert_uint_eq(ft_counter(A, IPS("ofragments")), 2);
	ck_assert_uint_eq(ft_counter(A, IPS("forward")), 1);
}
END_TEST

/*
 * RFC 1812 5.2.7.2: back out of the interface it came in on, to a first
 * hop on the sender's subnet: a host redirect to the sender, naming R,
 * quoting the datagram as received; the datagram is forwarded all the
 * same.
 */
START_TEST(test_forward_redirect)
{
	struct mbuf *m;
	const uint8_t *ip, *icmp;

	ft_sysctl_set(A, "net.inet.ip.redirect", 1);
	ft_input(A, fwd_in, sizeof(fwd_in));
	ck_assert_uint_eq(ft_tx_count(A), 2);
	m = ft_tx_pop(A);
	ip = m->m_data + 14;
	icmp = ip + 20;
	ck_assert_uint_eq(ip[9], KIPPROTO_ICMP);
	ck_assert_uint_eq(be32dec(ip + 12), 0xc6336401);	/* from A */
	ck_assert_uint_eq(be32dec(ip + 16), 0xc6336402);	/* to P */
	ck_assert_uint_eq(icmp[0], ICMP_REDIRECT);
	ck_assert_uint_eq(icmp[1], ICMP_REDIRECT_HOST);
	ck_assert_uint_eq(be32dec(icmp + 4), 0xc6336403);	/* use R */
	/* The quote: the datagram as it came (TTL 64). */
	ck_assert_mem_eq(icmp + 8, fwd_in + 14, 28);
	ck_assert_uint_eq(in_cksum(icmp, m->m_len - 34), 0);
	m_freem(m);
	ft_expect_tx(A, fwd_out, sizeof(fwd_out));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("redirectsent")), 1);
	ck_assert_uint_eq(ft_counter(A, IPS("forward")), 1);
	ck_assert_uint_eq(ft_counter(A, ICMPS("outhist.redirect")), 1);
}
END_TEST

START_TEST(test_forward_noroute)
{
	ft_sysctl_set(A, "net.inet.ip.forwarding", 1);
	ft_input(A, fwd_in, sizeof(fwd_in));
	ft_expect_tx(A, fwd_netunreach, sizeof(fwd_netunreach));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("noroute")), 1);
}
END_TEST

START_TEST(test_forward_reject_blackhole)
{
	ft_sysctl_set(A, "net.inet.ip.forwarding", 1);
	ft_route(A, "203.0.113.0/24", "198.51.100.3", RTF_REJECT);
	ft_input(A, fwd_in, sizeof(fwd_in));
	ft_expect_tx(A, fwd_hostunreach, sizeof(fwd_hostunreach));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("noroute")), 1);

	ft_lock(A);
	{
		uint32_t a = ft_addr("203.0.113.0");
		ck_assert_int_eq(rt_delete(A->fn_ns, AF_INET, &a, 24), 0);
	}
	ft_unlock(A);
	ft_route(A, "203.0.113.0/24", "198.51.100.3", RTF_BLACKHOLE);
	ft_input(A, fwd_in, sizeof(fwd_in));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("blackhole")), 1);
}
END_TEST

/* --------------------------------------------------------- reassembly */

static const struct ft_row reass_rows[] = {
	{ .fr_name = "in order",
	  .fr_in = { FT_BYTES(reass_f1), FT_BYTES(reass_f2),
	      FT_BYTES(reass_f3) },
	  .fr_out = { FT_BYTES(reass_reply) },
	  .fr_deltas = { { IPS("fragments"), 3 }, { IPS("reassembled"), 1 },
	      { IPS("delivered"), 1 } } },
	{ .fr_name = "reverse order",
	  .fr_in = { FT_BYTES(reass_f3), FT_BYTES(reass_f2),
	      FT_BYTES(reass_f1) },
	  .fr_out = { FT_BYTES(reass_reply) },
	  .fr_deltas = { { IPS("fragments"), 3 }, { IPS("reassembled"), 1 } } },
	{ .fr_name = "middle first",
	  .fr_in = { FT_BYTES(reass_f2), FT_BYTES(reass_f3),
	      FT_BYTES(reass_f1) },
	  .fr_out = { FT_BYTES(reass_reply) },
	  .fr_deltas = { { IPS("reassembled"), 1 } } },
	{ .fr_name = "duplicates dropped alone",
	  .fr_in = { FT_BYTES(reass_f1), FT_BYTES(reass_f2),
	      FT_BYTES(reass_f2), FT_BYTES(reass_f1), FT_BYTES(reass_f3) },
	  .fr_out = { FT_BYTES(reass_reply) },
	  .fr_deltas = { { IPS("fragments"), 5 }, { IPS("fragdup"), 2 },
	      { IPS("reassembled"), 1 } } },
	{ .fr_name = "overlap drops the datagram",
	  .fr_in = { FT_BYTES(reass_f1), FT_BYTES(reass_f2_overlap),
	      FT_BYTES(reass_f3) },
	  .fr_advance = NS_SEC(30),
	  .fr_deltas = { { IPS("fragoverlap"), 2 }, { IPS("reassembled"), 0 },
	      /* f3 starts a new, hopeless datagram; no fragment zero, so
	       * the timeout is silent. */
	      { IPS("fragtimeout"), 1 }, { ICMPS("outhist.timxceed"), 0 } } },
	{ .fr_name = "timeout with fragment zero: time exceeded",
	  .fr_in = { FT_BYTES(reass_f1), FT_BYTES(reass_f2) },
	  .fr_advance = NS_SEC(30),
	  .fr_out = { FT_BYTES(reass_timxceed) },
	  .fr_deltas = { { IPS("fragtimeout"), 2 },
	      { ICMPS("outhist.timxceed"), 1 } } },
	{ .fr_name = "timeout without fragment zero: silence",
	  .fr_in = { FT_BYTES(reass_f2), FT_BYTES(reass_f3) },
	  .fr_advance = NS_SEC(30),
	  .fr_deltas = { { IPS("fragtimeout"), 2 }, { ICMPS("error"), 0 } } },
};

START_TEST(test_reass_row)
{
	fx_run_row_masked(A, reass_rows, nitems(reass_rows), _i);
}
END_TEST

/* Two datagrams from the same source, fragments interleaved. */
START_TEST(test_reass_interleaved)
{
	ft_input(A, reass_f1, sizeof(reass_f1));
	ft_input(A, reass2_f3, sizeof(reass2_f3));
	ft_input(A, reass2_f1, sizeof(reass2_f1));
	ft_input(A, reass_f3, sizeof(reass_f3));
	ft_input(A, reass_f2, sizeof(reass_f2));
	/* The first one completes first and is answered with id 0x1000. */
	ft_expect_tx(A, reass_reply, sizeof(reass_reply));
	ft_expect_no_tx(A);
	ft_input(A, reass2_f2, sizeof(reass2_f2));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	ck_assert_uint_eq(ft_counter(A, IPS("reassembled")), 2);
	ck_assert_uint_eq(ft_counter(A, ICMPS("outhist.echoreply")), 2);
}
END_TEST

/* The reassembly timer runs from the first fragment. */
START_TEST(test_reass_timer)
{
	ft_input(A, reass_f1, sizeof(reass_f1));
	ft_advance(A, NS_SEC(29));
	ft_input(A, reass_f2, sizeof(reass_f2));
	ft_advance(A, NS_SEC(1) - 1);
	ft_expect_no_tx(A);
	ft_advance(A, 1);
	ft_expect_tx(A, reass_timxceed, sizeof(reass_timxceed));
	/* The late last fragment starts over and waits alone. */
	ft_input(A, reass_f3, sizeof(reass_f3));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("reassembled")), 0);
}
END_TEST

START_TEST(test_reass_limits)
{
	/* One datagram at a time. */
	ft_sysctl_set(A, "net.inet.ip.maxfragpackets", 1);
	ft_input(A, reass_f1, sizeof(reass_f1));
	ft_input(A, reass2_f1, sizeof(reass2_f1));
	ck_assert_uint_eq(ft_counter(A, IPS("fragdropped")), 1);
	ft_input(A, reass_f2, sizeof(reass_f2));
	ft_input(A, reass_f3, sizeof(reass_f3));
	ft_expect_tx(A, reass_reply, sizeof(reass_reply));

	/* Two fragments per datagram: the third kills it. */
	ft_sysctl_set(A, "net.inet.ip.maxfragsperpacket", 2);
	ft_input(A, reass2_f1, sizeof(reass2_f1));
	ft_input(A, reass2_f2, sizeof(reass2_f2));
	ft_input(A, reass2_f3, sizeof(reass2_f3));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("fragdropped")), 4);

	/* Bytes held: not even one fragment. */
	ft_sysctl_set(A, "net.inet.ip.maxfragsperpacket", 64);
	ft_sysctl_set(A, "net.inet.ip.maxfragbytes", 50);
	ft_input(A, reass2_f1, sizeof(reass2_f1));
	ck_assert_uint_eq(ft_counter(A, IPS("fragdropped")), 5);
	/* Nothing is left queued: the timer has nothing to report. */
	ft_advance(A, NS_SEC(60));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("fragtimeout")), 0);
}
END_TEST

/* ------------------------------------------------------------- output */

static uint8_t bigpayload[3000];

static void
fill_bigpayload(void)
{
	for (size_t i = 0; i < sizeof(bigpayload); i++)
		bigpayload[i] = (uint8_t)(i % 251);
}

/* A 3000-byte UDP datagram over MTU 1500: offsets 0, 185, 370. */
START_TEST(test_output_fragment)
{
	uint32_t caps = _i == 0 ? 0 : 0x7ff80;
	uint32_t flags;

	fill_bigpayload();
	ft_set_capenable(A, caps);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.2", 5000,
	    6000, bigpayload, sizeof(bigpayload), 0, 0), 0);
	/* Fragments never carry deferred checksums. */
	flags = ft_expect_tx(A, udp_frag1, sizeof(udp_frag1));
	ck_assert_uint_eq(flags, 0);
	flags = ft_expect_tx(A, udp_frag2, sizeof(udp_frag2));
	ck_assert_uint_eq(flags, 0);
	flags = ft_expect_tx(A, udp_frag3, sizeof(udp_frag3));
	ck_assert_uint_eq(flags, 0);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("fragmented")), 1);
	ck_assert_uint_eq(ft_counter(A, IPS("ofragments")), 3);
	ck_assert_uint_eq(ft_counter(A, IPS("localout")), 1);
}
END_TEST

START_TEST(test_output_df_too_big)
{
	fill_bigpayload();
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.2", 5000,
	    6000, bigpayload, sizeof(bigpayload), IP_DF, 0), EMSGSIZE);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IPS("cantfrag")), 1);
}
END_TEST

/*
 * Checksum offload: whatever the interface enables, the wire bytes are
 * the same; what changes is who finishes them (the flags the driver
 * sees).
 */
static const struct {
	uint32_t	caps;
	uint32_t	flags;
} offload_cases[] = {
	{ 0, 0 },
	{ IFCAP_CSUM_IPv4_Tx, M_CSUM_IPv4 },
	{ IFCAP_CSUM_UDPv4_Tx, M_CSUM_UDPv4 },
	{ IFCAP_CSUM_IPv4_Tx | IFCAP_CSUM_UDPv4_Tx, M_CSUM_IPv4 | M_CSUM_UDPv4 },
	{ IFCAP_CSUM_TCPv4_Tx | IFCAP_CSUM_IPv4_Rx, 0 },
	{ 0x6aa80, M_CSUM_IPv4 | M_CSUM_UDPv4 },	/* all TX */
	{ 0x15500, 0 },					/* all RX */
	{ 0x7ff80, M_CSUM_IPv4 | M_CSUM_UDPv4 },	/* all */
};

START_TEST(test_output_offload)
{
	uint32_t flags;
	struct mbuf *m;
	const struct ip *ip;
	const struct udphdr *uh;

	ft_set_capenable(A, offload_cases[_i].caps);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.2", 5000,
	    6000, "offload", 7, 0, 0), 0);
	flags = ft_expect_tx(A, udp_small_out, sizeof(udp_small_out));
	ck_assert_uint_eq(flags, offload_cases[_i].flags);

	/* The same, unfinished, as the driver receives it. */
	ft_set_finish_tx(A, false);
	ft_lock(A);
	ip_state(A->fn_ns)->ips_id = FX_FIRST_ID;
	ft_unlock(A);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.2", 5000,
	    6000, "offload", 7, 0, 0), 0);
	m = ft_tx_pop(A);
	ck_assert_ptr_nonnull(m);
	ip = (const struct ip *)(m->m_data + ETHER_HDR_LEN);
	uh = (const struct udphdr *)(ip + 1);
	if (offload_cases[_i].flags & M_CSUM_IPv4) {
		ck_assert_uint_eq(ip->ip_sum, 0);
		ck_assert_uint_eq(m->m_pkthdr.csum_data >> 16, 20);
	} else {
		ck_assert_uint_eq(in_cksum(ip, 20), 0);
	}
	if (offload_cases[_i].flags & M_CSUM_UDPv4) {
		/* The pseudo-header sum, not the checksum. */
		ck_assert_uint_eq(uh->uh_sum, in_cksum_fold(in_pseudo_sum(
		    ip->ip_src, ip->ip_dst, KIPPROTO_UDP, 15)));
		ck_assert_uint_eq(m->m_pkthdr.csum_data & 0xffff, 6);
	} else {
		ck_assert_mem_eq(&uh->uh_sum, udp_small_out + 14 + 20 + 6, 2);
	}
	m_freem(m);
	ft_expect_no_tx(A);
}
END_TEST

START_TEST(test_output_errors)
{
	/* No route. */
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "203.0.113.5", 1, 2,
	    "x", 1, 0, 0), ENETUNREACH);
	ck_assert_uint_eq(ft_counter(A, IPS("noroute")), 1);
	/* Reject route. */
	ft_route(A, "203.0.113.0/24", "198.51.100.3", RTF_REJECT);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "203.0.113.5", 1, 2,
	    "x", 1, 0, 0), EHOSTUNREACH);
	ck_assert_uint_eq(ft_counter(A, IPS("noroute")), 2);
	/* Blackhole: silently gone. */
	ft_route(A, "203.0.113.128/25", "198.51.100.3", RTF_BLACKHOLE);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "203.0.113.200", 1,
	    2, "x", 1, 0, 0), 0);
	ck_assert_uint_eq(ft_counter(A, IPS("blackhole")), 1);
	/* Broadcast needs the caller's permission (SO_BROADCAST). */
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.255", 1,
	    2, "x", 1, 0, 0), EACCES);
	ck_assert_uint_eq(ft_counter(A, IPS("bcastdenied")), 1);
	ft_expect_no_tx(A);
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.255", 1,
	    2, "x", 1, 0, IP_ALLOWBROADCAST), 0);
	ck_assert_uint_eq(ft_tx_count(A), 1);
	{
		struct mbuf *m = ft_tx_pop(A);

		ck_assert_mem_eq(m->m_data, etherbroadcastaddr, 6);
		m_freem(m);
	}
	ft_expect_no_tx(A);
}
END_TEST

/* To our own address: out through lo0, in again, never on the wire. */
START_TEST(test_output_local)
{
	ck_assert_int_eq(fx_udp_output(A, "198.51.100.1", "198.51.100.1", 5000,
	    9, "to self", 7, 0, 0), 0);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, "net.inet.udp.stats.noport"), 1);
	ck_assert_uint_eq(ft_counter(A, ICMPS("inhist.unreach")), 1);
	ck_assert_uint_eq(ft_counter(A, IPS("badsum")), 0);
	ck_assert_uint_eq(ft_counter(A, "net.inet.udp.stats.badsum"), 0);
}
END_TEST

START_TEST(test_sysctl_defaults)
{
	ck_assert_uint_eq(ft_counter(A, "net.inet.ip.forwarding"), 0);
	ck_assert_uint_eq(ft_counter(A, "net.inet.ip.ttl"), 64);
	ck_assert_uint_eq(ft_counter(A, "net.inet.ip.maxfragpackets"), 200);
	ck_assert_uint_eq(ft_counter(A, "net.inet.ip.fragttl"), 30);
	ck_assert_uint_eq(ft_counter(A, "net.inet.icmp.errppslimit"), 100);
	ck_assert_uint_eq(ft_counter(A, "net.inet.icmp.bmcastecho"), 0);
}
END_TEST

static Suite *
ip_suite(void)
{
	Suite *s = suite_create("ip");
	TCase *tc;

	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_input_row, 0,
	    (int)(nitems(input_rows) * FX_NCAPMASKS));
	tcase_add_test(tc, test_input_rx_offload);
	tcase_add_test(tc, test_sysctl_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("forward");
	tcase_add_checked_fixture(tc, fwd_setup, fx_teardown);
	tcase_add_loop_test(tc, test_forward_row, 0,
	    (int)(nitems(forward_rows) * FX_NCAPMASKS));
	tcase_add_test(tc, test_forward_mtu);
	tcase_add_test(tc, test_forward_redirect);
	suite_add_tcase(s, tc);

	tc = tcase_create("forward-errors");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_forward_noroute);
	tcase_add_test(tc, test_forward_reject_blackhole);
	suite_add_tcase(s, tc);

	tc = tcase_create("reass");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_reass_row, 0,
	    (int)(nitems(reass_rows) * FX_NCAPMASKS));
	tcase_add_test(tc, test_reass_interleaved);
	tcase_add_test(tc, test_reass_timer);
	tcase_add_test(tc, test_reass_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_output_fragment, 0, 2);
	tcase_add_test(tc, test_output_df_too_big);
	tcase_add_loop_test(tc, test_output_offload, 0, nitems(offload_cases));
	tcase_add_test(tc, test_output_errors);
	tcase_add_test(tc, test_output_local);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(ip_suite());
}
