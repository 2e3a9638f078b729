/*
 * sockin.c -- PF_INET and PF_INET6 sockets served by host sockets.
 *
 * The sockin module registers exclusive protocol switches (PR_EXCLUSIVE,
 * socketvar.h) for stream and datagram sockets of AF_INET and AF_INET6:
 * while it runs, every such socket of the kernel is backed by one
 * non-blocking host socket (rumpuser_sock.h), and the kernel's own
 * TCP/UDP do not see socket calls.  There is no raw access, so nothing
 * needs privileges.
 *
 * The socket layer keeps doing what it does for every protocol: socket
 * buffers, blocking, timeouts, MSG_PEEK/MSG_WAITALL/MSG_DONTWAIT, poll
 * readiness, FIONREAD, FIONBIO.  sockin moves bytes between those
 * buffers and the host socket:
 *  - send: stream data appended to so_snd is written to the host at
 *    once, as far as the host takes it; datagrams go out directly.
 *  - receive: one poller thread per instance sleeps in poll() on every
 *    host socket that has something to wait for, plus a wakeup
 *    descriptor.  When a host socket is ready it takes the kernel lock,
 *    reads into so_rcv as space allows (datagrams with their sender
 *    address), finishes connects, accepts connections for listeners,
 *    flushes so_snd, and wakes the sleepers through the socket layer.
 *    A client whose process is aborted is woken by the socket layer as
 *    for any protocol.
 *
 * Host calls made with the kernel lock held never block (the host
 * sockets are non-blocking); only the poller's poll() blocks, with the
 * lock released.  Host errors are the kernel's errors unchanged (both
 * are Linux numbers), so EMFILE from the host is EMFILE to the caller.
 *
 * Lock legend: netstack/kern/netstack.h.
 */
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"
#include "netstack/netinet/in.h"
#include "netstack/netinet/ip_var.h"
#include "rumpuser/rumpuser.h"
#include "rumpuser/rumpuser_sock.h"
#include "rumpnet/rump_net.h"

/* Bytes moved per host call; also the largest datagram received. */
#define SOCKIN_IOSIZE		(64u * 1024)
/* Datagrams read per readiness event, so one busy socket cannot starve
 * the others. */
#define SOCKIN_RXBATCH		32u
/* A listener whose accept failed for lack of host descriptors, or whose
 * accept queue is full, is not polled again for this long. */
#define SOCKIN_BACKOFF_MS	100

/* sk_flags */
#define SK_DGRAM	0x0001	/* [I] datagram socket */
#define SK_CONNECTING	0x0002	/* host connect in progress */
#define SK_CONNECTED	0x0004	/* stream: host connection up */
#define SK_LISTENING	0x0008	/* host listen() done */
#define SK_RDEOF	0x0010	/* host gave end of stream or an error */
#define SK_WRDONE	0x0020	/* host send side finished or failed */
#define SK_SHUTPEND	0x0040	/* shutdown(SHUT_WR) once so_snd drained */
#define SK_ORPHAN	0x0080	/* socket closed; flushing so_snd */
#define SK_BACKOFF	0x0100	/* listener: skip one poll round */
#define SK_RFULL	0x0200	/* so_rcv filled up: pr_rcvd kicks */

/*
 * One host socket.  sk_so is the kernel socket it serves (so->so_pcb
 * points back); an orphan keeps it until its data is out, then calls
 * sofree().
 */
struct sockin_pcb {
	struct sockin_pcb	*sk_next;	/* [K] on sis_pcbs */
	struct sockin_pcb	**sk_prevp;	/* [K] */
	struct socket		*sk_so;		/* [K] */
	int			 sk_fd;		/* [I] host descriptor */
	int			 sk_flags;	/* [K] SK_* */
};

enum sockin_stat {
	SOCKIN_STAT_SOCKETS,	/* host sockets opened (incl. accepted) */
	SOCKIN_STAT_OPENFAIL,	/* host socket() failed */
	SOCKIN_STAT_ACCEPTED,	/* connections accepted from the host */
	SOCKIN_STAT_ACCEPTFAIL,	/* host accept failed (EMFILE, ...) */
	SOCKIN_STAT_QFULL,	/* accept queue full: the host holds on */
	SOCKIN_STAT_TXBYTES,	/* stream bytes written to the host */
	SOCKIN_STAT_RXBYTES,	/* stream bytes read from the host */
	SOCKIN_STAT_TXDGRAMS,
	SOCKIN_STAT_RXDGRAMS,
	SOCKIN_STAT_RXDROPS,	/* datagrams refused by a full so_rcv */
	SOCKIN_STAT_POLLS,	/* poller wakeups */
	SOCKIN_NSTATS
};

static const char *const sockin_stat_names[SOCKIN_NSTATS] = {
	"sockets", "openfail", "accepted", "acceptfail", "qfull", "txbytes",
	"rxbytes", "txdgrams", "rxdgrams", "rxdrops", "polls",
};

