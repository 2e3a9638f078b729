/*
 * rumpclient_sys.c -- the rump_sys_* calls of <rumpnet/rump_syscalls.h>
 * sent to rump_server.
 *
 * What can be checked without the server is checked here, as the local
 * kernel would (NULL pointers: EFAULT; too many iovecs: EINVAL for
 * readv/writev, EMSGSIZE for sendmsg/recvmsg; ancillary data: EINVAL).
 * Scatter/gather calls travel as one flat buffer: a writev is a write of
 * the concatenated data, which is what the kernel does with it anyway.
 * Transfers are limited to SP_MAXDATA (1 MiB) per call: a larger write
 * or send reports a short count, as a non-blocking socket may.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "rumpnet/rump_net.h"
#include "rumpnet/rump_syscalls.h"
#include "tools/librumpclient/rumpclient_int.h"

#define RC_MAXIOV	1024	/* UIO_MAXIOV */

static long
rc_fail(int error)
{
	errno = error;
	return -1;
}

/* Run op; the reply's first field (an "l") is the result. */
static long
rc_call_l(unsigned op, const struct sp_arg *args)
{
	struct sp_msg rep;
	uint8_t *buf;
	int error;
	long v;

	if ((error = rc_call(op, args, &rep, &buf)) != 0)
		return rc_fail(error);
	v = (long)rep.m_args[0].a_v;
	free(buf);
	return v;
}

/* Run op, which has an empty reply.  => 0 or -1. */
static int
rc_call_0(unsigned op, const struct sp_arg *args)
{
	struct sp_msg rep;
	uint8_t *buf;
	int error;

	if ((error = rc_call(op, args, &rep, &buf)) != 0)
		return (int)rc_fail(error);
	free(buf);
	return 0;
}

/* An address argument: NULL/0 is "none".  => 0 or an errno. */
static int
rc_addr(struct sp_arg *a, const struct sockaddr *addr, socklen_t len)
{
	if (addr == NULL || len == 0) {
		a->a_p = NULL;
		a->a_len = 0;
		return 0;
	}
	if (len > SP_MAXADDR)
		return EINVAL;
	a->a_p = (const uint8_t *)addr;
	a->a_len = len;
	return 0;
}

/* Copy a returned address ("au" fields at rep->m_args[i]) out. */
static void
rc_addr_out(const struct sp_msg *rep, unsigned i, void *addr,
    socklen_t *lenp)
{
	if (addr == NULL || lenp == NULL)
		return;
	memcpy(addr, rep->m_args[i].a_p, rep->m_args[i].a_len < *lenp ?
	    rep->m_args[i].a_len : *lenp);
	*lenp = (socklen_t)rep->m_args[i + 1].a_v;
}

static size_t
rc_clamp(size_t n)
{
	return n < SP_MAXDATA ? n : SP_MAXDATA;
}

/* Total of an iovec array, clamped to SP_MAXDATA.  => 0 or EFAULT. */
static int
rc_iovlen(const struct iovec *iov, size_t cnt, size_t *totalp)
{
	size_t total = 0;

	if (cnt > 0 && iov == NULL)
		return EFAULT;
	for (size_t i = 0; i < cnt && total < SP_MAXDATA; i++) {
		if (iov[i].iov_base == NULL && iov[i].iov_len > 0)
			return EFAULT;
		total += rc_clamp(iov[i].iov_len);
	}
	*totalp = rc_clamp(total);
	return 0;
}

/* Gather up to total bytes of iov into a new buffer. */
static uint8_t *
rc_gather(const struct iovec *iov, size_t cnt, size_t total)
{
	uint8_t *buf = malloc(total > 0 ? total : 1), *p = buf;

	if (buf == NULL)
		return NULL;
	for (size_t i = 0; i < cnt && total > 0; i++) {
		size_t n = iov[i].iov_len < total ? iov[i].iov_len : total;

		if (n > 0)
			memcpy(p, iov[i].iov_base, n);
		p += n;
		total -= n;
	}
	return buf;
}

