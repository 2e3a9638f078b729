/*
 * test_ip6.c -- IPv6, ICMPv6, neighbour discovery and UDP over IPv6 on
 * the frame harness: golden frames for every ND and ICMPv6 message
 * (frames_ipv6.h, scapy), an input validation table, duplicate address
 * detection and the neighbour state machine on the virtual clock,
 * fragments (in order, reversed, overlapping, timed out, atomic),
 * forwarding with its errors, path MTU from Packet Too Big, router
 * discovery, and two instances back to back (ping6 link-local and
 * global, UDP over IPv6).
 */
#include <check.h>
#include <stdio.h>

#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/route.h"
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet6/nd6.h"
#include "netstack/netinet6/icmp6.h"
#include "rumpnet/rump_net.h"
#include "tests/unit/frametest.h"
#include "tests/unit/frames_ipv6.h"
#include "tests/unit/unit.h"

#define IP6S(x)		"net.inet6.ip6.stats." x
#define ICMP6S(x)	"net.inet6.icmp6.stats." x
#define UDP6S(x)	"net.inet6.udp6.stats." x
#define ND6S(x)		"net.inet6.nd6.stats." x

/* The IPv6 module objects: refer to them (libnetstack is static). */
static void (*volatile t_keep_ip6)(struct netstack *, struct mbuf *) =
    ip6_input;

static uint64_t t_kmem, t_mbufs;
static struct ft_node *A;

static const uint8_t MAC_P[6] = FT_MAC(2), MAC_R[6] = FT_MAC(3);

static void
a6(const char *s, uint8_t out[16])
{
	ft_addr6(s, out);
}

static unsigned
addrflags(struct ft_node *fn, const char *addr)
{
	struct in6_ifaddr *ia;
	uint8_t a[16];
	unsigned f;

	a6(addr, a);
	ft_lock(fn);
	ia = in6_ifaddr_onif(fn->fn_ifp, a);
	ck_assert_msg(ia != NULL, "%s: no address %s", fn->fn_ns->ns_name,
	    addr);
	f = ia->ia_ifa.ifa_flags;
	ft_unlock(fn);
	return f;
}

static void
addaddr(struct ft_node *fn, const char *addr, unsigned plen)
{
	uint8_t a[16];
	int rv;

	a6(addr, a);
	ft_lock(fn);
	rv = in6_addaddr(fn->fn_ifp, a, plen, 0, ND6_INFINITE_LIFETIME,
	    ND6_INFINITE_LIFETIME);
	ft_unlock(fn);
	ck_assert_int_eq(rv, 0);
}

static int
nbr(struct ft_node *fn, unsigned long cmd, const char *addr,
    const uint8_t *mac, struct rump_nbrreq *out)
{
	struct rump_nbrreq req;
	int rv;

	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET6;
	a6(addr, req.nbr_addr);
	strcpy(req.nbr_ifname, "tst0");
	if (mac != NULL)
		memcpy(req.nbr_lladdr, mac, 6);
	ft_lock(fn);
	rv = in6_control(fn->fn_ns, cmd, &req);
	ft_unlock(fn);
	if (out != NULL)
		*out = req;
	return rv;
}

static int
nbr_state(struct ft_node *fn, const char *addr)
{
	struct rump_nbrreq req;

	if (nbr(fn, RUMP_SIOCGNBR, addr, NULL, &req) != 0)
		return -1;
	return (int)req.nbr_state;
}

/* A node with MAC :host, its link-local address, and (if global) the
 * global address 2001:db8::<host>/64 past duplicate detection. */
static struct ft_node *
node(const char *name, unsigned host, bool global)
{
	struct ft_node *fn;
	char addr[64];

	(void)t_keep_ip6;
	fn = ft_create(&(struct ft_config){ .fc_name = name,
	    .fc_lladdr = FT_MAC((uint8_t)host) });
	if (global) {
		snprintf(addr, sizeof(addr), "2001:db8::%x", host);
		addaddr(fn, addr, 64);
		ft_advance(fn, NS_SEC(2));
		ft_tx_clear(fn);
	}
	ft_lock(fn);
	ip6_state(fn->fn_ns)->ip6s_fragid = 0x2000;
	ft_unlock(fn);
	return fn;
}

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	t_kmem = kmem_inuse();
	t_mbufs = m_inuse();
	A = node("a", 1, true);
	ck_assert_int_eq(nbr(A, RUMP_SIOCSNBR, "2001:db8::2", MAC_P, NULL), 0);
	ck_assert_int_eq(nbr(A, RUMP_SIOCSNBR, "fe80::ff:fe00:2", MAC_P, NULL),
	    0);
	ck_assert_int_eq(nbr(A, RUMP_SIOCSNBR, "fe80::ff:fe00:3", MAC_R, NULL),
	    0);
}

static void
teardown(void)
{
	ft_destroy(A);
	A = NULL;
	ck_assert_uint_eq(m_inuse(), t_mbufs);
	ck_assert_uint_eq(kmem_inuse(), t_kmem);
}

/* ------------------------------------------------------------ basics */

START_TEST(test_defaults)
{
	uint8_t a[16];

	ck_assert_uint_eq(ft_counter(A, "net.inet6.ip6.auto_linklocal"), 1);
	ck_assert_uint_eq(ft_counter(A, "net.inet6.ip6.dad_count"), 1);
	ck_assert_uint_eq(ft_counter(A, "net.inet6.ip6.hlim"), 64);
	ck_assert_uint_eq(ft_counter(A, "net.inet6.ip6.forwarding"), 0);
	ck_assert_uint_eq(ft_counter(A, "net.inet6.ip6.accept_rtadv"), 0);
	ck_assert_uint_eq(ft_counter(A, "net.inet6.icmp6.errppslimit"), 100);
	/* fe80::ff:fe00:1 from 02:00:00:00:00:01 (modified EUI-64). */
	ck_assert_uint_eq(addrflags(A, "fe80::ff:fe00:1"), 0);
	ck_assert_uint_eq(addrflags(A, "2001:db8::1"), 0);
	a6("::1", a);
	ft_lock(A);
	ck_assert(in6_islocal(A->fn_ns, a, 0));
	ft_unlock(A);
	/* Own addresses have no neighbour entry. */
	ck_assert_int_eq(nbr_state(A, "2001:db8::1"), -1);
}
END_TEST

