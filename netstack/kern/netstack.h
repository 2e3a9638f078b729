/*
 * netstack.h -- one kernel instance.
 *
 * All mutable state of a kernel hangs off one struct netstack: the kernel
 * lock, the clock, callouts, the sysctl tree, and one state pointer per
 * module (interfaces, routes, protocol control blocks, counters).  A
 * process normally runs one instance (rump_init()); tests may run several
 * side by side, each with a virtual clock.
 *
 * Lock legend for members of the structures in netstack/:
 *   [I] immutable after creation      [K] kernel lock (ns_klock)
 *   [a] atomic access                 [B] shmif bus lock
 *   [C] callout-thread private
 */
#ifndef _NETSTACK_KERN_NETSTACK_H_
#define _NETSTACK_KERN_NETSTACK_H_

#include "netstack/kern/kern.h"
#include "netstack/kern/klock.h"
#include "netstack/kern/callout.h"

struct sysctl_tree;
struct netstack_module;

/*
 * Module slots.  Each module owns one opaque state pointer, set by its
 * init function and released by its fini.  The order is the start-up
 * order; teardown runs in reverse.
 */
enum netstack_modid {
	NSMOD_SOCKET,		/* socket layer, descriptor tables */
	NSMOD_IF,		/* interfaces, loopback */
	NSMOD_ROUTE,		/* routing table */
	NSMOD_ARP,
	NSMOD_IP,
	NSMOD_ICMP,
	NSMOD_UDP,
	NSMOD_TCP,
	NSMOD_IP6,
	NSMOD_ICMP6,
	NSMOD_ND6,
	NSMOD_SHMIF,
	NSMOD_VIRTIF,
	NSMOD_SOCKIN,		/* host-socket backend */
	NSMOD_MAX
};

struct netstack {
	char			 ns_name[32];	/* [I] for messages */
	struct klock		 ns_klock;	/* the kernel lock */

	/* Clock: nanoseconds since this instance booted. */
	bool			 ns_virtual;	/* [I] clock is driven by hand */
	uint64_t		 ns_boot;	/* [I] host MONO at boot */
	uint64_t		 ns_now;	/* [K] refreshed at lock entry */

	struct callout_queue	 ns_callouts;	/* [K] */
	struct kcondvar		 ns_softclock_cv; /* wakes the callout thread */
	struct rumpuser_thread	*ns_softclock;	/* [I] NULL on a virtual clock */
	bool			 ns_dying;	/* [K] */

	struct sysctl_tree	*ns_sysctl;	/* [K] */
	char			 ns_hostname[64]; /* [K] kern.hostname */
	void			*ns_mod[NSMOD_MAX]; /* [K] module state */
	uint32_t		 ns_started;	/* [K] bit i: module i of the
						 * start-up list is running */
};

/* Module registration: a static table in netstack.c lists the modules. */
struct netstack_module {
	const char	*nm_name;
	/* => 0 or errno; on error every module initialised so far is
	 * finalised in reverse order. */
	int		(*nm_init)(struct netstack *);
	void		(*nm_fini)(struct netstack *);
	/* Optional modules this one needs (NULL-terminated, or NULL): if
	 * one of them does not run, this module is not started either. */
	const char *const *nm_requires;
};

#define NETSTACK_REAL_CLOCK	0x0
#define NETSTACK_VIRTUAL_CLOCK	0x1

/*
 * Create an instance.  With NETSTACK_VIRTUAL_CLOCK no threads are
 * started and time only moves through netstack_clock_advance().
 * => 0 and *nsp, or an errno.
 */
int netstack_create(const char *name, int flags, struct netstack **nsp);

/*
 * Creation with a choice of modules.  nc_skip is NULL or a NULL-terminated
 * list of module names (nm_name) not to start; a module that requires a
 * skipped or absent module is skipped too.  Only optional modules may be
 * skipped: naming one of the kernel proper (kern, socket, if, route, inet,
 * ip) gives EINVAL; a name no linked module has is ignored.
 */
struct netstack_config {
	int			 nc_flags;	/* NETSTACK_*_CLOCK */
	const char *const	*nc_skip;
};
int netstack_create_config(const char *name,
    const struct netstack_config *nc, struct netstack **nsp);
/* Whether the module named so was started on this instance. */
bool netstack_module_running(const struct netstack *ns, const char *name);
/* Tear down; everything the instance owns is freed (only the modules
 * that were started are finalised). */
void netstack_destroy(struct netstack *ns);

/* Virtual clock: move time forward and run the callouts that became due
 * (each with the kernel lock held).  Caller must not hold the lock. */
void netstack_clock_advance(struct netstack *ns, uint64_t ns_delta);
/* Run callouts due now (virtual or real clock); lock not held. */
void netstack_run_callouts(struct netstack *ns);

/* Nanoseconds since boot, valid with the kernel lock held. */
static inline uint64_t
netstack_now(const struct netstack *ns)
{
	return ns->ns_now;
}

/* Refresh ns_now from the host clock (real clocks only); lock held. */
void netstack_tick(struct netstack *ns);

#define NS_MS(x)	((uint64_t)(x) * 1000000ull)
#define NS_SEC(x)	((uint64_t)(x) * 1000000000ull)

#endif /* _NETSTACK_KERN_NETSTACK_H_ */
