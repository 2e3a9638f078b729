/*
 * rumpnet/rumpclient.h -- librumpclient: the rump_sys_* calls of
 * <rumpnet/rump_syscalls.h>, run by a rump_server.
 *
 * A program links -lrumpclient instead of -lrumpnet and uses the same
 * rump_sys_* calls.  The library connects on the first call to the
 * server named by the environment variable RUMP_SERVER
 * (unix://PATH or tcp://127.0.0.1:PORT).  The program is one kernel
 * process on the server, with its own descriptor table, closed with all
 * its sockets when the program exits.  Each thread that makes calls has
 * a connection of its own to that process, so calls of different
 * threads run concurrently (a thread blocked in recv() does not hold up
 * another's send()).  A child made by fork() gets a new, empty process
 * on its first call; one made by rumpclient_fork() gets a process
 * sharing the parent's descriptors instead, as fork(2) does.
 *
 * If RUMP_SERVER is unset or the server cannot be reached, calls fail
 * with -1 and errno (ENOTCONN when RUMP_SERVER is unset, else the
 * connect(2) error such as ENOENT or ECONNREFUSED), and the library
 * says why once on stderr:
 *
 *	rumpclient: cannot connect to unix://node1: No such file or
 *	directory (is rump_server running? RUMP_SERVER=unix://node1)
 *
 */
#ifndef _RUMPNET_RUMPCLIENT_H_
#define _RUMPNET_RUMPCLIENT_H_

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Connect now (if not yet connected).  => 0, or -1 with errno set. */
int	rumpclient_init(void);

/*
 * fork(2), with the child's kernel process a copy of the caller's: every
 * descriptor refers to the same socket in both.  => as fork(); -1 with
 * errno also when the server cannot make the child's process.
 */
pid_t	rumpclient_fork(void);

/*
 * Halt the server: it closes every client, halts its kernel, removes
 * its unix socket file and exits.  Returns once that is done.
 * => 0, or -1 with errno set.
 */
int	rumpclient_halt(void);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMPCLIENT_H_ */