START_TEST(test_fmtaddr)
{
	char buf[IN6_ADDRSTRLEN];
	uint8_t a[16];

	a6("2001:db8:0:0:1:0:0:1", a);
	ck_assert_str_eq(in6_fmtaddr(a, buf), "2001:db8::1:0:0:1");
	a6("fe80::ff:fe00:1", a);
	ck_assert_str_eq(in6_fmtaddr(a, buf), "fe80::ff:fe00:1");
	a6("::", a);
	ck_assert_str_eq(in6_fmtaddr(a, buf), "::");
	a6("::1", a);
	ck_assert_str_eq(in6_fmtaddr(a, buf), "::1");
	a6("2001:db8::", a);
	ck_assert_str_eq(in6_fmtaddr(a, buf), "2001:db8::");
}
END_TEST

/* ----------------------------------------------------------- the table */

static const struct ft_row rows[] = {
	{ .fr_name = "NS for our address: solicited NA with TLLAO",
	  .fr_in = { FT_BYTES(ns_p_for_a) }, .fr_out = { FT_BYTES(na_a_to_p) },
	  .fr_deltas = { { ND6S("nsin"), 1 }, { ND6S("naout"), 1 },
	      { ICMP6S("inhist.neighborsolicit"), 1 },
	      { ICMP6S("outhist.neighboradvert"), 1 } } },
	{ .fr_name = "NS with hop limit 64: ignored",
	  .fr_in = { FT_BYTES(ns_p_for_a_hlim64) },
	  .fr_deltas = { { ND6S("badhlim"), 1 } } },
	{ .fr_name = "DAD probe for our address: NA to all nodes",
	  .fr_in = { FT_BYTES(ns_dad_for_a) },
	  .fr_out = { FT_BYTES(na_a_dad_reply) } },
	{ .fr_name = "unsolicited NA for our address: conflict logged",
	  .fr_in = { FT_BYTES(na_p_unsolicited_for_a) },
	  .fr_deltas = { { ND6S("conflict"), 1 } } },
	{ .fr_name = "echo request",
	  .fr_in = { FT_BYTES(echo_req) }, .fr_out = { FT_BYTES(echo_rep) },
	  .fr_deltas = { { ICMP6S("inhist.echo"), 1 },
	      { ICMP6S("outhist.echoreply"), 1 }, { ICMP6S("reflect"), 1 },
	      { IP6S("delivered"), 1 } } },
	{ .fr_name = "echo request to the link-local address",
	  .fr_in = { FT_BYTES(echo_req_ll) },
	  .fr_out = { FT_BYTES(echo_rep_ll) } },
	{ .fr_name = "bad ICMPv6 checksum",
	  .fr_in = { FT_BYTES(echo_req_badsum) },
	  .fr_deltas = { { ICMP6S("checksum"), 1 } } },
	{ .fr_name = "hop-by-hop option 00xxxxxx: skipped",
	  .fr_in = { FT_BYTES(echo_req_hbh_skip) },
	  .fr_out = { FT_BYTES(echo_rep) } },
	{ .fr_name = "routing header with no segments left: ignored",
	  .fr_in = { FT_BYTES(echo_req_rh_segleft0) },
	  .fr_out = { FT_BYTES(echo_rep) } },
	{ .fr_name = "atomic fragment (RFC 6946)",
	  .fr_in = { FT_BYTES(echo_req_atomic) },
	  .fr_out = { FT_BYTES(echo_rep) },
	  .fr_deltas = { { IP6S("atomicfrags"), 1 },
	      { IP6S("reassembled"), 0 } } },
	{ .fr_name = "version 4",
	  .fr_in = { FT_BYTES(ip6_badvers) },
	  .fr_deltas = { { IP6S("badvers"), 1 } } },
	{ .fr_name = "payload length beyond the frame",
	  .fr_in = { FT_BYTES(ip6_plen_long) },
	  .fr_deltas = { { IP6S("tooshort"), 1 } } },
	{ .fr_name = "shorter than an IPv6 header",
	  .fr_in = { FT_BYTES(ip6_short) },
	  .fr_deltas = { { IP6S("toosmall"), 1 } } },
	{ .fr_name = "multicast source",
	  .fr_in = { FT_BYTES(ip6_src_mcast) },
	  .fr_deltas = { { IP6S("badaddr"), 1 } } },
	{ .fr_name = "loopback destination on the wire",
	  .fr_in = { FT_BYTES(ip6_dst_loopback) },
	  .fr_deltas = { { IP6S("badaddr"), 1 } } },
	{ .fr_name = "no next header",
	  .fr_in = { FT_BYTES(ip6_nonext) },
	  .fr_deltas = { { IP6S("nonext"), 1 } } },
	{ .fr_name = "option 10xxxxxx: parameter problem code 2",
	  .fr_in = { FT_BYTES(hbh_opt_icmp) },
	  .fr_out = { FT_BYTES(hbh_opt_icmp_err) },
	  .fr_deltas = { { IP6S("badoptions"), 1 },
	      { ICMP6S("outhist.paramprob"), 1 } } },
	{ .fr_name = "option 01xxxxxx: discarded silently",
	  .fr_in = { FT_BYTES(hbh_opt_discard) },
	  .fr_deltas = { { IP6S("badoptions"), 1 } } },
	{ .fr_name = "option 11xxxxxx to multicast: no error",
	  .fr_in = { FT_BYTES(hbh_opt_icmp_mcast) },
	  .fr_deltas = { { IP6S("badoptions"), 1 },
	      { ICMP6S("error"), 0 } } },
	{ .fr_name = "option 10xxxxxx to multicast: error all the same",
	  .fr_in = { FT_BYTES(hbh_opt_forceicmp_mcast) },
	  .fr_out = { FT_BYTES(hbh_opt_forceicmp_mcast_err) },
	  .fr_deltas = { { IP6S("badoptions"), 1 } } },
	{ .fr_name = "option longer than its header",
	  .fr_in = { FT_BYTES(hbh_opt_overrun) },
	  .fr_out = { FT_BYTES(hbh_opt_overrun_err) },
	  .fr_deltas = { { IP6S("badoptions"), 1 } } },
	{ .fr_name = "hop-by-hop after another header",
	  .fr_in = { FT_BYTES(hbh_not_first) },
	  .fr_out = { FT_BYTES(hbh_not_first_err) },
	  .fr_deltas = { { IP6S("hbhnotfirst"), 1 } } },
	{ .fr_name = "type 0 routing header (RFC 5095)",
	  .fr_in = { FT_BYTES(rthdr0) }, .fr_out = { FT_BYTES(rthdr0_err) },
	  .fr_deltas = { { IP6S("rthdr"), 1 } } },
	{ .fr_name = "eleven extension headers",
	  .fr_in = { FT_BYTES(toomany) },
	  .fr_deltas = { { IP6S("toomanyhdr"), 1 } } },
	{ .fr_name = "unknown next header",
	  .fr_in = { FT_BYTES(noproto) }, .fr_out = { FT_BYTES(noproto_err) },
	  .fr_deltas = { { IP6S("noproto"), 1 } } },
	{ .fr_name = "unknown next header to multicast: no error",
	  .fr_in = { FT_BYTES(noproto_mcast) },
	  .fr_deltas = { { IP6S("noproto"), 1 }, { ICMP6S("oldmcast"), 1 } } },
	{ .fr_name = "an error about nobody: counted only",
	  .fr_in = { FT_BYTES(unreach_in) },
	  .fr_deltas = { { ICMP6S("inhist.unreach"), 1 },
	      { ICMP6S("error"), 0 } } },
	{ .fr_name = "UDP to a closed port",
	  .fr_in = { FT_BYTES(udp_closed) },
	  .fr_out = { FT_BYTES(udp_closed_err) },
	  .fr_deltas = { { UDP6S("noport"), 1 },
	      { ICMP6S("outhist.unreach"), 1 } } },
	{ .fr_name = "UDP without checksum: dropped",
	  .fr_in = { FT_BYTES(udp_nosum) },
	  .fr_deltas = { { UDP6S("nosum"), 1 }, { UDP6S("noport"), 0 } } },
	{ .fr_name = "UDP with a bad checksum",
	  .fr_in = { FT_BYTES(udp_badsum) },
	  .fr_deltas = { { UDP6S("badsum"), 1 } } },
	{ .fr_name = "UDP to a closed port, multicast: no error",
	  .fr_in = { FT_BYTES(udp_mcast_closed) },
	  .fr_deltas = { { UDP6S("noportmcast"), 1 },
	      { ICMP6S("error"), 0 } } },
	{ .fr_name = "fragment of odd length",
	  .fr_in = { FT_BYTES(frag_odd) }, .fr_out = { FT_BYTES(frag_odd_err) },
	  .fr_deltas = { { IP6S("badfrags"), 1 } } },
};

