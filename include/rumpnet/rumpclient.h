/*
 * rumpnet/rumpclient.h -- librumpclient: the rump_sys_* calls of
 * <rumpnet/rump_syscalls.h>, run by a rump_server.
 *
 * A program links -lrumpclient instead of -lrumpnet and uses the same
 * rump_sys_* calls.  The library connects on the first call to the
 * server named by the environment variable RUMP_SERVER
 * (unix://PATH or tcp://127.0.0.1:PORT); the connection is the
 * program's kernel process, with its own descriptor table, closed
 * with all its sockets when the program exits.  A child made by fork()
 * gets a connection (and a process) of its own on its first call.
 *
 * If RUMP_SERVER is unset or the server cannot be reached, calls fail
 * with -1 and errno (ENOTCONN when RUMP_SERVER is unset, else the
 * connect(2) error such as ENOENT or ECONNREFUSED), and the library
 * says why once on stderr:
 *
 *	rumpclient: cannot connect to unix://node1: No such file or
 *	directory (is rump_server running? RUMP_SERVER=unix://node1)
 *
 * Calls are serialised on one connection (one request in flight).
 */
#ifndef _RUMPNET_RUMPCLIENT_H_
#define _RUMPNET_RUMPCLIENT_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Connect now (if not yet connected).  => 0, or -1 with errno set. */
int	rumpclient_init(void);

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