/* ns->ns_mod[NSMOD_SOCKIN] */
struct sockin_state {
	struct netstack		*sis_ns;	/* [I] */
	struct sockin_pcb	*sis_pcbs;	/* [K] every host socket */
	unsigned		 sis_npcbs;	/* [K] */
	int			 sis_waker;	/* [I] poller wakeup fd */
	bool			 sis_dying;	/* [K] poller: exit */
	bool			 sis_running;	/* [K] poller started */
	struct rumpuser_thread	*sis_poller;	/* [K] */
	uint8_t			*sis_buf;	/* [K] SOCKIN_IOSIZE bytes */
	uint64_t		 sis_stats[SOCKIN_NSTATS]; /* [K] */
};

static inline struct sockin_state *
sockin_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_SOCKIN];
}

static inline struct sockin_pcb *
sotopcb(struct socket *so)
{
	return so->so_pcb;
}

/* The poller must rebuild its descriptor set. */
static void
sockin_kick(struct sockin_state *sis)
{
	rumpuser_sock_waker_kick(sis->sis_waker);
}

/* ------------------------------------------------------------ pcbs */

static struct sockin_pcb *
sockin_pcb_alloc(struct sockin_state *sis, struct socket *so, int fd)
{
	struct sockin_pcb *sk = kmem_zalloc(sizeof(*sk));

	sk->sk_so = so;
	sk->sk_fd = fd;
	if (so->so_type == KSOCK_DGRAM)
		sk->sk_flags |= SK_DGRAM;
	sk->sk_next = sis->sis_pcbs;
	if (sk->sk_next != NULL)
		sk->sk_next->sk_prevp = &sk->sk_next;
	sis->sis_pcbs = sk;
	sk->sk_prevp = &sis->sis_pcbs;
	sis->sis_npcbs++;
	sis->sis_stats[SOCKIN_STAT_SOCKETS]++;
	so->so_pcb = sk;
	return sk;
}

/* Close the host socket and forget the pcb (so_pcb is cleared). */
static void
sockin_pcb_free(struct sockin_state *sis, struct sockin_pcb *sk)
{
	*sk->sk_prevp = sk->sk_next;
	if (sk->sk_next != NULL)
		sk->sk_next->sk_prevp = sk->sk_prevp;
	sis->sis_npcbs--;
	(void)rumpuser_sock_close(sk->sk_fd);
	if (sk->sk_so != NULL)
		sk->sk_so->so_pcb = NULL;
	kmem_free(sk, sizeof(*sk));
	sockin_kick(sis);
}

/* ------------------------------------------------------- data movement */

/*
 * The host send side failed (EPIPE, ECONNRESET...): report it once,
 * drop what is queued and wake writers.
 */
static void
sockin_snd_failed(struct sockin_pcb *sk, int error)
{
	struct socket *so = sk->sk_so;

	sk->sk_flags |= SK_WRDONE;
	sk->sk_flags &= ~SK_SHUTPEND;
	if (!(sk->sk_flags & SK_ORPHAN) && so->so_error == 0)
		soseterror(so, error);
	sbdrop_stream(&so->so_snd, so->so_snd.sb_cc);
	socantsendmore(so);
}

/*
 * Write so_snd to the host as far as it takes it, then carry out a
 * pending shutdown.  => true if data is still queued (wait for POLLOUT).
 */
static bool
sockin_flush(struct sockin_state *sis, struct sockin_pcb *sk)
{
	struct socket *so = sk->sk_so;
	struct sockbuf *sb = &so->so_snd;
	bool moved = false;
	int error = 0;

	while (sb->sb_cc > 0 && !(sk->sk_flags & SK_WRDONE)) {
		uint32_t n = MIN(sb->sb_cc, SOCKIN_IOSIZE);
		size_t sent = 0;

		sbcopy_stream(sb, 0, n, sis->sis_buf);
		error = rumpuser_sock_send(sk->sk_fd, sis->sis_buf, n, NULL,
		    0, &sent);
		if (error != 0)
			break;
		sbdrop_stream(sb, (uint32_t)sent);
		sis->sis_stats[SOCKIN_STAT_TXBYTES] += sent;
		moved = true;
		if (sent < n)
			break;
	}
	if (error != 0 && error != EAGAIN)
		sockin_snd_failed(sk, error);
	else if (sb->sb_cc == 0 && (sk->sk_flags & SK_SHUTPEND)) {
		sk->sk_flags &= ~SK_SHUTPEND;
		sk->sk_flags |= SK_WRDONE;
		(void)rumpuser_sock_shutdown(sk->sk_fd, KSHUT_WR);
	}
	if (moved || error != 0)
		sowwakeup(so);
	return sb->sb_cc > 0 && !(sk->sk_flags & SK_WRDONE);
}

