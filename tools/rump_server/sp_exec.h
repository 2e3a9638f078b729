/*
 * sp_exec.h -- running one parsed request as a system call of a
 * client's kernel process.
 */
#ifndef _TOOLS_RUMP_SERVER_SP_EXEC_H_
#define _TOOLS_RUMP_SERVER_SP_EXEC_H_

#include "tools/librumpclient/sp_proto.h"

struct proc;
struct lwp;

/* An aligned socket address buffer. */
union sp_addrbuf {
	uint64_t	ab_align;
	uint8_t		ab_bytes[SP_MAXADDR];
};

struct sp_reply {
	int		r_error;		/* errno; 0: r_args valid */
	struct sp_arg	r_args[SP_MAXARGS];	/* per the reply signature */
	void		*r_buf;			/* free() once sent */
	union sp_addrbuf r_addr;		/* addresses in r_args */
};

/*
 * Run request m (any operation but HELLO and HALT, which the server
 * handles itself) for process p; the arguments have been checked
 * against the operation's signature by sp_request_parse().  Blocks as
 * long as the call does.  Fills *r.
 */
void	sp_exec(struct proc *p, const struct sp_msg *m, struct sp_reply *r);

/*
 * The kernel processes of clients, for code that does not include the
 * kernel's headers (they clash with the host's network headers):
 * create one in rump_init()'s instance and make it the calling thread's
 * current process (=> 0 or an errno); abort one from another thread;
 * reap one (sp_kern.h).
 */
int	sp_exec_proc_create(struct proc **pp);
void	sp_exec_proc_abort(struct proc *p);
void	sp_exec_proc_reap(struct proc *p);
/* A new process (not made current).  => 0 or an errno. */
int	sp_exec_proc_new(struct proc **pp);
/* fork(2) of parent (proc_fork).  => 0 or an errno. */
int	sp_exec_proc_fork(struct proc *parent, struct proc **childp);

/*
 * A thread of process p for one connection, made the calling thread's
 * current one (NULL if out of memory); interrupting its calls (from any
 * thread) and clearing that; destroying it (no call of it running).
 */
struct lwp *sp_exec_lwp_create(struct proc *p);
void	sp_exec_lwp_interrupt(struct lwp *l);
void	sp_exec_lwp_clear(struct lwp *l);
void	sp_exec_lwp_destroy(struct lwp *l);

#endif /* _TOOLS_RUMP_SERVER_SP_EXEC_H_ */
