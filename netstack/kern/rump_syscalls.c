/*
 * rump_syscalls.c -- the public rump_sys_* calls of a kernel booted in
 * this process: each finds the calling thread's process (its current
 * one, else the local process of rump_init()), runs the ksys_* call and
 * turns an error into -1 with errno set.
 *
 * The public prototypes (include/rumpnet/rump_syscalls.h) are written
 * with the host's types; this file stays host-independent and spells
 * them with the kernel's, which have the same layout on Linux:
 * socklen_t is ksocklen_t, ssize_t is long, and struct msghdr, iovec
 * and pollfd are struct kmsghdr, kiovec and kpollfd.
 * tests/unit/test_socket.c checks the layouts against the host headers.
 */
#include <stdarg.h>

#include "netstack/kern/proc.h"

struct sockaddr;
struct msghdr;
struct iovec;
struct pollfd;

int	rump_sys_socket(int, int, int);
int	rump_sys_bind(int, const struct sockaddr *, ksocklen_t);
int	rump_sys_listen(int, int);
int	rump_sys_accept(int, struct sockaddr *, ksocklen_t *);
int	rump_sys_accept4(int, struct sockaddr *, ksocklen_t *, int);
int	rump_sys_connect(int, const struct sockaddr *, ksocklen_t);
int	rump_sys_shutdown(int, int);
int	rump_sys_close(int);
long	rump_sys_send(int, const void *, size_t, int);
long	rump_sys_sendto(int, const void *, size_t, int,
	    const struct sockaddr *, ksocklen_t);
long	rump_sys_sendmsg(int, const struct msghdr *, int);
long	rump_sys_recv(int, void *, size_t, int);
long	rump_sys_recvfrom(int, void *, size_t, int, struct sockaddr *,
	    ksocklen_t *);
long	rump_sys_recvmsg(int, struct msghdr *, int);
long	rump_sys_read(int, void *, size_t);
long	rump_sys_write(int, const void *, size_t);
long	rump_sys_readv(int, const struct iovec *, int);
long	rump_sys_writev(int, const struct iovec *, int);
int	rump_sys_poll(struct pollfd *, unsigned long, int);
int	rump_sys_getsockopt(int, int, int, void *, ksocklen_t *);
int	rump_sys_setsockopt(int, int, int, const void *, ksocklen_t);
int	rump_sys_getsockname(int, struct sockaddr *, ksocklen_t *);
int	rump_sys_getpeername(int, struct sockaddr *, ksocklen_t *);
int	rump_sys_ioctl(int, unsigned long, ...);
int	rump_sys_fcntl(int, int, ...);
int	rump_sys_dup(int);
int	rump_sys_dup2(int, int);
int	rump_sys_dup3(int, int, int);
int	rump_sys_sysctlbyname(const char *, void *, size_t *, const void *,
	    size_t);
int	rump_sys_sysctlnext(const char *, const char *, char *, size_t,
	    int *);

/* The process the calling thread acts for, or NULL (no kernel). */
static struct proc *
rump_caller(void)
{
	struct proc *p = proc_current();

	return p != NULL ? p : rump_localproc();
}

#define CALLER_OR(p, call)	((p) != NULL ? (call) : ENXIO)

static int
rump_ret(int error, int v)
{
	if (error != 0) {
		rumpuser_seterrno(error);
		return -1;
	}
	return v;
}

static long
rump_retsize(int error, size_t n)
{
	if (error != 0) {
		rumpuser_seterrno(error);
		return -1;
	}
	return (long)n;
}

int
rump_sys_socket(int domain, int type, int protocol)
{
	struct proc *p = rump_caller();
	int fd = -1, error;

	error = CALLER_OR(p, ksys_socket(p, domain, type, protocol, &fd));
	return rump_ret(error, fd);
}

int
rump_sys_bind(int fd, const struct sockaddr *addr, ksocklen_t len)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_bind(p, fd, addr, len));
	return rump_ret(error, 0);
}

int
rump_sys_listen(int fd, int backlog)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_listen(p, fd, backlog));
	return rump_ret(error, 0);
}

int
rump_sys_accept4(int fd, struct sockaddr *addr, ksocklen_t *lenp, int flags)
{
	struct proc *p = rump_caller();
	int nfd = -1, error;

	error = CALLER_OR(p, ksys_accept4(p, fd, addr, lenp, flags, &nfd));
	return rump_ret(error, nfd);
}

int
rump_sys_accept(int fd, struct sockaddr *addr, ksocklen_t *lenp)
{
	return rump_sys_accept4(fd, addr, lenp, 0);
}

int
rump_sys_connect(int fd, const struct sockaddr *addr, ksocklen_t len)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_connect(p, fd, addr, len));
	return rump_ret(error, 0);
}

int
rump_sys_shutdown(int fd, int how)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_shutdown(p, fd, how));
	return rump_ret(error, 0);
}

int
rump_sys_close(int fd)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_close(p, fd));
	return rump_ret(error, 0);
}

long
rump_sys_sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, ksocklen_t tolen)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_sendto(p, fd, buf, len, flags, to, tolen,
	    &n));
	return rump_retsize(error, n);
}

