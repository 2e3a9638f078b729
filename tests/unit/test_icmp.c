/*
 * test_icmp.c -- ICMP (RFC 792, RFC 1122 3.2.2): echo, input checks,
 * the rules about when no error may be sent, the error rate limit on
 * the virtual clock, the errno mapping, and echo between two instances
 * wired back to back.  Golden frames: frames_ipv4.h (scapy).
 */
#include <check.h>

#include "tests/unit/frames_ipv4.h"
#include "tests/unit/test_ip_fixture.h"
#include "tests/unit/unit.h"

#define IPS(x)		"net.inet.ip.stats." x
#define ICMPS(x)	"net.inet.icmp.stats." x

static const struct ft_row icmp_rows[] = {
	{ .fr_name = "echo to the subnet broadcast: ignored by default",
	  .fr_in = { FT_BYTES(echo_req_bcast) },
	  .fr_deltas = { { ICMPS("inhist.echo"), 1 }, { ICMPS("bmcastecho"), 1 },
	      { ICMPS("outhist.echoreply"), 0 } } },
	{ .fr_name = "echo to 255.255.255.255: ignored by default",
	  .fr_in = { FT_BYTES(echo_req_lbcast) },
	  .fr_deltas = { { ICMPS("bmcastecho"), 1 } } },
	{ .fr_name = "bad ICMP checksum",
	  .fr_in = { FT_BYTES(icmp_badsum) },
	  .fr_deltas = { { ICMPS("checksum"), 1 }, { ICMPS("inhist.echo"), 0 } } },
	{ .fr_name = "shorter than an ICMP header",
	  .fr_in = { FT_BYTES(icmp_short) },
	  .fr_deltas = { { ICMPS("tooshort"), 1 } } },
	{ .fr_name = "unreachable with code 20",
	  .fr_in = { FT_BYTES(icmp_unreach_badcode) },
	  .fr_deltas = { { ICMPS("badcode"), 1 } } },
	{ .fr_name = "unreachable quoting too little",
	  .fr_in = { FT_BYTES(icmp_unreach_badlen) },
	  .fr_deltas = { { ICMPS("badlen"), 1 } } },
	{ .fr_name = "port unreachable for nobody",
	  .fr_in = { FT_BYTES(icmp_unreach_port) },
	  .fr_deltas = { { ICMPS("inhist.unreach"), 1 }, { ICMPS("badlen"), 0 },
	      { ICMPS("error"), 0 } } },
	{ .fr_name = "unknown type: counted, not answered",
	  .fr_in = { FT_BYTES(icmp_unknown) },
	  .fr_deltas = { { IPS("delivered"), 1 }, { ICMPS("error"), 0 } } },
	{ .fr_name = "no error to source 0.0.0.0",
	  .fr_in = { FT_BYTES(ip_noproto_src0) },
	  .fr_deltas = { { IPS("noproto"), 1 }, { ICMPS("oldmartian"), 1 } } },
	{ .fr_name = "no error about a broadcast",
	  .fr_in = { FT_BYTES(ip_noproto_bcast) },
	  .fr_deltas = { { ICMPS("error"), 1 }, { ICMPS("oldbmcast"), 1 } } },
};

START_TEST(test_icmp_row)
{
	fx_run_row_masked(A, icmp_rows, nitems(icmp_rows), _i);
}
END_TEST

START_TEST(test_bmcastecho)
{
	ft_sysctl_set(A, "net.inet.icmp.bmcastecho", 1);
	/* Answered from the receiving interface's address. */
	ft_input(A, echo_req_bcast, sizeof(echo_req_bcast));
	ft_expect_tx(A, echo_rep, sizeof(echo_rep));
	ft_expect_no_tx(A);
	ft_lock(A);
	ip_state(A->fn_ns)->ips_id = FX_FIRST_ID;
	ft_unlock(A);
	ft_input(A, echo_req_lbcast, sizeof(echo_req_lbcast));
	ft_expect_tx(A, echo_rep, sizeof(echo_rep));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, ICMPS("bmcastecho")), 0);
	ck_assert_uint_eq(ft_counter(A, ICMPS("reflect")), 2);
}
END_TEST

