/*
 * rumpuser.h -- the complete list of what a rumpnet kernel may ask of the
 * host.  Everything under netstack/ and the kernel halves of the drivers
 * reach the operating system only through the functions declared here
 * (a CI check on the object files enforces it).
 *
 * Conventions:
 *  - Every call that can fail returns 0 or a positive errno value (host
 *    numbering, which is also the kernel's: the syscall ABI is Linux's).
 *  - Handles are opaque.
 *  - rumpuser_init() must be called first with RUMPUSER_VERSION; a
 *    mismatch is refused with EPROGMISMATCH-like ENOTSUP.
 *  - Calls that may block for a long time (cv waits, sleeps, watch waits)
 *    do not know about the kernel lock: the caller releases it first (see
 *    netstack/kern/klock.h, "blocking is negotiated, not hidden").
 */
#ifndef _RUMPUSER_RUMPUSER_H_
#define _RUMPUSER_RUMPUSER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define RUMPUSER_VERSION 1

int rumpuser_init(int version);

/* Memory.  align must be 0 or a power of two. */
int rumpuser_malloc(size_t len, size_t align, void **memp);
void rumpuser_free(void *mem, size_t len);

/* Threads. */
struct rumpuser_thread;
int rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    struct rumpuser_thread **thrp);
int rumpuser_thread_join(struct rumpuser_thread *thr);
/* Opaque per-thread pointer: the kernel stores its current "lwp" here. */
void rumpuser_curlwp_set(void *lwp);
void *rumpuser_curlwp(void);
/* A non-zero value unique to the calling thread while it lives. */
uintptr_t rumpuser_thread_self(void);

/* Mutexes (error-checking), reader/writer locks, condition variables. */
struct rumpuser_mtx;
struct rumpuser_rw;
struct rumpuser_cv;
#define RUMPUSER_MTX_RECURSIVE 0x01
int rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
void rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
int rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);

enum rumpuser_rwop { RUMPUSER_RW_READER, RUMPUSER_RW_WRITER };
int rumpuser_rw_init(struct rumpuser_rw **rwp);
void rumpuser_rw_enter(struct rumpuser_rw *rw, enum rumpuser_rwop op);
int rumpuser_rw_tryenter(struct rumpuser_rw *rw, enum rumpuser_rwop op);
void rumpuser_rw_exit(struct rumpuser_rw *rw);
void rumpuser_rw_destroy(struct rumpuser_rw *rw);

int rumpuser_cv_init(struct rumpuser_cv **cvp);
void rumpuser_cv_destroy(struct rumpuser_cv *cv);
void rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/* Wait at most until the absolute monotonic time abs_ns.  => 0 or ETIMEDOUT */
int rumpuser_cv_timedwait_abs(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    uint64_t abs_ns);
void rumpuser_cv_signal(struct rumpuser_cv *cv);
void rumpuser_cv_broadcast(struct rumpuser_cv *cv);

/* Clocks, in nanoseconds.  MONO never goes back; WALL is the epoch time. */
enum rumpuser_clock { RUMPUSER_CLOCK_MONO, RUMPUSER_CLOCK_WALL };
uint64_t rumpuser_clock_now(enum rumpuser_clock which);
void rumpuser_clock_sleep(uint64_t ns);

/*
 * Parameters: environment variables on POSIX hosts.
 * => 0 and a NUL-terminated copy in buf, ENOENT if unset, E2BIG if the
 *    value does not fit.
 */
int rumpuser_getparam(const char *name, char *buf, size_t blen);

/* Random bytes (non-blocking, never fails on Linux >= 3.17). */
void rumpuser_getrandom(void *buf, size_t len);

/* Files.  Flags below, not the host's O_*. */
#define RUMPUSER_OPEN_RDONLY 0x0
#define RUMPUSER_OPEN_RDWR   0x1
#define RUMPUSER_OPEN_CREATE 0x2
int rumpuser_open(const char *path, int flags, int *fdp);
int rumpuser_close(int fd);
int rumpuser_pread(int fd, void *buf, size_t len, uint64_t off, size_t *donep);
int rumpuser_pwrite(int fd, const void *buf, size_t len, uint64_t off,
    size_t *donep);
int rumpuser_ftruncate(int fd, uint64_t len);
int rumpuser_filesize(int fd, uint64_t *sizep);
/* Shared read/write mapping of [0, len) of fd. */
int rumpuser_filemmap(int fd, size_t len, void **memp);
void rumpuser_unmap(void *mem, size_t len);
/* Resolve the path an fd was opened with (for messages and linkstr). */
int rumpuser_fdpath(int fd, char *buf, size_t blen);

/*
 * Watch-and-wait on a file (the shmif bus wakeup): returns once the file
 * was written through a descriptor (not through a mapping) since the last
 * wait, or after timeout_ms (<0: no timeout).  Spurious returns are
 * allowed; callers re-check their condition.
 *
 * word is a 4-aligned word of a shared mapping of the file that changes
 * whenever there is something new (shmif: shm_last).  When the host has
 * no file watch to spare, the watch waits on that word instead: a wait
 * then returns when the word differs from seen, when a writer calls
 * rumpuser_watch_wake(word), or on timeout.  Writers call
 * rumpuser_watch_wake() after every wakeup write, so both kinds of
 * watch see them.  RUMP_SHMIF_WATCH chooses: auto (the default, as
 * above), futex (always the futex), inotify (never; no futex wakes
 * either, as a NetBSD node behaves).
 * => 0 on a write event, ETIMEDOUT, or an errno.
 */
struct rumpuser_watch;
int rumpuser_watch_setup(int fd, const uint32_t *word,
    struct rumpuser_watch **wp);
int rumpuser_watch_wait(struct rumpuser_watch *w, uint32_t seen,
    int timeout_ms);
bool rumpuser_watch_isfutex(const struct rumpuser_watch *w);
void rumpuser_watch_wake(const uint32_t *word);
void rumpuser_watch_destroy(struct rumpuser_watch *w);

/* Console output (diagnostics); never used on a data path. */
void rumpuser_putstr(const char *s);
int rumpuser_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
void rumpuser_dprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Set the host errno of the calling thread (syscall return path). */
void rumpuser_seterrno(int error);

/* Abort the process after printing msg: for "cannot happen" failures. */
void rumpuser_panic(const char *msg) __attribute__((noreturn));

#endif /* _RUMPUSER_RUMPUSER_H_ */
