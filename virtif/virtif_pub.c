/*
 * virtif_pub.c -- rump_pub_virtif_create() on the process's kernel.
 */
#include "netstack/kern/netstack.h"
#include "virtif/if_virt.h"
#include "rumpnet/rump.h"
#include "rumpnet/rump_virtif.h"
#include "netstack/kern/proc.h"

int
rump_pub_virtif_create(const char *tapname, int *unit)
{
	struct netstack *ns;
	struct ifnet *ifp;
	int rv;

	if ((rv = rump_init()) != 0)
		return rv;
	ns = rump_netstack();
	klock_enter(&ns->ns_klock);
	netstack_tick(ns);
	rv = virtif_create(ns, tapname, &ifp);
	if (rv == 0 && unit != NULL) {
		const char *p = ifp->if_xname + strlen("virt");
		int u = 0;

		while (*p >= '0' && *p <= '9')
			u = u * 10 + (*p++ - '0');
		*unit = u;
	}
	klock_exit(&ns->ns_klock);
	return rv;
}
