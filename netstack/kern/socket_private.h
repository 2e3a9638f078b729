/*
 * socket_private.h -- what the socket layer's own files share:
 * the module state, the socket's private half, open files, processes,
 * user I/O vectors and the socket operations behind the system calls.
 * Nothing outside netstack/kern/{uipc_*,sys_socket,proc}.c includes it.
 *
 * Lock legend: see netstack/kern/netstack.h.
 */
#ifndef _NETSTACK_KERN_SOCKET_PRIVATE_H_
#define _NETSTACK_KERN_SOCKET_PRIVATE_H_

#include "netstack/kern/socketvar.h"
#include "netstack/kern/proc.h"

/* ------------------------------------------------------------- module */

struct protoent {
	const struct protosw	*pe_pr;		/* [K] */
	bool			 pe_default;	/* [K] */
};

struct domainent {
	int			 de_family;	/* [K] */
	domain_control_fn	 de_fn;		/* [K] */
};

#define SOCK_MAXDOMAINS	8

struct sockpriv;

/* ns->ns_mod[NSMOD_SOCKET] */
struct socket_state {
	struct protoent		*ss_protos;	/* [K] registered switches */
	unsigned		 ss_nprotos;	/* [K] */
	unsigned		 ss_protosize;	/* [K] */
	struct domainent	 ss_domains[SOCK_MAXDOMAINS]; /* [K] */
	/*
	 * Broadcast by every socket wakeup: poll() sleeps here when no
	 * descriptor is ready.
	 */
	struct kcondvar		 ss_pollcv;
	struct proc		*ss_procs;	/* [K] every process */
	struct sockpriv		*ss_sockets;	/* [K] every socket */
	unsigned		 ss_nsockets;	/* [K] */
	int32_t			 ss_somaxconn;	/* [K] kern.somaxconn */
	int32_t			 ss_sbmax;	/* [K] kern.sbmax */
};

static inline struct socket_state *
socket_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_SOCKET];
}

/* Default buffer sizes and limits (bytes). */
#define SB_STREAM_SNDSPACE	(64u * 1024)
#define SB_STREAM_RCVSPACE	(64u * 1024)
#define SB_DGRAM_SNDSPACE	9216u
#define SB_DGRAM_RCVSPACE	(64u * 1024)
#define SB_MIN			2048u		/* SO_SNDBUF/SO_RCVBUF floor */
#define SB_MAX_DEFAULT		(4u * 1024 * 1024) /* kern.sbmax */
#define SB_SNDLOWAT		2048u		/* POLLOUT threshold */
/*
 * Largest record the socket layer builds: no datagram protocol carries
 * more than an IP packet.  Protocols refuse less on their own (UDP over
 * IPv4: 65507 bytes) with EMSGSIZE.
 */
#define SB_MAXDGRAM		65535u
/* Records a datagram buffer holds at most, per byte of sb_hiwat. */
#define SB_DGRAM_RECSIZE	128u

/* ------------------------------------------------------------ sockets */

/*
 * The socket layer's half of a socket.  sp_so comes first: a struct
 * socket * from protocols converts back with sotopriv().
 */
struct sockpriv {
	struct socket	 sp_so;
	struct sockpriv	*sp_next;	/* [K] on ss_sockets */
	struct sockpriv	**sp_prevp;	/* [K] */
	int		 sp_flags;	/* [K] SP_* */
};

#define SP_NOFDREF	0x01	/* its file is gone (soclose ran) */
#define SP_DETACHED	0x02	/* pr_detach was called */
#define SP_DEFUNCT	0x04	/* protocol unregistered: never call it */
#define SP_INQ0		0x08	/* embryonic, counted in so_head->so_q0len */
#define SP_INQ		0x10	/* complete, on so_head->so_q */

static inline struct sockpriv *
sotopriv(struct socket *so)
{
	return (struct sockpriv *)(void *)so;
}

/* Linux SO_RCVLOWAT/SO_SNDLOWAT defaults. */
#define SO_RCVLOWAT_DEFAULT	1u

/* ------------------------------------------------------ files and procs */