static void
rc_scatter(const struct iovec *iov, size_t cnt, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < cnt && n > 0; i++) {
		size_t k = iov[i].iov_len < n ? iov[i].iov_len : n;

		if (k > 0)
			memcpy(iov[i].iov_base, p, k);
		p += k;
		n -= k;
	}
}

int
rump_sys_socket(int domain, int type, int protocol)
{
	struct sp_arg a[3] = {
		{ .a_v = domain }, { .a_v = type }, { .a_v = protocol },
	};

	return (int)rc_call_l(SP_OP_SOCKET, a);
}

int
rump_sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sp_arg a[2] = { { .a_v = fd } };
	int error;

	if (addr == NULL && len > 0)
		return (int)rc_fail(EFAULT);
	if ((error = rc_addr(&a[1], addr, len)) != 0)
		return (int)rc_fail(error);
	return rc_call_0(SP_OP_BIND, a);
}

int
rump_sys_listen(int fd, int backlog)
{
	struct sp_arg a[2] = { { .a_v = fd }, { .a_v = backlog } };

	return rc_call_0(SP_OP_LISTEN, a);
}

int
rump_sys_accept4(int fd, struct sockaddr *addr, socklen_t *lenp, int flags)
{
	struct sp_arg a[3] = {
		{ .a_v = fd }, { .a_v = flags }, { .a_v = addr != NULL },
	};
	struct sp_msg rep;
	uint8_t *buf;
	int error, nfd;

	if (addr != NULL && lenp == NULL)
		return (int)rc_fail(EFAULT);
	if ((error = rc_call(SP_OP_ACCEPT4, a, &rep, &buf)) != 0)
		return (int)rc_fail(error);
	nfd = (int)rep.m_args[0].a_v;
	rc_addr_out(&rep, 1, addr, lenp);
	free(buf);
	return nfd;
}

int
rump_sys_accept(int fd, struct sockaddr *addr, socklen_t *lenp)
{
	return rump_sys_accept4(fd, addr, lenp, 0);
}

int
rump_sys_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct sp_arg a[2] = { { .a_v = fd } };
	int error;

	if (addr == NULL && len > 0)
		return (int)rc_fail(EFAULT);
	if ((error = rc_addr(&a[1], addr, len)) != 0)
		return (int)rc_fail(error);
	return rc_call_0(SP_OP_CONNECT, a);
}

int
rump_sys_shutdown(int fd, int how)
{
	struct sp_arg a[2] = { { .a_v = fd }, { .a_v = how } };

	return rc_call_0(SP_OP_SHUTDOWN, a);
}

int
rump_sys_close(int fd)
{
	struct sp_arg a[1] = { { .a_v = fd } };

	return rc_call_0(SP_OP_CLOSE, a);
}

ssize_t
rump_sys_sendto(int fd, const void *buf, size_t len, int flags,
    const struct sockaddr *to, socklen_t tolen)
{
	struct sp_arg a[4] = {
		{ .a_v = fd },
		{ .a_p = buf, .a_len = (uint32_t)rc_clamp(len) },
		{ .a_v = flags },
	};
	int error;

	if (buf == NULL && len > 0)
		return rc_fail(EFAULT);
	if ((error = rc_addr(&a[3], to, tolen)) != 0)
		return rc_fail(error);
	return rc_call_l(SP_OP_SENDTO, a);
}

