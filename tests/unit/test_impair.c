/*
 * test_impair.c -- the interface impairment stage (net/if_impair.c) on
 * the in-memory "fake" interface and a virtual clock: every decision is
 * a function of the seed, so counts and orders are exact.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if.h"
#include "netstack/net/if_impair.h"
#include "netstack/netinet/in_cksum.h"
#include "tests/unit/test_net_fakeif.h"
#include "tests/unit/unit.h"

#define NFRAMES		1000
#define PAYLOAD		64

static const uint8_t peer[ETHER_ADDR_LEN] = { 2, 0, 0, 0, 2, 1 };

static void
knob(const char *name, int32_t v)
{
	char full[SYSCTL_NAMEMAX];

	snprintf(full, sizeof(full), "net.interfaces.fake0.impair.%s", name);
	tn_sysctl_set(full, v);
}

static uint64_t
counter(const char *name)
{
	char full[SYSCTL_NAMEMAX];

	snprintf(full, sizeof(full), "net.interfaces.fake0.impair.%s", name);
	return tn_sysctl(full);
}

/*
 * An IPv4 packet (protocol 253, RFC 3692 experimentation) whose first
 * payload word is seq; the header checksum is finished unless 'defer'.
 */
static struct mbuf *
ip_packet(uint32_t seq, bool defer)
{
	struct mbuf *m = m_gethdr(20 + PAYLOAD);
	uint8_t *p = m->m_data;
	uint16_t sum;

	memset(p, 0, 20 + PAYLOAD);
	p[0] = 0x45;
	be16enc(p + 2, 20 + PAYLOAD);
	p[8] = 64;
	p[9] = 253;
	memcpy(p + 12, (const uint8_t[]){ 198, 51, 100, 1 }, 4);
	memcpy(p + 16, (const uint8_t[]){ 198, 51, 100, 2 }, 4);
	be32enc(p + 20, seq);
	if (defer)
		m->m_pkthdr.csum_flags = M_CSUM_IPv4;
	else {
		sum = in_cksum(p, 20);
		memcpy(p + 10, &sum, 2);
	}
	return m;
}

static int
send_seq(struct ifnet *ifp, uint32_t seq)
{
	return ether_output_frame(ifp, ip_packet(seq, false), peer,
	    ETHERTYPE_IP);
}

/* Pop a frame and return its sequence number. */
static uint32_t
pop_seq(struct ifnet *ifp)
{
	struct mbuf *m = fake_tx_pop(ifp);
	uint32_t seq;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->m_len, ETHER_HDR_LEN + 20 + PAYLOAD);
	seq = be32dec(m->m_data + ETHER_HDR_LEN + 20);
	m_freem(m);
	return seq;
}

static void
setup(void)
{
	tn_setup();
}

static void
teardown(void)
{
	tn_teardown();
}

/*
 * Send NFRAMES with the given loss and seed on a fresh interface and
 * record which sequence numbers arrived (bitmap).  => frames lost.
 */
