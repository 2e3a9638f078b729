/*
 * test_kern.c -- kernel core: lock, callouts on a virtual clock and on
 * the real clock, mbufs, packet queues, the sysctl tree, instance
 * lifecycle.  Every test ends with no kernel memory and no mbuf in use.
 */
#include <check.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/kern/sysctl.h"
#include "tests/unit/unit.h"

static uint64_t kmem_at_start, mbufs_at_start;

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	kmem_at_start = kmem_inuse();
	mbufs_at_start = m_inuse();
}

static void
teardown(void)
{
	ck_assert_uint_eq(m_inuse(), mbufs_at_start);
	ck_assert_uint_eq(kmem_inuse(), kmem_at_start);
}

/* ------------------------------------------------------------ rumpuser */

START_TEST(test_rumpuser_version)
{
	ck_assert_int_ne(rumpuser_init(RUMPUSER_VERSION + 1), 0);
}
END_TEST

START_TEST(test_rumpuser_getparam)
{
	char buf[8];

	setenv("RUMPNET_TEST_PARAM", "0x7ff80", 1);
	ck_assert_int_eq(rumpuser_getparam("RUMPNET_TEST_PARAM", buf,
	    sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0x7ff80");
	ck_assert_int_eq(rumpuser_getparam("RUMPNET_TEST_PARAM", buf, 4),
	    E2BIG);
	unsetenv("RUMPNET_TEST_PARAM");
	ck_assert_int_eq(rumpuser_getparam("RUMPNET_TEST_PARAM", buf,
	    sizeof(buf)), ENOENT);
	ck_assert_int_eq(rumpuser_getparam("_reserved", buf, sizeof(buf)),
	    EINVAL);
}
END_TEST

/* A futex watch on word 5 of a shared mapping, woken by another thread
 * through a second mapping of the same file, as another process would. */
struct futex_waker {
	uint32_t	*fw_word;	/* in the second mapping */
	int		 fw_delay_ms;
};

static void *
futex_waker(void *arg)
{
	struct futex_waker *fw = arg;

	rumpuser_clock_sleep(NS_MS(fw->fw_delay_ms));
	__atomic_add_fetch(fw->fw_word, 1, __ATOMIC_SEQ_CST);
	rumpuser_watch_wake(fw->fw_word);
	return NULL;
}

START_TEST(test_rumpuser_futex_watch)
{
	char path[] = "/tmp/rumpnet-unit-XXXXXX";
	struct rumpuser_watch *w;
	struct rumpuser_thread *t;
	struct futex_waker fw;
	uint32_t *word, three = 3;
	uint8_t *mem, *mem2;
	uint64_t t0;
	size_t done;
	int fd, tmp;

	tmp = mkstemp(path);
	ck_assert_int_ge(tmp, 0);
	ck_assert_int_eq(rumpuser_open(path, RUMPUSER_OPEN_RDWR, &fd), 0);
	ck_assert_int_eq(rumpuser_ftruncate(fd, 1 << 20), 0);
	ck_assert_int_eq(rumpuser_filemmap(fd, 1 << 20, (void **)&mem), 0);
	ck_assert_int_eq(rumpuser_filemmap(fd, 1 << 20, (void **)&mem2), 0);
	word = (uint32_t *)(mem + 20);
	ck_assert_int_eq(rumpuser_watch_setup(fd, word + 1, &w), 0);
	rumpuser_watch_destroy(w);
	ck_assert_int_eq(rumpuser_watch_setup(fd, (uint32_t *)(mem + 21),
	    &w), EINVAL);
	setenv("RUMP_SHMIF_WATCH", "futex", 1);
	ck_assert_int_eq(rumpuser_watch_setup(fd, word, &w), 0);
	unsetenv("RUMP_SHMIF_WATCH");
	ck_assert(rumpuser_watch_isfutex(w));

	/* The word is what we saw, nobody wakes: timeout, even with a
	 * wakeup write (only an inotify watch hears that). */
	ck_assert_int_eq(rumpuser_pwrite(fd, &three, 4, 4, &done), 0);
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 20), ETIMEDOUT);
	/* The word moved on since we looked: no sleep at all. */
	*word = 7;
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 5000), 0);
	/* A writer elsewhere stores and wakes while we sleep. */
	fw.fw_word = (uint32_t *)(mem2 + 20);
	fw.fw_delay_ms = 50;
	t0 = rumpuser_clock_now(RUMPUSER_CLOCK_MONO);
	ck_assert_int_eq(rumpuser_thread_create(futex_waker, &fw, "waker",
	    &t), 0);
	ck_assert_int_eq(rumpuser_watch_wait(w, 7, 5000), 0);
	ck_assert_uint_lt(rumpuser_clock_now(RUMPUSER_CLOCK_MONO) - t0, NS_MS(4000));
	ck_assert_uint_eq(*word, 8);
	rumpuser_thread_join(t);

	rumpuser_watch_destroy(w);
	rumpuser_unmap(mem2, 1 << 20);
	rumpuser_unmap(mem, 1 << 20);
	ck_assert_int_eq(rumpuser_close(fd), 0);
	close(tmp);
	unlink(path);
}
END_TEST

