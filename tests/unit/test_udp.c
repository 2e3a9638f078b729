/*
 * test_udp.c -- UDP (RFC 768, RFC 1122 4.1.3) frame by frame, and the
 * protocol control block table (bind rules, ephemeral ports, lookup)
 * that UDP and TCP share.  Golden frames: frames_ipv4.h (scapy).
 */
#include <check.h>

#include "netstack/kern/socketvar.h"
#include "netstack/netinet/udp_var.h"
#include "tests/unit/frames_ipv4.h"
#include "tests/unit/test_ip_fixture.h"
#include "tests/unit/unit.h"

#define UDPS(x)		"net.inet.udp.stats." x
#define ICMPS(x)	"net.inet.icmp.stats." x

static const struct ft_row udp_rows[] = {
	{ .fr_name = "closed port: port unreachable",
	  .fr_in = { FT_BYTES(udp_closed) },
	  .fr_out = { FT_BYTES(udp_closed_unreach) },
	  .fr_deltas = { { UDPS("ipackets"), 1 }, { UDPS("noport"), 1 },
	      { ICMPS("outhist.unreach"), 1 } } },
	{ .fr_name = "bad checksum",
	  .fr_in = { FT_BYTES(udp_badsum) },
	  .fr_deltas = { { UDPS("badsum"), 1 }, { UDPS("noport"), 0 } } },
	{ .fr_name = "no checksum is accepted",
	  .fr_in = { FT_BYTES(udp_nosum) },
	  .fr_out = { FT_BYTES(udp_nosum_unreach) },
	  .fr_deltas = { { UDPS("nosum"), 1 }, { UDPS("noport"), 1 } } },
	{ .fr_name = "length past the datagram",
	  .fr_in = { FT_BYTES(udp_badlen_big) },
	  .fr_deltas = { { UDPS("badlen"), 1 } } },
	{ .fr_name = "length below the header",
	  .fr_in = { FT_BYTES(udp_badlen_small) },
	  .fr_deltas = { { UDPS("badlen"), 1 } } },
	{ .fr_name = "shorter than a header",
	  .fr_in = { FT_BYTES(udp_short) },
	  .fr_deltas = { { UDPS("hdrops"), 1 } } },
	{ .fr_name = "subnet broadcast to a closed port: silence",
	  .fr_in = { FT_BYTES(udp_bcast) },
	  .fr_deltas = { { UDPS("noportbcast"), 1 }, { UDPS("noport"), 0 },
	      { ICMPS("error"), 0 } } },
	{ .fr_name = "limited broadcast to a closed port: silence",
	  .fr_in = { FT_BYTES(udp_lbcast) },
	  .fr_deltas = { { UDPS("noportbcast"), 1 }, { ICMPS("error"), 0 } } },
	{ .fr_name = "multicast to a closed port: silence",
	  .fr_in = { FT_BYTES(udp_mcast) },
	  .fr_deltas = { { UDPS("noportbcast"), 1 }, { ICMPS("error"), 0 } } },
};

START_TEST(test_udp_row)
{
	fx_run_row_masked(A, udp_rows, nitems(udp_rows), _i);
}
END_TEST

START_TEST(test_udp_rx_offload)
{
	ft_set_capenable(A, IFCAP_CSUM_UDPv4_Rx);
	/* The driver says good: believed, even over wrong bytes. */
	ft_input_flags(A, udp_badsum, sizeof(udp_badsum), M_CSUM_UDPv4);
	ck_assert_uint_eq(ft_counter(A, UDPS("noport")), 1);
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	/* The driver says bad: dropped, even over right bytes. */
	ft_input_flags(A, udp_closed, sizeof(udp_closed),
	    M_CSUM_UDPv4 | M_CSUM_TCP_UDP_BAD);
	ck_assert_uint_eq(ft_counter(A, UDPS("badsum")), 1);
	/* The harness as driver verifies for real. */
	ft_input(A, udp_badsum, sizeof(udp_badsum));
	ck_assert_uint_eq(ft_counter(A, UDPS("badsum")), 2);
	ft_lock(A);
	ip_state(A->fn_ns)->ips_id = FX_FIRST_ID;
	ft_unlock(A);
	ft_input(A, udp_closed, sizeof(udp_closed));
	ft_expect_tx(A, udp_closed_unreach, sizeof(udp_closed_unreach));
	ft_expect_no_tx(A);
}
END_TEST

