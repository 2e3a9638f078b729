/*
 * test_socket.c -- the socket layer, descriptor tables and the system
 * calls, without any real protocol.
 *
 * Two small in-test protocols are registered under a family of their
 * own (TP_AF): "tp stream", a loopback pipe with listen/accept, and
 * "tp dgram", loopback datagrams between bound ports.  The calls under
 * test are the public rump_sys_* ones, made for a process of a test
 * instance (proc_setcurrent), plus rump_init()'s default instance.
 * Every test ends with no kernel memory and no mbuf in use.
 */
#include "config.h"		/* _GNU_SOURCE: POLLRDHUP, IOV_MAX */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "netstack/kern/socket_private.h"
#include "netstack/kern/sysctl.h"
#include "rumpnet/rump.h"
#include "rumpnet/rump_syscalls.h"
#include "tests/unit/unit.h"

/* ---------------------------------------------------------------- ABI */

/* The kernel's spelling of the syscall ABI is the host's (Linux). */
#define SAME_MEMBER(k, h, km, hm) \
	(offsetof(k, km) == offsetof(h, hm) && \
	    sizeof(((k *)0)->km) == sizeof(((h *)0)->hm))
_Static_assert(sizeof(struct kmsghdr) == sizeof(struct msghdr) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_name, msg_name) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_namelen, msg_namelen) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_iov, msg_iov) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_iovlen, msg_iovlen) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_control, msg_control) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_controllen,
    msg_controllen) &&
    SAME_MEMBER(struct kmsghdr, struct msghdr, msg_flags, msg_flags),
    "struct msghdr");
_Static_assert(sizeof(struct kiovec) == sizeof(struct iovec) &&
    SAME_MEMBER(struct kiovec, struct iovec, iov_base, iov_base) &&
    SAME_MEMBER(struct kiovec, struct iovec, iov_len, iov_len),
    "struct iovec");
_Static_assert(sizeof(struct kpollfd) == sizeof(struct pollfd) &&
    SAME_MEMBER(struct kpollfd, struct pollfd, fd, fd) &&
    SAME_MEMBER(struct kpollfd, struct pollfd, events, events) &&
    SAME_MEMBER(struct kpollfd, struct pollfd, revents, revents),
    "struct pollfd");
_Static_assert(sizeof(struct ktimeval) == sizeof(struct timeval) &&
    SAME_MEMBER(struct ktimeval, struct timeval, tv_sec, tv_sec) &&
    SAME_MEMBER(struct ktimeval, struct timeval, tv_usec, tv_usec),
    "struct timeval");
_Static_assert(sizeof(struct klinger) == sizeof(struct linger) &&
    SAME_MEMBER(struct klinger, struct linger, l_onoff, l_onoff) &&
    SAME_MEMBER(struct klinger, struct linger, l_linger, l_linger),
    "struct linger");
_Static_assert(sizeof(ksocklen_t) == sizeof(socklen_t) &&
    sizeof(long) == sizeof(ssize_t) && sizeof(nfds_t) ==
    sizeof(unsigned long), "scalar types");
_Static_assert(KSOCK_STREAM == SOCK_STREAM && KSOCK_DGRAM == SOCK_DGRAM &&
    KSOCK_RAW == SOCK_RAW && KSOCK_NONBLOCK == SOCK_NONBLOCK &&
    KSOCK_CLOEXEC == SOCK_CLOEXEC, "socket types");
_Static_assert(KSOL_SOCKET == SOL_SOCKET && KSO_REUSEADDR == SO_REUSEADDR &&
    KSO_TYPE == SO_TYPE && KSO_ERROR == SO_ERROR &&
    KSO_DONTROUTE == SO_DONTROUTE && KSO_BROADCAST == SO_BROADCAST &&
    KSO_SNDBUF == SO_SNDBUF && KSO_RCVBUF == SO_RCVBUF &&
    KSO_KEEPALIVE == SO_KEEPALIVE && KSO_OOBINLINE == SO_OOBINLINE &&
    KSO_LINGER == SO_LINGER && KSO_REUSEPORT == SO_REUSEPORT &&
    KSO_RCVLOWAT == SO_RCVLOWAT && KSO_SNDLOWAT == SO_SNDLOWAT &&
    KSO_RCVTIMEO == SO_RCVTIMEO && KSO_SNDTIMEO == SO_SNDTIMEO &&
    KSO_ACCEPTCONN == SO_ACCEPTCONN && KSO_PROTOCOL == SO_PROTOCOL &&
    KSO_DOMAIN == SO_DOMAIN, "SOL_SOCKET options");
_Static_assert(KMSG_OOB == MSG_OOB && KMSG_PEEK == MSG_PEEK &&
    KMSG_DONTROUTE == MSG_DONTROUTE && KMSG_TRUNC == MSG_TRUNC &&
    KMSG_DONTWAIT == MSG_DONTWAIT && KMSG_EOR == MSG_EOR &&
    KMSG_WAITALL == MSG_WAITALL && KMSG_NOSIGNAL == MSG_NOSIGNAL,
    "MSG_ flags");
_Static_assert(KSHUT_RD == SHUT_RD && KSHUT_WR == SHUT_WR &&
    KSHUT_RDWR == SHUT_RDWR, "shutdown");
_Static_assert(KPOLLIN == POLLIN && KPOLLPRI == POLLPRI &&
    KPOLLOUT == POLLOUT && KPOLLERR == POLLERR && KPOLLHUP == POLLHUP &&
    KPOLLNVAL == POLLNVAL && KPOLLRDNORM == POLLRDNORM &&
    KPOLLRDBAND == POLLRDBAND && KPOLLWRNORM == POLLWRNORM &&
    KPOLLWRBAND == POLLWRBAND && KPOLLRDHUP == POLLRDHUP, "poll events");
_Static_assert(KF_DUPFD == F_DUPFD && KF_GETFD == F_GETFD &&
    KF_SETFD == F_SETFD && KF_GETFL == F_GETFL && KF_SETFL == F_SETFL &&
    KF_DUPFD_CLOEXEC == F_DUPFD_CLOEXEC && KFD_CLOEXEC == FD_CLOEXEC &&
    KO_RDWR == O_RDWR && KO_NONBLOCK == O_NONBLOCK &&
    KO_CLOEXEC == O_CLOEXEC, "fcntl");
_Static_assert(KFIONBIO == FIONBIO && KFIONREAD == FIONREAD, "ioctl");
_Static_assert(KUIO_MAXIOV == IOV_MAX, "UIO_MAXIOV");
_Static_assert(RUMP_SYSCTL_TYPE_INT == KSYSCTL_TYPE_INT &&
    RUMP_SYSCTL_TYPE_QUAD == KSYSCTL_TYPE_QUAD &&
    RUMP_SYSCTL_TYPE_STRING == KSYSCTL_TYPE_STRING &&
    RUMP_SYSCTL_WRITABLE == KSYSCTL_WRITABLE &&
    RUMP_SYSCTL_NAMEMAX == SYSCTL_NAMEMAX, "sysctl ABI");

/* ------------------------------------------------------ test protocols */

/*
 * A family nobody else registers: the socket layer serves whatever
 * family a protocol registers under.
 */
#define TP_AF		44
#define TP_LEVEL	300	/* protocol option level */
#define TP_OPT		1

struct tsockaddr {
	uint16_t	ts_family;
	uint16_t	ts_port;
	uint8_t		ts_zero[12];
};

struct tp_pcb {
	struct tp_pcb	*tp_next;
	struct netstack	*tp_ns;
	struct socket	*tp_so;
	int		 tp_type;
	uint16_t	 tp_port;	/* local port, 0 = none */
	uint16_t	 tp_dport;	/* dgram: default destination */
	bool		 tp_bound;	/* tp_port taken by bind/listen */
	bool		 tp_listening;
	bool		 tp_hold;	/* listener: leave connections embryonic */
	bool		 tp_embryo;	/* accepted side, not yet complete */
	bool		 tp_fin;	/* deliver EOF once so_snd drains */
	bool		 tp_linger;	/* closed with data left: sofree later */
	struct tp_pcb	*tp_peer;	/* stream: the other end */
	int		 tp_opt;
};

/* Test-process state (the protocols serve every test instance). */
static struct tp_pcb *tp_pcbs;
static uint16_t tp_nextport = 1000;

static struct tp_pcb *
tp_alloc(struct socket *so, int type)
{
	struct tp_pcb *tp = calloc(1, sizeof(*tp));

	ck_assert_ptr_nonnull(tp);
	tp->tp_ns = so->so_ns;
	tp->tp_so = so;
	tp->tp_type = type;
	tp->tp_next = tp_pcbs;
	tp_pcbs = tp;
	so->so_pcb = tp;
	return tp;
}

static void
tp_free(struct tp_pcb *tp)
{
	struct tp_pcb **pp;

	for (pp = &tp_pcbs; *pp != tp; pp = &(*pp)->tp_next)
		ck_assert_ptr_nonnull(*pp);
	*pp = tp->tp_next;
	free(tp);
}

static struct tp_pcb *
tp_lookup(struct netstack *ns, int type, uint16_t port)
{
	for (struct tp_pcb *tp = tp_pcbs; tp != NULL; tp = tp->tp_next)
		if (tp->tp_ns == ns && tp->tp_type == type && tp->tp_bound &&
		    tp->tp_port == port && !tp->tp_linger)
			return tp;
	return NULL;
}

static int
tp_parse(const struct ksockaddr *nam, size_t len, uint16_t *portp)
{
	struct tsockaddr ts;

	if (len < sizeof(ts))
		return EINVAL;
	memcpy(&ts, nam, sizeof(ts));
	if (ts.ts_family != TP_AF)
		return EAFNOSUPPORT;
	*portp = ts.ts_port;
	return 0;
}

static size_t
tp_fill(struct ksockaddr_storage *ss, uint16_t port)
{
	struct tsockaddr ts = { .ts_family = TP_AF, .ts_port = port };

	memcpy(ss, &ts, sizeof(ts));
	return sizeof(ts);
}

static void
tp_autobind(struct tp_pcb *tp)
{
	if (tp->tp_port == 0)
		tp->tp_port = tp_nextport++;
}

static int
tp_attach(struct socket *so, int proto)
{
	if (proto != 0 && proto != so->so_proto->pr_protocol)
		return EPROTONOSUPPORT;
	tp_alloc(so, so->so_type);
	return 0;
}

static int
tp_bind(struct socket *so, const struct ksockaddr *nam, size_t len)
{
	struct tp_pcb *tp = so->so_pcb;
	uint16_t port;
	int error;

	if ((error = tp_parse(nam, len, &port)) != 0)
		return error;
	if (tp->tp_bound)
		return EINVAL;
	if (tp_lookup(so->so_ns, tp->tp_type, port) != NULL)
		return EADDRINUSE;
	tp->tp_port = port;
	tp->tp_bound = true;
	return 0;
}

static void
tp_unpair(struct tp_pcb *tp)
{
	if (tp->tp_peer != NULL)
		tp->tp_peer->tp_peer = NULL;
	tp->tp_peer = NULL;
}

/* Move what fits from tp's send buffer into the peer's receive buffer. */
static void
tp_push(struct tp_pcb *tp)
{
	struct socket *so = tp->tp_so;
	struct tp_pcb *peer = tp->tp_peer;
	uint8_t buf[700];
	bool moved = false;

	while (peer != NULL && so->so_snd.sb_cc > 0) {
		struct sockbuf *rb = &peer->tp_so->so_rcv;
		uint32_t n = MIN(MIN(so->so_snd.sb_cc, sbspace(rb)),
		    (uint32_t)sizeof(buf));

		if (n == 0)
			break;
		sbcopy_stream(&so->so_snd, 0, n, buf);
		ck_assert_uint_eq(sbappend_stream(rb, buf, n), n);
		sbdrop_stream(&so->so_snd, n);
		moved = true;
	}
	if (moved) {
		sorwakeup(peer->tp_so);
		sowwakeup(so);
	}
	if (so->so_snd.sb_cc > 0 && peer != NULL)
		return;
	if (tp->tp_fin && peer != NULL) {
		tp->tp_fin = false;
		socantrcvmore(peer->tp_so);
	}
	if (tp->tp_linger) {
		/* The graceful close is over: let go of the socket. */
		if (peer != NULL) {
			tp_unpair(tp);
			soisdisconnected(peer->tp_so);
		}
		so->so_pcb = NULL;
		tp_free(tp);
		sofree(so);
	}
}