START_TEST(test_rumpuser_file_watch)
{
	char path[] = "/tmp/rumpnet-unit-XXXXXX";
	struct rumpuser_watch *w;
	uint32_t three = 3, back = 0;
	uint64_t size;
	uint8_t *mem;
	size_t done;
	int fd, tmp;

	tmp = mkstemp(path);
	ck_assert_int_ge(tmp, 0);
	ck_assert_int_eq(rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE, &fd), 0);
	ck_assert_int_eq(rumpuser_ftruncate(fd, 1 << 20), 0);
	ck_assert_int_eq(rumpuser_filesize(fd, &size), 0);
	ck_assert_uint_eq(size, 1 << 20);
	ck_assert_int_eq(rumpuser_filemmap(fd, 1 << 20, (void **)&mem), 0);
	ck_assert_int_eq(rumpuser_watch_setup(fd, (uint32_t *)(mem + 20), &w),
	    0);
	ck_assert(!rumpuser_watch_isfutex(w));

	/* Nothing written yet: the wait times out. */
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 20), ETIMEDOUT);
	/* A store through the mapping raises no event ... */
	mem[100] = 1;
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 20), ETIMEDOUT);
	/* ... a write through the descriptor does, even before the wait. */
	ck_assert_int_eq(rumpuser_pwrite(fd, &three, 4, 4, &done), 0);
	ck_assert_uint_eq(done, 4);
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 1000), 0);
	ck_assert_int_eq(rumpuser_watch_wait(w, 0, 20), ETIMEDOUT);
	memcpy(&back, mem + 4, 4);
	ck_assert_uint_eq(back, 3);
	ck_assert_int_eq(rumpuser_pread(fd, &back, 4, 100, &done), 0);
	ck_assert_uint_eq(back & 0xff, 1);

	rumpuser_watch_destroy(w);
	rumpuser_unmap(mem, 1 << 20);
	ck_assert_int_eq(rumpuser_close(fd), 0);
	close(tmp);
	unlink(path);
	ck_assert_int_eq(rumpuser_open("/nonexistent/dir/bus", 0, &fd),
	    ENOENT);
}
END_TEST

/* ---------------------------------------------------------------- klock */

START_TEST(test_klock_recursion)
{
	struct klock kl;

	ck_assert_int_eq(klock_init(&kl), 0);
	ck_assert(!klock_held(&kl));
	klock_enter(&kl);
	klock_enter(&kl);
	ck_assert(klock_held(&kl));
	ck_assert_uint_eq(kl.kl_count, 2);
	klock_exit(&kl);
	ck_assert(klock_held(&kl));
	klock_exit(&kl);
	ck_assert(!klock_held(&kl));
	klock_destroy(&kl);
}
END_TEST

/* Deferred work: a counter, and a second entry queued from the first. */
struct deferred_probe {
	struct klock		*dp_kl;
	int			 dp_runs;
	bool			 dp_held;	/* lock held when run */
	struct klock_deferred	*dp_chain;	/* queue this when run */
};

static void
deferred_fn(void *arg)
{
	struct deferred_probe *dp = arg;

	dp->dp_runs++;
	dp->dp_held = klock_held(dp->dp_kl);
	/* Nesting the lock inside deferred work must not re-run the queue. */
	klock_enter(dp->dp_kl);
	klock_exit(dp->dp_kl);
	if (dp->dp_chain != NULL)
		klock_defer(dp->dp_kl, dp->dp_chain);
}

