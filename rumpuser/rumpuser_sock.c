/*
 * rumpuser_sock.c -- host sockets for the sockin component (Linux).
 * See rumpuser_sock.h for the contract.  The kernel already speaks
 * Linux's socket ABI, so values and address images pass through; the
 * assertions below pin the few the kernel half relies on.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser/rumpuser_sock.h"

_Static_assert(AF_INET == 2 && AF_INET6 == 10, "Linux address families");
_Static_assert(SOCK_STREAM == 1 && SOCK_DGRAM == 2, "Linux socket types");
_Static_assert(SOL_SOCKET == 1 && IPPROTO_TCP == 6, "Linux option levels");
_Static_assert(SHUT_RD == 0 && SHUT_WR == 1 && SHUT_RDWR == 2,
    "Linux shutdown values");

/* Largest socket address or option value passed through. */
#define SOCK_ADDRMAX	((size_t)sizeof(struct sockaddr_storage))
#define SOCK_OPTMAX	((size_t)256)

int
rumpuser_sock_open(int family, int type, int protocol, int *fdp)
{
	int fd;

	if (family != AF_INET && family != AF_INET6)
		return EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return ESOCKTNOSUPPORT;
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd == -1)
		return errno;
	*fdp = fd;
	return 0;
}

int
rumpuser_sock_close(int fd)
{
	/* Linux releases the descriptor even when close reports EINTR. */
	if (close(fd) == -1 && errno != EINTR)
		return errno;
	return 0;
}

int
rumpuser_sock_bind(int fd, const void *sa, size_t salen)
{
	if (salen > SOCK_ADDRMAX)
		return EINVAL;
	return bind(fd, sa, (socklen_t)salen) == 0 ? 0 : errno;
}

int
rumpuser_sock_connect(int fd, const void *sa, size_t salen)
{
	int rv;

	if (salen > SOCK_ADDRMAX)
		return EINVAL;
	rv = connect(fd, sa, (socklen_t)salen);
	if (rv == 0)
		return 0;
	/* An interrupted non-blocking connect goes on in the background. */
	return errno == EINTR ? EINPROGRESS : errno;
}

int
rumpuser_sock_listen(int fd, int backlog)
{
	return listen(fd, backlog) == 0 ? 0 : errno;
}

int
rumpuser_sock_accept(int fd, int *nfdp)
{
	int nfd;

	do
		nfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (nfd == -1 && errno == EINTR);
	if (nfd == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*nfdp = nfd;
	return 0;
}

int
rumpuser_sock_send(int fd, const void *buf, size_t len, const void *to,
    size_t tolen, size_t *sentp)
{
	ssize_t n;

	if (to != NULL && tolen > SOCK_ADDRMAX)
		return EINVAL;
	do
		n = sendto(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL, to,
		    to != NULL ? (socklen_t)tolen : 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*sentp = (size_t)n;
	return 0;
}

int
rumpuser_sock_recv(int fd, void *buf, size_t len, void *from,
    size_t *fromlenp, size_t *recvdp)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	ssize_t n;

	do
		n = recvfrom(fd, buf, len, MSG_DONTWAIT,
		    from != NULL ? (struct sockaddr *)&ss : NULL,
		    from != NULL ? &sslen : NULL);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	if (from != NULL) {
		size_t copy = (size_t)sslen < *fromlenp ? sslen : *fromlenp;

		memcpy(from, &ss, copy);
		*fromlenp = copy;
	}
	*recvdp = (size_t)n;
	return 0;
}

int
rumpuser_sock_shutdown(int fd, int how)
{
	return shutdown(fd, how) == 0 ? 0 : errno;
}

int
rumpuser_sock_name(int fd, bool peer, void *sa, size_t *lenp)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	int rv;

	rv = peer ? getpeername(fd, (struct sockaddr *)&ss, &sslen) :
	    getsockname(fd, (struct sockaddr *)&ss, &sslen);
	if (rv == -1)
		return errno;
	if ((size_t)sslen < *lenp)
		*lenp = sslen;
	memcpy(sa, &ss, *lenp);
	return 0;
}

int
rumpuser_sock_setopt(int fd, int level, int name, const void *val,
    size_t len)
{
	if (len > SOCK_OPTMAX)
		return EINVAL;
	return setsockopt(fd, level, name, val, (socklen_t)len) == 0 ? 0 :
	    errno;
}

int
rumpuser_sock_getopt(int fd, int level, int name, void *val, size_t *lenp)
{
	socklen_t len = *lenp > SOCK_OPTMAX ? SOCK_OPTMAX : (socklen_t)*lenp;

	if (getsockopt(fd, level, name, val, &len) == -1)
		return errno;
	*lenp = len;
	return 0;
}

int
rumpuser_sock_error(int fd, int *errp)
{
	socklen_t len = sizeof(*errp);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, errp, &len) == -1)
		return errno;
	return 0;
}

int
rumpuser_sock_poll(struct rumpuser_sock_pollfd *fds, size_t nfds,
    int timeout_ms, int *nreadyp)
{
	struct pollfd small[16], *pfd = small;
	int n;

	if (nfds > sizeof(small) / sizeof(small[0]) &&
	    (pfd = calloc(nfds, sizeof(*pfd))) == NULL)
		return ENOMEM;
	for (size_t i = 0; i < nfds; i++) {
		pfd[i].fd = fds[i].pfd_fd;
		pfd[i].events = (short)(
		    ((fds[i].pfd_events & RUMPUSER_SOCK_POLLIN) ? POLLIN : 0) |
		    ((fds[i].pfd_events & RUMPUSER_SOCK_POLLOUT) ? POLLOUT : 0));
		pfd[i].revents = 0;
	}
	do
		n = poll(pfd, (nfds_t)nfds, timeout_ms);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		int error = errno;

		if (pfd != small)
			free(pfd);
		return error;
	}
	for (size_t i = 0; i < nfds; i++) {
		short r = pfd[i].revents;

		fds[i].pfd_revents =
		    ((r & POLLIN) ? RUMPUSER_SOCK_POLLIN : 0) |
		    ((r & POLLOUT) ? RUMPUSER_SOCK_POLLOUT : 0) |
		    ((r & (POLLERR | POLLNVAL)) ? RUMPUSER_SOCK_POLLERR : 0) |
		    ((r & POLLHUP) ? RUMPUSER_SOCK_POLLHUP : 0);
	}
	if (pfd != small)
		free(pfd);
	*nreadyp = n;
	return 0;
}

int
rumpuser_sock_waker_create(int *fdp)
{
	int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (fd == -1)
		return errno;
	*fdp = fd;
	return 0;
}

void
rumpuser_sock_waker_kick(int fd)
{
	uint64_t one = 1;

	/* Fails only when the counter is saturated: it is readable then. */
	(void)!write(fd, &one, sizeof(one));
}

void
rumpuser_sock_waker_drain(int fd)
{
	uint64_t v;

	(void)!read(fd, &v, sizeof(v));
}