/* Every row with each capability mask: the wire is the same. */
static const uint32_t capmasks[] = { 0, 0x15500, 0x6aa80, 0x7ff80 };

START_TEST(test_row)
{
	size_t n = nitems(rows);

	ft_set_capenable(A, capmasks[(size_t)_i / n]);
	ft_run_row(A, &rows[(size_t)_i % n]);
}
END_TEST

/* ------------------------------------------------------------------ DAD */

START_TEST(test_dad_ok)
{
	struct ft_node *b = node("b", 1, false);

	addaddr(b, "2001:db8::1", 64);
	ft_expect_tx(b, dad_ns_a, sizeof(dad_ns_a));
	ft_expect_no_tx(b);
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), IN6_IFF_TENTATIVE);
	ft_advance(b, NS_MS(999));
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), IN6_IFF_TENTATIVE);
	ft_advance(b, NS_MS(1));
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), 0);
	ft_expect_no_tx(b);	/* no NA after DAD */
	ft_destroy(b);
}
END_TEST

START_TEST(test_dad_tentative_unused)
{
	struct ft_node *b = node("b", 1, false);
	uint8_t a[16];

	addaddr(b, "2001:db8::1", 64);
	ft_tx_clear(b);
	/* Tentative: no traffic accepted, not a source, no NA. */
	ft_input(b, echo_req, sizeof(echo_req));
	ft_input(b, ns_p_for_a, sizeof(ns_p_for_a));
	ft_expect_no_tx(b);
	ck_assert_uint_eq(ft_counter(b, IP6S("cantforward")), 1);
	a6("2001:db8::1", a);
	ft_lock(b);
	ck_assert(!in6_islocal(b->fn_ns, a, 0));
	ft_unlock(b);
	ft_destroy(b);
}
END_TEST

START_TEST(test_dad_dup_na)
{
	struct ft_node *b = node("b", 1, false);

	addaddr(b, "2001:db8::1", 64);
	ft_tx_clear(b);
	ft_input(b, na_p_unsolicited_for_a, sizeof(na_p_unsolicited_for_a));
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), IN6_IFF_DUPLICATED);
	ck_assert_uint_eq(ft_counter(b, ND6S("dadduplicated")), 1);
	ft_advance(b, NS_SEC(5));
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), IN6_IFF_DUPLICATED);
	ft_expect_no_tx(b);
	ft_destroy(b);
}
END_TEST

