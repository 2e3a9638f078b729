/*
 * test_tcp6.c -- TCP over IPv6 between two instances back to back
 * (frametest ft_pump, virtual clocks): handshake and MSS, bulk
 * transfers through the impaired link (tcp_link.h), RST from a closed
 * port, ICMPv6 errors (destination unreachable refuses a connection,
 * Packet Too Big lowers the MSS), checksum offload and TSOv6
 * super-packets, link-local peers with zones, and an IPv4 connection
 * accepted by a dual-stack AF_INET6 listener.
 *
 * Node a: 2001:db8::1 (02:00:00:00:00:01, fe80::ff:fe00:1), node b:
 * 2001:db8::2 (:02, fe80::ff:fe00:2); the IPv4 addresses
 * 198.51.100.1/.2 only for the dual-stack test.  Every test ends
 * leak-free.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "frametest.h"
#include "tcp_link.h"
#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/tcp_var.h"
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet6/nd6.h"

/* libnetstack is a static archive: refer to the modules' objects. */
static void (*volatile keep_tcp)(struct netstack *, struct mbuf *,
    unsigned) = tcp_input;
static void (*volatile keep_ip6)(struct netstack *, struct mbuf *) =
    ip6_input;
static int (*volatile keep_tcp6)(struct netstack *) = tcp6_init;

#define TCP6S(x)	"net.inet.tcp.stats." x
#define PORT		5001

static uint64_t t_kmem, t_mbufs;
static struct ft_node *a, *b;
static struct proc *pa, *pb;

static void
addaddr(struct ft_node *fn, const char *addr)
{
	uint8_t in6[16];
	int rv;

	ft_addr6(addr, in6);
	ft_lock(fn);
	rv = in6_addaddr(fn->fn_ifp, in6, 64, 0, ND6_INFINITE_LIFETIME,
	    ND6_INFINITE_LIFETIME);
	ft_unlock(fn);
	ck_assert_int_eq(rv, 0);
}

/* Two nodes, a's interface with capenable, addresses past DAD. */
static void
pair_setup_caps(uint32_t capa, uint32_t capb)
{
	(void)keep_tcp;
	(void)keep_ip6;
	(void)keep_tcp6;
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	t_kmem = kmem_inuse();
	t_mbufs = m_inuse();
	a = ft_create(&(struct ft_config){ .fc_name = "a",
	    .fc_lladdr = FT_MAC(1), .fc_addr = "198.51.100.1/24",
	    .fc_capenable = capa });
	b = ft_create(&(struct ft_config){ .fc_name = "b",
	    .fc_lladdr = FT_MAC(2), .fc_addr = "198.51.100.2/24",
	    .fc_capenable = capb });
	addaddr(a, "2001:db8::1");
	addaddr(b, "2001:db8::2");
	for (int i = 0; i < 2; i++) {
		struct ft_node *fn = i == 0 ? a : b;

		ft_advance(fn, FT_SETTLE_NS);	/* DAD */
		ft_tx_clear(fn);
		ft_sysctl_set(fn, "net.inet.tcp.msl", 500);
	}
	ck_assert_int_eq(proc_create(a->fn_ns, &pa), 0);
	ck_assert_int_eq(proc_create(b->fn_ns, &pb), 0);
}

static void
pair_setup(void)
{
	pair_setup_caps(0, 0);
}

static void
pair_teardown(void)
{
	proc_destroy(pa);
	proc_destroy(pb);
	ft_destroy(a);
	ft_destroy(b);
	a = b = NULL;
	ck_assert_uint_eq(m_inuse(), t_mbufs);
	ck_assert_uint_eq(kmem_inuse(), t_kmem);
}

static struct ksockaddr_in6
sin6(const char *addr, uint16_t port, uint32_t scope)
{
	struct ksockaddr_in6 s;

	memset(&s, 0, sizeof(s));
	s.sin6_family = AF_INET6;
	s.sin6_port = htons(port);
	ft_addr6(addr, s.sin6_addr.s6_addr);
	s.sin6_scope_id = scope;
	return s;
}

