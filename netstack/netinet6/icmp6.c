/*
 * icmp6.c -- ICMPv6 (RFC 4443): echo replies, error messages with the
 * rules of section 2.4 and a token-bucket rate limit, the hand-off of
 * received errors to transports (Packet Too Big feeds the path MTU
 * cache, RFC 8201), and the dispatch of neighbour discovery messages.
 * Counters: net.inet6.icmp6.stats.*, with per-type histograms
 * stats.inhist.<type> and stats.outhist.<type>.
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/sysctl.h"

enum icmp6_stat {
	ICMP6_STAT_ERROR,	/* icmp6_error calls */
	ICMP6_STAT_OLDICMP,	/* no error sent: about an ICMPv6 error */
	ICMP6_STAT_OLDMCAST,	/* ... about a multicast */
	ICMP6_STAT_OLDSRC,	/* ... source not one unicast host */
	ICMP6_STAT_OLDSHORT,	/* ... too short to quote */
	ICMP6_STAT_RATELIMITED,	/* ... over net.inet6.icmp6.errppslimit */
	ICMP6_STAT_TOOSHORT,	/* received: shorter than 8 bytes */
	ICMP6_STAT_CHECKSUM,	/* received: bad checksum */
	ICMP6_STAT_BADCODE,	/* received: code out of range */
	ICMP6_STAT_BADLEN,	/* received: error quotes too little */
	ICMP6_STAT_REFLECT,	/* echo replies sent */
	ICMP6_STAT_NOMEM,
	ICMP6_NSTATS
};

static const char *const icmp6_stat_names[ICMP6_NSTATS] = {
	[ICMP6_STAT_ERROR] = "error",
	[ICMP6_STAT_OLDICMP] = "oldicmp",
	[ICMP6_STAT_OLDMCAST] = "oldmcast",
	[ICMP6_STAT_OLDSRC] = "oldsrc",
	[ICMP6_STAT_OLDSHORT] = "oldshort",
	[ICMP6_STAT_RATELIMITED] = "ratelimited",
	[ICMP6_STAT_TOOSHORT] = "tooshort",
	[ICMP6_STAT_CHECKSUM] = "checksum",
	[ICMP6_STAT_BADCODE] = "badcode",
	[ICMP6_STAT_BADLEN] = "badlen",
	[ICMP6_STAT_REFLECT] = "reflect",
	[ICMP6_STAT_NOMEM] = "nomem",
};

/* Histogram slots: the known types, then everything else. */
static const uint8_t icmp6_hist_types[] = {
	ICMP6_DST_UNREACH, ICMP6_PACKET_TOO_BIG, ICMP6_TIME_EXCEEDED,
	ICMP6_PARAM_PROB, ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY,
	MLD_LISTENER_QUERY, MLD_LISTENER_REPORT, MLD_LISTENER_DONE,
	ND_ROUTER_SOLICIT, ND_ROUTER_ADVERT, ND_NEIGHBOR_SOLICIT,
	ND_NEIGHBOR_ADVERT, ND_REDIRECT, MLDV2_LISTENER_REPORT,
};
#define ICMP6_NHIST	(nitems(icmp6_hist_types) + 1)
static const char *const icmp6_hist_names[] = {
	"unreach", "toobig", "timxceed", "paramprob", "echo", "echoreply",
	"mldquery", "mldreport", "mlddone", "routersolicit", "routeradvert",
	"neighborsolicit", "neighboradvert", "redirect", "mldv2report",
	"other",
};
_Static_assert(nitems(icmp6_hist_names) == nitems(icmp6_hist_types) + 1,
    "histogram names");

struct icmp6_state {
	uint64_t	 ic6_stats[ICMP6_NSTATS];
	uint64_t	 ic6_inhist[nitems(icmp6_hist_names)];
	uint64_t	 ic6_outhist[nitems(icmp6_hist_names)];
	int32_t		 ic6_errppslimit;
	uint64_t	 ic6_tokens;
	uint64_t	 ic6_tokens_at;
};

static inline struct icmp6_state *
icmp6_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_ICMP6];
}

static void
icmp6_statinc(struct netstack *ns, enum icmp6_stat s)
{
	icmp6_state(ns)->ic6_stats[s]++;
}

