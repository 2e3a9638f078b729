/*
 * if_arp.c -- ARP over Ethernet (RFC 826), with the address-conflict
 * rules of RFC 5227: the per-instance cache, resolution with a bounded
 * queue of waiting packets, retries and expiry on callouts, replies for
 * our own addresses (and published entries), gratuitous announcements,
 * static entries, and the neighbour requests of rump_net.h.
 * See if_arp.h for the states an entry goes through.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/if_arp.h"
#include "rumpnet/rump_net.h"

#define ARP_HASHSIZE		64		/* power of two */
#define ARP_RETRANS		NS_SEC(1)	/* between requests */
#define ARP_REFRESH_MAX		NS_SEC(60)	/* refresh window, at most */
#define ARP_DEFEND_INTERVAL	NS_SEC(10)	/* RFC 5227 DEFEND_INTERVAL */

#define ARP_KEEP_DEFAULT	1200		/* seconds, as BSD */
#define ARP_DOWN_DEFAULT	20
#define ARP_MAXTRIES_DEFAULT	5
#define ARP_MAXHOLD_DEFAULT	16
#define ARP_MAXENTRIES_DEFAULT	1024

const char *const arp_stat_names[ARP_NSTATS] = {
	[ARP_STAT_RECEIVED] = "received",
	[ARP_STAT_RXREQUESTS] = "rxrequests",
	[ARP_STAT_RXREPLIES] = "rxreplies",
	[ARP_STAT_TXREQUESTS] = "txrequests",
	[ARP_STAT_TXREPLIES] = "txreplies",
	[ARP_STAT_TXANNOUNCES] = "txannounces",
	[ARP_STAT_BADLEN] = "badlen",
	[ARP_STAT_BADHRD] = "badhrd",
	[ARP_STAT_BADPROTO] = "badproto",
	[ARP_STAT_BADOP] = "badop",
	[ARP_STAT_BADADDR] = "badaddr",
	[ARP_STAT_DUPADDR] = "dupaddr",
	[ARP_STAT_NOARP] = "noarp",
	[ARP_STAT_DROPPED] = "dropped",
	[ARP_STAT_TIMEOUTS] = "timeouts",
	[ARP_STAT_CACHEFULL] = "cachefull",
	[ARP_STAT_EXPIRED] = "expired",
	[ARP_STAT_NOMEM] = "nomem",
	[ARP_STAT_TXPROBES] = "txprobes",
	[ARP_STAT_DADDUP] = "dadduplicated",
};

enum la_state {
	LA_INCOMPLETE,
	LA_REACHABLE,
	LA_FAILED,
};

#define LA_STATIC	0x1	/* set by hand, never expires */
#define LA_PUB		0x2	/* answer requests for it */
#define LA_PROXY	0x4	/* "pub proxy" */

struct arp_state;

struct llentry {
	struct llentry	*la_hnext;	/* [K] hash chain */
	struct arp_state *la_as;	/* [I] */
	struct ifnet	*la_ifp;	/* [I] */
	uint32_t	 la_addr;	/* [I] network order */
	uint8_t		 la_lladdr[ETHER_ADDR_LEN]; /* [K] if REACHABLE */
	enum la_state	 la_state;	/* [K] */
	int		 la_flags;	/* [K] LA_* */
	unsigned	 la_asked;	/* [K] requests sent unanswered */
	uint64_t	 la_expire;	/* [K] ns; 0 = never */
	uint64_t	 la_lastreq;	/* [K] last request (refresh pacing) */
	struct mqueue	 la_hold;	/* [K] packets waiting (INCOMPLETE) */
	struct callout	 la_timer;	/* [K] retry, hold-down, or expiry */
};

struct arp_state {
	struct netstack	*as_ns;				/* [I] */
	struct llentry	*as_hash[ARP_HASHSIZE];		/* [K] */
	unsigned	 as_count;			/* [K] */
	int32_t		 as_keep;	/* net.inet.arp.keep, seconds */
	int32_t		 as_down;	/* net.inet.arp.down, seconds */
	int32_t		 as_maxtries;	/* net.inet.arp.maxtries */
	int32_t		 as_maxhold;	/* net.inet.arp.maxhold */
	int32_t		 as_maxentries;	/* net.inet.arp.maxentries */
	int32_t		 as_dadcount;	/* net.inet.ip.dad_count */
	bool		 as_defended;	/* as_lastdefend is valid */
	uint64_t	 as_lastdefend;	/* last conflict answered */
	uint64_t	 as_stats[ARP_NSTATS];
};

