/*
 * rumpuser_sock.h -- host sockets for the sockin component.
 *
 * sockin (sockin/sockin.c) serves a kernel's PF_INET/PF_INET6 sockets
 * with sockets of the host kernel.  These are the only host calls it
 * makes.  Conventions, on top of rumpuser.h's:
 *  - Every call returns 0 or a positive errno value, Linux numbering,
 *    which is also the kernel's.  Host failures are reported, never
 *    fatal: EMFILE from socket() or accept() is an ordinary answer.
 *  - Socket addresses are byte images of Linux's struct sockaddr_in /
 *    sockaddr_in6 (the kernel's ksockaddr layouts); families, types,
 *    levels and option names are Linux values.  On a Linux host they
 *    pass through unchanged.
 *  - Every socket this file creates is non-blocking and close-on-exec,
 *    so no call here blocks except rumpuser_sock_poll(): a caller may
 *    hold the kernel lock across any other call, and releases it
 *    around rumpuser_sock_poll().
 */
#ifndef _RUMPUSER_RUMPUSER_SOCK_H_
#define _RUMPUSER_RUMPUSER_SOCK_H_

#include <stddef.h>
#include <stdbool.h>

/* A new non-blocking socket.  => 0 and *fdp, or EAFNOSUPPORT, EMFILE... */
int rumpuser_sock_open(int family, int type, int protocol, int *fdp);
int rumpuser_sock_close(int fd);
int rumpuser_sock_bind(int fd, const void *sa, size_t salen);
/* => 0 (connected), EINPROGRESS (see rumpuser_sock_error), or errno. */
int rumpuser_sock_connect(int fd, const void *sa, size_t salen);
int rumpuser_sock_listen(int fd, int backlog);
/*
 * A completed connection of a listener, non-blocking itself.
 * => 0 and *nfdp, EAGAIN if none is waiting, EMFILE, ...
 */
int rumpuser_sock_accept(int fd, int *nfdp);
/*
 * Send without blocking (and without SIGPIPE).  to == NULL: the
 * connected peer.  => 0 and *sentp (possibly < len on streams), EAGAIN
 * if nothing could be queued, EPIPE, ECONNRESET, EMSGSIZE, ...
 */
int rumpuser_sock_send(int fd, const void *buf, size_t len, const void *to,
    size_t tolen, size_t *sentp);
/*
 * Receive without blocking.  from may be NULL; otherwise *fromlenp is
 * its size in and the address length out.  => 0 and *recvdp (0 on a
 * stream: end of stream; on a datagram socket: an empty datagram),
 * EAGAIN if nothing is there, or a pending error (ECONNRESET,
 * ECONNREFUSED...).  A datagram longer than len is cut.
 */
int rumpuser_sock_recv(int fd, void *buf, size_t len, void *from,
    size_t *fromlenp, size_t *recvdp);
/* how: 0 read, 1 write, 2 both (Linux SHUT_*). */
int rumpuser_sock_shutdown(int fd, int how);
/* getsockname (peer false) or getpeername (peer true). *lenp in/out. */
int rumpuser_sock_name(int fd, bool peer, void *sa, size_t *lenp);
int rumpuser_sock_setopt(int fd, int level, int name, const void *val,
    size_t len);
/* *lenp: room in val in, bytes written out. */
int rumpuser_sock_getopt(int fd, int level, int name, void *val,
    size_t *lenp);
/* Take the socket's pending error (SO_ERROR).  => 0 and *errp. */
int rumpuser_sock_error(int fd, int *errp);

/*
 * Wait for readiness.  events/revents use the RUMPUSER_SOCK_POLL*
 * bits.  timeout_ms < 0: no timeout.  Blocks: call it without the
 * kernel lock.  => 0 and *nreadyp, or errno (EINTR is retried here).
 */
#define RUMPUSER_SOCK_POLLIN	0x01
#define RUMPUSER_SOCK_POLLOUT	0x02
#define RUMPUSER_SOCK_POLLERR	0x04
#define RUMPUSER_SOCK_POLLHUP	0x08
struct rumpuser_sock_pollfd {
	int	pfd_fd;
	int	pfd_events;
	int	pfd_revents;
};
int rumpuser_sock_poll(struct rumpuser_sock_pollfd *fds, size_t nfds,
    int timeout_ms, int *nreadyp);

/*
 * A wakeup descriptor for a thread sleeping in rumpuser_sock_poll():
 * poll it for RUMPUSER_SOCK_POLLIN; kick makes it readable until
 * drained.  kick and drain never block.
 */
int rumpuser_sock_waker_create(int *fdp);
void rumpuser_sock_waker_kick(int fd);
void rumpuser_sock_waker_drain(int fd);

#endif /* _RUMPUSER_RUMPUSER_SOCK_H_ */
