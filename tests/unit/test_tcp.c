/*
 * test_tcp.c -- TCP state and segment tests: A is the stack under
 * test, the test plays the peer P segment by segment
 * (test_tcp_fixture.h).  Each test names the RFC rule it checks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "test_tcp_fixture.h"

static char rbuf[256 * 1024];

/* Read what A's application has; => bytes (or -errno). */
static long
tf_read(struct tconn *c)
{
	size_t done = 0;
	int error = ksys_read(PA, c->fd, rbuf, sizeof(rbuf), &done);

	return error != 0 ? -(long)error : (long)done;
}

/* ------------------------------------------------------------ opening */

/* RFC 9293 3.5: LISTEN -> SYN -> SYN-ACK with our MSS; ACK completes. */
START_TEST(test_listen_syn_synack)
{
	int lfd = tf_listen(4), fd;
	struct tseg s;

	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535, .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(s.ack, TF_PISS + 1);
	ck_assert_uint_eq(s.sport, TF_APORT);
	ck_assert_uint_eq(s.dport, TF_PPORT);
	ck_assert_int_eq(s.mss, 1460);
	ck_assert(s.sackok);
	ck_assert(!s.has_ts);
	ck_assert_int_eq(s.ws, -1);
	ck_assert_uint_eq(s.win, 65535);
	ck_assert_int_eq(ksys_accept4(PA, lfd, NULL, NULL, 0, &fd), EAGAIN);
	ck_assert_int_eq(tf_state(), TCPS_SYN_RECEIVED);
	/* A retransmitted SYN gets the SYN-ACK again (dup, in window). */
	tf_send(&(struct tseg){ .seq = s.seq + 1, .ack = 0, .flags = TH_RST,
	    .win = 0 });
	tf_none();
	tf_send(&(struct tseg){ .seq = TF_PISS + 1, .ack = s.seq + 1,
	    .flags = TH_ACK, .win = 65535 });
	tf_none();
	ck_assert_int_eq(ksys_accept4(PA, lfd, NULL, NULL, 0, &fd), 0);
	ck_assert_uint_eq(tf_stat("accepts"), 1);
	ck_assert_uint_eq(tf_stat("connects"), 1);
	{
		struct tconn c = { .lfd = lfd, .fd = fd };

		tf_finish(&c);
	}
}
END_TEST

/* RFC 9293 3.7.1: the MSS offered follows the interface MTU. */
START_TEST(test_mss_clamp)
{
	int lfd;
	struct tseg s;

	tf_teardown();
	tf_setup_mtu(1400, 0);
	lfd = tf_listen(4);
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535, .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_int_eq(s.mss, 1360);
	tf_send(&(struct tseg){ .seq = TF_PISS + 1, .ack = s.seq + 1,
	    .flags = TH_ACK, .win = 65535 });
	{
		struct tconn c = { .lfd = lfd, .fd = -1 };
		size_t n;

		ck_assert_int_eq(ksys_accept4(PA, lfd, NULL, NULL, 0, &c.fd),
		    0);
		c.anxt = s.seq + 1;
		c.pnxt = TF_PISS + 1;
		n = tf_write(&c, 4000);
		ck_assert_uint_eq(n, 4000);
		/* Segments of at most 1360 bytes though P offered 1460. */
		s = tf_recv();
		ck_assert_uint_eq(s.len, 1360);
		ft_tx_clear(A);
		tf_finish(&c);
	}
}
END_TEST

/* RFC 7323: options are answered only when the peer offered them. */
START_TEST(test_synack_options)
{
	static const uint8_t opt[] = { TCPOPT_MAXSEG, 4, 0x05, 0xb4,
	    TCPOPT_NOP, TCPOPT_WINDOW, 3, 7, TCPOPT_SACK_PERMITTED, 2,
	    TCPOPT_TIMESTAMP, 10, 0, 0, 0, 5, 0, 0, 0, 0 };
	struct tconn c = { .fd = -1 };
	struct tseg s;
	int v = 1024 * 1024;

	ft_sysctl_set(A, "net.inet.tcp.rfc1323", 1);
	c.lfd = tf_socket();
	{
		struct ksockaddr_in sin = tf_sin(NULL, TF_APORT);

		ck_assert_int_eq(ksys_setsockopt(PA, c.lfd, KSOL_SOCKET,
		    KSO_RCVBUF, &v, sizeof(v)), 0);
		ck_assert_int_eq(ksys_bind(PA, c.lfd, &sin, sizeof(sin)), 0);
		ck_assert_int_eq(ksys_listen(PA, c.lfd, 4), 0);
	}
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535, .opt = opt, .optlen = sizeof(opt) });
	s = tf_recv1();
	ck_assert_int_eq(s.mss, 1460);
	ck_assert_int_eq(s.ws, 5);		/* 1 MiB >> 5 < 64 KiB */
	ck_assert(s.sackok);
	ck_assert(s.has_ts);
	ck_assert_uint_eq(s.tsecr, 5);
	/* The window of a SYN is never scaled (RFC 7323 2.2). */
	ck_assert_uint_eq(s.win, 65535);
	tf_finish(&c);
}
END_TEST

/* RFC 9293 3.5 figure 8: simultaneous open. */
START_TEST(test_simultaneous_open)
{
	struct tconn c = { .lfd = -1, .fd = tf_socket() };
	struct ksockaddr_in a = tf_sin(NULL, TF_APORT);
	struct ksockaddr_in p = tf_sin("198.51.100.2", TF_PPORT);
	struct kpollfd pfd;
	int nready;
	struct tseg s;

	ck_assert_int_eq(ksys_bind(PA, c.fd, &a, sizeof(a)), 0);
	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EINPROGRESS);
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN);
	c.iss = s.seq;
	/* P's SYN crosses ours. */
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN, .win = 65535,
	    .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(s.seq, c.iss);
	ck_assert_uint_eq(s.ack, TF_PISS + 1);
	ck_assert_int_eq(tf_state(), TCPS_SYN_RECEIVED);
	/* P's SYN-ACK: its SYN is old news (dup ACK), its ACK counts once
	 * it comes in sequence. */
	tf_send(&(struct tseg){ .seq = TF_PISS + 1, .ack = c.iss + 1,
	    .flags = TH_ACK, .win = 65535 });
	tf_none();
	ck_assert_int_eq(tf_state(), TCPS_ESTABLISHED);
	pfd.fd = c.fd;
	pfd.events = KPOLLOUT;
	ck_assert_int_eq(ksys_poll(PA, &pfd, 1, 0, &nready), 0);
	ck_assert_int_eq(nready, 1);
	ck_assert(pfd.revents & KPOLLOUT);
	tf_finish(&c);
}
END_TEST