START_TEST(test_klock_deferred)
{
	struct klock kl;
	struct deferred_probe a = { .dp_kl = &kl }, b = { .dp_kl = &kl };
	struct klock_deferred ka = { .kd_fn = deferred_fn, .kd_arg = &a };
	struct klock_deferred kb = { .kd_fn = deferred_fn, .kd_arg = &b };

	ck_assert_int_eq(klock_init(&kl), 0);
	/* Queued twice, run once, at the outermost exit, lock held. */
	klock_enter(&kl);
	klock_enter(&kl);
	klock_defer(&kl, &ka);
	klock_defer(&kl, &ka);
	klock_exit(&kl);
	ck_assert_int_eq(a.dp_runs, 0);
	klock_exit(&kl);
	ck_assert_int_eq(a.dp_runs, 1);
	ck_assert(a.dp_held);
	ck_assert(!ka.kd_queued);
	/* Work queued by work runs in the same flush. */
	a.dp_chain = &kb;
	klock_enter(&kl);
	klock_defer(&kl, &ka);
	klock_exit(&kl);
	ck_assert_int_eq(a.dp_runs, 2);
	ck_assert_int_eq(b.dp_runs, 1);
	a.dp_chain = NULL;
	/* Taken off the queue: never runs; the others still do. */
	klock_enter(&kl);
	klock_defer(&kl, &ka);
	klock_defer(&kl, &kb);
	ck_assert(klock_undefer(&kl, &ka));
	ck_assert(!klock_undefer(&kl, &ka));
	klock_exit(&kl);
	ck_assert_int_eq(a.dp_runs, 2);
	ck_assert_int_eq(b.dp_runs, 2);
	/* klock_release_all flushes before it lets go. */
	klock_enter(&kl);
	klock_defer(&kl, &ka);
	klock_reacquire(&kl, klock_release_all(&kl));
	ck_assert_int_eq(a.dp_runs, 3);
	/* The tail is right after an undefer of the last entry. */
	klock_defer(&kl, &ka);
	klock_defer(&kl, &kb);
	ck_assert(klock_undefer(&kl, &kb));
	klock_defer(&kl, &kb);
	klock_exit(&kl);
	ck_assert_int_eq(a.dp_runs, 4);
	ck_assert_int_eq(b.dp_runs, 3);
	klock_destroy(&kl);
}
END_TEST

struct sleeper {
	struct klock	 *s_kl;
	struct kcondvar	 *s_cv;
	volatile int	  s_flag;
	int		  s_depth_after;
};

static void *
sleeper_thread(void *arg)
{
	struct sleeper *s = arg;

	klock_enter(s->s_kl);
	s->s_flag = 1;
	kcondvar_broadcast(s->s_cv);
	klock_exit(s->s_kl);
	return NULL;
}

START_TEST(test_klock_sleep_releases_all_levels)
{
	struct klock kl;
	struct kcondvar cv;
	struct sleeper s = { &kl, &cv, 0, 0 };
	pthread_t t;
	uint64_t deadline;

	ck_assert_int_eq(klock_init(&kl), 0);
	ck_assert_int_eq(kcondvar_init(&cv), 0);
	klock_enter(&kl);
	klock_enter(&kl);		/* depth 2 */
	ck_assert_int_eq(pthread_create(&t, NULL, sleeper_thread, &s), 0);
	deadline = rumpuser_clock_now(RUMPUSER_CLOCK_MONO) + NS_SEC(5);
	while (!s.s_flag)
		ck_assert_int_eq(klock_sleep(&kl, &cv, deadline), 0);
	ck_assert_uint_eq(kl.kl_count, 2);
	ck_assert(klock_held(&kl));
	/* A short deadline expires. */
	ck_assert_int_eq(klock_sleep(&kl, &cv,
	    rumpuser_clock_now(RUMPUSER_CLOCK_MONO) + NS_MS(5)), ETIMEDOUT);
	klock_exit(&kl);
	klock_exit(&kl);
	pthread_join(t, NULL);
	kcondvar_destroy(&cv);
	klock_destroy(&kl);
}
END_TEST

