/*
 * sys_socket.c -- the system calls on descriptors: argument checks,
 * descriptor lookups and user memory, around the socket operations of
 * uipc_socket.c.
 *
 * Each call enters the kernel with sys_enter (kernel lock, clock),
 * holds a reference on the file it works on, and returns 0 or an errno
 * value.  Arguments are checked the way Linux checks them and in the
 * same order where that shows (a bad descriptor is EBADF before a bad
 * address is EFAULT/EINVAL).
 */
#include "netstack/kern/socket_private.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if.h"

/* Linux's NPROTO: families beyond it do not exist. */
#define KAF_MAX		46
/* Bytes a sysctl write may carry. */
#define SYSCTL_NEWMAX	4096

_Static_assert(KSYSCTL_TYPE_INT == SYSCTL_INT &&
    KSYSCTL_TYPE_QUAD == SYSCTL_QUAD && KSYSCTL_TYPE_STRING == SYSCTL_STRING,
    "sysctl types travel as their enum values");

/* ------------------------------------------------------------ user I/O */

int
uio_init(struct kuio *uio, const struct kiovec *iov, int iovcnt)
{
	size_t total = 0;

	memset(uio, 0, sizeof(*uio));
	if (iovcnt < 0 || iovcnt > KUIO_MAXIOV)
		return EINVAL;
	if (iovcnt > 0 && iov == NULL)
		return EFAULT;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > SIZE_MAX / 2 ||
		    total + iov[i].iov_len > SIZE_MAX / 2)
			return EINVAL;
		if (iov[i].iov_base == NULL && iov[i].iov_len > 0)
			return EFAULT;
		total += iov[i].iov_len;
	}
	uio->uio_iov = iov;
	uio->uio_iovcnt = (unsigned)iovcnt;
	uio->uio_resid = MIN(total, (size_t)KMAX_RW_COUNT);
	return 0;
}

/*
 * The next piece of user buffer: up to 'len' bytes at the current
 * position.  => its length (0 when the list is exhausted).
 */
static size_t
uio_segment(struct kuio *uio, size_t len, uint8_t **basep)
{
	while (uio->uio_index < uio->uio_iovcnt) {
		const struct kiovec *iov = &uio->uio_iov[uio->uio_index];

		if (uio->uio_off < iov->iov_len) {
			*basep = (uint8_t *)iov->iov_base + uio->uio_off;
			return MIN(MIN(len, uio->uio_resid),
			    iov->iov_len - uio->uio_off);
		}
		uio->uio_index++;
		uio->uio_off = 0;
	}
	return 0;
}

static void
uio_advance(struct kuio *uio, size_t n)
{
	uio->uio_off += n;
	uio->uio_resid -= n;
}

size_t
uio_copyin(struct kuio *uio, void *dst, size_t len)
{
	size_t done = 0, n;
	uint8_t *base;

	while (done < len && (n = uio_segment(uio, len - done, &base)) > 0) {
		memcpy((uint8_t *)dst + done, base, n);
		uio_advance(uio, n);
		done += n;
	}
	return done;
}

size_t
uio_copyout(struct kuio *uio, const void *src, size_t len)
{
	size_t done = 0, n;
	uint8_t *base;

	while (done < len && (n = uio_segment(uio, len - done, &base)) > 0) {
		memcpy(base, (const uint8_t *)src + done, n);
		uio_advance(uio, n);
		done += n;
	}
	return done;
}

void
uio_copyout_sb(struct kuio *uio, const struct sockbuf *sb, uint32_t off,
    uint32_t len)
{
	size_t n;
	uint8_t *base;

	while (len > 0 && (n = uio_segment(uio, len, &base)) > 0) {
		sbcopy_stream(sb, off, (uint32_t)n, base);
		uio_advance(uio, n);
		off += (uint32_t)n;
		len -= (uint32_t)n;
	}
}

