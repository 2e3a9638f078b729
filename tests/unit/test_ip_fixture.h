/*
 * test_ip_fixture.h -- what the IPv4 unit tests (test_ip.c,
 * test_icmp.c, test_udp.c) start from: node A (the stack under test,
 * 02:00:00:00:00:01, 198.51.100.1/24) whose datagram ids start at
 * 0x1000, with neighbours P (:02, 198.51.100.2) and R (:03,
 * 198.51.100.3) answering ARP -- the hosts of frames_ipv4.h -- and the
 * leak check every test ends with.
 */
#ifndef _TESTS_UNIT_TEST_IP_FIXTURE_H_
#define _TESTS_UNIT_TEST_IP_FIXTURE_H_

#include <check.h>
#include <stdio.h>

#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/udp.h"
#include "netstack/netinet/in_cksum.h"
#include "tests/unit/frametest.h"

#define FX_FIRST_ID	0x1000

static uint64_t fx_kmem, fx_mbufs;
static struct ft_node *A;

/*
 * Table rows run once per capability mask (RUMP_SHMIF_CAPENABLE
 * values): none, all RX, all TX, all.  Whatever the mask, the same
 * frames must go in and out and the same counters move.
 */
static const uint32_t fx_capmasks[] = { 0, 0x15500, 0x6aa80, 0x7ff80 };
#define FX_NCAPMASKS	(sizeof(fx_capmasks) / sizeof(fx_capmasks[0]))

/* Run row (_i % nrows) of a table under mask (_i / nrows). */
static inline void
fx_run_row_masked(struct ft_node *fn, const struct ft_row *rows,
    size_t nrows, int i)
{
	ft_set_capenable(fn, fx_capmasks[(size_t)i / nrows]);
	ft_run_row(fn, &rows[(size_t)i % nrows]);
}

/* A node on 198.51.100.<host>/24 with MAC 02:00:00:00:00:<host>. */
static inline struct ft_node *
fx_node(const char *name, unsigned host, uint32_t capenable)
{
	char addr[32];
	struct ft_node *fn;

	snprintf(addr, sizeof(addr), "198.51.100.%u/24", host);
	fn = ft_create(&(struct ft_config){
	    .fc_name = name,
	    .fc_lladdr = FT_MAC((uint8_t)host),
	    .fc_addr = addr,
	    .fc_capenable = capenable,
	});
	ft_lock(fn);
	ip_state(fn->fn_ns)->ips_id = FX_FIRST_ID;
	ft_unlock(fn);
	return fn;
}

static inline void
fx_setup(void)
{
	static const uint8_t pmac[ETHER_ADDR_LEN] = FT_MAC(2);
	static const uint8_t rmac[ETHER_ADDR_LEN] = FT_MAC(3);

	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	fx_kmem = kmem_inuse();
	fx_mbufs = m_inuse();
	A = fx_node("a", 1, 0);
	ft_neighbor(A, "198.51.100.2", pmac);
	ft_neighbor(A, "198.51.100.3", rmac);
}

static inline void
fx_teardown(void)
{
	if (A != NULL)
		ft_destroy(A);
	A = NULL;
	ck_assert_uint_eq(m_inuse(), fx_mbufs);
	ck_assert_uint_eq(kmem_inuse(), fx_kmem);
}

/*
 * Send a UDP datagram straight through ip_output, the way udp_send
 * does (checksum deferred).  => ip_output's result.
 */
static inline int
fx_udp_output(struct ft_node *fn, const char *src, const char *dst,
    uint16_t sport, uint16_t dport, const void *data, size_t len,
    uint16_t ip_off, int ipflags)
{
	size_t ulen = sizeof(struct udphdr) + len;
	struct mbuf *m = m_gethdr(IP_MINHLEN + ulen);
	struct ip *ip;
	struct udphdr *uh;
	int rv;

	ck_assert_ptr_nonnull(m);
	ip = mtod(m, struct ip *);
	memset(ip, 0, IP_MINHLEN);
	ip->ip_ttl = 64;
	ip->ip_p = KIPPROTO_UDP;
	ip->ip_off = htons(ip_off);
	ip->ip_src = ft_addr(src);
	ip->ip_dst = ft_addr(dst);
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = htons(sport);
	uh->uh_dport = htons(dport);
	uh->uh_ulen = htons((uint16_t)ulen);
	uh->uh_sum = in_cksum_fold(in_pseudo_sum(ip->ip_src, ip->ip_dst,
	    KIPPROTO_UDP, (uint16_t)ulen));
	memcpy(uh + 1, data, len);
	m->m_pkthdr.csum_flags = M_CSUM_UDPv4;
	m->m_pkthdr.csum_data = (IP_MINHLEN << 16) | UDP_CSUM_OFFSET;
	ft_lock(fn);
	rv = ip_output(fn->fn_ns, m, NULL, ipflags);
	ft_unlock(fn);
	ft_settle(fn);
	return rv;
}

/* ------------------------------------------------ through the socket API */

/* A sockaddr_in for "a.b.c.d", port in host order. */
static inline struct ksockaddr_in
fx_sin(const char *addr, uint16_t port)
{
	struct ksockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr = ft_addr(addr);
	return sin;
}

/* socket() + bind() on fn's process; port 0 = leave unbound. */
static inline int
fx_socket(struct proc *p, int type, int proto, const char *addr,
    uint16_t port)
{
	int fd;

	ck_assert_int_eq(ksys_socket(p, AF_INET, type, proto, &fd), 0);
	if (addr != NULL) {
		struct ksockaddr_in sin = fx_sin(addr, port);

		ck_assert_int_eq(ksys_bind(p, fd, &sin, sizeof(sin)), 0);
	}
	return fd;
}

static inline int
fx_sendto(struct proc *p, int fd, const void *buf, size_t len,
    const char *addr, uint16_t port)
{
	struct ksockaddr_in sin;
	size_t done = 0;
	int rv;

	if (addr != NULL)
		sin = fx_sin(addr, port);
	rv = ksys_sendto(p, fd, buf, len, 0, addr != NULL ? &sin : NULL,
	    addr != NULL ? sizeof(sin) : 0, &done);
	if (rv == 0)
		ck_assert_uint_eq(done, len);
	return rv;
}

/* Non-blocking recvfrom. => the errno; *lenp and *from filled. */
static inline int
fx_recvfrom(struct proc *p, int fd, void *buf, size_t *lenp,
    struct ksockaddr_in *from)
{
	ksocklen_t fromlen = sizeof(*from);
	size_t done = 0;
	int rv;

	rv = ksys_recvfrom(p, fd, buf, *lenp, KMSG_DONTWAIT, from, &fromlen,
	    &done);
	*lenp = done;
	return rv;
}

static inline int
fx_getsockopt_int(struct proc *p, int fd, int level, int name)
{
	int v = -12345;
	ksocklen_t len = sizeof(v);

	ck_assert_int_eq(ksys_getsockopt(p, fd, level, name, &v, &len), 0);
	ck_assert_uint_eq(len, sizeof(v));
	return v;
}

static inline int
fx_setsockopt_int(struct proc *p, int fd, int level, int name, int v)
{
	return ksys_setsockopt(p, fd, level, name, &v, sizeof(v));
}

#endif /* _TESTS_UNIT_TEST_IP_FIXTURE_H_ */