/* ------------------------------------------------------------- callouts */

struct firing {
	struct netstack	*f_ns;
	int		 f_log[64];
	uint64_t	 f_time[64];
	int		 f_n;
	struct callout	*f_rearm;	/* re-arm this one once */
};

struct tagged {
	struct callout	 t_c;
	struct firing	*t_f;
	int		 t_tag;
};

static void
tagged_fire(void *arg)
{
	struct tagged *t = arg;
	struct firing *f = t->t_f;

	ck_assert(klock_held(&f->f_ns->ns_klock));
	f->f_time[f->f_n] = netstack_now(f->f_ns);
	f->f_log[f->f_n++] = t->t_tag;
	if (f->f_rearm == &t->t_c) {
		f->f_rearm = NULL;
		callout_schedule(&t->t_c, NS_MS(5));
	}
}

START_TEST(test_callout_order_virtual)
{
	struct netstack *ns;
	struct firing f = { 0 };
	struct tagged t[6];
	/* Delays in ms; equal deadlines fire in scheduling order. */
	static const int delay[6] = { 30, 10, 20, 10, 50, 40 };
	static const int expect[] = { 1, 3, 2, 0, 0, 5 };

	ck_assert_int_eq(netstack_create("t", NETSTACK_VIRTUAL_CLOCK, &ns), 0);
	f.f_ns = ns;
	klock_enter(&ns->ns_klock);
	for (int i = 0; i < 6; i++) {
		t[i].t_f = &f;
		t[i].t_tag = i;
		callout_init(&t[i].t_c, ns, tagged_fire, &t[i]);
		callout_schedule(&t[i].t_c, NS_MS(delay[i]));
	}
	/* Stop #4, and make #0 re-arm itself 5 ms later when it fires. */
	ck_assert(callout_stop(&t[4].t_c));
	ck_assert(!callout_stop(&t[4].t_c));
	f.f_rearm = &t[0].t_c;
	ck_assert_uint_eq(callout_next(ns), NS_SEC(1) + NS_MS(10));
	klock_exit(&ns->ns_klock);

	netstack_clock_advance(ns, NS_MS(9));
	ck_assert_int_eq(f.f_n, 0);
	netstack_clock_advance(ns, NS_MS(100));
	ck_assert_int_eq(f.f_n, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(f.f_log[i], expect[i]);
	/* Each callout ran at its own deadline. */
	ck_assert_uint_eq(f.f_time[0], NS_SEC(1) + NS_MS(10));
	ck_assert_uint_eq(f.f_time[3], NS_SEC(1) + NS_MS(30));
	ck_assert_uint_eq(f.f_time[4], NS_SEC(1) + NS_MS(35));
	klock_enter(&ns->ns_klock);
	ck_assert_uint_eq(callout_next(ns), UINT64_MAX);
	klock_exit(&ns->ns_klock);
	netstack_destroy(ns);
}
END_TEST

START_TEST(test_callout_heap_random)
{
	struct netstack *ns;
	enum { N = 500 };
	static struct tagged t[N];
	static struct firing f;
	uint64_t last = 0;
	uint32_t seed = 12345;

	ck_assert_int_eq(netstack_create("t", NETSTACK_VIRTUAL_CLOCK, &ns), 0);
	memset(&f, 0, sizeof(f));
	f.f_ns = ns;
	klock_enter(&ns->ns_klock);
	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		t[i].t_f = &f;
		t[i].t_tag = 0;
		callout_init(&t[i].t_c, ns, tagged_fire, &t[i]);
		callout_schedule(&t[i].t_c, NS_MS(seed % 1000));
	}
	/* Stop every third, reschedule every fifth. */
	for (int i = 0; i < N; i += 3)
		callout_stop(&t[i].t_c);
	for (int i = 0; i < N; i += 5)
		callout_schedule(&t[i].t_c, NS_MS(i));
	klock_exit(&ns->ns_klock);
	/* Fire one by one and check deadlines never go backwards. */
	for (int ms = 0; ms <= 1000; ms++) {
		f.f_n = 0;
		netstack_clock_advance(ns, NS_MS(1));
		klock_enter(&ns->ns_klock);
		ck_assert(callout_next(ns) > netstack_now(ns));
		klock_exit(&ns->ns_klock);
		for (int k = 0; k < f.f_n; k++) {
			ck_assert_uint_ge(f.f_time[k], last);
			last = f.f_time[k];
		}
	}
	netstack_destroy(ns);
}
END_TEST