static void
tp_detach(struct socket *so)
{
	struct tp_pcb *tp = so->so_pcb, *peer;

	if (tp == NULL)
		return;
	if (tp->tp_type == KSOCK_STREAM && tp->tp_peer != NULL &&
	    so->so_snd.sb_cc > 0) {
		/* Keep so (so_pcb stays set) until the data is delivered. */
		tp->tp_fin = tp->tp_linger = true;
		return;
	}
	if ((peer = tp->tp_peer) != NULL) {
		tp_unpair(tp);
		soisdisconnected(peer->tp_so);
	}
	so->so_pcb = NULL;
	tp_free(tp);
}

static int
tp_listen(struct socket *so, int backlog)
{
	struct tp_pcb *tp = so->so_pcb;

	if (!tp->tp_bound) {
		tp_autobind(tp);
		tp->tp_bound = true;
	}
	tp->tp_listening = true;
	return 0;
}

static int
tp_stream_connect(struct socket *so, const struct ksockaddr *nam,
    size_t len)
{
	struct tp_pcb *tp = so->so_pcb, *head, *ntp;
	struct socket *nso;
	uint16_t port;
	int error;

	if ((error = tp_parse(nam, len, &port)) != 0)
		return error;
	head = tp_lookup(so->so_ns, KSOCK_STREAM, port);
	if (head == NULL || !head->tp_listening)
		return ECONNREFUSED;
	if ((nso = sonewconn(head->tp_so)) == NULL)
		return ECONNREFUSED;
	tp_autobind(tp);
	ntp = tp_alloc(nso, KSOCK_STREAM);
	ntp->tp_port = head->tp_port;
	tp->tp_peer = ntp;
	ntp->tp_peer = tp;
	if (head->tp_hold) {
		ntp->tp_embryo = true;
		soisconnecting(so);
		return 0;
	}
	soisconnected(nso);
	soisconnected(so);
	return 0;
}

static int
tp_stream_disconnect(struct socket *so)
{
	struct tp_pcb *tp = so->so_pcb, *peer;

	if ((peer = tp->tp_peer) != NULL) {
		tp_unpair(tp);
		soisdisconnected(peer->tp_so);
	}
	soisdisconnected(so);
	return 0;
}

static int
tp_stream_shutdown(struct socket *so)
{
	struct tp_pcb *tp = so->so_pcb;

	tp->tp_fin = true;
	tp_push(tp);
	return 0;
}

static int
tp_stream_send(struct socket *so, struct mbuf *m,
    const struct ksockaddr *nam, size_t namlen, int flags)
{
	ck_assert_ptr_null(m);
	tp_push(so->so_pcb);
	return 0;
}

static void
tp_stream_rcvd(struct socket *so)
{
	struct tp_pcb *tp = so->so_pcb;

	if (tp != NULL && tp->tp_peer != NULL)
		tp_push(tp->tp_peer);
}

static int
tp_sockaddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	struct tp_pcb *tp = so->so_pcb;

	*lenp = tp_fill(ss, tp->tp_port);
	return 0;
}

static int
tp_peeraddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	struct tp_pcb *tp = so->so_pcb;

	if (tp->tp_type == KSOCK_STREAM) {
		if (tp->tp_peer == NULL)
			return ENOTCONN;
		*lenp = tp_fill(ss, tp->tp_peer->tp_port);
	} else
		*lenp = tp_fill(ss, tp->tp_dport);
	return 0;
}

static int
tp_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct tp_pcb *tp = so->so_pcb;

	if (level != TP_LEVEL || name != TP_OPT)
		return ENOPROTOOPT;
	if (*lenp < sizeof(int))
		return EINVAL;
	if (set)
		memcpy(&tp->tp_opt, val, sizeof(int));
	else {
		memcpy(val, &tp->tp_opt, sizeof(int));
		*lenp = sizeof(int);
	}
	return 0;
}

static int
tp_dgram_connect(struct socket *so, const struct ksockaddr *nam, size_t len)
{
	struct tp_pcb *tp = so->so_pcb;
	uint16_t port;
	int error;

	if (nam->sa_family == AF_UNSPEC) {
		tp->tp_dport = 0;
		so->so_state &= ~SS_ISCONNECTED;
		return 0;
	}
	if ((error = tp_parse(nam, len, &port)) != 0)
		return error;
	tp_autobind(tp);
	tp->tp_dport = port;
	soisconnected(so);
	return 0;
}

static int
tp_dgram_shutdown(struct socket *so)
{
	socantsendmore(so);
	return 0;
}

static int
tp_dgram_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct tp_pcb *tp = so->so_pcb, *rtp;
	struct ksockaddr_storage from;
	uint16_t port = tp->tp_dport;
	size_t fromlen;
	int error;

	if (nam != NULL && (error = tp_parse(nam, namlen, &port)) != 0) {
		m_freem(m);
		return error;
	}
	if (port == 0) {
		m_freem(m);
		return EDESTADDRREQ;
	}
	if (!tp->tp_bound) {
		tp_autobind(tp);
		tp->tp_bound = true;
	}
	if ((rtp = tp_lookup(so->so_ns, KSOCK_DGRAM, port)) == NULL) {
		m_freem(m);		/* nobody there: lost */
		return 0;
	}
	fromlen = tp_fill(&from, tp->tp_port);
	if (sbappendaddr(&rtp->tp_so->so_rcv, (struct ksockaddr *)&from,
	    fromlen, m) == 0)
		sorwakeup(rtp->tp_so);
	return 0;
}

static const struct protosw tp_stream_sw = {
	.pr_type = KSOCK_STREAM,
	.pr_domain = TP_AF,
	.pr_protocol = 1,
	.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN,
	.pr_attach = tp_attach,
	.pr_detach = tp_detach,
	.pr_bind = tp_bind,
	.pr_listen = tp_listen,
	.pr_connect = tp_stream_connect,
	.pr_disconnect = tp_stream_disconnect,
	.pr_shutdown = tp_stream_shutdown,
	.pr_send = tp_stream_send,
	.pr_rcvd = tp_stream_rcvd,
	.pr_sockaddr = tp_sockaddr,
	.pr_peeraddr = tp_peeraddr,
	.pr_ctloutput = tp_ctloutput,
};

static const struct protosw tp_dgram_sw = {
	.pr_type = KSOCK_DGRAM,
	.pr_domain = TP_AF,
	.pr_protocol = 1,
	.pr_flags = PR_ATOMIC | PR_ADDR,
	.pr_attach = tp_attach,
	.pr_detach = tp_detach,
	.pr_bind = tp_bind,
	.pr_connect = tp_dgram_connect,
	.pr_shutdown = tp_dgram_shutdown,
	.pr_send = tp_dgram_send,
	.pr_sockaddr = tp_sockaddr,
	.pr_peeraddr = tp_peeraddr,
	.pr_ctloutput = tp_ctloutput,
};

static void
tp_register(struct netstack *ns)
{
	klock_enter(&ns->ns_klock);
	ck_assert_int_eq(proto_register(ns, &tp_stream_sw, true), 0);
	ck_assert_int_eq(proto_register(ns, &tp_dgram_sw, true), 0);
	klock_exit(&ns->ns_klock);
}

/* Unregister and release what the protocols still hold in ns. */
static void
tp_unregister(struct netstack *ns)
{
	struct tp_pcb *tp, *next;

	klock_enter(&ns->ns_klock);
	proto_unregister(ns, &tp_stream_sw);
	proto_unregister(ns, &tp_dgram_sw);
	for (tp = tp_pcbs; tp != NULL; tp = next) {
		struct socket *so = tp->tp_so;

		next = tp->tp_next;
		if (tp->tp_ns != ns)
			continue;
		tp_unpair(tp);
		so->so_pcb = NULL;
		tp_free(tp);
		sofree(so);
	}
	klock_exit(&ns->ns_klock);
}

/* ------------------------------------------------------------- fixture */

static uint64_t kmem_at_start, mbufs_at_start;
static struct netstack *ns;
static struct proc *p;

static void
tnet_up(int flags)
{
	ck_assert_int_eq(netstack_create("t", flags, &ns), 0);
	tp_register(ns);
	ck_assert_int_eq(proc_create(ns, &p), 0);
	proc_setcurrent(p);
}

static void
tnet_down(void)
{
	proc_setcurrent(NULL);
	proc_destroy(p);
	tp_unregister(ns);
	netstack_destroy(ns);
	ns = NULL;
	p = NULL;
}

/* Start over on an instance with the host's clock (real timeouts). */
static void
tnet_realclock(void)
{
	tnet_down();
	tnet_up(NETSTACK_REAL_CLOCK);
}

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	kmem_at_start = kmem_inuse();
	mbufs_at_start = m_inuse();
	tnet_up(NETSTACK_VIRTUAL_CLOCK);
}

static void
teardown(void)
{
	tnet_down();
	ck_assert_ptr_null(tp_pcbs);
	ck_assert_uint_eq(m_inuse(), mbufs_at_start);
	ck_assert_uint_eq(kmem_inuse(), kmem_at_start);
}

/* ------------------------------------------------------------- helpers */

#define CK_ERR(call, err) do {						\
	errno = 0;							\
	ck_assert_int_eq((int)(call), -1);				\
	ck_assert_int_eq(errno, (err));					\
} while (0)

static struct sockaddr *
tsa(struct tsockaddr *ts, uint16_t port)
{
	memset(ts, 0, sizeof(*ts));
	ts->ts_family = TP_AF;
	ts->ts_port = port;
	return (struct sockaddr *)ts;
}

static int
tsock(int type)
{
	int fd = rump_sys_socket(TP_AF, type, 0);

	ck_assert_msg(fd >= 0, "socket: errno %d", errno);
	return fd;
}

static int
tlisten(uint16_t port, int backlog)
{
	struct tsockaddr ts;
	int fd = tsock(SOCK_STREAM);

	ck_assert_int_eq(rump_sys_bind(fd, tsa(&ts, port), sizeof(ts)), 0);
	ck_assert_int_eq(rump_sys_listen(fd, backlog), 0);
	return fd;
}

static int
tconnect(uint16_t port)
{
	struct tsockaddr ts;
	int fd = tsock(SOCK_STREAM);

	ck_assert_int_eq(rump_sys_connect(fd, tsa(&ts, port), sizeof(ts)), 0);
	return fd;
}

/* A connected pair: *a connected, *b accepted. */
static void
tpair(int *a, int *b)
{
	int l = tlisten(7, 5);

	*a = tconnect(7);
	*b = rump_sys_accept(l, NULL, NULL);
	ck_assert_int_ge(*b, 0);
	ck_assert_int_eq(rump_sys_close(l), 0);
}

static int
tdgram(uint16_t port)
{
	struct tsockaddr ts;
	int fd = tsock(SOCK_DGRAM);

	ck_assert_int_eq(rump_sys_bind(fd, tsa(&ts, port), sizeof(ts)), 0);
	return fd;
}

static short
tpoll(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	ck_assert_int_ge(rump_sys_poll(&pfd, 1, 0), 0);
	return pfd.revents;
}

static unsigned
nsockets(void)
{
	unsigned n;

	klock_enter(&ns->ns_klock);
	n = socket_state(ns)->ss_nsockets;
	klock_exit(&ns->ns_klock);
	return n;
}

/* The socket behind descriptor fd of p. */
static struct socket *
fdsock(int fd)
{
	struct socket *so;

	klock_enter(&ns->ns_klock);
	ck_assert_int_lt(fd, (int)p->p_nfd);
	ck_assert_ptr_nonnull(p->p_fd[fd].fe_file);
	so = p->p_fd[fd].fe_file->f_socket;
	klock_exit(&ns->ns_klock);
	return so;
}

/* Wait until a call of q sleeps in the kernel. */
static void
wait_sleeping(struct proc *q)
{
	for (int i = 0; i < 5000; i++) {
		bool sleeping;

		klock_enter(&q->p_ns->ns_klock);
		sleeping = q->p_sleepers != NULL;
		klock_exit(&q->p_ns->ns_klock);
		if (sleeping)
			return;
		usleep(1000);
	}
	ck_abort_msg("no call went to sleep");
}

static uint64_t
mono_ms(void)
{
	return rumpuser_clock_now(RUMPUSER_CLOCK_MONO) / 1000000u;
}

/* A thread that runs one call for the test's process. */
struct worker {
	pthread_t	 w_thread;
	struct proc	*w_proc;
	int		 w_fd;
	int		 w_delay_ms;
	long		 w_rv;
	int		 w_errno;
	char		 w_buf[64];
};