/* Token bucket: errppslimit per second, bursts of one second's worth. */
START_TEST(test_ratelimit)
{
	ft_sysctl_set(A, "net.inet.icmp.errppslimit", 5);
	for (int i = 0; i < 8; i++)
		ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 5);
	ft_expect_tx(A, udp_closed_unreach, sizeof(udp_closed_unreach));
	ft_tx_clear(A);
	ck_assert_uint_eq(ft_counter(A, ICMPS("ratelimited")), 3);
	ck_assert_uint_eq(ft_counter(A, ICMPS("outhist.unreach")), 5);
	ck_assert_uint_eq(ft_counter(A, "net.inet.udp.stats.noport"), 8);

	/* 199 ms refill less than one token; 200 ms exactly one. */
	ft_advance(A, NS_MS(199));
	ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 0);
	ft_advance(A, NS_MS(200));
	ft_input(A, udp_closed, sizeof(udp_closed));
	ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	ck_assert_uint_eq(ft_counter(A, ICMPS("ratelimited")), 5);

	/* A long pause refills the whole bucket, no more. */
	ft_advance(A, NS_SEC(3600));
	for (int i = 0; i < 7; i++)
		ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 5);
	ft_tx_clear(A);

	/* 0: no errors at all; -1: no limit.  Echo is never limited. */
	ft_sysctl_set(A, "net.inet.icmp.errppslimit", 0);
	ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 0);
	ft_input(A, echo_req, sizeof(echo_req));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	ft_sysctl_set(A, "net.inet.icmp.errppslimit", -1);
	for (int i = 0; i < 150; i++)
		ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 150);
	ft_tx_clear(A);
}
END_TEST

START_TEST(test_errno_map)
{
	bool hard;

	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, ICMP_UNREACH_PORT, &hard),
	    ECONNREFUSED);
	ck_assert(hard);
	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, ICMP_UNREACH_NET, &hard),
	    ENETUNREACH);
	ck_assert(!hard);
	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, ICMP_UNREACH_HOST, &hard),
	    EHOSTUNREACH);
	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG,
	    &hard), EMSGSIZE);
	ck_assert(!hard);
	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, ICMP_UNREACH_PROTOCOL,
	    &hard), ENOPROTOOPT);
	ck_assert(hard);
	ck_assert_int_eq(icmp_errno(ICMP_UNREACH, 16, &hard), 0);
	ck_assert_int_eq(icmp_errno(ICMP_TIMXCEED, 0, &hard), EHOSTUNREACH);
	ck_assert(!hard);
	ck_assert_int_eq(icmp_errno(ICMP_PARAMPROB, 0, &hard), EPROTO);
	ck_assert(hard);
	ck_assert_int_eq(icmp_errno(ICMP_SOURCEQUENCH, 0, &hard), 0);
	ck_assert_int_eq(icmp_errno(ICMP_REDIRECT, 1, &hard), 0);
	ck_assert(icmp_iserror(ICMP_UNREACH) && !icmp_iserror(ICMP_ECHO) &&
	    !icmp_iserror(ICMP_ECHOREPLY) && icmp_iserror(ICMP_PARAMPROB));
}
END_TEST

/* An echo request built by hand, sent through ip_output. */
static int
send_echo(struct ft_node *fn, const char *dst, uint16_t seq)
{
	static const char data[] = "two instances, one wire";
	struct mbuf *m = m_gethdr(IP_MINHLEN + ICMP_MINLEN + sizeof(data));
	struct ip *ip;
	struct icmp_hdr *icp;
	int rv;

	ck_assert_ptr_nonnull(m);
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN + ICMP_MINLEN);
	ip->ip_ttl = 64;
	ip->ip_p = KIPPROTO_ICMP;
	ip->ip_dst = ft_addr(dst);
	icp = (struct icmp_hdr *)(ip + 1);
	icp->icmp_type = ICMP_ECHO;
	icp->icmp_hun.ih_idseq.icd_id = htons(0x77);
	icp->icmp_hun.ih_idseq.icd_seq = htons(seq);
	memcpy(icp + 1, data, sizeof(data));
	icp->icmp_cksum = in_cksum(icp, ICMP_MINLEN + sizeof(data));
	ft_lock(fn);
	rv = ip_output(fn->fn_ns, m, NULL, 0);
	ft_unlock(fn);
	ft_settle(fn);
	return rv;
}

/* Ping ourselves: through lo0 and back, nothing on the wire. */
START_TEST(test_ping_self)
{
	ck_assert_int_eq(send_echo(A, "198.51.100.1", 1), 0);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, ICMPS("inhist.echo")), 1);
	ck_assert_uint_eq(ft_counter(A, ICMPS("inhist.echoreply")), 1);
	ck_assert_int_eq(send_echo(A, "127.0.0.1", 2), 0);
	ck_assert_uint_eq(ft_counter(A, ICMPS("inhist.echoreply")), 2);
	ft_expect_no_tx(A);
}
END_TEST