static int
sock6(struct proc *p)
{
	int fd;

	ck_assert_int_eq(ksys_socket(p, AF_INET6,
	    KSOCK_STREAM | KSOCK_NONBLOCK, 0, &fd), 0);
	return fd;
}

static int
listener(struct proc *p, const char *addr)
{
	struct ksockaddr_in6 s = sin6(addr, PORT, 0);
	int fd = sock6(p);

	ck_assert_int_eq(ksys_bind(p, fd, &s, sizeof(s)), 0);
	ck_assert_int_eq(ksys_listen(p, fd, 4), 0);
	return fd;
}

static int
so_error(struct proc *p, int fd)
{
	int v = -1;
	ksocklen_t len = sizeof(v);

	ck_assert_int_eq(ksys_getsockopt(p, fd, KSOL_SOCKET, KSO_ERROR, &v,
	    &len), 0);
	return v;
}

static int
maxseg(struct proc *p, int fd)
{
	int v = -1;
	ksocklen_t len = sizeof(v);

	ck_assert_int_eq(ksys_getsockopt(p, fd, KIPPROTO_TCP, KTCP_MAXSEG,
	    &v, &len), 0);
	return v;
}

/* Connect a (active) to b's listener lfd at dst; => b's accepted fd. */
static int
handshake(int afd, int lfd, const struct ksockaddr_in6 *dst)
{
	int bfd = -1;

	ck_assert_int_eq(ksys_connect(pa, afd, dst, sizeof(*dst)),
	    EINPROGRESS);
	ft_pump(a, b);
	ck_assert_int_eq(so_error(pa, afd), 0);
	ck_assert_int_eq(ksys_accept4(pb, lfd, NULL, NULL, KSOCK_NONBLOCK,
	    &bfd), 0);
	return bfd;
}

static void
send_recv(int afd, int bfd, const char *msg)
{
	char buf[256];
	size_t done;

	ck_assert_int_eq(ksys_write(pa, afd, msg, strlen(msg), &done), 0);
	ck_assert_uint_eq(done, strlen(msg));
	/* Let delayed ACKs go, so Nagle does not hold a second write. */
	for (int i = 0; i < 3; i++) {
		ft_pump(a, b);
		ft_advance(a, NS_MS(100));
		ft_advance(b, NS_MS(100));
	}
	ft_pump(a, b);
	ck_assert_int_eq(ksys_read(pb, bfd, buf, sizeof(buf), &done), 0);
	ck_assert_uint_eq(done, strlen(msg));
	ck_assert(memcmp(buf, msg, done) == 0);
}

/* Close everything and let TIME_WAIT expire. */
static void
close_all(int afd, int bfd, int lfd)
{
	if (bfd >= 0)
		ck_assert_int_eq(ksys_close(pb, bfd), 0);
	if (afd >= 0)
		ck_assert_int_eq(ksys_close(pa, afd), 0);
	if (lfd >= 0)
		ck_assert_int_eq(ksys_close(pb, lfd), 0);
	for (int i = 0; i < 40; i++) {
		ft_pump(a, b);
		ft_advance(a, NS_MS(100));
		ft_advance(b, NS_MS(100));
	}
	ft_pump(a, b);
	ft_lock(a);
	ck_assert_uint_eq(tcp_state(a->fn_ns)->tcs_count, 0);
	ft_unlock(a);
	ft_lock(b);
	ck_assert_uint_eq(tcp_state(b->fn_ns)->tcs_count, 0);
	ft_unlock(b);
}

/* ------------------------------------------------------- handshake */