#define ARP_STATINC(as, s)	((as)->as_stats[(s)]++)

static void arp_timer(void *);

static inline struct arp_state *
arp_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_ARP];
}

uint64_t *
arp_stats(struct netstack *ns)
{
	return arp_state(ns)->as_stats;
}

static unsigned
arp_hash(uint32_t addr)
{
	uint32_t h = ntohl(addr) * 2654435761u;

	return h >> 26;		/* top 6 bits: ARP_HASHSIZE 64 */
}
_Static_assert(ARP_HASHSIZE == 64, "arp_hash takes 6 bits");

/* ------------------------------------------------------------- entries */

/* The entry for addr on ifp (any interface if ifp is NULL), or NULL. */
static struct llentry *
la_lookup(struct arp_state *as, struct ifnet *ifp, uint32_t addr)
{
	struct llentry *la;

	for (la = as->as_hash[arp_hash(addr)]; la != NULL; la = la->la_hnext)
		if (la->la_addr == addr && (ifp == NULL || la->la_ifp == ifp))
			return la;
	return NULL;
}

/* A new INCOMPLETE entry; 'force' ignores the size limit (static
 * entries).  => NULL if the cache is full (counted). */
static struct llentry *
la_create(struct arp_state *as, struct ifnet *ifp, uint32_t addr,
    bool force)
{
	struct llentry *la;
	unsigned h = arp_hash(addr);

	if (!force && as->as_count >= (unsigned)as->as_maxentries) {
		ARP_STATINC(as, ARP_STAT_CACHEFULL);
		return NULL;
	}
	la = kmem_zalloc(sizeof(*la));
	la->la_as = as;
	la->la_ifp = ifp;
	la->la_addr = addr;
	la->la_state = LA_INCOMPLETE;
	mq_init(&la->la_hold, (unsigned)as->as_maxhold);
	callout_init(&la->la_timer, as->as_ns, arp_timer, la);
	la->la_hnext = as->as_hash[h];
	as->as_hash[h] = la;
	as->as_count++;
	return la;
}

/* Drop the waiting packets, counting each. */
static void
la_drophold(struct arp_state *as, struct llentry *la)
{
	as->as_stats[ARP_STAT_DROPPED] += la->la_hold.mq_len;
	mq_purge(&la->la_hold);
}

static void
la_free(struct arp_state *as, struct llentry *la)
{
	struct llentry **pp;

	for (pp = &as->as_hash[arp_hash(la->la_addr)]; *pp != la;
	    pp = &(*pp)->la_hnext)
		KASSERT(*pp != NULL);
	*pp = la->la_hnext;
	as->as_count--;
	callout_stop(&la->la_timer);
	la_drophold(as, la);
	if (la->la_state == LA_REACHABLE)
		rt_msg_neighbour(as->as_ns, RUMP_RTM_DELETE, AF_INET,
		    &la->la_addr, la->la_lladdr, la->la_ifp);
	kmem_free(la, sizeof(*la));
}

/* Free every entry for which match() is true. => how many. */
static unsigned
la_sweep(struct arp_state *as,
    bool (*match)(const struct llentry *, const void *), const void *arg)
{
	unsigned n = 0;

	for (unsigned h = 0; h < ARP_HASHSIZE; h++) {
		struct llentry *la, *next;

		for (la = as->as_hash[h]; la != NULL; la = next) {
			next = la->la_hnext;
			if ((*match)(la, arg)) {
				la_free(as, la);
				n++;
			}
		}
	}
	return n;
}

/* --------------------------------------------------------------- output */

/*
 * Send one ARP packet on ifp to Ethernet address edst (NULL: broadcast).
 * tha NULL means all zeros (requests).
 */