START_TEST(test_dad_dup_ns)
{
	struct ft_node *b = node("b", 1, false);

	addaddr(b, "2001:db8::1", 64);
	ft_tx_clear(b);
	ft_input(b, ns_dad_for_a, sizeof(ns_dad_for_a));
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), IN6_IFF_DUPLICATED);
	ft_expect_no_tx(b);
	ft_destroy(b);
}
END_TEST

START_TEST(test_dad_count)
{
	struct ft_node *b = node("b", 1, false);

	ft_sysctl_set(b, "net.inet6.ip6.dad_count", 3);
	addaddr(b, "2001:db8::1", 64);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(addrflags(b, "2001:db8::1"),
		    IN6_IFF_TENTATIVE);
		ft_expect_tx(b, dad_ns_a, sizeof(dad_ns_a));
		ft_expect_no_tx(b);
		ft_advance(b, NS_SEC(1));
	}
	ck_assert_uint_eq(addrflags(b, "2001:db8::1"), 0);
	ft_expect_no_tx(b);
	ft_destroy(b);
}
END_TEST

/* Lifetimes: deprecated after pltime (still ours, not preferred as a
 * source), gone after vltime with its routes. */
START_TEST(test_lifetimes)
{
	uint8_t a[16], src[16], dst[16];
	int rv;

	a6("2001:db8::9", a);
	a6("2001:db8::2", dst);
	ft_lock(A);
	rv = in6_addaddr(A->fn_ifp, a, 64, IN6_IFF_NODAD, 10, 20);
	ft_unlock(A);
	ck_assert_int_eq(rv, 0);
	ck_assert_uint_eq(addrflags(A, "2001:db8::9"), IN6_IFF_NODAD);
	ft_advance(A, NS_SEC(10));
	ck_assert_uint_eq(addrflags(A, "2001:db8::9"),
	    IN6_IFF_NODAD | IN6_IFF_DEPRECATED);
	ft_lock(A);
	ck_assert(in6_islocal(A->fn_ns, a, 0));
	ck_assert_int_eq(in6_selectsrc(A->fn_ns, dst, A->fn_ifp, src), 0);
	ck_assert_mem_ne(src, a, 16);
	ft_unlock(A);
	ft_advance(A, NS_SEC(10));
	ft_lock(A);
	ck_assert_ptr_null(in6_ifaddr_onif(A->fn_ifp, a));
	ck_assert_ptr_null(rt_lookup_exact(A->fn_ns, AF_INET6, a, 128));
	ft_unlock(A);
	ft_expect_no_tx(A);
}
END_TEST

/* Down: DETACHED; up again: the link-local address is probed anew. */
START_TEST(test_down_up)
{
	ft_lock(A);
	ck_assert_int_eq(if_setflags(A->fn_ifp, A->fn_ifp->if_flags & ~IFF_UP),
	    0);
	ft_unlock(A);
	ck_assert_uint_eq(addrflags(A, "2001:db8::1"), IN6_IFF_DETACHED);
	ft_lock(A);
	ck_assert_int_eq(if_setflags(A->fn_ifp, A->fn_ifp->if_flags | IFF_UP),
	    0);
	ft_unlock(A);
	ft_settle(A);
	ft_expect_tx(A, dad_ns_ll, sizeof(dad_ns_ll));
	ft_expect_tx(A, dad_ns_a, sizeof(dad_ns_a));
	ck_assert_uint_eq(addrflags(A, "2001:db8::1"), IN6_IFF_TENTATIVE);
	ft_advance(A, NS_SEC(1));
	ck_assert_uint_eq(addrflags(A, "2001:db8::1"), 0);
	ft_expect_no_tx(A);
}
END_TEST

/* ------------------------------------------------- neighbour states */

START_TEST(test_nd_states)
{
	ck_assert_int_eq(nbr(A, RUMP_SIOCDNBR, "2001:db8::2", NULL, NULL), 0);
	/* The reply needs P's address: INCOMPLETE, NS to its group. */
	ft_input(A, echo_req, sizeof(echo_req));
	ft_expect_tx(A, ns_a_for_p, sizeof(ns_a_for_p));
	ft_expect_no_tx(A);
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_INCOMPLETE);
	ft_input(A, na_p_to_a, sizeof(na_p_to_a));
	ft_expect_tx(A, echo_rep, sizeof(echo_rep));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_REACHABLE);
	/* ReachableTime later: STALE, still usable, DELAY on use. */
	ft_advance(A, NS_SEC(30));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_STALE);
	ft_input(A, echo_req, sizeof(echo_req));
	ft_expect_tx(A, echo_rep, sizeof(echo_rep));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_DELAY);
	/* No hint for 5 s: PROBE with a unicast NS. */
	ft_advance(A, NS_SEC(5));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_PROBE);
	ft_expect_tx(A, ns_a_for_p_unicast, sizeof(ns_a_for_p_unicast));
	ft_expect_no_tx(A);
	ft_input(A, na_p_to_a, sizeof(na_p_to_a));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_REACHABLE);
	/* Stale for a day, then gone. */
	ft_advance(A, NS_SEC(30));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_STALE);
	ft_advance(A, NS_SEC(86400));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), -1);
	ft_expect_no_tx(A);
}
END_TEST

