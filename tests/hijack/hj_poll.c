/*
 * hj_poll.c -- poll, ppoll, select, pselect and epoll over a mix of a
 * host pipe and rump sockets through librumphijack (see hjtest.h).
 * For each call: nothing ready (the timeout passes, without spinning),
 * only the host descriptor becoming ready (the rump half is
 * interrupted), only the rump one becoming ready, and both.  Built with
 * _FORTIFY_SOURCE, so poll and ppoll arrive as __poll_chk/__ppoll_chk.
 */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>

#include "tests/hijack/hjtest.h"

static int pipefd[2];	/* host: [0] waited on */
static int sa, sb;	/* rump: sa waited on, sb written */

struct later {
	int	fd;
	int	ms;
};

static void *
later_write(void *arg)
{
	struct later *l = arg;

	usleep((useconds_t)l->ms * 1000);
	HJ_CHECK(write(l->fd, "!", 1) == 1);
	return NULL;
}

/* Write a byte to fd ms milliseconds from now. */
static pthread_t
after(int fd, int ms)
{
	static struct later l[8];
	static int n;
	pthread_t t;

	l[n % 8].fd = fd;
	l[n % 8].ms = ms;
	HJ_CHECK(pthread_create(&t, NULL, later_write, &l[n++ % 8]) == 0);
	return t;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Empty both descriptors again. */
static void
drain(void)
{
	char c;

	HJ_CHECK(fcntl(pipefd[0], F_SETFL, O_NONBLOCK) == 0);
	while (read(pipefd[0], &c, 1) == 1)
		continue;
	HJ_CHECK(fcntl(sa, F_SETFL, O_NONBLOCK) == 0);
	while (read(sa, &c, 1) == 1)
		continue;
	HJ_CHECK(fcntl(pipefd[0], F_SETFL, 0) == 0);
	HJ_CHECK(fcntl(sa, F_SETFL, 0) == 0);
}

/*
 * The waiting call under test: wait up to ms for pipefd[0] and sa to
 * be readable.  => ready count; *hostp and *rumpp: which were.
 */
typedef int (*waitfn)(int ms, int *hostp, int *rumpp);

/* Called through pointers, poll and ppoll are not the fortified ones. */
static int (*volatile pollp)(struct pollfd *, nfds_t, int) = poll;
static int (*volatile ppollp)(struct pollfd *, nfds_t,
    const struct timespec *, const sigset_t *) = ppoll;
static int chk;		/* call the fortified ones */
/* Counts the compiler cannot see (the fortified calls need that). */
static volatile nfds_t n2 = 2, n3 = 3;

static int
w_poll(int ms, int *h, int *r)
{
	struct pollfd p[3] = {
		{ .fd = pipefd[0], .events = POLLIN },
		{ .fd = -1 },
		{ .fd = sa, .events = POLLIN },
	};
	int n = chk ? poll(p, n3, ms) : pollp(p, 3, ms);

	*h = p[0].revents == POLLIN;
	*r = p[2].revents == POLLIN;
	return n;
}

static int
w_ppoll(int ms, int *h, int *r)
{
	struct pollfd p[2] = {
		{ .fd = sa, .events = POLLIN },
		{ .fd = pipefd[0], .events = POLLIN },
	};
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t mask;
	int n;

	sigemptyset(&mask);
	n = chk ? ppoll(p, n2, ms < 0 ? NULL : &ts, &mask) :
	    ppollp(p, 2, ms < 0 ? NULL : &ts, &mask);
	*h = p[1].revents == POLLIN;
	*r = p[0].revents == POLLIN;
	return n;
}

static int
w_select(int ms, int *h, int *r)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	fd_set rd;
	int n;

	FD_ZERO(&rd);
	FD_SET(pipefd[0], &rd);
	FD_SET(sa, &rd);
	n = select((pipefd[0] > sa ? pipefd[0] : sa) + 1, &rd, NULL, NULL,
	    ms < 0 ? NULL : &tv);
	*h = FD_ISSET(pipefd[0], &rd);
	*r = FD_ISSET(sa, &rd);
	return n;
}

static int
w_pselect(int ms, int *h, int *r)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	sigset_t mask;
	fd_set rd;
	int n;

	sigemptyset(&mask);
	FD_ZERO(&rd);
	FD_SET(pipefd[0], &rd);
	FD_SET(sa, &rd);
	n = pselect((pipefd[0] > sa ? pipefd[0] : sa) + 1, &rd, NULL, NULL,
	    ms < 0 ? NULL : &ts, &mask);
	*h = FD_ISSET(pipefd[0], &rd);
	*r = FD_ISSET(sa, &rd);
	return n;
}

static int epfd;

static int
w_epoll(int ms, int *h, int *r)
{
	struct epoll_event ev[4];
	int n = epoll_wait(epfd, ev, 4, ms);

	*h = *r = 0;
	for (int i = 0; i < n; i++) {
		HJ_CHECK(ev[i].events == EPOLLIN);
		if (ev[i].data.u32 == 1)
			*h = 1;
		else if (ev[i].data.u32 == 2)
			*r = 1;
		else
			hj_fail("epoll: unknown data %u", ev[i].data.u32);
	}
	return n;
}