/* ---------------------------------------------------------------- PCBs */

static struct inpcbtable *
udptable(void)
{
	return &udp_state(A->fn_ns)->uds_table;
}

/* A socket as far as the PCB layer looks at one. */
static void
fake_socket(struct socket *so, int options)
{
	memset(so, 0, sizeof(*so));
	so->so_ns = A->fn_ns;
	so->so_options = options;
}

START_TEST(test_pcb_ephemeral)
{
	struct socket so[64];
	struct inpcb *inp[64];

	ft_lock(A);
	for (unsigned i = 0; i < 64; i++) {
		fake_socket(&so[i], 0);
		ck_assert_int_eq(in_pcballoc(udptable(), &so[i], AF_INET,
		    &inp[i]), 0);
		ck_assert_ptr_eq(so[i].so_pcb, inp[i]);
		ck_assert_int_eq(in_pcbbind(inp[i], KINADDR_ANY, 0), 0);
		ck_assert_uint_ge(ntohs(inp[i]->inp_lport), 49152);
		ck_assert(inp[i]->inp_flags & INP_ANONPORT);
		for (unsigned j = 0; j < i; j++)
			ck_assert_uint_ne(inp[i]->inp_lport, inp[j]->inp_lport);
	}
	/* Bound twice. */
	ck_assert_int_eq(in_pcbbind(inp[0], KINADDR_ANY, htons(7)), EINVAL);
	ck_assert_uint_eq(udptable()->inpt_count, 64);
	for (unsigned i = 0; i < 64; i++)
		in_pcbfree(inp[i]);
	ck_assert_uint_eq(udptable()->inpt_count, 0);
	ft_unlock(A);
}
END_TEST

START_TEST(test_pcb_bind_rules)
{
	uint32_t any = KINADDR_ANY, me = ft_addr("198.51.100.1");
	uint16_t port = htons(7000);
	struct socket s1, s2, s3, s4, s5;
	struct inpcb *p1, *p2, *p3, *p4, *p5;

	ft_lock(A);
	fake_socket(&s1, 0);
	fake_socket(&s2, 0);
	fake_socket(&s3, SO_OPT_REUSEADDR);
	fake_socket(&s4, SO_OPT_REUSEADDR);
	fake_socket(&s5, 0);
	in_pcballoc(udptable(), &s1, AF_INET, &p1);
	in_pcballoc(udptable(), &s2, AF_INET, &p2);
	in_pcballoc(udptable(), &s3, AF_INET, &p3);
	in_pcballoc(udptable(), &s4, AF_INET, &p4);
	in_pcballoc(udptable(), &s5, AF_INET, &p5);

	/* Not one of our addresses. */
	ck_assert_int_eq(in_pcbbind(p5, ft_addr("203.0.113.9"), port),
	    EADDRNOTAVAIL);
	ck_assert_int_eq(in_pcbbind(p1, any, port), 0);
	/* The wildcard covers every address ... */
	ck_assert_int_eq(in_pcbbind(p2, me, port), EADDRINUSE);
	ck_assert_int_eq(in_pcbbind(p2, any, port), EADDRINUSE);
	/* ... unless the newcomer says SO_REUSEADDR. */
	ck_assert_int_eq(in_pcbbind(p3, me, port), 0);
	/* The very same binding twice: SO_REUSEADDR is not enough. */
	ck_assert_int_eq(in_pcbbind(p4, me, port), EADDRINUSE);
	/* SO_REUSEPORT on both is. */
	s3.so_options |= SO_OPT_REUSEPORT;
	s4.so_options |= SO_OPT_REUSEPORT;
	ck_assert_int_eq(in_pcbbind(p4, me, port), 0);
	/* Another port is free. */
	ck_assert_int_eq(in_pcbbind(p2, me, htons(7001)), 0);
	/* Multicast: SO_REUSEADDR on both shares the group port. */
	fake_socket(&s5, SO_OPT_REUSEADDR);
	ck_assert_int_eq(in_pcbbind(p5, ft_addr("224.0.0.251"), htons(5353)),
	    0);
	{
		struct socket s6;
		struct inpcb *p6;

		fake_socket(&s6, SO_OPT_REUSEADDR);
		in_pcballoc(udptable(), &s6, AF_INET, &p6);
		ck_assert_int_eq(in_pcbbind(p6, ft_addr("224.0.0.251"),
		    htons(5353)), 0);
		in_pcbfree(p6);
	}

	in_pcbfree(p1);
	in_pcbfree(p2);
	in_pcbfree(p3);
	in_pcbfree(p4);
	in_pcbfree(p5);
	ft_unlock(A);
}
END_TEST