uint32_t
uio_copyin_sb(struct kuio *uio, struct sockbuf *sb, uint32_t len)
{
	uint32_t done = 0, k;
	size_t n;
	uint8_t *base;

	while (done < len && (n = uio_segment(uio, len - done, &base)) > 0) {
		k = sbappend_stream(sb, base, (uint32_t)n);
		uio_advance(uio, k);
		done += k;
		if (k < n)
			break;
	}
	return done;
}

void
uio_skip(struct kuio *uio, size_t len)
{
	size_t n;
	uint8_t *base;

	while (len > 0 && (n = uio_segment(uio, len, &base)) > 0) {
		uio_advance(uio, n);
		len -= n;
	}
}

/* A user socket address in: Linux's length rules. => 0, EINVAL, EFAULT */
static int
sockaddr_copyin(const void *addr, ksocklen_t len,
    struct ksockaddr_storage *ss)
{
	if (len > sizeof(*ss) || len < sizeof(ss->ss_family))
		return EINVAL;
	if (addr == NULL)
		return EFAULT;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, addr, len);
	return 0;
}

/* An address out: what fits is copied, *lenp gets the real length. */
static void
sockaddr_copyout(void *addr, ksocklen_t *lenp,
    const struct ksockaddr_storage *ss, size_t len)
{
	if (addr != NULL && *lenp > 0)
		memcpy(addr, ss, MIN((size_t)*lenp, len));
	*lenp = (ksocklen_t)len;
}

/* Check an (addr, lenp) result pair before the call does anything. */
static int
sockaddr_outcheck(const void *addr, const ksocklen_t *lenp)
{
	if (addr == NULL)
		return 0;
	if (lenp == NULL)
		return EFAULT;
	if ((int)*lenp < 0)
		return EINVAL;
	return 0;
}

/* ------------------------------------------------- creating, closing */

int
ksys_socket(struct proc *p, int domain, int type, int protocol, int *fdp)
{
	int flags = type & ~KSOCK_TYPEMASK;
	struct socket *so;
	struct file *fp;
	int error;

	type &= KSOCK_TYPEMASK;
	if (flags & ~(KSOCK_NONBLOCK | KSOCK_CLOEXEC))
		return EINVAL;
	if (domain < 0 || domain >= KAF_MAX)
		return EAFNOSUPPORT;
	if (type >= 11)		/* SOCK_MAX */
		return EINVAL;
	if (fdp == NULL)
		return EFAULT;
	if ((error = sys_enter(p)) != 0)
		return error;
	if (!fd_available(p)) {
		error = EMFILE;
		goto out;
	}
	if ((error = socreate(p->p_ns, domain, type, protocol, &so)) != 0)
		goto out;
	if (flags & KSOCK_NONBLOCK)
		so->so_state |= SS_NBIO;
	fp = file_alloc_socket(so);
	error = fd_alloc(p, fp, 0, (flags & KSOCK_CLOEXEC) ? KFD_CLOEXEC : 0,
	    fdp);
	file_release(fp);	/* the descriptor's reference remains */
out:
	sys_exit(p);
	return error;
}

int
ksys_close(struct proc *p, int fd)
{
	int error;

	if ((error = sys_enter(p)) != 0)
		return error;
	error = fd_close(p, fd);
	sys_exit(p);
	return error;
}

/* Enter and look up a socket descriptor; undone by sock_leave. */
static int
sock_enter(struct proc *p, int fd, struct file **fpp)
{
	int error;

	if ((error = sys_enter(p)) != 0)
		return error;
	if ((error = fd_getsock(p, fd, fpp)) != 0)
		sys_exit(p);
	return error;
}

static void
sock_leave(struct proc *p, struct file *fp)
{
	file_release(fp);
	sys_exit(p);
}

int
ksys_bind(struct proc *p, int fd, const void *addr, ksocklen_t addrlen)
{
	struct ksockaddr_storage ss;
	struct file *fp;
	struct socket *so;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	so = fp->f_socket;
	if ((error = sockaddr_copyin(addr, addrlen, &ss)) == 0) {
		if (ss.ss_family != so->so_family)
			error = EAFNOSUPPORT;
		else
			error = sobind(so, (struct ksockaddr *)&ss, addrlen);
	}
	sock_leave(p, fp);
	return error;
}