static int
arp_send(struct ifnet *ifp, uint16_t op, const uint8_t *sha, uint32_t spa,
    const uint8_t *tha, uint32_t tpa, const uint8_t *edst)
{
	struct arp_state *as = arp_state(ifp->if_ns);
	struct ether_arp *ea;
	struct mbuf *m;

	if ((m = m_gethdr(sizeof(*ea))) == NULL) {
		ARP_STATINC(as, ARP_STAT_NOMEM);
		return ENOBUFS;
	}
	ea = mtod(m, struct ether_arp *);
	be16enc(ea->ar_hrd, ARPHRD_ETHER);
	be16enc(ea->ar_pro, ETHERTYPE_IP);
	ea->ar_hln = ETHER_ADDR_LEN;
	ea->ar_pln = 4;
	be16enc(ea->ar_op, op);
	memcpy(ea->arp_sha, sha, ETHER_ADDR_LEN);
	memcpy(ea->arp_spa, &spa, 4);
	if (tha != NULL)
		memcpy(ea->arp_tha, tha, ETHER_ADDR_LEN);
	else
		memset(ea->arp_tha, 0, ETHER_ADDR_LEN);
	memcpy(ea->arp_tpa, &tpa, 4);
	return ether_output_frame(ifp, m,
	    edst != NULL ? edst : etherbroadcastaddr, ETHERTYPE_ARP);
}

static void
arp_request(struct llentry *la, const uint8_t *edst)
{
	struct ifnet *ifp = la->la_ifp;
	struct in_ifaddr *src = in_ifaddr_for(ifp, la->la_addr);

	la->la_lastreq = netstack_now(ifp->if_ns);
	ARP_STATINC(la->la_as, ARP_STAT_TXREQUESTS);
	/* From an address on the target's subnet if we have one; from
	 * 0.0.0.0 if none is usable. */
	(void)arp_send(ifp, ARPOP_REQUEST, ifp->if_lladdr,
	    src != NULL ? src->ia_addr : 0, NULL, la->la_addr, edst);
}

/*
 * Gratuitous ARP (RFC 5227 "ARP Announcement"): a broadcast request with
 * our address as both sender and target, so that neighbours update
 * their caches.
 */
void
arp_announce(struct ifnet *ifp, uint32_t addr)
{
	struct arp_state *as = arp_state(ifp->if_ns);

	if (as == NULL || ifp->if_type != IFT_ETHER ||
	    (ifp->if_flags & (IFF_UP | IFF_NOARP)) != IFF_UP)
		return;
	ARP_STATINC(as, ARP_STAT_TXANNOUNCES);
	(void)arp_send(ifp, ARPOP_REQUEST, ifp->if_lladdr, addr, NULL, addr,
	    NULL);
}

/*
 * RFC 5227 "ARP Probe": a broadcast request for addr from sender
 * address 0.0.0.0, so that nobody's cache learns a tentative address.
 */
void
arp_probe(struct ifnet *ifp, uint32_t addr)
{
	struct arp_state *as = arp_state(ifp->if_ns);

	if (as == NULL || (ifp->if_flags & (IFF_UP | IFF_NOARP)) != IFF_UP)
		return;
	ARP_STATINC(as, ARP_STAT_TXPROBES);
	(void)arp_send(ifp, ARPOP_REQUEST, ifp->if_lladdr, 0, NULL, addr,
	    NULL);
}

int
arp_dad_count(struct netstack *ns)
{
	struct arp_state *as = arp_state(ns);

	return as != NULL ? as->as_dadcount : 0;
}

/* --------------------------------------------------------- resolution */

/* The link address of la is known: send what waited for it. */
static void
la_resolved(struct arp_state *as, struct llentry *la,
    const uint8_t lla[ETHER_ADDR_LEN])
{
	struct ifnet *ifp = la->la_ifp;
	uint8_t dst[ETHER_ADDR_LEN];
	struct mqueue q;
	struct mbuf *m;

	memcpy(dst, lla, ETHER_ADDR_LEN);
	/* News for route monitors: a new neighbour, or a new address. */
	if (la->la_state != LA_REACHABLE ||
	    memcmp(la->la_lladdr, lla, ETHER_ADDR_LEN) != 0)
		rt_msg_neighbour(as->as_ns, RUMP_RTM_ADD, AF_INET,
		    &la->la_addr, lla, ifp);
	memcpy(la->la_lladdr, lla, ETHER_ADDR_LEN);
	la->la_state = LA_REACHABLE;
	la->la_asked = 0;
	la->la_lastreq = 0;
	if (la->la_flags & LA_STATIC) {
		la->la_expire = 0;
		callout_stop(&la->la_timer);
	} else {
		la->la_expire = netstack_now(as->as_ns) +
		    NS_SEC(as->as_keep);
		callout_schedule_at(&la->la_timer, la->la_expire);
	}
	/* Take the queue first: the entry may change (or go) while we
	 * send, if the frames come back at once. */
	q = la->la_hold;
	mq_init(&la->la_hold, (unsigned)as->as_maxhold);
	while ((m = mq_dequeue(&q)) != NULL)
		(void)ether_output_frame(ifp, m, dst, ETHERTYPE_IP);
}