START_TEST(test_pcb_lookup_connect)
{
	uint32_t any = KINADDR_ANY, me = ft_addr("198.51.100.1");
	uint32_t peer = ft_addr("198.51.100.2");
	uint16_t port = htons(7000);
	struct socket s1, s2, s3;
	struct inpcb *p1, *p2, *p3;
	uint32_t src = 0;

	ft_lock(A);
	fake_socket(&s1, 0);
	fake_socket(&s2, SO_OPT_REUSEADDR);
	fake_socket(&s3, SO_OPT_REUSEADDR);
	in_pcballoc(udptable(), &s1, AF_INET, &p1);
	in_pcballoc(udptable(), &s2, AF_INET, &p2);
	in_pcballoc(udptable(), &s3, AF_INET, &p3);
	ck_assert_int_eq(in_pcbbind(p1, any, port), 0);
	ck_assert_int_eq(in_pcbbind(p2, me, port), 0);

	/* The specific address beats the wildcard. */
	ck_assert_ptr_eq(in_pcblookup(udptable(), peer, htons(40000), me, port,
	    true), p2);
	/* Another local address (a broadcast, say) finds the wildcard. */
	ck_assert_ptr_eq(in_pcblookup(udptable(), peer, htons(40000),
	    ft_addr("198.51.100.255"), port, true), p1);
	ck_assert_ptr_null(in_pcblookup(udptable(), peer, htons(40000), me,
	    port, false));

	/* A connected PCB takes its exact four-tuple. */
	ck_assert_int_eq(in_pcbbind(p3, me, htons(7002)), 0);
	ck_assert_int_eq(in_pcbconnect(p3, peer, htons(40000), &src), 0);
	ck_assert_uint_eq(src, me);
	ck_assert_ptr_eq(in_pcblookup(udptable(), peer, htons(40000), me,
	    htons(7002), false), p3);
	ck_assert_ptr_null(in_pcblookup(udptable(), peer, htons(40001), me,
	    htons(7002), true));
	ck_assert(in_pcbaccepts(p3, peer, htons(40000), me, htons(7002)));
	ck_assert(!in_pcbaccepts(p3, peer, htons(40001), me, htons(7002)));
	in_pcbdisconnect(p3);
	/* Bound by hand: the address and port stay. */
	ck_assert_uint_eq(p3->inp_laddr, me);
	ck_assert_uint_eq(p3->inp_lport, htons(7002));
	ck_assert_ptr_eq(in_pcblookup(udptable(), peer, htons(40001), me,
	    htons(7002), true), p3);

	/* Connect on an unbound PCB: source by route, ephemeral port;
	 * disconnect gives both back. */
	in_pcbfree(p1);
	fake_socket(&s1, 0);
	in_pcballoc(udptable(), &s1, AF_INET, &p1);
	ck_assert_int_eq(in_pcbconnect(p1, peer, htons(53), NULL), 0);
	ck_assert_uint_eq(p1->inp_laddr, me);
	ck_assert_uint_ge(ntohs(p1->inp_lport), 49152);
	ck_assert_int_eq(in_pcbconnect(p2, peer, 0, NULL), EADDRNOTAVAIL);
	in_pcbdisconnect(p1);
	ck_assert_uint_eq(p1->inp_laddr, KINADDR_ANY);
	ck_assert_uint_eq(p1->inp_lport, 0);
	ck_assert_int_eq(in_pcbbind(p1, any, port), EADDRINUSE);

	in_pcbfree(p1);
	in_pcbfree(p2);
	in_pcbfree(p3);
	ft_unlock(A);
}
END_TEST