static void *
worker_write(void *arg)
{
	struct worker *w = arg;

	proc_setcurrent(w->w_proc);
	usleep((useconds_t)w->w_delay_ms * 1000);
	w->w_rv = rump_sys_write(w->w_fd, "wake", 4);
	w->w_errno = errno;
	proc_setcurrent(NULL);
	return NULL;
}

static void *
worker_recv(void *arg)
{
	struct worker *w = arg;

	proc_setcurrent(w->w_proc);
	w->w_rv = rump_sys_recv(w->w_fd, w->w_buf, sizeof(w->w_buf), 0);
	w->w_errno = errno;
	proc_setcurrent(NULL);
	return NULL;
}

static void *
worker_accept(void *arg)
{
	struct worker *w = arg;

	proc_setcurrent(w->w_proc);
	w->w_rv = rump_sys_accept(w->w_fd, NULL, NULL);
	w->w_errno = errno;
	proc_setcurrent(NULL);
	return NULL;
}

static void
worker_start(struct worker *w, void *(*fn)(void *), int fd, int delay_ms)
{
	memset(w, 0, sizeof(*w));
	w->w_proc = p;
	w->w_fd = fd;
	w->w_delay_ms = delay_ms;
	ck_assert_int_eq(pthread_create(&w->w_thread, NULL, fn, w), 0);
}

static void
worker_join(struct worker *w)
{
	ck_assert_int_eq(pthread_join(w->w_thread, NULL), 0);
}

/* ---------------------------------------------------------- sockbufs */

START_TEST(test_sockbuf_ring)
{
	struct sockbuf sb;
	uint8_t in[40], out[40];

	for (unsigned i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	sbinit(&sb, 16, true);
	ck_assert_uint_eq(sbspace(&sb), 16);
	ck_assert_uint_eq(sbappend_stream(&sb, in, 10), 10);
	sbdrop_stream(&sb, 6);			/* 4 bytes left at offset 6 */
	ck_assert_uint_eq(sbappend_stream(&sb, in + 10, 20), 12); /* wraps */
	ck_assert_uint_eq(sb.sb_cc, 16);
	ck_assert_uint_eq(sbspace(&sb), 0);
	ck_assert_uint_eq(sbappend_stream(&sb, in, 1), 0);
	sbcopy_stream(&sb, 0, 16, out);
	ck_assert_mem_eq(out, in + 6, 16);
	sbcopy_stream(&sb, 9, 5, out);		/* across the wrap */
	ck_assert_mem_eq(out, in + 15, 5);

	/* Growing keeps the bytes in order; shrinking below them fails. */
	ck_assert_int_eq(sbreserve(&sb, 32, true), 0);
	ck_assert_uint_eq(sb.sb_ringoff, 0);
	ck_assert_uint_eq(sbappend_stream(&sb, in + 22, 18), 16);
	sbcopy_stream(&sb, 0, 32, out);
	ck_assert_mem_eq(out, in + 6, 32);
	ck_assert_int_eq(sbreserve(&sb, 31, true), EINVAL);
	sbdrop_stream(&sb, 30);
	ck_assert_int_eq(sbreserve(&sb, 8, true), 0);
	sbcopy_stream(&sb, 0, 2, out);
	ck_assert_mem_eq(out, in + 36, 2);
	sbdrop_stream(&sb, 2);
	ck_assert_uint_eq(sb.sb_cc, 0);
	ck_assert_uint_eq(sb.sb_ringoff, 0);
	sbrelease(&sb);
}
END_TEST

START_TEST(test_sockbuf_records)
{
	struct ksockaddr_storage from, got;
	struct sockbuf sb;
	struct mbuf *m;
	size_t fromlen, gotlen;
	uint32_t hdrlen;

	sbinit(&sb, 100, false);
	fromlen = tp_fill(&from, 4242);
	m = m_devget("hello", 5);
	ck_assert_int_eq(sbappendaddr(&sb, (struct ksockaddr *)&from, fromlen,
	    m), 0);
	m = m_devget("", 0);
	ck_assert_int_eq(sbappendaddr(&sb, NULL, 0, m), 0);
	ck_assert_uint_eq(sb.sb_cc, 5);
	ck_assert_uint_eq(sbfirstrecord(&sb), 5);
	sbrecord_parse(sb.sb_q.mq_head, &got, &gotlen, &hdrlen);
	ck_assert_uint_eq(gotlen, fromlen);
	ck_assert_mem_eq(&got, &from, fromlen);
	ck_assert_mem_eq(sb.sb_q.mq_head->m_data + hdrlen, "hello", 5);

	/* A record that does not fit is dropped and counted. */
	m = m_gethdr(96);
	ck_assert_int_eq(sbappendaddr(&sb, NULL, 0, m), ENOBUFS);
	ck_assert_uint_eq(sb.sb_drops, 1);
	/* So is the record after the last the queue may hold. */
	while (sb.sb_q.mq_len < sb.sb_q.mq_maxlen)
		ck_assert_int_eq(sbappendaddr(&sb, NULL, 0, m_devget("", 0)),
		    0);
	ck_assert_int_eq(sbappendaddr(&sb, NULL, 0, m_devget("", 0)),
	    ENOBUFS);
	ck_assert_uint_eq(sb.sb_drops, 2);
	ck_assert_int_eq(sbreserve(&sb, 4, false), EINVAL);
	sbrelease(&sb);
	ck_assert_uint_eq(sb.sb_cc, 0);
}
END_TEST

/* ---------------------------------------------------------- descriptors */

START_TEST(test_fd_order_and_dup)
{
	int a, b, c, d;

	a = tsock(SOCK_DGRAM);
	b = tsock(SOCK_DGRAM);
	c = tsock(SOCK_STREAM);
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(b, 1);
	ck_assert_int_eq(c, 2);
	ck_assert_int_eq(rump_sys_close(b), 0);
	ck_assert_int_eq(tsock(SOCK_DGRAM), 1);		/* lowest free */
	ck_assert_int_eq(rump_sys_dup(a), 3);
	ck_assert_int_eq(rump_sys_dup2(a, 40), 40);	/* table grows */
	ck_assert_int_eq(rump_sys_dup2(a, a), a);
	CK_ERR(rump_sys_dup3(a, a, 0), EINVAL);
	CK_ERR(rump_sys_dup3(a, 5, 0x1), EINVAL);
	CK_ERR(rump_sys_dup2(a, -1), EBADF);
	CK_ERR(rump_sys_dup2(a, PROC_MAXFILES), EBADF);
	CK_ERR(rump_sys_dup2(17, 18), EBADF);
	ck_assert_int_eq(rump_sys_fcntl(a, F_DUPFD, 10), 10);
	ck_assert_int_eq(rump_sys_fcntl(a, F_DUPFD, 10), 11);
	CK_ERR(rump_sys_fcntl(a, F_DUPFD, -1), EINVAL);
	CK_ERR(rump_sys_fcntl(a, F_DUPFD, PROC_MAXFILES), EINVAL);
	d = rump_sys_fcntl(a, F_DUPFD_CLOEXEC, 0);
	ck_assert_int_eq(d, 4);
	ck_assert_int_eq(rump_sys_fcntl(d, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_fcntl(a, F_GETFD), 0);
	ck_assert_int_eq(rump_sys_fcntl(a, F_SETFD, FD_CLOEXEC), 0);
	ck_assert_int_eq(rump_sys_fcntl(a, F_GETFD), FD_CLOEXEC);
	/* dup clears FD_CLOEXEC; dup3 can set it. */
	ck_assert_int_eq(rump_sys_fcntl(rump_sys_dup(a), F_GETFD), 0);
	ck_assert_int_eq(rump_sys_dup3(a, 30, O_CLOEXEC), 30);
	ck_assert_int_eq(rump_sys_fcntl(30, F_GETFD), FD_CLOEXEC);
	CK_ERR(rump_sys_fcntl(a, 9999), EINVAL);
	CK_ERR(rump_sys_fcntl(99, F_GETFD), EBADF);

	/* dup2 onto an open descriptor closes it first. */
	ck_assert_uint_eq(proc_nfiles(p), 10);
	ck_assert_int_eq(rump_sys_dup2(c, 40), 40);
	ck_assert_int_eq(rump_sys_getsockopt(40, SOL_SOCKET, SO_TYPE, &d,
	    &(socklen_t){ sizeof(d) }), 0);
	ck_assert_int_eq(d, SOCK_STREAM);
	ck_assert_uint_eq(proc_nfiles(p), 10);
	ck_assert_uint_eq(nsockets(), 3);
}
END_TEST

START_TEST(test_fd_shared_file)
{
	char buf[8];
	int a, b, a2;

	tpair(&a, &b);
	a2 = rump_sys_dup(b);
	/* O_NONBLOCK belongs to the open file, seen through both. */
	ck_assert_int_eq(rump_sys_fcntl(b, F_GETFL), O_RDWR);
	ck_assert_int_eq(rump_sys_fcntl(a2, F_SETFL, O_NONBLOCK | O_APPEND),
	    0);
	ck_assert_int_eq(rump_sys_fcntl(b, F_GETFL), O_RDWR | O_NONBLOCK);
	CK_ERR(rump_sys_read(b, buf, sizeof(buf)), EAGAIN);
	/* Closing one descriptor leaves the socket open. */
	ck_assert_int_eq(rump_sys_close(b), 0);
	ck_assert_int_eq(rump_sys_write(a, "abc", 3), 3);
	ck_assert_int_eq(rump_sys_read(a2, buf, sizeof(buf)), 3);
	CK_ERR(rump_sys_close(b), EBADF);
	/* The last close disconnects the peer. */
	ck_assert_int_eq(rump_sys_close(a2), 0);
	ck_assert_int_eq(rump_sys_read(a, buf, sizeof(buf)), 0);
	CK_ERR(rump_sys_send(a, "x", 1, MSG_NOSIGNAL), EPIPE);
}
END_TEST

START_TEST(test_fd_limit)
{
	int fd = tsock(SOCK_DGRAM), n;

	for (n = 1; n < PROC_MAXFILES; n++)
		ck_assert_int_eq(rump_sys_dup(fd), n);
	CK_ERR(rump_sys_dup(fd), EMFILE);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_DGRAM, 0), EMFILE);
	CK_ERR(rump_sys_fcntl(fd, F_DUPFD, 0), EMFILE);
	ck_assert_int_eq(rump_sys_close(500), 0);
	ck_assert_int_eq(rump_sys_dup(fd), 500);
	ck_assert_uint_eq(proc_nfiles(p), PROC_MAXFILES);
	ck_assert_uint_eq(nsockets(), 1);
}
END_TEST

/* A descriptor that is not a socket. */
static int other_closed;

static int
other_poll(void *data, int events)
{
	return KPOLLIN | KPOLLOUT;
}

static void
other_close(void *data)
{
	other_closed++;
}

static const struct fileops other_ops = {
	.fo_name = "other",
	.fo_poll = other_poll,
	.fo_close = other_close,
};

