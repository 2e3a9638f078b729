/*
 * uipc_socket.c -- sockets: creation and lifetime, the services
 * protocols call (wakeups, state changes, accept queues), and the
 * operations behind the socket system calls.
 *
 * Lifetime.  A socket is created with one open file (sys_socket.c) or,
 * for an incoming connection, by sonewconn on a listener's queue.  When
 * its last descriptor is closed, soclose detaches the protocol
 * (pr_detach).  If the protocol cleared so_pcb the socket is freed at
 * once; if it kept so_pcb (a graceful close still sending so_snd) it
 * calls sofree when it is done.  Closing a listener first detaches
 * every connection still on its queues, embryonic or complete.
 *
 * Blocking.  Operations that wait sleep on so_cv through proc_sleep,
 * with the deadline of SO_RCVTIMEO / SO_SNDTIMEO (EAGAIN when it passes,
 * as Linux).  Every wakeup also broadcasts the instance's poll condvar,
 * so poll() needs no per-socket registration.
 *
 * All with the kernel lock held.
 */
#include "netstack/kern/socket_private.h"

static bool
sostream(const struct socket *so)
{
	return so->so_type == KSOCK_STREAM;
}

static bool
soconnreq(const struct socket *so)
{
	return (so->so_proto->pr_flags & PR_CONNREQUIRED) != 0;
}

/* Take the pending error (SO_ERROR is read-and-clear). */
static int
sotakeerror(struct socket *so)
{
	int error = so->so_error;

	so->so_error = 0;
	return error;
}

static uint64_t
sodeadline(const struct socket *so, const struct sockbuf *sb)
{
	return sb->sb_timeo == 0 ? 0 : netstack_now(so->so_ns) + sb->sb_timeo;
}

int
socheck(struct socket *so)
{
	return (sotopriv(so)->sp_flags & SP_DEFUNCT) ? EOPNOTSUPP : 0;
}

/* ------------------------------------------------------------ wakeups */

static void
sowakeup(struct socket *so)
{
	KASSERT(klock_held(&so->so_ns->ns_klock));
	kcondvar_broadcast(&so->so_cv);
	kcondvar_broadcast(&socket_state(so->so_ns)->ss_pollcv);
}

void
sorwakeup(struct socket *so)
{
	sowakeup(so);
}

void
sowwakeup(struct socket *so)
{
	sowakeup(so);
}

void
soisconnecting(struct socket *so)
{
	/* A new attempt (Linux allows connecting again after a failure). */
	so->so_state &= ~(SS_ISCONNECTED | SS_ISDISCONNECTING |
	    SS_ISDISCONNECTED | SS_CANTRCVMORE | SS_CANTSENDMORE);
	so->so_state |= SS_ISCONNECTING;
	sowakeup(so);
}

void
soisconnected(struct socket *so)
{
	so->so_state &= ~(SS_ISCONNECTING | SS_ISDISCONNECTING |
	    SS_ISDISCONNECTED);
	so->so_state |= SS_ISCONNECTED;
	if (sotopriv(so)->sp_flags & SP_INQ0)
		soqinsque_complete(so);
	sowakeup(so);
}

void
soisdisconnecting(struct socket *so)
{
	so->so_state &= ~SS_ISCONNECTING;
	so->so_state |= SS_ISDISCONNECTING | SS_CANTRCVMORE | SS_CANTSENDMORE;
	sowakeup(so);
}

void
soisdisconnected(struct socket *so)
{
	so->so_state &= ~(SS_ISCONNECTING | SS_ISCONNECTED |
	    SS_ISDISCONNECTING);
	so->so_state |= SS_ISDISCONNECTED | SS_CANTRCVMORE | SS_CANTSENDMORE;
	sowakeup(so);
}

void
socantsendmore(struct socket *so)
{
	so->so_state |= SS_CANTSENDMORE;
	sowakeup(so);
}

void
socantrcvmore(struct socket *so)
{
	so->so_state |= SS_CANTRCVMORE;
	sowakeup(so);
}

void
soseterror(struct socket *so, int error)
{
	so->so_error = error;
	sowakeup(so);
}

/* ------------------------------------------------------------ lifetime */