static void
count_notify(struct inpcb *inp, int error)
{
	inp->inp_socket->so_error = error;
}

START_TEST(test_pcb_notify)
{
	uint32_t me = ft_addr("198.51.100.1"), peer = ft_addr("198.51.100.2");
	struct socket s1, s2;
	struct inpcb *p1, *p2;

	ft_lock(A);
	fake_socket(&s1, 0);
	fake_socket(&s2, 0);
	in_pcballoc(udptable(), &s1, AF_INET, &p1);
	in_pcballoc(udptable(), &s2, AF_INET, &p2);
	ck_assert_int_eq(in_pcbbind(p1, me, htons(5000)), 0);
	ck_assert_int_eq(in_pcbconnect(p1, peer, htons(6000), NULL), 0);
	ck_assert_int_eq(in_pcbbind(p2, me, htons(5001)), 0);
	/* Only the connected socket with that four-tuple hears it. */
	ck_assert_uint_eq(in_pcbnotify(udptable(), peer, htons(6000), me,
	    htons(5000), ECONNREFUSED, count_notify), 1);
	ck_assert_int_eq(s1.so_error, ECONNREFUSED);
	ck_assert_int_eq(s2.so_error, 0);
	ck_assert_uint_eq(in_pcbnotify(udptable(), peer, htons(6001), me,
	    htons(5000), ECONNREFUSED, count_notify), 0);
	in_pcbfree(p1);
	in_pcbfree(p2);
	ft_unlock(A);
}
END_TEST

START_TEST(test_sockaddr_helpers)
{
	struct ksockaddr_storage ss;
	struct ksockaddr_in sin;
	uint32_t addr;
	uint16_t port;
	bool unspec;

	ck_assert_uint_eq(in_sockaddr_fill(&ss, ft_addr("198.51.100.7"),
	    htons(99)), sizeof(struct ksockaddr_in));
	ck_assert_int_eq(in_sockaddr_parse((struct ksockaddr *)&ss,
	    sizeof(struct ksockaddr_in), &addr, &port, false, NULL), 0);
	ck_assert_uint_eq(addr, ft_addr("198.51.100.7"));
	ck_assert_uint_eq(port, htons(99));
	ck_assert_int_eq(in_sockaddr_parse((struct ksockaddr *)&ss, 8, &addr,
	    &port, false, NULL), EINVAL);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET6;
	ck_assert_int_eq(in_sockaddr_parse((struct ksockaddr *)&sin,
	    sizeof(sin), &addr, &port, true, &unspec), EAFNOSUPPORT);
	sin.sin_family = AF_UNSPEC;
	ck_assert_int_eq(in_sockaddr_parse((struct ksockaddr *)&sin,
	    sizeof(sin), &addr, &port, false, &unspec), EAFNOSUPPORT);
	ck_assert_int_eq(in_sockaddr_parse((struct ksockaddr *)&sin,
	    sizeof(sin), &addr, &port, true, &unspec), 0);
	ck_assert(unspec);
}
END_TEST

/* ------------------------------------------------------------ sockets */

static struct proc *PA;

static void
sock_setup(void)
{
	fx_setup();
	ck_assert_int_eq(proc_create(A->fn_ns, &PA), 0);
}

static void
sock_teardown(void)
{
	proc_destroy(PA);
	PA = NULL;
	fx_teardown();
}

