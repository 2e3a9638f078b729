/*
 * test_tcp_link.c -- bulk TCP transfers between two instances through
 * an impaired link (tcp_link.h): every byte must arrive, in order,
 * whatever the seeded schedule of loss, duplication, reordering,
 * corruption and delay, with and without SACK and RFC 7323 options.
 * Each row ends leak-free: connections closed, TIME_WAIT expired,
 * instances destroyed.
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
#include "netstack/netinet/tcp_var.h"

/* libnetstack is a static archive: refer to the tcp module's objects. */
static void (*volatile keep_tcp)(struct netstack *, struct mbuf *,
    unsigned) = tcp_input;

struct xfer_row {
	const char	*name;
	struct tl_params p;
	uint32_t	 bytes;
	int		 sack;		/* net.inet.tcp.sack */
	int		 rfc1323;	/* net.inet.tcp.rfc1323 */
	uint32_t	 rcvbuf;	/* SO_RCVBUF, 0 = default */
	uint32_t	 lazy;		/* read only once this much waits */
};

#define MB	(1024u * 1024)
static const struct xfer_row rows[] = {
	{ "clean", { 1, 0, 0, 0, 0, NS_MS(1) }, 4 * MB, 1, 1, 0, 0 },
	{ "clean-nodelay", { 2, 0, 0, 0, 0, 0 }, 4 * MB, 1, 1, 0, 0 },
	{ "loss1", { 3, 10, 0, 0, 0, NS_MS(1) }, 4 * MB, 1, 1, 0, 0 },
	{ "loss3-sack", { 4, 30, 0, 0, 0, NS_MS(5) }, 4 * MB, 1, 1, 256 << 10, 0 },
	{ "loss3-nosack", { 5, 30, 0, 0, 0, NS_MS(5) }, 2 * MB, 0, 1, 0, 0 },
	{ "loss5-plain", { 6, 50, 0, 0, 0, NS_MS(2) }, 2 * MB, 0, 0, 0, 0 },
	{ "dup2", { 7, 0, 20, 0, 0, NS_MS(1) }, 4 * MB, 1, 1, 0, 0 },
	{ "reorder5", { 8, 0, 0, 50, 0, NS_MS(1) }, 4 * MB, 1, 1, 0, 0 },
	{ "corrupt2", { 9, 0, 0, 0, 20, NS_MS(1) }, 4 * MB, 1, 1, 0, 0 },
	{ "mixed", { 10, 20, 20, 20, 20, NS_MS(2) }, 4 * MB, 1, 1, 0, 0 },
	{ "mixed-nosack", { 11, 20, 20, 20, 20, NS_MS(2) }, 2 * MB, 0, 1, 0, 0 },
	{ "harsh", { 12, 100, 30, 50, 30, NS_MS(10) }, 1 * MB, 1, 1, 0, 0 },
	{ "harsh-plain", { 13, 100, 30, 50, 30, NS_MS(10) }, 1 * MB, 0, 0, 0, 0 },
	{ "bigwin", { 14, 5, 5, 5, 5, NS_MS(20) }, 8 * MB, 1, 1, 1 * MB, 0 },
	/*
	 * A reader that lets the buffer fill: the sender stops before a
	 * window smaller than a segment, and when the reader empties the
	 * buffer its window update may be lost.  The sender must probe
	 * (persist) instead of waiting for an update that never comes.
	 */
	/*
	 * Heavy loss at the end of a short transfer: a retransmission
	 * timeout resends the first unacknowledged segment (and clears
	 * TF_SENTFIN) while an ACK of everything, FIN included, is on
	 * its way; that ACK used to trip the send buffer's assertion.
	 */
	{ "late-fin-ack", { 104, 150, 30, 80, 0, NS_MS(2) }, 128 << 10, 1, 1,
	    0, 0 },
	{ "lazy-reader", { 15, 100, 0, 0, 0, NS_MS(1) }, 1 * MB, 1, 1,
	    64 << 10, (64 << 10) - 1448 },
};

static uint8_t
pattern(uint64_t i)
{
	uint64_t x = (i >> 3) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)((x >> 29) ^ (i & 7) ^ (x >> 47));
}

