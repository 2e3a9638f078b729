/*
 * socketvar.h -- sockets, socket buffers, and the protocol switch.
 *
 * The boundary between the socket layer (netstack/kern/uipc_*.c,
 * sys_socket.c) and protocols (netinet/udp_usrreq.c, raw_ip.c, tcp_*.c,
 * netinet6/...).  Protocols implement a struct protosw; the socket layer
 * owns buffers, blocking, wakeups and descriptors.  Everything here is
 * protected by the instance's kernel lock [K].
 */
#ifndef _NETSTACK_KERN_SOCKETVAR_H_
#define _NETSTACK_KERN_SOCKETVAR_H_

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/netinet/in.h"

/* Linux socket ABI values used inside the kernel. */
#define KSOCK_STREAM	1
#define KSOCK_DGRAM	2
#define KSOCK_RAW	3
#define KSOCK_TYPEMASK	0xf
#define KSOCK_NONBLOCK	0x800
#define KSOCK_CLOEXEC	0x80000

#define KSOL_SOCKET	1
#define KSO_DEBUG	1
#define KSO_REUSEADDR	2
#define KSO_TYPE	3
#define KSO_ERROR	4
#define KSO_DONTROUTE	5
#define KSO_BROADCAST	6
#define KSO_SNDBUF	7
#define KSO_RCVBUF	8
#define KSO_KEEPALIVE	9
#define KSO_OOBINLINE	10
#define KSO_LINGER	13
#define KSO_REUSEPORT	15
#define KSO_RCVLOWAT	18
#define KSO_SNDLOWAT	19
#define KSO_RCVTIMEO	20
#define KSO_SNDTIMEO	21
#define KSO_ACCEPTCONN	30
#define KSO_PROTOCOL	38
#define KSO_DOMAIN	39

#define KMSG_OOB	0x1
#define KMSG_PEEK	0x2
#define KMSG_DONTROUTE	0x4
#define KMSG_TRUNC	0x20
#define KMSG_DONTWAIT	0x40
#define KMSG_EOR	0x80
#define KMSG_WAITALL	0x100
#define KMSG_NOSIGNAL	0x4000

#define KSHUT_RD	0
#define KSHUT_WR	1
#define KSHUT_RDWR	2

/* so_options: which SOL_SOCKET booleans are on (internal bits). */
#define SO_OPT_REUSEADDR	0x0001
#define SO_OPT_REUSEPORT	0x0002
#define SO_OPT_KEEPALIVE	0x0004
#define SO_OPT_BROADCAST	0x0008
#define SO_OPT_DONTROUTE	0x0010
#define SO_OPT_ACCEPTCONN	0x0020
#define SO_OPT_OOBINLINE	0x0040
#define SO_OPT_LINGER		0x0080

/* so_state */
#define SS_ISCONNECTED		0x0001
#define SS_ISCONNECTING		0x0002
#define SS_ISDISCONNECTING	0x0004
#define SS_CANTSENDMORE		0x0008
#define SS_CANTRCVMORE		0x0010
#define SS_NBIO			0x0020	/* non-blocking descriptor */
#define SS_ISBOUND		0x0040
#define SS_ISDISCONNECTED	0x0080

/*
 * A socket buffer.  Stream sockets use the byte ring (sb_ring*): the
 * byte at sequence offset i from the start of valid data is
 * sb_ring[(sb_ringoff + i) % sb_ringsize]; sb_cc bytes are valid.
 * Datagram and raw sockets use the record queue sb_q: each mbuf is one
 * datagram with its source address stored in front of the data (see
 * sbappendaddr); sb_cc counts payload bytes.
 * Invariant: sb_cc <= sb_hiwat for stream buffers; datagram buffers
 * refuse a record that would push sb_cc past sb_hiwat.
 */
struct sockbuf {
	uint32_t	 sb_cc;		/* bytes in buffer */
	uint32_t	 sb_hiwat;	/* SO_SNDBUF / SO_RCVBUF */
	uint32_t	 sb_lowat;
	uint8_t		*sb_ring;	/* stream: byte ring */
	uint32_t	 sb_ringsize;
	uint32_t	 sb_ringoff;
	struct mqueue	 sb_q;		/* datagram: records */
	uint64_t	 sb_timeo;	/* SO_*TIMEO in ns, 0 = forever */
	uint64_t	 sb_drops;	/* records refused: buffer full */
};