/* Read the host stream into so_rcv while there is room. */
static void
sockin_rx_stream(struct sockin_state *sis, struct sockin_pcb *sk)
{
	struct socket *so = sk->sk_so;
	bool moved = false;

	while (!(sk->sk_flags & SK_RDEOF)) {
		uint32_t space = MIN(sbspace(&so->so_rcv), SOCKIN_IOSIZE);
		size_t got = 0;
		int error;

		if (space == 0) {
			sk->sk_flags |= SK_RFULL;
			break;
		}
		error = rumpuser_sock_recv(sk->sk_fd, sis->sis_buf, space,
		    NULL, NULL, &got);
		if (error == EAGAIN)
			break;
		if (error != 0 || got == 0) {
			/* End of stream, or reset: no more data either way. */
			sk->sk_flags |= SK_RDEOF;
			if (error != 0 && so->so_error == 0)
				soseterror(so, error);
			socantrcvmore(so);
			break;
		}
		sbappend_stream(&so->so_rcv, sis->sis_buf, (uint32_t)got);
		sis->sis_stats[SOCKIN_STAT_RXBYTES] += got;
		moved = true;
	}
	if (moved)
		sorwakeup(so);
}

/* Read up to SOCKIN_RXBATCH datagrams into so_rcv. */
static void
sockin_rx_dgram(struct sockin_state *sis, struct sockin_pcb *sk)
{
	struct socket *so = sk->sk_so;
	bool moved = false;

	for (unsigned i = 0; i < SOCKIN_RXBATCH; i++) {
		struct ksockaddr_storage from;
		size_t fromlen = sizeof(from), got = 0;
		struct mbuf *m;
		int error;

		if (sbspace(&so->so_rcv) == 0) {
			sk->sk_flags |= SK_RFULL;
			break;
		}
		error = rumpuser_sock_recv(sk->sk_fd, sis->sis_buf,
		    SOCKIN_IOSIZE, &from, &fromlen, &got);
		if (error == EAGAIN)
			break;
		if (error != 0) {
			/* ICMP errors on a connected socket (ECONNREFUSED):
			 * reported once, as Linux does. */
			soseterror(so, error);
			break;
		}
		sis->sis_stats[SOCKIN_STAT_RXDGRAMS]++;
		if ((m = m_get(got, MHEADROOM)) == NULL) {
			sis->sis_stats[SOCKIN_STAT_RXDROPS]++;
			continue;
		}
		memcpy(m->m_data, sis->sis_buf, got);
		m->m_len = (uint32_t)got;
		m->m_pkthdr.len = m->m_len;
		if (sbappendaddr(&so->so_rcv, (struct ksockaddr *)&from,
		    fromlen, m) != 0) {
			sis->sis_stats[SOCKIN_STAT_RXDROPS]++;
			continue;
		}
		moved = true;
	}
	if (moved)
		sorwakeup(so);
}

/* The host finished (or failed) a non-blocking connect. */
static void
sockin_connect_done(struct sockin_pcb *sk)
{
	struct socket *so = sk->sk_so;
	int error = 0;

	if (rumpuser_sock_error(sk->sk_fd, &error) != 0 || error == EAGAIN)
		return;
	sk->sk_flags &= ~SK_CONNECTING;
	if (error != 0) {
		soseterror(so, error);
		soisdisconnected(so);
		return;
	}
	sk->sk_flags |= SK_CONNECTED;
	soisconnected(so);
}

/* Is the listener's accept queue full (sonewconn() would refuse)? */
static bool
sockin_qfull(const struct socket *head)
{
	return head->so_qlen + head->so_q0len > head->so_qlimit;
}

/*
 * Accept what the host has for a listener while its accept queue has
 * room; each connection becomes a socket on that queue.  The rest wait
 * in the host's queue, as they would in a kernel's own backlog.
 */
static void
sockin_accept(struct sockin_state *sis, struct sockin_pcb *sk)
{
	struct socket *head = sk->sk_so;

	for (;;) {
		struct socket *so;
		struct sockin_pcb *nsk;
		int nfd, error;

		if (sockin_qfull(head)) {
			sis->sis_stats[SOCKIN_STAT_QFULL]++;
			return;
		}
		error = rumpuser_sock_accept(sk->sk_fd, &nfd);
		if (error == EAGAIN)
			return;
		if (error != 0) {
			/* EMFILE and the like: the connection waits in the
			 * host's queue; look again a little later. */
			sis->sis_stats[SOCKIN_STAT_ACCEPTFAIL]++;
			sk->sk_flags |= SK_BACKOFF;
			return;
		}
		if ((so = sonewconn(head)) == NULL) {
			/* No memory, or the listener is going away. */
			sis->sis_stats[SOCKIN_STAT_ACCEPTFAIL]++;
			(void)rumpuser_sock_close(nfd);
			return;
		}
		nsk = sockin_pcb_alloc(sis, so, nfd);
		nsk->sk_flags |= SK_CONNECTED;
		sis->sis_stats[SOCKIN_STAT_ACCEPTED]++;
		soqinsque_complete(so);
	}
}