/* Non-blocking connect: EINPROGRESS, then POLLOUT once established. */
START_TEST(test_nonblocking_connect_poll)
{
	struct tconn c = { .lfd = -1, .fd = tf_socket() };
	struct ksockaddr_in p = tf_sin("198.51.100.2", TF_PPORT);
	struct kpollfd pfd = { .fd = c.fd, .events = KPOLLOUT | KPOLLIN };
	int nready, err;
	ksocklen_t len = sizeof(err);
	struct tseg s;

	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EINPROGRESS);
	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EALREADY);
	s = tf_recv1();
	ck_assert_int_eq(ksys_poll(PA, &pfd, 1, 0, &nready), 0);
	ck_assert_int_eq(nready, 0);
	tf_send(&(struct tseg){ .dport = s.sport, .seq = TF_PISS,
	    .ack = s.seq + 1, .flags = TH_SYN | TH_ACK, .win = 65535,
	    .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	ck_assert_int_eq(ksys_poll(PA, &pfd, 1, 0, &nready), 0);
	ck_assert_int_eq(nready, 1);
	ck_assert_uint_eq(pfd.revents, KPOLLOUT);
	ck_assert_int_eq(ksys_getsockopt(PA, c.fd, KSOL_SOCKET, KSO_ERROR,
	    &err, &len), 0);
	ck_assert_int_eq(err, 0);
	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EISCONN);
	ck_assert_uint_eq(tf_stat("connattempt"), 1);
	tf_finish(&c);
}
END_TEST

/* RFC 9293 3.10.7.3: a RST acknowledging our SYN refuses the connect. */
START_TEST(test_connect_refused_rst)
{
	struct tconn c = { .lfd = -1, .fd = tf_socket() };
	struct ksockaddr_in p = tf_sin("198.51.100.2", TF_PPORT);
	struct kpollfd pfd = { .fd = c.fd, .events = KPOLLOUT };
	int nready, err;
	ksocklen_t len = sizeof(err);
	struct tseg s;

	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EINPROGRESS);
	s = tf_recv1();
	/* A RST whose ACK is wrong is ignored (and never answered). */
	tf_send(&(struct tseg){ .dport = s.sport, .seq = 0, .ack = s.seq + 7,
	    .flags = TH_RST | TH_ACK });
	tf_none();
	ck_assert_int_eq(tf_state(), TCPS_SYN_SENT);
	tf_send(&(struct tseg){ .dport = s.sport, .seq = 0, .ack = s.seq + 1,
	    .flags = TH_RST | TH_ACK });
	tf_none();
	ck_assert_int_eq(ksys_poll(PA, &pfd, 1, 0, &nready), 0);
	ck_assert(pfd.revents & KPOLLERR);
	ck_assert_int_eq(ksys_getsockopt(PA, c.fd, KSOL_SOCKET, KSO_ERROR,
	    &err, &len), 0);
	ck_assert_int_eq(err, ECONNREFUSED);
	ck_assert_uint_eq(tf_ntcpcb(), 0);
	tf_finish(&c);
}
END_TEST

/* ICMP port unreachable for our SYN: ECONNREFUSED (RFC 1122 4.2.3.9). */
START_TEST(test_connect_refused_icmp)
{
	struct tconn c = { .lfd = -1, .fd = tf_socket() };
	struct ksockaddr_in p = tf_sin("198.51.100.2", TF_PPORT);
	uint8_t f[128], *ip, *ic;
	struct mbuf *m;
	int err;
	ksocklen_t len = sizeof(err);
	uint16_t sum;

	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EINPROGRESS);
	ft_settle(A);
	m = ft_tx_pop(A);
	ck_assert_ptr_nonnull(m);
	/* P answers with an ICMP port unreachable quoting the SYN. */
	memcpy(f, m->m_data + 6, 6);
	memcpy(f + 6, m->m_data, 6);
	f[12] = 0x08;
	f[13] = 0;
	ip = f + 14;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	be16enc(ip + 2, 20 + 8 + 28);
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, m->m_data + 14 + 16, 4);
	memcpy(ip + 16, m->m_data + 14 + 12, 4);
	sum = in_cksum(ip, 20);
	memcpy(ip + 10, &sum, 2);
	ic = ip + 20;
	memset(ic, 0, 8);
	ic[0] = ICMP_UNREACH;
	ic[1] = ICMP_UNREACH_PORT;
	memcpy(ic + 8, m->m_data + 14, 28);
	sum = in_cksum(ic, 36);
	memcpy(ic + 2, &sum, 2);
	m_freem(m);
	ft_input(A, f, 14 + 20 + 36);
	ck_assert_int_eq(ksys_getsockopt(PA, c.fd, KSOL_SOCKET, KSO_ERROR,
	    &err, &len), 0);
	ck_assert_int_eq(err, ECONNREFUSED);
	ck_assert_uint_eq(tf_stat("icmperr"), 1);
	tf_finish(&c);
}
END_TEST

/*
 * The RST/ACK answering P's SYN (seq 1000) to closed port 80: hand-
 * computed (RFC 791/9293 layouts, RFC 1071 sums in a few lines of
 * Python): IP id 0x1000, DF, TTL 64, seq 0, ack 1001, window 0.
 */
static const uint8_t golden_rst[] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
	0x00, 0x28, 0x10, 0x00, 0x40, 0x00, 0x40, 0x06,
	0xd6, 0x65, 0xc6, 0x33, 0x64, 0x01, 0xc6, 0x33,
	0x64, 0x02, 0x00, 0x50, 0x9c, 0x40, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x03, 0xe9, 0x50, 0x14,
	0x00, 0x00, 0xba, 0xec, 0x00, 0x00,
};