START_TEST(test_fd_errors)
{
	struct tsockaddr ts;
	struct pollfd pfd[3];
	struct iovec iov[2];
	char buf[8];
	socklen_t len = sizeof(ts);
	int fd, o, v = 1;

	/* Bad descriptors. */
	fd = tsock(SOCK_DGRAM);
	CK_ERR(rump_sys_close(-1), EBADF);
	CK_ERR(rump_sys_close(77), EBADF);
	CK_ERR(rump_sys_bind(5000, NULL, 0), EBADF);
	CK_ERR(rump_sys_listen(3, 1), EBADF);
	CK_ERR(rump_sys_accept(3, NULL, NULL), EBADF);
	CK_ERR(rump_sys_connect(3, tsa(&ts, 1), sizeof(ts)), EBADF);
	CK_ERR(rump_sys_send(3, "x", 1, 0), EBADF);
	CK_ERR(rump_sys_recv(3, buf, 1, 0), EBADF);
	CK_ERR(rump_sys_read(-5, buf, 1), EBADF);
	CK_ERR(rump_sys_write(3, buf, 1), EBADF);
	CK_ERR(rump_sys_shutdown(3, SHUT_RDWR), EBADF);
	CK_ERR(rump_sys_getsockopt(3, SOL_SOCKET, SO_TYPE, &v, &len), EBADF);
	CK_ERR(rump_sys_setsockopt(3, SOL_SOCKET, SO_REUSEADDR, &v,
	    sizeof(v)), EBADF);
	CK_ERR(rump_sys_getsockname(3, (struct sockaddr *)&ts, &len), EBADF);
	CK_ERR(rump_sys_ioctl(3, FIONREAD, &v), EBADF);
	CK_ERR(rump_sys_fcntl(3, F_GETFL), EBADF);
	CK_ERR(rump_sys_dup(3), EBADF);

	/* Not a socket. */
	ck_assert_int_eq(fd_install(p, &other_ops, NULL, &o), 0);
	ck_assert_int_eq(o, 1);
	CK_ERR(rump_sys_bind(o, tsa(&ts, 1), sizeof(ts)), ENOTSOCK);
	CK_ERR(rump_sys_listen(o, 1), ENOTSOCK);
	CK_ERR(rump_sys_send(o, "x", 1, 0), ENOTSOCK);
	CK_ERR(rump_sys_recvfrom(o, buf, 1, 0, NULL, NULL), ENOTSOCK);
	CK_ERR(rump_sys_getsockopt(o, SOL_SOCKET, SO_TYPE, &v, &len),
	    ENOTSOCK);
	CK_ERR(rump_sys_getpeername(o, (struct sockaddr *)&ts, &len),
	    ENOTSOCK);
	CK_ERR(rump_sys_read(o, buf, 1), EINVAL);
	CK_ERR(rump_sys_write(o, buf, 1), EINVAL);
	CK_ERR(rump_sys_ioctl(o, FIONBIO, &v), ENOTTY);
	ck_assert_int_eq(rump_sys_fcntl(o, F_GETFL), O_RDWR);
	ck_assert_int_eq(tpoll(o, POLLIN), POLLIN);
	ck_assert_int_eq(rump_sys_dup2(o, 9), 9);
	ck_assert_int_eq(rump_sys_close(o), 0);
	ck_assert_int_eq(other_closed, 0);
	ck_assert_int_eq(rump_sys_close(9), 0);
	ck_assert_int_eq(other_closed, 1);

	/* Bad addresses and lengths (Linux answers). */
	CK_ERR(rump_sys_bind(fd, NULL, sizeof(ts)), EFAULT);
	CK_ERR(rump_sys_bind(fd, NULL, 0), EINVAL);
	CK_ERR(rump_sys_bind(fd, tsa(&ts, 1), 1), EINVAL);
	CK_ERR(rump_sys_bind(fd, tsa(&ts, 1), 200), EINVAL);
	CK_ERR(rump_sys_connect(fd, NULL, 0), EINVAL);
	CK_ERR(rump_sys_send(fd, NULL, 4, 0), EFAULT);
	CK_ERR(rump_sys_recv(fd, NULL, 4, 0), EFAULT);
	CK_ERR(rump_sys_recvfrom(fd, buf, 1, 0, (struct sockaddr *)&ts, NULL),
	    EFAULT);
	len = (socklen_t)-1;
	CK_ERR(rump_sys_recvfrom(fd, buf, 1, 0, (struct sockaddr *)&ts, &len),
	    EINVAL);
	CK_ERR(rump_sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, NULL, &len),
	    EFAULT);
	CK_ERR(rump_sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, NULL), EFAULT);
	CK_ERR(rump_sys_getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	CK_ERR(rump_sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, NULL, 4),
	    EFAULT);
	CK_ERR(rump_sys_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 2),
	    EINVAL);
	CK_ERR(rump_sys_getsockname(fd, NULL, NULL), EFAULT);
	len = sizeof(ts);
	CK_ERR(rump_sys_getsockname(fd, NULL, &len), EFAULT);
	CK_ERR(rump_sys_ioctl(fd, FIONREAD, NULL), EFAULT);
	CK_ERR(rump_sys_poll(NULL, 1, 0), EFAULT);
	ck_assert_int_eq(rump_sys_poll(NULL, 0, 0), 0);
	CK_ERR(rump_sys_poll(pfd, PROC_MAXFILES + 1, 0), EINVAL);
	CK_ERR(rump_sys_shutdown(fd, 5), EINVAL);
	CK_ERR(rump_sys_readv(fd, iov, -1), EINVAL);
	CK_ERR(rump_sys_readv(fd, iov, IOV_MAX + 1), EINVAL);
	CK_ERR(rump_sys_writev(fd, NULL, 1), EFAULT);
	iov[0].iov_base = NULL;
	iov[0].iov_len = 3;
	CK_ERR(rump_sys_writev(fd, iov, 1), EFAULT);
	iov[0].iov_base = buf;
	iov[0].iov_len = SIZE_MAX / 2;
	iov[1].iov_base = buf;
	iov[1].iov_len = SIZE_MAX / 2;
	CK_ERR(rump_sys_writev(fd, iov, 2), EINVAL);
	CK_ERR(rump_sys_sendmsg(fd, NULL, 0), EFAULT);
	CK_ERR(rump_sys_recvmsg(fd, NULL, 0), EFAULT);
	CK_ERR(rump_sys_accept4(fd, NULL, NULL, 0x1), EINVAL);

	/* Families, types and protocols. */
	CK_ERR(rump_sys_socket(99, SOCK_STREAM, 0), EAFNOSUPPORT);
	CK_ERR(rump_sys_socket(-1, SOCK_STREAM, 0), EAFNOSUPPORT);
	CK_ERR(rump_sys_socket(40, SOCK_STREAM, 0), EAFNOSUPPORT);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_RAW, 0), ESOCKTNOSUPPORT);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_DGRAM, 7), EPROTONOSUPPORT);
	CK_ERR(rump_sys_socket(TP_AF, 20, 0), EINVAL);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_STREAM | 0x100000, 0), EINVAL);
	ck_assert_int_eq(rump_sys_close(rump_sys_socket(TP_AF, SOCK_STREAM, 1)),
	    0);
	memset(&ts, 0, sizeof(ts));
	ts.ts_family = 2;
	CK_ERR(rump_sys_bind(fd, (struct sockaddr *)&ts, sizeof(ts)),
	    EAFNOSUPPORT);
	CK_ERR(rump_sys_connect(fd, (struct sockaddr *)&ts, sizeof(ts)),
	    EAFNOSUPPORT);
	CK_ERR(rump_sys_sendto(fd, "x", 1, 0, (struct sockaddr *)&ts,
	    sizeof(ts)), EAFNOSUPPORT);
	CK_ERR(rump_sys_listen(fd, 1), EOPNOTSUPP);
	ck_assert_uint_eq(nsockets(), 1);
}
END_TEST

/* ------------------------------------------------------------- streams */

START_TEST(test_stream_basics)
{
	struct tsockaddr ts, peer;
	socklen_t len;
	char buf[16];
	int l, a, b, v;

	l = tlisten(7, 5);
	v = 0;
	len = sizeof(v);
	ck_assert_int_eq(rump_sys_getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v,
	    &len), 0);
	ck_assert_int_eq(v, 1);
	a = tconnect(7);
	CK_ERR(rump_sys_connect(a, tsa(&ts, 7), sizeof(ts)), EISCONN);
	CK_ERR(rump_sys_listen(a, 1), EINVAL);
	CK_ERR(rump_sys_connect(l, tsa(&ts, 7), sizeof(ts)), EISCONN);

	len = sizeof(peer);
	memset(&peer, 0xff, sizeof(peer));
	b = rump_sys_accept(l, (struct sockaddr *)&peer, &len);
	ck_assert_int_ge(b, 0);
	ck_assert_uint_eq(len, sizeof(struct tsockaddr));
	ck_assert_uint_eq(peer.ts_family, TP_AF);
	len = sizeof(ts);
	ck_assert_int_eq(rump_sys_getsockname(a, (struct sockaddr *)&ts, &len),
	    0);
	ck_assert_uint_eq(ts.ts_port, peer.ts_port);	/* a's own port */
	ck_assert_int_eq(rump_sys_getpeername(b, (struct sockaddr *)&ts, &len),
	    0);
	ck_assert_uint_eq(ts.ts_port, peer.ts_port);
	ck_assert_int_eq(rump_sys_getpeername(a, (struct sockaddr *)&ts, &len),
	    0);
	ck_assert_uint_eq(ts.ts_port, 7);
	/* A short buffer gets what fits and the real length. */
	len = 2;
	memset(&ts, 0, sizeof(ts));
	ck_assert_int_eq(rump_sys_getpeername(a, (struct sockaddr *)&ts, &len),
	    0);
	ck_assert_uint_eq(len, sizeof(ts));
	ck_assert_uint_eq(ts.ts_family, TP_AF);
	ck_assert_uint_eq(ts.ts_port, 0);
	CK_ERR(rump_sys_getpeername(l, (struct sockaddr *)&ts, &len), ENOTCONN);

	ck_assert_int_eq(rump_sys_write(a, "hello", 5), 5);
	ck_assert_int_eq(rump_sys_send(a, " world", 6, 0), 6);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 11);
	ck_assert_mem_eq(buf, "hello world", 11);
	ck_assert_int_eq(rump_sys_write(b, "", 0), 0);

	/* Unconnected streams: Linux's EPIPE and ENOTCONN. */
	v = tsock(SOCK_STREAM);
	CK_ERR(rump_sys_send(v, "x", 1, MSG_NOSIGNAL), EPIPE);
	CK_ERR(rump_sys_write(v, "", 0), EPIPE);
	CK_ERR(rump_sys_recv(v, buf, 1, MSG_DONTWAIT), ENOTCONN);
	CK_ERR(rump_sys_read(l, buf, 1), ENOTCONN);
	CK_ERR(rump_sys_accept(v, NULL, NULL), EINVAL);
	CK_ERR(rump_sys_connect(v, tsa(&ts, 8), sizeof(ts)), ECONNREFUSED);
	CK_ERR(rump_sys_accept(tsock(SOCK_DGRAM), NULL, NULL), EOPNOTSUPP);
}
END_TEST

START_TEST(test_stream_iov_peek_waitall)
{
	struct iovec iov[3];
	struct msghdr msg;
	char x[4], y[5], z[64];
	int a, b;

	tpair(&a, &b);
	iov[0] = (struct iovec){ .iov_base = "abc", .iov_len = 3 };
	iov[1] = (struct iovec){ .iov_base = NULL, .iov_len = 0 };
	iov[2] = (struct iovec){ .iov_base = "defgh", .iov_len = 5 };
	ck_assert_int_eq(rump_sys_writev(a, iov, 3), 8);
	ck_assert_int_eq(rump_sys_recv(b, z, 2, MSG_PEEK), 2);
	ck_assert_mem_eq(z, "ab", 2);
	ck_assert_int_eq(rump_sys_recv(b, z, sizeof(z), MSG_PEEK), 8);
	iov[0] = (struct iovec){ .iov_base = x, .iov_len = sizeof(x) };
	iov[1] = (struct iovec){ .iov_base = y, .iov_len = sizeof(y) };
	ck_assert_int_eq(rump_sys_readv(b, iov, 2), 8);
	ck_assert_mem_eq(x, "abcd", 4);
	ck_assert_mem_eq(y, "efgh", 4);

	/* sendmsg/recvmsg with the host's struct msghdr. */
	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ .iov_base = "12345", .iov_len = 5 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 1;
	ck_assert_int_eq(rump_sys_sendmsg(a, &msg, 0), 5);
	msg.msg_controllen = 8;
	msg.msg_control = z;
	CK_ERR(rump_sys_sendmsg(a, &msg, 0), EINVAL);
	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ .iov_base = z, .iov_len = 3 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 1;
	msg.msg_control = x;
	msg.msg_controllen = sizeof(x);
	ck_assert_int_eq(rump_sys_recvmsg(b, &msg, 0), 3);
	ck_assert_uint_eq(msg.msg_controllen, 0);
	ck_assert_int_eq(msg.msg_flags, 0);
	ck_assert_uint_eq(msg.msg_namelen, 0);
	/* MSG_TRUNC on a stream discards (Linux). */
	ck_assert_int_eq(rump_sys_recv(b, x, 1, MSG_TRUNC), 1);
	ck_assert_int_eq(rump_sys_recv(b, z, sizeof(z), 0), 1);
	ck_assert_mem_eq(z, "5", 1);
	ck_assert_int_eq(rump_sys_recv(b, z, 0, 0), 0);
}
END_TEST

struct waitall {
	struct proc	*wa_proc;
	int		 wa_fd;
	long		 wa_rv;
	char		 wa_buf[8];
};

static void *
waitall_thread(void *arg)
{
	struct waitall *wa = arg;

	proc_setcurrent(wa->wa_proc);
	wa->wa_rv = rump_sys_recv(wa->wa_fd, wa->wa_buf, 6, MSG_WAITALL);
	proc_setcurrent(NULL);
	return NULL;
}