START_TEST(test_handshake)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", PORT, 0), got;
	ksocklen_t len = sizeof(got);
	int lfd, afd, bfd;
	uint8_t want[16];

	lfd = listener(pb, "::");
	afd = sock6(pa);
	bfd = handshake(afd, lfd, &dst);
	/* Addresses, both ends, in AF_INET6 form. */
	ck_assert_int_eq(ksys_getpeername(pb, bfd, &got, &len), 0);
	ck_assert_uint_eq(len, sizeof(got));
	ck_assert_uint_eq(got.sin6_family, AF_INET6);
	ft_addr6("2001:db8::1", want);
	ck_assert(memcmp(got.sin6_addr.s6_addr, want, 16) == 0);
	len = sizeof(got);
	ck_assert_int_eq(ksys_getsockname(pa, afd, &got, &len), 0);
	ck_assert(memcmp(got.sin6_addr.s6_addr, want, 16) == 0);
	ck_assert_uint_ne(got.sin6_port, 0);
	len = sizeof(got);
	ck_assert_int_eq(ksys_getpeername(pa, afd, &got, &len), 0);
	ck_assert_uint_eq(ntohs(got.sin6_port), PORT);
	/* MSS: 1500 - 40 - 20, less 12 for timestamps. */
	ck_assert_int_eq(maxseg(pa, afd), 1500 - 60 - 12);
	ck_assert_int_eq(maxseg(pb, bfd), 1500 - 60 - 12);
	send_recv(afd, bfd, "hello over IPv6");
	ck_assert_uint_eq(ft_counter(a, TCP6S("connects")), 1);
	ck_assert_uint_eq(ft_counter(b, TCP6S("accepts")), 1);
	ck_assert_uint_eq(ft_counter(a, TCP6S("rcvbadsum")) +
	    ft_counter(b, TCP6S("rcvbadsum")), 0);
	close_all(afd, bfd, lfd);
}
END_TEST

/* The default AF_INET6 stream protocol is TCP. */
START_TEST(test_socket_default)
{
	int fd;

	ck_assert_int_eq(ksys_socket(pa, AF_INET6, KSOCK_STREAM, 0, &fd), 0);
	ck_assert_int_eq(ksys_close(pa, fd), 0);
	ck_assert_int_eq(ksys_socket(pa, AF_INET6, KSOCK_STREAM, KIPPROTO_TCP,
	    &fd), 0);
	ck_assert_int_eq(ksys_close(pa, fd), 0);
}
END_TEST

/* ------------------------------------------------- RST, ICMPv6 */

START_TEST(test_rst_closed_port)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", 9, 0);
	int afd = sock6(pa);

	ck_assert_int_eq(ksys_connect(pa, afd, &dst, sizeof(dst)),
	    EINPROGRESS);
	ft_pump(a, b);
	ck_assert_int_eq(so_error(pa, afd), ECONNREFUSED);
	ck_assert_uint_eq(ft_counter(b, TCP6S("rcvnoport")), 1);
	ck_assert_uint_eq(ft_counter(b, TCP6S("sndrst")), 1);
	ck_assert_uint_eq(ft_counter(a, TCP6S("rcvrst")), 1);
	ck_assert_int_eq(ksys_close(pa, afd), 0);
}
END_TEST

/*
 * An ICMPv6 error from 'from' to a quoting the packet in frame q (an
 * Ethernet frame a sent): Ethernet b -> a, IPv6, ICMPv6 type/code,
 * 4-byte parameter, then as much of the packet as fits in 1280.
 */
static size_t
icmp6_frame(uint8_t *f, const struct mbuf *q, const char *from,
    uint8_t type, uint8_t code, uint32_t param)
{
	static const uint8_t amac[6] = FT_MAC(1), bmac[6] = FT_MAC(2);
	size_t qlen = MIN((size_t)q->m_len - 14, (size_t)1280 - 48);
	size_t plen = 8 + qlen;
	uint8_t *ip6 = f + 14, *ic = ip6 + 40, src[16];
	uint16_t sum;

	ft_addr6(from, src);
	memcpy(f, amac, 6);
	memcpy(f + 6, bmac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	be16enc(ip6 + 4, (uint16_t)plen);
	ip6[6] = 58;
	ip6[7] = 64;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, q->m_data + 14 + 8, 16);	/* a's source */
	ic[0] = type;
	ic[1] = code;
	ic[2] = ic[3] = 0;
	be32enc(ic + 4, param);
	memcpy(ic + 8, q->m_data + 14, qlen);
	sum = (uint16_t)~in_cksum_fold(in_cksum_add(in6_pseudo_sum(ip6 + 8,
	    ip6 + 24, 58, (uint32_t)plen), ic, plen));
	memcpy(ic + 2, &sum, 2);
	return 14 + 40 + plen;
}

