/*
 * netstack.c -- creating and destroying kernel instances, the clock and
 * the callout thread.
 */
#include "config.h"

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"


/*
 * Modules in start-up order.  A module's init may rely on every module
 * before it; teardown runs in reverse.
 */
static const struct netstack_module *const netstack_modules[] = {
	NETSTACK_MODULE_LIST
};
_Static_assert(nitems(netstack_modules) <= 32,
    "ns_started has one bit per module");

/* The kernel proper: modules netstack_create_config() never skips. */
static const char *const netstack_core[] = {
	"kern", "socket", "if", "route", "inet", "ip",
};

static bool
netstack_name_in(const char *name, const char *const *list)
{
	if (list == NULL)
		return false;
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

bool
netstack_module_running(const struct netstack *ns, const char *name)
{
	for (size_t i = 0; i < nitems(netstack_modules); i++) {
		const struct netstack_module *nm = netstack_modules[i];

		if (nm != NULL && (ns->ns_started & (1u << i)) != 0 &&
		    strcmp(nm->nm_name, name) == 0)
			return true;
	}
	return false;
}

/* May module nm start, given the skip list and what runs already? */
static bool
netstack_module_wanted(const struct netstack *ns,
    const struct netstack_module *nm, const char *const *skip)
{
	if (netstack_name_in(nm->nm_name, skip))
		return false;
	if (nm->nm_requires != NULL)
		for (const char *const *r = nm->nm_requires; *r != NULL; r++)
			if (!netstack_module_running(ns, *r))
				return false;
	return true;
}

/* The kern module: identity nodes of the sysctl tree. */
static char kern_ostype[] = "rumpnet";
static char kern_osrelease[] = PACKAGE_VERSION;

static int
kern_init(struct netstack *ns)
{
	int rv;

	ksnprintf(ns->ns_hostname, sizeof(ns->ns_hostname), "%s", ns->ns_name);
	if ((rv = sysctl_add_string(ns, "kern.hostname", SYSCTL_RW,
	    ns->ns_hostname, sizeof(ns->ns_hostname), "host name")) != 0 ||
	    (rv = sysctl_add_string(ns, "kern.ostype", SYSCTL_RO, kern_ostype,
	    sizeof(kern_ostype), "operating system type")) != 0 ||
	    (rv = sysctl_add_string(ns, "kern.osrelease", SYSCTL_RO,
	    kern_osrelease, sizeof(kern_osrelease), "release")) != 0)
		return rv;
	return 0;
}

static void
kern_fini(struct netstack *ns)
{
	sysctl_remove_prefix(ns, "kern");
}

const struct netstack_module kern_module = {
	.nm_name = "kern",
	.nm_init = kern_init,
	.nm_fini = kern_fini,
};

static void *
netstack_softclock(void *arg)
{
	struct netstack *ns = arg;

	klock_enter(&ns->ns_klock);
	while (!ns->ns_dying) {
		uint64_t next;

		netstack_tick(ns);
		callout_run(ns);
		next = callout_next(ns);
		klock_sleep(&ns->ns_klock, &ns->ns_softclock_cv,
		    next == UINT64_MAX ? 0 : ns->ns_boot + next);
	}
	klock_exit(&ns->ns_klock);
	return NULL;
}

void
netstack_tick(struct netstack *ns)
{
	KASSERT(klock_held(&ns->ns_klock));
	if (!ns->ns_virtual)
		ns->ns_now = rumpuser_clock_now(RUMPUSER_CLOCK_MONO) -
		    ns->ns_boot;
}

/* Finalise, in reverse order, the started modules among the first n. */
static void
netstack_fini_modules(struct netstack *ns, size_t n)
{
	while (n-- > 0) {
		const struct netstack_module *nm = netstack_modules[n];

		if (nm == NULL || (ns->ns_started & (1u << n)) == 0)
			continue;
		if (nm->nm_fini != NULL)
			(*nm->nm_fini)(ns);
		ns->ns_started &= ~(1u << n);
	}
}

int
netstack_create(const char *name, int flags, struct netstack **nsp)
{
	struct netstack_config nc = { .nc_flags = flags, .nc_skip = NULL };

	return netstack_create_config(name, &nc, nsp);
}

int
netstack_create_config(const char *name, const struct netstack_config *nc,
    struct netstack **nsp)
{
	const char *const *skip = nc->nc_skip;
	struct netstack *ns;
	size_t i;
	int rv;

	for (i = 0; i < nitems(netstack_core); i++)
		if (netstack_name_in(netstack_core[i], skip))
			return EINVAL;

	ns = kmem_zalloc(sizeof(*ns));
	ksnprintf(ns->ns_name, sizeof(ns->ns_name), "%s", name ? name : "rump");
	ns->ns_virtual = (nc->nc_flags & NETSTACK_VIRTUAL_CLOCK) != 0;
	ns->ns_boot = rumpuser_clock_now(RUMPUSER_CLOCK_MONO);
	/* Virtual clocks start at 1 s so "time 0" never means "unset". */
	ns->ns_now = ns->ns_virtual ? NS_SEC(1) : 0;
	if ((rv = klock_init(&ns->ns_klock)) != 0) {
		kmem_free(ns, sizeof(*ns));
		return rv;
	}
	if ((rv = kcondvar_init(&ns->ns_softclock_cv)) != 0)
		goto fail_lock;
	callout_queue_init(&ns->ns_callouts);
	sysctl_init(ns);

	klock_enter(&ns->ns_klock);
	for (i = 0; i < nitems(netstack_modules); i++) {
		const struct netstack_module *nm = netstack_modules[i];

		if (nm == NULL)		/* not linked in */
			continue;
		if (!netstack_module_wanted(ns, nm, skip))
			continue;
		if ((rv = (*nm->nm_init)(ns)) != 0) {
			kprintf("%s: module %s failed to start: error %d\n",
			    ns->ns_name, nm->nm_name, rv);
			netstack_fini_modules(ns, i);
			klock_exit(&ns->ns_klock);
			goto fail_cv;
		}
		ns->ns_started |= 1u << i;
	}
	klock_exit(&ns->ns_klock);

	if (!ns->ns_virtual) {
		rv = rumpuser_thread_create(netstack_softclock, ns,
		    "softclock", &ns->ns_softclock);
		if (rv != 0) {
			klock_enter(&ns->ns_klock);
			netstack_fini_modules(ns, nitems(netstack_modules));
			klock_exit(&ns->ns_klock);
			goto fail_cv;
		}
	}
	*nsp = ns;
	return 0;

fail_cv:
	sysctl_fini(ns);
	callout_queue_fini(&ns->ns_callouts);
	kcondvar_destroy(&ns->ns_softclock_cv);
fail_lock:
	klock_destroy(&ns->ns_klock);
	kmem_free(ns, sizeof(*ns));
	return rv;
}

void
netstack_destroy(struct netstack *ns)
{
	klock_enter(&ns->ns_klock);
	ns->ns_dying = true;
	kcondvar_broadcast(&ns->ns_softclock_cv);
	klock_exit(&ns->ns_klock);
	if (ns->ns_softclock != NULL)
		rumpuser_thread_join(ns->ns_softclock);

	klock_enter(&ns->ns_klock);
	netstack_fini_modules(ns, nitems(netstack_modules));
	klock_exit(&ns->ns_klock);

	sysctl_fini(ns);
	callout_queue_fini(&ns->ns_callouts);
	kcondvar_destroy(&ns->ns_softclock_cv);
	klock_destroy(&ns->ns_klock);
	kmem_free(ns, sizeof(*ns));
}

void
netstack_clock_advance(struct netstack *ns, uint64_t delta)
{
	uint64_t target;

	klock_enter(&ns->ns_klock);
	KASSERT(ns->ns_virtual);
	target = ns->ns_now + delta;
	/* Step through each deadline so callouts see their own time. */
	for (;;) {
		uint64_t next = callout_next(ns);

		if (next > target)
			break;
		if (next > ns->ns_now)
			ns->ns_now = next;
		callout_run(ns);
	}
	ns->ns_now = target;
	klock_exit(&ns->ns_klock);
}

void
netstack_run_callouts(struct netstack *ns)
{
	klock_enter(&ns->ns_klock);
	netstack_tick(ns);
	callout_run(ns);
	klock_exit(&ns->ns_klock);
}