/* -------------------------------------------------------- raw sockets */

static struct proc *PA;

static void
raw_setup(void)
{
	fx_setup();
	ck_assert_int_eq(proc_create(A->fn_ns, &PA), 0);
}

static void
raw_teardown(void)
{
	proc_destroy(PA);
	PA = NULL;
	fx_teardown();
}

/* The ICMP message ping hands to a raw socket: echo_req's, from A. */
static size_t
ping_message(uint8_t *buf)
{
	/* raw_echo_out minus its Ethernet and IP headers. */
	size_t len = sizeof(raw_echo_out) - ETHER_HDR_LEN - IP_MINHLEN;

	memcpy(buf, raw_echo_out + ETHER_HDR_LEN + IP_MINHLEN, len);
	return len;
}

/* ping: the application gives the ICMP message, the kernel the header;
 * every ICMP datagram comes back with its IP header. */
START_TEST(test_raw_ping)
{
	int fd = fx_socket(PA, KSOCK_RAW, KIPPROTO_ICMP, NULL, 0);
	uint8_t msg[128], buf[256];
	size_t len = ping_message(msg), n;
	struct ksockaddr_in from;

	ck_assert_int_eq(fx_sendto(PA, fd, msg, len, "198.51.100.2", 0), 0);
	ft_settle(A);
	ft_expect_tx(A, raw_echo_out, sizeof(raw_echo_out));
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, "net.inet.raw.stats.opackets"), 1);

	ft_input(A, echo_rep_from_p, sizeof(echo_rep_from_p));
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &from), 0);
	ck_assert_uint_eq(n, sizeof(echo_rep_from_p) - ETHER_HDR_LEN);
	ck_assert_mem_eq(buf, echo_rep_from_p + ETHER_HDR_LEN, n);
	ck_assert_uint_eq(from.sin_addr, ft_addr("198.51.100.2"));
	ck_assert_uint_eq(from.sin_port, 0);

	/* An echo request to us: a copy for the socket, and the reply. */
	ft_input(A, echo_req, sizeof(echo_req));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &from), 0);
	ck_assert_mem_eq(buf, echo_req + ETHER_HDR_LEN, n);
	/* Not a copy of what ICMP refused. */
	ft_input(A, icmp_badsum, sizeof(icmp_badsum));
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &from), EAGAIN);
	/* Nor of other protocols. */
	ft_input(A, udp_closed, sizeof(udp_closed));
	ft_tx_clear(A);
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &from), EAGAIN);
	ck_assert_uint_eq(ft_counter(A, "net.inet.raw.stats.ipackets"), 2);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

/* IP_HDRINCL: the application's header, with ip_len, a zero ip_id and
 * a zero ip_src filled in and the checksum computed. */
START_TEST(test_raw_hdrincl)
{
	int fd = fx_socket(PA, KSOCK_RAW, KIPPROTO_ICMP, NULL, 0);
	uint8_t pkt[256];
	size_t len = sizeof(raw_echo_out) - ETHER_HDR_LEN;
	struct ip *ip = (struct ip *)pkt;

	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_HDRINCL),
	    0);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_HDRINCL,
	    1), 0);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_HDRINCL),
	    1);
	memcpy(pkt, raw_echo_out + ETHER_HDR_LEN, len);
	ip->ip_len = htons(7);
	ip->ip_id = 0;
	ip->ip_src = 0;
	ip->ip_sum = htons(0xdead);
	ck_assert_int_eq(fx_sendto(PA, fd, pkt, len, "198.51.100.2", 0), 0);
	ft_settle(A);
	ft_expect_tx(A, raw_echo_out, sizeof(raw_echo_out));
	ck_assert_uint_eq(ft_counter(A, IPS("rawout")), 1);
	/* A header that is not one. */
	pkt[0] = 0x44;
	ck_assert_int_eq(fx_sendto(PA, fd, pkt, len, "198.51.100.2", 0),
	    EINVAL);
	ck_assert_uint_eq(ft_counter(A, "net.inet.raw.stats.badhdr"), 1);
	ft_expect_no_tx(A);
	ck_assert_int_eq(ksys_close(PA, fd), 0);

	/* IPPROTO_RAW implies IP_HDRINCL and receives nothing. */
	fd = fx_socket(PA, KSOCK_RAW, KIPPROTO_RAW, NULL, 0);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_HDRINCL),
	    1);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_raw_other_protocol)
{
	/* A raw socket for a protocol nobody handles: it takes the
	 * datagram, so no protocol unreachable goes out. */
	int fd;
	uint8_t buf[128];
	size_t n = sizeof(buf);
	struct ksockaddr_in from;

	ck_assert_int_eq(ksys_socket(PA, AF_INET, KSOCK_RAW, 0, &fd),
	    EPROTONOSUPPORT);
	fd = fx_socket(PA, KSOCK_RAW, KIPPROTO_UDP, NULL, 0);
	/* UDP still answers for its closed port. */
	ft_input(A, udp_closed, sizeof(udp_closed));
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &from), 0);
	ck_assert_mem_eq(buf, udp_closed + ETHER_HDR_LEN, n);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