/* Seconds-resolution refresh window of a dynamic entry. */
static uint64_t
arp_refresh_window(const struct arp_state *as)
{
	return MIN(NS_SEC(as->as_keep) / 4, ARP_REFRESH_MAX);
}

/* A reachable entry near its expiry is in use: ask its owner directly
 * (at most once a second) so that it does not lapse while needed. */
static void
la_refresh(struct arp_state *as, struct llentry *la)
{
	uint64_t now = netstack_now(as->as_ns);

	if (now + arp_refresh_window(as) < la->la_expire)
		return;
	if (la->la_lastreq != 0 && now - la->la_lastreq < ARP_RETRANS)
		return;
	arp_request(la, la->la_lladdr);
}

/* Keep a packet for la until it resolves; the oldest goes first when the
 * queue is full (net.inet.arp.maxhold). */
static void
la_hold(struct arp_state *as, struct llentry *la, struct mbuf *m)
{
	unsigned max = (unsigned)as->as_maxhold;

	if (max == 0) {
		ARP_STATINC(as, ARP_STAT_DROPPED);
		m_freem(m);
		return;
	}
	while (la->la_hold.mq_len >= max) {
		m_freem(mq_dequeue(&la->la_hold));
		ARP_STATINC(as, ARP_STAT_DROPPED);
	}
	la->la_hold.mq_maxlen = max;
	(void)mq_enqueue(&la->la_hold, m);
}

int
arp_resolve(struct ifnet *ifp, struct mbuf *m, uint32_t dst,
    uint8_t lla[ETHER_ADDR_LEN])
{
	struct arp_state *as = arp_state(ifp->if_ns);
	struct llentry *la;

	if (as == NULL) {
		m_freem(m);
		return EAFNOSUPPORT;
	}
	la = la_lookup(as, ifp, dst);
	if (la != NULL && la->la_state == LA_REACHABLE) {
		memcpy(lla, la->la_lladdr, ETHER_ADDR_LEN);
		if (!(la->la_flags & LA_STATIC))
			la_refresh(as, la);
		return 0;
	}
	if (ifp->if_flags & IFF_NOARP) {
		ARP_STATINC(as, ARP_STAT_NOARP);
		m_freem(m);
		return EHOSTUNREACH;
	}
	if (la == NULL) {
		if ((la = la_create(as, ifp, dst, false)) == NULL) {
			ARP_STATINC(as, ARP_STAT_DROPPED);
			m_freem(m);
			return ENOBUFS;
		}
		la_hold(as, la, m);
		la->la_asked = 1;
		rt_msg_miss(as->as_ns, AF_INET, &dst, ifp);
		/* Arm first: an answer may arrive while the request goes. */
		callout_schedule(&la->la_timer, ARP_RETRANS);
		arp_request(la, NULL);
		return EWOULDBLOCK;
	}
	if (la->la_state == LA_FAILED) {
		ARP_STATINC(as, ARP_STAT_DROPPED);
		m_freem(m);
		return EHOSTDOWN;
	}
	la_hold(as, la, m);
	return EWOULDBLOCK;
}

/*
 * The entry's callout: retransmit while INCOMPLETE, give up after
 * net.inet.arp.maxtries requests (the waiting packets are dropped and
 * the entry is held FAILED for net.inet.arp.down seconds), remove a
 * FAILED entry at the end of its hold-down and a REACHABLE one when it
 * expires.
 */
static void
arp_timer(void *arg)
{
	struct llentry *la = arg;
	struct arp_state *as = la->la_as;
	uint64_t now = netstack_now(as->as_ns);

	switch (la->la_state) {
	case LA_INCOMPLETE:
		if (la->la_asked < (unsigned)as->as_maxtries) {
			la->la_asked++;
			callout_schedule(&la->la_timer, ARP_RETRANS);
			arp_request(la, NULL);
			return;
		}
		ARP_STATINC(as, ARP_STAT_TIMEOUTS);
		la_drophold(as, la);
		la->la_state = LA_FAILED;
		la->la_expire = now + NS_SEC(as->as_down);
		callout_schedule_at(&la->la_timer, la->la_expire);
		return;
	case LA_FAILED:
		la_free(as, la);
		return;
	case LA_REACHABLE:
		ARP_STATINC(as, ARP_STAT_EXPIRED);
		la_free(as, la);
		return;
	}
}