START_TEST(test_stream_blocking_read)
{
	struct waitall wa;
	struct worker w;
	pthread_t t;
	char buf[16];
	int a, b;

	tpair(&a, &b);
	/* A blocked read is woken by a write from another thread. */
	worker_start(&w, worker_write, a, 50);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 4);
	ck_assert_mem_eq(buf, "wake", 4);
	worker_join(&w);
	ck_assert_int_eq(w.w_rv, 4);

	/* MSG_WAITALL waits for all 6 bytes across two writes. */
	wa.wa_proc = p;
	wa.wa_fd = b;
	ck_assert_int_eq(pthread_create(&t, NULL, waitall_thread, &wa), 0);
	ck_assert_int_eq(rump_sys_write(a, "abc", 3), 3);
	wait_sleeping(p);
	ck_assert_int_eq(rump_sys_write(a, "defg", 4), 4);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(wa.wa_rv, 6);
	ck_assert_mem_eq(wa.wa_buf, "abcdef", 6);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 1);

	/* SO_RCVLOWAT: a read waits for 3 bytes. */
	ck_assert_int_eq(rump_sys_setsockopt(b, SOL_SOCKET, SO_RCVLOWAT,
	    &(int){ 3 }, sizeof(int)), 0);
	ck_assert_int_eq(rump_sys_write(a, "12", 2), 2);
	ck_assert_int_eq(tpoll(b, POLLIN), 0);
	worker_start(&w, worker_write, a, 30);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 6);
	worker_join(&w);
}
END_TEST

/* Advance the virtual clock until told to stop. */
struct ticker {
	struct netstack	*tk_ns;
	volatile bool	 tk_stop;
};

static void *
ticker_thread(void *arg)
{
	struct ticker *tk = arg;

	while (!tk->tk_stop) {
		netstack_clock_advance(tk->tk_ns, NS_MS(500));
		usleep(2000);
	}
	return NULL;
}

START_TEST(test_timeouts_virtual)
{
	struct timeval tv = { .tv_sec = 3 };
	struct ticker tk = { .tk_ns = ns };
	struct pollfd pfd;
	pthread_t t;
	char buf[4];
	int a, b, l;
	uint64_t t0;

	/* On a virtual clock SO_RCVTIMEO counts netstack time. */
	tpair(&a, &b);
	l = tlisten(9, 1);
	ck_assert_int_eq(rump_sys_setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	ck_assert_int_eq(rump_sys_setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, ticker_thread, &tk), 0);
	klock_enter(&ns->ns_klock);
	t0 = netstack_now(ns);
	klock_exit(&ns->ns_klock);
	CK_ERR(rump_sys_read(b, buf, sizeof(buf)), EAGAIN);
	CK_ERR(rump_sys_accept(l, NULL, NULL), EAGAIN);
	pfd = (struct pollfd){ .fd = b, .events = POLLIN };
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 2000), 0);
	tk.tk_stop = true;
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	klock_enter(&ns->ns_klock);
	ck_assert_uint_ge(netstack_now(ns) - t0, NS_SEC(8));
	klock_exit(&ns->ns_klock);
}
END_TEST