/* Build the ICMP error P's router would send about A's frame m. */
static size_t
tf_icmp_about(uint8_t *f, const struct mbuf *m, int type, int code,
    uint16_t mtu)
{
	uint8_t *ip = f + 14, *ic;
	uint16_t sum;

	memcpy(f, m->m_data + 6, 6);
	memcpy(f + 6, m->m_data, 6);
	f[12] = 0x08;
	f[13] = 0;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	be16enc(ip + 2, 20 + 8 + 28);
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, m->m_data + 14 + 16, 4);
	memcpy(ip + 16, m->m_data + 14 + 12, 4);
	sum = in_cksum(ip, 20);
	memcpy(ip + 10, &sum, 2);
	ic = ip + 20;
	memset(ic, 0, 8);
	ic[0] = (uint8_t)type;
	ic[1] = (uint8_t)code;
	be16enc(ic + 6, mtu);
	memcpy(ic + 8, m->m_data + 14, 28);
	sum = in_cksum(ic, 36);
	memcpy(ic + 2, &sum, 2);
	return 14 + 20 + 36;
}

/* RFC 1191: fragmentation needed lowers the MSS and resends smaller. */
START_TEST(test_pmtu_needfrag)
{
	struct tconn c = tf_established();
	uint8_t f[128];
	struct mbuf *m;
	struct tseg s;
	size_t len;

	tf_write(&c, 2 * 1460);
	ft_settle(A);
	m = ft_tx_pop(A);
	ck_assert_ptr_nonnull(m);
	ft_tx_clear(A);
	len = tf_icmp_about(f, m, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, 1000);
	m_freem(m);
	ft_input(A, f, len);
	ck_assert_uint_eq(tf_stat("pmtuupdate"), 1);
	s = tf_recv();
	ck_assert_uint_eq(s.seq, c.anxt);
	ck_assert_uint_eq(s.len, 960);
	ft_tx_clear(A);
	tf_finish(&c);
}
END_TEST

/* A SYN to a closed port gets RST/ACK (RFC 9293 3.10.7.1). */
START_TEST(test_closed_port_rst)
{
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535 });
	ft_expect_tx(A, golden_rst, sizeof(golden_rst));
	tf_none();
	/* A RST is never answered. */
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_RST });
	tf_none();
	ck_assert_uint_eq(tf_stat("rcvnoport"), 2);
}
END_TEST

/*
 * Listen backlog: once the queue is full of half-open connections, each
 * new SYN recycles the oldest of them (RFC 4987 3.5), counted.
 */
START_TEST(test_backlog_overflow)
{
	int lfd = tf_listen(1);
	unsigned sent = 0;

	for (uint16_t port = 41000; port < 41004; port++) {
		tf_send(&(struct tseg){ .sport = port, .seq = TF_PISS,
		    .flags = TH_SYN, .win = 65535 });
		sent += ft_tx_count(A);
		ft_tx_clear(A);
	}
	/*
	 * Backlog 1 (Linux lets it overflow by one): two fit, the two
	 * later SYNs each displace the oldest; every SYN is answered.
	 */
	ck_assert_uint_eq(sent, 4);
	ck_assert_uint_eq(tf_stat("synrecv_dropped"), 2);
	ck_assert_uint_eq(tf_stat("synrecv_overflow"), 0);
	{
		struct tconn c = { .lfd = lfd, .fd = -1 };

		tf_finish(&c);
	}
}
END_TEST

/* ------------------------------------------------------ RFC 5961 */

/* RST exactly at RCV.NXT resets; in window: challenge ACK; outside:
 * ignored. */
START_TEST(test_rst_validation)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_send(&(struct tseg){ .seq = c.pnxt + 100000, .flags = TH_RST });
	tf_none();
	ck_assert_uint_eq(tf_stat("rstbad"), 1);
	tf_send(&(struct tseg){ .seq = c.pnxt + 10, .flags = TH_RST });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	ck_assert_uint_eq(s.seq, c.anxt);
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_uint_eq(tf_stat("challengeack"), 1);
	ck_assert_int_eq(tf_state(), TCPS_ESTABLISHED);
	tf_send(&(struct tseg){ .seq = c.pnxt, .flags = TH_RST });
	tf_none();
	ck_assert_int_eq(tf_read(&c), -ECONNRESET);
	ck_assert_uint_eq(tf_stat("rcvrst"), 1);
	tf_finish(&c);
}
END_TEST

/* RFC 5961 4.2: a SYN on an established connection: challenge ACK. */
START_TEST(test_syn_in_established)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_send(&(struct tseg){ .seq = c.pnxt + 5, .flags = TH_SYN,
	    .win = 65535 });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_state(), TCPS_ESTABLISHED);
	ck_assert_uint_eq(tf_stat("challengeack"), 1);
	/* The rate limit holds them back. */
	ft_sysctl_set(A, "net.inet.tcp.challenge_ack_limit", 1);
	tf_send(&(struct tseg){ .seq = c.pnxt + 5, .flags = TH_SYN,
	    .win = 65535 });
	tf_none();
	ck_assert_uint_eq(tf_stat("challengeack_limited"), 1);
	tf_finish(&c);
}
END_TEST

/* RFC 5961 5.2: an ACK for data never sent is answered and dropped. */
START_TEST(test_ack_too_much)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_send(&(struct tseg){ .seq = c.pnxt, .ack = c.anxt + 5000,
	    .flags = TH_ACK, .win = 65535, .data = "abc", .len = 3 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);	/* data not taken */
	ck_assert_uint_eq(tf_stat("rcvacktoomuch"), 1);
	tf_finish(&c);
}
END_TEST

/* ---------------------------------------------------------- receiving */

/* Data beyond the window is trimmed/refused and answered with an ACK. */
START_TEST(test_data_beyond_window)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_send(&(struct tseg){ .seq = c.pnxt + 70000, .ack = c.anxt,
	    .flags = TH_ACK, .win = 65535, .data = "late", .len = 4 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_uint_eq(tf_stat("rcvpackafterwin"), 1);
	ck_assert_int_eq(tf_read(&c), -EAGAIN);
	tf_finish(&c);
}
END_TEST

/* RFC 5681 4.2: a lone small segment waits for the delayed-ACK timer;
 * every second full segment is acknowledged at once. */
START_TEST(test_delayed_ack)
{
	struct tconn c = tf_established();
	static uint8_t big[1460];
	struct tseg s;

	tf_pdata(&c, "hello", 5, 0);
	tf_none();
	ft_advance(A, NS_MS(39));
	tf_none();
	ft_advance(A, NS_MS(1));
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_uint_eq(tf_stat("delack"), 1);
	tf_pdata(&c, big, sizeof(big), 0);
	tf_none();
	tf_pdata(&c, big, sizeof(big), 0);
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_read(&c), 5 + 2 * 1460);
	tf_finish(&c);
}
END_TEST

