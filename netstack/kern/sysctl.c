/*
 * sysctl.c -- name-based configuration tree.
 *
 * Invariant: st_nodes[0 .. st_count) is sorted by sn_name (strcmp) and
 * names are unique, so lookups are binary searches and enumeration is a
 * walk in name order.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"

struct sysctl_tree {
	struct sysctl_node	*st_nodes;
	unsigned		 st_count;
	unsigned		 st_size;
};

int
sysctl_init(struct netstack *ns)
{
	ns->ns_sysctl = kmem_zalloc(sizeof(*ns->ns_sysctl));
	return 0;
}

void
sysctl_fini(struct netstack *ns)
{
	struct sysctl_tree *st = ns->ns_sysctl;

	if (st == NULL)
		return;
	kmem_free(st->st_nodes, st->st_size * sizeof(st->st_nodes[0]));
	kmem_free(st, sizeof(*st));
	ns->ns_sysctl = NULL;
}

/* => index of name, or the insertion point with *found = false. */
static unsigned
sysctl_search(const struct sysctl_tree *st, const char *name, bool *found)
{
	unsigned lo = 0, hi = st->st_count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c = strcmp(st->st_nodes[mid].sn_name, name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static int
sysctl_insert(struct netstack *ns, const struct sysctl_node *node)
{
	struct sysctl_tree *st = ns->ns_sysctl;
	unsigned i;
	bool found;

	if (strlen(node->sn_name) == 0 || node->sn_name[0] == '.')
		return EINVAL;
	i = sysctl_search(st, node->sn_name, &found);
	if (found)
		return EEXIST;
	if (st->st_count == st->st_size) {
		unsigned nsize = st->st_size ? st->st_size * 2 : 128;
		struct sysctl_node *n = kmem_alloc(nsize * sizeof(*n));

		if (st->st_count > 0)
			memcpy(n, st->st_nodes, st->st_count * sizeof(*n));
		kmem_free(st->st_nodes, st->st_size * sizeof(*n));
		st->st_nodes = n;
		st->st_size = nsize;
	}
	memmove(&st->st_nodes[i + 1], &st->st_nodes[i],
	    (st->st_count - i) * sizeof(st->st_nodes[0]));
	st->st_nodes[i] = *node;
	st->st_count++;
	return 0;
}

static int
sysctl_mknode(struct sysctl_node *n, const char *name, enum sysctl_type type,
    int flags, void *ptr, size_t size, const char *descr)
{
	size_t len = strlen(name);

	if (len >= sizeof(n->sn_name))
		return EINVAL;
	memset(n, 0, sizeof(*n));
	memcpy(n->sn_name, name, len + 1);
	n->sn_type = type;
	n->sn_flags = flags;
	n->sn_ptr = ptr;
	n->sn_size = size;
	n->sn_descr = descr;
	return 0;
}

int
sysctl_add_int(struct netstack *ns, const char *name, int flags,
    int32_t *ptr, int32_t min, int32_t max, const char *descr)
{
	struct sysctl_node n;
	int rv;

	if ((rv = sysctl_mknode(&n, name, SYSCTL_INT, flags, ptr,
	    sizeof(*ptr), descr)) != 0)
		return rv;
	n.sn_min = min;
	n.sn_max = max;
	return sysctl_insert(ns, &n);
}

int
sysctl_add_quad(struct netstack *ns, const char *name, uint64_t *ptr,
    const char *descr)
{
	struct sysctl_node n;
	int rv;

	if ((rv = sysctl_mknode(&n, name, SYSCTL_QUAD, SYSCTL_RO, ptr,
	    sizeof(*ptr), descr)) != 0)
		return rv;
	return sysctl_insert(ns, &n);
}

int
sysctl_add_string(struct netstack *ns, const char *name, int flags,
    char *ptr, size_t size, const char *descr)
{
	struct sysctl_node n;
	int rv;

	if (size == 0)
		return EINVAL;
	if ((rv = sysctl_mknode(&n, name, SYSCTL_STRING, flags, ptr, size,
	    descr)) != 0)
		return rv;
	return sysctl_insert(ns, &n);
}

int
sysctl_add_counters(struct netstack *ns, const char *prefix,
    const char *const *names, uint64_t *vals, unsigned n)
{
	char full[SYSCTL_NAMEMAX];
	int rv;

	for (unsigned i = 0; i < n; i++) {
		if ((size_t)ksnprintf(full, sizeof(full), "%s.%s", prefix,
		    names[i]) >= sizeof(full))
			return EINVAL;
		if ((rv = sysctl_add_quad(ns, full, &vals[i], NULL)) != 0)
			return rv;
	}
	return 0;
}

/* Does name lie at or below prefix in the tree ("" matches all)? */
static bool
sysctl_under(const char *name, const char *prefix)
{
	size_t plen = strlen(prefix);

	if (plen == 0)
		return true;
	return strncmp(name, prefix, plen) == 0 &&
	    (name[plen] == '\0' || name[plen] == '.');
}

void
sysctl_remove_prefix(struct netstack *ns, const char *prefix)
{
	struct sysctl_tree *st = ns->ns_sysctl;
	unsigned i, j;

	for (i = j = 0; i < st->st_count; i++) {
		if (sysctl_under(st->st_nodes[i].sn_name, prefix))
			continue;
		st->st_nodes[j++] = st->st_nodes[i];
	}
	st->st_count = j;
}

static int
sysctl_read(const struct sysctl_node *n, void *oldp, size_t *oldlenp)
{
	size_t need;

	if (n->sn_type == SYSCTL_STRING)
		need = strnlen(n->sn_ptr, n->sn_size - 1) + 1;
	else
		need = n->sn_size;
	if (oldp == NULL) {
		if (oldlenp != NULL)
			*oldlenp = need;
		return 0;
	}
	if (oldlenp == NULL)
		return EINVAL;
	if (*oldlenp < need) {
		*oldlenp = need;
		return ENOMEM;
	}
	if (n->sn_type == SYSCTL_STRING) {
		memcpy(oldp, n->sn_ptr, need - 1);
		((char *)oldp)[need - 1] = '\0';
	} else
		memcpy(oldp, n->sn_ptr, need);
	*oldlenp = need;
	return 0;
}

static int
sysctl_write(const struct sysctl_node *n, const void *newp, size_t newlen)
{
	int64_t v;

	if (!(n->sn_flags & SYSCTL_RW))
		return EPERM;
	switch (n->sn_type) {
	case SYSCTL_INT:
		if (newlen == sizeof(int32_t)) {
			int32_t v32;
			memcpy(&v32, newp, sizeof(v32));
			v = v32;
		} else if (newlen == sizeof(int64_t))
			memcpy(&v, newp, sizeof(v));
		else
			return EINVAL;
		if (v < n->sn_min || v > n->sn_max)
			return EINVAL;
		*(int32_t *)n->sn_ptr = (int32_t)v;
		return 0;
	case SYSCTL_STRING: {
		/* Accept the string with or without its NUL, nothing after. */
		size_t len = strnlen(newp, newlen);

		if (len + 1 < newlen || len >= n->sn_size)
			return EINVAL;
		memcpy(n->sn_ptr, newp, len);
		((char *)n->sn_ptr)[len] = '\0';
		return 0;
	}
	case SYSCTL_QUAD:
		break;
	}
	return EPERM;
}

int
sysctl_byname(struct netstack *ns, const char *name, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen)
{
	struct sysctl_tree *st = ns->ns_sysctl;
	const struct sysctl_node *n;
	unsigned i;
	bool found;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	i = sysctl_search(st, name, &found);
	if (!found)
		return ENOENT;
	n = &st->st_nodes[i];
	if (newp != NULL && !(n->sn_flags & SYSCTL_RW))
		return EPERM;
	if ((oldp != NULL || oldlenp != NULL) &&
	    (rv = sysctl_read(n, oldp, oldlenp)) != 0)
		return rv;
	if (newp != NULL)
		return sysctl_write(n, newp, newlen);
	return 0;
}

const struct sysctl_node *
sysctl_next(struct netstack *ns, const char *prefix, const char *prev)
{
	struct sysctl_tree *st = ns->ns_sysctl;
	unsigned i;
	bool found;

	i = sysctl_search(st, prev, &found);
	if (found)
		i++;
	for (; i < st->st_count; i++)
		if (sysctl_under(st->st_nodes[i].sn_name, prefix))
			return &st->st_nodes[i];
	return NULL;
}