START_TEST(test_timeouts_real)
{
	struct timeval tv = { .tv_usec = 100000 };
	struct pollfd pfd;
	uint64_t t0;
	char buf[4];
	int a, b;

	tnet_realclock();
	tpair(&a, &b);
	ck_assert_int_eq(rump_sys_setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	t0 = mono_ms();
	CK_ERR(rump_sys_recv(b, buf, sizeof(buf), 0), EAGAIN);
	ck_assert_uint_ge(mono_ms() - t0, 90);
	ck_assert_uint_lt(mono_ms() - t0, 3000);

	/* Data that arrives in time is returned. */
	tv.tv_sec = 5;
	ck_assert_int_eq(rump_sys_setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	ck_assert_int_eq(rump_sys_write(a, "ok", 2), 2);
	ck_assert_int_eq(rump_sys_recv(b, buf, sizeof(buf), 0), 2);

	/* poll: the timeout passes with nothing ready. */
	pfd = (struct pollfd){ .fd = b, .events = POLLIN };
	t0 = mono_ms();
	ck_assert_int_eq(rump_sys_poll(&pfd, 1, 60), 0);
	ck_assert_int_eq(pfd.revents, 0);
	ck_assert_uint_ge(mono_ms() - t0, 50);
}
END_TEST

START_TEST(test_nonblocking)
{
	struct tsockaddr ts;
	char buf[4096];
	int a, b, l, v, fd;
	long n, total = 0;

	tpair(&a, &b);
	CK_ERR(rump_sys_recv(b, buf, 1, MSG_DONTWAIT), EAGAIN);
	v = 1;
	ck_assert_int_eq(rump_sys_ioctl(b, FIONBIO, &v), 0);
	CK_ERR(rump_sys_read(b, buf, 1), EAGAIN);
	ck_assert_int_eq(rump_sys_fcntl(b, F_GETFL), O_RDWR | O_NONBLOCK);
	v = 0;
	ck_assert_int_eq(rump_sys_ioctl(b, FIONBIO, &v), 0);
	ck_assert_int_eq(rump_sys_fcntl(b, F_GETFL), O_RDWR);

	/* Fill a's send buffer and b's receive buffer: partial, then EAGAIN. */
	ck_assert_int_eq(rump_sys_fcntl(a, F_SETFL, O_NONBLOCK), 0);
	memset(buf, 'x', sizeof(buf));
	while ((n = rump_sys_write(a, buf, sizeof(buf))) > 0)
		total += n;
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(total, 128 * 1024);	/* 64 KiB each side */
	ck_assert_int_eq(rump_sys_ioctl(b, FIONREAD, &v), 0);
	ck_assert_int_eq(v, 64 * 1024);
	ck_assert_int_eq(tpoll(a, POLLOUT), 0);
	/* Reading frees room: POLLOUT again, a partial write fits. */
	ck_assert_int_eq(rump_sys_read(b, buf, 3000), 3000);
	ck_assert_int_eq(tpoll(a, POLLOUT), POLLOUT);
	ck_assert_int_eq(rump_sys_write(a, buf, sizeof(buf)), 3000);

	/* Non-blocking accept and connect. */
	l = tlisten(11, 4);
	fd = rump_sys_socket(TP_AF, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	CK_ERR(rump_sys_accept(fd, NULL, NULL), EINVAL);
	ck_assert_int_eq(rump_sys_fcntl(l, F_SETFL, O_NONBLOCK), 0);
	CK_ERR(rump_sys_accept(l, NULL, NULL), EAGAIN);
	klock_enter(&ns->ns_klock);
	((struct tp_pcb *)fdsock(l)->so_pcb)->tp_hold = true;
	klock_exit(&ns->ns_klock);
	CK_ERR(rump_sys_connect(fd, tsa(&ts, 11), sizeof(ts)), EINPROGRESS);
	CK_ERR(rump_sys_connect(fd, tsa(&ts, 11), sizeof(ts)), EALREADY);
	CK_ERR(rump_sys_send(fd, "x", 1, 0), EAGAIN);
	ck_assert_int_eq(tpoll(fd, POLLIN | POLLOUT), 0);
	CK_ERR(rump_sys_accept(l, NULL, NULL), EAGAIN);	/* embryonic */
	/* The protocol completes the connection. */
	klock_enter(&ns->ns_klock);
	{
		struct tp_pcb *ctp = fdsock(fd)->so_pcb;

		soisconnected(ctp->tp_peer->tp_so);
		soisconnected(fdsock(fd));
	}
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(tpoll(fd, POLLOUT), POLLOUT);
	CK_ERR(rump_sys_connect(fd, tsa(&ts, 11), sizeof(ts)), EISCONN);
	v = rump_sys_accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	ck_assert_int_ge(v, 0);
	ck_assert_int_eq(rump_sys_fcntl(v, F_GETFL), O_RDWR | O_NONBLOCK);
	ck_assert_int_eq(rump_sys_fcntl(v, F_GETFD), FD_CLOEXEC);
	ck_assert_int_eq(rump_sys_send(fd, "hi", 2, 0), 2);
	ck_assert_int_eq(rump_sys_recv(v, buf, sizeof(buf), 0), 2);
}
END_TEST

START_TEST(test_connect_blocking)
{
	struct tsockaddr ts;
	struct tp_pcb *ltp;
	int l, fd, v;

	tnet_realclock();
	l = tlisten(12, 4);
	klock_enter(&ns->ns_klock);
	ltp = fdsock(l)->so_pcb;
	ltp->tp_hold = true;
	klock_exit(&ns->ns_klock);

	/* SO_SNDTIMEO bounds a blocking connect: EINPROGRESS (Linux). */
	fd = tsock(SOCK_STREAM);
	ck_assert_int_eq(rump_sys_setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO,
	    &(struct timeval){ .tv_usec = 50000 }, sizeof(struct timeval)), 0);
	CK_ERR(rump_sys_connect(fd, tsa(&ts, 12), sizeof(ts)), EINPROGRESS);

	/* A refused attempt: the pending error is returned and cleared. */
	klock_enter(&ns->ns_klock);
	{
		struct socket *so = fdsock(fd);
		struct tp_pcb *ntp = ((struct tp_pcb *)so->so_pcb)->tp_peer;
		struct socket *nso = ntp->tp_so;

		tp_unpair(ntp);
		nso->so_pcb = NULL;
		tp_free(ntp);
		soabort_embryonic(nso);
		soseterror(so, ECONNREFUSED);
		soisdisconnected(so);
	}
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(tpoll(fd, POLLIN | POLLOUT),
	    POLLIN | POLLOUT | POLLERR | POLLHUP);
	v = -1;
	ck_assert_int_eq(rump_sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &v,
	    &(socklen_t){ sizeof(v) }), 0);
	ck_assert_int_eq(v, ECONNREFUSED);
	ck_assert_int_eq(rump_sys_getsockopt(fd, SOL_SOCKET, SO_ERROR, &v,
	    &(socklen_t){ sizeof(v) }), 0);
	ck_assert_int_eq(v, 0);
	klock_enter(&ns->ns_klock);
	ck_assert_uint_eq(fdsock(l)->so_q0len, 0);
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	ck_assert_uint_eq(nsockets(), 1);
}
END_TEST

/* ----------------------------------------------------------- datagrams */

START_TEST(test_dgram)
{
	struct tsockaddr ts, from;
	struct iovec iov[2];
	struct msghdr msg;
	socklen_t len;
	char buf[16], big[70000];
	int a, b, v;

	a = tdgram(20);
	b = tdgram(21);
	CK_ERR(rump_sys_send(a, "x", 1, 0), EDESTADDRREQ);
	ck_assert_int_eq(tpoll(b, POLLIN | POLLOUT), POLLOUT);
	ck_assert_int_eq(rump_sys_sendto(a, "first", 5, 0, tsa(&ts, 21),
	    sizeof(ts)), 5);
	ck_assert_int_eq(rump_sys_sendto(a, "", 0, 0, tsa(&ts, 21),
	    sizeof(ts)), 0);
	ck_assert_int_eq(rump_sys_sendto(a, "third!", 6, 0, tsa(&ts, 21),
	    sizeof(ts)), 6);
	ck_assert_int_eq(tpoll(b, POLLIN | POLLOUT), POLLIN | POLLOUT);
	ck_assert_int_eq(rump_sys_ioctl(b, FIONREAD, &v), 0);
	ck_assert_int_eq(v, 5);		/* the first datagram (Linux) */

	/* Source address, peeking, truncation. */
	len = sizeof(from);
	memset(&from, 0, sizeof(from));
	ck_assert_int_eq(rump_sys_recvfrom(b, buf, 2, MSG_PEEK,
	    (struct sockaddr *)&from, &len), 2);
	ck_assert_uint_eq(len, sizeof(from));
	ck_assert_uint_eq(from.ts_family, TP_AF);
	ck_assert_uint_eq(from.ts_port, 20);
	ck_assert_int_eq(rump_sys_recv(b, buf, 2, MSG_PEEK | MSG_TRUNC), 5);
	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ .iov_base = buf, .iov_len = 2 };
	iov[1] = (struct iovec){ .iov_base = buf + 2, .iov_len = 1 };
	msg.msg_iov = iov;
	msg.msg_iovlen = 2;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	ck_assert_int_eq(rump_sys_recvmsg(b, &msg, 0), 3);
	ck_assert_int_eq(msg.msg_flags, MSG_TRUNC);
	ck_assert_uint_eq(msg.msg_namelen, sizeof(from));
	ck_assert_mem_eq(buf, "fir", 3);
	/* The rest of a cut datagram is gone; the empty one is next. */
	ck_assert_int_eq(rump_sys_recv(b, buf, sizeof(buf), 0), 0);
	ck_assert_int_eq(rump_sys_recv(b, buf, 1, MSG_TRUNC), 6);
	CK_ERR(rump_sys_recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	ck_assert_int_eq(rump_sys_ioctl(b, FIONREAD, &v), 0);
	ck_assert_int_eq(v, 0);

	/* connect sets the default destination; AF_UNSPEC dissolves it. */
	ck_assert_int_eq(rump_sys_connect(a, tsa(&ts, 21), sizeof(ts)), 0);
	ck_assert_int_eq(rump_sys_send(a, "c", 1, 0), 1);
	len = sizeof(ts);
	ck_assert_int_eq(rump_sys_getpeername(a, (struct sockaddr *)&ts, &len),
	    0);
	ck_assert_uint_eq(ts.ts_port, 21);
	memset(&ts, 0, sizeof(ts));
	ck_assert_int_eq(rump_sys_connect(a, (struct sockaddr *)&ts,
	    sizeof(ts)), 0);
	CK_ERR(rump_sys_send(a, "c", 1, 0), EDESTADDRREQ);
	CK_ERR(rump_sys_getpeername(a, (struct sockaddr *)&ts, &len),
	    ENOTCONN);
	ck_assert_int_eq(rump_sys_recv(b, buf, sizeof(buf), 0), 1);

	/* Too large for any datagram. */
	memset(big, 0, sizeof(big));
	CK_ERR(rump_sys_sendto(a, big, 65536, 0, tsa(&ts, 21), sizeof(ts)),
	    EMSGSIZE);
	ck_assert_int_eq(rump_sys_sendto(a, big, 65535, 0, tsa(&ts, 21),
	    sizeof(ts)), 65535);
	/* The receive buffer (64 KiB) refuses the next one: dropped. */
	ck_assert_int_eq(rump_sys_sendto(a, big, 100, 0, tsa(&ts, 21),
	    sizeof(ts)), 100);
	ck_assert_int_eq(rump_sys_recv(b, big, sizeof(big), 0), 65535);
	CK_ERR(rump_sys_recv(b, big, sizeof(big), MSG_DONTWAIT), EAGAIN);
	ck_assert_uint_eq(fdsock(b)->so_rcv.sb_drops, 1);

	/* shutdown: reads see end of file, sending fails with EPIPE. */
	CK_ERR(rump_sys_shutdown(b, SHUT_RD), ENOTCONN);
	ck_assert_int_eq(rump_sys_recv(b, buf, sizeof(buf), 0), 0);
	CK_ERR(rump_sys_shutdown(a, SHUT_WR), ENOTCONN);
	CK_ERR(rump_sys_sendto(a, "x", 1, 0, tsa(&ts, 21), sizeof(ts)), EPIPE);
	ck_assert_int_eq(tpoll(a, POLLOUT), POLLOUT);
}
END_TEST

START_TEST(test_dgram_blocking)
{
	struct worker w;
	struct tsockaddr ts;
	int a, b;

	a = tdgram(30);
	b = tdgram(31);
	worker_start(&w, worker_recv, b, 0);
	wait_sleeping(p);
	ck_assert_int_eq(rump_sys_sendto(a, "dgram", 5, 0, tsa(&ts, 31),
	    sizeof(ts)), 5);
	worker_join(&w);
	ck_assert_int_eq(w.w_rv, 5);
	ck_assert_mem_eq(w.w_buf, "dgram", 5);
}
END_TEST

/* --------------------------------------------------------------- poll */

START_TEST(test_poll_stream)
{
	struct pollfd pfd[4];
	int l, a, b, fresh, v;

	fresh = tsock(SOCK_STREAM);
	/* Linux: an unconnected stream socket is writable and hung up. */
	ck_assert_int_eq(tpoll(fresh, POLLIN | POLLOUT), POLLOUT | POLLHUP);
	l = tlisten(7, 5);
	ck_assert_int_eq(tpoll(l, POLLIN | POLLOUT), 0);
	a = tconnect(7);
	ck_assert_int_eq(tpoll(l, POLLIN | POLLOUT), POLLIN);
	b = rump_sys_accept(l, NULL, NULL);
	ck_assert_int_ge(b, 0);
	ck_assert_int_eq(tpoll(b, POLLIN | POLLOUT), POLLOUT);
	ck_assert_int_eq(rump_sys_write(a, "x", 1), 1);
	ck_assert_int_eq(tpoll(b, POLLIN | POLLOUT | POLLRDNORM),
	    POLLIN | POLLOUT | POLLRDNORM);

	/* Several descriptors at once; bad ones get POLLNVAL, -1 nothing. */
	pfd[0] = (struct pollfd){ .fd = b, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = 99, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = -1, .events = POLLIN };
	pfd[3] = (struct pollfd){ .fd = a, .events = POLLIN };
	ck_assert_int_eq(rump_sys_poll(pfd, 4, 0), 2);
	ck_assert_int_eq(pfd[0].revents, POLLIN);
	ck_assert_int_eq(pfd[1].revents, POLLNVAL);
	ck_assert_int_eq(pfd[2].revents, 0);
	ck_assert_int_eq(pfd[3].revents, 0);

	/* Peer shut its writing side: readable, RDHUP. */
	ck_assert_int_eq(rump_sys_shutdown(a, SHUT_WR), 0);
	ck_assert_int_eq(tpoll(b, POLLIN | POLLRDHUP), POLLIN | POLLRDHUP);
	ck_assert_int_eq(tpoll(a, POLLOUT), POLLOUT);
	ck_assert_int_eq(rump_sys_shutdown(b, SHUT_RDWR), 0);
	ck_assert_int_eq(tpoll(b, 0), POLLHUP);

	/* A pending error: POLLERR whatever was asked. */
	klock_enter(&ns->ns_klock);
	soseterror(fdsock(fresh), ECONNRESET);
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(tpoll(fresh, 0), POLLERR | POLLHUP);
	CK_ERR(rump_sys_recv(fresh, &v, 1, 0), ECONNRESET);
	ck_assert_int_eq(tpoll(fresh, 0), POLLHUP);
}
END_TEST

START_TEST(test_poll_wakeup)
{
	struct pollfd pfd[2];
	struct worker w;
	uint64_t t0;
	int a, b, d;

	tnet_realclock();
	tpair(&a, &b);
	d = tdgram(40);
	pfd[0] = (struct pollfd){ .fd = d, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = b, .events = POLLIN };
	worker_start(&w, worker_write, a, 50);
	t0 = mono_ms();
	ck_assert_int_eq(rump_sys_poll(pfd, 2, 10000), 1);
	ck_assert_uint_lt(mono_ms() - t0, 5000);
	ck_assert_int_eq(pfd[0].revents, 0);
	ck_assert_int_eq(pfd[1].revents, POLLIN);
	worker_join(&w);
	ck_assert_int_eq(w.w_rv, 4);
}
END_TEST

/* ------------------------------------------------------ listen, accept */

START_TEST(test_accept_backlog)
{
	struct tsockaddr ts;
	int l, c[4], s[4], v;
	char buf[4];

	/* A backlog of 2 queues 3 connections (Linux lets one more in). */
	l = tlisten(7, 2);
	for (int i = 0; i < 3; i++)
		c[i] = tconnect(7);
	c[3] = tsock(SOCK_STREAM);
	CK_ERR(rump_sys_connect(c[3], tsa(&ts, 7), sizeof(ts)), ECONNREFUSED);
	for (int i = 0; i < 3; i++) {
		s[i] = rump_sys_accept(l, NULL, NULL);
		ck_assert_int_ge(s[i], 0);
		/* In arrival order. */
		ck_assert_int_eq(rump_sys_write(c[i], &i, sizeof(i)),
		    sizeof(i));
		ck_assert_int_eq(rump_sys_read(s[i], &v, sizeof(v)), sizeof(v));
		ck_assert_int_eq(v, i);
	}
	ck_assert_int_eq(rump_sys_connect(c[3], tsa(&ts, 7), sizeof(ts)), 0);

	/* kern.somaxconn caps the backlog; negative means the cap. */
	v = 1;
	ck_assert_int_eq(rump_sys_sysctlbyname("kern.somaxconn", NULL, NULL,
	    &v, sizeof(v)), 0);
	ck_assert_int_eq(rump_sys_listen(l, 100), 0);
	ck_assert_uint_eq(fdsock(l)->so_qlimit, 1);
	ck_assert_int_eq(rump_sys_listen(l, -1), 0);
	ck_assert_uint_eq(fdsock(l)->so_qlimit, 1);

	/* Closing the listener drops what was queued: the peer sees EOF. */
	ck_assert_uint_eq(fdsock(l)->so_qlen, 1);
	ck_assert_int_eq(rump_sys_close(l), 0);
	ck_assert_int_eq(rump_sys_read(c[3], buf, sizeof(buf)), 0);
	CK_ERR(rump_sys_write(c[3], "x", 1), EPIPE);
}
END_TEST

START_TEST(test_accept_embryonic)
{
	struct tsockaddr ts;
	struct socket *lso, *nso;
	struct tp_pcb *ltp;
	struct worker w;
	int l, c, s;

	l = tlisten(7, 1);
	lso = fdsock(l);
	klock_enter(&ns->ns_klock);
	ltp = lso->so_pcb;
	ltp->tp_hold = true;
	klock_exit(&ns->ns_klock);
	c = rump_sys_socket(TP_AF, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CK_ERR(rump_sys_connect(c, tsa(&ts, 7), sizeof(ts)), EINPROGRESS);
	ck_assert_uint_eq(lso->so_q0len, 1);
	ck_assert_uint_eq(lso->so_qlen, 0);

	/* accept sleeps until the protocol completes the connection. */
	worker_start(&w, worker_accept, l, 0);
	wait_sleeping(p);
	klock_enter(&ns->ns_klock);
	nso = ((struct tp_pcb *)fdsock(c)->so_pcb)->tp_peer->tp_so;
	soqinsque_complete(nso);
	ck_assert_uint_eq(lso->so_q0len, 0);
	ck_assert_uint_eq(lso->so_qlen, 1);
	ck_assert(nso->so_state & SS_ISCONNECTED);
	soisconnected(fdsock(c));
	klock_exit(&ns->ns_klock);
	worker_join(&w);
	s = (int)w.w_rv;
	ck_assert_int_ge(s, 0);
	ck_assert_int_eq(rump_sys_write(s, "ok", 2), 2);
	ck_assert_int_eq(rump_sys_read(c, w.w_buf, sizeof(w.w_buf)), 2);

	/* An embryonic connection is dropped when its listener closes. */
	c = rump_sys_socket(TP_AF, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CK_ERR(rump_sys_connect(c, tsa(&ts, 7), sizeof(ts)), EINPROGRESS);
	ck_assert_uint_eq(lso->so_q0len, 1);
	ck_assert_uint_eq(nsockets(), 5);
	ck_assert_int_eq(rump_sys_close(l), 0);
	ck_assert_uint_eq(nsockets(), 3);
	ck_assert_int_eq(tpoll(c, POLLIN), POLLIN | POLLHUP);
}
END_TEST

/* ------------------------------------------------------------ shutdown */

START_TEST(test_shutdown)
{
	char buf[8];
	int a, b, u, l;

	tpair(&a, &b);
	ck_assert_int_eq(rump_sys_write(a, "tail", 4), 4);
	ck_assert_int_eq(rump_sys_shutdown(a, SHUT_WR), 0);
	CK_ERR(rump_sys_write(a, "x", 1), EPIPE);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 4);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 0);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 0);
	/* The other direction still works. */
	ck_assert_int_eq(rump_sys_write(b, "back", 4), 4);
	ck_assert_int_eq(rump_sys_read(a, buf, sizeof(buf)), 4);
	/* SHUT_RD: buffered data first, then end of file. */
	ck_assert_int_eq(rump_sys_write(b, "more", 4), 4);
	ck_assert_int_eq(rump_sys_shutdown(a, SHUT_RD), 0);
	ck_assert_int_eq(rump_sys_read(a, buf, sizeof(buf)), 4);
	ck_assert_int_eq(rump_sys_read(a, buf, sizeof(buf)), 0);

	/* Not connected: Linux applies it and says ENOTCONN. */
	u = tsock(SOCK_STREAM);
	CK_ERR(rump_sys_shutdown(u, SHUT_RD), ENOTCONN);
	ck_assert_int_eq(rump_sys_read(u, buf, sizeof(buf)), 0);

	/* A listener's read side: accept fails, listen restarts it. */
	l = tlisten(8, 1);
	ck_assert_int_eq(rump_sys_shutdown(l, SHUT_RD), 0);
	CK_ERR(rump_sys_accept(l, NULL, NULL), EINVAL);
	ck_assert_int_eq(rump_sys_listen(l, 1), 0);
	ck_assert_int_eq(rump_sys_close(tconnect(8)), 0);
}
END_TEST