int
ksys_listen(struct proc *p, int fd, int backlog)
{
	struct file *fp;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	error = solisten(fp->f_socket, backlog);
	sock_leave(p, fp);
	return error;
}

int
ksys_accept4(struct proc *p, int fd, void *addr, ksocklen_t *addrlenp,
    int flags, int *fdp)
{
	struct ksockaddr_storage ss;
	struct socket *head, *so;
	struct file *fp, *nfp;
	size_t sslen = 0;
	int error;

	if (flags & ~(KSOCK_NONBLOCK | KSOCK_CLOEXEC))
		return EINVAL;
	if (fdp == NULL)
		return EFAULT;
	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	head = fp->f_socket;
	if ((error = sockaddr_outcheck(addr, addrlenp)) != 0)
		goto out;
	if (!fd_available(p)) {
		error = EMFILE;
		goto out;
	}
	if ((error = soaccept(p, head, (head->so_state & SS_NBIO) != 0,
	    &so)) != 0)
		goto out;
	nfp = file_alloc_socket(so);
	if ((error = fd_alloc(p, nfp, 0, (flags & KSOCK_CLOEXEC) ?
	    KFD_CLOEXEC : 0, fdp)) != 0) {
		/* Another thread took the last descriptor meanwhile. */
		so->so_refs = 0;
		kmem_free(nfp, sizeof(*nfp));
		soaccept_undo(head, so);
		goto out;
	}
	file_release(nfp);
	if (flags & KSOCK_NONBLOCK)
		so->so_state |= SS_NBIO;
	if (addr != NULL) {
		/* A peer already gone leaves the address empty. */
		memset(&ss, 0, sizeof(ss));
		if (so->so_proto->pr_peeraddr == NULL ||
		    (*so->so_proto->pr_peeraddr)(so, &ss, &sslen) != 0)
			sslen = 0;
		sockaddr_copyout(addr, addrlenp, &ss, MIN(sslen, sizeof(ss)));
	}
out:
	sock_leave(p, fp);
	return error;
}

int
ksys_connect(struct proc *p, int fd, const void *addr, ksocklen_t addrlen)
{
	struct ksockaddr_storage ss;
	struct file *fp;
	struct socket *so;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	so = fp->f_socket;
	if ((error = sockaddr_copyin(addr, addrlen, &ss)) == 0)
		error = soconnect(p, so, (struct ksockaddr *)&ss, addrlen,
		    (so->so_state & SS_NBIO) != 0);
	sock_leave(p, fp);
	return error;
}

int
ksys_shutdown(struct proc *p, int fd, int how)
{
	struct file *fp;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	error = soshutdown(fp->f_socket, how);
	sock_leave(p, fp);
	return error;
}

/* ----------------------------------------------------- sending, receiving */

/*
 * One send.  'anyfile' is true for write/writev, which fail with EINVAL
 * (not ENOTSOCK) on other descriptors.  The destination is used by
 * datagram sockets only; streams ignore it, as Linux TCP does.
 */
static int
dosend(struct proc *p, int fd, bool anyfile, struct kuio *uio, int flags,
    const void *to, ksocklen_t tolen, size_t *donep)
{
	struct ksockaddr_storage ss;
	const struct ksockaddr *nam = NULL;
	struct file *fp;
	struct socket *so;
	int error;

	*donep = 0;
	if ((error = sys_enter(p)) != 0)
		return error;
	if ((error = fd_getsock(p, fd, &fp)) != 0) {
		sys_exit(p);
		return (anyfile && error == ENOTSOCK) ? EINVAL : error;
	}
	so = fp->f_socket;
	if (to != NULL && so->so_type != KSOCK_STREAM) {
		if ((error = sockaddr_copyin(to, tolen, &ss)) != 0)
			goto out;
		if (ss.ss_family != so->so_family) {
			error = EAFNOSUPPORT;
			goto out;
		}
		nam = (const struct ksockaddr *)&ss;
	}
	error = sosend(p, so, nam, nam != NULL ? tolen : 0, uio, flags, donep);
out:
	sock_leave(p, fp);
	return error;
}

