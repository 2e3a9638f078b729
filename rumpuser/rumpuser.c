/*
 * rumpuser.c -- POSIX/Linux implementation of the hypercall layer.
 * This is the only file set in the kernel's link that calls libc,
 * pthreads and the Linux system calls.
 */
#include "config.h"

#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser/rumpuser.h"

#define NOFAIL(what, rv)                                                  \
	do {                                                              \
		int nofail_rv_ = (rv);                                    \
		if (nofail_rv_ != 0) {                                    \
			fprintf(stderr, "rumpuser: %s failed: %s\n",      \
			    (what), strerror(nofail_rv_));                \
			abort();                                          \
		}                                                         \
	} while (0)

int
rumpuser_init(int version)
{
	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser: kernel wants hypercall version %d, "
		    "this host layer is version %d\n", version,
		    RUMPUSER_VERSION);
		return ENOTSUP;
	}
	return 0;
}

/* ---------------------------------------------------------------- memory */

int
rumpuser_malloc(size_t len, size_t align, void **memp)
{
	void *p;

	if (align > sizeof(void *)) {
		int rv = posix_memalign(&p, align, len ? len : 1);
		if (rv != 0)
			return rv;
	} else {
		p = malloc(len ? len : 1);
		if (p == NULL)
			return ENOMEM;
	}
	*memp = p;
	return 0;
}

void
rumpuser_free(void *mem, size_t len)
{
	(void)len;
	free(mem);
}

/* --------------------------------------------------------------- threads */

struct rumpuser_thread {
	pthread_t	rt_thread;
};

int
rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    struct rumpuser_thread **thrp)
{
	struct rumpuser_thread *thr;
	int rv;

	thr = malloc(sizeof(*thr));
	if (thr == NULL)
		return ENOMEM;
	rv = pthread_create(&thr->rt_thread, NULL, fn, arg);
	if (rv != 0) {
		free(thr);
		return rv;
	}
	if (name != NULL) {
		char shortname[16];
		snprintf(shortname, sizeof(shortname), "%s", name);
		(void)pthread_setname_np(thr->rt_thread, shortname);
	}
	*thrp = thr;
	return 0;
}

int
rumpuser_thread_join(struct rumpuser_thread *thr)
{
	int rv = pthread_join(thr->rt_thread, NULL);
	free(thr);
	return rv;
}

static __thread void *rumpuser_lwp;

void
rumpuser_curlwp_set(void *lwp)
{
	rumpuser_lwp = lwp;
}

void *
rumpuser_curlwp(void)
{
	return rumpuser_lwp;
}

static __thread char rumpuser_selfmark;

uintptr_t
rumpuser_thread_self(void)
{
	return (uintptr_t)&rumpuser_selfmark;
}

/* ----------------------------------------------------------------- locks */

struct rumpuser_mtx {
	pthread_mutex_t	rm_mtx;
};

struct rumpuser_rw {
	pthread_rwlock_t rr_rw;
};

struct rumpuser_cv {
	pthread_cond_t	rc_cv;
};

int
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	pthread_mutexattr_t att;
	struct rumpuser_mtx *mtx;

	mtx = malloc(sizeof(*mtx));
	if (mtx == NULL)
		return ENOMEM;
	NOFAIL("pthread_mutexattr_init", pthread_mutexattr_init(&att));
	NOFAIL("pthread_mutexattr_settype", pthread_mutexattr_settype(&att,
	    (flags & RUMPUSER_MTX_RECURSIVE) ? PTHREAD_MUTEX_RECURSIVE
	    : PTHREAD_MUTEX_ERRORCHECK));
	NOFAIL("pthread_mutex_init", pthread_mutex_init(&mtx->rm_mtx, &att));
	pthread_mutexattr_destroy(&att);
	*mtxp = mtx;
	return 0;
}

void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	NOFAIL("pthread_mutex_lock", pthread_mutex_lock(&mtx->rm_mtx));
}

int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	return pthread_mutex_trylock(&mtx->rm_mtx);
}

void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{
	NOFAIL("pthread_mutex_unlock", pthread_mutex_unlock(&mtx->rm_mtx));
}

void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{
	NOFAIL("pthread_mutex_destroy", pthread_mutex_destroy(&mtx->rm_mtx));
	free(mtx);
}

