/*
 * in6_pcb.c -- AF_INET6 protocol control blocks in the tables of
 * netinet/in_pcb.h (one table per transport, both families).  The bind
 * rules are in_pcb.h's; an AF_INET6 PCB bound to :: without
 * IPV6_V6ONLY also covers IPv4 (it clashes with AF_INET PCBs of its
 * port, and in_pcb.c delivers IPv4 traffic to it).  Link-local
 * addresses carry their zone in inp_scope6.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/kern/socketvar.h"

static unsigned
in6_pcbhash(uint16_t lport)
{
	unsigned p = ntohs(lport);

	return (p ^ (p >> 6)) & (INP_HASHSIZE - 1);
}

static int
inp_opts(const struct inpcb *inp)
{
	return inp->inp_socket != NULL ? inp->inp_socket->so_options : 0;
}

/* Do the local addresses of self (laddr) and inp overlap? */
static bool
in6_pcboverlap(const struct inpcb *self, const uint8_t *laddr,
    const struct inpcb *inp, bool *exact)
{
	*exact = false;
	if (inp->inp_af == AF_INET6) {
		if (in6_is_unspecified(laddr) ||
		    in6_is_unspecified(inp->inp_laddr6.s6_addr))
			return true;
		*exact = memcmp(laddr, inp->inp_laddr6.s6_addr, 16) == 0;
		return *exact;
	}
	/* An AF_INET PCB: only dual-stack and v4-mapped bindings meet it. */
	if (in6_is_unspecified(laddr))
		return !(self->inp_flags & INP_V6ONLY);
	if (!in6_is_v4mapped(laddr))
		return false;
	if (inp->inp_laddr == 0)
		return true;
	*exact = memcmp(&inp->inp_laddr, laddr + 12, 4) == 0;
	return *exact;
}

static bool
in6_pcbconflict(const struct inpcb *self, const uint8_t *laddr,
    uint16_t lport)
{
	const struct inpcbtable *t = self->inp_table;
	int opts = inp_opts(self);

	for (const struct inpcb *inp = t->inpt_hash[in6_pcbhash(lport)];
	    inp != NULL; inp = inp->inp_hnext) {
		bool exact;

		if (inp == self || inp->inp_lport != lport ||
		    !in6_pcboverlap(self, laddr, inp, &exact))
			continue;
		if ((opts & inp_opts(inp) & SO_OPT_REUSEPORT) != 0)
			continue;
		if (opts & SO_OPT_REUSEADDR) {
			bool connected = inp->inp_fport != 0;

			if (!exact || connected)
				continue;
		}
		return true;
	}
	return false;
}

int
in6_pcbbind(struct inpcb *inp, const uint8_t *laddr, unsigned scope,
    uint16_t lport)
{
	struct netstack *ns = inp->inp_table->inpt_ns;

	KASSERT(klock_held(&ns->ns_klock));
	if (inp->inp_lport != 0 || (inp->inp_flags & INP_HASHED))
		return EINVAL;
	if (in6_is_v4mapped(laddr)) {
		uint32_t v4;

		memcpy(&v4, laddr + 12, 4);
		if (inp->inp_flags & INP_V6ONLY)
			return EADDRNOTAVAIL;
		if (v4 != KINADDR_ANY && !in_islocal(ns, v4))
			return EADDRNOTAVAIL;
		inp->inp_laddr = v4;
	} else if (!in6_is_unspecified(laddr) && !in6_is_multicast(laddr)) {
		struct in6_ifaddr *ia;

		if (in6_is_scoped(laddr) && scope == 0)
			return EINVAL;
		ia = in6_ifaddr_lookup(ns, laddr, scope);
		if (ia == NULL ||
		    (ia->ia_ifa.ifa_flags & IN6_IFF_DUPLICATED))
			return EADDRNOTAVAIL;
	}
	if (lport == 0) {
		const uint32_t first = IPPORT_EPHEMERALFIRST;
		const uint32_t n = IPPORT_EPHEMERALLAST - first + 1;
		uint32_t start = cprng_u32() % n, i;

		for (i = 0; i < n; i++) {
			uint16_t p = htons((uint16_t)(first + (start + i) % n));

			if (!in6_pcbconflict(inp, laddr, p)) {
				lport = p;
				break;
			}
		}
		if (i == n)
			return EAGAIN;
		inp->inp_flags |= INP_ANONPORT;
	} else if (in6_pcbconflict(inp, laddr, lport)) {
		return EADDRINUSE;
	}
	memcpy(inp->inp_laddr6.s6_addr, laddr, 16);
	if (in6_is_scoped(laddr))
		inp->inp_scope6 = scope;
	inp->inp_lport = lport;
	in_pcbhash_insert(inp);
	return 0;
}