START_TEST(test_nd_probe_fails)
{
	ck_assert_int_eq(nbr(A, RUMP_SIOCDNBR, "2001:db8::2", NULL, NULL), 0);
	ft_input(A, echo_req, sizeof(echo_req));
	for (int i = 0; i < 3; i++) {
		ft_expect_tx(A, ns_a_for_p, sizeof(ns_a_for_p));
		ft_expect_no_tx(A);
		ft_advance(A, NS_SEC(1));
	}
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), -1);
	ck_assert_uint_eq(ft_counter(A, ND6S("timeouts")), 1);
	ck_assert_uint_eq(ft_counter(A, ND6S("dropped")), 1);
	ft_tx_clear(A);
}
END_TEST

START_TEST(test_nd_static)
{
	struct rump_nbrreq req;

	ck_assert_int_eq(nbr(A, RUMP_SIOCSNBR, "2001:db8::2", MAC_P, NULL),
	    EEXIST);
	ck_assert_int_eq(nbr(A, RUMP_SIOCGNBR, "2001:db8::2", NULL, &req), 0);
	ck_assert_uint_eq(req.nbr_flags & RUMP_NBRF_PERMANENT,
	    RUMP_NBRF_PERMANENT);
	ck_assert_uint_eq(req.nbr_expire, 0);
	ck_assert_mem_eq(req.nbr_lladdr, MAC_P, 6);
	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET6;
	ft_lock(A);
	ck_assert_int_eq(in6_control(A->fn_ns, RUMP_SIOCFLUSHNBR, &req), 0);
	ft_unlock(A);
	ck_assert_uint_eq(req.nbr_index, 0);	/* static ones stay */
	req.nbr_flags = RUMP_NBRF_ALL;
	ft_lock(A);
	ck_assert_int_eq(in6_control(A->fn_ns, RUMP_SIOCFLUSHNBR, &req), 0);
	ft_unlock(A);
	ck_assert_uint_eq(req.nbr_index, 3);
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), -1);
}
END_TEST

/* A full cache makes room by evicting the entry closest to expiry. */
START_TEST(test_nd_cache_full)
{
	struct rump_nbrreq req;

	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET6;
	req.nbr_flags = RUMP_NBRF_ALL;
	ft_lock(A);
	ck_assert_int_eq(in6_control(A->fn_ns, RUMP_SIOCFLUSHNBR, &req), 0);
	ft_unlock(A);
	ft_sysctl_set(A, "net.inet6.ip6.neighborgcthresh", 1);
	{
		memset(&req, 0, sizeof(req));
		req.nbr_family = AF_INET6;
		a6("2001:db8::8", req.nbr_addr);
		memcpy(req.nbr_lladdr, MAC_R, 6);
		req.nbr_flags = RUMP_NBRF_TEMP;
		ft_lock(A);
		ck_assert_int_eq(in6_control(A->fn_ns, RUMP_SIOCSNBR, &req), 0);
		ft_unlock(A);
	}
	/* P's NS creates an entry (used at once for the NA: DELAY); the
	 * temporary one makes room. */
	ft_input(A, ns_p_for_a, sizeof(ns_p_for_a));
	ft_expect_tx(A, na_a_to_p, sizeof(na_a_to_p));
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_DELAY);
	ck_assert_int_eq(nbr_state(A, "2001:db8::8"), -1);
	ck_assert_uint_eq(ft_counter(A, ND6S("cachefull")), 1);
	/* Permanent entries are not limited. */
	ck_assert_int_eq(nbr(A, RUMP_SIOCSNBR, "2001:db8::7", MAC_R, NULL), 0);
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_DELAY);
}
END_TEST

/* ------------------------------------------------------------ fragments */

static void
expect_reply_frags(void)
{
	ft_expect_tx(A, frag_out_0, sizeof(frag_out_0));
	ft_expect_tx(A, frag_out_1, sizeof(frag_out_1));
	ft_expect_no_tx(A);
}

START_TEST(test_frag_inorder)
{
	_Static_assert(FRAG_IN_COUNT == 2 && FRAG_OUT_COUNT == 2, "frames");
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ft_expect_no_tx(A);
	ft_input(A, frag_in_1, sizeof(frag_in_1));
	expect_reply_frags();
	ck_assert_uint_eq(ft_counter(A, IP6S("reassembled")), 1);
	ck_assert_uint_eq(ft_counter(A, IP6S("fragmented")), 1);
	ck_assert_uint_eq(ft_counter(A, IP6S("ofragments")), 2);
}
END_TEST

START_TEST(test_frag_reverse)
{
	ft_input(A, frag_in_1, sizeof(frag_in_1));
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	expect_reply_frags();
}
END_TEST

START_TEST(test_frag_dup)
{
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ck_assert_uint_eq(ft_counter(A, IP6S("fragdup")), 1);
	ft_input(A, frag_in_1, sizeof(frag_in_1));
	expect_reply_frags();
}
END_TEST

START_TEST(test_frag_overlap)
{
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ft_input(A, frag_overlap, sizeof(frag_overlap));
	ck_assert_uint_eq(ft_counter(A, IP6S("fragoverlap")), 2);
	/* RFC 5722: the rest of it is dropped too, and no error later. */
	ft_input(A, frag_in_1, sizeof(frag_in_1));
	ck_assert_uint_eq(ft_counter(A, IP6S("fragoverlap")), 3);
	ft_advance(A, NS_SEC(61));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("reassembled")), 0);
}
END_TEST

START_TEST(test_frag_timeout)
{
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ft_advance(A, NS_SEC(59));
	ft_expect_no_tx(A);
	ft_advance(A, NS_SEC(1));
	ft_expect_tx(A, frag_timeout_err, sizeof(frag_timeout_err));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("fragtimeout")), 1);
	/* Without the first fragment: dropped silently. */
	ft_input(A, frag_in_1, sizeof(frag_in_1));
	ft_advance(A, NS_SEC(60));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("fragtimeout")), 2);
}
END_TEST