static struct socket *
soalloc(struct netstack *ns, const struct protosw *pr, int type, int family,
    int protocol)
{
	struct socket_state *ss = socket_state(ns);
	struct sockpriv *sp;
	struct socket *so;
	bool stream = type == KSOCK_STREAM;

	sp = kmem_zalloc(sizeof(*sp));
	so = &sp->sp_so;
	if (kcondvar_init(&so->so_cv) != 0) {
		kmem_free(sp, sizeof(*sp));
		return NULL;
	}
	so->so_ns = ns;
	so->so_proto = pr;
	so->so_type = type;
	so->so_family = family;
	so->so_protocol = protocol;
	sbinit(&so->so_rcv, stream ? SB_STREAM_RCVSPACE : SB_DGRAM_RCVSPACE,
	    stream);
	sbinit(&so->so_snd, stream ? SB_STREAM_SNDSPACE : SB_DGRAM_SNDSPACE,
	    stream);
	so->so_snd.sb_lowat = SB_SNDLOWAT;

	sp->sp_next = ss->ss_sockets;
	if (sp->sp_next != NULL)
		sp->sp_next->sp_prevp = &sp->sp_next;
	ss->ss_sockets = sp;
	sp->sp_prevp = &ss->ss_sockets;
	ss->ss_nsockets++;
	return so;
}

/* Release the memory: no file, queue or protocol refers to so. */
static void
sofree_now(struct socket *so)
{
	struct socket_state *ss = socket_state(so->so_ns);
	struct sockpriv *sp = sotopriv(so);

	KASSERT(so->so_q == NULL && so->so_qlen == 0);
	*sp->sp_prevp = sp->sp_next;
	if (sp->sp_next != NULL)
		sp->sp_next->sp_prevp = sp->sp_prevp;
	ss->ss_nsockets--;
	sbrelease(&so->so_rcv);
	sbrelease(&so->so_snd);
	kcondvar_destroy(&so->so_cv);
	kmem_free(sp, sizeof(*sp));
}

int
socreate(struct netstack *ns, int domain, int type, int protocol,
    struct socket **sop)
{
	const struct protosw *pr;
	struct socket *so;
	int error = 0;

	KASSERT(klock_held(&ns->ns_klock));
	if ((pr = proto_lookup(ns, domain, type, protocol, &error)) == NULL)
		return error;
	so = soalloc(ns, pr, type, domain,
	    protocol != 0 ? protocol : pr->pr_protocol);
	if (so == NULL)
		return ENOBUFS;
	if ((error = (*pr->pr_attach)(so, protocol)) != 0) {
		sotopriv(so)->sp_flags |= SP_DETACHED | SP_NOFDREF;
		sofree_now(so);
		return error;
	}
	*sop = so;
	return 0;
}

/* Unlink so from its listener's queues. */
static void
soqremove(struct socket *so)
{
	struct sockpriv *sp = sotopriv(so);
	struct socket *head = so->so_head, **pp;

	if (sp->sp_flags & SP_INQ0) {
		KASSERT(head->so_q0len > 0);
		head->so_q0len--;
	} else if (sp->sp_flags & SP_INQ) {
		for (pp = &head->so_q; *pp != so; pp = &(*pp)->so_qnext)
			KASSERT(*pp != NULL);
		*pp = so->so_qnext;
		KASSERT(head->so_qlen > 0);
		head->so_qlen--;
	}
	so->so_qnext = NULL;
	so->so_head = NULL;
	sp->sp_flags &= ~(SP_INQ0 | SP_INQ);
}

/* Detach the protocol from a socket nobody refers to any more. */
static void
sodetach_orphan(struct socket *so)
{
	struct sockpriv *sp = sotopriv(so);

	sp->sp_flags |= SP_NOFDREF;
	so->so_refs = 0;
	if (!(sp->sp_flags & SP_DETACHED)) {
		sp->sp_flags |= SP_DETACHED;
		(*so->so_proto->pr_detach)(so);
	}
	if (so->so_pcb == NULL)
		sofree_now(so);
}

/* Abort every connection queued on a listener. */
static void
soqflush(struct socket *head)
{
	struct socket_state *ss = socket_state(head->so_ns);
	struct sockpriv *sp;

	while (head->so_q != NULL) {
		struct socket *so = head->so_q;

		soqremove(so);
		sodetach_orphan(so);
	}
	/* Embryonic ones are found by their head pointer. */
	while (head->so_q0len > 0) {
		for (sp = ss->ss_sockets; sp != NULL; sp = sp->sp_next)
			if (sp->sp_so.so_head == head &&
			    (sp->sp_flags & SP_INQ0))
				break;
		KASSERT(sp != NULL);
		soqremove(&sp->sp_so);
		sodetach_orphan(&sp->sp_so);
	}
}

void
soclose(struct socket *so)
{
	KASSERT(klock_held(&so->so_ns->ns_klock));
	KASSERT(!(sotopriv(so)->sp_flags & SP_NOFDREF));
	soqflush(so);
	so->so_options &= ~SO_OPT_ACCEPTCONN;
	sodetach_orphan(so);
}

void
sofree(struct socket *so)
{
	struct sockpriv *sp = sotopriv(so);

	KASSERT(klock_held(&so->so_ns->ns_klock));
	so->so_pcb = NULL;
	if ((sp->sp_flags & SP_NOFDREF) && !(sp->sp_flags & (SP_INQ0 | SP_INQ)))
		sofree_now(so);
}

