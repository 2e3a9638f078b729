/*
 * in_pcb.c -- Internet protocol control blocks and their tables (the
 * rules are described in in_pcb.h).
 */
#include "netstack/netinet/in_pcb.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/ip_var.h"
#include "rumpnet/rump_net.h"
#include "netstack/kern/socketvar.h"

/* The v4-mapped IPv6 prefix ::ffff:0:0/96 (RFC 4291 2.5.5.2). */
static const uint8_t in_v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static bool
in6_isunspec(const struct kin6_addr *a)
{
	static const struct kin6_addr zero;

	return memcmp(a, &zero, sizeof(zero)) == 0;
}

/*
 * An IPv6 address as seen by IPv4: the wildcard for ::, the embedded
 * address for ::ffff:a.b.c.d.  => false if it names no IPv4 address.
 */
static bool
in6_tov4(const struct kin6_addr *a, uint32_t *v4)
{
	if (in6_isunspec(a)) {
		*v4 = 0;
		return true;
	}
	if (memcmp(a->s6_addr, in_v4mapped_prefix, 12) != 0)
		return false;
	memcpy(v4, &a->s6_addr[12], 4);
	return true;
}

/*
 * The IPv4 view of a PCB's local and foreign addresses.  => false if
 * the PCB takes no IPv4 traffic (an IPv6-only or native-IPv6 one).
 */
static bool
inp_v4view(const struct inpcb *inp, uint32_t *la, uint32_t *fa)
{
	if (inp->inp_af == AF_INET) {
		*la = inp->inp_laddr;
		*fa = inp->inp_faddr;
		return true;
	}
	if (inp->inp_flags & INP_V6ONLY)
		return false;
	return in6_tov4(&inp->inp_laddr6, la) && in6_tov4(&inp->inp_faddr6, fa);
}

static unsigned
in_pcbhash(uint16_t lport)
{
	unsigned p = ntohs(lport);

	return (p ^ (p >> 6)) & (INP_HASHSIZE - 1);
}

void
in_pcbhash_insert(struct inpcb *inp)
{
	struct inpcbtable *t = inp->inp_table;
	struct inpcb **head = &t->inpt_hash[in_pcbhash(inp->inp_lport)];

	KASSERT(!(inp->inp_flags & INP_HASHED));
	inp->inp_hnext = *head;
	if (*head != NULL)
		(*head)->inp_hpprev = &inp->inp_hnext;
	*head = inp;
	inp->inp_hpprev = head;
	inp->inp_flags |= INP_HASHED;
}

void
in_pcbhash_remove(struct inpcb *inp)
{
	if (!(inp->inp_flags & INP_HASHED))
		return;
	*inp->inp_hpprev = inp->inp_hnext;
	if (inp->inp_hnext != NULL)
		inp->inp_hnext->inp_hpprev = inp->inp_hpprev;
	inp->inp_hnext = NULL;
	inp->inp_hpprev = NULL;
	inp->inp_flags &= ~INP_HASHED;
}

void
in_pcbtable_init(struct inpcbtable *t, struct netstack *ns, const char *name)
{
	struct ip_state *ips = ip_state(ns);

	memset(t, 0, sizeof(*t));
	t->inpt_ns = ns;
	t->inpt_name = name;
	if (ips != NULL) {
		t->inpt_nexttab = ips->ips_pcbtables;
		ips->ips_pcbtables = t;
		t->inpt_listed = true;
	}
}

static void
in_pcbtable_unlist(struct inpcbtable *t)
{
	struct inpcbtable **tp;

	if (!t->inpt_listed)
		return;
	for (tp = &ip_state(t->inpt_ns)->ips_pcbtables; *tp != NULL;
	    tp = &(*tp)->inpt_nexttab) {
		if (*tp == t) {
			*tp = t->inpt_nexttab;
			break;
		}
	}
	t->inpt_listed = false;
}

void
in_pcbtable_fini(struct inpcbtable *t)
{
	while (t->inpt_list != NULL)
		in_pcbfree(t->inpt_list);
	KASSERT(t->inpt_count == 0);
	in_pcbtable_unlist(t);
}

int
in_pcballoc(struct inpcbtable *t, struct socket *so, int af,
    struct inpcb **inpp)
{
	struct inpcb *inp;