START_TEST(test_frag_limit)
{
	ft_sysctl_set(A, "net.inet6.ip6.maxfragpackets", 0);
	ft_input(A, frag_in_0, sizeof(frag_in_0));
	ck_assert_uint_eq(ft_counter(A, IP6S("fragdropped")), 1);
	ft_advance(A, NS_SEC(61));
	ft_expect_no_tx(A);
}
END_TEST

/* ------------------------------------------------------------ forwarding */

static void
route_far(uint32_t mtu)
{
	uint8_t dst[16], gw[16], key[16];
	struct rtentry *rt;

	a6("2001:db8:1::", dst);
	a6("fe80::ff:fe00:3", gw);
	ft_lock(A);
	in6_rtkey(gw, A->fn_ifp->if_index, key);
	ck_assert_int_eq(rt_add(A->fn_ns, AF_INET6, dst, 64, key, NULL,
	    RTF_UP | RTF_STATIC, &rt), 0);
	rt->rt_mtu = mtu;
	ft_unlock(A);
}

START_TEST(test_forward)
{
	route_far(0);
	/* Forwarding off: not ours, dropped. */
	ft_input(A, fwd_in, sizeof(fwd_in));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("cantforward")), 1);
	ft_sysctl_set(A, "net.inet6.ip6.forwarding", 1);
	ft_input(A, fwd_in, sizeof(fwd_in));
	ft_expect_tx(A, fwd_out, sizeof(fwd_out));
	ft_input(A, fwd_hlim1, sizeof(fwd_hlim1));
	ft_expect_tx(A, fwd_hlim1_err, sizeof(fwd_hlim1_err));
	ft_input(A, fwd_noroute, sizeof(fwd_noroute));
	ft_expect_tx(A, fwd_noroute_err, sizeof(fwd_noroute_err));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("forward")), 1);
	ck_assert_uint_eq(ft_counter(A, IP6S("hlimexceeded")), 1);
	ck_assert_uint_eq(ft_counter(A, IP6S("noroute")), 1);
}
END_TEST

START_TEST(test_forward_toobig)
{
	route_far(1280);
	ft_sysctl_set(A, "net.inet6.ip6.forwarding", 1);
	ft_input(A, fwd_big, sizeof(fwd_big));
	ft_expect_tx(A, fwd_big_err, sizeof(fwd_big_err));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, IP6S("toobig")), 1);
}
END_TEST

/* Errors are rate limited: errppslimit per second. */
START_TEST(test_ratelimit)
{
	ft_sysctl_set(A, "net.inet6.icmp6.errppslimit", 3);
	for (int i = 0; i < 5; i++)
		ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 3);
	ck_assert_uint_eq(ft_counter(A, ICMP6S("ratelimited")), 2);
	ft_tx_clear(A);
	ft_advance(A, NS_SEC(1));
	ft_input(A, udp_closed, sizeof(udp_closed));
	ft_expect_tx(A, udp_closed_err, sizeof(udp_closed_err));
}
END_TEST

/* ---------------------------------------------------------------- PMTU */

START_TEST(test_pmtu)
{
	uint8_t far[16], nowhere[16];

	route_far(0);
	a6("2001:db8:1::5", far);
	a6("2001:db8:2::5", nowhere);
	ft_lock(A);
	ck_assert_uint_eq(ip6_pmtu(A->fn_ns, far, 0), 1500);
	ft_unlock(A);
	ft_input(A, ptb_for_far, sizeof(ptb_for_far));
	ft_input(A, ptb_tiny, sizeof(ptb_tiny));
	ft_expect_no_tx(A);
	ft_lock(A);
	ck_assert_uint_eq(ip6_pmtu(A->fn_ns, far, 0), 1300);
	/* RFC 8201: never below 1280. */
	ck_assert_uint_eq(ip6_pmtu(A->fn_ns, nowhere, 0), 1280);
	ft_unlock(A);
	ck_assert_uint_eq(ft_counter(A, ICMP6S("inhist.toobig")), 2);
	/* Forgotten after net.inet6.ip6.pmtu_expire (600 s). */
	ft_advance(A, NS_SEC(600));
	ft_lock(A);
	ck_assert_uint_eq(ip6_pmtu(A->fn_ns, far, 0), 1500);
	ft_unlock(A);
}
END_TEST

/* ------------------------------------------------------ router discovery */

START_TEST(test_rs_on_up)
{
	ft_sysctl_set(A, "net.inet6.ip6.accept_rtadv", 1);
	ft_lock(A);
	ck_assert_int_eq(if_setflags(A->fn_ifp, A->fn_ifp->if_flags & ~IFF_UP),
	    0);
	ck_assert_int_eq(if_setflags(A->fn_ifp, A->fn_ifp->if_flags | IFF_UP),
	    0);
	ft_unlock(A);
	ft_settle(A);
	ft_tx_clear(A);		/* the DAD probes */
	ft_advance(A, NS_SEC(1));
	ft_expect_tx(A, rs_a, sizeof(rs_a));
	ft_expect_no_tx(A);
}
END_TEST

START_TEST(test_ra_accept)
{
	uint8_t zero[16] = { 0 };
	struct rtentry *rt;

	/* Off by default: ignored. */
	ft_input(A, ra_r, sizeof(ra_r));
	ck_assert_uint_eq(ft_counter(A, ND6S("raignored")), 1);
	ft_sysctl_set(A, "net.inet6.ip6.accept_rtadv", 1);
	ft_input(A, ra_r, sizeof(ra_r));
	ck_assert_uint_eq(addrflags(A, "2001:db8:5::ff:fe00:1"),
	    IN6_IFF_AUTOCONF | IN6_IFF_TENTATIVE);
	ft_tx_clear(A);
	ft_advance(A, NS_SEC(1));
	ck_assert_uint_eq(addrflags(A, "2001:db8:5::ff:fe00:1"),
	    IN6_IFF_AUTOCONF);
	ft_lock(A);
	rt = rt_lookup_exact(A->fn_ns, AF_INET6, zero, 0);
	ck_assert_ptr_nonnull(rt);
	ck_assert(rt->rt_flags & RTF_GATEWAY);
	ck_assert_ptr_eq(rt->rt_ifp, A->fn_ifp);
	ft_unlock(A);
}
END_TEST