int
in6_pcbconnect(struct inpcb *inp, const uint8_t *faddr, unsigned scope,
    uint16_t fport)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	uint8_t src[16], dst[16];
	int error;

	KASSERT(klock_held(&ns->ns_klock));
	if (fport == 0)
		return EADDRNOTAVAIL;
	memcpy(dst, in6_is_unspecified(faddr) ? in6addr_loopback : faddr, 16);
	if (in6_is_v4mapped(dst))
		return ENETUNREACH;	/* IPv4 through AF_INET6: not here */
	if (in6_is_scoped(dst)) {
		if (scope == 0)
			scope = inp->inp_scope6;
		if (scope == 0)
			return EINVAL;
	}
	memcpy(src, inp->inp_laddr6.s6_addr, 16);
	if (in6_is_unspecified(src) || in6_is_multicast(src)) {
		struct ifnet *ifp = NULL;
		struct rtentry *rt;
		uint8_t nh[16];

		if ((error = in6_route(ns, dst, scope, &ifp, nh, &rt)) != 0)
			return error;
		if ((error = in6_selectsrc(ns, dst, ifp, src)) != 0)
			return error;
	}
	if (inp->inp_lport != 0) {
		struct inpcb *other = in6_pcblookup(inp->inp_table, dst, fport,
		    src, inp->inp_lport, false, scope);

		if (other != NULL && other != inp)
			return EADDRINUSE;
	} else if ((error = in6_pcbbind(inp, inp->inp_laddr6.s6_addr,
	    inp->inp_scope6, 0)) != 0) {
		return error;
	}
	if (memcmp(inp->inp_laddr6.s6_addr, src, 16) != 0) {
		memcpy(inp->inp_laddr6.s6_addr, src, 16);
		inp->inp_flags |= INP_AUTOADDR;
	}
	memcpy(inp->inp_faddr6.s6_addr, dst, 16);
	inp->inp_fport = fport;
	if (in6_is_scoped(dst) || in6_is_scoped(src))
		inp->inp_scope6 = scope;
	return 0;
}

void
in6_pcbdisconnect(struct inpcb *inp)
{
	memset(&inp->inp_faddr6, 0, sizeof(inp->inp_faddr6));
	inp->inp_fport = 0;
	if (inp->inp_flags & INP_AUTOADDR) {
		memset(&inp->inp_laddr6, 0, sizeof(inp->inp_laddr6));
		inp->inp_flags &= ~INP_AUTOADDR;
	}
	if (inp->inp_flags & INP_ANONPORT) {
		in_pcbhash_remove(inp);
		inp->inp_lport = 0;
		inp->inp_flags &= ~INP_ANONPORT;
	}
}

static bool
in6_scope_ok(const struct inpcb *inp, const uint8_t *a, unsigned scope)
{
	return !in6_is_scoped(a) || inp->inp_scope6 == 0 || scope == 0 ||
	    inp->inp_scope6 == scope;
}

struct inpcb *
in6_pcblookup(struct inpcbtable *t, const uint8_t *faddr, uint16_t fport,
    const uint8_t *laddr, uint16_t lport, bool wildcard, unsigned scope)
{
	struct inpcb *best = NULL;
	int bestscore = -1;

	for (struct inpcb *inp = t->inpt_hash[in6_pcbhash(lport)];
	    inp != NULL; inp = inp->inp_hnext) {
		const uint8_t *la = inp->inp_laddr6.s6_addr;
		const uint8_t *fa = inp->inp_faddr6.s6_addr;
		int score;

		if (inp->inp_af != AF_INET6 || inp->inp_lport != lport ||
		    in6_is_v4mapped(la) || !in6_scope_ok(inp, laddr, scope))
			continue;
		if (!in6_is_unspecified(fa) || inp->inp_fport != 0) {
			if (memcmp(fa, faddr, 16) == 0 &&
			    inp->inp_fport == fport &&
			    (memcmp(la, laddr, 16) == 0 ||
			    in6_is_unspecified(la)))
				return inp;
			continue;
		}
		if (!wildcard)
			continue;
		if (!in6_is_unspecified(la) && memcmp(la, laddr, 16) != 0)
			continue;
		score = in6_is_unspecified(la) ? 0 : 2;
		if (score > bestscore) {
			best = inp;
			bestscore = score;
		}
	}
	return best;
}