void
sodestroy(struct socket *so)
{
	struct socket_state *ss = socket_state(so->so_ns);
	struct sockpriv *sp = sotopriv(so), *cp;

	if (sp->sp_flags & (SP_INQ0 | SP_INQ))
		soqremove(so);
	/* A listener's connections, complete or embryonic, lose it. */
	for (cp = ss->ss_sockets; cp != NULL; cp = cp->sp_next)
		if (cp->sp_so.so_head == so)
			soqremove(&cp->sp_so);
	KASSERT(so->so_q == NULL && so->so_qlen == 0 && so->so_q0len == 0);
	sofree_now(so);
}

/* ------------------------------------------------------- accept queues */

struct socket *
sonewconn(struct socket *head)
{
	struct sockpriv *hp = sotopriv(head);
	struct socket *so;

	KASSERT(klock_held(&head->so_ns->ns_klock));
	if (!(head->so_options & SO_OPT_ACCEPTCONN) ||
	    (hp->sp_flags & (SP_NOFDREF | SP_DEFUNCT)))
		return NULL;
	/* Like Linux's accept queue, the backlog may overflow by one. */
	if (head->so_qlen + head->so_q0len > head->so_qlimit)
		return NULL;
	so = soalloc(head->so_ns, head->so_proto, head->so_type,
	    head->so_family, head->so_protocol);
	if (so == NULL)
		return NULL;
	so->so_options = head->so_options & ~SO_OPT_ACCEPTCONN;
	so->so_linger = head->so_linger;
	if (sbreserve(&so->so_rcv, head->so_rcv.sb_hiwat, sostream(so)) != 0 ||
	    sbreserve(&so->so_snd, head->so_snd.sb_hiwat, sostream(so)) != 0) {
		sotopriv(so)->sp_flags |= SP_DETACHED | SP_NOFDREF;
		sofree_now(so);
		return NULL;
	}
	so->so_rcv.sb_lowat = head->so_rcv.sb_lowat;
	so->so_rcv.sb_timeo = head->so_rcv.sb_timeo;
	so->so_snd.sb_timeo = head->so_snd.sb_timeo;
	so->so_head = head;
	sotopriv(so)->sp_flags |= SP_INQ0;
	head->so_q0len++;
	return so;
}

void
soqinsque_complete(struct socket *so)
{
	struct sockpriv *sp = sotopriv(so);
	struct socket *head = so->so_head, **pp;

	KASSERT(klock_held(&so->so_ns->ns_klock));
	if (!(sp->sp_flags & SP_INQ0))
		return;
	head->so_q0len--;
	sp->sp_flags = (sp->sp_flags & ~SP_INQ0) | SP_INQ;
	for (pp = &head->so_q; *pp != NULL; pp = &(*pp)->so_qnext)
		continue;
	*pp = so;
	so->so_qnext = NULL;
	head->so_qlen++;
	if (!(so->so_state & SS_ISCONNECTED)) {
		so->so_state &= ~SS_ISCONNECTING;
		so->so_state |= SS_ISCONNECTED;
	}
	sorwakeup(head);
}

void
soabort_embryonic(struct socket *so)
{
	struct sockpriv *sp = sotopriv(so);

	KASSERT(klock_held(&so->so_ns->ns_klock));
	soqremove(so);
	sp->sp_flags |= SP_DETACHED | SP_NOFDREF;
	so->so_pcb = NULL;
	sofree_now(so);
}

/* Put a dequeued connection back at the front (accept found no fd). */
static void
soqrequeue(struct socket *head, struct socket *so)
{
	so->so_head = head;
	so->so_qnext = head->so_q;
	head->so_q = so;
	head->so_qlen++;
	sotopriv(so)->sp_flags |= SP_INQ;
}

/* ---------------------------------------------------- system call ops */

int
sobind(struct socket *so, const struct ksockaddr *nam, size_t len)
{
	int error;

	if ((error = socheck(so)) != 0)
		return error;
	if (so->so_proto->pr_bind == NULL)
		return EOPNOTSUPP;
	if ((error = (*so->so_proto->pr_bind)(so, nam, len)) == 0)
		so->so_state |= SS_ISBOUND;
	return error;
}

int
solisten(struct socket *so, int backlog)
{
	struct socket_state *ss = socket_state(so->so_ns);
	const struct protosw *pr = so->so_proto;
	int error;

	if ((error = socheck(so)) != 0)
		return error;
	if (!(pr->pr_flags & PR_LISTEN) || pr->pr_listen == NULL)
		return EOPNOTSUPP;
	if (so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING))
		return EINVAL;
	/* Linux: a negative or too large backlog means kern.somaxconn. */
	if ((unsigned)backlog > (unsigned)ss->ss_somaxconn)
		backlog = ss->ss_somaxconn;
	if ((error = (*pr->pr_listen)(so, backlog)) != 0)
		return error;
	so->so_state &= ~(SS_CANTRCVMORE | SS_CANTSENDMORE);
	so->so_options |= SO_OPT_ACCEPTCONN;
	so->so_qlimit = (unsigned)backlog;
	sowakeup(so);
	return 0;
}