int
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;

	rw = malloc(sizeof(*rw));
	if (rw == NULL)
		return ENOMEM;
	NOFAIL("pthread_rwlock_init", pthread_rwlock_init(&rw->rr_rw, NULL));
	*rwp = rw;
	return 0;
}

void
rumpuser_rw_enter(struct rumpuser_rw *rw, enum rumpuser_rwop op)
{
	if (op == RUMPUSER_RW_WRITER)
		NOFAIL("pthread_rwlock_wrlock", pthread_rwlock_wrlock(&rw->rr_rw));
	else
		NOFAIL("pthread_rwlock_rdlock", pthread_rwlock_rdlock(&rw->rr_rw));
}

int
rumpuser_rw_tryenter(struct rumpuser_rw *rw, enum rumpuser_rwop op)
{
	if (op == RUMPUSER_RW_WRITER)
		return pthread_rwlock_trywrlock(&rw->rr_rw);
	return pthread_rwlock_tryrdlock(&rw->rr_rw);
}

void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{
	NOFAIL("pthread_rwlock_unlock", pthread_rwlock_unlock(&rw->rr_rw));
}

void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{
	NOFAIL("pthread_rwlock_destroy", pthread_rwlock_destroy(&rw->rr_rw));
	free(rw);
}

int
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	pthread_condattr_t att;
	struct rumpuser_cv *cv;

	cv = malloc(sizeof(*cv));
	if (cv == NULL)
		return ENOMEM;
	NOFAIL("pthread_condattr_init", pthread_condattr_init(&att));
	NOFAIL("pthread_condattr_setclock",
	    pthread_condattr_setclock(&att, CLOCK_MONOTONIC));
	NOFAIL("pthread_cond_init", pthread_cond_init(&cv->rc_cv, &att));
	pthread_condattr_destroy(&att);
	*cvp = cv;
	return 0;
}

void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{
	NOFAIL("pthread_cond_destroy", pthread_cond_destroy(&cv->rc_cv));
	free(cv);
}

void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	NOFAIL("pthread_cond_wait", pthread_cond_wait(&cv->rc_cv, &mtx->rm_mtx));
}

int
rumpuser_cv_timedwait_abs(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    uint64_t abs_ns)
{
	struct timespec ts;
	int rv;

	ts.tv_sec = (time_t)(abs_ns / 1000000000ull);
	ts.tv_nsec = (long)(abs_ns % 1000000000ull);
	rv = pthread_cond_timedwait(&cv->rc_cv, &mtx->rm_mtx, &ts);
	if (rv != 0 && rv != ETIMEDOUT)
		NOFAIL("pthread_cond_timedwait", rv);
	return rv;
}

void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{
	NOFAIL("pthread_cond_signal", pthread_cond_signal(&cv->rc_cv));
}

void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{
	NOFAIL("pthread_cond_broadcast", pthread_cond_broadcast(&cv->rc_cv));
}

/* ---------------------------------------------------------------- clocks */

uint64_t
rumpuser_clock_now(enum rumpuser_clock which)
{
	struct timespec ts;

	NOFAIL("clock_gettime", clock_gettime(which == RUMPUSER_CLOCK_MONO ?
	    CLOCK_MONOTONIC : CLOCK_REALTIME, &ts) == 0 ? 0 : errno);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void
rumpuser_clock_sleep(uint64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* ------------------------------------------------- parameters and random */

int
rumpuser_getparam(const char *name, char *buf, size_t blen)
{
	const char *v;

	if (name == NULL || name[0] == '_')
		return EINVAL;
	v = getenv(name);
	if (v == NULL)
		return ENOENT;
	if (strlen(v) + 1 > blen)
		return E2BIG;
	memcpy(buf, v, strlen(v) + 1);
	return 0;
}

void
rumpuser_getrandom(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			NOFAIL("getrandom", errno);
		}
		p += n;
		len -= (size_t)n;
	}
}

/* ----------------------------------------------------------------- files */

int
rumpuser_open(const char *path, int flags, int *fdp)
{
	int oflags = O_CLOEXEC;
	int fd;

	oflags |= (flags & RUMPUSER_OPEN_RDWR) ? O_RDWR : O_RDONLY;
	if (flags & RUMPUSER_OPEN_CREATE)
		oflags |= O_CREAT;
	fd = open(path, oflags, 0644);
	if (fd == -1)
		return errno;
	*fdp = fd;
	return 0;
}