static unsigned
icmp6_hist(uint8_t type)
{
	for (unsigned i = 0; i < nitems(icmp6_hist_types); i++)
		if (icmp6_hist_types[i] == type)
			return i;
	return nitems(icmp6_hist_types);
}

int
icmp6_errno(int type, int code, bool *hard)
{
	*hard = false;
	switch (type) {
	case ICMP6_DST_UNREACH:
		switch (code) {
		case ICMP6_DST_UNREACH_NOPORT:
			*hard = true;
			return ECONNREFUSED;
		case ICMP6_DST_UNREACH_ADMIN:
		case ICMP6_DST_UNREACH_POLICY:
		case ICMP6_DST_UNREACH_REJECT:
			*hard = true;
			return EACCES;
		case ICMP6_DST_UNREACH_NOROUTE:
			return ENETUNREACH;
		default:
			return EHOSTUNREACH;
		}
	case ICMP6_PACKET_TOO_BIG:
		return EMSGSIZE;
	case ICMP6_TIME_EXCEEDED:
		return EHOSTUNREACH;
	case ICMP6_PARAM_PROB:
		*hard = true;
		return EPROTO;
	default:
		return 0;
	}
}

/* Token bucket, as for ICMPv4 (ip_icmp.c). => true if one may go. */
static bool
icmp6_ratecheck(struct netstack *ns)
{
	struct icmp6_state *ic6 = icmp6_state(ns);
	const uint64_t unit = NS_SEC(1);
	uint64_t now = netstack_now(ns), elapsed, cap;
	int32_t limit = ic6->ic6_errppslimit;

	if (limit < 0)
		return true;
	if (limit == 0)
		return false;
	cap = (uint64_t)limit * unit;
	elapsed = now - ic6->ic6_tokens_at;
	if (elapsed > unit)
		elapsed = unit;
	ic6->ic6_tokens += elapsed * (uint64_t)limit;
	if (ic6->ic6_tokens > cap)
		ic6->ic6_tokens = cap;
	ic6->ic6_tokens_at = now;
	if (ic6->ic6_tokens < unit)
		return false;
	ic6->ic6_tokens -= unit;
	return true;
}

int
icmp6_output(struct netstack *ns, struct mbuf *m, unsigned oif)
{
	struct ip6_hdr *ip6 = mtod(m, struct ip6_hdr *);
	struct icmp6_hdr *icp = (struct icmp6_hdr *)(m->m_data + IP6_HDRLEN);
	size_t len = m->m_len - IP6_HDRLEN;
	int flags = 0;
	uint32_t sum;

	if (in6_is_unspecified(ip6->ip6_src)) {
		if (icp->icmp6_type == ND_NEIGHBOR_SOLICIT ||
		    icp->icmp6_type == ND_ROUTER_SOLICIT)
			flags |= IPV6_UNSPECSRC;
		else if (in6_selectsrc(ns, ip6->ip6_dst, oif != 0 ?
		    if_byindex(ns, oif) : NULL, ip6->ip6_src) != 0) {
			ip6_statinc(ns, IP6_STAT_ODROPPED);
			m_freem(m);
			return EADDRNOTAVAIL;
		}
	}
	icp->icmp6_cksum = 0;
	sum = in6_pseudo_sum(ip6->ip6_src, ip6->ip6_dst, KIPPROTO_ICMPV6,
	    (uint32_t)len);
	sum = in_cksum_add(sum, icp, len);
	icp->icmp6_cksum = (uint16_t)~in_cksum_fold(sum);
	icmp6_state(ns)->ic6_outhist[icmp6_hist(icp->icmp6_type)]++;
	m->m_flags &= ~(M_BCAST | M_MCAST | M_LOOP | M_PROMISC);
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	return ip6_output(ns, m, oif, flags);
}

/* Is the packet at off an ICMPv6 error (or unclassifiable)?  Walks the
 * extension headers of the offending packet. */