	KASSERT(klock_held(&t->inpt_ns->ns_klock));
	inp = kmem_zalloc(sizeof(*inp));
	inp->inp_table = t;
	inp->inp_socket = so;
	inp->inp_af = af;
	inp->inp_ttl = -1;
	inp->inp_next = t->inpt_list;
	if (t->inpt_list != NULL)
		t->inpt_list->inp_pprev = &inp->inp_next;
	t->inpt_list = inp;
	inp->inp_pprev = &t->inpt_list;
	t->inpt_count++;
	if (so != NULL)
		so->so_pcb = inp;
	*inpp = inp;
	return 0;
}

void
in_pcbfree(struct inpcb *inp)
{
	struct inpcbtable *t = inp->inp_table;

	KASSERT(klock_held(&t->inpt_ns->ns_klock));
	in_pcbhash_remove(inp);
	*inp->inp_pprev = inp->inp_next;
	if (inp->inp_next != NULL)
		inp->inp_next->inp_pprev = inp->inp_pprev;
	t->inpt_count--;
	if (inp->inp_socket != NULL && inp->inp_socket->so_pcb == inp)
		inp->inp_socket->so_pcb = NULL;
	kmem_free(inp, sizeof(*inp));
}

static int
inp_sooptions(const struct inpcb *inp)
{
	return inp->inp_socket != NULL ? inp->inp_socket->so_options : 0;
}

/*
 * Would binding 'self' to (laddr, lport) clash with another PCB?  The
 * rules are in in_pcb.h.
 */
static bool
in_pcbconflict(const struct inpcb *self, uint32_t laddr, uint16_t lport)
{
	const struct inpcbtable *t = self->inp_table;
	int opts = inp_sooptions(self);
	const int reuse = SO_OPT_REUSEADDR | SO_OPT_REUSEPORT;

	for (const struct inpcb *inp = t->inpt_hash[in_pcbhash(lport)];
	    inp != NULL; inp = inp->inp_hnext) {
		uint32_t la, fa;
		int other;

		if (inp == self || inp->inp_lport != lport)
			continue;
		if (!inp_v4view(inp, &la, &fa))
			continue;
		if (la != 0 && laddr != 0 && la != laddr)
			continue;		/* no overlap */
		other = inp_sooptions(inp);
		if ((opts & other & SO_OPT_REUSEPORT) != 0)
			continue;
		if (in_multicast(laddr) && (opts & reuse) && (other & reuse))
			continue;
		if (opts & SO_OPT_REUSEADDR) {
			/* Only the very same, unconnected binding clashes. */
			if (la != laddr || fa != 0 || inp->inp_fport != 0)
				continue;
		}
		return true;
	}
	return false;
}

void
in_pcbdetach(struct socket *so)
{
	if (so->so_pcb != NULL)
		in_pcbfree(so->so_pcb);
}

int
in_pcbbind(struct inpcb *inp, uint32_t laddr, uint16_t lport)
{
	struct netstack *ns = inp->inp_table->inpt_ns;

	KASSERT(klock_held(&ns->ns_klock));
	if (inp->inp_lport != 0 || (inp->inp_flags & INP_HASHED))
		return EINVAL;
	if (laddr != KINADDR_ANY && laddr != KINADDR_BROADCAST &&
	    !in_multicast(laddr) && !in_islocal(ns, laddr))
		return EADDRNOTAVAIL;

	if (lport == 0) {
		/* RFC 6056 algorithm 1: probe from a random point. */
		const uint32_t first = IPPORT_EPHEMERALFIRST;
		const uint32_t n = IPPORT_EPHEMERALLAST - first + 1;
		uint32_t start = cprng_u32() % n;
		uint32_t i;

		for (i = 0; i < n; i++) {
			uint16_t p = htons((uint16_t)(first + (start + i) % n));

			if (!in_pcbconflict(inp, laddr, p)) {
				lport = p;
				break;
			}
		}
		if (i == n)
			return EAGAIN;
		inp->inp_flags |= INP_ANONPORT;
	} else if (in_pcbconflict(inp, laddr, lport)) {
		return EADDRINUSE;
	}
	inp->inp_laddr = laddr;
	inp->inp_lport = lport;
	in_pcbhash_insert(inp);
	return 0;
}