START_TEST(test_ra_send)
{
	ft_input(A, rs_p, sizeof(rs_p));
	ft_expect_no_tx(A);
	ft_sysctl_set(A, "net.inet6.ip6.forwarding", 1);
	ft_sysctl_set(A, "net.inet6.ip6.rtadv", 1);
	ft_input(A, rs_p, sizeof(rs_p));
	ft_expect_tx(A, ra_a, sizeof(ra_a));
	ft_expect_no_tx(A);
}
END_TEST

/* ------------------------------------------------------- back to back */

static struct ksockaddr_in6
sin6(const char *addr, uint16_t port, unsigned scope)
{
	struct ksockaddr_in6 s;

	memset(&s, 0, sizeof(s));
	s.sin6_family = AF_INET6;
	s.sin6_port = htons(port);
	a6(addr, s.sin6_addr.s6_addr);
	s.sin6_scope_id = scope;
	return s;
}

/* ping6 through a raw ICMPv6 socket: the kernel fills in the checksum,
 * the reply comes back without its IPv6 header. */
static void
ping6(struct ft_node *a, struct ft_node *b, struct proc *p, const char *dst,
    unsigned scope, const char *from)
{
	uint8_t req[16] = { ICMP6_ECHO_REQUEST, 0, 0, 0, 0x12, 0x34, 0, 1,
	    'p', 'i', 'n', 'g', '6', '!', '!', '!' }, buf[64];
	struct ksockaddr_in6 to = sin6(dst, 0, scope), src;
	ksocklen_t slen = sizeof(src);
	size_t done;
	int fd;

	ck_assert_int_eq(ksys_socket(p, AF_INET6, KSOCK_RAW, KIPPROTO_ICMPV6,
	    &fd), 0);
	ck_assert_int_eq(ksys_sendto(p, fd, req, sizeof(req), 0, &to,
	    sizeof(to), &done), 0);
	ck_assert_uint_gt(ft_pump(a, b), 0);
	/* Without a filter the socket sees neighbour discovery too. */
	do {
		slen = sizeof(src);
		ck_assert_int_eq(ksys_recvfrom(p, fd, buf, sizeof(buf),
		    KMSG_DONTWAIT, &src, &slen, &done), 0);
	} while (buf[0] != ICMP6_ECHO_REPLY);
	ck_assert_uint_eq(done, sizeof(req));
	ck_assert_uint_eq(buf[0], ICMP6_ECHO_REPLY);
	ck_assert_mem_eq(buf + 4, req + 4, sizeof(req) - 4);
	{
		struct ksockaddr_in6 want = sin6(from, 0, scope);

		ck_assert_mem_eq(&src.sin6_addr, &want.sin6_addr, 16);
		ck_assert_uint_eq(src.sin6_scope_id, want.sin6_scope_id);
	}
	ck_assert_int_eq(ksys_close(p, fd), 0);
}

START_TEST(test_b2b)
{
	struct ft_node *b = node("b", 2, true);
	struct proc *pa, *pb;
	struct ksockaddr_in6 s, from;
	ksocklen_t flen = sizeof(from);
	char buf[32];
	size_t done;
	int fa, fb;
	unsigned idx = A->fn_ifp->if_index;

	ck_assert_int_eq(nbr(A, RUMP_SIOCFLUSHNBR, "::", NULL, NULL), 0);
	{
		struct rump_nbrreq req;

		memset(&req, 0, sizeof(req));
		req.nbr_family = AF_INET6;
		req.nbr_flags = RUMP_NBRF_ALL;
		ft_lock(A);
		ck_assert_int_eq(in6_control(A->fn_ns, RUMP_SIOCFLUSHNBR,
		    &req), 0);
		ft_unlock(A);
	}
	ck_assert_int_eq(proc_create(A->fn_ns, &pa), 0);
	ck_assert_int_eq(proc_create(b->fn_ns, &pb), 0);

	ping6(A, b, pa, "2001:db8::2", 0, "2001:db8::2");
	ping6(A, b, pa, "fe80::ff:fe00:2", idx, "fe80::ff:fe00:2");
	ck_assert_int_eq(nbr_state(A, "2001:db8::2"), RUMP_NBRS_REACHABLE);
	/* B learnt A from its NS (STALE) and used it at once. */
	ck_assert_int_eq(nbr_state(b, "2001:db8::1"), RUMP_NBRS_DELAY);

	/* A link-local destination without a zone has no route. */
	{
		uint8_t req[8] = { ICMP6_ECHO_REQUEST };
		struct ksockaddr_in6 to = sin6("fe80::ff:fe00:2", 0, 0);
		int fd;

		ck_assert_int_eq(ksys_socket(pa, AF_INET6, KSOCK_RAW,
		    KIPPROTO_ICMPV6, &fd), 0);
		ck_assert_int_eq(ksys_sendto(pa, fd, req, sizeof(req), 0, &to,
		    sizeof(to), &done), EHOSTUNREACH);
		ck_assert_int_eq(ksys_close(pa, fd), 0);
	}

	/* UDP over IPv6 both ways, with TX offload on A. */
	ft_set_capenable(A, IFCAP_CSUM_UDPv6_Tx | IFCAP_CSUM_UDPv6_Rx);
	ck_assert_int_eq(ksys_socket(pb, AF_INET6, KSOCK_DGRAM, 0, &fb), 0);
	s = sin6("::", 7777, 0);
	ck_assert_int_eq(ksys_bind(pb, fb, &s, sizeof(s)), 0);
	ck_assert_int_eq(ksys_socket(pa, AF_INET6, KSOCK_DGRAM, 0, &fa), 0);
	s = sin6("2001:db8::2", 7777, 0);
	ck_assert_int_eq(ksys_sendto(pa, fa, "hello6", 6, 0, &s, sizeof(s),
	    &done), 0);
	ck_assert_uint_gt(ft_pump(A, b), 0);
	ck_assert_int_eq(ksys_recvfrom(pb, fb, buf, sizeof(buf), KMSG_DONTWAIT,
	    &from, &flen, &done), 0);
	ck_assert_uint_eq(done, 6);
	ck_assert_mem_eq(buf, "hello6", 6);
	ck_assert_int_eq(ksys_sendto(pb, fb, "reply6", 6, 0, &from, flen,
	    &done), 0);
	ck_assert_uint_gt(ft_pump(A, b), 0);
	ck_assert_int_eq(ksys_recvfrom(pa, fa, buf, sizeof(buf), KMSG_DONTWAIT,
	    &from, &flen, &done), 0);
	ck_assert_mem_eq(buf, "reply6", 6);
	ck_assert_uint_eq(ntohs(from.sin6_port), 7777);
	ck_assert_uint_eq(ft_counter(b, UDP6S("delivered")), 1);
	ck_assert_uint_eq(ft_counter(A, UDP6S("delivered")), 1);

	/* Link-local UDP with the zone in the address. */
	s = sin6("fe80::ff:fe00:2", 7777, idx);
	ck_assert_int_eq(ksys_sendto(pa, fa, "ll", 2, 0, &s, sizeof(s), &done),
	    0);
	ft_pump(A, b);
	ck_assert_int_eq(ksys_recvfrom(pb, fb, buf, sizeof(buf), KMSG_DONTWAIT,
	    &from, &flen, &done), 0);
	ck_assert_uint_eq(from.sin6_scope_id, b->fn_ifp->if_index);

	ck_assert_int_eq(ksys_close(pa, fa), 0);
	ck_assert_int_eq(ksys_close(pb, fb), 0);
	proc_destroy(pa);
	proc_destroy(pb);
	ft_destroy(b);
}
END_TEST

