/*
 * nd6.h -- neighbour discovery (RFC 4861) and the state of the inet6
 * module (NSMOD_ND6): addresses' tunables, the neighbour cache, router
 * discovery.  Internal to netstack/netinet6.
 *
 * Neighbour cache entries go through RFC 4861 7.3.2's states:
 *   INCOMPLETE  NS sent to the solicited-node group every RetransTimer
 *               (1 s), at most MAX_MULTICAST_SOLICIT (3); packets wait
 *               (net.inet6.nd6.maxhold each).  No answer: the waiting
 *               packets get address-unreachable errors, entry freed.
 *   REACHABLE   confirmed within ReachableTime (30 s); then STALE.
 *   STALE       usable, unconfirmed; garbage-collected after 1 day.
 *               Sending to it moves it to DELAY.
 *   DELAY       wait DELAY_FIRST_PROBE_TIME (5 s) for an upper-layer
 *               hint, then PROBE.
 *   PROBE       unicast NS every RetransTimer, MAX_UNICAST_SOLICIT (3);
 *               no answer: entry freed.
 * Static entries (rump.ndp -s) stay REACHABLE and never expire.  With
 * net.inet6.nd6.maxentries (alias net.inet6.ip6.neighborgcthresh)
 * dynamic entries, a new one replaces the resolved entry closest to
 * its expiry.
 * All [K].
 */
#ifndef _NETSTACK_NETINET6_ND6_H_
#define _NETSTACK_NETINET6_ND6_H_

#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet6/icmp6.h"

#define ND6_HASHSIZE		64
#define ND6_RETRANS		NS_SEC(1)	/* RetransTimer */
#define ND6_REACHABLE		NS_SEC(30)	/* ReachableTime */
#define ND6_DELAY		NS_SEC(5)	/* DELAY_FIRST_PROBE_TIME */
#define ND6_GCTIME		NS_SEC(86400)	/* STALE entries */
#define ND6_MAX_MCAST_SOLICIT	3
#define ND6_MAX_UCAST_SOLICIT	3

enum nd6_stat {
	ND6_STAT_NSIN,		/* neighbour solicitations received */
	ND6_STAT_NAIN,
	ND6_STAT_RSIN,
	ND6_STAT_RAIN,
	ND6_STAT_NSOUT,
	ND6_STAT_NAOUT,
	ND6_STAT_RSOUT,
	ND6_STAT_RAOUT,
	ND6_STAT_BADHLIM,	/* dropped: hop limit not 255 */
	ND6_STAT_BADCODE,	/* dropped: code not 0 */
	ND6_STAT_BADLEN,	/* dropped: too short */
	ND6_STAT_BADOPT,	/* dropped: malformed option */
	ND6_STAT_BADADDR,	/* dropped: bad source/target/destination */
	ND6_STAT_NOTOURS,	/* NS for an address not ours (ignored) */
	ND6_STAT_DADDUP,	/* duplicate addresses detected */
	ND6_STAT_CONFLICT,	/* NA for one of our preferred addresses */
	ND6_STAT_UNSOLICITED,	/* NA/RA about nobody we asked (ignored) */
	ND6_STAT_RAIGNORED,	/* RA ignored: accept_rtadv off / router */
	ND6_STAT_DROPPED,	/* waiting packets dropped */
	ND6_STAT_TIMEOUTS,	/* resolutions that failed */
	ND6_STAT_EXPIRED,	/* entries garbage-collected */
	ND6_STAT_CACHEFULL,	/* cache full: entry evicted or refused */
	ND6_STAT_NOMEM,
	ND6_NSTATS
};

enum nd6_lstate {
	ND6_LLINFO_INCOMPLETE,
	ND6_LLINFO_REACHABLE,
	ND6_LLINFO_STALE,
	ND6_LLINFO_DELAY,
	ND6_LLINFO_PROBE,
};