/* ------------------------------------------------------------- poller */

/*
 * What the poller waits for on sk (0: leave it out of the set).
 * *laterp is set for a listener that must be looked at again after
 * SOCKIN_BACKOFF_MS although the host will not report it (accept
 * queue full, or no descriptor for the last accept).
 */
static int
sockin_events(const struct sockin_pcb *sk, bool *laterp)
{
	const struct socket *so = sk->sk_so;
	int ev = 0;

	if (sk->sk_flags & SK_ORPHAN)
		return so->so_snd.sb_cc > 0 ? RUMPUSER_SOCK_POLLOUT : 0;
	if (sk->sk_flags & SK_DGRAM)
		return sbspace(&so->so_rcv) > 0 ? RUMPUSER_SOCK_POLLIN : 0;
	if (sk->sk_flags & SK_LISTENING) {
		if ((sk->sk_flags & SK_BACKOFF) || sockin_qfull(so)) {
			*laterp = true;
			return 0;
		}
		return RUMPUSER_SOCK_POLLIN;
	}
	if (sk->sk_flags & SK_CONNECTING)
		return RUMPUSER_SOCK_POLLOUT;
	if (!(sk->sk_flags & SK_CONNECTED))
		return 0;
	if (!(sk->sk_flags & SK_RDEOF) && sbspace(&so->so_rcv) > 0)
		ev |= RUMPUSER_SOCK_POLLIN;
	if (so->so_snd.sb_cc > 0 && !(sk->sk_flags & SK_WRDONE))
		ev |= RUMPUSER_SOCK_POLLOUT;
	return ev;
}

static struct sockin_pcb *
sockin_pcb_byfd(struct sockin_state *sis, int fd)
{
	for (struct sockin_pcb *sk = sis->sis_pcbs; sk != NULL;
	    sk = sk->sk_next)
		if (sk->sk_fd == fd)
			return sk;
	return NULL;
}

/* An orphan whose data is out (or lost) is finished. */
static void
sockin_orphan_check(struct sockin_state *sis, struct sockin_pcb *sk)
{
	struct socket *so = sk->sk_so;

	if (so->so_snd.sb_cc > 0 && !(sk->sk_flags & SK_WRDONE))
		return;
	if (!(sk->sk_flags & SK_WRDONE))
		(void)rumpuser_sock_shutdown(sk->sk_fd, KSHUT_WR);
	sockin_pcb_free(sis, sk);
	sofree(so);
}

/* Act on the readiness the host reported for sk; kernel lock held. */
static void
sockin_ready(struct sockin_state *sis, struct sockin_pcb *sk, int revents)
{
	bool in = revents & (RUMPUSER_SOCK_POLLIN | RUMPUSER_SOCK_POLLERR |
	    RUMPUSER_SOCK_POLLHUP);
	bool out = revents & (RUMPUSER_SOCK_POLLOUT | RUMPUSER_SOCK_POLLERR |
	    RUMPUSER_SOCK_POLLHUP);

	if (sk->sk_flags & SK_ORPHAN) {
		if (out)
			(void)sockin_flush(sis, sk);
		sockin_orphan_check(sis, sk);
		return;
	}
	if (sk->sk_flags & SK_DGRAM) {
		if (in)
			sockin_rx_dgram(sis, sk);
		return;
	}
	if (sk->sk_flags & SK_LISTENING) {
		if (in)
			sockin_accept(sis, sk);
		return;
	}
	if ((sk->sk_flags & SK_CONNECTING) && out) {
		sockin_connect_done(sk);
		/* A shutdown asked for while connecting happens now. */
		out = (sk->sk_flags & SK_CONNECTED) != 0;
	}
	if (!(sk->sk_flags & SK_CONNECTED))
		return;
	if (in)
		sockin_rx_stream(sis, sk);
	if (out)
		(void)sockin_flush(sis, sk);
}

/* The descriptor set: the waker first, then each pcb with interest. */
static size_t
sockin_pollset(struct sockin_state *sis, struct rumpuser_sock_pollfd **fdsp,
    size_t *sizep, bool *backoffp)
{
	size_t n = 0, want = sis->sis_npcbs + 1;

	if (*sizep < want) {
		kmem_free(*fdsp, *sizep * sizeof(**fdsp));
		*sizep = MAX(want, 2 * *sizep);
		*fdsp = kmem_alloc(*sizep * sizeof(**fdsp));
	}
	(*fdsp)[n++] = (struct rumpuser_sock_pollfd){
		.pfd_fd = sis->sis_waker, .pfd_events = RUMPUSER_SOCK_POLLIN,
	};
	*backoffp = false;
	for (struct sockin_pcb *sk = sis->sis_pcbs; sk != NULL;
	    sk = sk->sk_next) {
		int ev = sockin_events(sk, backoffp);

		sk->sk_flags &= ~SK_BACKOFF;
		if (ev == 0)
			continue;
		(*fdsp)[n++] = (struct rumpuser_sock_pollfd){
			.pfd_fd = sk->sk_fd, .pfd_events = ev,
		};
	}
	return n;
}

