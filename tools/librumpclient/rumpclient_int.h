/*
 * rumpclient_int.h -- librumpclient's call machinery, shared by its
 * connection code (rumpclient.c), the rump_sys_* wrappers
 * (rumpclient_sys.c) and the hijack library, which is built from the
 * same sources.
 */
#ifndef _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_
#define _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_

#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "tools/librumpclient/sp_proto.h"

/*
 * The host calls the connection code makes.  They default to the C
 * library's; the hijack library, which defines these names itself,
 * points them at the next definitions (the host's) before any call.
 */
struct rc_hostops {
	int	(*ho_socket)(int, int, int);
	int	(*ho_connect)(int, const struct sockaddr *, socklen_t);
	int	(*ho_close)(int);
	ssize_t	(*ho_read)(int, void *, size_t);
	ssize_t	(*ho_send)(int, const void *, size_t, int);
	int	(*ho_fcntl)(int, int, int);
	pid_t	(*ho_fork)(void);
};
extern struct rc_hostops rc_host;

/*
 * Called when the program turns out to be a child of a fork() that did
 * not go through rc_fork_* (a new, empty kernel process replaces the
 * parent's on the next call), so that descriptors naming the parent's
 * process can be forgotten.  NULL: nothing to do.
 */
extern void (*rc_newproc_hook)(void);

/* Is fd one of the library's own connections? */
int	rc_is_connfd(int fd);

/*
 * Run operation op with request fields args (per its signature) on the
 * server, on the calling thread's connection (made first if needed).
 * => 0 and the reply's fields in *rep, pointing into *bufp (free() it);
 * or an errno value: the server's answer, or a connection failure (then
 * *bufp is NULL).
 */
int	rc_call(unsigned op, const struct sp_arg *args, struct sp_msg *rep,
	    uint8_t **bufp);

/*
 * The same in two halves, for waiting on the reply together with host
 * descriptors: rc_call_start sends the request; the reply can be read
 * once pd_fd is readable, with rc_call_finish (which blocks until it
 * comes).  rc_call_interrupt makes the server end the call early (it
 * returns EINTR unless it was done); rc_call_finish must still follow.
 * No other call of the thread may come in between.
 */
struct rc_conn;
struct rc_pending {
	struct rc_conn	*pd_conn;
	unsigned	 pd_op;
	uint32_t	 pd_reqid;
	int		 pd_fd;		/* the host descriptor to wait on */
};
int	rc_call_start(unsigned op, const struct sp_arg *args,
	    struct rc_pending *pd);
int	rc_call_finish(struct rc_pending *pd, struct sp_msg *rep,
	    uint8_t **bufp);
void	rc_call_interrupt(const struct rc_pending *pd);

/*
 * fork(): prepare a child process on the server sharing ours (before
 * fork; => 0 and its cookie), drop it if fork failed (parent), attach
 * the child program to it (child, at once).  => 0 or an errno.
 */
int	rc_fork_prepare(uint64_t *cookiep);
void	rc_fork_cancel(uint64_t cookie);
int	rc_fork_child(uint64_t cookie);

/*
 * exec(): keep the calling thread's connection open across exec and
 * describe it in buf (=> 0 or an errno); put close-on-exec back if exec
 * failed; in the new program, take the connection described by state
 * as the calling thread's (=> 0, or an errno if it is not usable).
 */
int	rc_exec_save(char *buf, size_t len);
void	rc_exec_undo(void);
int	rc_exec_restore(const char *state);

/* rump_sys_poll in two halves (see rc_call_start); => as rump_sys_poll. */
int	rc_poll_start(struct pollfd *fds, unsigned long nfds, int timeout,
	    struct rc_pending *pd);
int	rc_poll_finish(struct rc_pending *pd, struct pollfd *fds,
	    unsigned long nfds);

#endif /* _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_ */