/* RFC 2018: out-of-order data is ACKed at once with a SACK block, and
 * reassembled when the hole is filled. */
START_TEST(test_sack_blocks_ooo)
{
	struct tconn c = tf_established();
	struct tseg s;
	uint32_t base = c.pnxt;

	tf_send(&(struct tseg){ .seq = base + 100, .ack = c.anxt,
	    .flags = TH_ACK, .win = 65535, .data = rbuf, .len = 50 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, base);
	ck_assert_uint_eq(s.nsack, 1);
	ck_assert_uint_eq(s.sack[0][0], base + 100);
	ck_assert_uint_eq(s.sack[0][1], base + 150);
	tf_send(&(struct tseg){ .seq = base + 200, .ack = c.anxt,
	    .flags = TH_ACK, .win = 65535, .data = rbuf, .len = 50 });
	s = tf_recv1();
	ck_assert_uint_eq(s.nsack, 2);
	ck_assert_uint_eq(s.sack[0][0], base + 200);	/* most recent first */
	ck_assert_uint_eq(s.sack[1][0], base + 100);
	ck_assert_uint_eq(tf_stat("rcvoopack"), 2);
	/* Fill the first hole: ACK moves to 150, one block left. */
	tf_send(&(struct tseg){ .seq = base, .ack = c.anxt, .flags = TH_ACK,
	    .win = 65535, .data = rbuf, .len = 100 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, base + 150);
	ck_assert_uint_eq(s.nsack, 1);
	ck_assert_uint_eq(s.sack[0][0], base + 200);
	tf_send(&(struct tseg){ .seq = base + 150, .ack = c.anxt,
	    .flags = TH_ACK, .win = 65535, .data = rbuf, .len = 50 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, base + 250);
	ck_assert_uint_eq(s.nsack, 0);
	ck_assert_int_eq(tf_read(&c), 250);
	tf_finish(&c);
}
END_TEST

/* ------------------------------------------------------------ sending */

/* RFC 1122 4.2.3.4 (Nagle): a small segment waits while data is
 * unacknowledged, unless TCP_NODELAY. */
START_TEST(test_nagle)
{
	struct tconn c = tf_established();
	struct tseg s;
	int one = 1;

	tf_write(&c, 10);
	s = tf_recv1();
	ck_assert_uint_eq(s.len, 10);
	tf_write(&c, 10);
	tf_none();
	tf_pack(&c, c.anxt + 10, 65535);
	s = tf_recv1();
	ck_assert_uint_eq(s.seq, c.anxt + 10);
	ck_assert_uint_eq(s.len, 10);
	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KIPPROTO_TCP, KTCP_NODELAY,
	    &one, sizeof(one)), 0);
	tf_write(&c, 10);
	s = tf_recv1();
	ck_assert_uint_eq(s.len, 10);
	tf_finish(&c);
}
END_TEST

/* RFC 6298: RTO from the handshake sample (floored at rtomin), doubled
 * at each timeout. */
START_TEST(test_rto_backoff)
{
	struct tconn c = tf_established();
	struct tseg s;
	uint64_t rto = NS_MS(200);

	tf_write(&c, 100);
	s = tf_recv1();
	for (int i = 0; i < 4; i++, rto *= 2) {
		ft_advance(A, rto - NS_MS(1));
		tf_none();
		ft_advance(A, NS_MS(1));
		s = tf_recv1();
		ck_assert_uint_eq(s.seq, c.anxt);
		ck_assert_uint_eq(s.len, 100);
	}
	ck_assert_uint_eq(tf_stat("rexmttimeo"), 4);
	ck_assert_uint_eq(tf_stat("sndrexmitpack"), 4);
	/* The ACK stops the timer. */
	tf_pack(&c, c.anxt + 100, 65535);
	ft_advance(A, NS_SEC(10));
	tf_none();
	tf_finish(&c);
}
END_TEST

/* Retransmissions run out: the connection is dropped, ETIMEDOUT. */
START_TEST(test_rexmt_giveup)
{
	struct tconn c = tf_established();

	ft_sysctl_set(A, "net.inet.tcp.retries", 3);
	tf_write(&c, 100);
	for (int i = 0; i < 10; i++) {
		ft_advance(A, NS_SEC(5));
		ft_tx_clear(A);
	}
	ck_assert_int_eq(tf_read(&c), -ETIMEDOUT);
	ck_assert_uint_eq(tf_stat("timeoutdrop"), 1);
	tf_finish(&c);
}
END_TEST

/* RFC 5681 3.2: three duplicate ACKs retransmit the missing segment. */
static void
fast_retransmit(bool sack)
{
	struct tconn c = tf_established();
	struct tseg s;

	if (!sack) {
		/* Without SACK agreed: plain NewReno. */
		ft_lock(A);
		tf_tcpcb(-1)->t_flags &= ~TF_SACK_PERMIT;
		ft_unlock(A);
	}
	tf_write(&c, 5 * 1460);
	for (int i = 0; i < 5; i++)
		(void)tf_recv();
	tf_none();
	tf_pack(&c, c.anxt + 1460, 65535);
	tf_none();
	for (int i = 0; i < 2; i++) {
		tf_pack(&c, c.anxt + 1460, 65535);
		tf_none();
	}
	tf_pack(&c, c.anxt + 1460, 65535);
	s = tf_recv();
	ck_assert_uint_eq(s.seq, c.anxt + 1460);
	ck_assert_uint_eq(s.len, 1460);
	ck_assert_uint_eq(tf_stat("fastretransmit"), 1);
	ck_assert_uint_eq(tf_stat("rcvdupack"), 3);
	ck_assert_uint_eq(tf_stat("sackrecovery"), sack ? 1 : 0);
	ft_tx_clear(A);
	/* Everything acknowledged: recovery ends. */
	tf_pack(&c, c.anxt + 5 * 1460, 65535);
	ft_lock(A);
	ck_assert(!(tf_tcpcb(-1)->t_flags & TF_RECOVERY));
	ft_unlock(A);
	tf_finish(&c);
}

START_TEST(test_fast_retransmit_sack)
{
	fast_retransmit(true);
}
END_TEST

START_TEST(test_fast_retransmit_newreno)
{
	fast_retransmit(false);
}
END_TEST

/* RFC 6675: with SACK, every lost segment is resent in one recovery. */
START_TEST(test_sack_recovery_holes)
{
	struct tconn c = tf_established();
	uint8_t opt[12] = { TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK, 10 };
	uint32_t b = c.anxt, mss = 1460;
	struct tseg s;

	tf_write(&c, 8 * mss);
	for (int i = 0; i < 8; i++)
		(void)tf_recv();
	/* Segments 0 and 2 lost; 1, 3.. arrive. */
	for (uint32_t end = 2; end <= 8; end++) {
		if (end == 3)
			continue;
		be32enc(opt + 4, end == 2 ? b + mss : b + 3 * mss);
		be32enc(opt + 8, b + end * mss);
		tf_send(&(struct tseg){ .seq = c.pnxt, .ack = b,
		    .flags = TH_ACK, .win = 65535, .opt = opt,
		    .optlen = sizeof(opt) });
	}
	/* Both holes resent, nothing else. */
	s = tf_recv();
	ck_assert_uint_eq(s.seq, b);
	s = tf_recv();
	ck_assert_uint_eq(s.seq, b + 2 * mss);
	ck_assert_uint_eq(tf_stat("sndrexmitpack"), 2);
	ft_tx_clear(A);
	tf_finish(&c);
}
END_TEST

/* RFC 9293 3.8.6.1: a zero window is probed with backoff; probes stop
 * when it opens. */
START_TEST(test_zero_window_persist)
{
	struct tconn c = tf_established();
	struct tseg s;
	uint64_t t = NS_MS(200);

	tf_write(&c, 100);
	(void)tf_recv1();
	tf_pack(&c, c.anxt + 100, 0);		/* all taken, window 0 */
	tf_none();
	tf_write(&c, 50);
	tf_none();
	for (int i = 0; i < 3; i++, t *= 2) {
		ft_advance(A, t - NS_MS(1));
		tf_none();
		ft_advance(A, NS_MS(1));
		s = tf_recv1();
		ck_assert_uint_eq(s.seq, c.anxt + 100);
		ck_assert_uint_eq(s.len, 1);		/* one byte probe */
		tf_pack(&c, c.anxt + 100, 0);
		tf_none();
	}
	ck_assert_uint_eq(tf_stat("persisttimeo"), 3);
	ck_assert_uint_eq(tf_stat("sndprobe"), 3);
	/* The window opens: the rest goes at once. */
	tf_pack(&c, c.anxt + 100, 65535);
	s = tf_recv1();
	ck_assert_uint_eq(s.seq, c.anxt + 100);
	ck_assert_uint_eq(s.len, 50);
	tf_finish(&c);
}
END_TEST

/* A zero window advertised by A: P's probe is answered, data kept out. */
START_TEST(test_receive_window_probe)
{
	struct tconn c = tf_established();
	int v = 2048;
	static uint8_t big[1460];
	struct tseg s;

	/* Fill a small buffer. */
	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KSOL_SOCKET, KSO_RCVBUF,
	    &v, sizeof(v)), 0);
	ft_lock(A);
	tf_tcpcb(-1)->rcv_adv = tf_tcpcb(-1)->rcv_nxt;	/* forget the offer */
	ft_unlock(A);
	tf_pdata(&c, big, 1460, 0);
	tf_pdata(&c, big, 588, 0);
	ft_advance(A, NS_MS(40));		/* the delayed ACK */
	s = tf_recv();
	ft_tx_clear(A);
	ck_assert_uint_eq(s.ack, c.pnxt);
	tf_send(&(struct tseg){ .seq = c.pnxt, .ack = c.anxt, .flags = TH_ACK,
	    .win = 65535, .data = "z", .len = 1 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);	/* probe byte not taken */
	ck_assert_uint_eq(s.win, 0);
	ck_assert_uint_eq(tf_stat("rcvwinprobe"), 1);
	/* Reading opens the window: A says so. */
	ck_assert_int_eq(tf_read(&c), 2048);
	s = tf_recv1();
	ck_assert_uint_gt(s.win, 0);
	ck_assert_uint_eq(tf_stat("sndwinup"), 1);
	tf_finish(&c);
}
END_TEST