static void *
sockin_poller(void *arg)
{
	struct sockin_state *sis = arg;
	struct netstack *ns = sis->sis_ns;
	struct rumpuser_sock_pollfd *fds = NULL;
	size_t size = 0;

	klock_enter(&ns->ns_klock);
	while (!sis->sis_dying) {
		bool backoff;
		size_t n = sockin_pollset(sis, &fds, &size, &backoff);
		unsigned depth;
		int nready = 0, error;

		depth = klock_release_all(&ns->ns_klock);
		error = rumpuser_sock_poll(fds, n,
		    backoff ? SOCKIN_BACKOFF_MS : -1, &nready);
		klock_reacquire(&ns->ns_klock, depth);
		if (error != 0) {
			/* ENOMEM for a large set: breathe, then retry. */
			depth = klock_release_all(&ns->ns_klock);
			rumpuser_clock_sleep(NS_MS(SOCKIN_BACKOFF_MS));
			klock_reacquire(&ns->ns_klock, depth);
			continue;
		}
		netstack_tick(ns);
		sis->sis_stats[SOCKIN_STAT_POLLS]++;
		if (fds[0].pfd_revents != 0)
			rumpuser_sock_waker_drain(sis->sis_waker);
		/*
		 * A pcb may have been freed (and its host descriptor
		 * reused) while the lock was released: look each one up
		 * by descriptor.  A stale readiness costs one EAGAIN.
		 */
		for (size_t i = 1; i < n && nready > 0; i++) {
			struct sockin_pcb *sk;

			if (fds[i].pfd_revents == 0)
				continue;
			if ((sk = sockin_pcb_byfd(sis, fds[i].pfd_fd)) != NULL)
				sockin_ready(sis, sk, fds[i].pfd_revents);
		}
	}
	klock_exit(&ns->ns_klock);
	kmem_free(fds, size * sizeof(*fds));
	return NULL;
}

/* Start the poller with the first socket (an idle kernel has none). */
static int
sockin_poller_start(struct sockin_state *sis)
{
	int error;

	if (sis->sis_running)
		return 0;
	error = rumpuser_thread_create(sockin_poller, sis, "sockin",
	    &sis->sis_poller);
	if (error == 0)
		sis->sis_running = true;
	return error;
}

/* --------------------------------------------------- protocol switch */

static int
sockin_attach(struct socket *so, int proto)
{
	struct sockin_state *sis = sockin_state(so->so_ns);
	int fd, error;

	if ((error = sockin_poller_start(sis)) != 0)
		return error;
	error = rumpuser_sock_open(so->so_family, so->so_type, proto, &fd);
	if (error != 0) {
		sis->sis_stats[SOCKIN_STAT_OPENFAIL]++;
		return error;
	}
	(void)sockin_pcb_alloc(sis, so, fd);
	sockin_kick(sis);
	return 0;
}

/*
 * The socket is closed.  Unsent stream data still goes out (the pcb
 * stays as an orphan and frees the socket when done), as a kernel
 * stack's graceful close would; otherwise the host socket closes now.
 */
static void
sockin_detach(struct socket *so)
{
	struct sockin_state *sis = sockin_state(so->so_ns);
	struct sockin_pcb *sk = sotopcb(so);

	if (sk == NULL)
		return;
	if (!(sk->sk_flags & (SK_DGRAM | SK_WRDONE)) &&
	    (sk->sk_flags & SK_CONNECTED) && !sis->sis_dying &&
	    sockin_flush(sis, sk)) {
		sk->sk_flags |= SK_ORPHAN;
		sockin_kick(sis);
		return;
	}
	sockin_pcb_free(sis, sk);
}

/* The address must be of the socket's family (Linux checks the same). */
static int
sockin_checkaddr(const struct socket *so, const struct ksockaddr *nam,
    size_t namlen)
{
	size_t need = so->so_family == AF_INET6 ?
	    sizeof(struct ksockaddr_in6) : sizeof(struct ksockaddr_in);

	if (namlen < need)
		return EINVAL;
	if (nam->sa_family != so->so_family)
		return EAFNOSUPPORT;
	return 0;
}

static int
sockin_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	int error;

	if ((error = sockin_checkaddr(so, nam, namlen)) != 0)
		return error;
	return rumpuser_sock_bind(sotopcb(so)->sk_fd, nam, namlen);
}