int
soaccept(struct proc *p, struct socket *head, bool nonblock,
    struct socket **sop)
{
	uint64_t deadline = sodeadline(head, &head->so_rcv);
	struct socket *so;
	int error;

	for (;;) {
		if ((error = socheck(head)) != 0)
			return error;
		if (!(head->so_proto->pr_flags & PR_LISTEN))
			return EOPNOTSUPP;
		if (!(head->so_options & SO_OPT_ACCEPTCONN) ||
		    (head->so_state & SS_CANTRCVMORE))
			return EINVAL;
		if (head->so_q != NULL)
			break;
		if (nonblock)
			return EAGAIN;
		error = proc_sleep(p, &head->so_cv, deadline);
		if (error == EWOULDBLOCK)
			return EAGAIN;
		if (error != 0)
			return error;
	}
	so = head->so_q;
	soqremove(so);
	*sop = so;
	return 0;
}

void
soaccept_undo(struct socket *head, struct socket *so)
{
	soqrequeue(head, so);
}

int
soconnect(struct proc *p, struct socket *so, const struct ksockaddr *nam,
    size_t len, bool nonblock)
{
	const struct protosw *pr = so->so_proto;
	uint64_t deadline;
	int error;

	if ((error = socheck(so)) != 0)
		return error;
	if (pr->pr_connect == NULL)
		return EOPNOTSUPP;
	if (so->so_options & SO_OPT_ACCEPTCONN)
		return EISCONN;
	if (nam->sa_family != AF_UNSPEC && nam->sa_family != so->so_family)
		return EAFNOSUPPORT;
	if (!soconnreq(so)) {
		/* Datagrams: the protocol sets (or with AF_UNSPEC
		 * dissolves) the default destination at once. */
		return (*pr->pr_connect)(so, nam, len);
	}
	if (nam->sa_family == AF_UNSPEC) {
		/* Linux: connect(AF_UNSPEC) disconnects a stream socket. */
		if (!(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)) ||
		    pr->pr_disconnect == NULL)
			return 0;
		return (*pr->pr_disconnect)(so);
	}
	if (so->so_state & SS_ISCONNECTED)
		return EISCONN;
	if (so->so_state & SS_ISCONNECTING) {
		if (nonblock)
			return EALREADY;
	} else {
		if ((error = (*pr->pr_connect)(so, nam, len)) != 0)
			return error;
		if (so->so_state & SS_ISCONNECTED)
			return 0;
		if (!(so->so_state & SS_ISCONNECTING))
			return so->so_error != 0 ? sotakeerror(so) :
			    ECONNREFUSED;
		if (nonblock)
			return EINPROGRESS;
	}
	deadline = sodeadline(so, &so->so_snd);
	while ((so->so_state & SS_ISCONNECTING) && so->so_error == 0) {
		error = proc_sleep(p, &so->so_cv, deadline);
		if (error == EWOULDBLOCK)
			return EINPROGRESS;	/* Linux, SO_SNDTIMEO */
		if (error != 0)
			return error;
		if ((error = socheck(so)) != 0)
			return error;
	}
	if (so->so_error != 0)
		return sotakeerror(so);
	return (so->so_state & SS_ISCONNECTED) ? 0 : ECONNABORTED;
}

int
soshutdown(struct socket *so, int how)
{
	const struct protosw *pr = so->so_proto;
	bool notconn;
	int error = 0;

	if (how != KSHUT_RD && how != KSHUT_WR && how != KSHUT_RDWR)
		return EINVAL;
	if ((error = socheck(so)) != 0)
		return error;
	if (so->so_options & SO_OPT_ACCEPTCONN) {
		/* Linux: shutting a listener's read side stops it. */
		if (how != KSHUT_WR) {
			soqflush(so);
			so->so_options &= ~SO_OPT_ACCEPTCONN;
			socantrcvmore(so);
		}
		return 0;
	}
	notconn = !(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING));
	if (how != KSHUT_WR)
		socantrcvmore(so);
	if (how != KSHUT_RD && !(so->so_state & SS_CANTSENDMORE)) {
		socantsendmore(so);
		if (pr->pr_shutdown != NULL)
			error = (*pr->pr_shutdown)(so);
	}
	/* Linux applies it anyway and then says ENOTCONN. */
	return notconn ? ENOTCONN : error;
}