static unsigned
loss_run(int32_t loss, int32_t seed, uint8_t got[NFRAMES])
{
	struct ifnet *ifp = fake_create_up(0);
	unsigned n;

	knob("seed", seed);
	knob("loss", loss);
	memset(got, 0, NFRAMES);
	for (uint32_t i = 0; i < NFRAMES; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	n = fake_tx_count(ifp);
	while (fake_tx_count(ifp) > 0)
		got[pop_seq(ifp)] = 1;
	ck_assert_uint_eq(counter("frames"), NFRAMES);
	ck_assert_uint_eq(counter("lost"), NFRAMES - n);
	ck_assert_uint_eq(counter("sent"), n);
	ck_assert_int_eq(if_clone_destroy(tn_ns, "fake0"), 0);
	return NFRAMES - n;
}

START_TEST(off_by_default)
{
	struct ifnet *ifp = fake_create_up(0);

	ck_assert_ptr_nonnull(ifp->if_impair);
	ck_assert_uint_eq(counter("limit"), IMPAIR_DEFLIMIT);
	for (uint32_t i = 0; i < 10; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	for (uint32_t i = 0; i < 10; i++)
		ck_assert_uint_eq(pop_seq(ifp), i);
	/* The stage was bypassed: nothing counted. */
	ck_assert_uint_eq(counter("frames"), 0);
	ck_assert_uint_eq(counter("sent"), 0);
	/* lo0 is not Ethernet: no stage. */
	ck_assert_ptr_null(if_lo0(tn_ns)->if_impair);
}
END_TEST

START_TEST(knob_bounds)
{
	int32_t v = 101;

	(void)fake_create_up(0);
	ck_assert_int_eq(sysctl_byname(tn_ns, "net.interfaces.fake0.impair.loss",
	    NULL, NULL, &v, sizeof(v)), EINVAL);
	v = -1;
	ck_assert_int_eq(sysctl_byname(tn_ns, "net.interfaces.fake0.impair.delay",
	    NULL, NULL, &v, sizeof(v)), EINVAL);
	v = 0;
	ck_assert_int_eq(sysctl_byname(tn_ns, "net.interfaces.fake0.impair.limit",
	    NULL, NULL, &v, sizeof(v)), EINVAL);
	v = 1;
	ck_assert_int_eq(sysctl_byname(tn_ns, "net.interfaces.fake0.impair.lost",
	    NULL, NULL, &v, sizeof(v)), EPERM);
}
END_TEST

START_TEST(loss_is_seeded)
{
	static uint8_t a[NFRAMES], b[NFRAMES], c[NFRAMES];
	unsigned la, lb, lc;

	la = loss_run(10, 42, a);
	lb = loss_run(10, 42, b);
	lc = loss_run(10, 7, c);
	/* 10% of 1000: binomial, sd ~9.5; a fixed seed gives a fixed count. */
	ck_assert_uint_ge(la, 60);
	ck_assert_uint_le(la, 140);
	ck_assert_uint_ge(lc, 60);
	ck_assert_uint_le(lc, 140);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, NFRAMES);
	ck_assert_msg(memcmp(a, c, NFRAMES) != 0,
	    "seeds 42 and 7 lost the same frames");
	/* 100% loses everything. */
	ck_assert_uint_eq(loss_run(100, 1, a), NFRAMES);
}
END_TEST

START_TEST(delay_holds_frames)
{
	struct ifnet *ifp = fake_create_up(0);

	knob("delay", 50);
	ck_assert_int_eq(send_seq(ifp, 1), 0);
	tn_advance(NS_MS(10));
	ck_assert_int_eq(send_seq(ifp, 2), 0);
	fake_expect_no_tx(ifp);
	tn_advance(NS_MS(39));
	fake_expect_no_tx(ifp);
	tn_advance(NS_MS(1));		/* 50 ms after the first */
	ck_assert_uint_eq(fake_tx_count(ifp), 1);
	ck_assert_uint_eq(pop_seq(ifp), 1);
	tn_advance(NS_MS(10));
	ck_assert_uint_eq(pop_seq(ifp), 2);
	ck_assert_uint_eq(counter("delayed"), 2);
	/* Switched off: what is queued still leaves in order, after it
	 * nothing waits. */
	ck_assert_int_eq(send_seq(ifp, 3), 0);
	knob("delay", 0);
	ck_assert_int_eq(send_seq(ifp, 4), 0);
	fake_expect_no_tx(ifp);
	tn_advance(NS_MS(50));
	ck_assert_uint_eq(pop_seq(ifp), 3);
	ck_assert_uint_eq(pop_seq(ifp), 4);
	ck_assert_int_eq(send_seq(ifp, 5), 0);
	ck_assert_uint_eq(pop_seq(ifp), 5);
}
END_TEST

START_TEST(jitter_keeps_order)
{
	struct ifnet *ifp = fake_create_up(0);
	uint64_t t0 = netstack_now(tn_ns);
	uint32_t next = 0;
	unsigned early = 0;

	knob("seed", 3);
	knob("delay", 20);
	knob("jitter", 10);
	for (uint32_t i = 0; i < 100; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	/* Nothing before delay - jitter; everything by delay + jitter. */
	tn_advance(NS_MS(10) - 1);
	fake_expect_no_tx(ifp);
	for (unsigned ms = 10; ms <= 30; ms++) {
		while (fake_tx_count(ifp) > 0) {
			ck_assert_uint_eq(pop_seq(ifp), next);
			next++;
			early += ms < 20;
		}
		tn_advance(NS_MS(1));
	}
	ck_assert_uint_eq(next, 100);
	/* Jitter did spread them (some before the nominal delay). */
	ck_assert_uint_gt(early, 0);
	ck_assert_uint_ge(netstack_now(tn_ns) - t0, NS_MS(30));
}
END_TEST

START_TEST(limit_drops)
{
	struct ifnet *ifp = fake_create_up(0);

	knob("delay", 5);
	knob("limit", 5);
	for (uint32_t i = 0; i < 10; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	ck_assert_uint_eq(counter("qdrops"), 5);
	tn_advance(NS_MS(5));
	ck_assert_uint_eq(fake_tx_count(ifp), 5);
	for (uint32_t i = 0; i < 5; i++)
		ck_assert_uint_eq(pop_seq(ifp), i);
}
END_TEST

START_TEST(dup_copies)
{
	struct ifnet *ifp = fake_create_up(0);

	knob("dup", 100);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	for (uint32_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(pop_seq(ifp), i);
		ck_assert_uint_eq(pop_seq(ifp), i);
	}
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(counter("duplicated"), 3);
	ck_assert_uint_eq(counter("sent"), 6);
}
END_TEST

START_TEST(reorder_swaps)
{
	struct ifnet *ifp = fake_create_up(0);

	knob("reorder", 100);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_int_eq(send_seq(ifp, i), 0);
	/* 0 held, 1 sent then 0; 2 held, 3 sent then 2. */
	ck_assert_uint_eq(pop_seq(ifp), 1);
	ck_assert_uint_eq(pop_seq(ifp), 0);
	ck_assert_uint_eq(pop_seq(ifp), 3);
	ck_assert_uint_eq(pop_seq(ifp), 2);
	ck_assert_uint_eq(counter("reordered"), 2);
	/* A held frame with no successor leaves after IMPAIR_HOLD_MS. */
	ck_assert_int_eq(send_seq(ifp, 4), 0);
	tn_advance(NS_MS(IMPAIR_HOLD_MS) - 1);
	fake_expect_no_tx(ifp);
	tn_advance(1);
	ck_assert_uint_eq(pop_seq(ifp), 4);
	ck_assert_uint_eq(counter("reordered"), 2);
}
END_TEST

START_TEST(corrupt_one_byte)
{
	struct ifnet *ifp = fake_create_up(0);
	struct mbuf *ref = ip_packet(9, false), *m;
	unsigned diff = 0, where = 0;

	knob("corrupt", 100);
	ck_assert_int_eq(ether_output_frame(ifp, m_dup(ref), peer,
	    ETHERTYPE_IP), 0);
	m = fake_tx_pop(ifp);
	ck_assert_ptr_nonnull(m);
	for (unsigned i = 0; i < ref->m_len; i++)
		if (m->m_data[ETHER_HDR_LEN + i] != ref->m_data[i]) {
			diff++;
			where = i;
		}
	ck_assert_uint_eq(diff, 1);
	/* The receiver can tell: the IP checksum or the payload changed. */
	ck_assert(where >= 20 || in_cksum(m->m_data + ETHER_HDR_LEN, 20) != 0);
	ck_assert_mem_eq(m->m_data + 6, ifp->if_lladdr, ETHER_ADDR_LEN);
	m_freem(m);
	m_freem(ref);
	/* Not IP: never corrupted. */
	m = m_gethdr(28);
	memset(m->m_data, 0x11, 28);
	ck_assert_int_eq(ether_output_frame(ifp, m, peer, ETHERTYPE_ARP), 0);
	m = fake_tx_pop(ifp);
	for (unsigned i = ETHER_HDR_LEN; i < m->m_len; i++)
		ck_assert_uint_eq(m->m_data[i], 0x11);
	m_freem(m);
	ck_assert_uint_eq(counter("corrupted"), 1);
	ck_assert_uint_eq(counter("frames"), 2);
}
END_TEST

START_TEST(offload_finished_first)
{
	struct ifnet *ifp = fake_create_up(0);
	struct mbuf *m;

	ifp->if_capenable = IFCAP_CSUM_IPv4_Tx;
	if_capenable_update(ifp);
	knob("delay", 1);
	ck_assert_int_eq(ether_output_frame(ifp, ip_packet(5, true), peer,
	    ETHERTYPE_IP), 0);
	tn_advance(NS_MS(1));
	m = fake_tx_pop(ifp);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, 0);
	ck_assert_uint_eq(in_cksum(m->m_data + ETHER_HDR_LEN, 20), 0);
	m_freem(m);
	ck_assert_uint_eq(counter("finished"), 1);
}
END_TEST

START_TEST(destroy_while_queued)
{
	struct ifnet *ifp = fake_create_up(0);

	knob("delay", 100);
	knob("reorder", 100);
	ck_assert_int_eq(send_seq(ifp, 0), 0);
	ck_assert_int_eq(send_seq(ifp, 1), 0);
	tn_advance(NS_MS(100));
	/* 0 held, 1 sent then 0 */
	ck_assert_uint_eq(fake_tx_count(ifp), 2);
	ck_assert_int_eq(send_seq(ifp, 2), 0);
	tn_advance(NS_MS(100));		/* 2 now held */
	ck_assert_int_eq(send_seq(ifp, 3), 0);	/* 3 in the line */
	/* The fixture checks no mbuf and no memory is left. */
	ck_assert_int_eq(if_clone_destroy(tn_ns, "fake0"), 0);
	tn_advance(NS_MS(200));
}
END_TEST

START_TEST(settings_from_env)
{
	setenv("RUMP_IMPAIR", "loss=100,seed=5,delay=20", 1);
	setenv("RUMP_IMPAIR_fake1", "delay=30,jitter=2", 1);
	(void)fake_create_up(0);
	(void)fake_create_up(1);
	ck_assert_uint_eq(counter("loss"), 100);
	ck_assert_uint_eq(counter("seed"), 5);
	ck_assert_uint_eq(counter("delay"), 20);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake1.impair.delay"), 30);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake1.impair.jitter"), 2);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake1.impair.loss"), 100);
	/* Bad items stop at the first one; the interface still works. */
	setenv("RUMP_IMPAIR", "loss=101", 1);
	(void)fake_create_up(2);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake2.impair.loss"), 0);
	setenv("RUMP_IMPAIR", "delay=5,bogus=1", 1);
	(void)fake_create_up(3);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake3.impair.delay"), 5);
	setenv("RUMP_IMPAIR", "delay=x", 1);
	(void)fake_create_up(4);
	setenv("RUMP_IMPAIR", "=1,", 1);
	(void)fake_create_up(5);
	setenv("RUMP_IMPAIR", "delay=99999999999", 1);
	(void)fake_create_up(6);
	ck_assert_uint_eq(tn_sysctl("net.interfaces.fake6.impair.delay"), 0);
	unsetenv("RUMP_IMPAIR");
	unsetenv("RUMP_IMPAIR_fake1");
}
END_TEST

static Suite *
impair_suite(void)
{
	Suite *s = suite_create("impair");
	TCase *tc = tcase_create("impair");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, off_by_default);
	tcase_add_test(tc, knob_bounds);
	tcase_add_test(tc, loss_is_seeded);
	tcase_add_test(tc, delay_holds_frames);
	tcase_add_test(tc, jitter_keeps_order);
	tcase_add_test(tc, limit_drops);
	tcase_add_test(tc, dup_copies);
	tcase_add_test(tc, reorder_swaps);
	tcase_add_test(tc, corrupt_one_byte);
	tcase_add_test(tc, offload_finished_first);
	tcase_add_test(tc, destroy_while_queued);
	tcase_add_test(tc, settings_from_env);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(impair_suite());
}