/* ---------------------------------------------------------------- input */

static void
arp_fmtlladdr(const uint8_t *a, char *buf, size_t len)
{
	ksnprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
	    a[0], a[1], a[2], a[3], a[4], a[5]);
}

/*
 * Another station says it has one of our addresses (RFC 5227 section
 * 2.4).  Log it and defend the address with one announcement, at most
 * once per DEFEND_INTERVAL.
 */
static void
arp_conflict(struct arp_state *as, struct ifnet *ifp,
    const struct in_ifaddr *ia, const uint8_t *sha)
{
	uint64_t now = netstack_now(as->as_ns);
	char mac[24], ip[16];

	if (as->as_defended && now - as->as_lastdefend < ARP_DEFEND_INTERVAL)
		return;
	as->as_defended = true;
	as->as_lastdefend = now;
	arp_fmtlladdr(sha, mac, sizeof(mac));
	kprintf("%s: arp: %s is using my IP address %s on %s\n",
	    as->as_ns->ns_name, mac, in_fmtaddr(ia->ia_addr, ip),
	    ifp->if_xname);
	arp_announce(ifp, ia->ia_addr);
}

/* RFC 826 merge: what the sender told us about itself. */
static void
la_merge(struct arp_state *as, struct llentry *la, const uint8_t *sha)
{
	char ip[16], from[24], to[24];

	if (la->la_state == LA_REACHABLE &&
	    memcmp(la->la_lladdr, sha, ETHER_ADDR_LEN) != 0) {
		arp_fmtlladdr(la->la_lladdr, from, sizeof(from));
		arp_fmtlladdr(sha, to, sizeof(to));
		if (la->la_flags & LA_STATIC) {
			kprintf("%s: arp: %s tried to replace the permanent "
			    "entry %s at %s\n", as->as_ns->ns_name, to,
			    in_fmtaddr(la->la_addr, ip), from);
			return;
		}
		kprintf("%s: arp: %s moved from %s to %s on %s\n",
		    as->as_ns->ns_name, in_fmtaddr(la->la_addr, ip), from, to,
		    la->la_ifp->if_xname);
	}
	if (la->la_flags & LA_STATIC)
		return;
	la_resolved(as, la, sha);
}

/*
 * An ARP frame arrived (Ethernet header removed).  Checks it, learns
 * the sender if it is in the cache or asks for us, and answers requests
 * for our addresses on the receiving interface and for published
 * entries.
 */