static int
sosend_dgram(struct socket *so, const struct ksockaddr *nam, size_t namlen,
    struct kuio *uio, int flags, size_t *donep)
{
	size_t len = uio->uio_resid;
	struct mbuf *m;
	int error;

	if (so->so_state & SS_CANTSENDMORE)
		return EPIPE;
	if (so->so_error != 0)
		return sotakeerror(so);
	if (nam == NULL && !(so->so_state & SS_ISCONNECTED))
		return soconnreq(so) ? ENOTCONN : EDESTADDRREQ;
	if (len > SB_MAXDGRAM)
		return EMSGSIZE;
	if ((m = m_get(len, MHEADROOM)) == NULL)
		return ENOBUFS;
	m->m_len = (uint32_t)uio_copyin(uio, m->m_data, len);
	m->m_pkthdr.len = m->m_len;
	KASSERT(m->m_len == len);
	error = (*so->so_proto->pr_send)(so, m, nam, namlen, flags);
	if (error == 0)
		*donep = len;
	return error;
}

/*
 * Stream send: copy into so_snd as space allows and let the protocol
 * transmit; block while the buffer is full.  A partial count is
 * returned when the call stops early (non-blocking, timeout, error).
 */
static int
sosend_stream(struct proc *p, struct socket *so, struct kuio *uio,
    int flags, bool nonblock, size_t *donep)
{
	uint64_t deadline = sodeadline(so, &so->so_snd);
	size_t sent = 0;
	int error = 0;

	for (;;) {
		if (so->so_state & SS_CANTSENDMORE) {
			error = EPIPE;
			break;
		}
		if (so->so_error != 0) {
			if (sent == 0)
				error = sotakeerror(so);
			break;
		}
		if (so->so_state & SS_ISCONNECTED) {
			uint32_t space = sbspace(&so->so_snd);

			if (uio->uio_resid == 0)
				break;
			if (space > 0) {
				sent += uio_copyin_sb(uio, &so->so_snd, space);
				error = (*so->so_proto->pr_send)(so, NULL,
				    NULL, 0, flags);
				if (error != 0)
					break;
				continue;
			}
		} else if (!(so->so_state & SS_ISCONNECTING)) {
			/* Linux answers EPIPE, not ENOTCONN, for streams. */
			error = EPIPE;
			break;
		}
		/* Full, or still connecting: wait. */
		if (nonblock) {
			error = EAGAIN;
			break;
		}
		error = proc_sleep(p, &so->so_cv, deadline);
		if (error == EWOULDBLOCK)
			error = EAGAIN;
		if (error == 0)
			error = socheck(so);
		if (error != 0)
			break;
	}
	*donep = sent;
	return sent > 0 ? 0 : error;
}

int
sosend(struct proc *p, struct socket *so, const struct ksockaddr *nam,
    size_t namlen, struct kuio *uio, int flags, size_t *donep)
{
	bool nonblock = (so->so_state & SS_NBIO) || (flags & KMSG_DONTWAIT);
	int error;

	*donep = 0;
	if ((error = socheck(so)) != 0)
		return error;
	if (so->so_proto->pr_send == NULL)
		return EOPNOTSUPP;
	if (flags & KMSG_OOB)
		return EOPNOTSUPP;
	if (!sostream(so))
		return sosend_dgram(so, nam, namlen, uio, flags, donep);
	return sosend_stream(p, so, uio, flags, nonblock, donep);
}

static void
sorcvd(struct socket *so)
{
	if ((so->so_proto->pr_flags & PR_WANTRCVD) &&
	    so->so_proto->pr_rcvd != NULL &&
	    !(sotopriv(so)->sp_flags & SP_DEFUNCT))
		(*so->so_proto->pr_rcvd)(so);
}

/*
 * Stream receive: return once 'target' bytes were copied (SO_RCVLOWAT,
 * or everything with MSG_WAITALL), or earlier at end of stream, on an
 * error, a timeout, or without blocking.  MSG_PEEK copies without
 * consuming; MSG_TRUNC consumes without copying (Linux).
 */