/* Warm b's neighbour entry in a (and a's in b), then clean up. */
static void
warm_nd(void)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", 9, 0);
	int fd = sock6(pa);

	ck_assert_int_eq(ksys_connect(pa, fd, &dst, sizeof(dst)),
	    EINPROGRESS);
	ft_pump(a, b);
	ck_assert_int_eq(ksys_close(pa, fd), 0);
}

static const struct {
	const char	*name;
	uint8_t		 code;
} unreach_rows[] = {
	{ "port unreachable", 4 },
	{ "administratively prohibited", 1 },
};

START_TEST(test_icmp6_unreach)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", 7, 0);
	uint8_t f[1600];
	struct mbuf *syn;
	size_t len;
	int afd;

	warm_nd();
	afd = sock6(pa);
	ck_assert_int_eq(ksys_connect(pa, afd, &dst, sizeof(dst)),
	    EINPROGRESS);
	ft_settle(a);
	ck_assert_uint_eq(ft_tx_count(a), 1);
	syn = ft_tx_pop(a);
	ck_assert_uint_eq(syn->m_data[14 + 40 + 13], TH_SYN);
	len = icmp6_frame(f, syn, "2001:db8::2", ICMP6_DST_UNREACH,
	    unreach_rows[_i].code, 0);
	m_freem(syn);
	ft_input(a, f, len);
	ck_assert_msg(so_error(pa, afd) == ECONNREFUSED, "%s",
	    unreach_rows[_i].name);
	ck_assert_uint_eq(ft_counter(a, TCP6S("icmperr")), 1);
	ck_assert_int_eq(ksys_close(pa, afd), 0);
}
END_TEST

/* Packet Too Big about a data segment: MSS = 1280 - 60 - 12, resent. */
START_TEST(test_icmp6_ptb)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", PORT, 0);
	static uint8_t data[8000];
	uint8_t f[1600], buf[9000];
	struct mbuf *seg;
	size_t len, done, got = 0;
	int lfd, afd, bfd;

	lfd = listener(pb, "2001:db8::2");
	afd = sock6(pa);
	bfd = handshake(afd, lfd, &dst);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(ksys_write(pa, afd, data, sizeof(data), &done), 0);
	ft_settle(a);
	ck_assert_uint_gt(ft_tx_count(a), 0);
	seg = ft_tx_pop(a);
	ck_assert_uint_eq(seg->m_len, 1514);
	len = icmp6_frame(f, seg, "2001:db8::2", ICMP6_PACKET_TOO_BIG, 0,
	    1280);
	m_freem(seg);
	ft_tx_clear(a);		/* the rest is "lost" too */
	ft_input(a, f, len);
	ck_assert_uint_eq(ft_counter(a, TCP6S("pmtuupdate")), 1);
	ck_assert_int_eq(maxseg(pa, afd), 1280 - 60 - 12);
	/* What is resent fits in 1280 bytes. */
	ck_assert_uint_gt(ft_tx_count(a), 0);
	seg = ft_tx_pop(a);
	ck_assert_uint_eq(seg->m_len, 14 + 1280);
	ft_input(b, seg->m_data, seg->m_len);
	m_freem(seg);
	for (int i = 0; i < 50 && got < sizeof(data); i++) {
		ft_pump(a, b);
		if (ksys_read(pb, bfd, buf + got, sizeof(buf) - got,
		    &done) == 0)
			got += done;
		ft_advance(a, NS_MS(100));
		ft_advance(b, NS_MS(100));
	}
	ck_assert_uint_eq(got, sizeof(data));
	ck_assert(memcmp(buf, data, sizeof(data)) == 0);
	close_all(afd, bfd, lfd);
}
END_TEST

