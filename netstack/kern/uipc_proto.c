/*
 * uipc_proto.c -- the protocol switch and domain control registries,
 * and the socket module (socket layer state of an instance).
 *
 * The socket module starts before every protocol module, so protocols
 * register their switches (proto_register) and control functions
 * (domain_control_register) from their init.  A protocol module calls
 * proto_unregister at the start of its fini: the socket layer then
 * detaches every socket still using the switch and never calls it
 * again, so the module may free its state.
 */
#include "netstack/kern/socket_private.h"
#include "netstack/kern/sysctl.h"
#include "netstack/kern/modules.h"

/* Linux's SOCK_MAX and NPROTO: larger values are refused early. */
#define SOCK_TYPE_MAX	11

/* Exclusive and ordinary switches of a domain never conflict. */
static bool
proto_sameclass(const struct protosw *a, const struct protosw *b)
{
	return ((a->pr_flags ^ b->pr_flags) & PR_EXCLUSIVE) == 0;
}

static bool
proto_same(const struct protosw *a, const struct protosw *b)
{
	return a->pr_domain == b->pr_domain && a->pr_type == b->pr_type &&
	    a->pr_protocol == b->pr_protocol && proto_sameclass(a, b);
}

/* Does an exclusive switch own the domain? */
static bool
proto_domain_owned(const struct socket_state *ss, int domain)
{
	for (unsigned i = 0; i < ss->ss_nprotos; i++)
		if (ss->ss_protos[i].pe_pr->pr_domain == domain &&
		    (ss->ss_protos[i].pe_pr->pr_flags & PR_EXCLUSIVE))
			return true;
	return false;
}

int
proto_register(struct netstack *ns, const struct protosw *pr,
    bool isdefault)
{
	struct socket_state *ss = socket_state(ns);
	unsigned i;

	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ss != NULL);
	if (pr->pr_attach == NULL || pr->pr_detach == NULL ||
	    pr->pr_type < 0 || pr->pr_type >= SOCK_TYPE_MAX)
		return EINVAL;
	for (i = 0; i < ss->ss_nprotos; i++) {
		const struct protoent *pe = &ss->ss_protos[i];

		if (proto_same(pe->pe_pr, pr))
			return EEXIST;
		if (isdefault && pe->pe_default &&
		    pe->pe_pr->pr_domain == pr->pr_domain &&
		    pe->pe_pr->pr_type == pr->pr_type &&
		    proto_sameclass(pe->pe_pr, pr))
			return EEXIST;
	}
	if (ss->ss_nprotos == ss->ss_protosize) {
		unsigned nsize = ss->ss_protosize ? ss->ss_protosize * 2 : 16;
		struct protoent *n = kmem_zalloc(nsize * sizeof(*n));

		if (ss->ss_nprotos > 0)
			memcpy(n, ss->ss_protos, ss->ss_nprotos * sizeof(*n));
		kmem_free(ss->ss_protos, ss->ss_protosize * sizeof(*n));
		ss->ss_protos = n;
		ss->ss_protosize = nsize;
	}
	ss->ss_protos[ss->ss_nprotos].pe_pr = pr;
	ss->ss_protos[ss->ss_nprotos].pe_default = isdefault;
	ss->ss_nprotos++;
	return 0;
}

/* The first socket of pr not yet detached. */
static struct socket *
proto_next_attached(struct socket_state *ss, const struct protosw *pr)
{
	struct sockpriv *sp;

	for (sp = ss->ss_sockets; sp != NULL; sp = sp->sp_next)
		if (sp->sp_so.so_proto == pr && !(sp->sp_flags & SP_DETACHED))
			return &sp->sp_so;
	return NULL;
}

void
proto_unregister(struct netstack *ns, const struct protosw *pr)
{
	struct socket_state *ss = socket_state(ns);
	struct socket *so;
	unsigned i;

	KASSERT(klock_held(&ns->ns_klock));
	if (ss == NULL)
		return;
	for (i = 0; i < ss->ss_nprotos; i++)
		if (ss->ss_protos[i].pe_pr == pr)
			break;
	if (i == ss->ss_nprotos)
		return;
	memmove(&ss->ss_protos[i], &ss->ss_protos[i + 1],
	    (ss->ss_nprotos - i - 1) * sizeof(ss->ss_protos[0]));
	ss->ss_nprotos--;

	/*
	 * Sockets still attached lose their protocol now, while it can
	 * still answer; later calls on them fail with EOPNOTSUPP.  A
	 * detach may free other sockets (soabort_embryonic), so each round
	 * starts over.  Closed sockets the protocol still holds (so_pcb
	 * left set by pr_detach) are its own to release with sofree.
	 */
	while ((so = proto_next_attached(ss, pr)) != NULL) {
		struct sockpriv *sp = sotopriv(so);

		sp->sp_flags |= SP_DETACHED | SP_DEFUNCT;
		socantsendmore(so);
		socantrcvmore(so);
		(*pr->pr_detach)(so);
	}
}