struct socket;

/*
 * The protocol switch.  All methods run with the kernel lock held.
 * Unless stated, a method returns 0 or an errno that the syscall
 * returns to the caller.  Addresses are validated by the socket layer
 * only for length >= 2 and family; protocols check the rest.
 */
struct protosw {
	int		pr_type;	/* KSOCK_STREAM, _DGRAM, _RAW */
	int		pr_domain;	/* AF_INET, AF_INET6 */
	int		pr_protocol;	/* 0 = default for the type */
	int		pr_flags;	/* PR_* */
#define PR_ATOMIC	0x01	/* each send is one record */
#define PR_ADDR		0x02	/* records carry the sender address */
#define PR_CONNREQUIRED	0x04	/* must connect before sending */
#define PR_WANTRCVD	0x08	/* call pr_rcvd after reads */
#define PR_LISTEN	0x10	/* supports listen/accept */
/* Owns its domain: while an exclusive switch of a domain is registered,
 * sockets of that domain are made only from exclusive switches (sockin
 * takes AF_INET/AF_INET6 over from the kernel's own protocols). */
#define PR_EXCLUSIVE	0x20
/* Also pass SOL_SOCKET settings to pr_ctloutput, after the socket layer
 * applied them; an error from it is the call's error. */
#define PR_SOLSOCKET	0x40

	/* Create the PCB (so->so_pcb).  proto is the socket() argument. */
	int	(*pr_attach)(struct socket *so, int proto);
	/* Free the PCB; the socket is being closed.  For TCP this starts a
	 * graceful close and the PCB may outlive the socket (it must then
	 * forget so).  Never fails.
	 * A protocol that still needs the socket (say, so_snd data not yet
	 * acknowledged) leaves so_pcb set and calls sofree() when done;
	 * with so_pcb NULL the socket is freed at once.  Also called for
	 * the connections still queued (embryonic or complete) on a
	 * listener that is closed. */
	void	(*pr_detach)(struct socket *so);
	int	(*pr_bind)(struct socket *so, const struct ksockaddr *nam,
		    size_t namlen);
	int	(*pr_listen)(struct socket *so, int backlog);
	/* Start a connection; stream protocols set SS_ISCONNECTING and
	 * later call soisconnected(); datagram ones connect at once. */
	int	(*pr_connect)(struct socket *so, const struct ksockaddr *nam,
		    size_t namlen);
	int	(*pr_disconnect)(struct socket *so);
	/* No more sending (shutdown SHUT_WR). */
	int	(*pr_shutdown)(struct socket *so);
	/*
	 * Datagram/raw: send one record m (consumed in all cases) to 'nam'
	 * (NULL: the connected peer).  Stream: m is NULL; new data has
	 * been appended to so_snd, the protocol transmits what it may.
	 */
	int	(*pr_send)(struct socket *so, struct mbuf *m,
		    const struct ksockaddr *nam, size_t namlen, int flags);
	/* The application consumed data from so_rcv (window update). */
	void	(*pr_rcvd)(struct socket *so);
	int	(*pr_sockaddr)(struct socket *so, struct ksockaddr_storage *ss,
		    size_t *lenp);
	int	(*pr_peeraddr)(struct socket *so,
		    struct ksockaddr_storage *ss, size_t *lenp);
	/* Protocol-level options (level != SOL_SOCKET).  'set': val/len in;
	 * get: *lenp bytes available in val, set to the size written. */
	int	(*pr_ctloutput)(struct socket *so, bool set, int level,
		    int name, void *val, size_t *lenp);
};

struct socket {
	struct netstack	*so_ns;		/* [I] */
	const struct protosw *so_proto;	/* [I] */
	int		 so_type;	/* [I] KSOCK_* */
	int		 so_family;	/* [I] */
	int		 so_protocol;	/* [I] socket() argument */
	int		 so_options;	/* SO_OPT_* */
	int		 so_state;	/* SS_* */
	int		 so_error;	/* pending error (SO_ERROR) */
	unsigned	 so_refs;	/* descriptors + kernel references */
	void		*so_pcb;	/* protocol control block */
	struct sockbuf	 so_rcv;
	struct sockbuf	 so_snd;
	int		 so_linger;	/* seconds, if SO_OPT_LINGER */