/* Reusing a four-tuple whose previous connection is in TIME_WAIT. */
START_TEST(test_timewait_reuse)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", PORT, 0);
	struct ksockaddr_in6 me = sin6("::", 6000, 0);
	int lfd, afd, bfd, one = 1;

	lfd = listener(pb, "::");
	for (int round = 0; round < 2; round++) {
		afd = sock6(pa);
		ck_assert_int_eq(ksys_setsockopt(pa, afd, KSOL_SOCKET,
		    KSO_REUSEADDR, &one, sizeof(one)), 0);
		ck_assert_int_eq(ksys_bind(pa, afd, &me, sizeof(me)), 0);
		bfd = handshake(afd, lfd, &dst);
		send_recv(afd, bfd, "round");
		/* a closes first: a's end waits in TIME_WAIT. */
		ck_assert_int_eq(ksys_close(pa, afd), 0);
		ft_pump(a, b);
		ck_assert_int_eq(ksys_close(pb, bfd), 0);
		ft_pump(a, b);
		ck_assert_uint_eq(ft_counter(a, TCP6S("timewait")),
		    (uint64_t)round + 1);
	}
	ck_assert_uint_eq(ft_counter(a, TCP6S("twreuse")), 1);
	close_all(-1, -1, lfd);
}
END_TEST

/* ------------------------------------------------------ link-local */

START_TEST(test_linklocal)
{
	struct ksockaddr_in6 dst = sin6("fe80::ff:fe00:2", PORT, 0), got;
	ksocklen_t len = sizeof(got);
	uint8_t want[16];
	int lfd, afd, bfd;

	lfd = listener(pb, "::");
	afd = sock6(pa);
	/* No zone: refused. */
	ck_assert_int_eq(ksys_connect(pa, afd, &dst, sizeof(dst)), EINVAL);
	dst.sin6_scope_id = a->fn_ifp->if_index;
	bfd = handshake(afd, lfd, &dst);
	ck_assert_int_eq(ksys_getpeername(pb, bfd, &got, &len), 0);
	ft_addr6("fe80::ff:fe00:1", want);
	ck_assert(memcmp(got.sin6_addr.s6_addr, want, 16) == 0);
	ck_assert_uint_eq(got.sin6_scope_id, b->fn_ifp->if_index);
	len = sizeof(got);
	ck_assert_int_eq(ksys_getsockname(pa, afd, &got, &len), 0);
	ck_assert(memcmp(got.sin6_addr.s6_addr, want, 16) == 0);
	ck_assert_uint_eq(got.sin6_scope_id, a->fn_ifp->if_index);
	send_recv(afd, bfd, "link-local");
	send_recv(afd, bfd, "and again");
	close_all(afd, bfd, lfd);
}
END_TEST

/* ------------------------------------------------------ dual stack */