static int
sockin_listen(struct socket *so, int backlog)
{
	struct sockin_pcb *sk = sotopcb(so);
	int error;

	if ((error = rumpuser_sock_listen(sk->sk_fd, backlog)) != 0)
		return error;
	sk->sk_flags |= SK_LISTENING;
	sockin_kick(sockin_state(so->so_ns));
	return 0;
}

static int
sockin_connect_dgram(struct socket *so, const struct ksockaddr *nam,
    size_t namlen)
{
	struct sockin_pcb *sk = sotopcb(so);
	int error;

	if (nam->sa_family == AF_UNSPEC) {
		/* Dissolve the association, as Linux does. */
		struct ksockaddr unspec = { .sa_family = AF_UNSPEC };

		error = rumpuser_sock_connect(sk->sk_fd, &unspec,
		    sizeof(unspec));
		if (error == 0)
			so->so_state &= ~SS_ISCONNECTED;
		return error;
	}
	if ((error = sockin_checkaddr(so, nam, namlen)) != 0)
		return error;
	if ((error = rumpuser_sock_connect(sk->sk_fd, nam, namlen)) != 0)
		return error;
	soisconnected(so);
	return 0;
}

/*
 * Streams: the host connect starts without blocking; the socket layer
 * waits (or answers EINPROGRESS) and the poller finishes it.
 */
static int
sockin_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct sockin_pcb *sk = sotopcb(so);
	int error;

	if (sk->sk_flags & SK_DGRAM)
		return sockin_connect_dgram(so, nam, namlen);
	if ((error = sockin_checkaddr(so, nam, namlen)) != 0)
		return error;
	error = rumpuser_sock_connect(sk->sk_fd, nam, namlen);
	if (error == 0) {
		sk->sk_flags |= SK_CONNECTED;
		soisconnected(so);
		sockin_kick(sockin_state(so->so_ns));
		return 0;
	}
	if (error != EINPROGRESS)
		return error;
	sk->sk_flags |= SK_CONNECTING;
	soisconnecting(so);
	sockin_kick(sockin_state(so->so_ns));
	return 0;
}

/* SHUT_WR: after what is queued has gone out. */
static int
sockin_shutdown(struct socket *so)
{
	struct sockin_state *sis = sockin_state(so->so_ns);
	struct sockin_pcb *sk = sotopcb(so);

	if (sk->sk_flags & SK_DGRAM)
		return rumpuser_sock_shutdown(sk->sk_fd, KSHUT_WR);
	if (sk->sk_flags & SK_WRDONE)
		return 0;
	sk->sk_flags |= SK_SHUTPEND;
	if (sk->sk_flags & SK_CONNECTED)
		(void)sockin_flush(sis, sk);
	sockin_kick(sis);
	return 0;
}

static int
sockin_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct sockin_state *sis = sockin_state(so->so_ns);
	struct sockin_pcb *sk = sotopcb(so);
	size_t sent = 0;
	int error;

	(void)flags;
	if (!(sk->sk_flags & SK_DGRAM)) {
		/* Stream: new data is in so_snd. */
		if ((sk->sk_flags & SK_CONNECTED) && sockin_flush(sis, sk))
			sockin_kick(sis);
		return 0;
	}
	if (nam != NULL && (error = sockin_checkaddr(so, nam, namlen)) != 0) {
		m_freem(m);
		return error;
	}
	error = rumpuser_sock_send(sk->sk_fd, m->m_data, m->m_len, nam,
	    nam != NULL ? namlen : 0, &sent);
	m_freem(m);
	/* A full host queue drops the datagram, as an interface queue
	 * would. */
	if (error == EAGAIN)
		return ENOBUFS;
	if (error == 0)
		sis->sis_stats[SOCKIN_STAT_TXDGRAMS]++;
	return error;
}

/* The reader made room in so_rcv: if the poller stopped reading for
 * lack of it, it may read again. */
static void
sockin_rcvd(struct socket *so)
{
	struct sockin_pcb *sk = sotopcb(so);

	if (sk != NULL && (sk->sk_flags & SK_RFULL) &&
	    sbspace(&so->so_rcv) > 0) {
		sk->sk_flags &= ~SK_RFULL;
		sockin_kick(sockin_state(so->so_ns));
	}
}

static int
sockin_sockaddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp)
{
	*lenp = sizeof(*ss);
	return rumpuser_sock_name(sotopcb(so)->sk_fd, false, ss, lenp);
}

static int
sockin_peeraddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp)
{
	*lenp = sizeof(*ss);
	return rumpuser_sock_name(sotopcb(so)->sk_fd, true, ss, lenp);
}

/* SOL_SOCKET options that the host socket must see too. */
static bool
sockin_solsocket_forwarded(int name)
{
	switch (name) {
	case KSO_REUSEADDR:
	case KSO_REUSEPORT:
	case KSO_KEEPALIVE:
	case KSO_BROADCAST:
	case KSO_DONTROUTE:
	case KSO_OOBINLINE:
	case KSO_SNDBUF:
	case KSO_RCVBUF:
		return true;
	default:
		/* SO_LINGER stays local: a lingering host close() would
		 * block with the kernel lock held.  Timeouts and low-water
		 * marks are the socket layer's. */
		return false;
	}
}

