/*
 * sp_server.h -- serving a booted kernel to remote clients.
 *
 * One thread accepts connections (sp_server_run).  Each connection
 * serves one kernel process (struct sp_kproc): a new one, or one it
 * attached to by cookie (SP_OP_SESSION, sp_proto.h) so that the threads
 * of one client share a descriptor table.  A process lives while a
 * connection serves it, plus, for a forked child not yet attached, as
 * long as its parent lives.
 *
 * A connection has two threads: the connection thread reads a request,
 * runs it as the process on a kernel thread (lwp) of its own and writes
 * the reply; a watcher thread sleeps in poll() until the peer hangs up
 * and then interrupts that lwp, so that a call blocked in the kernel
 * (accept, recv, poll) returns.  When the last connection of a process
 * is gone, the process is reaped and its sockets closed, even if the
 * client died mid-call.
 */
#ifndef _TOOLS_RUMP_SERVER_SP_SERVER_H_
#define _TOOLS_RUMP_SERVER_SP_SERVER_H_

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#include "tools/librumpclient/sp_url.h"

#define SP_MAXCLIENTS	256	/* connections served at once */

struct sp_conn;
struct sp_kproc;

#define SP_MAXPENDING	64	/* forked children not yet attached, each */

struct sp_server {
	struct sp_url	 s_url;
	int		 s_lfd;		/* listening socket */
	dev_t		 s_dev;		/* the unix socket file we made */
	ino_t		 s_ino;
	int		 s_verbose;
	pthread_mutex_t	 s_mtx;
	pthread_cond_t	 s_cv;		/* a connection went away */
	struct sp_conn	*s_conns;	/* [s_mtx] */
	struct sp_kproc	*s_kprocs;	/* [s_mtx] every process */
	unsigned	 s_nconns;	/* [s_mtx] */
	unsigned	 s_nextid;	/* [s_mtx] for log messages */
	struct sp_conn	*s_halter;	/* [s_mtx] asked us to halt */
	bool		 s_stopping;	/* [s_mtx] */
};

/*
 * Create the listening socket for s->s_url (set by the caller).
 * A unix socket file that exists but has no server behind it is
 * replaced; a live one is refused.  => 0, or -1 with a message in err.
 */
int	sp_server_listen(struct sp_server *s, char *err, size_t errlen);
/*
 * Serve until SIGTERM/SIGINT (see sp_server_signals) or a halt request,
 * then stop: close the listener and every connection, halt the kernel
 * (rump_fini), remove the socket file, answer the halting client.
 */
void	sp_server_run(struct sp_server *s);
/* Install SIGTERM/SIGINT handlers that stop sp_server_run; ignore
 * SIGPIPE.  => 0, or -1 with errno set. */
int	sp_server_signals(void);

#endif /* _TOOLS_RUMP_SERVER_SP_SERVER_H_ */