void
arp_input(struct netstack *ns, struct mbuf *m)
{
	struct arp_state *as = arp_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ether_arp ea;
	struct in_ifaddr *sia, *tia;
	struct llentry *la;
	uint32_t spa, tpa;
	uint16_t op;
	bool itsme;

	KASSERT(klock_held(&ns->ns_klock));
	ARP_STATINC(as, ARP_STAT_RECEIVED);
	if (m->m_len < ARP_HDRLEN) {
		ARP_STATINC(as, ARP_STAT_BADLEN);
		goto drop;
	}
	memset(&ea, 0, sizeof(ea));
	memcpy(&ea, m->m_data, MIN(m->m_len, sizeof(ea)));
	if (be16dec(ea.ar_hrd) != ARPHRD_ETHER) {
		ARP_STATINC(as, ARP_STAT_BADHRD);
		goto drop;
	}
	if (be16dec(ea.ar_pro) != ETHERTYPE_IP ||
	    ea.ar_hln != ETHER_ADDR_LEN || ea.ar_pln != 4) {
		ARP_STATINC(as, ARP_STAT_BADPROTO);
		goto drop;
	}
	if (m->m_len < sizeof(ea)) {
		ARP_STATINC(as, ARP_STAT_BADLEN);
		goto drop;
	}
	op = be16dec(ea.ar_op);
	if (op != ARPOP_REQUEST && op != ARPOP_REPLY) {
		ARP_STATINC(as, ARP_STAT_BADOP);
		goto drop;
	}
	ARP_STATINC(as, op == ARPOP_REQUEST ? ARP_STAT_RXREQUESTS :
	    ARP_STAT_RXREPLIES);
	memcpy(&spa, ea.arp_spa, 4);
	memcpy(&tpa, ea.arp_tpa, 4);

	if (ifp->if_flags & IFF_NOARP) {
		ARP_STATINC(as, ARP_STAT_NOARP);
		goto drop;
	}
	/* Our own frame, or a sender that cannot be a station. */
	if ((ea.arp_sha[0] & 0x01) ||
	    memcmp(ea.arp_sha, ifp->if_lladdr, ETHER_ADDR_LEN) == 0 ||
	    (spa != 0 && (in_multicast(spa) || in_broadcast(spa, ifp)))) {
		ARP_STATINC(as, ARP_STAT_BADADDR);
		goto drop;
	}
	/* Our addresses it names, if any. */
	sia = spa != 0 ? in_ifaddr_onif(ifp, spa) : NULL;
	tia = in_ifaddr_onif(ifp, tpa);
	/* About an address being checked: somebody else has it. */
	if (arp_dad_input(op, ea.arp_sha, spa == 0, sia, tia)) {
		ARP_STATINC(as, ARP_STAT_DUPADDR);
		goto drop;
	}
	if (sia != NULL && !(sia->ia_ifa.ifa_flags & IN_IFF_DUPLICATED)) {
		ARP_STATINC(as, ARP_STAT_DUPADDR);
		arp_conflict(as, ifp, sia, ea.arp_sha);
		goto drop;
	}
	itsme = tia != NULL &&
	    !(tia->ia_ifa.ifa_flags & (IN_IFF_DUPLICATED | IN_IFF_TENTATIVE));

	/* A probe (sender 0.0.0.0, RFC 5227 2.1.1) teaches nothing. */
	if (spa != 0) {
		la = la_lookup(as, ifp, spa);
		if (la == NULL && itsme)
			la = la_create(as, ifp, spa, false);
		if (la != NULL)
			la_merge(as, la, ea.arp_sha);
	}

	if (op == ARPOP_REQUEST) {
		const uint8_t *lla = NULL;

		if (itsme)
			lla = ifp->if_lladdr;
		else if ((la = la_lookup(as, ifp, tpa)) != NULL &&
		    (la->la_flags & LA_PUB) && la->la_state == LA_REACHABLE)
			lla = la->la_lladdr;
		if (lla != NULL) {
			ARP_STATINC(as, ARP_STAT_TXREPLIES);
			(void)arp_send(ifp, ARPOP_REPLY, lla, tpa, ea.arp_sha,
			    spa, ea.arp_sha);
		}
	}
	m_freem(m);
	return;

drop:
	m_freem(m);
}

/* ------------------------------------------------------ purge, control */

static bool
la_on_ifp(const struct llentry *la, const void *arg)
{
	return la->la_ifp == arg;
}

void
arp_purge_ifp(struct ifnet *ifp)
{
	struct arp_state *as = arp_state(ifp->if_ns);

	if (as != NULL)
		(void)la_sweep(as, la_on_ifp, ifp);
}

struct arp_prefix {
	struct ifnet	*ap_ifp;
	uint32_t	 ap_net;
	uint32_t	 ap_mask;
};

static bool
la_in_prefix(const struct llentry *la, const void *arg)
{
	const struct arp_prefix *ap = arg;

	return la->la_ifp == ap->ap_ifp &&
	    (la->la_addr & ap->ap_mask) == ap->ap_net;
}

void
arp_purge_prefix(struct ifnet *ifp, uint32_t addr, unsigned plen)
{
	struct arp_state *as = arp_state(ifp->if_ns);
	struct arp_prefix ap;

	if (as == NULL)
		return;
	ap.ap_ifp = ifp;
	ap.ap_mask = in_prefixmask(MIN(plen, 32));
	ap.ap_net = addr & ap.ap_mask;
	(void)la_sweep(as, la_in_prefix, &ap);
}

static bool
la_dynamic(const struct llentry *la, const void *arg)
{
	return !(la->la_flags & LA_STATIC);
}

static bool
la_any(const struct llentry *la, const void *arg)
{
	return true;
}

static bool
la_has_addr(const struct llentry *la, const void *arg)
{
	const struct arp_prefix *ap = arg;

	return la->la_addr == ap->ap_net &&
	    (ap->ap_ifp == NULL || la->la_ifp == ap->ap_ifp);
}

