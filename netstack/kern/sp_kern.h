/*
 * sp_kern.h -- what rump_server needs from the kernel beyond proc.h:
 * stopping a client's process from another thread while the client's
 * own thread may be inside (or about to enter) one of its calls.
 *
 * proc_destroy() cannot be used for that, because it frees the process
 * at once when no call is in progress, and the client's thread could
 * still be on its way into sys_enter with the pointer.  Instead the
 * watching thread aborts the process (blocked calls return EINTR, later
 * calls fail with EINTR at once, nothing is freed), and the client's
 * thread, the only owner of the pointer, reaps it when it is done.
 */
#ifndef _NETSTACK_KERN_SP_KERN_H_
#define _NETSTACK_KERN_SP_KERN_H_

#include "netstack/kern/proc.h"

/* Interrupt p's calls and fail its future ones.  Lock not held; any
 * thread; may be called more than once. */
void	sp_proc_abort(struct proc *p);
/* proc_destroy() for a process that may have been aborted.  Lock not
 * held; no call of p in progress or to come. */
void	sp_proc_reap(struct proc *p);

#endif /* _NETSTACK_KERN_SP_KERN_H_ */