long
rump_sys_send(int fd, const void *buf, size_t len, int flags)
{
	return rump_sys_sendto(fd, buf, len, flags, NULL, 0);
}

long
rump_sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_sendmsg(p, fd, (const struct kmsghdr *)(const
	    void *)msg, flags, &n));
	return rump_retsize(error, n);
}

long
rump_sys_recvfrom(int fd, void *buf, size_t len, int flags,
    struct sockaddr *from, ksocklen_t *fromlenp)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_recvfrom(p, fd, buf, len, flags, from,
	    fromlenp, &n));
	return rump_retsize(error, n);
}

long
rump_sys_recv(int fd, void *buf, size_t len, int flags)
{
	return rump_sys_recvfrom(fd, buf, len, flags, NULL, NULL);
}

long
rump_sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_recvmsg(p, fd, (struct kmsghdr *)(void *)msg,
	    flags, &n));
	return rump_retsize(error, n);
}

long
rump_sys_read(int fd, void *buf, size_t len)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_read(p, fd, buf, len, &n));
	return rump_retsize(error, n);
}

long
rump_sys_write(int fd, const void *buf, size_t len)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_write(p, fd, buf, len, &n));
	return rump_retsize(error, n);
}

long
rump_sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_readv(p, fd, (const struct kiovec *)(const
	    void *)iov, iovcnt, &n));
	return rump_retsize(error, n);
}

long
rump_sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	struct proc *p = rump_caller();
	size_t n = 0;
	int error;

	error = CALLER_OR(p, ksys_writev(p, fd, (const struct kiovec *)(const
	    void *)iov, iovcnt, &n));
	return rump_retsize(error, n);
}

int
rump_sys_poll(struct pollfd *fds, unsigned long nfds, int timeout)
{
	struct proc *p = rump_caller();
	int n = 0, error;

	error = CALLER_OR(p, ksys_poll(p, (struct kpollfd *)(void *)fds, nfds,
	    timeout, &n));
	return rump_ret(error, n);
}

int
rump_sys_getsockopt(int fd, int level, int name, void *val,
    ksocklen_t *lenp)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_getsockopt(p, fd, level, name, val, lenp));
	return rump_ret(error, 0);
}

int
rump_sys_setsockopt(int fd, int level, int name, const void *val,
    ksocklen_t len)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_setsockopt(p, fd, level, name, val, len));
	return rump_ret(error, 0);
}

int
rump_sys_getsockname(int fd, struct sockaddr *addr, ksocklen_t *lenp)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_getsockname(p, fd, addr, lenp));
	return rump_ret(error, 0);
}

int
rump_sys_getpeername(int fd, struct sockaddr *addr, ksocklen_t *lenp)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_getpeername(p, fd, addr, lenp));
	return rump_ret(error, 0);
}

int
rump_sys_ioctl(int fd, unsigned long request, ...)
{
	struct proc *p = rump_caller();
	va_list ap;
	void *data;
	int error;

	va_start(ap, request);
	data = va_arg(ap, void *);
	va_end(ap);
	error = CALLER_OR(p, ksys_ioctl(p, fd, request, data));
	return rump_ret(error, 0);
}

int
rump_sys_fcntl(int fd, int cmd, ...)
{
	struct proc *p = rump_caller();
	va_list ap;
	long arg = 0;
	int v = 0, error;

	/* Only these commands take an (int) argument. */
	if (cmd == KF_DUPFD || cmd == KF_DUPFD_CLOEXEC || cmd == KF_SETFD ||
	    cmd == KF_SETFL) {
		va_start(ap, cmd);
		arg = va_arg(ap, int);
		va_end(ap);
	}
	error = CALLER_OR(p, ksys_fcntl(p, fd, cmd, arg, &v));
	return rump_ret(error, v);
}

int
rump_sys_dup(int fd)
{
	struct proc *p = rump_caller();
	int nfd = -1, error;

	error = CALLER_OR(p, ksys_dup(p, fd, &nfd));
	return rump_ret(error, nfd);
}

int
rump_sys_dup2(int fd, int newfd)
{
	struct proc *p = rump_caller();
	int nfd = -1, error;

	error = CALLER_OR(p, ksys_dup2(p, fd, newfd, &nfd));
	return rump_ret(error, nfd);
}

int
rump_sys_dup3(int fd, int newfd, int flags)
{
	struct proc *p = rump_caller();
	int nfd = -1, error;

	error = CALLER_OR(p, ksys_dup3(p, fd, newfd, flags, &nfd));
	return rump_ret(error, nfd);
}

int
rump_sys_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_sysctlbyname(p, name, oldp, oldlenp, newp,
	    newlen));
	return rump_ret(error, 0);
}

int
rump_sys_sysctlnext(const char *prefix, const char *prev, char *namebuf,
    size_t namelen, int *typep)
{
	struct proc *p = rump_caller();
	int error;

	error = CALLER_OR(p, ksys_sysctlnext(p, prefix, prev, namebuf, namelen,
	    typep));
	return rump_ret(error, 0);
}
