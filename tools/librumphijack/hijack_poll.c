/*
 * hijack_poll.c -- poll, ppoll, select, pselect and epoll over any mix
 * of host and rump descriptors.
 *
 * One mechanism serves them all (hj_poll).  With only host descriptors
 * the host's call runs; with only rump descriptors the kernel's poll.
 * With both, the rump part is sent to the server as an asynchronous
 * request (rc_call_start) and the host part waits in the host's ppoll
 * together with the connection that will carry the reply: whichever
 * side is ready first ends the wait, and if it was the host side the
 * server is told to interrupt the rump poll (SP_OP_INTERRUPT), whose
 * reply, ready descriptors included, is then read.  Nothing spins: both
 * halves sleep in their kernels.
 *
 * epoll sets live on the host (epoll_create is the host's); the rump
 * descriptors added to a set are kept here, beside it, and epoll_wait
 * waits on the host set's own descriptor plus a rump poll of those.
 * Edge-triggered registrations of rump descriptors are reported like
 * level-triggered ones; EPOLLONESHOT is honoured.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rumpnet/rump_syscalls.h"
#include "tools/librumpclient/rumpclient_int.h"
#include "tools/librumphijack/hijack.h"

/* ms for a timespec (rounded up), -1 for NULL. */
static int
hj_ts2ms(const struct timespec *ts)
{
	long long ms;

	if (ts == NULL)
		return -1;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		return -2;
	ms = (long long)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
	return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

static void
hj_ms2ts(int ms, struct timespec *ts)
{
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (long)(ms % 1000) * 1000000L;
}

/* The host's ppoll with a timeout in ms. */
static int
hj_hostpoll(struct pollfd *fds, nfds_t nfds, int timeout,
    const sigset_t *mask)
{
	struct timespec ts;

	if (mask == NULL)
		return HOST(poll)(fds, nfds, timeout);
	hj_ms2ts(timeout, &ts);
	return HOST(ppoll)(fds, nfds, timeout < 0 ? NULL : &ts, mask);
}

/*
 * Wait for the rump descriptors rfds (kernel numbers) and the host ones
 * hfds at once.  hfds has one spare slot at hfds[nh], for the
 * connection.  => as poll for the two arrays together (revents set in
 * both), or -1 with errno.
 */
static int
hj_poll_mixed(struct pollfd *rfds, nfds_t nr, struct pollfd *hfds,
    nfds_t nh, int timeout, const sigset_t *mask)
{
	struct rc_pending pd;
	int hn, rn, herr = 0;

	if (rc_poll_start(rfds, nr, timeout, &pd) != 0)
		return -1;
	hfds[nh].fd = pd.pd_fd;
	hfds[nh].events = POLLIN;
	hfds[nh].revents = 0;
	hn = hj_hostpoll(hfds, nh + 1, timeout, mask);
	if (hn < 0)
		herr = errno;
	if (hfds[nh].revents & (POLLIN | POLLHUP | POLLERR))
		hn--;		/* the reply is there */
	else if (timeout != 0)
		rc_call_interrupt(&pd);		/* the host side won */
	/* else a poll with timeout 0 answers at once anyway. */
	rn = rc_poll_finish(&pd, rfds, nr);
	if (rn < 0 && errno == EINTR) {
		/*
		 * Interrupted, maybe before it even looked: what is ready
		 * on the rump side now is part of the answer too.
		 */
		rn = rump_sys_poll(rfds, nr, 0);
	}
	if (herr != 0) {
		errno = herr;
		return -1;
	}
	if (rn < 0)
		return -1;
	return hn + rn;
}

int
hj_poll(struct pollfd *fds, nfds_t nfds, int timeout, const sigset_t *mask)
{
	struct pollfd *rfds, *hfds;
	nfds_t nr = 0, nh = 0, ir = 0, ih = 0;
	int n, e;

	for (nfds_t i = 0; i < nfds; i++) {
		if (hj_rumpfd(fds[i].fd) >= 0)
			nr++;
		else
			nh++;
	}
	if (nr == 0)
		return hj_hostpoll(fds, nfds, timeout, mask);
	if ((rfds = calloc(nr + nh + 1, sizeof(*rfds))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	hfds = rfds + nr;
	for (nfds_t i = 0; i < nfds; i++) {
		int rfd = hj_rumpfd(fds[i].fd);

		if (rfd >= 0) {
			rfds[ir] = fds[i];
			rfds[ir++].fd = rfd;
		} else
			hfds[ih++] = fds[i];
	}
	if (nh == 0 && mask == NULL)
		n = rump_sys_poll(rfds, nr, timeout);
	else
		n = hj_poll_mixed(rfds, nr, hfds, nh, timeout, mask);
	e = errno;
	if (n >= 0) {
		ir = ih = 0;
		n = 0;
		for (nfds_t i = 0; i < nfds; i++) {
			if (hj_rumpfd(fds[i].fd) >= 0)
				fds[i].revents = rfds[ir++].revents;
			else
				fds[i].revents = hfds[ih++].revents;
			if (fds[i].revents != 0)
				n++;
		}
	}
	free(rfds);
	errno = e;
	return n;
}

HJ_EXPORT int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	return hj_poll(fds, nfds, timeout, NULL);
}

HJ_EXPORT int
__poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds)
		abort();	/* as the C library does */
	return hj_poll(fds, nfds, timeout, NULL);
}

