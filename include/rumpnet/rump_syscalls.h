/*
 * rumpnet/rump_syscalls.h -- the socket system calls of a rumpnet
 * kernel.
 *
 * Each rump_sys_X behaves like the host's X(2) on Linux: the same
 * constants (AF_INET, SOCK_STREAM, SOL_SOCKET, MSG_*, POLL*, F_*,
 * FIONBIO ...), the same structures (struct sockaddr_in, msghdr, iovec,
 * pollfd, timeval, linger) and the same errno values.  A call returns -1
 * and sets errno on failure.  Programs include the host's headers for
 * those definitions, then this one:
 *
 *	#include <sys/socket.h>
 *	#include <netinet/in.h>
 *	#include <poll.h>
 *	#include <rumpnet/rump.h>
 *	#include <rumpnet/rump_syscalls.h>
 *
 * Calls act for the calling thread's kernel process: in a program that
 * booted a kernel with rump_init(), that is the program's own process
 * (one descriptor table shared by all its threads); in librumpclient,
 * the connection to the rump_server.  Descriptors are the kernel's, not
 * the host's: pass them only to rump_sys_* calls.
 *
 * Differences from Linux worth knowing:
 *  - There are no signals: EPIPE is returned without SIGPIPE
 *    (MSG_NOSIGNAL is accepted and changes nothing), and calls are never
 *    interrupted except when the kernel process is torn down (EINTR).
 *  - sendmsg() refuses ancillary data (msg_controllen > 0: EINVAL);
 *    recvmsg() never returns any (msg_controllen is set to 0).
 *  - SO_SNDBUF/SO_RCVBUF read back the value set (BSD), not twice it
 *    (Linux); values are clamped to [2048, sysctl kern.sbmax].
 *  - fcntl() knows F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL
 *    and F_SETFL (O_NONBLOCK only); ioctl() handles FIONBIO and
 *    FIONREAD itself and hands every other request to the interface and
 *    configuration code (<rumpnet/rump_net.h>).
 *  - Before rump_init() (and without a server connection) every call
 *    fails with ENXIO.
 */
#ifndef _RUMPNET_RUMP_SYSCALLS_H_
#define _RUMPNET_RUMP_SYSCALLS_H_

#include <stddef.h>
#include <sys/types.h>		/* ssize_t */
#include <sys/socket.h>		/* socklen_t, struct sockaddr, msghdr */

struct iovec;
struct pollfd;

#ifdef __cplusplus
extern "C" {
#endif

int	rump_sys_socket(int domain, int type, int protocol);
int	rump_sys_bind(int fd, const struct sockaddr *addr, socklen_t len);
int	rump_sys_listen(int fd, int backlog);
int	rump_sys_accept(int fd, struct sockaddr *addr, socklen_t *lenp);
int	rump_sys_accept4(int fd, struct sockaddr *addr, socklen_t *lenp,
	    int flags);
int	rump_sys_connect(int fd, const struct sockaddr *addr, socklen_t len);
int	rump_sys_shutdown(int fd, int how);
int	rump_sys_close(int fd);

ssize_t	rump_sys_send(int fd, const void *buf, size_t len, int flags);
ssize_t	rump_sys_sendto(int fd, const void *buf, size_t len, int flags,
	    const struct sockaddr *to, socklen_t tolen);
ssize_t	rump_sys_sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t	rump_sys_recv(int fd, void *buf, size_t len, int flags);
ssize_t	rump_sys_recvfrom(int fd, void *buf, size_t len, int flags,
	    struct sockaddr *from, socklen_t *fromlenp);
ssize_t	rump_sys_recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t	rump_sys_read(int fd, void *buf, size_t len);
ssize_t	rump_sys_write(int fd, const void *buf, size_t len);
ssize_t	rump_sys_readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t	rump_sys_writev(int fd, const struct iovec *iov, int iovcnt);

/* nfds is nfds_t (unsigned long on Linux). */
int	rump_sys_poll(struct pollfd *fds, unsigned long nfds, int timeout);

int	rump_sys_getsockopt(int fd, int level, int name, void *val,
	    socklen_t *lenp);
int	rump_sys_setsockopt(int fd, int level, int name, const void *val,
	    socklen_t len);
int	rump_sys_getsockname(int fd, struct sockaddr *addr, socklen_t *lenp);
int	rump_sys_getpeername(int fd, struct sockaddr *addr, socklen_t *lenp);

/* One pointer argument follows the request. */
int	rump_sys_ioctl(int fd, unsigned long request, ...);
/* An int argument follows cmd where the command takes one. */
int	rump_sys_fcntl(int fd, int cmd, ...);
int	rump_sys_dup(int fd);
int	rump_sys_dup2(int fd, int newfd);
int	rump_sys_dup3(int fd, int newfd, int flags);

/*
 * The kernel's sysctl tree, by name ("net.inet.ip.forwarding").
 * rump_sys_sysctlbyname works like BSD sysctlbyname(3): the current
 * value is copied to oldp (*oldlenp bytes available, set to the size;
 * oldp NULL asks for the size only), then newp/newlen, if given, is
 * stored.  Integers are int32_t (int64_t accepted on write), counters
 * uint64_t, strings NUL-terminated.  Errors: ENOENT (no such node),
 * EPERM (read-only), EINVAL (bad size or out of bounds), ENOMEM (oldp
 * too small).
 *
 * rump_sys_sysctlnext enumerates in name order: it returns the first
 * node named after 'prev' (NULL or "" for the first) whose name lies
 * under 'prefix' (NULL or "" for the whole tree; "net.inet" matches
 * "net.inet" and "net.inet.*"), writing its name to namebuf and its type
 * to *typep (RUMP_SYSCTL_TYPE_* | RUMP_SYSCTL_WRITABLE; typep may be
 * NULL).  It fails with ENOENT after the last node and with ENOMEM when
 * namebuf (namelen bytes) cannot hold the name; RUMP_SYSCTL_NAMEMAX
 * always suffices.  Walking the tree:
 *
 *	char name[RUMP_SYSCTL_NAMEMAX] = "";
 *	int type;
 *	while (rump_sys_sysctlnext("net.inet", name, name, sizeof(name),
 *	    &type) == 0)
 *		... name is the next node ...
 */
#define RUMP_SYSCTL_TYPE_INT	0
#define RUMP_SYSCTL_TYPE_QUAD	1
#define RUMP_SYSCTL_TYPE_STRING	2
#define RUMP_SYSCTL_TYPEMASK	0xff
#define RUMP_SYSCTL_WRITABLE	0x100
#define RUMP_SYSCTL_NAMEMAX	96

int	rump_sys_sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);
int	rump_sys_sysctlnext(const char *prefix, const char *prev,
	    char *namebuf, size_t namelen, int *typep);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_SYSCALLS_H_ */