static int
dorecv(struct proc *p, int fd, bool anyfile, struct kuio *uio, int flags,
    void *from, ksocklen_t *fromlenp, int *msgflagsp, size_t *donep)
{
	struct ksockaddr_storage ss;
	struct file *fp;
	size_t sslen = 0;
	int error, msgflags = 0;

	*donep = 0;
	if ((error = sys_enter(p)) != 0)
		return error;
	if ((error = fd_getsock(p, fd, &fp)) != 0) {
		sys_exit(p);
		return (anyfile && error == ENOTSOCK) ? EINVAL : error;
	}
	error = soreceive(p, fp->f_socket, &ss, &sslen, uio, flags,
	    &msgflags, donep);
	if (error == 0 && fromlenp != NULL)
		sockaddr_copyout(from, fromlenp, &ss, sslen);
	if (msgflagsp != NULL)
		*msgflagsp = msgflags;
	sock_leave(p, fp);
	return error;
}

/* One user buffer as an iovec; Linux caps the length, not fails. */
static int
onebuf(struct kiovec *iov, struct kuio *uio, const void *buf, size_t len)
{
	if (buf == NULL && len > 0)
		return EFAULT;
	iov->iov_base = (void *)(uintptr_t)buf;
	iov->iov_len = MIN(len, (size_t)KMAX_RW_COUNT);
	return uio_init(uio, iov, 1);
}

int
ksys_sendto(struct proc *p, int fd, const void *buf, size_t len, int flags,
    const void *to, ksocklen_t tolen, size_t *donep)
{
	struct kiovec iov;
	struct kuio uio;
	int error;

	if ((error = onebuf(&iov, &uio, buf, len)) != 0)
		return error;
	return dosend(p, fd, false, &uio, flags, to, tolen, donep);
}

int
ksys_write(struct proc *p, int fd, const void *buf, size_t len,
    size_t *donep)
{
	struct kiovec iov;
	struct kuio uio;
	int error;

	if ((error = onebuf(&iov, &uio, buf, len)) != 0)
		return error;
	return dosend(p, fd, true, &uio, 0, NULL, 0, donep);
}

int
ksys_writev(struct proc *p, int fd, const struct kiovec *iov, int iovcnt,
    size_t *donep)
{
	struct kuio uio;
	int error;

	if ((error = uio_init(&uio, iov, iovcnt)) != 0)
		return error;
	return dosend(p, fd, true, &uio, 0, NULL, 0, donep);
}

/*
 * sendmsg: ancillary data is not supported; a message that carries any
 * is refused with EINVAL.
 */
int
ksys_sendmsg(struct proc *p, int fd, const struct kmsghdr *msg, int flags,
    size_t *donep)
{
	struct kuio uio;
	int error;

	if (msg == NULL)
		return EFAULT;
	if (msg->msg_iovlen > KUIO_MAXIOV)
		return EMSGSIZE;
	if (msg->msg_controllen > 0)
		return EINVAL;
	if ((error = uio_init(&uio, msg->msg_iov, (int)msg->msg_iovlen)) != 0)
		return error;
	return dosend(p, fd, false, &uio, flags, msg->msg_name,
	    msg->msg_namelen, donep);
}

int
ksys_recvfrom(struct proc *p, int fd, void *buf, size_t len, int flags,
    void *from, ksocklen_t *fromlenp, size_t *donep)
{
	struct kiovec iov;
	struct kuio uio;
	int error;

	if ((error = onebuf(&iov, &uio, buf, len)) != 0 ||
	    (error = sockaddr_outcheck(from, fromlenp)) != 0)
		return error;
	return dorecv(p, fd, false, &uio, flags, from,
	    from != NULL ? fromlenp : NULL, NULL, donep);
}