ssize_t
rump_sys_send(int fd, const void *buf, size_t len, int flags)
{
	return rump_sys_sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t
rump_sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	size_t total;
	uint8_t *data;
	ssize_t n;
	int error;

	if (msg == NULL)
		return rc_fail(EFAULT);
	if (msg->msg_iovlen > RC_MAXIOV)
		return rc_fail(EMSGSIZE);
	if (msg->msg_controllen > 0)
		return rc_fail(EINVAL);	/* no ancillary data */
	if ((error = rc_iovlen(msg->msg_iov, msg->msg_iovlen, &total)) != 0)
		return rc_fail(error);
	if ((data = rc_gather(msg->msg_iov, msg->msg_iovlen, total)) == NULL)
		return rc_fail(ENOMEM);
	n = rump_sys_sendto(fd, data, total, flags, msg->msg_name,
	    msg->msg_name != NULL ? msg->msg_namelen : 0);
	error = errno;
	free(data);
	errno = error;
	return n;
}

/* recvfrom and recvmsg: the "ldau[i]" reply into buf and from. */
ssize_t
rump_sys_recvfrom(int fd, void *buf, size_t len, int flags,
    struct sockaddr *from, socklen_t *fromlenp)
{
	struct sp_arg a[4] = {
		{ .a_v = fd }, { .a_v = (int64_t)rc_clamp(len) },
		{ .a_v = flags }, { .a_v = from != NULL },
	};
	struct sp_msg rep;
	uint8_t *rbuf;
	ssize_t n;
	int error;

	if (buf == NULL && len > 0)
		return rc_fail(EFAULT);
	if (from != NULL && fromlenp == NULL)
		return rc_fail(EFAULT);
	if ((error = rc_call(SP_OP_RECVFROM, a, &rep, &rbuf)) != 0)
		return rc_fail(error);
	n = (ssize_t)rep.m_args[0].a_v;
	if (rep.m_args[1].a_len > 0)
		memcpy(buf, rep.m_args[1].a_p,
		    rep.m_args[1].a_len < len ? rep.m_args[1].a_len : len);
	rc_addr_out(&rep, 2, from, fromlenp);
	free(rbuf);
	return n;
}

ssize_t
rump_sys_recv(int fd, void *buf, size_t len, int flags)
{
	return rump_sys_recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t
rump_sys_recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct sp_arg a[4] = { { .a_v = fd } };
	struct sp_msg rep;
	uint8_t *rbuf;
	size_t total;
	ssize_t n;
	int error;

	if (msg == NULL)
		return rc_fail(EFAULT);
	if (msg->msg_iovlen > RC_MAXIOV)
		return rc_fail(EMSGSIZE);
	if ((error = rc_iovlen(msg->msg_iov, msg->msg_iovlen, &total)) != 0)
		return rc_fail(error);
	a[1].a_v = (int64_t)total;
	a[2].a_v = flags;
	a[3].a_v = msg->msg_name != NULL;
	if ((error = rc_call(SP_OP_RECVMSG, a, &rep, &rbuf)) != 0)
		return rc_fail(error);
	n = (ssize_t)rep.m_args[0].a_v;
	rc_scatter(msg->msg_iov, msg->msg_iovlen, rep.m_args[1].a_p,
	    rep.m_args[1].a_len < total ? rep.m_args[1].a_len : total);
	rc_addr_out(&rep, 2, msg->msg_name, &msg->msg_namelen);
	msg->msg_controllen = 0;
	msg->msg_flags = (int)rep.m_args[4].a_v;
	free(rbuf);
	return n;
}

ssize_t
rump_sys_read(int fd, void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };

	return rump_sys_readv(fd, &iov, 1);
}

ssize_t
rump_sys_write(int fd, const void *buf, size_t len)
{
	struct sp_arg a[2] = {
		{ .a_v = fd },
		{ .a_p = buf, .a_len = (uint32_t)rc_clamp(len) },
	};

	if (buf == NULL && len > 0)
		return rc_fail(EFAULT);
	return rc_call_l(SP_OP_WRITE, a);
}