/*
 * Options.  SOL_SOCKET settings arrive after the socket layer applied
 * them (PR_SOLSOCKET); the IP, IPv6, TCP and UDP levels go to the host
 * as they are, so TCP_NODELAY, IPV6_V6ONLY, IP_TTL... mean what they
 * mean on the host.
 */
static int
sockin_ctloutput(struct socket *so, bool set, int level, int name,
    void *val, size_t *lenp)
{
	struct sockin_pcb *sk = sotopcb(so);

	switch (level) {
	case KSOL_SOCKET:
		if (!set || !sockin_solsocket_forwarded(name))
			return 0;
		break;
	case KIPPROTO_IP:
	case KIPPROTO_IPV6:
	case KIPPROTO_TCP:
	case KIPPROTO_UDP:
		break;
	default:
		return ENOPROTOOPT;
	}
	if (set)
		return rumpuser_sock_setopt(sk->sk_fd, level, name, val, *lenp);
	return rumpuser_sock_getopt(sk->sk_fd, level, name, val, lenp);
}

#define SOCKIN_PROTOSW(dom, type, proto, flags) {			\
	.pr_type = (type),						\
	.pr_domain = (dom),						\
	.pr_protocol = (proto),						\
	.pr_flags = (flags) | PR_EXCLUSIVE | PR_SOLSOCKET | PR_WANTRCVD,\
	.pr_attach = sockin_attach,					\
	.pr_detach = sockin_detach,					\
	.pr_bind = sockin_bind,						\
	.pr_listen = sockin_listen,					\
	.pr_connect = sockin_connect,					\
	.pr_shutdown = sockin_shutdown,					\
	.pr_send = sockin_send,						\
	.pr_rcvd = sockin_rcvd,						\
	.pr_sockaddr = sockin_sockaddr,					\
	.pr_peeraddr = sockin_peeraddr,					\
	.pr_ctloutput = sockin_ctloutput,				\
}

static const struct protosw sockin_protosw[] = {
	SOCKIN_PROTOSW(AF_INET, KSOCK_STREAM, KIPPROTO_TCP,
	    PR_CONNREQUIRED | PR_LISTEN),
	SOCKIN_PROTOSW(AF_INET, KSOCK_DGRAM, KIPPROTO_UDP, PR_ATOMIC | PR_ADDR),
	SOCKIN_PROTOSW(AF_INET6, KSOCK_STREAM, KIPPROTO_TCP,
	    PR_CONNREQUIRED | PR_LISTEN),
	SOCKIN_PROTOSW(AF_INET6, KSOCK_DGRAM, KIPPROTO_UDP,
	    PR_ATOMIC | PR_ADDR),
};

/* ------------------------------------------------------------ listing */

/* One end of a host socket's address: family, address bytes, port
 * (host order).  => false if the host has none (not connected). */
static bool
sockin_endpoint(int fd, bool peer, uint16_t *famp, uint8_t addr[16],
    uint16_t *portp, uint32_t *scopep)
{
	struct ksockaddr_storage ss;
	struct ksockaddr_in sin;
	struct ksockaddr_in6 sin6;
	size_t len = sizeof(ss);
	uint16_t fam;

	if (rumpuser_sock_name(fd, peer, &ss, &len) != 0 || len < 2)
		return false;
	memcpy(&fam, &ss, sizeof(fam));
	if (fam == AF_INET && len >= sizeof(sin)) {
		memcpy(&sin, &ss, sizeof(sin));
		memcpy(addr, &sin.sin_addr, 4);
		*portp = ntohs(sin.sin_port);
	} else if (fam == AF_INET6 && len >= sizeof(sin6)) {
		memcpy(&sin6, &ss, sizeof(sin6));
		memcpy(addr, &sin6.sin6_addr, 16);
		*portp = ntohs(sin6.sin6_port);
		*scopep = sin6.sin6_scope_id;
	} else
		return false;
	*famp = fam;
	return true;
}

/* The TCP state a stream socket's own flags tell. */
static uint32_t
sockin_tcpstate(const struct socket *so)
{
	if (so->so_options & SO_OPT_ACCEPTCONN)
		return RUMP_TCPS_LISTEN;
	if (so->so_state & SS_ISCONNECTED)
		return RUMP_TCPS_ESTABLISHED;
	if (so->so_state & SS_ISCONNECTING)
		return RUMP_TCPS_SYN_SENT;
	return RUMP_TCPS_CLOSED;
}

/*
 * RUMP_SIOCLISTPCB for sockin's sockets (ips_pcblist_ext): addresses
 * are the host socket's (an unbound one reads as the wildcard with
 * port 0), queue sizes the kernel socket's, the TCP state what the
 * socket layer knows (LISTEN, SYN_SENT, ESTABLISHED or CLOSED).
 */