static int
soreceive_stream(struct proc *p, struct socket *so, struct kuio *uio,
    int flags, bool nonblock, size_t *donep)
{
	struct sockbuf *sb = &so->so_rcv;
	uint64_t deadline = sodeadline(so, sb);
	bool peek = (flags & KMSG_PEEK) != 0;
	size_t copied = 0, target;
	int error = 0;

	if (uio->uio_resid == 0)
		return 0;
	target = (flags & KMSG_WAITALL) ? uio->uio_resid :
	    MIN(uio->uio_resid, MAX(1u, MIN(sb->sb_lowat, sb->sb_hiwat)));
	for (;;) {
		uint32_t off = peek ? (uint32_t)copied : 0;
		uint32_t avail = sb->sb_cc > off ? sb->sb_cc - off : 0;

		if (avail > 0 && uio->uio_resid > 0) {
			uint32_t n = (uint32_t)MIN((size_t)avail,
			    uio->uio_resid);

			if (flags & KMSG_TRUNC)
				uio_skip(uio, n);
			else
				uio_copyout_sb(uio, sb, off, n);
			copied += n;
			if (!peek) {
				sbdrop_stream(sb, n);
				sorcvd(so);
			}
			continue;
		}
		if (copied >= target || uio->uio_resid == 0)
			break;
		if (so->so_error != 0) {
			if (copied == 0)
				error = sotakeerror(so);
			break;
		}
		if (so->so_state & SS_CANTRCVMORE)
			break;
		if (soconnreq(so) &&
		    !(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING))) {
			if (copied == 0)
				error = ENOTCONN;
			break;
		}
		if (nonblock) {
			if (copied == 0)
				error = EAGAIN;
			break;
		}
		error = proc_sleep(p, &so->so_cv, deadline);
		if (error == EWOULDBLOCK)
			error = EAGAIN;
		if (error != 0) {
			if (copied > 0)
				error = 0;
			break;
		}
	}
	*donep = copied;
	return error;
}

/*
 * Datagram receive: one record per call.  A record longer than the
 * buffers is cut (KMSG_TRUNC in *msgflagsp) and, unless peeking, the
 * rest is lost; with KMSG_TRUNC in flags the call returns the record's
 * real length.
 */
static int
soreceive_dgram(struct proc *p, struct socket *so,
    struct ksockaddr_storage *from, size_t *fromlen, struct kuio *uio,
    int flags, bool nonblock, int *msgflagsp, size_t *donep)
{
	struct sockbuf *sb = &so->so_rcv;
	uint64_t deadline = sodeadline(so, sb);
	uint32_t hdrlen, reclen;
	struct mbuf *m;
	size_t n;
	int error;

	for (;;) {
		if ((m = sb->sb_q.mq_head) != NULL)
			break;
		if (so->so_error != 0)
			return sotakeerror(so);
		if (so->so_state & SS_CANTRCVMORE)
			return 0;
		if (nonblock)
			return EAGAIN;
		error = proc_sleep(p, &so->so_cv, deadline);
		if (error == EWOULDBLOCK)
			return EAGAIN;
		if (error != 0)
			return error;
	}
	sbrecord_parse(m, from, fromlen, &hdrlen);
	reclen = m->m_len - hdrlen;
	n = uio_copyout(uio, m->m_data + hdrlen, reclen);
	if (n < reclen)
		*msgflagsp |= KMSG_TRUNC;
	*donep = (flags & KMSG_TRUNC) ? reclen : n;
	if (!(flags & KMSG_PEEK)) {
		m = mq_dequeue(&sb->sb_q);
		KASSERT(sb->sb_cc >= reclen);
		sb->sb_cc -= reclen;
		m_freem(m);
		sorcvd(so);
	}
	return 0;
}

int
soreceive(struct proc *p, struct socket *so, struct ksockaddr_storage *from,
    size_t *fromlen, struct kuio *uio, int flags, int *msgflagsp,
    size_t *donep)
{
	bool nonblock = (so->so_state & SS_NBIO) || (flags & KMSG_DONTWAIT);

	*donep = 0;
	*msgflagsp = 0;
	if (fromlen != NULL)
		*fromlen = 0;
	if (flags & KMSG_OOB)
		return sostream(so) ? EINVAL : EOPNOTSUPP;
	if (!sostream(so))
		return soreceive_dgram(p, so, from, fromlen, uio, flags,
		    nonblock, msgflagsp, donep);
	return soreceive_stream(p, so, uio, flags, nonblock, donep);
}

/* ------------------------------------------------------------- options */

static int
sooptint(const void *val, size_t len, int *vp)
{
	if (len < sizeof(int))
		return EINVAL;
	memcpy(vp, val, sizeof(int));
	return 0;
}

static int
sosetbuf(struct socket *so, struct sockbuf *sb, int v)
{
	struct socket_state *ss = socket_state(so->so_ns);
	uint32_t want;
	int error;

	/* Linux reads the value unsigned: a negative one means "most". */
	want = (uint32_t)v;
	want = MAX(want, SB_MIN);
	want = MIN(want, (uint32_t)ss->ss_sbmax);
	want = MAX(want, sb->sb_cc);
	if ((error = sbreserve(sb, want, sostream(so))) != 0)
		return error;
	sowakeup(so);
	return 0;
}