ssize_t
rump_sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	struct sp_arg a[2] = { { .a_v = fd } };
	struct sp_msg rep;
	uint8_t *rbuf;
	size_t total;
	ssize_t n;
	int error;

	if (iovcnt < 0 || iovcnt > RC_MAXIOV)
		return rc_fail(EINVAL);
	if ((error = rc_iovlen(iov, (size_t)iovcnt, &total)) != 0)
		return rc_fail(error);
	a[1].a_v = (int64_t)total;
	if ((error = rc_call(SP_OP_READ, a, &rep, &rbuf)) != 0)
		return rc_fail(error);
	n = (ssize_t)rep.m_args[0].a_v;
	rc_scatter(iov, (size_t)iovcnt, rep.m_args[1].a_p,
	    rep.m_args[1].a_len < total ? rep.m_args[1].a_len : total);
	free(rbuf);
	return n;
}

ssize_t
rump_sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	size_t total;
	uint8_t *data;
	ssize_t n;
	int error;

	if (iovcnt < 0 || iovcnt > RC_MAXIOV)
		return rc_fail(EINVAL);
	if ((error = rc_iovlen(iov, (size_t)iovcnt, &total)) != 0)
		return rc_fail(error);
	if ((data = rc_gather(iov, (size_t)iovcnt, total)) == NULL)
		return rc_fail(ENOMEM);
	n = rump_sys_write(fd, data, total);
	error = errno;
	free(data);
	errno = error;
	return n;
}

/* The POLL request's fields for fds.  => 0 or an errno. */
static int
rc_poll_args(struct sp_arg *a, struct pollfd *fds, unsigned long nfds,
    int timeout)
{
	_Static_assert(sizeof(struct pollfd) == SP_POLLFDSIZE, "pollfd");
	if (nfds > SP_MAXPOLLFD)
		return EINVAL;
	if (fds == NULL && nfds > 0)
		return EFAULT;
	a[0].a_p = nfds > 0 ? (const uint8_t *)fds : NULL;
	a[0].a_len = (uint32_t)(nfds * SP_POLLFDSIZE);
	a[1].a_v = timeout;
	return 0;
}

/* The POLL reply into fds.  => the ready count. */
static int
rc_poll_out(const struct sp_msg *rep, struct pollfd *fds,
    unsigned long nfds)
{
	if (rep->m_args[1].a_len == nfds * SP_POLLFDSIZE && nfds > 0)
		memcpy(fds, rep->m_args[1].a_p, rep->m_args[1].a_len);
	return (int)rep->m_args[0].a_v;
}