struct realfire {
	struct callout	 r_c;
	struct netstack	*r_ns;
	volatile int	 r_fired;
};

static void
real_fire(void *arg)
{
	struct realfire *r = arg;

	r->r_fired = 1;
}

START_TEST(test_callout_real_clock)
{
	struct netstack *ns;
	struct realfire r = { 0 };
	uint64_t t0;

	ck_assert_int_eq(netstack_create("t", NETSTACK_REAL_CLOCK, &ns), 0);
	r.r_ns = ns;
	callout_init(&r.r_c, ns, real_fire, &r);
	t0 = rumpuser_clock_now(RUMPUSER_CLOCK_MONO);
	klock_enter(&ns->ns_klock);
	netstack_tick(ns);
	callout_schedule(&r.r_c, NS_MS(20));
	klock_exit(&ns->ns_klock);
	while (!r.r_fired &&
	    rumpuser_clock_now(RUMPUSER_CLOCK_MONO) - t0 < NS_SEC(5))
		rumpuser_clock_sleep(NS_MS(1));
	ck_assert(r.r_fired);
	ck_assert_uint_ge(rumpuser_clock_now(RUMPUSER_CLOCK_MONO) - t0,
	    NS_MS(20));
	netstack_destroy(ns);
}
END_TEST

/* ---------------------------------------------------------------- mbufs */

START_TEST(test_mbuf_basic)
{
	struct mbuf *m, *n;
	static const uint8_t payload[5] = { 1, 2, 3, 4, 5 };
	uint8_t out[5];

	m = m_get(100, 16);
	ck_assert_ptr_nonnull(m);
	m_assert(m);
	ck_assert_uint_eq(m->m_len, 0);
	ck_assert_uint_eq(m_headroom(m), 16);
	ck_assert_int_eq(m_append(m, sizeof(payload), payload), 0);
	ck_assert_uint_eq(m->m_pkthdr.len, 5);

	/* Prepend within the headroom keeps the buffer. */
	n = m_prepend(m, 14);
	ck_assert_ptr_eq(n, m);
	ck_assert_uint_eq(m->m_len, 19);
	ck_assert_uint_eq(m_headroom(m), 2);
	/* Prepend beyond it moves the packet, data intact. */
	memset(m->m_data, 0xee, 14);
	m->m_pkthdr.csum_flags = M_CSUM_TCPv4;
	m = m_prepend(m, 40);
	ck_assert_ptr_nonnull(m);
	m_assert(m);
	ck_assert_uint_eq(m->m_len, 59);
	ck_assert_uint_eq(m->m_pkthdr.csum_flags, M_CSUM_TCPv4);
	m_copydata(m, 54, 5, out);
	ck_assert_mem_eq(out, payload, 5);

	m_adj(m, 54);
	ck_assert_uint_eq(m->m_len, 5);
	m_adj(m, -2);
	ck_assert_uint_eq(m->m_len, 3);
	ck_assert_mem_eq(mtod(m, uint8_t *), payload, 3);

	n = m_dup(m);
	ck_assert_ptr_nonnull(n);
	ck_assert_mem_eq(mtod(n, uint8_t *), payload, 3);
	ck_assert_uint_eq(n->m_pkthdr.csum_flags, M_CSUM_TCPv4);
	m_freem(n);

	/* Tailroom is fixed: an oversized append is refused. */
	ck_assert_int_eq(m_append(m, 1 << 20, NULL), ENOBUFS);
	m_freem(m);
	m_freem(NULL);
	ck_assert_ptr_null(m_get(MAXMBUFSIZE + 1, 0));
}
END_TEST