START_TEST(test_dualstack)
{
	struct ksockaddr_in sin;
	struct ksockaddr_in6 got;
	ksocklen_t len = sizeof(got);
	uint8_t want[16] = { [10] = 0xff, [11] = 0xff, 198, 51, 100, 1 };
	int lfd, afd, bfd = -1, v6only = 1;

	lfd = listener(pb, "::");
	ck_assert_int_eq(ksys_socket(pa, AF_INET, KSOCK_STREAM |
	    KSOCK_NONBLOCK, 0, &afd), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	sin.sin_addr = ft_addr("198.51.100.2");
	ck_assert_int_eq(ksys_connect(pa, afd, &sin, sizeof(sin)),
	    EINPROGRESS);
	ft_pump(a, b);
	ck_assert_int_eq(so_error(pa, afd), 0);
	ck_assert_int_eq(ksys_accept4(pb, lfd, NULL, NULL, KSOCK_NONBLOCK,
	    &bfd), 0);
	ck_assert_int_eq(ksys_getpeername(pb, bfd, &got, &len), 0);
	ck_assert_uint_eq(got.sin6_family, AF_INET6);
	ck_assert(memcmp(got.sin6_addr.s6_addr, want, 16) == 0);
	ck_assert_int_eq(maxseg(pb, bfd), 1500 - 40 - 12);
	send_recv(afd, bfd, "IPv4 to a dual-stack listener");
	{
		char buf[32];
		size_t done;

		ck_assert_int_eq(ksys_write(pb, bfd, "back", 4, &done), 0);
		ft_pump(a, b);
		ck_assert_int_eq(ksys_read(pa, afd, buf, sizeof(buf), &done),
		    0);
		ck_assert_uint_eq(done, 4);
	}
	close_all(afd, bfd, lfd);

	/* IPV6_V6ONLY: the IPv4 SYN finds no listener. */
	lfd = sock6(pb);
	ck_assert_int_eq(ksys_setsockopt(pb, lfd, KIPPROTO_IPV6,
	    KIPV6_V6ONLY, &v6only, sizeof(v6only)), 0);
	{
		struct ksockaddr_in6 any = sin6("::", PORT, 0);

		ck_assert_int_eq(ksys_bind(pb, lfd, &any, sizeof(any)), 0);
	}
	ck_assert_int_eq(ksys_listen(pb, lfd, 4), 0);
	ck_assert_int_eq(ksys_socket(pa, AF_INET, KSOCK_STREAM |
	    KSOCK_NONBLOCK, 0, &afd), 0);
	ck_assert_int_eq(ksys_connect(pa, afd, &sin, sizeof(sin)),
	    EINPROGRESS);
	ft_pump(a, b);
	ck_assert_int_eq(so_error(pa, afd), ECONNREFUSED);
	close_all(afd, -1, lfd);
}
END_TEST

/* ------------------------------------------------- offload, TSOv6 */

START_TEST(test_tsov6)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", PORT, 0);
	static uint8_t data[65536];
	unsigned tso = 0, n = 0;
	int lfd, afd, bfd, mss;
	size_t done;
	struct mbuf *m;

	pair_setup_caps(IFCAP_TSOv6 | IFCAP_CSUM_TCPv6_Tx |
	    IFCAP_CSUM_TCPv6_Rx, IFCAP_CSUM_TCPv6_Rx);
	lfd = listener(pb, "::");
	afd = sock6(pa);
	bfd = handshake(afd, lfd, &dst);
	mss = maxseg(pa, afd);
	ck_assert_int_eq(mss, 1500 - 60 - 12);
	/* The handshake's segments asked for the deferred checksum. */
	ck_assert_uint_gt(ft_counter(a, TCP6S("sndtotal")), 0);
	ck_assert_int_eq(ksys_write(pa, afd, data, sizeof(data), &done), 0);
	ck_assert_int_eq(ksys_shutdown(pa, afd, KSHUT_WR), 0);
	ft_settle(a);
	while ((m = ft_tx_pop(a)) != NULL) {
		uint32_t fl = m->m_pkthdr.csum_flags;
		const uint8_t *th = m->m_data + 14 + 40;
		size_t pay = m->m_len - 14 - 40 - (size_t)(th[12] >> 4) * 4;

		n++;
		if (fl & M_CSUM_TSOv6) {
			/* mbuf.h: the driver computes every segment's sum. */
			ck_assert_uint_eq(fl, M_CSUM_TSOv6);
			tso++;
			ck_assert_uint_gt(m->m_len, 1514);
			ck_assert_uint_eq(m->m_pkthdr.segsz, (unsigned)mss);
			ck_assert_uint_eq(pay % (size_t)mss, 0);
			ck_assert(!(th[13] & TH_FIN));
		} else {
			ck_assert(fl & M_CSUM_TCPv6);
			ck_assert_uint_eq(m->m_pkthdr.csum_data,
			    (40u << 16) | 16);
			ck_assert_uint_le(m->m_len, 1514);
		}
		m_freem(m);
	}
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_gt(tso, 0);
	ck_assert_uint_gt(ft_counter(a, TCP6S("tso")), 0);
	ck_assert_int_eq(ksys_close(pb, bfd), 0);
	ck_assert_int_eq(ksys_close(pa, afd), 0);
	ck_assert_int_eq(ksys_close(pb, lfd), 0);
	pair_teardown();
}
END_TEST

/* RX verdicts: a frame flagged good is trusted, one flagged bad is
 * dropped as rcvbadsum even though its checksum is right. */
