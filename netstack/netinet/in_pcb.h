/*
 * in_pcb.h -- Internet protocol control blocks: the per-socket record of
 * local and foreign address and port, and the tables that find the
 * socket a datagram or segment belongs to.
 *
 * One table per transport protocol (UDP, TCP, raw IP).  A table holds
 * the PCBs of both families: an AF_INET6 socket that is not IPV6_V6ONLY
 * also receives IPv4 traffic, its IPv4 addresses written as
 * v4-mapped IPv6 addresses (::ffff:a.b.c.d).  Inside a PCB, IPv4
 * addresses are kept in inp_laddr/inp_faddr (network order) and IPv6
 * addresses in inp_laddr6/inp_faddr6; the IPv4 lookups below consider
 * a dual-stack AF_INET6 PCB whose IPv6 addresses are unspecified or
 * v4-mapped.  The IPv6 lookups belong to netinet6 and reuse the same
 * table and the same bind rules.
 *
 * Bound PCBs sit on a hash chain keyed by local port; every PCB is also
 * on the table's list in creation order (raw sockets, broadcast
 * delivery, netstat).
 *
 * Port rules (in_pcbbind), BSD's: binding (laddr, lport) conflicts
 * with an existing PCB of the same port whose local address overlaps
 * (equal, or either is the wildcard), except that
 *   - two sockets that both set SO_REUSEPORT never conflict;
 *   - for a multicast laddr, SO_REUSEADDR counts as SO_REUSEPORT;
 *   - a socket that sets SO_REUSEADDR conflicts only with a PCB bound
 *     to exactly the same local address and not connected (so a
 *     wildcard and a specific address may share a port, and a TCP
 *     port in TIME_WAIT can be reused).
 * Ephemeral ports come from 49152-65535 (RFC 6335), probing from a
 * random start on every allocation (RFC 6056 algorithm 1).
 *
 * All functions run with the kernel lock held [K].
 */
#ifndef _NETSTACK_NETINET_IN_PCB_H_
#define _NETSTACK_NETINET_IN_PCB_H_

#include "netstack/kern/netstack.h"
#include "netstack/netinet/in.h"

struct socket;
struct rtentry;

#define IPPORT_EPHEMERALFIRST	49152
#define IPPORT_EPHEMERALLAST	65535

/* inp_flags */
#define INP_HDRINCL	0x0001	/* raw: the application supplies the IP header */
#define INP_V6ONLY	0x0002	/* AF_INET6: no v4-mapped traffic */
#define INP_HASHED	0x0004	/* on a port hash chain */
#define INP_ANONPORT	0x0008	/* lport was picked by the kernel */
#define INP_AUTOADDR	0x0010	/* laddr was picked by connect */

struct inpcbtable;

struct inpcb {
	struct inpcb	*inp_next;	/* [K] table list, newest first */
	struct inpcb	**inp_pprev;	/* [K] link pointing at this PCB */
	struct inpcb	*inp_hnext;	/* [K] port hash chain */
	struct inpcb	**inp_hpprev;	/* [K] */
	struct inpcbtable *inp_table;	/* [I] */
	struct socket	*inp_socket;	/* [K] NULL once the socket is gone
					 * (TCP TIME_WAIT) */
	void		*inp_ppcb;	/* [K] the protocol's own block */
	int		 inp_af;	/* [I] AF_INET or AF_INET6 */
	unsigned	 inp_flags;	/* [K] INP_* */
	int		 inp_proto;	/* [K] raw: IP protocol, 0 = any */
	uint16_t	 inp_lport;	/* [K] network order, 0 = unbound */
	uint16_t	 inp_fport;	/* [K] network order, 0 = unconnected */
	uint32_t	 inp_laddr;	/* [K] IPv4, network order */
	uint32_t	 inp_faddr;	/* [K] IPv4, network order */
	struct kin6_addr inp_laddr6;	/* [K] IPv6 (AF_INET6 PCBs) */
	struct kin6_addr inp_faddr6;	/* [K] */
	int		 inp_ttl;	/* [K] IP_TTL; -1 = net.inet.ip.ttl */
	uint8_t		 inp_tos;	/* [K] IP_TOS */
	/* AF_INET6 (netinet6): zone (interface index) of link-local
	 * addresses, 0 = none; raw IPV6_CHECKSUM offset + 1, 0 = off. */
	unsigned	 inp_scope6;	/* [K] */
	int		 inp_cksum6;	/* [K] */
};

#define INP_HASHSIZE	64	/* buckets, a power of two */

struct inpcbtable {
	struct netstack	*inpt_ns;	/* [I] */
	const char	*inpt_name;	/* [I] "udp", "tcp", "raw", "raw6" */
	struct inpcb	*inpt_list;	/* [K] all PCBs, newest first */
	struct inpcb	*inpt_hash[INP_HASHSIZE]; /* [K] bound, by lport */
	unsigned	 inpt_count;	/* [K] */
	/*
	 * Every table of an instance is on one list headed in the IP
	 * module's state (ips_pcbtables), for the socket list request;
	 * inpt_listed says whether this one is.
	 */
	struct inpcbtable *inpt_nexttab; /* [K] */
	bool		 inpt_listed;	/* [K] */
	/* The protocol's state of a PCB (RUMP_TCPS_*), NULL: none. */
	uint32_t	(*inpt_state)(const struct inpcb *); /* [I] */
};

void in_pcbtable_init(struct inpcbtable *t, struct netstack *ns,
    const char *name);
