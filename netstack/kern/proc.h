/*
 * proc.h -- kernel processes, descriptor tables and the system calls.
 *
 * A struct proc is one process as the kernel sees it: a descriptor
 * table inside one netstack instance.  The process that booted the
 * kernel with rump_init() has one (the local process); rump_server
 * creates one per client connection, so every client has descriptors of
 * its own and loses them all when it goes away (proc_destroy).
 *
 * A thread says which process it is running for through its "lwp", the
 * opaque per-thread pointer of rumpuser_curlwp(): proc_setcurrent().
 * The rump_sys_* entry points use the current process, or the local
 * process of rump_init()'s instance when the thread has none.
 *
 * The ksys_* calls below are the system calls themselves, for a chosen
 * process: they take the kernel lock, return 0 or an errno value (the
 * host's, i.e. Linux's numbers) and pass results through pointers.  The
 * rump_sys_* wrappers translate that into -1/errno.  User memory is the
 * caller's memory: the kernel reads and writes it directly, and checks
 * only what can be checked (NULL pointers give EFAULT, like Linux).
 *
 * Structure layouts and constants below are Linux's (x86-64 and other
 * LP64 targets with glibc); tests/unit/test_socket.c asserts that they
 * match the host's headers.
 */
#ifndef _NETSTACK_KERN_PROC_H_
#define _NETSTACK_KERN_PROC_H_

#include "netstack/kern/netstack.h"

struct proc;

/* What a thread's rumpuser_curlwp() points at. */
struct lwp {
	struct proc	*l_proc;	/* [I] */
	struct netstack	*l_ns;		/* [I] l_proc's instance */
	bool		 l_intr;	/* [K] calls of this thread: EINTR */
};

/*
 * A thread of its own for process p (rump_server gives every client
 * connection one, so that several connections can serve one process
 * and each can be interrupted alone): l is filled for p and can be
 * passed to rumpuser_curlwp_set() through proc_setlwp().
 */
void proc_lwp_init(struct lwp *l, struct proc *p);
void proc_setlwp(struct lwp *l);
/*
 * Interrupt l's calls: a sleeping one returns EINTR now, and so do all
 * later sleeps until proc_lwp_clear().  Lock not held; any thread.
 */
void proc_lwp_interrupt(struct lwp *l);
void proc_lwp_clear(struct lwp *l);

/* Descriptors per process (RLIMIT_NOFILE); beyond it: EMFILE. */
#define PROC_MAXFILES	1024

/*
 * Create a process with an empty descriptor table.  Lock not held.
 * => 0 and *pp, or an errno.
 */
int proc_create(struct netstack *ns, struct proc **pp);
/*
 * Destroy a process as if it had exited: calls of its other threads
 * that are blocked in the kernel return EINTR, and once none is left
 * every descriptor is closed and the process freed.  Lock not held; not
 * from a system call of p itself.  Threads must not use p as their
 * current process afterwards.
 */
void proc_destroy(struct proc *p);
struct netstack *proc_netstack(const struct proc *p);
/*
 * fork(): a new process whose descriptor table is a copy of parent's,
 * each descriptor (with its close-on-exec flag) referring to the same
 * open socket as in the parent.  Lock not held.  => 0 and *childp, or
 * an errno (EINTR if the parent is dying).
 */
int proc_fork(struct proc *parent, struct proc **childp);
/* Open descriptors of p (lock not held). */
unsigned proc_nfiles(struct proc *p);

/* Make p the calling thread's current process (NULL: none). */
void proc_setcurrent(struct proc *p);
/* The calling thread's current process, or NULL. */
struct proc *proc_current(void);

/*
 * The process's default instance and its local process, created by
 * rump_init() (netstack/kern/rump.c).  NULL before rump_init().
 */
struct netstack *rump_netstack(void);
struct proc *rump_localproc(void);

/*
 * Non-socket descriptors.  A kernel subsystem may install a descriptor
 * of its own type; socket calls on it fail with ENOTSOCK, read and
 * write with EINVAL, ioctl with ENOTTY.  fo_poll may be NULL (never
 * ready).  fo_close runs when the last descriptor referring to it is
 * closed.  All with the kernel lock held.
 */
struct fileops {
	const char	*fo_name;
	int		(*fo_poll)(void *data, int events);
	void		(*fo_close)(void *data);
};
/* => 0 and *fdp, or EMFILE.  Lock not held. */
int fd_install(struct proc *p, const struct fileops *fo, void *data,
    int *fdp);

/* ------------------------------------------------------------ the ABI */

typedef uint32_t ksocklen_t;

struct kiovec {
	void		*iov_base;
	size_t		 iov_len;
};

struct kmsghdr {
	void		*msg_name;
	ksocklen_t	 msg_namelen;
	struct kiovec	*msg_iov;
	size_t		 msg_iovlen;
	void		*msg_control;
	size_t		 msg_controllen;
	int		 msg_flags;
};

struct kpollfd {
	int		 fd;
	short		 events;
	short		 revents;
};

struct ktimeval {
	long		 tv_sec;
	long		 tv_usec;
};