static int
sosettimeo(struct sockbuf *sb, const void *val, size_t len)
{
	struct ktimeval tv;

	if (len < sizeof(tv))
		return EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return EDOM;
	if (tv.tv_sec < 0)
		sb->sb_timeo = 1;	/* Linux: already expired */
	else if ((uint64_t)tv.tv_sec >= UINT32_MAX)
		sb->sb_timeo = NS_SEC(UINT32_MAX);
	else
		sb->sb_timeo = NS_SEC(tv.tv_sec) +
		    (uint64_t)tv.tv_usec * 1000;
	return 0;
}

static int
sooptbit(int name)
{
	switch (name) {
	case KSO_REUSEADDR:	return SO_OPT_REUSEADDR;
	case KSO_REUSEPORT:	return SO_OPT_REUSEPORT;
	case KSO_KEEPALIVE:	return SO_OPT_KEEPALIVE;
	case KSO_BROADCAST:	return SO_OPT_BROADCAST;
	case KSO_DONTROUTE:	return SO_OPT_DONTROUTE;
	case KSO_OOBINLINE:	return SO_OPT_OOBINLINE;
	default:		return 0;
	}
}

static int sosetopt_local(struct socket *so, int name, const void *val,
    size_t len);

int
sosetopt(struct socket *so, int level, int name, const void *val,
    size_t len)
{
	const struct protosw *pr = so->so_proto;
	int error;

	if (level != KSOL_SOCKET) {
		if ((error = socheck(so)) != 0)
			return error;
		if (pr->pr_ctloutput == NULL)
			return ENOPROTOOPT;
		return (*pr->pr_ctloutput)(so, true, level, name,
		    (void *)(uintptr_t)val, &len);
	}
	if ((error = sosetopt_local(so, name, val, len)) != 0)
		return error;
	if ((pr->pr_flags & PR_SOLSOCKET) && pr->pr_ctloutput != NULL &&
	    socheck(so) == 0)
		return (*pr->pr_ctloutput)(so, true, level, name,
		    (void *)(uintptr_t)val, &len);
	return 0;
}

/* A SOL_SOCKET option the socket layer keeps itself. */
static int
sosetopt_local(struct socket *so, int name, const void *val, size_t len)
{
	struct klinger l;
	int error, v, bit;

	if ((bit = sooptbit(name)) != 0) {
		if ((error = sooptint(val, len, &v)) != 0)
			return error;
		if (v)
			so->so_options |= bit;
		else
			so->so_options &= ~bit;
		return 0;
	}
	switch (name) {
	case KSO_SNDBUF:
	case KSO_RCVBUF:
		if ((error = sooptint(val, len, &v)) != 0)
			return error;
		return sosetbuf(so, name == KSO_SNDBUF ? &so->so_snd :
		    &so->so_rcv, v);
	case KSO_RCVLOWAT:
		if ((error = sooptint(val, len, &v)) != 0)
			return error;
		/* Linux: negative means "as much as possible", 0 is 1. */
		so->so_rcv.sb_lowat = v < 0 ? (uint32_t)INT32_MAX :
		    v == 0 ? 1u : (uint32_t)v;
		sowakeup(so);
		return 0;
	case KSO_RCVTIMEO:
		return sosettimeo(&so->so_rcv, val, len);
	case KSO_SNDTIMEO:
		return sosettimeo(&so->so_snd, val, len);
	case KSO_LINGER:
		if (len < sizeof(l))
			return EINVAL;
		memcpy(&l, val, sizeof(l));
		if (l.l_onoff)
			so->so_options |= SO_OPT_LINGER;
		else
			so->so_options &= ~SO_OPT_LINGER;
		so->so_linger = l.l_linger < 0 ? INT32_MAX : l.l_linger;
		return 0;
	default:
		/* SO_ERROR, SO_TYPE ... are read-only; SO_SNDLOWAT is
		 * fixed (Linux). */
		return ENOPROTOOPT;
	}
}

static void
sogettimeo(const struct sockbuf *sb, struct ktimeval *tv)
{
	tv->tv_sec = (long)(sb->sb_timeo / NS_SEC(1));
	tv->tv_usec = (long)(sb->sb_timeo % NS_SEC(1) / 1000);
}