	/* Listening sockets: completed connections waiting for accept. */
	struct socket	*so_head;	/* listener this one belongs to */
	struct socket	*so_qnext;	/* next on the listener's queue */
	struct socket	*so_q;		/* completed, not yet accepted */
	unsigned	 so_qlen;
	unsigned	 so_q0len;	/* embryonic (SYN received) */
	unsigned	 so_qlimit;

	struct kcondvar	 so_cv;		/* readers, writers, connect, accept */
};

/*
 * Socket layer services for protocols (netstack/kern/uipc_socket.c).
 */
/* Wake readers / writers / pollers after buffer or state changes. */
void sorwakeup(struct socket *so);
void sowwakeup(struct socket *so);
void soisconnecting(struct socket *so);
void soisconnected(struct socket *so);
void soisdisconnecting(struct socket *so);
void soisdisconnected(struct socket *so);
void socantsendmore(struct socket *so);
void socantrcvmore(struct socket *so);
/* Record an asynchronous error (ECONNREFUSED, ETIMEDOUT...) and wake. */
void soseterror(struct socket *so, int error);
/*
 * A listener spawns a socket for an incoming connection (embryonic:
 * counted in so_q0len, not yet visible to accept).  The protocol
 * attaches its PCB to the new socket itself.  => NULL if the backlog is
 * full or memory is short.
 */
struct socket *sonewconn(struct socket *head);
/* The embryonic connection completed: move it to the accept queue. */
void soqinsque_complete(struct socket *so);
/* The embryonic connection failed: the protocol has already detached;
 * free the socket. */
void soabort_embryonic(struct socket *so);
/* The protocol is done with a socket whose descriptor is closed.
 * (It clears so_pcb; a socket still open is freed at its close.) */
void sofree(struct socket *so);

/* Datagram buffers. => 0, or ENOBUFS after freeing m (counted). */
int sbappendaddr(struct sockbuf *sb, const struct ksockaddr *from,
    size_t fromlen, struct mbuf *m);
/* Stream buffers: append up to len bytes. => bytes appended. */
uint32_t sbappend_stream(struct sockbuf *sb, const void *data, uint32_t len);
/* Copy len bytes starting 'off' bytes into the buffer (no removal). */
void sbcopy_stream(const struct sockbuf *sb, uint32_t off, uint32_t len,
    void *out);
/* Remove len bytes from the front (acknowledged / consumed). */
void sbdrop_stream(struct sockbuf *sb, uint32_t len);
uint32_t sbspace(const struct sockbuf *sb);
/* Resize a buffer (SO_SNDBUF/SO_RCVBUF); stream data is preserved.
 * => 0, ENOBUFS, or EINVAL if hiwat < sb_cc. */
int sbreserve(struct sockbuf *sb, uint32_t hiwat, bool stream);

/*
 * Protocol registration: each protocol module registers its switch at
 * init.  The socket layer picks the entry matching (domain, type,
 * protocol); protocol 0 selects the entry flagged default.
 * proto_unregister (first thing in the module's fini) detaches every
 * socket still attached to pr; the switch is never called again.
 */
int proto_register(struct netstack *ns, const struct protosw *pr,
    bool isdefault);
void proto_unregister(struct netstack *ns, const struct protosw *pr);

/*
 * Domain control requests (ioctl SIOC* on a socket of that family):
 * interface addresses, routes, ARP/ND entries.  Registered by netinet
 * and netinet6.  => 0, ENOTTY if not handled, or errno.
 */
typedef int (*domain_control_fn)(struct netstack *ns, unsigned long cmd,
    void *data);
int domain_control_register(struct netstack *ns, int family,
    domain_control_fn fn);
/* The control function registered for family, or NULL (ifioctl). */
domain_control_fn domain_control_lookup(struct netstack *ns, int family);

#endif /* _NETSTACK_KERN_SOCKETVAR_H_ */