int
rumpuser_close(int fd)
{
	return close(fd) == 0 ? 0 : errno;
}

int
rumpuser_pread(int fd, void *buf, size_t len, uint64_t off, size_t *donep)
{
	ssize_t n;

	do
		n = pread(fd, buf, len, (off_t)off);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno;
	if (donep != NULL)
		*donep = (size_t)n;
	return 0;
}

int
rumpuser_pwrite(int fd, const void *buf, size_t len, uint64_t off,
    size_t *donep)
{
	ssize_t n;

	do
		n = pwrite(fd, buf, len, (off_t)off);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno;
	if (donep != NULL)
		*donep = (size_t)n;
	return 0;
}

int
rumpuser_ftruncate(int fd, uint64_t len)
{
	return ftruncate(fd, (off_t)len) == 0 ? 0 : errno;
}

int
rumpuser_filesize(int fd, uint64_t *sizep)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1)
		return errno;
	*sizep = (uint64_t)sb.st_size;
	return 0;
}

int
rumpuser_filemmap(int fd, size_t len, void **memp)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return errno;
	*memp = p;
	return 0;
}

void
rumpuser_unmap(void *mem, size_t len)
{
	munmap(mem, len);
}

int
rumpuser_fdpath(int fd, char *buf, size_t blen)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, blen - 1);
	if (n < 0)
		return errno;
	if ((size_t)n >= blen - 1)
		return ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

/* ------------------------------------------------------- watch and wait */

/*
 * Linux: an inotify IN_MODIFY watch on the file.  Writes through the
 * mapping raise no event; the shmif wakeup write (4 bytes at offset 4
 * through the descriptor) does.  The inotify descriptor is non-blocking
 * and waited on with poll() so that a timeout is possible.
 *
 * inotify instances are a per-user resource (fs.inotify.max_user_instances,
 * 128 by default, shared with every other program of the user), and each
 * watch holds one.  When none is left -- or RUMP_SHMIF_WATCH=futex asks
 * for it -- the watch waits on a futex at a word of the shared mapping
 * instead: the caller says which word and what it last saw there, and
 * writers wake it with rumpuser_watch_wake() after their wakeup write.
 * A futex on a shared file mapping is keyed by file and offset, so it
 * works between processes that map the bus independently.  Writers that
 * only do the wakeup write (NetBSD's) do not wake a futex watch: its
 * waits end by their timeout, which the caller keeps short for a while
 * when it sees that happen (shmif/if_shmif.c).
 */
struct rumpuser_watch {
	int		 rw_ifd;	/* inotify descriptor, or -1: futex */
	const uint32_t	*rw_word;	/* the futex word in the mapping */
};

/* RUMP_SHMIF_WATCH. */
enum watch_mode {
	WATCH_UNSET,
	WATCH_AUTO,	/* inotify; a futex when no inotify is left */
	WATCH_INOTIFY,	/* inotify only, and no futex wakes: as NetBSD */
	WATCH_FUTEX,	/* a futex always */
};

/* Read at every watch setup (rare), so a change is seen. */
static enum watch_mode
watch_mode(void)
{
	static int warned;
	const char *v = getenv("RUMP_SHMIF_WATCH");

	if (v == NULL || *v == '\0' || strcmp(v, "auto") == 0)
		return WATCH_AUTO;
	if (strcmp(v, "inotify") == 0)
		return WATCH_INOTIFY;
	if (strcmp(v, "futex") == 0)
		return WATCH_FUTEX;
	if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
		fprintf(stderr, "rumpnet: RUMP_SHMIF_WATCH=%s: want auto, "
		    "inotify or futex; using auto\n", v);
	return WATCH_AUTO;
}

/* For the wake path: read once per process. */
static enum watch_mode
watch_mode_cached(void)
{
	static int mode = WATCH_UNSET;
	int m = __atomic_load_n(&mode, __ATOMIC_RELAXED);

	if (m == WATCH_UNSET) {
		m = watch_mode();
		__atomic_store_n(&mode, m, __ATOMIC_RELAXED);
	}
	return (enum watch_mode)m;
}

/*
 * Say once per process that inotify ran out, and what to raise -- if
 * RUMP_VERBOSE is set (rump_server -v sets it): nothing fails, and a
 * script starting 200 nodes does not want 200 such lines.  The shmif
 * counters (futexwaits) tell the same to whoever asks.
 */