static int
sockin_list(struct netstack *ns, struct rump_pcbreq *req)
{
	struct sockin_state *sis = sockin_state(ns);
	const struct sockin_pcb *sk;
	struct rump_pcbreq r;
	uint32_t left = req->pcb_index;
	uint16_t fam, pfam;

	if (sis == NULL)
		return ENOENT;
	for (sk = sis->sis_pcbs; sk != NULL; sk = sk->sk_next) {
		const struct socket *so = sk->sk_so;

		if (so == NULL)
			continue;
		memset(&r, 0, sizeof(r));
		if (!sockin_endpoint(sk->sk_fd, false, &fam, r.pcb_laddr,
		    &r.pcb_lport, &r.pcb_scopeid))
			continue;
		if (req->pcb_family != 0 && fam != req->pcb_family)
			continue;
		if (left-- > 0)
			continue;
		(void)sockin_endpoint(sk->sk_fd, true, &pfam, r.pcb_faddr,
		    &r.pcb_fport, &r.pcb_scopeid);
		r.pcb_family = fam;
		r.pcb_index = req->pcb_index;
		if (sk->sk_flags & SK_DGRAM) {
			memcpy(r.pcb_table, "udp", 4);
			r.pcb_proto = KIPPROTO_UDP;
			r.pcb_state = RUMP_TCPS_NONE;
		} else {
			memcpy(r.pcb_table, "tcp", 4);
			r.pcb_proto = KIPPROTO_TCP;
			r.pcb_state = sockin_tcpstate(so);
		}
		r.pcb_rcvq = so->so_rcv.sb_cc;
		r.pcb_sndq = so->so_snd.sb_cc;
		*req = r;
		return 0;
	}
	return ENOENT;
}

/* ------------------------------------------------------------- module */

static void sockin_fini(struct netstack *ns);

static int
sockin_init(struct netstack *ns)
{
	struct sockin_state *sis;
	int rv;

	sis = kmem_zalloc(sizeof(*sis));
	sis->sis_ns = ns;
	sis->sis_waker = -1;
	ns->ns_mod[NSMOD_SOCKIN] = sis;
	if ((rv = rumpuser_sock_waker_create(&sis->sis_waker)) != 0) {
		sockin_fini(ns);
		return rv;
	}
	sis->sis_buf = kmem_alloc(SOCKIN_IOSIZE);
	if ((rv = sysctl_add_counters(ns, "net.sockin.stats",
	    sockin_stat_names, sis->sis_stats, SOCKIN_NSTATS)) != 0) {
		sockin_fini(ns);
		return rv;
	}
	for (size_t i = 0; i < nitems(sockin_protosw); i++)
		if ((rv = proto_register(ns, &sockin_protosw[i], true)) != 0) {
			sockin_fini(ns);
			return rv;
		}
	if (ip_state(ns) != NULL)
		ip_state(ns)->ips_pcblist_ext = sockin_list;
	return 0;
}

/*
 * Stop the poller (it may be waiting for the lock we hold), then let
 * the socket layer detach every socket, and close what is left:
 * orphans lose their unsent data.
 */
static void
sockin_fini(struct netstack *ns)
{
	struct sockin_state *sis = sockin_state(ns);

	if (sis == NULL)
		return;
	if (ip_state(ns) != NULL && ip_state(ns)->ips_pcblist_ext == sockin_list)
		ip_state(ns)->ips_pcblist_ext = NULL;
	sis->sis_dying = true;
	if (sis->sis_running) {
		unsigned depth;

		sockin_kick(sis);
		depth = klock_release_all(&ns->ns_klock);
		rumpuser_thread_join(sis->sis_poller);
		klock_reacquire(&ns->ns_klock, depth);
		sis->sis_running = false;
	}
	for (size_t i = 0; i < nitems(sockin_protosw); i++)
		proto_unregister(ns, &sockin_protosw[i]);
	while (sis->sis_pcbs != NULL) {
		struct sockin_pcb *sk = sis->sis_pcbs;
		struct socket *so = sk->sk_so;
		bool orphan = (sk->sk_flags & SK_ORPHAN) != 0;

		sockin_pcb_free(sis, sk);
		if (orphan)
			sofree(so);
	}
	sysctl_remove_prefix(ns, "net.sockin");
	if (sis->sis_buf != NULL)
		kmem_free(sis->sis_buf, SOCKIN_IOSIZE);
	if (sis->sis_waker >= 0)
		(void)rumpuser_sock_close(sis->sis_waker);
	ns->ns_mod[NSMOD_SOCKIN] = NULL;
	kmem_free(sis, sizeof(*sis));
}

const struct netstack_module sockin_module = {
	.nm_name = "sockin",
	.nm_init = sockin_init,
	.nm_fini = sockin_fini,
};