/* RFC 1122 4.2.3.6: keepalive probes, then the connection is dropped. */
START_TEST(test_keepalive)
{
	struct tconn c = tf_established();
	int one = 1, idle = 10, intvl = 2, cnt = 3;
	struct tseg s;

	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KSOL_SOCKET, KSO_KEEPALIVE,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KIPPROTO_TCP,
	    KTCP_KEEPIDLE, &idle, sizeof(idle)), 0);
	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KIPPROTO_TCP,
	    KTCP_KEEPINTVL, &intvl, sizeof(intvl)), 0);
	ck_assert_int_eq(ksys_setsockopt(PA, c.fd, KIPPROTO_TCP, KTCP_KEEPCNT,
	    &cnt, sizeof(cnt)), 0);
	ft_advance(A, NS_SEC(10) - 1);
	tf_none();
	ft_advance(A, 1);
	s = tf_recv1();
	ck_assert_uint_eq(s.seq, c.anxt - 1);
	ck_assert_uint_eq(s.len, 0);
	/* An answer resets the count. */
	tf_pack(&c, c.anxt, 65535);
	ft_advance(A, NS_SEC(10));
	(void)tf_recv1();
	for (int i = 0; i < 2; i++) {
		ft_advance(A, NS_SEC(2));
		(void)tf_recv1();
	}
	ck_assert_uint_eq(tf_stat("keepprobe"), 4);
	ft_advance(A, NS_SEC(2));
	s = tf_recv1();
	ck_assert(s.flags & TH_RST);
	ck_assert_int_eq(tf_read(&c), -ETIMEDOUT);
	ck_assert_uint_eq(tf_stat("keepdrops"), 1);
	tf_finish(&c);
}
END_TEST

