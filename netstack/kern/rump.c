/*
 * rump.c -- the process's default kernel instance (rump_init()).
 */
#include "netstack/kern/netstack.h"
#include "rumpnet/rump.h"

static struct netstack *rump_ns;

struct netstack *rump_netstack(void);

/* The instance rump_init() booted, or NULL. */
struct netstack *
rump_netstack(void)
{
	return rump_ns;
}

int
rump_init(void)
{
	int rv;

	if (rump_ns != NULL)
		return 0;
	if ((rv = rumpuser_init(RUMPUSER_VERSION)) != 0)
		return rv;
	return netstack_create("rump", NETSTACK_REAL_CLOCK, &rump_ns);
}

void
rump_fini(void)
{
	if (rump_ns == NULL)
		return;
	netstack_destroy(rump_ns);
	rump_ns = NULL;
}