#define ND6_LNF_STATIC	0x1
#define ND6_LNF_ROUTER	0x2

struct nd6_state;

struct llentry6 {
	struct llentry6	*ln_hnext;
	struct nd6_state *ln_nd;
	struct ifnet	*ln_ifp;
	uint8_t		 ln_addr[16];
	uint8_t		 ln_lladdr[ETHER_ADDR_LEN];
	enum nd6_lstate	 ln_state;
	unsigned	 ln_flags;
	unsigned	 ln_asked;
	uint64_t	 ln_expire;	/* ns; 0 = never */
	struct mqueue	 ln_hold;
	struct callout	 ln_timer;
};

struct nd6_state {
	struct netstack	*nd_ns;
	struct llentry6	*nd_hash[ND6_HASHSIZE];
	unsigned	 nd_count;
	/* net.inet6.ip6.* owned by the inet6 module */
	int32_t		 nd_auto_linklocal;
	int32_t		 nd_dad_count;
	int32_t		 nd_accept_rtadv;
	int32_t		 nd_rtadv;
	/* net.inet6.nd6.* */
	int32_t		 nd_maxhold;
	int32_t		 nd_maxentries;
	uint64_t	 nd_stats[ND6_NSTATS];
};

static inline struct nd6_state *
nd6_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_ND6];
}

#define ND6_STATINC(nd, s)	((nd)->nd_stats[(s)]++)

int nd6_init(struct netstack *ns);
void nd6_fini(struct netstack *ns);
/* ETHER resolver for AF_INET6 (if.h ether_resolve_fn contract). */
int nd6_resolve(struct ifnet *ifp, struct mbuf *m,
    const struct ksockaddr *dst, uint8_t lla[ETHER_ADDR_LEN]);

/* Cache entries (nd6.c). */
struct llentry6 *nd6_lookup(struct nd6_state *nd, struct ifnet *ifp,
    const uint8_t *addr);
/* A new INCOMPLETE entry (not armed); 'force' ignores the size limit.
 * => NULL if the cache is full (counted). */
struct llentry6 *nd6_create(struct nd6_state *nd, struct ifnet *ifp,
    const uint8_t *addr, bool force);
/* Move to state st, arming the timer for it. */
void nd6_setstate(struct llentry6 *ln, enum nd6_lstate st);
/* The link address is known: record it, enter st, send what waited. */
void nd6_resolved(struct llentry6 *ln, const uint8_t *lla,
    enum nd6_lstate st);

/* What a message told us about a neighbour's link address (RFC 4861
 * 7.2.3 for NS, 6.3.4 for RS/RA): create or update the entry, STALE if
 * new or changed. */
void nd6_learn(struct ifnet *ifp, const uint8_t *addr, const uint8_t *lla,
    bool isrouter);

/* Send a neighbour solicitation for target on ifp: src NULL = DAD (from
 * ::); dst NULL = to the solicited-node group. */
void nd6_ns_output(struct ifnet *ifp, const uint8_t *src, const uint8_t *dst,
    const uint8_t *target);
/* Send an advertisement for our address target to dst. */
void nd6_na_output(struct ifnet *ifp, const uint8_t *dst,
    const uint8_t *target, uint8_t flags, bool tlla);
/* Router discovery (nd6_rtr.c). */
void nd6_rs_output(struct ifnet *ifp);
void nd6_ra_output(struct ifnet *ifp, const uint8_t *dst);

/* DAD (in6.c): a solicitation from :: or an advertisement for a
 * tentative address of ifp arrived. */
void in6_dad_duplicated(struct in6_ifaddr *ia, const char *why);

/* Options in an ND message: the link-layer address option of 'type'
 * (NULL if absent) after checking every option's length.
 * => false if an option is malformed. */
bool nd6_options(const uint8_t *opts, size_t len, int type,
    const uint8_t **lla);

#endif /* _NETSTACK_NETINET6_ND6_H_ */