/* --------------------------------------------------- two instances */

static void
pair_setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	fx_kmem = kmem_inuse();
	fx_mbufs = m_inuse();
	A = NULL;
}

START_TEST(test_pair_echo)
{
	struct ft_node *a = fx_node("a", 1, _i == 0 ? 0 : 0x7ff80);
	struct ft_node *b = fx_node("b", 2, _i == 0 ? 0 : 0x7ff80);

	for (uint16_t seq = 1; seq <= 3; seq++) {
		ck_assert_int_eq(send_echo(a, "198.51.100.2", seq), 0);
		ck_assert_uint_gt(ft_pump(a, b), 0);
	}
	ck_assert_uint_eq(ft_counter(b, ICMPS("inhist.echo")), 3);
	ck_assert_uint_eq(ft_counter(b, ICMPS("outhist.echoreply")), 3);
	ck_assert_uint_eq(ft_counter(a, ICMPS("inhist.echoreply")), 3);
	ck_assert_uint_eq(ft_counter(a, IPS("badsum")), 0);
	ck_assert_uint_eq(ft_counter(b, IPS("badsum")), 0);

	ft_destroy(a);
	ft_destroy(b);
}
END_TEST

/* ping from a to b through a raw socket, as rump.ping does. */
START_TEST(test_pair_raw_ping)
{
	struct ft_node *a = fx_node("a", 1, 0);
	struct ft_node *b = fx_node("b", 2, 0);
	struct proc *pa;
	uint8_t msg[128], buf[256];
	size_t len = ping_message(msg), n;
	struct ksockaddr_in from;
	int fd;

	ck_assert_int_eq(proc_create(a->fn_ns, &pa), 0);
	fd = fx_socket(pa, KSOCK_RAW, KIPPROTO_ICMP, NULL, 0);
	ck_assert_int_eq(fx_sendto(pa, fd, msg, len, "198.51.100.2", 0), 0);
	ck_assert_uint_gt(ft_pump(a, b), 0);
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(pa, fd, buf, &n, &from), 0);
	ck_assert_uint_eq(n, IP_MINHLEN + len);
	ck_assert_uint_eq(buf[IP_MINHLEN], ICMP_ECHOREPLY);
	ck_assert_mem_eq(buf + IP_MINHLEN + 4, msg + 4, len - 4);
	ck_assert_uint_eq(from.sin_addr, ft_addr("198.51.100.2"));
	ck_assert_int_eq(ksys_close(pa, fd), 0);
	proc_destroy(pa);
	ft_destroy(a);
	ft_destroy(b);
}
END_TEST

static Suite *
icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc;

	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_icmp_row, 0,
	    (int)(nitems(icmp_rows) * FX_NCAPMASKS));
	tcase_add_test(tc, test_bmcastecho);
	tcase_add_test(tc, test_ratelimit);
	tcase_add_test(tc, test_errno_map);
	tcase_add_test(tc, test_ping_self);
	suite_add_tcase(s, tc);

	tc = tcase_create("raw");
	tcase_add_checked_fixture(tc, raw_setup, raw_teardown);
	tcase_add_test(tc, test_raw_ping);
	tcase_add_test(tc, test_raw_hdrincl);
	tcase_add_test(tc, test_raw_other_protocol);
	suite_add_tcase(s, tc);

	tc = tcase_create("pair");
	tcase_add_checked_fixture(tc, pair_setup, fx_teardown);
	tcase_add_loop_test(tc, test_pair_echo, 0, 2);
	tcase_add_test(tc, test_pair_raw_ping);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(icmp_suite());
}
