/*
 * sp_exec.c -- the server half of every remote system call: turn the
 * fields of a parsed request into the arguments of a ksys_* call on the
 * client's process, and its results into reply fields.
 *
 * Fields arrive checked against their signature (sp_proto.c), so blob
 * lengths are within their limits; sizes the client asks for (bytes to
 * receive, option or name space) are clamped to the same limits here
 * before anything is allocated.  Blobs point into the frame at any
 * alignment, so structures the kernel reads as such (addresses, options,
 * ioctl arguments, pollfds) are copied into aligned buffers first.
 */
#include "config.h"
#include <stdlib.h>

#include "netstack/kern/proc.h"
#include "netstack/kern/sp_kern.h"
#include "rumpnet/rump_net.h"
#include "tools/rump_server/sp_exec.h"
#include "tools/librumpclient/sp_proto.h"

#define SP_MAXSYSCTL	65536	/* value bytes returned by sysctlbyname */


static int
sp_argi(const struct sp_msg *m, unsigned i)
{
	return (int)m->m_args[i].a_v;
}

static uint32_t
sp_argu(const struct sp_msg *m, unsigned i)
{
	return (uint32_t)m->m_args[i].a_v;
}

/* Copy an address blob into ab; => its pointer, or NULL if empty. */
static const void *
sp_addr_in(const struct sp_arg *a, union sp_addrbuf *ab)
{
	if (a->a_len == 0)
		return NULL;
	memcpy(ab->ab_bytes, a->a_p, a->a_len);
	return ab->ab_bytes;
}

/* Allocate the reply buffer (at least one byte). */
static void *
sp_rbuf(struct sp_reply *r, size_t n)
{
	r->r_buf = malloc(n > 0 ? n : 1);
	return r->r_buf;
}

static void
sp_set_blob(struct sp_arg *a, const void *p, size_t n)
{
	a->a_p = p;
	a->a_len = (uint32_t)n;
}

/* Reply fields "au": the address (truncated to the buffer) and its
 * full length. */
static void
sp_set_addr(struct sp_reply *r, unsigned i, const union sp_addrbuf *ab,
    ksocklen_t len, int want)
{
	if (!want)
		len = 0;
	sp_set_blob(&r->r_args[i], ab->ab_bytes, MIN(len, SP_MAXADDR));
	r->r_args[i + 1].a_v = len;
}

static void
sp_exec_accept4(struct proc *p, const struct sp_msg *m, struct sp_reply *r,
    union sp_addrbuf *ab)
{
	int want = sp_argu(m, 2) != 0, nfd = -1;
	ksocklen_t len = SP_MAXADDR;

	r->r_error = ksys_accept4(p, sp_argi(m, 0), want ? ab->ab_bytes : NULL,
	    want ? &len : NULL, sp_argi(m, 1), &nfd);
	r->r_args[0].a_v = nfd;
	sp_set_addr(r, 1, ab, len, want);
}

static void
sp_exec_recv(struct proc *p, const struct sp_msg *m, struct sp_reply *r,
    union sp_addrbuf *ab)
{
	size_t want = MIN(sp_argu(m, 1), SP_MAXDATA), n = 0;
	int wantaddr = sp_argu(m, 3) != 0;
	ksocklen_t alen = SP_MAXADDR;
	uint8_t *buf;