static void
la_fill(struct arp_state *as, const struct llentry *la,
    struct rump_nbrreq *req)
{
	uint64_t now = netstack_now(as->as_ns);

	memset(req, 0, sizeof(*req));
	req->nbr_family = AF_INET;
	memcpy(req->nbr_addr, &la->la_addr, 4);
	memcpy(req->nbr_ifname, la->la_ifp->if_xname, IFNAMSIZ);
	req->nbr_ifindex = la->la_ifp->if_index;
	switch (la->la_state) {
	case LA_INCOMPLETE:
		req->nbr_state = RUMP_NBRS_INCOMPLETE;
		break;
	case LA_FAILED:
		req->nbr_state = RUMP_NBRS_FAILED;
		break;
	case LA_REACHABLE:
		memcpy(req->nbr_lladdr, la->la_lladdr, ETHER_ADDR_LEN);
		req->nbr_state = la->la_expire != 0 &&
		    now + arp_refresh_window(as) >= la->la_expire ?
		    RUMP_NBRS_STALE : RUMP_NBRS_REACHABLE;
		break;
	}
	if (la->la_flags & LA_STATIC)
		req->nbr_flags |= RUMP_NBRF_PERMANENT;
	if (la->la_flags & LA_PUB)
		req->nbr_flags |= RUMP_NBRF_PUBLISHED;
	if (la->la_flags & LA_PROXY)
		req->nbr_flags |= RUMP_NBRF_PROXY;
	if (la->la_expire != 0)
		req->nbr_expire = la->la_expire > now ?
		    (uint32_t)howmany(la->la_expire - now, NS_SEC(1)) : 1;
	req->nbr_asked = la->la_asked;
}

/* The interface a neighbour request names (NULL if none). */
static int
arp_req_ifp(struct netstack *ns, const struct rump_nbrreq *req,
    struct ifnet **ifpp)
{
	*ifpp = NULL;
	if (req->nbr_ifname[0] == '\0')
		return 0;
	if (strnlen(req->nbr_ifname, IFNAMSIZ) >= IFNAMSIZ)
		return EINVAL;
	if ((*ifpp = if_byname(ns, req->nbr_ifname)) == NULL)
		return ENXIO;
	return 0;
}

static int
arp_req_set(struct arp_state *as, struct rump_nbrreq *req)
{
	struct netstack *ns = as->as_ns;
	struct llentry *la;
	struct ifnet *ifp;
	uint32_t addr;
	int rv;

	memcpy(&addr, req->nbr_addr, 4);
	if (addr == 0 || in_multicast(addr) || addr == KINADDR_BROADCAST ||
	    (req->nbr_lladdr[0] & 0x01) || in_islocal(ns, addr))
		return EINVAL;
	if ((rv = arp_req_ifp(ns, req, &ifp)) != 0)
		return rv;
	if (ifp == NULL) {
		/* The interface whose subnet holds the address. */
		struct rtentry *rt = rt_lookup(ns, AF_INET, &addr);

		if (rt == NULL || (rt->rt_flags & (RTF_GATEWAY | RTF_LOCAL |
		    RTF_REJECT | RTF_BLACKHOLE)))
			return ENETUNREACH;
		ifp = rt->rt_ifp;
	}
	if (ifp->if_type != IFT_ETHER)
		return ENETUNREACH;
	la = la_lookup(as, ifp, addr);
	if (la != NULL && (la->la_flags & LA_STATIC))
		return EEXIST;
	if (la == NULL && (la = la_create(as, ifp, addr,
	    !(req->nbr_flags & RUMP_NBRF_TEMP))) == NULL)
		return ENOBUFS;
	la->la_flags = 0;
	if (!(req->nbr_flags & RUMP_NBRF_TEMP))
		la->la_flags |= LA_STATIC;
	if (req->nbr_flags & (RUMP_NBRF_PUBLISHED | RUMP_NBRF_PROXY))
		la->la_flags |= LA_PUB;
	if (req->nbr_flags & RUMP_NBRF_PROXY)
		la->la_flags |= LA_PROXY;
	la_resolved(as, la, req->nbr_lladdr);
	return 0;
}