struct klinger {
	int		 l_onoff;
	int		 l_linger;
};

#define KPOLLIN		0x0001
#define KPOLLPRI	0x0002
#define KPOLLOUT	0x0004
#define KPOLLERR	0x0008
#define KPOLLHUP	0x0010
#define KPOLLNVAL	0x0020
#define KPOLLRDNORM	0x0040
#define KPOLLRDBAND	0x0080
#define KPOLLWRNORM	0x0100
#define KPOLLWRBAND	0x0200
#define KPOLLRDHUP	0x2000

#define KF_DUPFD	0
#define KF_GETFD	1
#define KF_SETFD	2
#define KF_GETFL	3
#define KF_SETFL	4
#define KF_DUPFD_CLOEXEC 1030
#define KFD_CLOEXEC	1
#define KO_RDWR		0x2
#define KO_NONBLOCK	0x800
#define KO_CLOEXEC	0x80000

#define KFIONREAD	0x541b
#define KFIONBIO	0x5421

#define KUIO_MAXIOV	1024		/* iovecs per call (UIO_MAXIOV) */
#define KMAX_RW_COUNT	0x7ffff000u	/* bytes per call, as Linux */

/* --------------------------------------------------------- system calls */

int ksys_socket(struct proc *p, int domain, int type, int protocol,
    int *fdp);
int ksys_bind(struct proc *p, int fd, const void *addr, ksocklen_t addrlen);
int ksys_listen(struct proc *p, int fd, int backlog);
int ksys_accept4(struct proc *p, int fd, void *addr, ksocklen_t *addrlenp,
    int flags, int *fdp);
int ksys_connect(struct proc *p, int fd, const void *addr,
    ksocklen_t addrlen);
int ksys_shutdown(struct proc *p, int fd, int how);
int ksys_close(struct proc *p, int fd);

int ksys_sendto(struct proc *p, int fd, const void *buf, size_t len,
    int flags, const void *to, ksocklen_t tolen, size_t *donep);
int ksys_sendmsg(struct proc *p, int fd, const struct kmsghdr *msg,
    int flags, size_t *donep);
int ksys_recvfrom(struct proc *p, int fd, void *buf, size_t len, int flags,
    void *from, ksocklen_t *fromlenp, size_t *donep);
int ksys_recvmsg(struct proc *p, int fd, struct kmsghdr *msg, int flags,
    size_t *donep);
int ksys_read(struct proc *p, int fd, void *buf, size_t len, size_t *donep);
int ksys_write(struct proc *p, int fd, const void *buf, size_t len,
    size_t *donep);
int ksys_readv(struct proc *p, int fd, const struct kiovec *iov, int iovcnt,
    size_t *donep);
int ksys_writev(struct proc *p, int fd, const struct kiovec *iov,
    int iovcnt, size_t *donep);

/* timeout in ms, < 0 forever.  => 0 and *nreadyp. */
int ksys_poll(struct proc *p, struct kpollfd *fds, unsigned long nfds,
    int timeout, int *nreadyp);

int ksys_getsockopt(struct proc *p, int fd, int level, int name, void *val,
    ksocklen_t *lenp);
int ksys_setsockopt(struct proc *p, int fd, int level, int name,
    const void *val, ksocklen_t len);
int ksys_getsockname(struct proc *p, int fd, void *addr, ksocklen_t *lenp);
int ksys_getpeername(struct proc *p, int fd, void *addr, ksocklen_t *lenp);

/* FIONBIO and FIONREAD here; every other request goes to ifioctl(). */
int ksys_ioctl(struct proc *p, int fd, unsigned long cmd, void *data);
/* => 0 and *retvalp (the new descriptor, or the flags asked for). */
int ksys_fcntl(struct proc *p, int fd, int cmd, long arg, int *retvalp);
int ksys_dup(struct proc *p, int fd, int *fdp);
int ksys_dup2(struct proc *p, int fd, int newfd, int *fdp);
int ksys_dup3(struct proc *p, int fd, int newfd, int flags, int *fdp);

/*
 * The sysctl tree of p's instance.  sysctlbyname reads (oldp, *oldlenp)
 * and/or writes (newp, newlen) one node (see sysctl_byname).
 * sysctlnext returns the first node named after 'prev' ("" or NULL: the
 * first) that lies under 'prefix' ("" or NULL: anywhere): its name in
 * namebuf and its type in *typep (KSYSCTL_TYPE_* | KSYSCTL_WRITABLE).
 * => ENOENT past the last node, ENOMEM if namebuf is too short.
 */
#define KSYSCTL_TYPE_INT	0	/* int32_t */
#define KSYSCTL_TYPE_QUAD	1	/* uint64_t */
#define KSYSCTL_TYPE_STRING	2	/* NUL-terminated */
#define KSYSCTL_TYPEMASK	0xff
#define KSYSCTL_WRITABLE	0x100
int ksys_sysctlbyname(struct proc *p, const char *name, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen);
int ksys_sysctlnext(struct proc *p, const char *prefix, const char *prev,
    char *namebuf, size_t namelen, int *typep);

#endif /* _NETSTACK_KERN_PROC_H_ */