START_TEST(test_sock_receive)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, "0.0.0.0", 7777);
	struct ksockaddr_in from;
	char buf[64];
	size_t len = sizeof(buf);

	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &len, &from), EAGAIN);
	ft_input(A, udp_to_open, sizeof(udp_to_open));
	ft_expect_no_tx(A);
	len = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &len, &from), 0);
	ck_assert_uint_eq(len, 15);
	ck_assert_mem_eq(buf, "to an open port", 15);
	ck_assert_uint_eq(from.sin_family, AF_INET);
	ck_assert_uint_eq(from.sin_addr, ft_addr("198.51.100.2"));
	ck_assert_uint_eq(from.sin_port, htons(40000));
	ck_assert_uint_eq(ft_counter(A, UDPS("delivered")), 1);
	ck_assert_uint_eq(ft_counter(A, UDPS("noport")), 0);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
	/* Closed again: port unreachable. */
	ft_input(A, udp_to_open, sizeof(udp_to_open));
	ck_assert_uint_eq(ft_counter(A, UDPS("noport")), 1);
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
}
END_TEST

START_TEST(test_sock_send)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, KIPPROTO_UDP, "0.0.0.0", 5000);
	struct ksockaddr_in sin;
	ksocklen_t len = sizeof(sin);
	uint32_t flags;

	ft_set_capenable(A, _i == 0 ? 0 : 0x7ff80);
	ck_assert_int_eq(fx_sendto(PA, fd, "offload", 7, "198.51.100.2", 6000),
	    0);
	ft_settle(A);
	flags = ft_expect_tx(A, udp_small_out, sizeof(udp_small_out));
	ck_assert_uint_eq(flags, _i == 0 ? 0 : M_CSUM_IPv4 | M_CSUM_UDPv4);
	ft_expect_no_tx(A);
	ck_assert_uint_eq(ft_counter(A, UDPS("opackets")), 1);
	/* Port 0 and no destination are refused. */
	ck_assert_int_eq(fx_sendto(PA, fd, "x", 1, "198.51.100.2", 0), EINVAL);
	ck_assert_int_eq(fx_sendto(PA, fd, "x", 1, NULL, 0), EDESTADDRREQ);
	ck_assert_int_eq(ksys_getsockname(PA, fd, &sin, &len), 0);
	ck_assert_uint_eq(sin.sin_port, htons(5000));
	ck_assert_uint_eq(sin.sin_addr, 0);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