START_TEST(test_rx_verdict)
{
	struct ksockaddr_in6 dst = sin6("2001:db8::2", 9, 0);
	struct mbuf *syn;
	uint64_t rst0;
	int afd;

	pair_setup_caps(0, IFCAP_CSUM_TCPv6_Rx);
	warm_nd();
	afd = sock6(pa);
	ck_assert_int_eq(ksys_connect(pa, afd, &dst, sizeof(dst)),
	    EINPROGRESS);
	ft_settle(a);
	syn = ft_tx_pop(a);
	ck_assert_ptr_nonnull(syn);
	ft_input_flags(b, syn->m_data, syn->m_len,
	    M_CSUM_TCPv6 | M_CSUM_TCP_UDP_BAD);
	ck_assert_uint_eq(ft_counter(b, TCP6S("rcvbadsum")), 1);
	ck_assert_uint_eq(ft_tx_count(b), 0);
	/* Spoil the checksum but say "verified good": trusted (RST). */
	syn->m_data[14 + 40 + 16] ^= 0x55;
	ft_tx_clear(b);
	rst0 = ft_counter(b, TCP6S("sndrst"));
	ft_input_flags(b, syn->m_data, syn->m_len, M_CSUM_TCPv6);
	ck_assert_uint_eq(ft_counter(b, TCP6S("rcvbadsum")), 1);
	ck_assert_uint_eq(ft_counter(b, TCP6S("sndrst")), rst0 + 1);
	ck_assert_uint_eq(ft_tx_count(b), 1);
	/* Without a verdict the software check drops it. */
	ft_input_flags(b, syn->m_data, syn->m_len, 0);
	ck_assert_uint_eq(ft_counter(b, TCP6S("rcvbadsum")), 2);
	m_freem(syn);
	ft_tx_clear(b);
	ck_assert_int_eq(ksys_close(pa, afd), 0);
	pair_teardown();
}
END_TEST

/* --------------------------------------------------- bulk transfer */

struct xfer_row {
	const char	*name;
	struct tl_params p;
	uint32_t	 bytes;
	uint32_t	 capa;		/* a's capenable */
};

#define MB	(1024u * 1024)
/* Checksum offload (TSOv6 super-packets: test_tsov6, the link
 * carries frames whole). */
#define OFFLOAD6 (IFCAP_CSUM_TCPv6_Tx | IFCAP_CSUM_TCPv6_Rx)
static const struct xfer_row xrows[] = {
	{ "clean", { 1, 0, 0, 0, 0, NS_MS(1) }, 4 * MB, 0 },
	{ "loss-reorder", { 2, 20, 0, 30, 0, NS_MS(2) }, 4 * MB, 0 },
	{ "mixed", { 3, 20, 20, 20, 20, NS_MS(2) }, 2 * MB, 0 },
	{ "offload-clean", { 4, 0, 0, 0, 0, NS_MS(1) }, 4 * MB, OFFLOAD6 },
};

static uint8_t
pattern(uint64_t i)
{
	uint64_t x = (i >> 3) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)((x >> 29) ^ (i & 7) ^ (x >> 47));
}

struct xfer {
	int		 afd, bfd, lfd;
	uint32_t	 total, sent, rcvd;
	bool		 shut, eof, bad;
};