static void
watch_note_fallback(int error)
{
	static int said;
	const char *v = getenv("RUMP_VERBOSE");

	if (v == NULL || *v == '\0' || strcmp(v, "0") == 0)
		return;
	if (__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "rumpnet: no inotify %s left (%s); shmif waits on "
	    "a futex in the bus instead (raise fs.inotify.%s to avoid "
	    "this)\n", error == ENOSPC ? "watch" : "instance",
	    strerror(error), error == ENOSPC ? "max_user_watches" :
	    "max_user_instances");
}

static int
watch_inotify(int fd, int *ifdp)
{
	char path[4096];
	int ifd, rv;

	if ((rv = rumpuser_fdpath(fd, path, sizeof(path))) != 0)
		return rv;
	if ((ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return errno;
	if (inotify_add_watch(ifd, path, IN_MODIFY) == -1) {
		rv = errno;
		close(ifd);
		return rv;
	}
	*ifdp = ifd;
	return 0;
}

int
rumpuser_watch_setup(int fd, const uint32_t *word,
    struct rumpuser_watch **wp)
{
	struct rumpuser_watch *w;
	enum watch_mode mode;
	int ifd = -1, rv;

	if (word == NULL || ((uintptr_t)word & 3) != 0)
		return EINVAL;
	mode = watch_mode();
	if (mode != WATCH_FUTEX) {
		rv = watch_inotify(fd, &ifd);
		if (mode == WATCH_AUTO && (rv == EMFILE ||
		    rv == ENFILE || rv == ENOSPC || rv == ENOMEM))
			watch_note_fallback(rv);
		else if (rv != 0)
			return rv;
	}
	if ((w = malloc(sizeof(*w))) == NULL) {
		if (ifd != -1)
			close(ifd);
		return ENOMEM;
	}
	w->rw_ifd = ifd;
	w->rw_word = word;
	*wp = w;
	return 0;
}

bool
rumpuser_watch_isfutex(const struct rumpuser_watch *w)
{
	return w->rw_ifd == -1;
}

static int
watch_futex_wait(struct rumpuser_watch *w, uint32_t seen, int timeout_ms)
{
	struct timespec ts, *tsp = NULL;
	long rv;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	/* Not FUTEX_PRIVATE_FLAG: other processes map the same file. */
	rv = syscall(SYS_futex, w->rw_word, FUTEX_WAIT, seen, tsp, NULL, 0);
	if (rv == 0)
		return 0;
	switch (errno) {
	case EAGAIN:		/* the word moved on already */
	case EINTR:
		return 0;
	case ETIMEDOUT:
		return ETIMEDOUT;
	default:
		return errno;
	}
}

int
rumpuser_watch_wait(struct rumpuser_watch *w, uint32_t seen, int timeout_ms)
{
	char buf[4096] __attribute__((aligned(8)));
	struct pollfd pfd;
	ssize_t n;
	int rv;

	if (w->rw_ifd == -1)
		return watch_futex_wait(w, seen, timeout_ms);
	/* Drain what is queued: any event means "written since last wait". */
	n = read(w->rw_ifd, buf, sizeof(buf));
	if (n > 0)
		return 0;
	pfd.fd = w->rw_ifd;
	pfd.events = POLLIN;
	do
		rv = poll(&pfd, 1, timeout_ms);
	while (rv == -1 && errno == EINTR);
	if (rv == -1)
		return errno;
	if (rv == 0)
		return ETIMEDOUT;
	while (read(w->rw_ifd, buf, sizeof(buf)) > 0)
		continue;
	return 0;
}

void
rumpuser_watch_wake(const uint32_t *word)
{
	/* Every waiter; a futex word nobody waits on costs one lookup. */
	if (watch_mode_cached() == WATCH_INOTIFY)
		return;
	(void)syscall(SYS_futex, word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

void
rumpuser_watch_destroy(struct rumpuser_watch *w)
{
	if (w->rw_ifd != -1)
		close(w->rw_ifd);
	free(w);
}

/* --------------------------------------------------------------- console */

void
rumpuser_putstr(const char *s)
{
	fputs(s, stderr);
}

int
rumpuser_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	return vsnprintf(buf, len, fmt, ap);
}

void
rumpuser_dprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void
rumpuser_seterrno(int error)
{
	errno = error;
}

void
rumpuser_panic(const char *msg)
{
	fprintf(stderr, "panic: %s\n", msg);
	abort();
}