int
sogetopt(struct socket *so, int level, int name, void *val, size_t *lenp)
{
	union {
		int		i;
		struct ktimeval	tv;
		struct klinger	l;
	} u;
	size_t size = sizeof(int);
	int error, bit;

	if (level != KSOL_SOCKET) {
		if ((error = socheck(so)) != 0)
			return error;
		if (so->so_proto->pr_ctloutput == NULL)
			return ENOPROTOOPT;
		return (*so->so_proto->pr_ctloutput)(so, false, level, name,
		    val, lenp);
	}
	memset(&u, 0, sizeof(u));
	if ((bit = sooptbit(name)) != 0)
		u.i = (so->so_options & bit) != 0;
	else {
		switch (name) {
		case KSO_ERROR:
			u.i = sotakeerror(so);
			break;
		case KSO_TYPE:
			u.i = so->so_type;
			break;
		case KSO_DOMAIN:
			u.i = so->so_family;
			break;
		case KSO_PROTOCOL:
			u.i = so->so_protocol;
			break;
		case KSO_ACCEPTCONN:
			u.i = (so->so_options & SO_OPT_ACCEPTCONN) != 0;
			break;
		case KSO_SNDBUF:
			u.i = (int)so->so_snd.sb_hiwat;
			break;
		case KSO_RCVBUF:
			u.i = (int)so->so_rcv.sb_hiwat;
			break;
		case KSO_RCVLOWAT:
			u.i = (int)so->so_rcv.sb_lowat;
			break;
		case KSO_SNDLOWAT:
			u.i = 1;
			break;
		case KSO_RCVTIMEO:
		case KSO_SNDTIMEO:
			sogettimeo(name == KSO_RCVTIMEO ? &so->so_rcv :
			    &so->so_snd, &u.tv);
			size = sizeof(u.tv);
			break;
		case KSO_LINGER:
			u.l.l_onoff = (so->so_options & SO_OPT_LINGER) != 0;
			u.l.l_linger = so->so_linger;
			size = sizeof(u.l);
			break;
		default:
			return ENOPROTOOPT;
		}
	}
	/* Linux copies what fits and reports that length. */
	size = MIN(size, *lenp);
	memcpy(val, &u, size);
	*lenp = size;
	return 0;
}

int
sogetaddr(struct socket *so, bool peer, struct ksockaddr_storage *ss,
    size_t *lenp)
{
	int (*fn)(struct socket *, struct ksockaddr_storage *, size_t *);
	int error;

	if ((error = socheck(so)) != 0)
		return error;
	fn = peer ? so->so_proto->pr_peeraddr : so->so_proto->pr_sockaddr;
	if (fn == NULL)
		return EOPNOTSUPP;
	if (peer && !(so->so_state & SS_ISCONNECTED))
		return ENOTCONN;
	memset(ss, 0, sizeof(*ss));
	*lenp = 0;
	if ((error = (*fn)(so, ss, lenp)) != 0)
		return error;
	if (*lenp > sizeof(*ss))
		*lenp = sizeof(*ss);
	return 0;
}

/* -------------------------------------------------------------- poll */

/*
 * Readiness as Linux reports it.  Streams: readable with SO_RCVLOWAT
 * bytes, at end of stream, or (listeners) with a connection to accept;
 * writable when connected with room for the send low-water mark or
 * once sending is shut; POLLHUP when both directions are shut or the
 * socket is not connected at all.  Datagrams: readable with a record,
 * always writable.  POLLERR with a pending error.
 */
int
sopoll(struct socket *so, int events)
{
	int revents = 0;

	if (so->so_error != 0)
		revents |= KPOLLERR;
	if (so->so_options & SO_OPT_ACCEPTCONN) {
		if (so->so_qlen > 0)
			revents |= KPOLLIN | KPOLLRDNORM;
		goto out;
	}
	if (so->so_state & SS_CANTRCVMORE)
		revents |= KPOLLIN | KPOLLRDNORM | KPOLLRDHUP;
	if ((so->so_state & (SS_CANTRCVMORE | SS_CANTSENDMORE)) ==
	    (SS_CANTRCVMORE | SS_CANTSENDMORE))
		revents |= KPOLLHUP;
	if (sostream(so)) {
		const struct sockbuf *rb = &so->so_rcv, *sb = &so->so_snd;

		if (soconnreq(so) &&
		    !(so->so_state & (SS_ISCONNECTED | SS_ISCONNECTING)))
			revents |= KPOLLHUP;
		if (so->so_state & SS_ISCONNECTING)
			goto out;
		if (rb->sb_cc > 0 &&
		    rb->sb_cc >= MIN(rb->sb_lowat, rb->sb_hiwat))
			revents |= KPOLLIN | KPOLLRDNORM;
		if ((so->so_state & SS_CANTSENDMORE) ||
		    sbspace(sb) >= MIN(sb->sb_lowat, sb->sb_hiwat))
			revents |= KPOLLOUT | KPOLLWRNORM;
	} else {
		if (so->so_rcv.sb_q.mq_head != NULL)
			revents |= KPOLLIN | KPOLLRDNORM;
		revents |= KPOLLOUT | KPOLLWRNORM | KPOLLWRBAND;
	}
out:
	return revents & (events | KPOLLERR | KPOLLHUP);
}

int
soreadable_bytes(struct socket *so, int *np)
{
	if (so->so_options & SO_OPT_ACCEPTCONN)
		return EINVAL;
	if (sostream(so))
		*np = (int)so->so_rcv.sb_cc;
	else
		*np = (int)sbfirstrecord(&so->so_rcv);
	return 0;
}