int
in_pcbconnect(struct inpcb *inp, uint32_t faddr, uint16_t fport,
    uint32_t *srcp)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	uint32_t src;
	int error;

	KASSERT(klock_held(&ns->ns_klock));
	if (fport == 0)
		return EADDRNOTAVAIL;
	if (faddr == KINADDR_ANY)
		faddr = htonl(KINADDR_LOOPBACK);

	src = inp->inp_laddr;
	if (src == KINADDR_ANY || in_multicast(src) ||
	    src == KINADDR_BROADCAST) {
		if ((error = in_selectsrc(ns, faddr, &src, NULL)) != 0)
			return error;
	}
	if (inp->inp_lport != 0) {
		struct inpcb *other = in_pcblookup(inp->inp_table, faddr,
		    fport, src, inp->inp_lport, false);
		if (other != NULL && other != inp)
			return EADDRINUSE;
	} else {
		if ((error = in_pcbbind(inp, inp->inp_laddr, 0)) != 0)
			return error;
	}
	if (inp->inp_laddr != src) {
		inp->inp_laddr = src;
		inp->inp_flags |= INP_AUTOADDR;
	}
	inp->inp_faddr = faddr;
	inp->inp_fport = fport;
	if (srcp != NULL)
		*srcp = src;
	return 0;
}

void
in_pcbdisconnect(struct inpcb *inp)
{
	inp->inp_faddr = KINADDR_ANY;
	inp->inp_fport = 0;
	if (inp->inp_flags & INP_AUTOADDR) {
		inp->inp_laddr = KINADDR_ANY;
		inp->inp_flags &= ~INP_AUTOADDR;
	}
	if (inp->inp_flags & INP_ANONPORT) {
		in_pcbhash_remove(inp);
		inp->inp_lport = 0;
		inp->inp_flags &= ~INP_ANONPORT;
	}
}

struct inpcb *
in_pcblookup(struct inpcbtable *t, uint32_t faddr, uint16_t fport,
    uint32_t laddr, uint16_t lport, bool wildcard)
{
	struct inpcb *best = NULL;
	int bestscore = -1;

	for (struct inpcb *inp = t->inpt_hash[in_pcbhash(lport)];
	    inp != NULL; inp = inp->inp_hnext) {
		uint32_t la, fa;
		int score;

		if (inp->inp_lport != lport || !inp_v4view(inp, &la, &fa))
			continue;
		if (fa != KINADDR_ANY || inp->inp_fport != 0) {
			/* Connected: only the exact four-tuple. */
			if (fa == faddr && inp->inp_fport == fport &&
			    (la == laddr || la == KINADDR_ANY))
				return inp;
			continue;
		}
		if (!wildcard)
			continue;
		if (la != KINADDR_ANY && la != laddr)
			continue;
		score = (la != KINADDR_ANY ? 2 : 0) +
		    (inp->inp_af == AF_INET ? 1 : 0);
		if (score > bestscore) {
			best = inp;
			bestscore = score;
		}
	}
	return best;
}

bool
in_pcbaccepts(const struct inpcb *inp, uint32_t faddr, uint16_t fport,
    uint32_t laddr, uint16_t lport)
{
	uint32_t la, fa;

	if (inp->inp_lport != lport || !inp_v4view(inp, &la, &fa))
		return false;
	if (la != KINADDR_ANY && la != laddr)
		return false;
	if (fa != KINADDR_ANY && fa != faddr)
		return false;
	if (inp->inp_fport != 0 && inp->inp_fport != fport)
		return false;
	return true;
}

unsigned
in_pcbnotify(struct inpcbtable *t, uint32_t faddr, uint16_t fport,
    uint32_t laddr, uint16_t lport, int error,
    void (*notify)(struct inpcb *, int))
{
	struct inpcb *inp, *next;
	unsigned n = 0;

	for (inp = t->inpt_list; inp != NULL; inp = next) {
		uint32_t la, fa;

		next = inp->inp_next;	/* notify may free inp */
		if (!inp_v4view(inp, &la, &fa) || fa == KINADDR_ANY)
			continue;
		if (fa != faddr || (fport != 0 && inp->inp_fport != fport))
			continue;
		if (lport != 0 && inp->inp_lport != lport)
			continue;
		if (la != KINADDR_ANY && laddr != KINADDR_ANY && la != laddr)
			continue;
		if (notify != NULL)
			(*notify)(inp, error);
		else if (inp->inp_socket != NULL)
			soseterror(inp->inp_socket, error);
		else
			continue;
		n++;
	}
	return n;
}

int
in_pcb_sockaddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	const struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	*lenp = in_sockaddr_fill(ss, inp->inp_laddr, inp->inp_lport);
	return 0;
}