/* ------------------------------------------------------------ closing */

/* Active close: FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT -> gone. */
START_TEST(test_active_close_timewait)
{
	struct tconn c = tf_established();
	struct tseg s;

	ck_assert_int_eq(ksys_close(PA, c.fd), 0);
	c.fd = -1;
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_FIN | TH_ACK);
	ck_assert_int_eq(tf_state(), TCPS_FIN_WAIT_1);
	tf_pack(&c, c.anxt + 1, 65535);
	tf_none();
	ck_assert_int_eq(tf_state(), TCPS_FIN_WAIT_2);
	c.anxt++;
	tf_pdata(&c, NULL, 0, TH_FIN);
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	ck_assert_uint_eq(tf_stat("timewait"), 1);
	/* RFC 1337: a RST does not cut TIME_WAIT short. */
	tf_send(&(struct tseg){ .seq = c.pnxt, .flags = TH_RST });
	tf_none();
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	/* A retransmitted FIN is acknowledged again. */
	tf_send(&(struct tseg){ .seq = c.pnxt - 1, .ack = c.anxt,
	    .flags = TH_FIN | TH_ACK, .win = 65535 });
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	/* 2 MSL = 2 s. */
	ft_advance(A, NS_SEC(2) - NS_MS(1));
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	ft_advance(A, NS_MS(1));
	ck_assert_int_eq(tf_state(), TCPS_CLOSED);
	ck_assert_uint_eq(tf_ntcpcb(), 1);	/* the listener */
	tf_finish(&c);
}
END_TEST

/* Simultaneous close: FIN_WAIT_1 -> CLOSING -> TIME_WAIT. */
START_TEST(test_closing)
{
	struct tconn c = tf_established();
	struct tseg s;

	ck_assert_int_eq(ksys_shutdown(PA, c.fd, KSHUT_WR), 0);
	s = tf_recv1();
	ck_assert(s.flags & TH_FIN);
	/* P's FIN does not acknowledge ours. */
	tf_pdata(&c, NULL, 0, TH_FIN);
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_state(), TCPS_CLOSING);
	tf_pack(&c, c.anxt + 1, 65535);
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	ck_assert_int_eq(tf_read(&c), 0);
	tf_finish(&c);
}
END_TEST

/* Passive close: CLOSE_WAIT (read gives EOF) -> LAST_ACK -> closed. */
START_TEST(test_passive_close_last_ack)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_pdata(&c, "bye", 3, TH_FIN);
	s = tf_recv1();
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_state(), TCPS_CLOSE_WAIT);
	ck_assert_int_eq(tf_read(&c), 3);
	ck_assert_int_eq(tf_read(&c), 0);
	/* Half-closed: A may still send. */
	tf_write(&c, 20);
	s = tf_recv1();
	ck_assert_uint_eq(s.len, 20);
	ck_assert_int_eq(ksys_close(PA, c.fd), 0);
	c.fd = -1;
	/* The FIN follows the data at once. */
	s = tf_recv1();
	ck_assert(s.flags & TH_FIN);
	ck_assert_uint_eq(s.seq, c.anxt + 20);
	ck_assert_int_eq(tf_state(), TCPS_LAST_ACK);
	tf_pack(&c, c.anxt + 20, 65535);
	ck_assert_int_eq(tf_state(), TCPS_LAST_ACK);
	tf_pack(&c, c.anxt + 21, 65535);
	ck_assert_int_eq(tf_state(), TCPS_CLOSED);
	ck_assert_uint_eq(tf_ntcpcb(), 1);
	tf_finish(&c);
}
END_TEST

/* shutdown(SHUT_WR): our FIN goes out, we keep receiving. */
START_TEST(test_half_close)
{
	struct tconn c = tf_established();
	struct tseg s;
	size_t done;

	ck_assert_int_eq(ksys_shutdown(PA, c.fd, KSHUT_WR), 0);
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_FIN | TH_ACK);
	ck_assert_int_eq(ksys_write(PA, c.fd, "x", 1, &done), EPIPE);
	tf_pack(&c, c.anxt + 1, 65535);
	c.anxt++;
	ck_assert_int_eq(tf_state(), TCPS_FIN_WAIT_2);
	tf_pdata(&c, "still here", 10, TH_PUSH);
	ck_assert_int_eq(tf_read(&c), 10);
	ck_assert_int_eq(memcmp(rbuf, "still here", 10), 0);
	ft_advance(A, NS_MS(40));
	ft_tx_clear(A);
	tf_pdata(&c, NULL, 0, TH_FIN);
	(void)tf_recv1();
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	tf_finish(&c);
}
END_TEST

/* Closing with unread data resets the connection (RFC 9293 3.10.4). */
START_TEST(test_close_unread_rst)
{
	struct tconn c = tf_established();
	struct tseg s;

	tf_pdata(&c, "unread", 6, TH_PUSH);
	ft_tx_clear(A);
	ck_assert_int_eq(ksys_close(PA, c.fd), 0);
	c.fd = -1;
	s = tf_recv1();
	ck_assert(s.flags & TH_RST);
	ck_assert_uint_eq(s.seq, c.anxt);
	tf_finish(&c);
}
END_TEST

/* TIME_WAIT: a new SYN with a higher sequence number reopens it
 * (RFC 9293 3.6.1); SO_REUSEADDR lets a listener bind the port. */