START_TEST(test_mqueue)
{
	struct mqueue q;
	struct mbuf *m;

	mq_init(&q, 3);
	for (int i = 0; i < 5; i++) {
		m = m_gethdr(1);
		ck_assert_ptr_nonnull(m);
		m->m_data[0] = (uint8_t)i;
		ck_assert_int_eq(mq_enqueue(&q, m), i < 3 ? 0 : ENOBUFS);
	}
	ck_assert_uint_eq(q.mq_len, 3);
	ck_assert_uint_eq(q.mq_drops, 2);
	m = mq_dequeue(&q);
	ck_assert_uint_eq(m->m_data[0], 0);
	ck_assert_ptr_null(m->m_nextpkt);
	m_freem(m);
	mq_purge(&q);
	ck_assert_ptr_null(mq_dequeue(&q));
}
END_TEST

/* --------------------------------------------------------------- sysctl */

START_TEST(test_sysctl_tree)
{
	struct netstack *ns;
	static const char *const names[] = { "total", "badsum" };
	uint64_t counters[2] = { 7, 9 }, q;
	int32_t forwarding = 0, v;
	int64_t v64;
	char host[64];
	size_t len;
	const struct sysctl_node *n;
	const char *seen[8];
	int nseen = 0;

	ck_assert_int_eq(netstack_create("node1", NETSTACK_VIRTUAL_CLOCK,
	    &ns), 0);
	klock_enter(&ns->ns_klock);
	ck_assert_int_eq(sysctl_add_int(ns, "test.inet.ip.forwarding",
	    SYSCTL_RW, &forwarding, 0, 1, "forward packets"), 0);
	ck_assert_int_eq(sysctl_add_int(ns, "test.inet.ip.forwarding",
	    SYSCTL_RW, &forwarding, 0, 1, NULL), EEXIST);
	ck_assert_int_eq(sysctl_add_counters(ns, "test.inet.ip.stats", names,
	    counters, 2), 0);

	v = 1;
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.forwarding", NULL,
	    NULL, &v, sizeof(v)), 0);
	ck_assert_int_eq(forwarding, 1);
	v64 = 0;
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.forwarding", NULL,
	    NULL, &v64, sizeof(v64)), 0);
	ck_assert_int_eq(forwarding, 0);
	v = 2;
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.forwarding", NULL,
	    NULL, &v, sizeof(v)), EINVAL);
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.forwarding", NULL,
	    NULL, &v, 3), EINVAL);
	len = sizeof(v);
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.forwarding", &v, &len,
	    NULL, 0), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.nonesuch", &v, &len,
	    NULL, 0), ENOENT);

	len = sizeof(q);
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.stats.badsum", &q,
	    &len, NULL, 0), 0);
	ck_assert_uint_eq(q, 9);
	ck_assert_int_eq(sysctl_byname(ns, "test.inet.ip.stats.badsum", NULL,
	    NULL, &q, sizeof(q)), EPERM);

	/* Strings: read back, too-small buffer, write. */
	len = sizeof(host);
	ck_assert_int_eq(sysctl_byname(ns, "kern.hostname", host, &len, NULL,
	    0), 0);
	ck_assert_str_eq(host, "node1");
	ck_assert_uint_eq(len, 6);
	len = 3;
	ck_assert_int_eq(sysctl_byname(ns, "kern.hostname", host, &len, NULL,
	    0), ENOMEM);
	ck_assert_int_eq(sysctl_byname(ns, "kern.hostname", NULL, NULL,
	    "router", 6), 0);
	ck_assert_str_eq(ns->ns_hostname, "router");
	ck_assert_int_eq(sysctl_byname(ns, "kern.hostname", NULL, NULL,
	    "a\0b", 3), EINVAL);
	ck_assert_int_eq(sysctl_byname(ns, "kern.ostype", NULL, NULL, "x", 1),
	    EPERM);

	/* Enumeration under a prefix is in name order, on name boundaries. */
	ck_assert_int_eq(sysctl_add_int(ns, "test.inet.ip6x", SYSCTL_RO, &v,
	    0, 0, NULL), 0);
	for (n = sysctl_next(ns, "test.inet.ip", ""); n != NULL;
	    n = sysctl_next(ns, "test.inet.ip", n->sn_name))
		seen[nseen++] = n->sn_name;
	ck_assert_int_eq(nseen, 3);
	ck_assert_str_eq(seen[0], "test.inet.ip.forwarding");
	ck_assert_str_eq(seen[1], "test.inet.ip.stats.badsum");
	ck_assert_str_eq(seen[2], "test.inet.ip.stats.total");

	sysctl_remove_prefix(ns, "test");
	ck_assert_ptr_null(sysctl_next(ns, "test", ""));
	ck_assert_ptr_nonnull(sysctl_next(ns, "kern", ""));
	klock_exit(&ns->ns_klock);
	netstack_destroy(ns);
}
END_TEST