static int
w_epoll_p(int ms, int *h, int *r)
{
	struct epoll_event ev[4];
	sigset_t mask;
	int n;

	sigemptyset(&mask);
	n = epoll_pwait(epfd, ev, 4, ms, &mask);
	*h = *r = 0;
	for (int i = 0; i < n; i++)
		*(ev[i].data.u32 == 1 ? h : r) = 1;
	return n;
}

/* The four cases for one waiting call. */
static void
check_wait(const char *name, waitfn w)
{
	double t, c;
	int h, r;

	drain();
	/* Nothing: the timeout, asleep. */
	t = now();
	c = cpu();
	HJ_CHECK(w(300, &h, &r) == 0 && !h && !r);
	t = now() - t;
	c = cpu() - c;
	if (t < 0.25 || t > 3 || c > 0.1)
		hj_fail("%s: timeout of 300 ms took %.3f s, %.3f s of CPU",
		    name, t, c);
	/* The host side only: the rump side is interrupted. */
	pthread_join(after(pipefd[1], 100), NULL);
	t = now();
	HJ_CHECK(w(10000, &h, &r) == 1 && h && !r);
	drain();
	pthread_t th = after(pipefd[1], 200);
	t = now();
	HJ_CHECK(w(10000, &h, &r) == 1 && h && !r);
	t = now() - t;
	pthread_join(th, NULL);
	if (t > 3)
		hj_fail("%s: the host descriptor took %.3f s", name, t);
	drain();
	/* The rump side only. */
	th = after(sb, 200);
	t = now();
	HJ_CHECK(w(-1, &h, &r) == 1 && !h && r);
	t = now() - t;
	pthread_join(th, NULL);
	if (t > 3)
		hj_fail("%s: the rump descriptor took %.3f s", name, t);
	/* Both. */
	HJ_CHECK(write(pipefd[1], "x", 1) == 1);
	for (int i = 0; i < 100 && w(0, &h, &r) != 2; i++)
		usleep(10000);
	HJ_CHECK(w(1000, &h, &r) == 2 && h && r);
	drain();
	hj_ok(name);
}

static void
test_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int h, r;

	HJ_CHECK((epfd = epoll_create(4)) >= 0);
	hj_ok("epoll_create");
	close(epfd);
	HJ_CHECK((epfd = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	hj_ok("epoll_create1");
	ev.data.u32 = 1;
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_ADD, pipefd[0], &ev) == 0);
	ev.data.u32 = 2;
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_ADD, sa, &ev) == 0);
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_ADD, sa, &ev) < 0 &&
	    errno == EEXIST);
	check_wait("epoll_wait", w_epoll);
	check_wait("epoll_pwait", w_epoll_p);
	/* ONESHOT: reported once until modified; DEL removes. */
	ev.events = EPOLLIN | EPOLLONESHOT;
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_MOD, sa, &ev) == 0);
	HJ_CHECK(write(sb, "y", 1) == 1);
	HJ_CHECK(w_epoll(5000, &h, &r) == 1 && r);
	HJ_CHECK(w_epoll(100, &h, &r) == 0);
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_MOD, sa, &ev) == 0);
	HJ_CHECK(w_epoll(5000, &h, &r) == 1 && r);
	drain();
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_DEL, sa, NULL) == 0);
	HJ_CHECK(epoll_ctl(epfd, EPOLL_CTL_DEL, sa, NULL) < 0 &&
	    errno == ENOENT);
	HJ_CHECK(write(sb, "z", 1) == 1);
	HJ_CHECK(w_epoll(200, &h, &r) == 0);
	drain();
	hj_ok("epoll_ctl");
	close(epfd);
}

/* A thread blocked in recv does not hold up the others' calls. */
static void *
blocked_recv(void *arg)
{
	char c;

	(void)arg;
	HJ_CHECK(recv(sa, &c, 1, 0) == 1 && c == 'q');
	return NULL;
}

static void
test_concurrent(void)
{
	pthread_t t;
	double t0;
	int a, b;

	drain();
	HJ_CHECK(pthread_create(&t, NULL, blocked_recv, NULL) == 0);
	usleep(100000);
	t0 = now();
	hj_pair(&a, &b);	/* socket, bind, listen, connect, accept */
	close(a);
	close(b);
	if (now() - t0 > 3)
		hj_fail("calls waited for a blocked recv in another thread");
	HJ_CHECK(write(sb, "q", 1) == 1);
	pthread_join(t, NULL);
}

int
main(void)
{
	HJ_CHECK(pipe(pipefd) == 0);
	hj_pair(&sa, &sb);
	check_wait("poll", w_poll);
	check_wait("ppoll", w_ppoll);
	chk = 1;
	check_wait("__poll_chk", w_poll);
	check_wait("__ppoll_chk", w_ppoll);
	check_wait("select", w_select);
	check_wait("pselect", w_pselect);
	test_epoll();
	test_concurrent();
	return 0;
}
