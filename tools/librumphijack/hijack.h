/*
 * hijack.h -- librumphijack's internals, shared by its source files.
 *
 * The program sees host descriptor numbers only.  A rump socket is
 * represented on the host by a placeholder (an open of /dev/null) at
 * the number the program sees, so that the number can never also be a
 * host descriptor, and so that dup2(), close() and exec() keep their
 * meaning for it on the host side; hj_fdmap says which rump descriptor
 * stands behind it.  The placeholder's close-on-exec flag is the
 * descriptor's.
 */
#ifndef _TOOLS_LIBRUMPHIJACK_HIJACK_H_
#define _TOOLS_LIBRUMPHIJACK_HIJACK_H_

#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#define HJ_EXPORT	__attribute__((__visibility__("default")))
#define HJ_UNPAREN(...)	__VA_ARGS__

/* The next definition of name (the host's); aborts if there is none. */
void	*hj_dlnext(const char *name);

/*
 * The host's functions: hj_host_<name>, resolved on first use (a call
 * may come before our constructor ran), reached as HOST(name).  The
 * fortified entry points get prototypes here: the C library declares
 * them only for fortified builds.
 */
#define HJ_HOSTFN(name)							\
static inline __typeof__(hj_host_##name)				\
hj_hostfn_##name(void)							\
{									\
	__typeof__(hj_host_##name) f =					\
	    __atomic_load_n(&hj_host_##name, __ATOMIC_RELAXED);		\
									\
	if (f == NULL) {						\
		f = (__typeof__(f))hj_dlnext(#name);			\
		__atomic_store_n(&hj_host_##name, f, __ATOMIC_RELAXED);	\
	}								\
	return f;							\
}
#define HJ_FD(ret, name, params, args)					\
	extern ret (*hj_host_##name)(int, HJ_UNPAREN params);		\
	HJ_HOSTFN(name)
#define HJ_FDW(ret, name, params, args, nosignal)			\
	HJ_FD(ret, name, params, args)
#define HJ_OWN(ret, name, params)					\
	extern ret (*hj_host_##name) params;				\
	ret name params;						\
	HJ_HOSTFN(name)
#include "tools/librumphijack/hijack_calls.def"
#undef HJ_FD
#undef HJ_FDW
#undef HJ_OWN
#define HOST(name)	(hj_hostfn_##name())

/* Placeholder numbers the map covers; a larger one is refused. */
#define HJ_MAXFD	65536

/* [atomic] rump descriptor + 1 behind each host number; 0: host's own. */
extern _Atomic int hj_fdmap[HJ_MAXFD];
/* [atomic] how many entries of hj_fdmap are in use. */
extern _Atomic int hj_nrump;

/* The rump descriptor behind fd, or -1 for a host descriptor. */
static inline int
hj_rumpfd(int fd)
{
	if (fd < 0 || fd >= HJ_MAXFD)
		return -1;
	return atomic_load_explicit(&hj_fdmap[fd], memory_order_relaxed) - 1;
}

/*
 * Give rump descriptor rfd a host number: a new placeholder (lowest
 * free number, close-on-exec if cloexec).  => the number, or -1 with
 * errno (the rump descriptor is closed then).
 */
int	hj_install(int rfd, bool cloexec);
/* Record rfd behind host number fd (a placeholder already there). */
void	hj_map(int fd, int rfd);
/* Forget fd's rump descriptor and close it there.  => as close. */
int	hj_unmap_close(int fd);

/* epoll sets: forget a rump descriptor being closed; forget a set. */
void	hj_epoll_forget_fd(int fd);
void	hj_epoll_forget_set(int epfd);

/*
 * poll over any mix of host and rump descriptors (hijack_poll.c):
 * timeout in ms (< 0: forever); mask as ppoll's (NULL: none).
 */
int	hj_poll(struct pollfd *fds, nfds_t nfds, int timeout,
	    const sigset_t *mask);

/* Exec hand-over (hijack_proc.c): restore what a previous program of
 * this process left in the environment. */
void	hj_exec_restore(void);

/* Say something on stderr, prefixed "rumphijack: ". */
void	hj_say(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

#endif /* _TOOLS_LIBRUMPHIJACK_HIJACK_H_ */