static bool
icmp6_about_error(const struct mbuf *n)
{
	unsigned off = IP6_HDRLEN;
	uint8_t nxt = n->m_data[IP6_NXT_OFF];

	for (unsigned i = 0; i < 16; i++) {
		switch (nxt) {
		case KIPPROTO_HOPOPTS:
		case KIPPROTO_DSTOPTS:
		case KIPPROTO_ROUTING:
			if (n->m_len < off + 8)
				return false;
			nxt = n->m_data[off];
			off += ((unsigned)n->m_data[off + 1] + 1) * 8;
			continue;
		case KIPPROTO_FRAGMENT:
			if (n->m_len < off + 8 ||
			    (be16dec(n->m_data + off + 2) & IP6F_OFF_MASK))
				return false;
			nxt = n->m_data[off];
			off += 8;
			continue;
		case KIPPROTO_ICMPV6:
			return n->m_len < off + 1 ||
			    !(n->m_data[off] & ICMP6_INFOMSG_MASK) ||
			    n->m_data[off] == ND_REDIRECT;
		default:
			return false;
		}
	}
	return false;
}

void
icmp6_error(struct netstack *ns, struct mbuf *n, int type, int code,
    uint32_t param)
{
	const struct ip6_hdr *oip6;
	struct ifnet *rcvif = n->m_pkthdr.rcvif;
	unsigned quote, oif = 0;
	struct ip6_hdr *ip6;
	struct icmp6_hdr *icp;
	struct mbuf *m;

	KASSERT(klock_held(&ns->ns_klock));
	icmp6_statinc(ns, ICMP6_STAT_ERROR);
	if (n->m_len < IP6_HDRLEN) {
		icmp6_statinc(ns, ICMP6_STAT_OLDSHORT);
		goto drop;
	}
	oip6 = mtod(n, const struct ip6_hdr *);
	/* RFC 4443 2.4(e.1): never about an error message. */
	if (icmp6_about_error(n)) {
		icmp6_statinc(ns, ICMP6_STAT_OLDICMP);
		goto drop;
	}
	/* (e.2, e.3): nor about multicast, except Packet Too Big and an
	 * unrecognised option that demands an answer. */
	if ((in6_is_multicast(oip6->ip6_dst) ||
	    (n->m_flags & (M_BCAST | M_MCAST))) &&
	    type != ICMP6_PACKET_TOO_BIG &&
	    !(type == ICMP6_PARAM_PROB && code == ICMP6_PARAMPROB_OPTION)) {
		icmp6_statinc(ns, ICMP6_STAT_OLDMCAST);
		goto drop;
	}
	/* (e.6): nor to a source that is not one unicast host. */
	if (in6_is_unspecified(oip6->ip6_src) ||
	    in6_is_multicast(oip6->ip6_src)) {
		icmp6_statinc(ns, ICMP6_STAT_OLDSRC);
		goto drop;
	}
	/* (f): rate limit. */
	if (!icmp6_ratecheck(ns)) {
		icmp6_statinc(ns, ICMP6_STAT_RATELIMITED);
		goto drop;
	}
	/* (c): as much of the packet as fits in the minimum MTU. */
	quote = MIN(n->m_len, IPV6_MMTU - IP6_HDRLEN - ICMP6_MINLEN);
	if ((m = m_gethdr(IP6_HDRLEN + ICMP6_MINLEN + quote)) == NULL) {
		icmp6_statinc(ns, ICMP6_STAT_NOMEM);
		goto drop;
	}
	memset(m->m_data, 0, IP6_HDRLEN + ICMP6_MINLEN);
	ip6 = mtod(m, struct ip6_hdr *);
	icp = (struct icmp6_hdr *)(ip6 + 1);
	icp->icmp6_type = (uint8_t)type;
	icp->icmp6_code = (uint8_t)code;
	be32enc(icp->icmp6_data, param);
	memcpy(icp + 1, oip6, quote);
	ip6->ip6_nxt = KIPPROTO_ICMPV6;
	ip6->ip6_hlim = (uint8_t)ip6_state(ns)->ip6s_hlim;
	memcpy(ip6->ip6_dst, oip6->ip6_src, 16);
	/* From the address the packet was sent to if it is ours. */
	if (rcvif != NULL && !in6_is_multicast(oip6->ip6_dst) &&
	    in6_islocal(ns, oip6->ip6_dst, rcvif->if_index))
		memcpy(ip6->ip6_src, oip6->ip6_dst, 16);
	if (in6_is_scoped(ip6->ip6_dst) && rcvif != NULL &&
	    !(rcvif->if_flags & IFF_LOOPBACK))
		oif = rcvif->if_index;
	else if (in6_is_scoped(ip6->ip6_dst))
		/* Our own packet (ND failure) or one looped through lo0:
		 * the zone of its source. */
		oif = in6_addr_zone(ns, oip6->ip6_src);
	m_freem(n);
	(void)icmp6_output(ns, m, oif);
	return;

drop:
	m_freem(n);
}

