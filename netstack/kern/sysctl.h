/*
 * sysctl.h -- the name-based configuration and statistics tree.
 *
 * Nodes are registered by full dotted name ("net.inet.ip.forwarding")
 * and point at a variable inside the instance's state.  Integer nodes
 * carry bounds; counter nodes are read-only 64-bit values.  The same
 * tree serves rump.sysctl and rump.netstat -s, locally and remotely.
 */
#ifndef _NETSTACK_KERN_SYSCTL_H_
#define _NETSTACK_KERN_SYSCTL_H_

#include "netstack/kern/kern.h"

struct netstack;

#define SYSCTL_NAMEMAX	96

enum sysctl_type {
	SYSCTL_INT,	/* int32_t, value bounded by [min, max] */
	SYSCTL_QUAD,	/* uint64_t (counters) */
	SYSCTL_STRING,	/* NUL-terminated char array of 'size' bytes */
};

#define SYSCTL_RW	0x1
#define SYSCTL_RO	0x0

struct sysctl_node {
	char		 sn_name[SYSCTL_NAMEMAX];
	enum sysctl_type sn_type;
	int		 sn_flags;
	void		*sn_ptr;
	size_t		 sn_size;	/* bytes at sn_ptr */
	int64_t		 sn_min, sn_max;
	const char	*sn_descr;
};

int sysctl_init(struct netstack *ns);
void sysctl_fini(struct netstack *ns);

/* Register nodes; names must be unique.  => 0, EEXIST, ENOMEM, EINVAL. */
int sysctl_add_int(struct netstack *ns, const char *name, int flags,
    int32_t *ptr, int32_t min, int32_t max, const char *descr);
int sysctl_add_quad(struct netstack *ns, const char *name, uint64_t *ptr,
    const char *descr);
int sysctl_add_string(struct netstack *ns, const char *name, int flags,
    char *ptr, size_t size, const char *descr);
/* Register one read-only counter per name: prefix.names[i] -> vals[i]. */
int sysctl_add_counters(struct netstack *ns, const char *prefix,
    const char *const *names, uint64_t *vals, unsigned n);
/* Remove every node whose name starts with prefix (module teardown). */
void sysctl_remove_prefix(struct netstack *ns, const char *prefix);

/*
 * Read and/or write a node, BSD sysctlbyname style: the old value is
 * copied to oldp (if non-NULL, *oldlenp bytes available; *oldlenp gets
 * the size), then newp (if non-NULL) is stored.  Integers travel as
 * int32_t or int64_t (either size is accepted for INT nodes on write),
 * counters as uint64_t, strings as NUL-terminated bytes.
 * => 0, ENOENT (no such node), EPERM (read-only), EINVAL (out of
 *    bounds, bad size), ENOMEM (old buffer too small).
 */
int sysctl_byname(struct netstack *ns, const char *name, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen);

/*
 * Enumerate in name order: the first node whose name sorts after 'prev'
 * (or the first node if prev is "" ) and starts with 'prefix'.
 * => the node or NULL.
 */
const struct sysctl_node *sysctl_next(struct netstack *ns, const char *prefix,
    const char *prev);

#endif /* _NETSTACK_KERN_SYSCTL_H_ */