struct xfer {
	struct proc	*pa, *pb;
	int		 afd, bfd, lfd;
	uint32_t	 total, sent, rcvd;
	uint32_t	 lazy;		/* the row's lazy threshold */
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
		error = ksys_accept4(x->pb, x->lfd, NULL, NULL,
		    KSOCK_NONBLOCK, &x->bfd);
		if (error != 0) {
			ck_assert_int_eq(error, EAGAIN);
			x->bfd = -1;
		}
	}
	while (x->sent < x->total) {
		size_t n = MIN(sizeof(buf), (size_t)(x->total - x->sent));

		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(x->sent + i);
		error = ksys_write(x->pa, x->afd, buf, n, &done);
		if (error == EAGAIN)
			break;
		ck_assert_int_eq(error, 0);
		x->sent += (uint32_t)done;
	}
	if (x->sent == x->total && !x->shut) {
		ck_assert_int_eq(ksys_shutdown(x->pa, x->afd, KSHUT_WR), 0);
		x->shut = true;
	}
	while (x->bfd >= 0 && !x->eof) {
		int avail = 0;

		/* A lazy reader waits for a nearly full buffer (or the end
		 * of the stream, which the last bytes may never fill). */
		if (x->lazy > 0 && x->rcvd + x->lazy < x->total &&
		    ksys_ioctl(x->pb, x->bfd, KFIONREAD, &avail) == 0 &&
		    (uint32_t)avail < x->lazy)
			break;
		error = ksys_read(x->pb, x->bfd, buf, sizeof(buf), &done);
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

static int
xfer_socket(struct proc *p, uint32_t rcvbuf)
{
	int fd, v = (int)rcvbuf;

	ck_assert_int_eq(ksys_socket(p, AF_INET, KSOCK_STREAM | KSOCK_NONBLOCK,
	    0, &fd), 0);
	if (rcvbuf != 0) {
		ck_assert_int_eq(ksys_setsockopt(p, fd, KSOL_SOCKET,
		    KSO_RCVBUF, &v, sizeof(v)), 0);
		ck_assert_int_eq(ksys_setsockopt(p, fd, KSOL_SOCKET,
		    KSO_SNDBUF, &v, sizeof(v)), 0);
	}
	return fd;
}

static void
tl_report(struct tcp_link *tl, const char *name)
{
	static const char *const names[] = { "sndpack", "sndrexmitpack",
	    "rexmttimeo", "fastretransmit", "sackrecovery", "rcvoopack",
	    "rcvduppack", "rcvbadsum", "timewait", "drops", "rcvrst",
	    "sndrst", "challengeack", "rcvafterclose", "rstbad", "closed" };
	char buf[64];

	fprintf(stderr, "%s: carried %llu dropped %llu duped %llu reordered "
	    "%llu corrupted %llu, %.3f s\n", name,
	    (unsigned long long)tl->tl_carried,
	    (unsigned long long)tl->tl_dropped,
	    (unsigned long long)tl->tl_duped,
	    (unsigned long long)tl->tl_reordered,
	    (unsigned long long)tl->tl_corrupted, tl->tl_now / 1e9);
	for (size_t i = 0; i < nitems(names); i++) {
		snprintf(buf, sizeof(buf), "net.inet.tcp.stats.%s", names[i]);
		fprintf(stderr, "  %-14s a %8llu  b %8llu\n", names[i],
		    (unsigned long long)ft_counter(tl->tl_node[0], buf),
		    (unsigned long long)ft_counter(tl->tl_node[1], buf));
	}
}

static unsigned
tcb_count(struct ft_node *fn)
{
	unsigned n;

	ft_lock(fn);
	n = tcp_state(fn->fn_ns)->tcs_count;
	ft_unlock(fn);
	return n;
}

START_TEST(test_xfer)
{
	const struct xfer_row *r = &rows[_i];
	uint64_t kmem0 = kmem_inuse(), mbufs0 = m_inuse();
	struct ft_node *a, *b;
	struct tcp_link tl;
	struct xfer x;
	struct ksockaddr_in sin;
	uint64_t t0;

	a = ft_create(&(struct ft_config){ .fc_name = "a",
	    .fc_lladdr = FT_MAC(1), .fc_addr = "198.51.100.1/24" });
	b = ft_create(&(struct ft_config){ .fc_name = "b",
	    .fc_lladdr = FT_MAC(2), .fc_addr = "198.51.100.2/24" });
	for (int i = 0; i < 2; i++) {
		struct ft_node *fn = i == 0 ? a : b;

		ft_sysctl_set(fn, "net.inet.tcp.msl", 500);
		ft_sysctl_set(fn, "net.inet.tcp.sack", r->sack);
		ft_sysctl_set(fn, "net.inet.tcp.rfc1323", r->rfc1323);
	}
	memset(&x, 0, sizeof(x));
	x.total = r->bytes;
	x.lazy = r->lazy;
	x.bfd = -1;
	ck_assert_int_eq(proc_create(a->fn_ns, &x.pa), 0);
	ck_assert_int_eq(proc_create(b->fn_ns, &x.pb), 0);

	x.lfd = xfer_socket(x.pb, r->rcvbuf);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(5001);
	ck_assert_int_eq(ksys_bind(x.pb, x.lfd, &sin, sizeof(sin)), 0);
	ck_assert_int_eq(ksys_listen(x.pb, x.lfd, 4), 0);
	x.afd = xfer_socket(x.pa, r->rcvbuf);
	sin.sin_addr = ft_addr("198.51.100.2");
	ck_assert_int_eq(ksys_connect(x.pa, x.afd, &sin, sizeof(sin)),
	    EINPROGRESS);

	tl_init(&tl, a, b, &r->p);
	t0 = tl.tl_now;
	if (!tl_run(&tl, xfer_step, &x, NS_SEC(600)))
		ck_abort_msg("%s: stalled: sent %u rcvd %u of %u (dropped "
		    "%llu duped %llu reordered %llu corrupted %llu)", r->name,
		    x.sent, x.rcvd, x.total,
		    (unsigned long long)tl.tl_dropped,
		    (unsigned long long)tl.tl_duped,
		    (unsigned long long)tl.tl_reordered,
		    (unsigned long long)tl.tl_corrupted);
	ck_assert_uint_eq(x.rcvd, x.total);
	ck_assert(!x.bad);
	if (getenv("TCP_LINK_DEBUG") != NULL)
		fprintf(stderr, "%s: %u bytes in %.3f s virtual\n", r->name,
		    x.total, (tl.tl_now - t0) / 1e9);
	if (r->p.tp_loss > 0)
		ck_assert_uint_gt(ft_counter(a,
		    "net.inet.tcp.stats.sndrexmitpack"), 0);
	if (r->p.tp_corrupt > 0)
		ck_assert_uint_gt(
		    ft_counter(a, "net.inet.tcp.stats.rcvbadsum") +
		    ft_counter(b, "net.inet.tcp.stats.rcvbadsum") +
		    ft_counter(a, "net.inet.ip.stats.badsum") +
		    ft_counter(b, "net.inet.ip.stats.badsum") +
		    ft_counter(a, "net.inet.ip.stats.badlen") +
		    ft_counter(b, "net.inet.ip.stats.badlen") +
		    ft_counter(a, "net.inet.ip.stats.tooshort") +
		    ft_counter(b, "net.inet.ip.stats.tooshort") +
		    ft_counter(a, "net.inet.ip.stats.badhlen") +
		    ft_counter(b, "net.inet.ip.stats.badhlen") +
		    ft_counter(a, "net.inet.ip.stats.badvers") +
		    ft_counter(b, "net.inet.ip.stats.badvers"), 0);

	/* Close both ends; everything must be gone after TIME_WAIT. */
	ck_assert_int_eq(ksys_close(x.pb, x.bfd), 0);
	ck_assert_int_eq(ksys_close(x.pa, x.afd), 0);
	ck_assert_int_eq(ksys_close(x.pb, x.lfd), 0);
	tl_idle(&tl, NS_SEC(120));
	if (getenv("TCP_LINK_DEBUG") != NULL)
		tl_report(&tl, r->name);
	ck_assert_uint_eq(tcb_count(a), 0);
	ck_assert_uint_eq(tcb_count(b), 0);
	ck_assert_uint_eq(ft_counter(a, "net.inet.tcp.stats.timewait") +
	    ft_counter(b, "net.inet.tcp.stats.timewait"), 1);
	tl_fini(&tl);
	proc_destroy(x.pa);
	proc_destroy(x.pb);
	ft_destroy(a);
	ft_destroy(b);
	ck_assert_uint_eq(m_inuse(), mbufs0);
	ck_assert_uint_eq(kmem_inuse(), kmem0);
}
END_TEST

static Suite *
tcp_link_suite(void)
{
	Suite *s = suite_create("tcp_link");
	TCase *tc = tcase_create("xfer");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_xfer, 0, (int)nitems(rows));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	(void)keep_tcp;
	return unit_run(tcp_link_suite());
}