/* The 3000-byte datagram through a socket: three fragments. */
START_TEST(test_sock_send_fragmented)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, "198.51.100.1", 5000);
	uint8_t big[3000];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i % 251);
	ck_assert_int_eq(fx_sendto(PA, fd, big, sizeof(big), "198.51.100.2",
	    6000), 0);
	ft_settle(A);
	ft_expect_tx(A, udp_frag1, sizeof(udp_frag1));
	ft_expect_tx(A, udp_frag2, sizeof(udp_frag2));
	ft_expect_tx(A, udp_frag3, sizeof(udp_frag3));
	ft_expect_no_tx(A);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_sock_connect_refused)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, "198.51.100.1", 5000);
	struct ksockaddr_in peer = fx_sin("198.51.100.2", 6000), sin;
	ksocklen_t len = sizeof(sin);
	char buf[8];
	size_t n = sizeof(buf);

	ck_assert_int_eq(ksys_getpeername(PA, fd, &sin, &len), ENOTCONN);
	ck_assert_int_eq(ksys_connect(PA, fd, &peer, sizeof(peer)), 0);
	len = sizeof(sin);
	ck_assert_int_eq(ksys_getpeername(PA, fd, &sin, &len), 0);
	ck_assert_uint_eq(sin.sin_addr, peer.sin_addr);
	ck_assert_uint_eq(sin.sin_port, peer.sin_port);
	/* The peer's port is closed: icmp_unreach_port quotes .1:5000 ->
	 * .2:6000, our datagram. */
	ft_input(A, icmp_unreach_port, sizeof(icmp_unreach_port));
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KSOL_SOCKET, KSO_ERROR),
	    ECONNREFUSED);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KSOL_SOCKET, KSO_ERROR), 0);
	/* Reported once more through recv. */
	ft_input(A, icmp_unreach_port, sizeof(icmp_unreach_port));
	ck_assert_int_eq(fx_recvfrom(PA, fd, buf, &n, &sin), ECONNREFUSED);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_sock_connect_source)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, NULL, 0);
	struct ksockaddr_in peer = fx_sin("198.51.100.2", 53), sin;
	struct ksockaddr unspec = { .sa_family = AF_UNSPEC };
	ksocklen_t len = sizeof(sin);

	ck_assert_int_eq(ksys_connect(PA, fd, &peer, sizeof(peer)), 0);
	ck_assert_int_eq(ksys_getsockname(PA, fd, &sin, &len), 0);
	ck_assert_uint_eq(sin.sin_addr, ft_addr("198.51.100.1"));
	ck_assert_uint_ge(ntohs(sin.sin_port), 49152);
	/* send() without an address goes to the peer. */
	ck_assert_int_eq(fx_sendto(PA, fd, "q", 1, NULL, 0), 0);
	ft_settle(A);
	ck_assert_uint_eq(ft_tx_count(A), 1);
	ft_tx_clear(A);
	/* AF_UNSPEC dissolves the association (Linux). */
	ck_assert_int_eq(ksys_connect(PA, fd, &unspec, sizeof(unspec)), 0);
	len = sizeof(sin);
	ck_assert_int_eq(ksys_getpeername(PA, fd, &sin, &len), ENOTCONN);
	ck_assert_int_eq(fx_sendto(PA, fd, "q", 1, NULL, 0), EDESTADDRREQ);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_sock_broadcast)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, "0.0.0.0", 5000);
	struct ksockaddr_in bc = fx_sin("198.51.100.255", 6000);
	struct mbuf *m;

	ck_assert_int_eq(fx_sendto(PA, fd, "all", 3, "198.51.100.255", 6000),
	    EACCES);
	ck_assert_int_eq(ksys_connect(PA, fd, &bc, sizeof(bc)), EACCES);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KSOL_SOCKET, KSO_BROADCAST,
	    1), 0);
	ck_assert_int_eq(fx_sendto(PA, fd, "all", 3, "198.51.100.255", 6000),
	    0);
	ft_settle(A);
	m = ft_tx_pop(A);
	ck_assert_ptr_nonnull(m);
	ck_assert_mem_eq(m->m_data, etherbroadcastaddr, ETHER_ADDR_LEN);
	m_freem(m);
	ft_expect_no_tx(A);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_sock_ipoptions)
{
	int fd = fx_socket(PA, KSOCK_DGRAM, 0, "0.0.0.0", 5000);
	struct mbuf *m;

	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL), 64);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL, 5), 0);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL), 5);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL, 0),
	    EINVAL);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL, 256),
	    EINVAL);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_TOS, 0x10),
	    0);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_TOS), 0x10);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_HDRINCL,
	    1), ENOPROTOOPT);
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, 99, 1),
	    ENOPROTOOPT);
	ck_assert_int_eq(fx_sendto(PA, fd, "ttl", 3, "198.51.100.2", 6000), 0);
	ft_settle(A);
	m = ft_tx_pop(A);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->m_data[ETHER_HDR_LEN + 1], 0x10);	/* TOS */
	ck_assert_uint_eq(m->m_data[ETHER_HDR_LEN + 8], 5);	/* TTL */
	ck_assert_uint_eq(in_cksum(m->m_data + ETHER_HDR_LEN, 20), 0);
	m_freem(m);
	/* -1 restores the default. */
	ck_assert_int_eq(fx_setsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL, -1),
	    0);
	ck_assert_int_eq(fx_getsockopt_int(PA, fd, KIPPROTO_IP, KIP_TTL), 64);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