int
ksys_read(struct proc *p, int fd, void *buf, size_t len, size_t *donep)
{
	struct kiovec iov;
	struct kuio uio;
	int error;

	if ((error = onebuf(&iov, &uio, buf, len)) != 0)
		return error;
	return dorecv(p, fd, true, &uio, 0, NULL, NULL, NULL, donep);
}

int
ksys_readv(struct proc *p, int fd, const struct kiovec *iov, int iovcnt,
    size_t *donep)
{
	struct kuio uio;
	int error;

	if ((error = uio_init(&uio, iov, iovcnt)) != 0)
		return error;
	return dorecv(p, fd, true, &uio, 0, NULL, NULL, NULL, donep);
}

/* recvmsg: no ancillary data is ever produced (msg_controllen = 0). */
int
ksys_recvmsg(struct proc *p, int fd, struct kmsghdr *msg, int flags,
    size_t *donep)
{
	struct kuio uio;
	int error, msgflags = 0;

	if (msg == NULL)
		return EFAULT;
	if (msg->msg_iovlen > KUIO_MAXIOV)
		return EMSGSIZE;
	if ((error = uio_init(&uio, msg->msg_iov, (int)msg->msg_iovlen)) != 0 ||
	    (error = sockaddr_outcheck(msg->msg_name, &msg->msg_namelen)) != 0)
		return error;
	error = dorecv(p, fd, false, &uio, flags, msg->msg_name,
	    msg->msg_name != NULL ? &msg->msg_namelen : NULL, &msgflags, donep);
	if (error == 0) {
		if (msg->msg_name == NULL)
			msg->msg_namelen = 0;
		msg->msg_controllen = 0;
		msg->msg_flags = msgflags;
	}
	return error;
}

/* ---------------------------------------------------------------- poll */

static int
poll_one(struct proc *p, const struct kpollfd *pfd)
{
	struct file *fp;

	if (pfd->fd < 0)
		return 0;
	if ((unsigned)pfd->fd >= p->p_nfd ||
	    (fp = p->p_fd[pfd->fd].fe_file) == NULL)
		return KPOLLNVAL;
	if (fp->f_type == FTYPE_SOCKET)
		return sopoll(fp->f_socket, pfd->events);
	if (fp->f_ops->fo_poll == NULL)
		return 0;
	return (*fp->f_ops->fo_poll)(fp->f_data, pfd->events) &
	    (pfd->events | KPOLLERR | KPOLLHUP);
}

/*
 * Evaluate every descriptor; if none is ready, sleep on the instance's
 * poll condvar (broadcast by every socket wakeup) and look again, until
 * the timeout.
 */
int
ksys_poll(struct proc *p, struct kpollfd *fds, unsigned long nfds,
    int timeout, int *nreadyp)
{
	uint64_t deadline = 0;
	int error, n;

	if (nfds > PROC_MAXFILES)
		return EINVAL;
	if (nfds > 0 && fds == NULL)
		return EFAULT;
	if (nreadyp == NULL)
		return EFAULT;
	if ((error = sys_enter(p)) != 0)
		return error;
	if (timeout > 0)
		deadline = netstack_now(p->p_ns) + NS_MS(timeout);
	for (;;) {
		n = 0;
		for (unsigned long i = 0; i < nfds; i++) {
			fds[i].revents = (short)poll_one(p, &fds[i]);
			if (fds[i].revents != 0)
				n++;
		}
		if (n > 0 || timeout == 0)
			break;
		error = proc_sleep(p, &socket_state(p->p_ns)->ss_pollcv,
		    deadline);
		if (error == EWOULDBLOCK) {
			error = 0;
			break;
		}
		if (error != 0)
			break;
	}
	*nreadyp = n;
	sys_exit(p);
	return error;
}

/* ------------------------------------------------------------- options */

