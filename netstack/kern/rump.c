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

/*
 * Optional components and the modules each one stands for.  The other
 * component names (the kernel proper) are accepted and always present.
 */
static const struct rump_component {
	const char		*rc_name;
	const char *const	 rc_modules[4];	/* NULL-terminated */
} rump_components[] = {
	{ "rumpnet",		{ NULL } },
	{ "rumpnet_net",	{ NULL } },
	{ "rumpnet_netinet",	{ NULL } },	/* IPv4 is always present */
	{ "rumpnet_netinet6",	{ "inet6", "ip6", "tcp6", NULL } },
	{ "rumpnet_shmif",	{ "shmif", NULL } },
	{ "rumpnet_virtif",	{ "virtif", NULL } },
	{ "rumpnet_sockin",	{ "sockin", NULL } },
	{ "rumpdev",		{ NULL } },
	{ "rumpvfs",		{ NULL } },
};
#define RUMP_NCOMPONENTS \
	(sizeof(rump_components) / sizeof(rump_components[0]))
/* Room for every module of every component, "tcp", and the NULL. */
#define RUMP_MAXSKIP	(RUMP_NCOMPONENTS * 3 + 2)

/*
 * sockin takes PF_INET/PF_INET6 sockets over, so it is never part of a
 * kernel that did not ask for it: rump_init() leaves it out.
 */
static const char *const rump_default_skip[] = { "sockin", NULL };

/* "librumpnet_shmif.so" or "rumpnet_shmif": its index, or -1. */
static int
rump_component_lookup(const char *name)
{
	size_t n;

	if (strncmp(name, "lib", 3) == 0)
		name += 3;
	n = strlen(name);
	if (n > 3 && strcmp(name + n - 3, ".so") == 0)
		n -= 3;
	for (size_t i = 0; i < RUMP_NCOMPONENTS; i++)
		if (strlen(rump_components[i].rc_name) == n &&
		    strncmp(name, rump_components[i].rc_name, n) == 0)
			return (int)i;
	return -1;
}

static int
rump_boot(const char *const *skip)
{
	struct netstack_config nc = {
		.nc_flags = NETSTACK_REAL_CLOCK,
		.nc_skip = skip,
	};
	struct netstack *ns;
	struct proc *p;
	int rv;

	if (rump_ns != NULL)
		return 0;
	if ((rv = rumpuser_init(RUMPUSER_VERSION)) != 0)
		return rv;
	if ((rv = netstack_create_config("rump", &nc, &ns)) != 0)
		return rv;
	if ((rv = proc_create(ns, &p)) != 0) {
		netstack_destroy(ns);
		return rv;
	}
	rump_proc = p;
	rump_ns = ns;
	return 0;
}

int
rump_init(void)
{
	return rump_boot(rump_default_skip);
}

static bool
rump_component_is(int i, const char *name)
{
	return strcmp(rump_components[i].rc_name, name) == 0;
}

int
rump_init_components(const char *const *names)
{
	bool wanted[RUMP_NCOMPONENTS] = { false };
	const char *skip[RUMP_MAXSKIP];
	bool sockin = false, owninet = false;
	size_t nskip = 0;
	int i;

	if (names == NULL)
		return rump_boot(rump_default_skip);
	for (; *names != NULL; names++) {
		if ((i = rump_component_lookup(*names)) < 0)
			return EINVAL;
		wanted[i] = true;
		sockin |= rump_component_is(i, "rumpnet_sockin");
		owninet |= rump_component_is(i, "rumpnet_netinet") ||
		    rump_component_is(i, "rumpnet_netinet6");
	}
	/*
	 * sockin serves PF_INET/PF_INET6 sockets with host sockets; the
	 * kernel's own protocols would serve them too.  Refuse the pair;
	 * with sockin alone the own TCP is not started (IPv4 itself stays,
	 * for interface configuration).
	 */
	if (sockin && owninet)
		return EEXIST;
	if (sockin)
		skip[nskip++] = "tcp";
	for (size_t c = 0; c < RUMP_NCOMPONENTS; c++) {
		if (wanted[c])
			continue;
		for (const char *const *m = rump_components[c].rc_modules;
		    *m != NULL; m++)
			skip[nskip++] = *m;
	}
	skip[nskip] = NULL;
	return rump_boot(skip);
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