static bool
xfer_step(void *arg)
{
	struct xfer *x = arg;
	uint8_t buf[16384];
	size_t done;
	int error;

	if (x->bfd < 0) {
		error = ksys_accept4(pb, x->lfd, NULL, NULL, KSOCK_NONBLOCK,
		    &x->bfd);
		if (error != 0) {
			ck_assert_int_eq(error, EAGAIN);
			x->bfd = -1;
		}
	}
	while (x->sent < x->total) {
		size_t n = MIN(sizeof(buf), (size_t)(x->total - x->sent));

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(x->sent + i);
		error = ksys_write(pa, x->afd, buf, n, &done);
		if (error == EAGAIN)
			break;
		ck_assert_int_eq(error, 0);
		x->sent += (uint32_t)done;
	}
	if (x->sent == x->total && !x->shut) {
		ck_assert_int_eq(ksys_shutdown(pa, x->afd, KSHUT_WR), 0);
		x->shut = true;
	}
	while (x->bfd >= 0 && !x->eof) {
		error = ksys_read(pb, x->bfd, buf, sizeof(buf), &done);
		if (error == EAGAIN)
			break;
		ck_assert_int_eq(error, 0);
		if (done == 0) {
			x->eof = true;
			break;
		}
		for (size_t i = 0; i < done && !x->bad; i++)
			if (buf[i] != pattern(x->rcvd + i)) {
				x->bad = true;
				ck_abort_msg("byte %zu differs",
				    (size_t)x->rcvd + i);
			}
		x->rcvd += (uint32_t)done;
	}
	return x->eof;
}

START_TEST(test_xfer)
{
	const struct xfer_row *r = &xrows[_i];
	struct ksockaddr_in6 dst = sin6("2001:db8::2", PORT, 0);
	struct tcp_link tl;
	struct xfer x;
	struct mbuf *m;

	pair_setup_caps(r->capa, r->capa ? IFCAP_CSUM_TCPv6_Rx : 0);
	memset(&x, 0, sizeof(x));
	x.total = r->bytes;
	x.bfd = -1;
	x.lfd = listener(pb, "::");
	x.afd = sock6(pa);
	ck_assert_int_eq(ksys_connect(pa, x.afd, &dst, sizeof(dst)),
	    EINPROGRESS);
	/* Neighbour discovery and the handshake, unimpaired. */
	ft_pump(a, b);
	tl_init(&tl, a, b, &r->p);
	if (!tl_run(&tl, xfer_step, &x, NS_SEC(600)))
		ck_abort_msg("%s: stalled: sent %u rcvd %u of %u", r->name,
		    x.sent, x.rcvd, x.total);
	ck_assert_uint_eq(x.rcvd, x.total);
	ck_assert(!x.bad);
	if (r->p.tp_loss > 0)
		ck_assert_uint_gt(ft_counter(a, TCP6S("sndrexmitpack")), 0);
	if (r->p.tp_corrupt > 0)
		ck_assert_uint_gt(ft_counter(a, TCP6S("rcvbadsum")) +
		    ft_counter(b, TCP6S("rcvbadsum")), 0);
	ck_assert_int_eq(ksys_close(pb, x.bfd), 0);
	ck_assert_int_eq(ksys_close(pa, x.afd), 0);
	ck_assert_int_eq(ksys_close(pb, x.lfd), 0);
	tl_idle(&tl, NS_SEC(60));
	tl_fini(&tl);
	while ((m = ft_tx_pop(a)) != NULL)
		m_freem(m);
	ft_lock(a);
	ck_assert_uint_eq(tcp_state(a->fn_ns)->tcs_count, 0);
	ft_unlock(a);
	ft_lock(b);
	ck_assert_uint_eq(tcp_state(b->fn_ns)->tcs_count, 0);
	ft_unlock(b);
	pair_teardown();
}
END_TEST

static Suite *
tcp6_suite(void)
{
	Suite *s = suite_create("tcp6");
	TCase *tc;

	tc = tcase_create("pair");
	tcase_add_checked_fixture(tc, pair_setup, pair_teardown);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_socket_default);
	tcase_add_test(tc, test_rst_closed_port);
	tcase_add_loop_test(tc, test_icmp6_unreach, 0,
	    (int)nitems(unreach_rows));
	tcase_add_test(tc, test_icmp6_ptb);
	tcase_add_test(tc, test_linklocal);
	tcase_add_test(tc, test_timewait_reuse);
	tcase_add_test(tc, test_dualstack);
	suite_add_tcase(s, tc);

	tc = tcase_create("offload");
	tcase_add_test(tc, test_tsov6);
	tcase_add_test(tc, test_rx_verdict);
	suite_add_tcase(s, tc);

	tc = tcase_create("xfer");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_xfer, 0, (int)nitems(xrows));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tcp6_suite());
}