HJ_EXPORT int
ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *ts,
    const sigset_t *mask)
{
	int ms = hj_ts2ms(ts);

	if (ms == -2) {
		errno = EINVAL;
		return -1;
	}
	return hj_poll(fds, nfds, ms, mask);
}

HJ_EXPORT int
__ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *ts,
    const sigset_t *mask, size_t fdslen)
{
	if (fdslen / sizeof(*fds) < nfds)
		abort();
	return ppoll(fds, nfds, ts, mask);
}

/* ------------------------------------------------------------- select */

/*
 * select over poll: one pollfd per descriptor in any set.  => as
 * select, the sets rewritten.
 */
static int
hj_select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, int timeout,
    const sigset_t *mask)
{
	struct pollfd *fds;
	nfds_t n = 0;
	int rv, count = 0;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if ((fds = calloc((size_t)nfds + 1, sizeof(*fds))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;

		if (rd != NULL && FD_ISSET(fd, rd))
			ev |= POLLIN;
		if (wr != NULL && FD_ISSET(fd, wr))
			ev |= POLLOUT;
		if (ex != NULL && FD_ISSET(fd, ex))
			ev |= POLLPRI;
		if (ev != 0) {
			fds[n].fd = fd;
			fds[n++].events = ev;
		}
	}
	if ((rv = hj_poll(fds, n, timeout, mask)) < 0) {
		free(fds);
		return -1;
	}
	for (nfds_t i = 0; i < n; i++) {
		if (fds[i].revents & POLLNVAL) {
			free(fds);
			errno = EBADF;
			return -1;
		}
	}
	for (nfds_t i = 0; i < n; i++) {
		int fd = fds[i].fd;
		short re = fds[i].revents;

		if (rd != NULL && FD_ISSET(fd, rd)) {
			if (re & (POLLIN | POLLHUP | POLLERR))
				count++;
			else
				FD_CLR(fd, rd);
		}
		if (wr != NULL && FD_ISSET(fd, wr)) {
			if (re & (POLLOUT | POLLERR))
				count++;
			else
				FD_CLR(fd, wr);
		}
		if (ex != NULL && FD_ISSET(fd, ex)) {
			if (re & POLLPRI)
				count++;
			else
				FD_CLR(fd, ex);
		}
	}
	free(fds);
	return count;
}

/* Does any set name a rump descriptor? */
static bool
hj_sets_rump(int nfds, fd_set *rd, fd_set *wr, fd_set *ex)
{
	if (atomic_load(&hj_nrump) == 0)
		return false;
	for (int fd = 0; fd < nfds && fd < FD_SETSIZE; fd++)
		if (((rd != NULL && FD_ISSET(fd, rd)) ||
		    (wr != NULL && FD_ISSET(fd, wr)) ||
		    (ex != NULL && FD_ISSET(fd, ex))) && hj_rumpfd(fd) >= 0)
			return true;
	return false;
}

HJ_EXPORT int
select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
	struct timespec t0, t1;
	long long ms = -1, left;
	int rv;

	if (!hj_sets_rump(nfds, rd, wr, ex))
		return HOST(select)(nfds, rd, wr, ex, tv);
	if (tv != NULL) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 ||
		    tv->tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		ms = (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
		if (ms > 0x7fffffff)
			ms = 0x7fffffff;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rv = hj_select(nfds, rd, wr, ex, (int)ms, NULL);
	if (tv != NULL) {
		/* Linux leaves the time not slept in *tv. */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = (long long)tv->tv_sec * 1000000 + tv->tv_usec -
		    ((long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000);
		if (left < 0)
			left = 0;
		tv->tv_sec = left / 1000000;
		tv->tv_usec = left % 1000000;
	}
	return rv;
}

HJ_EXPORT int
pselect(int nfds, fd_set *rd, fd_set *wr, fd_set *ex,
    const struct timespec *ts, const sigset_t *mask)
{
	int ms;

	if (!hj_sets_rump(nfds, rd, wr, ex))
		return HOST(pselect)(nfds, rd, wr, ex, ts, mask);
	if ((ms = hj_ts2ms(ts)) == -2) {
		errno = EINVAL;
		return -1;
	}
	return hj_select(nfds, rd, wr, ex, ms, mask);
}

/* -------------------------------------------------------------- epoll */

/* A rump descriptor in an epoll set. */
struct hj_epent {
	int			 e_fd;		/* the program's number */
	struct epoll_event	 e_ev;		/* as registered */
	bool			 e_off;		/* EPOLLONESHOT fired */
};

/* The rump side of one host epoll set. */
struct hj_epset {
	struct hj_epset		*es_next;	/* [hj_epmtx] */
	int			 es_epfd;	/* [hj_epmtx] */
	struct hj_epent		*es_ents;	/* [hj_epmtx] */
	unsigned		 es_n;		/* [hj_epmtx] */
};

static pthread_mutex_t hj_epmtx = PTHREAD_MUTEX_INITIALIZER;
static struct hj_epset *hj_epsets;		/* [hj_epmtx] */
static _Atomic int hj_nepsets;			/* sets on the list */

/* Lock held. */
static struct hj_epset *
hj_epset_find(int epfd, bool create)
{
	struct hj_epset *es;

	for (es = hj_epsets; es != NULL; es = es->es_next)
		if (es->es_epfd == epfd)
			return es;
	if (!create || (es = calloc(1, sizeof(*es))) == NULL)
		return NULL;
	es->es_epfd = epfd;
	es->es_next = hj_epsets;
	hj_epsets = es;
	atomic_fetch_add(&hj_nepsets, 1);
	return es;
}

static struct hj_epent *
hj_epent_find(struct hj_epset *es, int fd)
{
	for (unsigned i = 0; i < es->es_n; i++)
		if (es->es_ents[i].e_fd == fd)
			return &es->es_ents[i];
	return NULL;
}

static void
hj_epent_remove(struct hj_epset *es, struct hj_epent *e)
{
	*e = es->es_ents[--es->es_n];
}

void
hj_epoll_forget_fd(int fd)
{
	struct hj_epent *e;

	if (atomic_load(&hj_nepsets) == 0)
		return;
	pthread_mutex_lock(&hj_epmtx);
	for (struct hj_epset *es = hj_epsets; es != NULL; es = es->es_next)
		if ((e = hj_epent_find(es, fd)) != NULL)
			hj_epent_remove(es, e);
	pthread_mutex_unlock(&hj_epmtx);
}

void
hj_epoll_forget_set(int epfd)
{
	struct hj_epset **esp, *es;

	if (atomic_load(&hj_nepsets) == 0)
		return;
	pthread_mutex_lock(&hj_epmtx);
	for (esp = &hj_epsets; (es = *esp) != NULL; esp = &es->es_next) {
		if (es->es_epfd == epfd) {
			*esp = es->es_next;
			free(es->es_ents);
			free(es);
			atomic_fetch_sub(&hj_nepsets, 1);
			break;
		}
	}
	pthread_mutex_unlock(&hj_epmtx);
}

HJ_EXPORT int
epoll_create(int size)
{
	return HOST(epoll_create)(size);
}

HJ_EXPORT int
epoll_create1(int flags)
{
	return HOST(epoll_create1)(flags);
}

/* epoll_ctl for a rump descriptor: the set's list here. */
static int
hj_epoll_ctl_rump(int epfd, int op, int fd, struct epoll_event *ev)
{
	struct hj_epset *es;
	struct hj_epent *e, *n;
	int error = 0;

	/* The set must be a real epoll descriptor. */
	if (HOST(fcntl)(epfd, F_GETFD) < 0)
		return -1;
	if (op != EPOLL_CTL_DEL && ev == NULL) {
		errno = EFAULT;
		return -1;
	}
	pthread_mutex_lock(&hj_epmtx);
	es = hj_epset_find(epfd, op == EPOLL_CTL_ADD);
	e = es != NULL ? hj_epent_find(es, fd) : NULL;
	switch (op) {
	case EPOLL_CTL_ADD:
		if (es == NULL)
			error = ENOMEM;
		else if (e != NULL)
			error = EEXIST;
		else if ((n = realloc(es->es_ents,
		    (es->es_n + 1) * sizeof(*n))) == NULL)
			error = ENOMEM;
		else {
			es->es_ents = n;
			e = &n[es->es_n++];
			e->e_fd = fd;
			e->e_ev = *ev;
			e->e_off = false;
		}
		break;
	case EPOLL_CTL_MOD:
		if (e == NULL)
			error = ENOENT;
		else {
			e->e_ev = *ev;
			e->e_off = false;
		}
		break;
	case EPOLL_CTL_DEL:
		if (e == NULL)
			error = ENOENT;
		else
			hj_epent_remove(es, e);
		break;
	default:
		error = EINVAL;
		break;
	}
	pthread_mutex_unlock(&hj_epmtx);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

HJ_EXPORT int
epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	if (hj_rumpfd(fd) < 0)
		return HOST(epoll_ctl)(epfd, op, fd, ev);
	return hj_epoll_ctl_rump(epfd, op, fd, ev);
}

/*
 * The rump registrations of epfd as pollfds (program numbers), with
 * their events and data in *entsp.  => how many, or -1 (ENOMEM).
 */
static int
hj_epoll_snapshot(int epfd, struct pollfd **fdsp, struct hj_epent **entsp)
{
	struct hj_epset *es;
	int n = 0;

	*fdsp = NULL;
	*entsp = NULL;
	if (atomic_load(&hj_nepsets) == 0)
		return 0;
	pthread_mutex_lock(&hj_epmtx);
	if ((es = hj_epset_find(epfd, false)) != NULL && es->es_n > 0) {
		*fdsp = calloc(es->es_n + 1, sizeof(**fdsp));
		*entsp = calloc(es->es_n, sizeof(**entsp));
		if (*fdsp == NULL || *entsp == NULL) {
			free(*fdsp);
			free(*entsp);
			pthread_mutex_unlock(&hj_epmtx);
			errno = ENOMEM;
			return -1;
		}
		for (unsigned i = 0; i < es->es_n; i++) {
			struct hj_epent *e = &es->es_ents[i];

			if (e->e_off)
				continue;
			(*entsp)[n] = *e;
			(*fdsp)[n].fd = e->e_fd;
			/* EPOLLIN ... EPOLLRDHUP have poll's values. */
			(*fdsp)[n].events = (short)(e->e_ev.events &
			    (EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDHUP));
			n++;
		}
	}
	pthread_mutex_unlock(&hj_epmtx);
	return n;
}

/* A ONESHOT registration fired: off until EPOLL_CTL_MOD. */
static void
hj_epoll_oneshot(int epfd, int fd)
{
	struct hj_epset *es;
	struct hj_epent *e;

	pthread_mutex_lock(&hj_epmtx);
	if ((es = hj_epset_find(epfd, false)) != NULL &&
	    (e = hj_epent_find(es, fd)) != NULL)
		e->e_off = true;
	pthread_mutex_unlock(&hj_epmtx);
}

static int
hj_epoll_wait(int epfd, struct epoll_event *evs, int maxevents,
    int timeout, const sigset_t *mask)
{
	struct hj_epent *ents;
	struct pollfd *fds;
	int nr, n, got = 0;

	if ((nr = hj_epoll_snapshot(epfd, &fds, &ents)) < 0)
		return -1;
	if (nr == 0) {
		free(fds);
		free(ents);
		return HOST(epoll_pwait)(epfd, evs, maxevents, timeout, mask);
	}
	if (maxevents <= 0) {
		free(fds);
		free(ents);
		errno = EINVAL;
		return -1;
	}
	/* The set itself is readable when a host member is ready. */
	fds[nr].fd = epfd;
	fds[nr].events = POLLIN;
	if ((n = hj_poll(fds, (nfds_t)nr + 1, timeout, mask)) < 0) {
		free(fds);
		free(ents);
		return -1;
	}
	if (fds[nr].revents & POLLIN) {
		got = HOST(epoll_wait)(epfd, evs, maxevents, 0);
		if (got < 0)
			got = 0;
	}
	for (int i = 0; i < nr && got < maxevents; i++) {
		if (fds[i].revents == 0)
			continue;
		evs[got].events = (uint32_t)(unsigned short)fds[i].revents;
		evs[got].data = ents[i].e_ev.data;
		got++;
		if (ents[i].e_ev.events & EPOLLONESHOT)
			hj_epoll_oneshot(epfd, ents[i].e_fd);
	}
	free(fds);
	free(ents);
	return got;
}

HJ_EXPORT int
epoll_wait(int epfd, struct epoll_event *evs, int maxevents, int timeout)
{
	return hj_epoll_wait(epfd, evs, maxevents, timeout, NULL);
}

HJ_EXPORT int
epoll_pwait(int epfd, struct epoll_event *evs, int maxevents, int timeout,
    const sigset_t *mask)
{
	return hj_epoll_wait(epfd, evs, maxevents, timeout, mask);
}