#define FTYPE_SOCKET	1
#define FTYPE_OTHER	2

/*
 * An open file: one per socket() / accept() / fd_install(), shared by
 * every descriptor dup()ed from it.  f_refs counts descriptors plus
 * system calls in progress on it; the last release closes it.
 * O_NONBLOCK of a socket file is SS_NBIO of its socket.
 */
struct file {
	int			 f_type;	/* [I] FTYPE_* */
	unsigned		 f_refs;	/* [K] */
	struct socket		*f_socket;	/* [I] FTYPE_SOCKET */
	const struct fileops	*f_ops;		/* [I] FTYPE_OTHER */
	void			*f_data;	/* [I] FTYPE_OTHER */
};

struct fdent {
	struct file	*fe_file;	/* [K] NULL: free slot */
	int		 fe_flags;	/* [K] KFD_CLOEXEC */
};

/* A system call sleeping in proc_sleep(), for proc_destroy to wake. */
struct ksleep {
	struct ksleep	*ks_next;	/* [K] on p_sleepers */
	struct kcondvar	*ks_cv;		/* [K] */
	struct callout	 ks_timer;	/* [K] the deadline */
	struct lwp	*ks_lwp;	/* [K] the sleeping thread, or NULL */
	bool		 ks_timedout;	/* [K] */
};

struct proc {
	struct lwp	 p_lwp;		/* [I] what curlwp points at */
	struct netstack	*p_ns;		/* [I] */
	struct proc	*p_next;	/* [K] on ss_procs */
	struct proc	**p_prevp;	/* [K] */
	struct fdent	*p_fd;		/* [K] the descriptor table */
	unsigned	 p_nfd;		/* [K] slots in p_fd */
	unsigned	 p_fdfree;	/* [K] no free slot below this one */
	unsigned	 p_nopen;	/* [K] descriptors in use */
	unsigned	 p_calls;	/* [K] system calls in progress */
	struct ksleep	*p_sleepers;	/* [K] of those, the sleeping ones */
	bool		 p_dying;	/* [K] proc_destroy has begun */
	struct kcondvar	 p_cv;		/* last call out wakes proc_destroy */
};

/* proc.c ------------------------------------------------------------- */

/* Enter / leave a system call of p: kernel lock and clock. => 0, EINTR */
int sys_enter(struct proc *p);
void sys_exit(struct proc *p);
/*
 * Sleep on cv with the kernel lock released until a wakeup, the
 * deadline (netstack time; 0 = none) or the process's exit.  A timer
 * callout enforces the deadline, so virtual clocks work too.
 * => 0 (woken: re-check), EWOULDBLOCK (deadline passed), EINTR.
 */
int proc_sleep(struct proc *p, struct kcondvar *cv, uint64_t deadline);

/* The file behind fd, referenced (release with file_release). */
int fd_getfile(struct proc *p, int fd, struct file **fpp);
/* The same for a socket descriptor. => 0, EBADF, ENOTSOCK. */
int fd_getsock(struct proc *p, int fd, struct file **fpp);
void file_release(struct file *fp);
/* A new file for so (one reference, owned by the caller). */
struct file *file_alloc_socket(struct socket *so);
/*
 * Install fp at the lowest free descriptor >= minfd, taking a new
 * reference.  => 0 and *fdp, EMFILE.
 */
int fd_alloc(struct proc *p, struct file *fp, int minfd, int fdflags,
    int *fdp);
/* Is a descriptor free (for an accept that may sleep)? */
bool fd_available(struct proc *p);
/* Close descriptor fd. => 0 or EBADF */
int fd_close(struct proc *p, int fd);
int fd_dup2(struct proc *p, int fd, int newfd, int fdflags);
int fd_getflags(struct proc *p, int fd, int *flagsp);
int fd_setflags(struct proc *p, int fd, int flags);

/* Free every process left at module teardown. */
void proc_destroy_all(struct netstack *ns);

/* A gather/scatter list of user buffers. ------------------------------ */

