/*
 * sp_kern.c -- aborting a remote client's kernel process (sp_kern.h).
 */
#include "netstack/kern/socket_private.h"
#include "netstack/kern/sp_kern.h"

void
sp_proc_abort(struct proc *p)
{
	struct netstack *ns = p->p_ns;

	klock_enter(&ns->ns_klock);
	/* What proc_destroy does first: sleepers wake up to EINTR. */
	p->p_dying = true;
	for (struct ksleep *ks = p->p_sleepers; ks != NULL; ks = ks->ks_next)
		kcondvar_broadcast(ks->ks_cv);
	klock_exit(&ns->ns_klock);
}

void
sp_proc_reap(struct proc *p)
{
	struct netstack *ns = p->p_ns;

	/* No call can be in progress: the flag only refused new ones. */
	klock_enter(&ns->ns_klock);
	KASSERT(p->p_calls == 0);
	p->p_dying = false;
	klock_exit(&ns->ns_klock);
	proc_destroy(p);
}