START_TEST(test_timewait_reuse)
{
	struct tconn c = tf_active();
	struct tseg s;
	int lfd, one = 1;
	struct ksockaddr_in a = tf_sin(NULL, TF_APORT);

	ck_assert_int_eq(ksys_close(PA, c.fd), 0);
	c.fd = -1;
	(void)tf_recv1();			/* FIN */
	tf_pack(&c, c.anxt + 1, 65535);
	tf_pdata(&c, NULL, 0, TH_FIN);
	(void)tf_recv1();
	ck_assert_int_eq(tf_state(), TCPS_TIME_WAIT);
	/* Without SO_REUSEADDR the port is busy; with it, it is not. */
	lfd = tf_socket();
	ck_assert_int_eq(ksys_bind(PA, lfd, &a, sizeof(a)), EADDRINUSE);
	ck_assert_int_eq(ksys_setsockopt(PA, lfd, KSOL_SOCKET, KSO_REUSEADDR,
	    &one, sizeof(one)), 0);
	ck_assert_int_eq(ksys_bind(PA, lfd, &a, sizeof(a)), 0);
	ck_assert_int_eq(ksys_listen(PA, lfd, 4), 0);
	/* An old-looking SYN is answered from TIME_WAIT (challenge ACK). */
	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535 });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	/* A new incarnation. */
	tf_send(&(struct tseg){ .seq = c.pnxt + 100000, .flags = TH_SYN,
	    .win = 65535 });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(s.ack, c.pnxt + 100001);
	ck_assert_uint_eq(tf_stat("twreuse"), 1);
	c.lfd = lfd;
	tf_finish(&c);
}
END_TEST