int
in_pcb_peeraddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	const struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_faddr == KINADDR_ANY && inp->inp_fport == 0)
		return ENOTCONN;
	*lenp = in_sockaddr_fill(ss, inp->inp_faddr, inp->inp_fport);
	return 0;
}

size_t
in_sockaddr_fill(struct ksockaddr_storage *ss, uint32_t addr, uint16_t port)
{
	struct ksockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = port;
	sin.sin_addr = addr;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &sin, sizeof(sin));
	return sizeof(sin);
}

int
in_sockaddr_parse(const struct ksockaddr *nam, size_t namlen, uint32_t *addr,
    uint16_t *port, bool allow_unspec, bool *unspec)
{
	struct ksockaddr_in sin;
	uint16_t family;

	if (unspec != NULL)
		*unspec = false;
	if (nam == NULL || namlen < sizeof(family))
		return EINVAL;
	memcpy(&family, nam, sizeof(family));
	if (family == AF_UNSPEC && allow_unspec) {
		*addr = KINADDR_ANY;
		*port = 0;
		if (unspec != NULL)
			*unspec = true;
		return 0;
	}
	if (family != AF_INET)
		return EAFNOSUPPORT;
	if (namlen < sizeof(sin))
		return EINVAL;
	memcpy(&sin, nam, sizeof(sin));
	*addr = sin.sin_addr;
	*port = sin.sin_port;
	return 0;
}

/* ------------------------------------------------------------ listing */

static void
in_pcb_describe(const struct inpcb *inp, struct rump_pcbreq *req)
{
	const struct inpcbtable *t = inp->inp_table;
	const struct socket *so = inp->inp_socket;
	size_t n;

	req->pcb_family = (uint16_t)inp->inp_af;
	n = strlen(t->inpt_name);
	if (n >= sizeof(req->pcb_table))
		n = sizeof(req->pcb_table) - 1;
	memcpy(req->pcb_table, t->inpt_name, n);	/* req was zeroed */
	req->pcb_proto = (uint8_t)(strcmp(t->inpt_name, "tcp") == 0 ?
	    KIPPROTO_TCP : strcmp(t->inpt_name, "udp") == 0 ?
	    KIPPROTO_UDP : inp->inp_proto);
	req->pcb_state = t->inpt_state != NULL ? (*t->inpt_state)(inp) :
	    RUMP_TCPS_NONE;
	req->pcb_lport = ntohs(inp->inp_lport);
	req->pcb_fport = ntohs(inp->inp_fport);
	if (inp->inp_af == AF_INET) {
		memcpy(req->pcb_laddr, &inp->inp_laddr, 4);
		memcpy(req->pcb_faddr, &inp->inp_faddr, 4);
	} else {
		memcpy(req->pcb_laddr, &inp->inp_laddr6, 16);
		memcpy(req->pcb_faddr, &inp->inp_faddr6, 16);
		req->pcb_scopeid = inp->inp_scope6;
		if (inp->inp_flags & INP_V6ONLY)
			req->pcb_flags |= RUMP_PCBF_V6ONLY;
	}
	if (so != NULL) {
		req->pcb_rcvq = so->so_rcv.sb_cc;
		req->pcb_sndq = so->so_snd.sb_cc;
	} else
		req->pcb_flags |= RUMP_PCBF_NOSOCKET;
}

int
in_pcb_list(struct netstack *ns, struct rump_pcbreq *req)
{
	struct ip_state *ips = ip_state(ns);
	const struct inpcbtable *t;
	const struct inpcb *inp;
	const uint32_t index = req->pcb_index;
	const uint16_t family = req->pcb_family;
	uint32_t left = index;

	KASSERT(klock_held(&ns->ns_klock));
	if (ips == NULL)
		return ENOENT;
	for (t = ips->ips_pcbtables; t != NULL; t = t->inpt_nexttab) {
		for (inp = t->inpt_list; inp != NULL; inp = inp->inp_next) {
			if (family != 0 && inp->inp_af != family)
				continue;
			if (left-- > 0)
				continue;
			memset(req, 0, sizeof(*req));
			req->pcb_index = index;
			in_pcb_describe(inp, req);
			return 0;
		}
	}
	if (ips->ips_pcblist_ext != NULL) {
		int rv;

		req->pcb_index = left;
		rv = (*ips->ips_pcblist_ext)(ns, req);
		req->pcb_index = index;
		return rv;
	}
	return ENOENT;
}