int
ksys_getsockopt(struct proc *p, int fd, int level, int name, void *val,
    ksocklen_t *lenp)
{
	struct file *fp;
	size_t len;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	if (lenp == NULL || val == NULL)
		error = EFAULT;
	else if ((int)*lenp < 0)
		error = EINVAL;
	else {
		len = *lenp;
		error = sogetopt(fp->f_socket, level, name, val, &len);
		if (error == 0)
			*lenp = (ksocklen_t)MIN(len, (size_t)*lenp);
	}
	sock_leave(p, fp);
	return error;
}

int
ksys_setsockopt(struct proc *p, int fd, int level, int name,
    const void *val, ksocklen_t len)
{
	struct file *fp;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	if ((int)len < 0)
		error = EINVAL;
	else if (val == NULL && len > 0)
		error = EFAULT;
	else
		error = sosetopt(fp->f_socket, level, name, val, len);
	sock_leave(p, fp);
	return error;
}

static int
dogetname(struct proc *p, int fd, bool peer, void *addr, ksocklen_t *lenp)
{
	struct ksockaddr_storage ss;
	struct file *fp;
	size_t sslen;
	int error;

	if ((error = sock_enter(p, fd, &fp)) != 0)
		return error;
	if (lenp == NULL || (addr == NULL && *lenp > 0))
		error = EFAULT;
	else if ((int)*lenp < 0)
		error = EINVAL;
	else if ((error = sogetaddr(fp->f_socket, peer, &ss, &sslen)) == 0)
		sockaddr_copyout(addr, lenp, &ss, sslen);
	sock_leave(p, fp);
	return error;
}

int
ksys_getsockname(struct proc *p, int fd, void *addr, ksocklen_t *lenp)
{
	return dogetname(p, fd, false, addr, lenp);
}

int
ksys_getpeername(struct proc *p, int fd, void *addr, ksocklen_t *lenp)
{
	return dogetname(p, fd, true, addr, lenp);
}

/* ------------------------------------------------ ioctl, fcntl, dup */

int
ksys_ioctl(struct proc *p, int fd, unsigned long cmd, void *data)
{
	struct socket *so;
	struct file *fp;
	int error, v;

	if ((error = sys_enter(p)) != 0)
		return error;
	if ((error = fd_getfile(p, fd, &fp)) != 0) {
		sys_exit(p);
		return error;
	}
	if (fp->f_type != FTYPE_SOCKET) {
		error = ENOTTY;
		goto out;
	}
	so = fp->f_socket;
	if (data == NULL) {
		error = EFAULT;
		goto out;
	}
	switch (cmd) {
	case KFIONBIO:
		memcpy(&v, data, sizeof(v));
		if (v)
			so->so_state |= SS_NBIO;
		else
			so->so_state &= ~SS_NBIO;
		break;
	case KFIONREAD:
		if ((error = soreadable_bytes(so, &v)) == 0)
			memcpy(data, &v, sizeof(v));
		break;
	default:
		error = ifioctl(p->p_ns, so, cmd, data);
		break;
	}
out:
	file_release(fp);
	sys_exit(p);
	return error;
}

int
ksys_fcntl(struct proc *p, int fd, int cmd, long arg, int *retvalp)
{
	struct file *fp;
	int error, flags;

	if (retvalp == NULL)
		return EFAULT;
	*retvalp = 0;
	if ((error = sys_enter(p)) != 0)
		return error;
	if ((error = fd_getfile(p, fd, &fp)) != 0) {
		sys_exit(p);
		return error;
	}
	switch (cmd) {
	case KF_DUPFD:
	case KF_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= PROC_MAXFILES) {
			error = EINVAL;
			break;
		}
		error = fd_alloc(p, fp, (int)arg,
		    cmd == KF_DUPFD_CLOEXEC ? KFD_CLOEXEC : 0, retvalp);
		break;
	case KF_GETFD:
		error = fd_getflags(p, fd, retvalp);
		break;
	case KF_SETFD:
		error = fd_setflags(p, fd, (int)arg);
		break;
	case KF_GETFL:
		flags = KO_RDWR;
		if (fp->f_type == FTYPE_SOCKET &&
		    (fp->f_socket->so_state & SS_NBIO))
			flags |= KO_NONBLOCK;
		*retvalp = flags;
		break;
	case KF_SETFL:
		/* Only O_NONBLOCK can change (and only on sockets). */
		if (fp->f_type != FTYPE_SOCKET)
			break;
		if (arg & KO_NONBLOCK)
			fp->f_socket->so_state |= SS_NBIO;
		else
			fp->f_socket->so_state &= ~SS_NBIO;
		break;
	default:
		error = EINVAL;
		break;
	}
	file_release(fp);
	sys_exit(p);
	return error;
}