	if ((buf = sp_rbuf(r, want)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	if (m->m_hdr.h_op == SP_OP_RECVFROM) {
		r->r_error = ksys_recvfrom(p, sp_argi(m, 0), buf, want,
		    sp_argi(m, 2), wantaddr ? ab->ab_bytes : NULL,
		    wantaddr ? &alen : NULL, &n);
	} else {
		struct kiovec iov = { .iov_base = buf, .iov_len = want };
		struct kmsghdr msg = {
			.msg_name = wantaddr ? ab->ab_bytes : NULL,
			.msg_namelen = wantaddr ? alen : 0,
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};

		r->r_error = ksys_recvmsg(p, sp_argi(m, 0), &msg,
		    sp_argi(m, 2), &n);
		alen = msg.msg_namelen;
		r->r_args[4].a_v = msg.msg_flags;
	}
	/* With MSG_TRUNC a datagram's full length may exceed want. */
	r->r_args[0].a_v = (int64_t)n;
	sp_set_blob(&r->r_args[1], buf, MIN(n, want));
	sp_set_addr(r, 2, ab, alen, wantaddr);
}

static void
sp_exec_poll(struct proc *p, const struct sp_msg *m, struct sp_reply *r)
{
	size_t nfds = m->m_args[0].a_len / SP_POLLFDSIZE;
	struct kpollfd *fds;
	int n = 0;

	_Static_assert(sizeof(struct kpollfd) == SP_POLLFDSIZE, "pollfd");
	if ((fds = sp_rbuf(r, m->m_args[0].a_len)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	if (nfds > 0)
		memcpy(fds, m->m_args[0].a_p, m->m_args[0].a_len);
	r->r_error = ksys_poll(p, fds, nfds, sp_argi(m, 1), &n);
	r->r_args[0].a_v = n;
	sp_set_blob(&r->r_args[1], fds, nfds * SP_POLLFDSIZE);
}

static void
sp_exec_sockopt(struct proc *p, const struct sp_msg *m, struct sp_reply *r)
{
	ksocklen_t len;
	uint8_t *val;

	if (m->m_hdr.h_op == SP_OP_SETSOCKOPT) {
		len = m->m_args[3].a_len;
		if ((val = sp_rbuf(r, len)) == NULL) {
			r->r_error = ENOMEM;
			return;
		}
		if (len > 0)
			memcpy(val, m->m_args[3].a_p, len);
		r->r_error = ksys_setsockopt(p, sp_argi(m, 0), sp_argi(m, 1),
		    sp_argi(m, 2), len > 0 ? val : NULL, len);
		return;
	}
	len = MIN(sp_argu(m, 3), SP_MAXOPT);
	if ((val = sp_rbuf(r, len)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	memset(val, 0, len > 0 ? len : 1);
	r->r_error = ksys_getsockopt(p, sp_argi(m, 0), sp_argi(m, 1),
	    sp_argi(m, 2), val, &len);
	sp_set_blob(&r->r_args[0], val, MIN(len, SP_MAXOPT));
	r->r_args[1].a_v = len;
}

/*
 * ioctl: the request's encoding says how many bytes its argument has
 * and which way they go (rump_ioctl_size(), <rumpnet/rump_net.h>);
 * FIONBIO (in) and FIONREAD (out) take an int.  A request with no
 * argument size is not one the kernel knows: ENOTTY.
 */
static void
sp_exec_ioctl(struct proc *p, const struct sp_msg *m, struct sp_reply *r)
{
	unsigned long cmd = (unsigned long)m->m_args[1].a_v;
	int in, out;
	size_t size;
	uint8_t *arg;

	if (cmd == KFIONBIO || cmd == KFIONREAD) {
		size = sizeof(int);
		in = cmd == KFIONBIO;
		out = cmd == KFIONREAD;
	} else {
		size = rump_ioctl_size(cmd);
		in = rump_ioctl_copyin(cmd);
		out = rump_ioctl_copyout(cmd);
	}
	if (size == 0) {
		r->r_error = ENOTTY;
		return;
	}
	if (m->m_args[2].a_len != (in ? size : 0)) {
		r->r_error = EINVAL;
		return;
	}
	if ((arg = sp_rbuf(r, size)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	if (in)
		memcpy(arg, m->m_args[2].a_p, size);
	else
		memset(arg, 0, size);
	r->r_error = ksys_ioctl(p, sp_argi(m, 0), cmd, arg);
	sp_set_blob(&r->r_args[0], arg, out ? size : 0);
}

static void
sp_exec_sysctlbyname(struct proc *p, const struct sp_msg *m,
    struct sp_reply *r)
{
	const char *name = (const char *)m->m_args[0].a_p;
	uint32_t flags = sp_argu(m, 2);
	size_t oldlen = MIN(sp_argu(m, 1), SP_MAXSYSCTL);
	size_t newlen = m->m_args[3].a_len;
	uint8_t *buf, *oldp = NULL, *newp = NULL;
	int error;

	/* One buffer: the old value's space, then the new value. */
	if ((buf = sp_rbuf(r, oldlen + newlen)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	if (flags & SP_SYSCTL_OLDP)
		oldp = buf;
	if (flags & SP_SYSCTL_NEWP) {
		newp = buf + oldlen;
		if (newlen > 0)
			memcpy(newp, m->m_args[3].a_p, newlen);
	}
	if (!(flags & SP_SYSCTL_OLDLENP))
		oldlen = 0;
	error = ksys_sysctlbyname(p, name, oldp,
	    (flags & SP_SYSCTL_OLDLENP) ? &oldlen : NULL, newp, newlen);
	r->r_args[0].a_v = error;
	sp_set_blob(&r->r_args[1], buf,
	    (oldp != NULL && error == 0) ? MIN(oldlen, SP_MAXSYSCTL) : 0);
	r->r_args[2].a_v = (int64_t)oldlen;
}

static void
sp_exec_sysctlnext(struct proc *p, const struct sp_msg *m,
    struct sp_reply *r)
{
	size_t namelen = MIN(sp_argu(m, 2), SP_MAXSTR);
	int type = 0, wanttype = (sp_argu(m, 3) & SP_SYSCTL_TYPEP) != 0;
	char *name;

	if ((name = sp_rbuf(r, namelen)) == NULL) {
		r->r_error = ENOMEM;
		return;
	}
	r->r_error = ksys_sysctlnext(p, (const char *)m->m_args[0].a_p,
	    (const char *)m->m_args[1].a_p, name, namelen,
	    wanttype ? &type : NULL);
	if (r->r_error == 0)
		sp_set_blob(&r->r_args[0], name, strnlen(name, namelen) + 1);
	r->r_args[1].a_v = type;
}

void
sp_exec(struct proc *p, const struct sp_msg *m, struct sp_reply *r)
{
	union sp_addrbuf *ab = &r->r_addr;
	ksocklen_t alen = SP_MAXADDR;
	const void *addr;
	size_t n = 0;
	int v = -1;

	memset(r, 0, sizeof(*r));
	switch (m->m_hdr.h_op) {
	case SP_OP_SOCKET:
		r->r_error = ksys_socket(p, sp_argi(m, 0), sp_argi(m, 1),
		    sp_argi(m, 2), &v);
		r->r_args[0].a_v = v;
		break;
	case SP_OP_BIND:
	case SP_OP_CONNECT:
		addr = sp_addr_in(&m->m_args[1], ab);
		if (m->m_hdr.h_op == SP_OP_BIND)
			r->r_error = ksys_bind(p, sp_argi(m, 0), addr,
			    m->m_args[1].a_len);
		else
			r->r_error = ksys_connect(p, sp_argi(m, 0), addr,
			    m->m_args[1].a_len);
		break;
	case SP_OP_LISTEN:
		r->r_error = ksys_listen(p, sp_argi(m, 0), sp_argi(m, 1));
		break;
	case SP_OP_ACCEPT4:
		sp_exec_accept4(p, m, r, ab);
		break;
	case SP_OP_SHUTDOWN:
		r->r_error = ksys_shutdown(p, sp_argi(m, 0), sp_argi(m, 1));
		break;
	case SP_OP_CLOSE:
		r->r_error = ksys_close(p, sp_argi(m, 0));
		break;
	case SP_OP_SENDTO:
		addr = sp_addr_in(&m->m_args[3], ab);
		r->r_error = ksys_sendto(p, sp_argi(m, 0), m->m_args[1].a_p,
		    m->m_args[1].a_len, sp_argi(m, 2), addr,
		    m->m_args[3].a_len, &n);
		r->r_args[0].a_v = (int64_t)n;
		break;
	case SP_OP_RECVFROM:
	case SP_OP_RECVMSG:
		sp_exec_recv(p, m, r, ab);
		break;
	case SP_OP_READ: {
		size_t want = MIN(sp_argu(m, 1), SP_MAXDATA);
		uint8_t *buf = sp_rbuf(r, want);

		if (buf == NULL) {
			r->r_error = ENOMEM;
			break;
		}
		r->r_error = ksys_read(p, sp_argi(m, 0), buf, want, &n);
		r->r_args[0].a_v = (int64_t)n;
		sp_set_blob(&r->r_args[1], buf, MIN(n, want));
		break;
	}
	case SP_OP_WRITE:
		r->r_error = ksys_write(p, sp_argi(m, 0), m->m_args[1].a_p,
		    m->m_args[1].a_len, &n);
		r->r_args[0].a_v = (int64_t)n;
		break;
	case SP_OP_POLL:
		sp_exec_poll(p, m, r);
		break;
	case SP_OP_GETSOCKOPT:
	case SP_OP_SETSOCKOPT:
		sp_exec_sockopt(p, m, r);
		break;
	case SP_OP_GETSOCKNAME:
	case SP_OP_GETPEERNAME:
		if (m->m_hdr.h_op == SP_OP_GETSOCKNAME)
			r->r_error = ksys_getsockname(p, sp_argi(m, 0),
			    ab->ab_bytes, &alen);
		else
			r->r_error = ksys_getpeername(p, sp_argi(m, 0),
			    ab->ab_bytes, &alen);
		sp_set_addr(r, 0, ab, alen, sp_argu(m, 1) != 0);
		break;
	case SP_OP_IOCTL:
		sp_exec_ioctl(p, m, r);
		break;
	case SP_OP_FCNTL:
		r->r_error = ksys_fcntl(p, sp_argi(m, 0), sp_argi(m, 1),
		    (long)m->m_args[2].a_v, &v);
		r->r_args[0].a_v = v;
		break;
	case SP_OP_DUP:
		r->r_error = ksys_dup(p, sp_argi(m, 0), &v);
		r->r_args[0].a_v = v;
		break;
	case SP_OP_DUP2:
		r->r_error = ksys_dup2(p, sp_argi(m, 0), sp_argi(m, 1), &v);
		r->r_args[0].a_v = v;
		break;
	case SP_OP_DUP3:
		r->r_error = ksys_dup3(p, sp_argi(m, 0), sp_argi(m, 1),
		    sp_argi(m, 2), &v);
		r->r_args[0].a_v = v;
		break;
	case SP_OP_SYSCTLBYNAME:
		sp_exec_sysctlbyname(p, m, r);
		break;
	case SP_OP_SYSCTLNEXT:
		sp_exec_sysctlnext(p, m, r);
		break;
	default:
		r->r_error = ENOSYS;
		break;
	}
}

int
sp_exec_proc_create(struct proc **pp)
{
	struct netstack *ns = rump_netstack();
	int error;

	if (ns == NULL)
		return ENXIO;
	if ((error = proc_create(ns, pp)) != 0)
		return error;
	proc_setcurrent(*pp);
	return 0;
}

void
sp_exec_proc_abort(struct proc *p)
{
	sp_proc_abort(p);
}

void
sp_exec_proc_reap(struct proc *p)
{
	if (proc_current() == p)
		proc_setcurrent(NULL);
	sp_proc_reap(p);
}

int
sp_exec_proc_new(struct proc **pp)
{
	struct netstack *ns = rump_netstack();

	if (ns == NULL)
		return ENXIO;
	return proc_create(ns, pp);
}

int
sp_exec_proc_fork(struct proc *parent, struct proc **childp)
{
	return proc_fork(parent, childp);
}

struct lwp *
sp_exec_lwp_create(struct proc *p)
{
	struct lwp *l = malloc(sizeof(*l));

	if (l == NULL)
		return NULL;
	proc_lwp_init(l, p);
	proc_setlwp(l);
	return l;
}

void
sp_exec_lwp_interrupt(struct lwp *l)
{
	proc_lwp_interrupt(l);
}

void
sp_exec_lwp_clear(struct lwp *l)
{
	proc_lwp_clear(l);
}

void
sp_exec_lwp_destroy(struct lwp *l)
{
	if (l == NULL)
		return;
	if (rumpuser_curlwp() == l)
		proc_setlwp(NULL);
	free(l);
}