START_TEST(test_sock_bind_errors)
{
	int a = fx_socket(PA, KSOCK_DGRAM, 0, "0.0.0.0", 7000);
	int b = fx_socket(PA, KSOCK_DGRAM, 0, NULL, 0);
	struct ksockaddr_in sin = fx_sin("198.51.100.1", 7000);
	struct ksockaddr_in far = fx_sin("203.0.113.9", 7000);

	ck_assert_int_eq(ksys_bind(PA, b, &sin, sizeof(sin)), EADDRINUSE);
	ck_assert_int_eq(ksys_bind(PA, b, &far, sizeof(far)), EADDRNOTAVAIL);
	ck_assert_int_eq(ksys_bind(PA, b, &sin, 8), EINVAL);
	ck_assert_int_eq(fx_setsockopt_int(PA, b, KSOL_SOCKET, KSO_REUSEADDR,
	    1), 0);
	ck_assert_int_eq(ksys_bind(PA, b, &sin, sizeof(sin)), 0);
	ck_assert_int_eq(ksys_bind(PA, b, &sin, sizeof(sin)), EINVAL);
	/* The specific binding wins the datagram. */
	ft_lock(A);
	ck_assert_uint_eq(in_pcblookup(udptable(), ft_addr("198.51.100.2"),
	    htons(1), ft_addr("198.51.100.1"), htons(7000),
	    true)->inp_laddr, ft_addr("198.51.100.1"));
	ft_unlock(A);
	ck_assert_int_eq(ksys_close(PA, a), 0);
	ck_assert_int_eq(ksys_close(PA, b), 0);
}
END_TEST

/* Broadcasts and multicasts: a copy for every socket that accepts. */
START_TEST(test_sock_broadcast_receive)
{
	int a = fx_socket(PA, KSOCK_DGRAM, 0, NULL, 0);
	int b = fx_socket(PA, KSOCK_DGRAM, 0, NULL, 0);
	int c = fx_socket(PA, KSOCK_DGRAM, 0, "198.51.100.1", 9999);
	struct ksockaddr_in any = fx_sin("0.0.0.0", 9999), from;
	char buf[16];
	size_t n;

	ck_assert_int_eq(fx_setsockopt_int(PA, a, KSOL_SOCKET, KSO_REUSEPORT,
	    1), 0);
	ck_assert_int_eq(fx_setsockopt_int(PA, b, KSOL_SOCKET, KSO_REUSEPORT,
	    1), 0);
	/* c holds 198.51.100.1:9999: the wildcard needs SO_REUSEADDR. */
	ck_assert_int_eq(ksys_bind(PA, a, &any, sizeof(any)), EADDRINUSE);
	ck_assert_int_eq(fx_setsockopt_int(PA, a, KSOL_SOCKET, KSO_REUSEADDR,
	    1), 0);
	ck_assert_int_eq(fx_setsockopt_int(PA, b, KSOL_SOCKET, KSO_REUSEADDR,
	    1), 0);
	ck_assert_int_eq(ksys_bind(PA, a, &any, sizeof(any)), 0);
	ck_assert_int_eq(ksys_bind(PA, b, &any, sizeof(any)), 0);

	ft_input(A, udp_bcast, sizeof(udp_bcast));
	ft_input(A, udp_lbcast, sizeof(udp_lbcast));
	ft_expect_no_tx(A);
	/* The wildcard sockets get both; the one bound to the unicast
	 * address neither. */
	for (int k = 0; k < 2; k++) {
		n = sizeof(buf);
		ck_assert_int_eq(fx_recvfrom(PA, a, buf, &n, &from), 0);
		ck_assert_mem_eq(buf, "hi", 2);
		n = sizeof(buf);
		ck_assert_int_eq(fx_recvfrom(PA, b, buf, &n, &from), 0);
	}
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, c, buf, &n, &from), EAGAIN);
	ck_assert_uint_eq(ft_counter(A, UDPS("delivered")), 4);
	ck_assert_uint_eq(ft_counter(A, UDPS("noportbcast")), 0);
	/* Unicast goes to the most specific binding only. */
	ft_input(A, udp_closed, sizeof(udp_closed));
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, c, buf, &n, &from), 0);
	ck_assert_uint_eq(n, 13);
	n = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, a, buf, &n, &from), EAGAIN);
	ck_assert_int_eq(ksys_close(PA, a), 0);
	ck_assert_int_eq(ksys_close(PA, b), 0);
	ck_assert_int_eq(ksys_close(PA, c), 0);
}
END_TEST