int
rump_sys_poll(struct pollfd *fds, unsigned long nfds, int timeout)
{
	struct sp_arg a[2];
	struct sp_msg rep;
	uint8_t *rbuf;
	int error, n;

	if ((error = rc_poll_args(a, fds, nfds, timeout)) != 0)
		return (int)rc_fail(error);
	if ((error = rc_call(SP_OP_POLL, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	n = rc_poll_out(&rep, fds, nfds);
	free(rbuf);
	return n;
}

int
rc_poll_start(struct pollfd *fds, unsigned long nfds, int timeout,
    struct rc_pending *pd)
{
	struct sp_arg a[2];
	int error;

	if ((error = rc_poll_args(a, fds, nfds, timeout)) != 0 ||
	    (error = rc_call_start(SP_OP_POLL, a, pd)) != 0)
		return (int)rc_fail(error);
	return 0;
}

int
rc_poll_finish(struct rc_pending *pd, struct pollfd *fds,
    unsigned long nfds)
{
	struct sp_msg rep;
	uint8_t *rbuf;
	int error, n;

	if ((error = rc_call_finish(pd, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	n = rc_poll_out(&rep, fds, nfds);
	free(rbuf);
	return n;
}

int
rump_sys_getsockopt(int fd, int level, int name, void *val,
    socklen_t *lenp)
{
	struct sp_arg a[4] = {
		{ .a_v = fd }, { .a_v = level }, { .a_v = name },
	};
	struct sp_msg rep;
	uint8_t *rbuf;
	int error;

	if (lenp == NULL)
		return (int)rc_fail(EFAULT);
	if (val == NULL && *lenp > 0)
		return (int)rc_fail(EFAULT);
	a[3].a_v = *lenp;
	if ((error = rc_call(SP_OP_GETSOCKOPT, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	if (rep.m_args[0].a_len > 0)
		memcpy(val, rep.m_args[0].a_p, rep.m_args[0].a_len < *lenp ?
		    rep.m_args[0].a_len : *lenp);
	*lenp = (socklen_t)rep.m_args[1].a_v;
	free(rbuf);
	return 0;
}

int
rump_sys_setsockopt(int fd, int level, int name, const void *val,
    socklen_t len)
{
	struct sp_arg a[4] = {
		{ .a_v = fd }, { .a_v = level }, { .a_v = name },
		{ .a_p = val, .a_len = len < SP_MAXOPT ? len : SP_MAXOPT },
	};

	if (val == NULL && len > 0)
		return (int)rc_fail(EFAULT);
	return rc_call_0(SP_OP_SETSOCKOPT, a);
}

static int
rc_sockname(unsigned op, int fd, struct sockaddr *addr, socklen_t *lenp)
{
	struct sp_arg a[2] = { { .a_v = fd }, { .a_v = 1 } };
	struct sp_msg rep;
	uint8_t *rbuf;
	int error;

	if (lenp == NULL || (addr == NULL && *lenp > 0))
		return (int)rc_fail(EFAULT);
	if ((error = rc_call(op, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	rc_addr_out(&rep, 0, addr, lenp);
	free(rbuf);
	return 0;
}

int
rump_sys_getsockname(int fd, struct sockaddr *addr, socklen_t *lenp)
{
	return rc_sockname(SP_OP_GETSOCKNAME, fd, addr, lenp);
}

int
rump_sys_getpeername(int fd, struct sockaddr *addr, socklen_t *lenp)
{
	return rc_sockname(SP_OP_GETPEERNAME, fd, addr, lenp);
}

/*
 * The argument's size and direction come from the request's encoding
 * (rump_ioctl_size(), <rumpnet/rump_net.h>); FIONBIO and FIONREAD take
 * an int.  The server answers ENOTTY for a request of unknown size.
 */
int
rump_sys_ioctl(int fd, unsigned long request, ...)
{
	struct sp_arg a[3] = { { .a_v = fd }, { .a_v = (int64_t)request } };
	struct sp_msg rep;
	uint8_t *rbuf;
	size_t size;
	int in, out, error;
	va_list ap;
	void *data;

	va_start(ap, request);
	data = va_arg(ap, void *);
	va_end(ap);
	if (request == FIONBIO || request == FIONREAD) {
		size = sizeof(int);
		in = request == FIONBIO;
		out = request == FIONREAD;
	} else {
		size = rump_ioctl_size(request);
		in = rump_ioctl_copyin(request);
		out = rump_ioctl_copyout(request);
	}
	if (size > 0 && data == NULL)
		return (int)rc_fail(EFAULT);
	if (size > 0 && in) {
		a[2].a_p = data;
		a[2].a_len = (uint32_t)size;
	}
	if ((error = rc_call(SP_OP_IOCTL, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	if (out && rep.m_args[0].a_len == size)
		memcpy(data, rep.m_args[0].a_p, size);
	free(rbuf);
	return 0;
}

int
rump_sys_fcntl(int fd, int cmd, ...)
{
	struct sp_arg a[3] = { { .a_v = fd }, { .a_v = cmd } };
	va_list ap;

	/* Only these commands take an (int) argument. */
	if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_SETFD ||
	    cmd == F_SETFL) {
		va_start(ap, cmd);
		a[2].a_v = va_arg(ap, int);
		va_end(ap);
	}
	return (int)rc_call_l(SP_OP_FCNTL, a);
}

int
rump_sys_dup(int fd)
{
	struct sp_arg a[1] = { { .a_v = fd } };

	return (int)rc_call_l(SP_OP_DUP, a);
}

int
rump_sys_dup2(int fd, int newfd)
{
	struct sp_arg a[2] = { { .a_v = fd }, { .a_v = newfd } };

	return (int)rc_call_l(SP_OP_DUP2, a);
}

int
rump_sys_dup3(int fd, int newfd, int flags)
{
	struct sp_arg a[3] = {
		{ .a_v = fd }, { .a_v = newfd }, { .a_v = flags },
	};

	return (int)rc_call_l(SP_OP_DUP3, a);
}

/* A string argument: NULL stays NULL.  => 0 or ENAMETOOLONG. */
static int
rc_str(struct sp_arg *a, const char *s)
{
	size_t n;

	a->a_p = NULL;
	a->a_len = 0;
	if (s == NULL)
		return 0;
	if ((n = strnlen(s, SP_MAXSTR)) >= SP_MAXSTR)
		return ENAMETOOLONG;
	a->a_p = (const uint8_t *)s;
	a->a_len = (uint32_t)n + 1;
	return 0;
}

int
rump_sys_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sp_arg a[4];
	struct sp_msg rep;
	uint8_t *rbuf;
	uint32_t flags = 0;
	int error;

	memset(a, 0, sizeof(a));
	if (name == NULL)
		return (int)rc_fail(EFAULT);
	if (rc_str(&a[0], name) != 0)
		return (int)rc_fail(ENOENT);	/* no node has such a name */
	if (oldp != NULL)
		flags |= SP_SYSCTL_OLDP;
	if (oldlenp != NULL) {
		flags |= SP_SYSCTL_OLDLENP;
		a[1].a_v = *oldlenp < UINT32_MAX ? (int64_t)*oldlenp :
		    UINT32_MAX;
	}
	if (newp != NULL) {
		if (newlen > SP_MAXDATA)
			return (int)rc_fail(EINVAL);
		flags |= SP_SYSCTL_NEWP;
		a[3].a_p = newp;
		a[3].a_len = (uint32_t)newlen;
	}
	a[2].a_v = flags;
	if ((error = rc_call(SP_OP_SYSCTLBYNAME, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	error = (int)rep.m_args[0].a_v;
	if (oldp != NULL && oldlenp != NULL && rep.m_args[1].a_len > 0)
		memcpy(oldp, rep.m_args[1].a_p,
		    rep.m_args[1].a_len < *oldlenp ? rep.m_args[1].a_len :
		    *oldlenp);
	if (oldlenp != NULL)
		*oldlenp = (size_t)rep.m_args[2].a_v;
	free(rbuf);
	if (error < 0 || error > 4095)
		error = EPROTO;
	return error != 0 ? (int)rc_fail(error) : 0;
}

int
rump_sys_sysctlnext(const char *prefix, const char *prev, char *namebuf,
    size_t namelen, int *typep)
{
	struct sp_arg a[4];
	struct sp_msg rep;
	uint8_t *rbuf;
	int error;

	memset(a, 0, sizeof(a));
	if (namebuf == NULL)
		return (int)rc_fail(EFAULT);
	if (rc_str(&a[0], prefix) != 0 || rc_str(&a[1], prev) != 0)
		return (int)rc_fail(ENOENT);
	a[2].a_v = namelen < SP_MAXSTR ? (int64_t)namelen : SP_MAXSTR;
	a[3].a_v = typep != NULL ? SP_SYSCTL_TYPEP : 0;
	if ((error = rc_call(SP_OP_SYSCTLNEXT, a, &rep, &rbuf)) != 0)
		return (int)rc_fail(error);
	if (rep.m_args[0].a_len == 0 || rep.m_args[0].a_len > namelen) {
		free(rbuf);
		return (int)rc_fail(EPROTO);
	}
	memcpy(namebuf, rep.m_args[0].a_p, rep.m_args[0].a_len);
	if (typep != NULL)
		*typep = (int)rep.m_args[1].a_v;
	free(rbuf);
	return 0;
}