const struct protosw *
proto_lookup(struct netstack *ns, int domain, int type, int protocol,
    int *errp)
{
	struct socket_state *ss = socket_state(ns);
	const struct protosw *dflt = NULL, *wild = NULL;
	bool family = false, typematch = false, owned;
	unsigned i;

	KASSERT(klock_held(&ns->ns_klock));
	owned = proto_domain_owned(ss, domain);
	for (i = 0; i < ss->ss_nprotos; i++) {
		const struct protoent *pe = &ss->ss_protos[i];
		const struct protosw *pr = pe->pe_pr;

		if (pr->pr_domain != domain)
			continue;
		if (owned && !(pr->pr_flags & PR_EXCLUSIVE))
			continue;
		family = true;
		if (pr->pr_type != type)
			continue;
		typematch = true;
		if (protocol != 0 && pr->pr_protocol == protocol)
			return pr;
		if (protocol == 0 && pe->pe_default && dflt == NULL)
			dflt = pr;
		if (protocol != 0 && pr->pr_protocol == 0 && wild == NULL)
			wild = pr;
	}
	if (protocol == 0 && dflt != NULL)
		return dflt;
	if (wild != NULL)
		return wild;
	/* Linux's answers: no such family, type, or protocol. */
	*errp = !family ? EAFNOSUPPORT : !typematch ? ESOCKTNOSUPPORT :
	    EPROTONOSUPPORT;
	return NULL;
}

/* ---------------------------------------------------- domain control */

int
domain_control_register(struct netstack *ns, int family,
    domain_control_fn fn)
{
	struct socket_state *ss = socket_state(ns);
	struct domainent *slot = NULL;

	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ss != NULL);
	for (unsigned i = 0; i < SOCK_MAXDOMAINS; i++) {
		struct domainent *de = &ss->ss_domains[i];

		if (de->de_fn != NULL && de->de_family == family) {
			if (fn != NULL)
				return EEXIST;
			de->de_fn = NULL;	/* unregister */
			return 0;
		}
		if (de->de_fn == NULL && slot == NULL)
			slot = de;
	}
	if (fn == NULL)
		return 0;
	if (slot == NULL)
		return ENOSPC;
	slot->de_family = family;
	slot->de_fn = fn;
	return 0;
}

domain_control_fn
domain_control_lookup(struct netstack *ns, int family)
{
	struct socket_state *ss = socket_state(ns);

	if (ss == NULL)
		return NULL;
	for (unsigned i = 0; i < SOCK_MAXDOMAINS; i++)
		if (ss->ss_domains[i].de_fn != NULL &&
		    ss->ss_domains[i].de_family == family)
			return ss->ss_domains[i].de_fn;
	return NULL;
}

/* ------------------------------------------------------------ module */

static void socket_fini(struct netstack *ns);

static int
socket_init(struct netstack *ns)
{
	struct socket_state *ss;
	int rv;

	ss = kmem_zalloc(sizeof(*ss));
	if ((rv = kcondvar_init(&ss->ss_pollcv)) != 0) {
		kmem_free(ss, sizeof(*ss));
		return rv;
	}
	ss->ss_somaxconn = 128;
	ss->ss_sbmax = (int32_t)SB_MAX_DEFAULT;
	ns->ns_mod[NSMOD_SOCKET] = ss;
	if ((rv = sysctl_add_int(ns, "kern.somaxconn", SYSCTL_RW,
	    &ss->ss_somaxconn, 1, 65535, "largest listen() backlog")) != 0 ||
	    (rv = sysctl_add_int(ns, "kern.sbmax", SYSCTL_RW, &ss->ss_sbmax,
	    64 * 1024, 64 * 1024 * 1024,
	    "largest SO_SNDBUF/SO_RCVBUF")) != 0) {
		socket_fini(ns);
		return rv;
	}
	return 0;
}

/*
 * Runs after every protocol module has stopped: processes left over are
 * destroyed (closing their descriptors), then any socket a protocol
 * failed to release is freed without calling it.
 */
static void
socket_fini(struct netstack *ns)
{
	struct socket_state *ss = socket_state(ns);

	if (ss == NULL)
		return;
	proc_destroy_all(ns);
	while (ss->ss_sockets != NULL)
		sodestroy(&ss->ss_sockets->sp_so);
	KASSERT(ss->ss_nsockets == 0);
	sysctl_remove_prefix(ns, "kern.somaxconn");
	sysctl_remove_prefix(ns, "kern.sbmax");
	kmem_free(ss->ss_protos, ss->ss_protosize * sizeof(ss->ss_protos[0]));
	kcondvar_destroy(&ss->ss_pollcv);
	kmem_free(ss, sizeof(*ss));
	ns->ns_mod[NSMOD_SOCKET] = NULL;
}

const struct netstack_module socket_module = {
	.nm_name = "socket",
	.nm_init = socket_init,
	.nm_fini = socket_fini,
};