/* Answer an echo request: same identifier, sequence and data. */
static void
icmp6_echo(struct netstack *ns, struct mbuf *m, unsigned off)
{
	const struct ip6_hdr *oip6 = mtod(m, const struct ip6_hdr *);
	struct ifnet *rcvif = m->m_pkthdr.rcvif;
	size_t len = m->m_len - off;
	struct ip6_hdr *ip6;
	struct mbuf *r;
	unsigned oif = 0;

	if ((r = m_gethdr(IP6_HDRLEN + len)) == NULL) {
		icmp6_statinc(ns, ICMP6_STAT_NOMEM);
		return;
	}
	ip6 = mtod(r, struct ip6_hdr *);
	memset(ip6, 0, IP6_HDRLEN);
	ip6->ip6_nxt = KIPPROTO_ICMPV6;
	ip6->ip6_hlim = (uint8_t)ip6_state(ns)->ip6s_hlim;
	memcpy(ip6->ip6_dst, oip6->ip6_src, 16);
	/* To a multicast group: answer from a unicast address. */
	if (!in6_is_multicast(oip6->ip6_dst))
		memcpy(ip6->ip6_src, oip6->ip6_dst, 16);
	memcpy(r->m_data + IP6_HDRLEN, m->m_data + off, len);
	r->m_data[IP6_HDRLEN] = ICMP6_ECHO_REPLY;
	if (rcvif != NULL && !(rcvif->if_flags & IFF_LOOPBACK))
		oif = in6_is_scoped(ip6->ip6_dst) ||
		    in6_is_linklocal(ip6->ip6_src) ? rcvif->if_index : 0;
	else if (in6_is_scoped(ip6->ip6_dst))
		oif = in6_addr_zone(ns, ip6->ip6_dst);
	icmp6_statinc(ns, ICMP6_STAT_REFLECT);
	(void)icmp6_output(ns, r, oif);
}

/* An error about a packet we sent: path MTU, then the transport. */
static void
icmp6_notify(struct netstack *ns, const struct mbuf *m, unsigned off)
{
	const uint8_t *icp = m->m_data + off;
	const uint8_t *q = icp + ICMP6_MINLEN;
	size_t qlen = m->m_len - off - ICMP6_MINLEN;
	struct ip6_ctlmsg cm;
	ip6_ctlinput_fn fn;
	unsigned qoff = IP6_HDRLEN;
	uint8_t nxt = q[IP6_NXT_OFF];

	memset(&cm, 0, sizeof(cm));
	cm.icm6_type = icp[0];
	cm.icm6_code = icp[1];
	cm.icm6_error = icmp6_errno(icp[0], icp[1], &cm.icm6_hard);
	memcpy(cm.icm6_src, q + 8, 16);
	memcpy(cm.icm6_dst, q + 24, 16);
	if (in6_is_scoped(cm.icm6_dst) && m->m_pkthdr.rcvif != NULL)
		cm.icm6_scope = m->m_pkthdr.rcvif->if_index;
	if (icp[0] == ICMP6_PACKET_TOO_BIG) {
		cm.icm6_mtu = be32dec(icp + 4);
		ip6_pmtu_update(ns, cm.icm6_dst, cm.icm6_mtu);
	}
	/* Find the transport header inside the quote. */
	while ((nxt == KIPPROTO_HOPOPTS || nxt == KIPPROTO_DSTOPTS ||
	    nxt == KIPPROTO_ROUTING || nxt == KIPPROTO_FRAGMENT) &&
	    qlen >= qoff + 8) {
		unsigned hlen = nxt == KIPPROTO_FRAGMENT ? 8 :
		    ((unsigned)q[qoff + 1] + 1) * 8;

		nxt = q[qoff];
		qoff += hlen;
	}
	if (qlen < qoff)
		return;
	cm.icm6_l4 = q + qoff;
	cm.icm6_l4len = qlen - qoff;
	fn = ip6_state(ns)->ip6s_proto[nxt].ip6p_ctlinput;
	if (fn != NULL)
		(*fn)(ns, &cm);
}