struct kuio {
	const struct kiovec	*uio_iov;
	unsigned		 uio_iovcnt;
	unsigned		 uio_index;	/* current iovec */
	size_t			 uio_off;	/* offset inside it */
	size_t			 uio_resid;	/* bytes left */
};

/* => 0, EFAULT, EINVAL (count or total length); total capped. */
int uio_init(struct kuio *uio, const struct kiovec *iov, int iovcnt);
/* Copy from the user buffers (advances). => bytes copied */
size_t uio_copyin(struct kuio *uio, void *dst, size_t len);
/* Copy to the user buffers (advances). => bytes copied */
size_t uio_copyout(struct kuio *uio, const void *src, size_t len);
/* Copy from a stream buffer at offset off (advances). */
void uio_copyout_sb(struct kuio *uio, const struct sockbuf *sb,
    uint32_t off, uint32_t len);
/* Append to a stream buffer (advances). => bytes appended */
uint32_t uio_copyin_sb(struct kuio *uio, struct sockbuf *sb, uint32_t len);
/* Skip len bytes (MSG_TRUNC on streams). */
void uio_skip(struct kuio *uio, size_t len);

/* uipc_sockbuf.c ----------------------------------------------------- */

void sbinit(struct sockbuf *sb, uint32_t hiwat, bool stream);
void sbrelease(struct sockbuf *sb);
/* Payload bytes of the first datagram record, 0 if none. */
uint32_t sbfirstrecord(const struct sockbuf *sb);
/* Take the first record apart: source address and payload. */
void sbrecord_parse(const struct mbuf *m, struct ksockaddr_storage *from,
    size_t *fromlen, uint32_t *hdrlen);

/* uipc_socket.c ------------------------------------------------------ */

/* Create a socket and attach the protocol. => 0, EAFNOSUPPORT, ... */
int socreate(struct netstack *ns, int domain, int type, int protocol,
    struct socket **sop);
/* The last descriptor went away. */
void soclose(struct socket *so);
/* Free a socket outright, calling no protocol (teardown). */
void sodestroy(struct socket *so);
int sobind(struct socket *so, const struct ksockaddr *nam, size_t len);
int solisten(struct socket *so, int backlog);
/* Wait for and dequeue a completed connection. */
int soaccept(struct proc *p, struct socket *head, bool nonblock,
    struct socket **sop);
/* Put a connection soaccept returned back (no descriptor for it). */
void soaccept_undo(struct socket *head, struct socket *so);
int soconnect(struct proc *p, struct socket *so, const struct ksockaddr *nam,
    size_t len, bool nonblock);
int soshutdown(struct socket *so, int how);
/* => 0 and *donep bytes taken from uio. */
int sosend(struct proc *p, struct socket *so, const struct ksockaddr *nam,
    size_t namlen, struct kuio *uio, int flags, size_t *donep);
/*
 * from may be NULL.  *msgflagsp gets KMSG_TRUNC for a cut datagram.
 * => 0 and *donep (the record length with KMSG_TRUNC on datagrams).
 */
int soreceive(struct proc *p, struct socket *so,
    struct ksockaddr_storage *from, size_t *fromlen, struct kuio *uio,
    int flags, int *msgflagsp, size_t *donep);
int sosetopt(struct socket *so, int level, int name, const void *val,
    size_t len);
int sogetopt(struct socket *so, int level, int name, void *val,
    size_t *lenp);
int sogetaddr(struct socket *so, bool peer, struct ksockaddr_storage *ss,
    size_t *lenp);
/* Readiness for poll(): KPOLL* bits. */
int sopoll(struct socket *so, int events);
/* FIONREAD. => 0 or EINVAL (listening) */
int soreadable_bytes(struct socket *so, int *np);
/* Is the socket's protocol still there? => 0 or EOPNOTSUPP */
int socheck(struct socket *so);

/* uipc_proto.c ------------------------------------------------------- */

/* => the switch for (domain, type, protocol), or an errno in *errp. */
const struct protosw *proto_lookup(struct netstack *ns, int domain,
    int type, int protocol, int *errp);

#endif /* _NETSTACK_KERN_SOCKET_PRIVATE_H_ */