int
ksys_dup(struct proc *p, int fd, int *fdp)
{
	return ksys_fcntl(p, fd, KF_DUPFD, 0, fdp);
}

int
ksys_dup2(struct proc *p, int fd, int newfd, int *fdp)
{
	struct file *fp;
	int error;

	if (fdp == NULL)
		return EFAULT;
	if ((error = sys_enter(p)) != 0)
		return error;
	if (fd == newfd) {
		/* Linux: a no-op on a valid descriptor. */
		if ((error = fd_getfile(p, fd, &fp)) == 0)
			file_release(fp);
	} else
		error = fd_dup2(p, fd, newfd, 0);
	if (error == 0)
		*fdp = newfd;
	sys_exit(p);
	return error;
}

int
ksys_dup3(struct proc *p, int fd, int newfd, int flags, int *fdp)
{
	int error;

	if (fdp == NULL)
		return EFAULT;
	if ((flags & ~KO_CLOEXEC) || fd == newfd)
		return EINVAL;
	if ((error = sys_enter(p)) != 0)
		return error;
	error = fd_dup2(p, fd, newfd, (flags & KO_CLOEXEC) ? KFD_CLOEXEC : 0);
	if (error == 0)
		*fdp = newfd;
	sys_exit(p);
	return error;
}

/* -------------------------------------------------------------- sysctl */

int
ksys_sysctlbyname(struct proc *p, const char *name, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen)
{
	int error;

	if (name == NULL)
		return EFAULT;
	if (strnlen(name, SYSCTL_NAMEMAX) >= SYSCTL_NAMEMAX)
		return ENOENT;
	if (oldp != NULL && oldlenp == NULL)
		return EFAULT;
	if (newp != NULL && newlen > SYSCTL_NEWMAX)
		return EINVAL;
	if ((error = sys_enter(p)) != 0)
		return error;
	error = sysctl_byname(p->p_ns, name, oldp, oldlenp, newp, newlen);
	sys_exit(p);
	return error;
}

int
ksys_sysctlnext(struct proc *p, const char *prefix, const char *prev,
    char *namebuf, size_t namelen, int *typep)
{
	const struct sysctl_node *n;
	size_t len;
	int error;

	if (prefix == NULL)
		prefix = "";
	if (prev == NULL)
		prev = "";
	if (namebuf == NULL)
		return EFAULT;
	if (strnlen(prefix, SYSCTL_NAMEMAX) >= SYSCTL_NAMEMAX ||
	    strnlen(prev, SYSCTL_NAMEMAX) >= SYSCTL_NAMEMAX)
		return EINVAL;
	if ((error = sys_enter(p)) != 0)
		return error;
	if ((n = sysctl_next(p->p_ns, prefix, prev)) == NULL)
		error = ENOENT;
	else if ((len = strlen(n->sn_name)) >= namelen)
		error = ENOMEM;
	else {
		memcpy(namebuf, n->sn_name, len + 1);
		if (typep != NULL)
			*typep = (int)n->sn_type |
			    ((n->sn_flags & SYSCTL_RW) ? KSYSCTL_WRITABLE : 0);
	}
	sys_exit(p);
	return error;
}