/* UDP through lo0, and a closed port answered with ECONNREFUSED. */
START_TEST(test_udp_local)
{
	struct proc *p;
	struct ksockaddr_in6 s, from;
	ksocklen_t flen = sizeof(from);
	char buf[16];
	size_t done;
	int fd, fc;

	ck_assert_int_eq(proc_create(A->fn_ns, &p), 0);
	ck_assert_int_eq(ksys_socket(p, AF_INET6, KSOCK_DGRAM, 0, &fd), 0);
	s = sin6("::1", 7777, 0);
	ck_assert_int_eq(ksys_bind(p, fd, &s, sizeof(s)), 0);
	ck_assert_int_eq(ksys_socket(p, AF_INET6, KSOCK_DGRAM, 0, &fc), 0);
	ck_assert_int_eq(ksys_connect(p, fc, &s, sizeof(s)), 0);
	ck_assert_int_eq(ksys_sendto(p, fc, "lo", 2, 0, NULL, 0, &done), 0);
	ft_settle(A);
	ck_assert_int_eq(ksys_recvfrom(p, fd, buf, sizeof(buf), KMSG_DONTWAIT,
	    &from, &flen, &done), 0);
	ck_assert_uint_eq(done, 2);
	s = sin6("2001:db8::1", 9, 0);
	ck_assert_int_eq(ksys_connect(p, fc, &s, sizeof(s)), 0);
	ck_assert_int_eq(ksys_sendto(p, fc, "x", 1, 0, NULL, 0, &done), 0);
	ft_settle(A);
	ck_assert_int_eq(ksys_sendto(p, fc, "x", 1, 0, NULL, 0, &done),
	    ECONNREFUSED);
	ck_assert_int_eq(ksys_close(p, fd), 0);
	ck_assert_int_eq(ksys_close(p, fc), 0);
	proc_destroy(p);
	ft_expect_no_tx(A);
}
END_TEST

static Suite *
ip6_suite(void)
{
	Suite *s = suite_create("ip6");
	TCase *tc = tcase_create("ip6");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_fmtaddr);
	tcase_add_loop_test(tc, test_row, 0, (int)(nitems(rows) *
	    nitems(capmasks)));
	tcase_add_test(tc, test_dad_ok);
	tcase_add_test(tc, test_dad_tentative_unused);
	tcase_add_test(tc, test_dad_dup_na);
	tcase_add_test(tc, test_dad_dup_ns);
	tcase_add_test(tc, test_dad_count);
	tcase_add_test(tc, test_lifetimes);
	tcase_add_test(tc, test_down_up);
	tcase_add_test(tc, test_nd_states);
	tcase_add_test(tc, test_nd_probe_fails);
	tcase_add_test(tc, test_nd_static);
	tcase_add_test(tc, test_nd_cache_full);
	tcase_add_test(tc, test_frag_inorder);
	tcase_add_test(tc, test_frag_reverse);
	tcase_add_test(tc, test_frag_dup);
	tcase_add_test(tc, test_frag_overlap);
	tcase_add_test(tc, test_frag_timeout);
	tcase_add_test(tc, test_frag_limit);
	tcase_add_test(tc, test_forward);
	tcase_add_test(tc, test_forward_toobig);
	tcase_add_test(tc, test_ratelimit);
	tcase_add_test(tc, test_pmtu);
	tcase_add_test(tc, test_rs_on_up);
	tcase_add_test(tc, test_ra_accept);
	tcase_add_test(tc, test_ra_send);
	tcase_add_test(tc, test_b2b);
	tcase_add_test(tc, test_udp_local);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(ip6_suite());
}