/* Two instances back to back, talking UDP through their sockets. */
START_TEST(test_sock_pair)
{
	struct ft_node *b = fx_node("b", 2, _i == 0 ? 0 : 0x7ff80);
	struct proc *pb;
	int fa, fb;
	char buf[64];
	size_t len;
	struct ksockaddr_in from;

	ft_set_capenable(A, _i == 0 ? 0 : 0x7ff80);
	A->fn_nnbr = 0;		/* b answers ARP itself */
	ck_assert_int_eq(proc_create(b->fn_ns, &pb), 0);
	fa = fx_socket(PA, KSOCK_DGRAM, 0, "0.0.0.0", 5000);
	fb = fx_socket(pb, KSOCK_DGRAM, 0, "0.0.0.0", 7777);

	ck_assert_int_eq(fx_sendto(PA, fa, "ping over udp", 13, "198.51.100.2",
	    7777), 0);
	ck_assert_uint_gt(ft_pump(A, b), 0);
	len = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(pb, fb, buf, &len, &from), 0);
	ck_assert_uint_eq(len, 13);
	ck_assert_mem_eq(buf, "ping over udp", 13);
	ck_assert_uint_eq(from.sin_addr, ft_addr("198.51.100.1"));
	ck_assert_uint_eq(from.sin_port, htons(5000));

	ck_assert_int_eq(ksys_sendto(pb, fb, "pong", 4, 0, &from, sizeof(from),
	    &len), 0);
	ft_pump(A, b);
	len = sizeof(buf);
	ck_assert_int_eq(fx_recvfrom(PA, fa, buf, &len, &from), 0);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(buf, "pong", 4);
	ck_assert_uint_eq(from.sin_addr, ft_addr("198.51.100.2"));
	ck_assert_uint_eq(from.sin_port, htons(7777));
	ck_assert_uint_eq(ft_counter(b, UDPS("badsum")), 0);
	ck_assert_uint_eq(ft_counter(A, UDPS("badsum")), 0);

	ck_assert_int_eq(ksys_close(pb, fb), 0);
	ck_assert_int_eq(ksys_close(PA, fa), 0);
	proc_destroy(pb);
	ft_destroy(b);
}
END_TEST

static Suite *
udp_suite(void)
{
	Suite *s = suite_create("udp");
	TCase *tc;

	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_loop_test(tc, test_udp_row, 0,
	    (int)(nitems(udp_rows) * FX_NCAPMASKS));
	tcase_add_test(tc, test_udp_rx_offload);
	suite_add_tcase(s, tc);

	tc = tcase_create("pcb");
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, test_pcb_ephemeral);
	tcase_add_test(tc, test_pcb_bind_rules);
	tcase_add_test(tc, test_pcb_lookup_connect);
	tcase_add_test(tc, test_pcb_notify);
	tcase_add_test(tc, test_sockaddr_helpers);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_add_checked_fixture(tc, sock_setup, sock_teardown);
	tcase_add_test(tc, test_sock_receive);
	tcase_add_loop_test(tc, test_sock_send, 0, 2);
	tcase_add_test(tc, test_sock_send_fragmented);
	tcase_add_test(tc, test_sock_connect_refused);
	tcase_add_test(tc, test_sock_connect_source);
	tcase_add_test(tc, test_sock_broadcast);
	tcase_add_test(tc, test_sock_broadcast_receive);
	tcase_add_test(tc, test_sock_ipoptions);
	tcase_add_test(tc, test_sock_bind_errors);
	tcase_add_loop_test(tc, test_sock_pair, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(udp_suite());
}