START_TEST(test_so_error)
{
	char buf[8];
	int a, b, v;
	socklen_t len = sizeof(v);

	tpair(&a, &b);
	klock_enter(&ns->ns_klock);
	soseterror(fdsock(b), ETIMEDOUT);
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(rump_sys_getsockopt(b, SOL_SOCKET, SO_ERROR, &v,
	    &len), 0);
	ck_assert_int_eq(v, ETIMEDOUT);
	ck_assert_int_eq(rump_sys_getsockopt(b, SOL_SOCKET, SO_ERROR, &v,
	    &len), 0);
	ck_assert_int_eq(v, 0);
	CK_ERR(rump_sys_setsockopt(b, SOL_SOCKET, SO_ERROR, &v, sizeof(v)),
	    ENOPROTOOPT);

	/* Data first, then the error once, then reads go on. */
	klock_enter(&ns->ns_klock);
	soseterror(fdsock(b), ECONNRESET);
	klock_exit(&ns->ns_klock);
	CK_ERR(rump_sys_send(b, "x", 1, 0), ECONNRESET);
	ck_assert_int_eq(rump_sys_send(b, "x", 1, 0), 1);
	ck_assert_int_eq(rump_sys_write(a, "d", 1), 1);
	klock_enter(&ns->ns_klock);
	soseterror(fdsock(b), EHOSTUNREACH);
	klock_exit(&ns->ns_klock);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 1);
	CK_ERR(rump_sys_read(b, buf, sizeof(buf)), EHOSTUNREACH);
	CK_ERR(rump_sys_recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
}
END_TEST

/* ------------------------------------------------------------ options */

START_TEST(test_sockopts)
{
	struct timeval tv;
	struct linger lg;
	socklen_t len;
	int s, d, v, opt;

	s = tsock(SOCK_STREAM);
	d = rump_sys_socket(TP_AF, SOCK_DGRAM, 1);
	ck_assert_int_ge(d, 0);
#define GETINT(fd, name, want) do {					\
	v = -12345;							\
	len = sizeof(v);						\
	ck_assert_int_eq(rump_sys_getsockopt(fd, SOL_SOCKET, name, &v,	\
	    &len), 0);							\
	ck_assert_uint_eq(len, sizeof(v));				\
	ck_assert_int_eq(v, (want));					\
} while (0)
#define SETINT(fd, name, val)						\
	ck_assert_int_eq(rump_sys_setsockopt(fd, SOL_SOCKET, name,	\
	    &(int){ (val) }, sizeof(int)), 0)

	GETINT(s, SO_TYPE, SOCK_STREAM);
	GETINT(d, SO_TYPE, SOCK_DGRAM);
	GETINT(s, SO_DOMAIN, TP_AF);
	GETINT(s, SO_PROTOCOL, 1);	/* resolved from 0 */
	GETINT(s, SO_ACCEPTCONN, 0);
	CK_ERR(rump_sys_setsockopt(s, SOL_SOCKET, SO_TYPE, &v, sizeof(v)),
	    ENOPROTOOPT);
	CK_ERR(rump_sys_setsockopt(s, SOL_SOCKET, 1234, &v, sizeof(v)),
	    ENOPROTOOPT);
	CK_ERR(rump_sys_getsockopt(s, SOL_SOCKET, 1234, &v, &len),
	    ENOPROTOOPT);

	/* Boolean options, kept as so_options bits. */
	for (int i = 0; i < 6; i++) {
		static const int names[] = { SO_REUSEADDR, SO_REUSEPORT,
		    SO_KEEPALIVE, SO_BROADCAST, SO_DONTROUTE, SO_OOBINLINE };

		GETINT(s, names[i], 0);
		SETINT(s, names[i], 7);
		GETINT(s, names[i], 1);
	}
	ck_assert_int_eq(fdsock(s)->so_options & (SO_OPT_REUSEADDR |
	    SO_OPT_KEEPALIVE), SO_OPT_REUSEADDR | SO_OPT_KEEPALIVE);
	SETINT(s, SO_REUSEADDR, 0);
	GETINT(s, SO_REUSEADDR, 0);
	/* A short buffer gets what fits. */
	v = 0;
	len = 1;
	ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len),
	    0);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(v, SOCK_STREAM);

	/* Buffer sizes: defaults, BSD read-back, clamps. */
	GETINT(s, SO_SNDBUF, 64 * 1024);
	GETINT(s, SO_RCVBUF, 64 * 1024);
	GETINT(d, SO_SNDBUF, 9216);
	GETINT(d, SO_RCVBUF, 64 * 1024);
	SETINT(s, SO_SNDBUF, 10000);
	GETINT(s, SO_SNDBUF, 10000);
	SETINT(s, SO_RCVBUF, 1);
	GETINT(s, SO_RCVBUF, 2048);
	SETINT(s, SO_RCVBUF, 1 << 30);
	GETINT(s, SO_RCVBUF, 4 * 1024 * 1024);
	SETINT(d, SO_SNDBUF, -1);
	GETINT(d, SO_SNDBUF, 4 * 1024 * 1024);

	/* Low-water marks (Linux: 0 is 1, SO_SNDLOWAT is fixed). */
	GETINT(s, SO_RCVLOWAT, 1);
	SETINT(s, SO_RCVLOWAT, 0);
	GETINT(s, SO_RCVLOWAT, 1);
	SETINT(s, SO_RCVLOWAT, -5);
	GETINT(s, SO_RCVLOWAT, INT_MAX);
	GETINT(s, SO_SNDLOWAT, 1);
	CK_ERR(rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDLOWAT, &v, sizeof(v)),
	    ENOPROTOOPT);

	/* Timeouts travel as struct timeval. */
	tv = (struct timeval){ .tv_sec = 2, .tv_usec = 500000 };
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	memset(&tv, 0, sizeof(tv));
	len = sizeof(tv);
	ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    &len), 0);
	ck_assert_uint_eq(len, sizeof(tv));
	ck_assert_int_eq(tv.tv_sec, 2);
	ck_assert_int_eq(tv.tv_usec, 500000);
	ck_assert_uint_eq(fdsock(s)->so_rcv.sb_timeo, NS_MS(2500));
	tv.tv_usec = 1000000;
	CK_ERR(rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof(tv)), EDOM);
	CK_ERR(rump_sys_setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, 8),
	    EINVAL);
	len = sizeof(tv);
	ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    &len), 0);
	ck_assert_int_eq(tv.tv_sec, 0);
	ck_assert_int_eq(tv.tv_usec, 0);

	lg = (struct linger){ .l_onoff = 1, .l_linger = 7 };
	ck_assert_int_eq(rump_sys_setsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
	    sizeof(lg)), 0);
	memset(&lg, 0, sizeof(lg));
	len = sizeof(lg);
	ck_assert_int_eq(rump_sys_getsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
	    &len), 0);
	ck_assert_int_eq(lg.l_onoff, 1);
	ck_assert_int_eq(lg.l_linger, 7);
	ck_assert_int_eq(fdsock(s)->so_linger, 7);

	/* Other levels reach the protocol. */
	opt = 42;
	ck_assert_int_eq(rump_sys_setsockopt(s, TP_LEVEL, TP_OPT, &opt,
	    sizeof(opt)), 0);
	opt = 0;
	len = sizeof(opt);
	ck_assert_int_eq(rump_sys_getsockopt(s, TP_LEVEL, TP_OPT, &opt, &len),
	    0);
	ck_assert_int_eq(opt, 42);
	CK_ERR(rump_sys_getsockopt(s, TP_LEVEL, 2, &opt, &len), ENOPROTOOPT);
#undef GETINT
#undef SETINT
}
END_TEST