/*
 * Free every PCB left.  At instance teardown protocol modules stop
 * before the socket layer closes the last sockets, so sockets may still
 * point here: they are orphaned (so_pcb = NULL), and every protocol
 * method must treat a socket without a PCB as gone (pr_detach: nothing
 * to do; others: EINVAL).
 */
void in_pcbtable_fini(struct inpcbtable *t);

/* Create an unbound PCB for so (so->so_pcb is set). => 0 */
int in_pcballoc(struct inpcbtable *t, struct socket *so, int af,
    struct inpcb **inpp);
/* Unlink and free; so->so_pcb is cleared if the socket is still there. */
void in_pcbfree(struct inpcb *inp);
/* pr_detach of the datagram protocols (UDP, raw, both families): free
 * the socket's PCB if it still has one. */
void in_pcbdetach(struct socket *so);

/*
 * Bind to (laddr, lport), both network order; lport 0 picks an
 * ephemeral port.  laddr must be INADDR_ANY, an address of this host,
 * or (for datagram sockets) a broadcast or multicast address.
 * => 0, EINVAL (already bound), EADDRNOTAVAIL, EADDRINUSE, EAGAIN (no
 *    ephemeral port left).
 */
int in_pcbbind(struct inpcb *inp, uint32_t laddr, uint16_t lport);
/*
 * Connect to (faddr, fport): picks the source address by route if the
 * PCB is bound to INADDR_ANY (the PCB stays bound to the wildcard for
 * UDP: the choice is made per send unless the caller stores it) and an
 * ephemeral port if unbound.  The resulting four-tuple must be unique.
 * faddr INADDR_ANY means this host (127.0.0.1), as in Linux.
 * => 0, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, EHOSTUNREACH, EAGAIN.
 * *srcp (may be NULL) gets the source address chosen.
 */
int in_pcbconnect(struct inpcb *inp, uint32_t faddr, uint16_t fport,
    uint32_t *srcp);
/*
 * Forget the foreign address and port, and what connect chose on its
 * own: a local address picked by route, and an ephemeral port bound
 * implicitly (by connect or send, not by bind) -- Linux's datagram
 * disconnect.
 */
void in_pcbdisconnect(struct inpcb *inp);

/*
 * Find the PCB for an IPv4 datagram from (faddr, fport) to (laddr,
 * lport).  The exact four-tuple wins; with 'wildcard', a PCB bound to
 * laddr or INADDR_ANY and not connected elsewhere is the fallback, the
 * most specific one first (a specific laddr beats the wildcard; an
 * AF_INET PCB beats a dual-stack AF_INET6 one).  => PCB or NULL.
 */
struct inpcb *in_pcblookup(struct inpcbtable *t, uint32_t faddr,
    uint16_t fport, uint32_t laddr, uint16_t lport, bool wildcard);

/*
 * Does inp accept a datagram from (faddr, fport) to (laddr, lport)?
 * Wildcards in the PCB match anything.  Used by broadcast and
 * multicast delivery, which walks inpt_list and hands a copy to every
 * PCB that accepts.
 */
bool in_pcbaccepts(const struct inpcb *inp, uint32_t faddr, uint16_t fport,
    uint32_t laddr, uint16_t lport);

/*
 * Report 'error' to every socket connected to (faddr, fport) from
 * (laddr, lport) (ICMP errors, ctlinput).  fport/lport 0 match any.
 * notify NULL sets so_error (soseterror).  => number notified.
 */
unsigned in_pcbnotify(struct inpcbtable *t, uint32_t faddr, uint16_t fport,
    uint32_t laddr, uint16_t lport, int error,
    void (*notify)(struct inpcb *, int));

/*
 * Put a PCB whose inp_lport was just set on its port's hash chain, or
 * take it off (no-op if not on one).  in_pcbbind and in_pcbdisconnect
 * do this for IPv4; netinet6's bind does it for AF_INET6 PCBs.
 */
void in_pcbhash_insert(struct inpcb *inp);
void in_pcbhash_remove(struct inpcb *inp);

/* Socket address helpers: fill a ksockaddr_in; => its length (16). */
size_t in_sockaddr_fill(struct ksockaddr_storage *ss, uint32_t addr,
    uint16_t port);
/*
 * pr_sockaddr / pr_peeraddr for protocols whose so_pcb is an AF_INET
 * inpcb (UDP, raw, TCP): the local or foreign address and port.
 * => 0, EINVAL (no PCB), ENOTCONN (peer: not connected).
 */
struct socket;
int in_pcb_sockaddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp);
int in_pcb_peeraddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp);
/*
 * Validate a ksockaddr_in argument of bind/connect/sendto.
 * => 0 and *addr, *port (network order), EINVAL (short), EAFNOSUPPORT.
 * AF_UNSPEC is accepted when allow_unspec (connect: disconnect) and
 * returns EAFNOSUPPORT otherwise; then *addr = *port = 0 and the
 * return is 0 with *unspec = true.
 */
int in_sockaddr_parse(const struct ksockaddr *nam, size_t namlen,
    uint32_t *addr, uint16_t *port, bool allow_unspec, bool *unspec);

/*
 * RUMP_SIOCLISTPCB (see rumpnet/rump_net.h): describe the index'th PCB
 * of the instance's tables whose family matches.  => 0, ENOENT.
 */
struct rump_pcbreq;
int in_pcb_list(struct netstack *ns, struct rump_pcbreq *req);

/* The table list, for walks: first PCB, or NULL. */
static inline struct inpcb *
in_pcbfirst(struct inpcbtable *t)
{
	return t->inpt_list;
}

#endif /* _NETSTACK_NETINET_IN_PCB_H_ */