int
arp_control(struct netstack *ns, unsigned long cmd, void *data)
{
	struct arp_state *as = arp_state(ns);
	struct rump_nbrreq *req = data;
	struct arp_prefix ap;
	struct llentry *la;
	struct ifnet *ifp;
	uint32_t addr;
	unsigned n;
	int rv;

	switch (cmd) {
	case RUMP_SIOCGNBR:
	case RUMP_SIOCLISTNBR:
	case RUMP_SIOCSNBR:
	case RUMP_SIOCDNBR:
	case RUMP_SIOCFLUSHNBR:
		break;
	default:
		return ENOTTY;
	}
	if (as == NULL)
		return ENXIO;
	if (req->nbr_family != AF_INET)
		return EAFNOSUPPORT;
	memcpy(&addr, req->nbr_addr, 4);

	switch (cmd) {
	case RUMP_SIOCGNBR:
		if ((rv = arp_req_ifp(ns, req, &ifp)) != 0)
			return rv;
		if ((la = la_lookup(as, ifp, addr)) == NULL)
			return ENOENT;
		la_fill(as, la, req);
		return 0;
	case RUMP_SIOCLISTNBR:
		n = req->nbr_index;
		for (unsigned h = 0; h < ARP_HASHSIZE; h++)
			for (la = as->as_hash[h]; la != NULL;
			    la = la->la_hnext)
				if (n-- == 0) {
					n = req->nbr_index;
					la_fill(as, la, req);
					req->nbr_index = n;
					return 0;
				}
		return ENOENT;
	case RUMP_SIOCSNBR:
		return arp_req_set(as, req);
	case RUMP_SIOCDNBR:
		if ((rv = arp_req_ifp(ns, req, &ifp)) != 0)
			return rv;
		ap.ap_ifp = ifp;
		ap.ap_net = addr;
		ap.ap_mask = 0;
		return la_sweep(as, la_has_addr, &ap) > 0 ? 0 : ENOENT;
	default: /* RUMP_SIOCFLUSHNBR */
		req->nbr_index = la_sweep(as, (req->nbr_flags & RUMP_NBRF_ALL) ?
		    la_any : la_dynamic, NULL);
		return 0;
	}
}

/* -------------------------------------------------------------- module */

int
arp_init(struct netstack *ns)
{
	struct arp_state *as = kmem_zalloc(sizeof(*as));
	int rv;

	as->as_ns = ns;
	as->as_keep = ARP_KEEP_DEFAULT;
	as->as_down = ARP_DOWN_DEFAULT;
	as->as_maxtries = ARP_MAXTRIES_DEFAULT;
	as->as_maxhold = ARP_MAXHOLD_DEFAULT;
	as->as_maxentries = ARP_MAXENTRIES_DEFAULT;
	ns->ns_mod[NSMOD_ARP] = as;
	if ((rv = sysctl_add_int(ns, "net.inet.arp.keep", SYSCTL_RW,
	    &as->as_keep, 1, 31536000,
	    "seconds a resolved entry stays valid")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.arp.down", SYSCTL_RW,
	    &as->as_down, 1, 3600,
	    "seconds a failed resolution is not retried")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.arp.maxtries", SYSCTL_RW,
	    &as->as_maxtries, 1, 100,
	    "requests sent before a resolution fails")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.arp.maxhold", SYSCTL_RW,
	    &as->as_maxhold, 0, 1024,
	    "packets kept per unresolved entry")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.arp.maxentries", SYSCTL_RW,
	    &as->as_maxentries, 1, 1 << 20,
	    "dynamic entries in the cache, at most")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.dad_count", SYSCTL_RW,
	    &as->as_dadcount, 0, 15,
	    "duplicate address probes before an address is used")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet.arp.stats", arp_stat_names,
	    as->as_stats, ARP_NSTATS)) != 0 ||
	    (rv = ether_register_input(ns, ETHERTYPE_ARP, arp_input)) != 0) {
		arp_fini(ns);
		return rv;
	}
	return 0;
}

void
arp_fini(struct netstack *ns)
{
	struct arp_state *as = arp_state(ns);

	if (as == NULL)
		return;
	(void)ether_register_input(ns, ETHERTYPE_ARP, NULL);
	(void)la_sweep(as, la_any, NULL);
	sysctl_remove_prefix(ns, "net.inet.arp");
	sysctl_remove_prefix(ns, "net.inet.ip.dad_count");
	kmem_free(as, sizeof(*as));
	ns->ns_mod[NSMOD_ARP] = NULL;
}