START_TEST(test_sndbuf_resize_with_data)
{
	uint8_t buf[3000];
	uint32_t seq = 0, want = 0;
	int a, b;
	long n, total = 0;

	tpair(&a, &b);
	/* Fill b's receive buffer and a's send buffer with a pattern. */
	ck_assert_int_eq(rump_sys_fcntl(a, F_SETFL, O_NONBLOCK), 0);
	for (;;) {
		for (unsigned i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)((seq + i) % 251);
		if ((n = rump_sys_write(a, buf, sizeof(buf))) <= 0)
			break;
		seq += (uint32_t)n;
		total += n;
	}
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(total, 128 * 1024);
	/* Reading 10000 bytes moves as many out of a's send buffer. */
	for (long got = 0; got < 10000; got += n) {
		n = rump_sys_read(b, buf, MIN(sizeof(buf), (size_t)(10000 - got)));
		ck_assert_int_gt(n, 0);
		for (long i = 0; i < n; i++, want++)
			ck_assert_uint_eq(buf[i], want % 251);
	}
	ck_assert_uint_eq(fdsock(a)->so_snd.sb_cc, 65536 - 10000);
	/* Shrinking below the queued bytes keeps them all, in order. */
	ck_assert_int_eq(rump_sys_setsockopt(a, SOL_SOCKET, SO_SNDBUF,
	    &(int){ 2048 }, sizeof(int)), 0);
	ck_assert_uint_eq(fdsock(a)->so_snd.sb_hiwat, 65536 - 10000);
	CK_ERR(rump_sys_write(a, buf, 1), EAGAIN);
	while (want < seq) {
		n = rump_sys_read(b, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		for (long i = 0; i < n; i++, want++)
			ck_assert_uint_eq(buf[i], want % 251);
	}
	CK_ERR(rump_sys_recv(b, buf, 1, MSG_DONTWAIT), EAGAIN);
	/* The buffer grows again on request. */
	ck_assert_int_eq(rump_sys_setsockopt(a, SOL_SOCKET, SO_SNDBUF,
	    &(int){ 100000 }, sizeof(int)), 0);
	ck_assert_int_eq(rump_sys_write(a, buf, sizeof(buf)), sizeof(buf));
}
END_TEST

/* -------------------------------------------------- lifetime, processes */

START_TEST(test_sofree_after_close)
{
	char buf[4096];
	int a, b;
	long n, got = 0, k;

	tpair(&a, &b);
	ck_assert_int_eq(rump_sys_fcntl(a, F_SETFL, O_NONBLOCK), 0);
	memset(buf, 'z', sizeof(buf));
	while ((n = rump_sys_write(a, buf, sizeof(buf))) > 0)
		got += n;
	ck_assert_int_eq(got, 128 * 1024);
	ck_assert_uint_eq(nsockets(), 2);
	/* a closes with 64 KiB unsent: the protocol keeps its socket. */
	ck_assert_int_eq(rump_sys_close(a), 0);
	ck_assert_uint_eq(nsockets(), 2);
	got = 0;
	while ((k = rump_sys_read(b, buf, sizeof(buf))) > 0)
		got += k;
	ck_assert_int_eq(k, 0);
	ck_assert_int_eq(got, 128 * 1024);
	/* Delivered: the protocol called sofree. */
	ck_assert_uint_eq(nsockets(), 1);
	CK_ERR(rump_sys_write(b, "x", 1), EPIPE);
}
END_TEST

START_TEST(test_proc_destroy)
{
	struct proc *p2;
	struct worker w;
	char buf[4];
	int a, b, l, fd;

	/* A second process of the same instance: its own descriptors. */
	ck_assert_int_eq(proc_create(ns, &p2), 0);
	l = tlisten(7, 5);
	proc_setcurrent(p2);
	ck_assert_int_eq(tsock(SOCK_DGRAM), 0);
	a = tconnect(7);
	ck_assert_int_eq(a, 1);
	ck_assert_int_eq(rump_sys_dup(a), 2);
	proc_setcurrent(p);
	CK_ERR(rump_sys_read(1, buf, 1), EBADF);
	b = rump_sys_accept(l, NULL, NULL);
	ck_assert_int_eq(b, 1);
	ck_assert_uint_eq(proc_nfiles(p2), 3);
	ck_assert_uint_eq(nsockets(), 4);

	/* Its blocked call is interrupted, then everything is closed. */
	memset(&w, 0, sizeof(w));
	w.w_proc = p2;
	w.w_fd = a;
	ck_assert_int_eq(pthread_create(&w.w_thread, NULL, worker_recv, &w),
	    0);
	wait_sleeping(p2);
	proc_destroy(p2);
	worker_join(&w);
	ck_assert_int_eq(w.w_rv, -1);
	ck_assert_int_eq(w.w_errno, EINTR);
	ck_assert_uint_eq(nsockets(), 2);
	ck_assert_int_eq(rump_sys_read(b, buf, sizeof(buf)), 0);

	/* The local process is unaffected. */
	fd = tsock(SOCK_DGRAM);
	ck_assert_int_eq(fd, 2);
	ck_assert_uint_eq(proc_nfiles(p), 3);
}
END_TEST

START_TEST(test_two_instances)
{
	struct netstack *ns2;
	struct proc *p2;
	struct tsockaddr ts;
	char buf[8];
	int a, b;

	ck_assert_int_eq(netstack_create("t2", NETSTACK_VIRTUAL_CLOCK, &ns2),
	    0);
	tp_register(ns2);
	ck_assert_int_eq(proc_create(ns2, &p2), 0);
	a = tdgram(50);
	proc_setcurrent(p2);
	b = tdgram(50);			/* the same port, another instance */
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(b, 0);
	ck_assert_int_eq(rump_sys_sendto(b, "ns2", 3, 0, tsa(&ts, 50),
	    sizeof(ts)), 3);
	ck_assert_int_eq(rump_sys_recv(b, buf, sizeof(buf), 0), 3);
	ck_assert_ptr_eq(proc_current(), p2);
	ck_assert_ptr_eq(proc_netstack(p2), ns2);
	proc_setcurrent(p);
	CK_ERR(rump_sys_recv(a, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	ck_assert_ptr_eq(proc_current(), p);
	proc_setcurrent(p2);

	/*
	 * An instance torn down with a process left, holding a listener
	 * with an embryonic connection: all of it is released.
	 */
	{
		struct tp_pcb *ltp;
		int l, c;

		l = tlisten(51, 1);
		klock_enter(&ns2->ns_klock);
		ltp = p2->p_fd[l].fe_file->f_socket->so_pcb;
		ltp->tp_hold = true;
		klock_exit(&ns2->ns_klock);
		c = rump_sys_socket(TP_AF, SOCK_STREAM | SOCK_NONBLOCK, 0);
		CK_ERR(rump_sys_connect(c, tsa(&ts, 51), sizeof(ts)),
		    EINPROGRESS);
		ck_assert_uint_eq(socket_state(ns2)->ss_nsockets, 4);
	}
	proc_setcurrent(p);
	tp_unregister(ns2);
	netstack_destroy(ns2);
}
END_TEST

/* -------------------------------------------------------------- sysctl */

START_TEST(test_sysctl_calls)
{
	char name[RUMP_SYSCTL_NAMEMAX], small[6], str[64];
	size_t len;
	int32_t v;
	int type, n;
	bool seen_somaxconn = false;

	len = sizeof(v);
	ck_assert_int_eq(rump_sys_sysctlbyname("kern.somaxconn", &v, &len,
	    NULL, 0), 0);
	ck_assert_int_eq(v, 128);
	ck_assert_uint_eq(len, sizeof(v));
	v = 64;
	ck_assert_int_eq(rump_sys_sysctlbyname("kern.somaxconn", NULL, NULL,
	    &v, sizeof(v)), 0);
	v = 0;
	ck_assert_int_eq(rump_sys_sysctlbyname("kern.somaxconn", &v, &len,
	    NULL, 0), 0);
	ck_assert_int_eq(v, 64);
	v = 0;
	CK_ERR(rump_sys_sysctlbyname("kern.somaxconn", NULL, NULL, &v,
	    sizeof(v)), EINVAL);
	CK_ERR(rump_sys_sysctlbyname("kern.somaxconn", NULL, NULL, &v, 3),
	    EINVAL);
	CK_ERR(rump_sys_sysctlbyname("kern.nosuch", &v, &len, NULL, 0),
	    ENOENT);
	CK_ERR(rump_sys_sysctlbyname("kern.ostype", NULL, NULL, "x", 2),
	    EPERM);
	CK_ERR(rump_sys_sysctlbyname(NULL, &v, &len, NULL, 0), EFAULT);
	CK_ERR(rump_sys_sysctlbyname("kern.somaxconn", &v, NULL, NULL, 0),
	    EFAULT);
	len = sizeof(str);
	ck_assert_int_eq(rump_sys_sysctlbyname("kern.ostype", str, &len, NULL,
	    0), 0);
	ck_assert_str_eq(str, "rumpnet");
	len = 3;
	CK_ERR(rump_sys_sysctlbyname("kern.ostype", str, &len, NULL, 0),
	    ENOMEM);
	ck_assert_uint_eq(len, 8);
	memset(str, 'a', sizeof(str));
	str[sizeof(str) - 1] = '\0';
	CK_ERR(rump_sys_sysctlbyname(str, NULL, NULL, NULL, 0), ENOENT);
	{
		char longname[200];

		memset(longname, 'k', sizeof(longname));
		CK_ERR(rump_sys_sysctlbyname(longname, NULL, NULL, NULL, 0),
		    ENOENT);
	}

	/* Enumeration, in name order, under a prefix. */
	name[0] = '\0';
	n = 0;
	while (rump_sys_sysctlnext("kern", name, name, sizeof(name),
	    &type) == 0) {
		ck_assert_int_eq(strncmp(name, "kern.", 5), 0);
		if (strcmp(name, "kern.somaxconn") == 0) {
			seen_somaxconn = true;
			ck_assert_int_eq(type, RUMP_SYSCTL_TYPE_INT |
			    RUMP_SYSCTL_WRITABLE);
		}
		if (strcmp(name, "kern.ostype") == 0)
			ck_assert_int_eq(type, RUMP_SYSCTL_TYPE_STRING);
		n++;
	}
	ck_assert_int_eq(errno, ENOENT);
	ck_assert(seen_somaxconn);
	ck_assert_int_ge(n, 5);
	ck_assert_int_eq(rump_sys_sysctlnext(NULL, NULL, name, sizeof(name),
	    NULL), 0);
	ck_assert_int_eq(rump_sys_sysctlnext("kern", "", small, sizeof(small),
	    &type), -1);
	ck_assert_int_eq(errno, ENOMEM);
	CK_ERR(rump_sys_sysctlnext("kern", "", NULL, 10, &type), EFAULT);
	CK_ERR(rump_sys_sysctlnext("nosuch", "", name, sizeof(name), &type),
	    ENOENT);
}
END_TEST

/* --------------------------------------------- the default instance */

START_TEST(test_rump_init_local_process)
{
	struct tsockaddr ts;
	char buf[8];
	int a, b;

	/* No current process and no kernel yet: ENXIO. */
	tnet_down();
	CK_ERR(rump_sys_socket(TP_AF, SOCK_DGRAM, 0), ENXIO);
	CK_ERR(rump_sys_close(0), ENXIO);

	ck_assert_int_eq(rump_init(), 0);
	ck_assert_int_eq(rump_init(), 0);
	ck_assert_ptr_nonnull(rump_netstack());
	ck_assert_ptr_nonnull(rump_localproc());
	ck_assert_ptr_eq(proc_netstack(rump_localproc()), rump_netstack());
	tp_register(rump_netstack());
	/* Every thread without a process of its own acts for it. */
	a = rump_sys_socket(TP_AF, SOCK_DGRAM, 0);
	ck_assert_int_eq(a, 0);
	ck_assert_int_eq(rump_sys_bind(a, tsa(&ts, 60), sizeof(ts)), 0);
	ck_assert_int_eq(rump_sys_sendto(a, "self", 4, 0, tsa(&ts, 60),
	    sizeof(ts)), 4);
	ck_assert_int_eq(rump_sys_recv(a, buf, sizeof(buf), 0), 4);
	b = tsock(SOCK_STREAM);
	ck_assert_int_eq(b, 1);
	ck_assert_uint_eq(proc_nfiles(rump_localproc()), 2);
	tp_unregister(rump_netstack());
	rump_fini();
	ck_assert_ptr_null(rump_netstack());
	ck_assert_ptr_null(rump_localproc());
	CK_ERR(rump_sys_socket(TP_AF, SOCK_DGRAM, 0), ENXIO);
	/* The fixture's teardown wants an instance. */
	tnet_up(NETSTACK_VIRTUAL_CLOCK);
}
END_TEST

/* ------------------------------------------------------------- registry */

static int
dummy_control(struct netstack *n, unsigned long cmd, void *data)
{
	return 0;
}

START_TEST(test_registry)
{
	static const struct protosw bad = { .pr_type = KSOCK_STREAM,
	    .pr_domain = TP_AF };
	static const struct protosw other = { .pr_type = KSOCK_STREAM,
	    .pr_domain = TP_AF, .pr_protocol = 5, .pr_attach = tp_attach,
	    .pr_detach = tp_detach };
	int fd, v;
	socklen_t len = sizeof(v);

	klock_enter(&ns->ns_klock);
	ck_assert_int_eq(proto_register(ns, &tp_stream_sw, false), EEXIST);
	ck_assert_int_eq(proto_register(ns, &bad, false), EINVAL);
	/* A second default for (family, type) is refused. */
	ck_assert_int_eq(proto_register(ns, &other, true), EEXIST);
	ck_assert_int_eq(proto_register(ns, &other, false), 0);
	ck_assert_int_eq(domain_control_register(ns, TP_AF, dummy_control),
	    0);
	ck_assert_int_eq(domain_control_register(ns, TP_AF, dummy_control),
	    EEXIST);
	ck_assert_ptr_eq(domain_control_lookup(ns, TP_AF), dummy_control);
	ck_assert_ptr_null(domain_control_lookup(ns, 43));
	klock_exit(&ns->ns_klock);

	fd = rump_sys_socket(TP_AF, SOCK_STREAM, 5);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rump_sys_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v,
	    &len), 0);
	ck_assert_int_eq(v, 5);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_STREAM, 6), EPROTONOSUPPORT);

	/* Unregistering detaches its open sockets; calls then fail. */
	klock_enter(&ns->ns_klock);
	proto_unregister(ns, &other);
	ck_assert_int_eq(domain_control_register(ns, TP_AF, NULL), 0);
	ck_assert_ptr_null(domain_control_lookup(ns, TP_AF));
	klock_exit(&ns->ns_klock);
	CK_ERR(rump_sys_listen(fd, 1), EOPNOTSUPP);
	CK_ERR(rump_sys_socket(TP_AF, SOCK_STREAM, 5), EPROTONOSUPPORT);
	ck_assert_int_eq(tpoll(fd, POLLIN), POLLIN | POLLHUP);
	ck_assert_int_eq(rump_sys_close(fd), 0);
	/* An unknown ioctl on a socket: nobody handles it. */
	fd = tsock(SOCK_DGRAM);
	CK_ERR(rump_sys_ioctl(fd, 0x89ffUL, &v), ENOTTY);
}
END_TEST

static Suite *
socket_suite(void)
{
	Suite *s = suite_create("socket");
	TCase *tc;

	tc = tcase_create("sockbuf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sockbuf_ring);
	tcase_add_test(tc, test_sockbuf_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("descriptors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fd_order_and_dup);
	tcase_add_test(tc, test_fd_shared_file);
	tcase_add_test(tc, test_fd_limit);
	tcase_add_test(tc, test_fd_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_stream_basics);
	tcase_add_test(tc, test_stream_iov_peek_waitall);
	tcase_add_test(tc, test_stream_blocking_read);
	tcase_add_test(tc, test_timeouts_virtual);
	tcase_add_test(tc, test_timeouts_real);
	tcase_add_test(tc, test_nonblocking);
	tcase_add_test(tc, test_connect_blocking);
	tcase_add_test(tc, test_shutdown);
	tcase_add_test(tc, test_so_error);
	tcase_add_test(tc, test_sndbuf_resize_with_data);
	suite_add_tcase(s, tc);

	tc = tcase_create("dgram");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dgram);
	tcase_add_test(tc, test_dgram_blocking);
	suite_add_tcase(s, tc);

	tc = tcase_create("poll");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_poll_stream);
	tcase_add_test(tc, test_poll_wakeup);
	suite_add_tcase(s, tc);

	tc = tcase_create("listen");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_accept_backlog);
	tcase_add_test(tc, test_accept_embryonic);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sockopts);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifetime");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sofree_after_close);
	tcase_add_test(tc, test_proc_destroy);
	tcase_add_test(tc, test_two_instances);
	tcase_add_test(tc, test_rump_init_local_process);
	tcase_add_test(tc, test_registry);
	suite_add_tcase(s, tc);

	tc = tcase_create("sysctl");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sysctl_calls);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(socket_suite());
}