void
icmp6_input(struct netstack *ns, struct mbuf *m, unsigned off)
{
	struct icmp6_state *ic6 = icmp6_state(ns);
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	size_t len = m->m_len - off;
	const uint8_t *icp;
	uint32_t sum;

	KASSERT(klock_held(&ns->ns_klock));
	if (len < ICMP6_MINLEN) {
		icmp6_statinc(ns, ICMP6_STAT_TOOSHORT);
		goto drop;
	}
	icp = m->m_data + off;
	sum = in6_pseudo_sum(ip6->ip6_src, ip6->ip6_dst, KIPPROTO_ICMPV6,
	    (uint32_t)len);
	if (in_cksum_fold(in_cksum_add(sum, icp, len)) != 0xffff) {
		icmp6_statinc(ns, ICMP6_STAT_CHECKSUM);
		goto drop;
	}
	ic6->ic6_inhist[icmp6_hist(icp[0])]++;

	switch (icp[0]) {
	case ICMP6_ECHO_REQUEST:
		if (icp[1] != 0) {
			icmp6_statinc(ns, ICMP6_STAT_BADCODE);
			goto drop;
		}
		icmp6_echo(ns, m, off);
		break;
	case ICMP6_DST_UNREACH:
	case ICMP6_PACKET_TOO_BIG:
	case ICMP6_TIME_EXCEEDED:
	case ICMP6_PARAM_PROB:
		if ((icp[0] == ICMP6_DST_UNREACH && icp[1] > 7) ||
		    (icp[0] == ICMP6_PACKET_TOO_BIG && icp[1] != 0) ||
		    (icp[0] == ICMP6_TIME_EXCEEDED && icp[1] > 1) ||
		    (icp[0] == ICMP6_PARAM_PROB && icp[1] > 3)) {
			icmp6_statinc(ns, ICMP6_STAT_BADCODE);
			goto drop;
		}
		if (len < ICMP6_MINLEN + IP6_HDRLEN ||
		    (icp[ICMP6_MINLEN] & IPV6_VERSION_MASK) != IPV6_VERSION) {
			icmp6_statinc(ns, ICMP6_STAT_BADLEN);
			goto drop;
		}
		icmp6_notify(ns, m, off);
		break;
	case ND_ROUTER_SOLICIT:
		nd6_rs_input(ns, m, off);
		break;
	case ND_ROUTER_ADVERT:
		nd6_ra_input(ns, m, off);
		break;
	case ND_NEIGHBOR_SOLICIT:
		nd6_ns_input(ns, m, off);
		break;
	case ND_NEIGHBOR_ADVERT:
		nd6_na_input(ns, m, off);
		break;
	default:
		/* Replies, MLD, redirects (not acted upon): raw only. */
		break;
	}
	(void)rip6_input(ns, m, off, KIPPROTO_ICMPV6);

drop:
	m_freem(m);
}

/* ------------------------------------------------------------ module */

int
icmp6_init(struct netstack *ns)
{
	struct icmp6_state *ic6 = kmem_zalloc(sizeof(*ic6));
	int rv;

	ns->ns_mod[NSMOD_ICMP6] = ic6;
	ic6->ic6_errppslimit = 100;
	ic6->ic6_tokens = (uint64_t)ic6->ic6_errppslimit * NS_SEC(1);
	ic6->ic6_tokens_at = netstack_now(ns);
	if ((rv = sysctl_add_int(ns, "net.inet6.icmp6.errppslimit", SYSCTL_RW,
	    &ic6->ic6_errppslimit, -1, INT32_MAX,
	    "ICMPv6 errors per second (-1: no limit)")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet6.icmp6.stats",
	    icmp6_stat_names, ic6->ic6_stats, ICMP6_NSTATS)) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet6.icmp6.stats.inhist",
	    icmp6_hist_names, ic6->ic6_inhist, ICMP6_NHIST)) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet6.icmp6.stats.outhist",
	    icmp6_hist_names, ic6->ic6_outhist, ICMP6_NHIST)) != 0)
		return rv;
	return 0;
}

void
icmp6_fini(struct netstack *ns)
{
	struct icmp6_state *ic6 = icmp6_state(ns);

	if (ic6 == NULL)
		return;
	sysctl_remove_prefix(ns, "net.inet6.icmp6");
	ns->ns_mod[NSMOD_ICMP6] = NULL;
	kmem_free(ic6, sizeof(*ic6));
}