START_TEST(test_netstack_many_instances)
{
	struct netstack *ns[8];

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 8; i++)
			ck_assert_int_eq(netstack_create("n", i & 1 ?
			    NETSTACK_VIRTUAL_CLOCK : NETSTACK_REAL_CLOCK,
			    &ns[i]), 0);
		for (int i = 7; i >= 0; i--)
			netstack_destroy(ns[i]);
	}
}
END_TEST

/* Skipping optional modules: dependants stay down, the kernel proper
 * cannot be skipped, and teardown is leak-free either way. */
START_TEST(test_netstack_skip_modules)
{
	static const char *const no_ip6[] = { "inet6", NULL };
	static const char *const no_tcp[] = { "tcp", "shmif", NULL };
	static const char *const no_ip[] = { "ip", NULL };
	struct netstack_config nc = { .nc_flags = NETSTACK_VIRTUAL_CLOCK };
	struct netstack *ns;
	bool have_ip6, have_tcp;

	ck_assert_int_eq(netstack_create_config("t", &nc, &ns), 0);
	ck_assert(netstack_module_running(ns, "inet"));
	ck_assert(!netstack_module_running(ns, "nosuchmodule"));
	have_ip6 = netstack_module_running(ns, "ip6");
	have_tcp = netstack_module_running(ns, "tcp");
	netstack_destroy(ns);

	nc.nc_skip = no_ip6;
	ck_assert_int_eq(netstack_create_config("t", &nc, &ns), 0);
	ck_assert(netstack_module_running(ns, "ip"));
	ck_assert(!netstack_module_running(ns, "inet6"));
	ck_assert(!netstack_module_running(ns, "ip6"));	/* requires inet6 */
	ck_assert(!netstack_module_running(ns, "tcp6"));
	ck_assert(netstack_module_running(ns, "tcp") == have_tcp);
	netstack_destroy(ns);

	nc.nc_skip = no_tcp;
	ck_assert_int_eq(netstack_create_config("t", &nc, &ns), 0);
	ck_assert(!netstack_module_running(ns, "tcp"));
	ck_assert(!netstack_module_running(ns, "tcp6"));	/* requires tcp */
	ck_assert(!netstack_module_running(ns, "shmif"));
	ck_assert(netstack_module_running(ns, "ip6") == have_ip6);
	netstack_destroy(ns);

	nc.nc_skip = no_ip;
	ck_assert_int_eq(netstack_create_config("t", &nc, &ns), EINVAL);
}
END_TEST

static Suite *
kern_suite(void)
{
	Suite *s = suite_create("kern");
	TCase *tc;

	tc = tcase_create("rumpuser");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rumpuser_version);
	tcase_add_test(tc, test_rumpuser_getparam);
	tcase_add_test(tc, test_rumpuser_file_watch);
	tcase_add_test(tc, test_rumpuser_futex_watch);
	tcase_add_test(tc, test_rumpuser_futex_watch);
	suite_add_tcase(s, tc);

	tc = tcase_create("klock");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_klock_recursion);
	tcase_add_test(tc, test_klock_deferred);
	tcase_add_test(tc, test_klock_sleep_releases_all_levels);
	suite_add_tcase(s, tc);

	tc = tcase_create("callout");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_callout_order_virtual);
	tcase_add_test(tc, test_callout_heap_random);
	tcase_add_test(tc, test_callout_real_clock);
	suite_add_tcase(s, tc);

	tc = tcase_create("mbuf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_mbuf_basic);
	tcase_add_test(tc, test_mqueue);
	suite_add_tcase(s, tc);

	tc = tcase_create("sysctl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sysctl_tree);
	tcase_add_test(tc, test_netstack_many_instances);
	tcase_add_test(tc, test_netstack_skip_modules);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(kern_suite());
}
