/*
 * rump.c -- the process's default kernel instance (rump_init()) and its
 * local process, which the rump_sys_* calls use on threads that have no
 * current process of their own.
 *
 * This is the one place with process-wide kernel state: the instance
 * rump_init() booted.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/proc.h"
#include "rumpnet/rump.h"

static struct netstack *rump_ns;
static struct proc *rump_proc;

/* The instance rump_init() booted, or NULL. */
struct netstack *
rump_netstack(void)
{
	return rump_ns;
}

/* Its local process, or NULL. */
struct proc *
rump_localproc(void)
{
	return rump_proc;
}

int
rump_init(void)
{
	struct netstack *ns;
	struct proc *p;
	int rv;

	if (rump_ns != NULL)
		return 0;
	if ((rv = rumpuser_init(RUMPUSER_VERSION)) != 0)
		return rv;
	if ((rv = netstack_create("rump", NETSTACK_REAL_CLOCK, &ns)) != 0)
		return rv;
	if ((rv = proc_create(ns, &p)) != 0) {
		netstack_destroy(ns);
		return rv;
	}
	rump_proc = p;
	rump_ns = ns;
	return 0;
}

void
rump_fini(void)
{
	if (rump_ns == NULL)
		return;
	/* Close the local process's sockets while the protocols run. */
	proc_destroy(rump_proc);
	rump_proc = NULL;
	netstack_destroy(rump_ns);
	rump_ns = NULL;
}