bool
in6_pcbaccepts(const struct inpcb *inp, const uint8_t *faddr, uint16_t fport,
    const uint8_t *laddr, uint16_t lport)
{
	const uint8_t *la = inp->inp_laddr6.s6_addr;
	const uint8_t *fa = inp->inp_faddr6.s6_addr;

	if (inp->inp_af != AF_INET6 || inp->inp_lport != lport ||
	    in6_is_v4mapped(la))
		return false;
	if (!in6_is_unspecified(la) && memcmp(la, laddr, 16) != 0)
		return false;
	if (!in6_is_unspecified(fa) && memcmp(fa, faddr, 16) != 0)
		return false;
	if (inp->inp_fport != 0 && inp->inp_fport != fport)
		return false;
	return true;
}

unsigned
in6_pcbnotify(struct inpcbtable *t, const uint8_t *faddr, uint16_t fport,
    const uint8_t *laddr, uint16_t lport, int error)
{
	struct inpcb *inp, *next;
	unsigned n = 0;

	for (inp = t->inpt_list; inp != NULL; inp = next) {
		const uint8_t *la = inp->inp_laddr6.s6_addr;

		next = inp->inp_next;
		if (inp->inp_af != AF_INET6 || inp->inp_socket == NULL ||
		    memcmp(inp->inp_faddr6.s6_addr, faddr, 16) != 0 ||
		    (fport != 0 && inp->inp_fport != fport) ||
		    (lport != 0 && inp->inp_lport != lport) ||
		    (!in6_is_unspecified(la) && memcmp(la, laddr, 16) != 0))
			continue;
		soseterror(inp->inp_socket, error);
		n++;
	}
	return n;
}

int
in6_pcb_sockaddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp)
{
	const struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	*lenp = in6_sockaddr_fill(ss, inp->inp_laddr6.s6_addr, inp->inp_lport,
	    inp->inp_scope6);
	return 0;
}

int
in6_pcb_peeraddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp)
{
	const struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	if (in6_is_unspecified(inp->inp_faddr6.s6_addr) && inp->inp_fport == 0)
		return ENOTCONN;
	*lenp = in6_sockaddr_fill(ss, inp->inp_faddr6.s6_addr, inp->inp_fport,
	    inp->inp_scope6);
	return 0;
}

size_t
in6_sockaddr_fill(struct ksockaddr_storage *ss, const uint8_t *addr,
    uint16_t port, unsigned scope)
{
	struct ksockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = port;
	memcpy(sin6.sin6_addr.s6_addr, addr, 16);
	if (in6_is_scoped(addr))
		sin6.sin6_scope_id = scope;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, &sin6, sizeof(sin6));
	return sizeof(sin6);
}

int
in6_sockaddr_parse(const struct ksockaddr *nam, size_t namlen, uint8_t *addr,
    uint16_t *port, unsigned *scope, bool allow_unspec, bool *unspec)
{
	struct ksockaddr_in6 sin6;
	uint16_t family;

	if (unspec != NULL)
		*unspec = false;
	if (nam == NULL || namlen < sizeof(family))
		return EINVAL;
	memcpy(&family, nam, sizeof(family));
	if (family == AF_UNSPEC && allow_unspec) {
		memset(addr, 0, 16);
		*port = 0;
		*scope = 0;
		if (unspec != NULL)
			*unspec = true;
		return 0;
	}
	if (family != AF_INET6)
		return EAFNOSUPPORT;
	/* Linux accepts the 24-byte RFC 2133 form without scope id. */
	if (namlen < 24)
		return EINVAL;
	memset(&sin6, 0, sizeof(sin6));
	memcpy(&sin6, nam, MIN(namlen, sizeof(sin6)));
	memcpy(addr, sin6.sin6_addr.s6_addr, 16);
	*port = sin6.sin6_port;
	*scope = in6_is_scoped(addr) ? sin6.sin6_scope_id : 0;
	return 0;
}