/* A connection to one of our own addresses runs over lo0. */
START_TEST(test_loopback_transfer)
{
	int lfd = tf_listen(4), cfd = tf_socket(), afd = -1;
	struct ksockaddr_in sin = tf_sin("198.51.100.1", TF_APORT);
	static uint8_t wbuf[100000];
	size_t done, sent = 0, got = 0;

	for (size_t i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(ksys_connect(PA, cfd, &sin, sizeof(sin)),
	    EINPROGRESS);
	for (int round = 0; round < 1000 && got < sizeof(wbuf); round++) {
		ft_advance(A, NS_MS(1));	/* lo0, delayed ACKs */
		if (afd < 0 && ksys_accept4(PA, lfd, NULL, NULL,
		    KSOCK_NONBLOCK, &afd) != 0)
			afd = -1;
		if (sent < sizeof(wbuf) && ksys_write(PA, cfd, wbuf + sent,
		    sizeof(wbuf) - sent, &done) == 0)
			sent += done;
		if (afd >= 0 && ksys_read(PA, afd, rbuf + got,
		    sizeof(rbuf) - got, &done) == 0)
			got += done;
	}
	ck_assert_uint_eq(got, sizeof(wbuf));
	ck_assert_int_eq(memcmp(rbuf, wbuf, sizeof(wbuf)), 0);
	tf_none();			/* nothing went out on tst0 */
	ck_assert_int_eq(ksys_close(PA, cfd), 0);
	ck_assert_int_eq(ksys_close(PA, afd), 0);
	{
		struct tconn c = { .lfd = lfd, .fd = -1 };

		tf_finish(&c);
	}
}
END_TEST

/* Instance teardown with connections in every kind of state (open,
 * closing with unsent data, TIME_WAIT, embryonic) frees everything:
 * the fixture's leak check runs after ft_destroy. */
START_TEST(test_teardown_live)
{
	struct tconn c = tf_established();

	tf_write(&c, 100000);
	ck_assert_int_eq(ksys_close(PA, c.fd), 0);	/* graceful, data */
	tf_send(&(struct tseg){ .sport = 41000, .seq = TF_PISS,
	    .flags = TH_SYN, .win = 65535 });		/* embryonic */
	ft_tx_clear(A);
	ck_assert_uint_eq(tf_ntcpcb(), 3);
}
END_TEST

/*
 * Robustness: thousands of random segments (flags, sequence and
 * acknowledgment numbers near and far, windows, garbage options and
 * payload, with valid checksums) against a listener and an open
 * connection.  Nothing may crash or leak; the fixture checks leaks.
 */
START_TEST(test_random_segments)
{
	struct tconn c = tf_established();
	uint64_t x = 0x9e3779b97f4a7c15ull;
	uint8_t opt[40], data[200];

	for (int i = 0; i < 20000; i++) {
		struct tseg s;
		uint64_t r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = x;
		memset(&s, 0, sizeof(s));
		s.flags = (uint8_t)r;
		s.seq = c.pnxt +
		    (uint32_t)((int32_t)(r >> 8) >> ((r >> 59) & 31));
		s.ack = c.anxt +
		    (uint32_t)((int32_t)(r >> 24) >> ((r >> 58) & 31));
		s.win = (uint16_t)(r >> 40);
		s.optlen = ((r >> 50) & 7) * 4;
		for (size_t j = 0; j < sizeof(opt); j++)
			opt[j] = (uint8_t)(x >> (j % 57));
		if ((r >> 53) & 1)
			opt[0] = (uint8_t)((r >> 54) & 7);	/* real kinds */
		s.opt = opt;
		s.len = (r >> 56) & 1 ? (size_t)((r >> 16) % sizeof(data)) : 0;
		s.data = data;
		if ((r >> 57) & 1)
			s.sport = (uint16_t)(41000 + (r & 3));	/* others */
		tf_send(&s);
		ft_tx_clear(A);
		if (i % 1000 == 999)
			ft_advance(A, NS_SEC(1));
		/* Keep reading so the window stays open. */
		if (c.fd >= 0)
			(void)tf_read(&c);
	}
	ft_tx_clear(A);
	tf_finish(&c);
}
END_TEST

/* ---------------------------------------------------------- offload */

/* With TSO enabled, one super-packet of whole MSS segments, flagged
 * M_CSUM_TSOv4 with segsz = MSS; without, never more than the MTU. */
static void
tso_case(uint32_t capenable)
{
	struct tconn c;
	struct tseg s;
	bool tso = (capenable & IFCAP_TSOv4) != 0;
	size_t total = 0;

	tf_teardown();
	tf_setup_mtu(0, capenable);
	c = tf_established();
	tf_write(&c, 40000);
	while (ft_tx_count(A) > 0) {
		s = tf_recv();
		if (tso) {
			ck_assert(s.csum_flags & M_CSUM_TSOv4);
			ck_assert_uint_eq(s.len % 1460, 0);
			ck_assert(!(s.flags & TH_FIN));
		} else {
			ck_assert_uint_le(s.framelen, 1514);
			ck_assert(!(s.csum_flags & M_CSUM_TSOv4));
		}
		total += s.len;
	}
	/* The initial window: 10 segments. */
	ck_assert_uint_eq(total, 10 * 1460);
	if (tso)
		ck_assert_uint_eq(tf_stat("tso"), 1);
	tf_finish(&c);
}

START_TEST(test_tso)
{
	tso_case(IFCAP_TSOv4 | IFCAP_CSUM_TCPv4_Tx | IFCAP_CSUM_IPv4_Tx);
}
END_TEST

/* TSOv4 alone is enough, as on NetBSD: the driver computes the
 * segments' checksums whatever the checksum offloads. */
START_TEST(test_tso_alone)
{
	tso_case(IFCAP_TSOv4);
}
END_TEST

START_TEST(test_no_tso)
{
	tso_case(0);
}
END_TEST

/* RX offload verdicts are honoured: a segment flagged bad is dropped
 * without being summed. */
START_TEST(test_rx_csum_flags)
{
	struct tconn c;
	uint8_t f[256];
	size_t len;

	tf_teardown();
	tf_setup_mtu(0, IFCAP_CSUM_TCPv4_Rx | IFCAP_CSUM_IPv4_Rx);
	c = tf_established();
	len = tf_frame(f, &(struct tseg){ .seq = c.pnxt, .ack = c.anxt,
	    .flags = TH_ACK | TH_PUSH, .win = 65535, .data = "abc",
	    .len = 3 });
	ft_input_flags(A, f, len, M_CSUM_IPv4 | M_CSUM_TCPv4 |
	    M_CSUM_TCP_UDP_BAD);
	ck_assert_uint_eq(tf_stat("rcvbadsum"), 1);
	ck_assert_int_eq(tf_read(&c), -EAGAIN);
	/* A corrupted frame without a verdict is caught in software. */
	f[len - 1] ^= 0x55;
	ft_input_flags(A, f, len, 0);
	ck_assert_uint_eq(tf_stat("rcvbadsum"), 2);
	f[len - 1] ^= 0x55;
	ft_input_flags(A, f, len, M_CSUM_IPv4 | M_CSUM_TCPv4);
	ck_assert_int_eq(tf_read(&c), 3);
	tf_finish(&c);
}
END_TEST

/* Socket options at level IPPROTO_TCP. */
START_TEST(test_sockopts)
{
	int fd = tf_socket(), v;
	ksocklen_t len = sizeof(v);

	ck_assert_int_eq(ksys_getsockopt(PA, fd, KIPPROTO_TCP, KTCP_NODELAY,
	    &v, &len), 0);
	ck_assert_int_eq(v, 0);
	v = 1;
	ck_assert_int_eq(ksys_setsockopt(PA, fd, KIPPROTO_TCP, KTCP_NODELAY,
	    &v, sizeof(v)), 0);
	len = sizeof(v);
	ck_assert_int_eq(ksys_getsockopt(PA, fd, KIPPROTO_TCP, KTCP_NODELAY,
	    &v, &len), 0);
	ck_assert_int_eq(v, 1);
	v = 10;
	ck_assert_int_eq(ksys_setsockopt(PA, fd, KIPPROTO_TCP, KTCP_MAXSEG,
	    &v, sizeof(v)), EINVAL);
	v = 1000;
	ck_assert_int_eq(ksys_setsockopt(PA, fd, KIPPROTO_TCP, KTCP_MAXSEG,
	    &v, sizeof(v)), 0);
	len = sizeof(v);
	ck_assert_int_eq(ksys_getsockopt(PA, fd, KIPPROTO_TCP, KTCP_KEEPIDLE,
	    &v, &len), 0);
	ck_assert_int_eq(v, 7200);
	v = 0;
	ck_assert_int_eq(ksys_setsockopt(PA, fd, KIPPROTO_TCP, KTCP_KEEPCNT,
	    &v, sizeof(v)), EINVAL);
	ck_assert_int_eq(ksys_setsockopt(PA, fd, KIPPROTO_TCP, 99, &v,
	    sizeof(v)), ENOPROTOOPT);
	ck_assert_int_eq(ksys_close(PA, fd), 0);
}
END_TEST

static Suite *
tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
	tcase_add_test(tc, test_listen_syn_synack);
	tcase_add_test(tc, test_mss_clamp);
	tcase_add_test(tc, test_synack_options);
	tcase_add_test(tc, test_simultaneous_open);
	tcase_add_test(tc, test_nonblocking_connect_poll);
	tcase_add_test(tc, test_connect_refused_rst);
	tcase_add_test(tc, test_connect_refused_icmp);
	tcase_add_test(tc, test_closed_port_rst);
	tcase_add_test(tc, test_backlog_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc5961");
	tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
	tcase_add_test(tc, test_rst_validation);
	tcase_add_test(tc, test_syn_in_established);
	tcase_add_test(tc, test_ack_too_much);
	suite_add_tcase(s, tc);

	tc = tcase_create("receive");
	tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
	tcase_add_test(tc, test_data_beyond_window);
	tcase_add_test(tc, test_delayed_ack);
	tcase_add_test(tc, test_sack_blocks_ooo);
	tcase_add_test(tc, test_receive_window_probe);
	tcase_add_test(tc, test_rx_csum_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("send");
	tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
	tcase_add_test(tc, test_nagle);
	tcase_add_test(tc, test_rto_backoff);
	tcase_add_test(tc, test_rexmt_giveup);
	tcase_add_test(tc, test_fast_retransmit_sack);
	tcase_add_test(tc, test_fast_retransmit_newreno);
	tcase_add_test(tc, test_sack_recovery_holes);
	tcase_add_test(tc, test_pmtu_needfrag);
	tcase_add_test(tc, test_zero_window_persist);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_tso);
	tcase_add_test(tc, test_tso_alone);
	tcase_add_test(tc, test_no_tso);
	tcase_add_test(tc, test_sockopts);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_add_checked_fixture(tc, tf_setup, tf_teardown);
	tcase_add_test(tc, test_active_close_timewait);
	tcase_add_test(tc, test_closing);
	tcase_add_test(tc, test_passive_close_last_ack);
	tcase_add_test(tc, test_half_close);
	tcase_add_test(tc, test_close_unread_rst);
	tcase_add_test(tc, test_timewait_reuse);
	tcase_add_test(tc, test_teardown_live);
	tcase_add_test(tc, test_loopback_transfer);
	tcase_add_test(tc, test_random_segments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tcp_suite());
}
