/*
 * ip_icmp.c -- ICMP for IPv4 (RFC 792, RFC 1122 3.2.2, RFC 1812 4.3):
 * echo replies, error messages with their rate limit, and the hand-off
 * of received errors to the transports.
 */
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/kern/sysctl.h"

const char *const icmp_stat_names[ICMP_NSTATS] = {
	[ICMP_STAT_ERROR] = "error",
	[ICMP_STAT_OLDICMP] = "oldicmp",
	[ICMP_STAT_OLDFRAG] = "oldfrag",
	[ICMP_STAT_OLDBMCAST] = "oldbmcast",
	[ICMP_STAT_OLDMARTIAN] = "oldmartian",
	[ICMP_STAT_OLDSHORT] = "oldshort",
	[ICMP_STAT_RATELIMITED] = "ratelimited",
	[ICMP_STAT_TOOSHORT] = "tooshort",
	[ICMP_STAT_CHECKSUM] = "checksum",
	[ICMP_STAT_BADCODE] = "badcode",
	[ICMP_STAT_BADLEN] = "badlen",
	[ICMP_STAT_BMCASTECHO] = "bmcastecho",
	[ICMP_STAT_REFLECT] = "reflect",
	[ICMP_STAT_NOMEM] = "nomem",
	[ICMP_STAT_BADREDIRECT] = "badredirect",
};

const char *const icmp_type_names[ICMP_MAXTYPE + 1] = {
	[ICMP_ECHOREPLY] = "echoreply",
	[1] = "type1",
	[2] = "type2",
	[ICMP_UNREACH] = "unreach",
	[ICMP_SOURCEQUENCH] = "sourcequench",
	[ICMP_REDIRECT] = "redirect",
	[6] = "type6",
	[7] = "type7",
	[ICMP_ECHO] = "echo",
	[ICMP_ROUTERADVERT] = "routeradvert",
	[ICMP_ROUTERSOLICIT] = "routersolicit",
	[ICMP_TIMXCEED] = "timxceed",
	[ICMP_PARAMPROB] = "paramprob",
	[ICMP_TSTAMP] = "tstamp",
	[ICMP_TSTAMPREPLY] = "tstampreply",
	[ICMP_IREQ] = "ireq",
	[ICMP_IREQREPLY] = "ireqreply",
	[ICMP_MASKREQ] = "maskreq",
	[ICMP_MASKREPLY] = "maskreply",
};

static void
icmp_statinc(struct netstack *ns, enum icmp_stat s)
{
	icmp_state(ns)->ics_stats[s]++;
}

/*
 * Destination unreachable codes: the errno Linux reports and whether
 * the error is hard (the attempt cannot succeed).
 */
static const struct {
	int	ue_errno;
	bool	ue_hard;
} icmp_unreach_errors[ICMP_UNREACH_MAXCODE + 1] = {
	[ICMP_UNREACH_NET] = { ENETUNREACH, false },
	[ICMP_UNREACH_HOST] = { EHOSTUNREACH, false },
	[ICMP_UNREACH_PROTOCOL] = { ENOPROTOOPT, true },
	[ICMP_UNREACH_PORT] = { ECONNREFUSED, true },
	[ICMP_UNREACH_NEEDFRAG] = { EMSGSIZE, false },
	[ICMP_UNREACH_SRCFAIL] = { EOPNOTSUPP, false },
	[ICMP_UNREACH_NET_UNKNOWN] = { ENETUNREACH, true },
	[ICMP_UNREACH_HOST_UNKNOWN] = { EHOSTDOWN, true },
	[ICMP_UNREACH_ISOLATED] = { ENONET, true },
	[ICMP_UNREACH_NET_PROHIB] = { ENETUNREACH, true },
	[ICMP_UNREACH_HOST_PROHIB] = { EHOSTUNREACH, true },
	[ICMP_UNREACH_TOSNET] = { ENETUNREACH, false },
	[ICMP_UNREACH_TOSHOST] = { EHOSTUNREACH, false },
	[ICMP_UNREACH_FILTER_PROHIB] = { EHOSTUNREACH, true },
	[ICMP_UNREACH_HOST_PRECEDENCE] = { EHOSTUNREACH, true },
	[ICMP_UNREACH_PRECEDENCE_CUTOFF] = { EHOSTUNREACH, true },
};

int
icmp_errno(int type, int code, bool *hard)
{
	*hard = false;
	switch (type) {
	case ICMP_UNREACH:
		if (code < 0 || code > ICMP_UNREACH_MAXCODE)
			return 0;
		*hard = icmp_unreach_errors[code].ue_hard;
		return icmp_unreach_errors[code].ue_errno;
	case ICMP_TIMXCEED:
		return EHOSTUNREACH;
	case ICMP_PARAMPROB:
		*hard = true;
		return EPROTO;
	default:		/* source quench (RFC 6633), redirect */
		return 0;
	}
}

/*
 * Token bucket for error messages: net.inet.icmp.errppslimit messages
 * per second on average, bursts of up to one second's worth.  Tokens
 * count in billionths of a message so the refill is exact at any
 * rate on the nanosecond clock.  => true if one may be sent now.
 */
static bool
icmp_ratecheck(struct netstack *ns)
{
	struct icmp_state *ics = icmp_state(ns);
	const uint64_t unit = NS_SEC(1);
	uint64_t now = netstack_now(ns), elapsed, cap;
	int32_t limit = ics->ics_errppslimit;

	if (limit < 0)
		return true;
	if (limit == 0)
		return false;
	cap = (uint64_t)limit * unit;
	elapsed = now - ics->ics_tokens_at;
	if (elapsed > unit)
		elapsed = unit;		/* a full bucket refills in 1 s */
	ics->ics_tokens += elapsed * (uint64_t)limit;
	if (ics->ics_tokens > cap)
		ics->ics_tokens = cap;
	ics->ics_tokens_at = now;
	if (ics->ics_tokens < unit)
		return false;
	ics->ics_tokens -= unit;
	return true;
}

/* Was n addressed to or received as a broadcast or multicast? */
static bool
icmp_bmcast(const struct mbuf *n, uint32_t dst)
{
	const struct ifnet *ifp = n->m_pkthdr.rcvif;

	return (n->m_flags & (M_BCAST | M_MCAST)) != 0 ||
	    dst == KINADDR_BROADCAST || in_multicast(dst) ||
	    (ifp != NULL && in_broadcast(dst, ifp));
}

/* Finish and send an ICMP message: m starts at its 20-byte IP header,
 * ip_dst and ip_src (0: choose) set.  m is consumed. */
static void
icmp_send(struct netstack *ns, struct mbuf *m, uint8_t tos)
{
	struct ip *ip = mtod(m, struct ip *);
	struct icmp_hdr *icp = (struct icmp_hdr *)(ip + 1);

	ip->ip_vhl = IP_VHL_BORING;
	ip->ip_tos = tos;
	ip->ip_off = 0;
	ip->ip_ttl = (uint8_t)ip_state(ns)->ips_defttl;
	ip->ip_p = KIPPROTO_ICMP;
	icp->icmp_cksum = 0;
	icp->icmp_cksum = in_cksum(icp, m->m_len - IP_MINHLEN);
	icmp_state(ns)->ics_outhist[icp->icmp_type]++;
	m->m_flags &= ~(M_BCAST | M_MCAST | M_LOOP | M_PROMISC);
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	(void)ip_output(ns, m, NULL, 0);
}

void
icmp_error(struct netstack *ns, struct mbuf *n, int type, int code,
    uint32_t info)
{
	const struct ip *oip;
	unsigned ohlen, olen, quote;
	struct mbuf *m;
	struct ip *ip;
	struct icmp_hdr *icp;

	KASSERT(klock_held(&ns->ns_klock));
	icmp_statinc(ns, ICMP_STAT_ERROR);
	if (n->m_len < IP_MINHLEN) {
		icmp_statinc(ns, ICMP_STAT_OLDSHORT);
		goto drop;
	}
	oip = mtod(n, const struct ip *);
	ohlen = (unsigned)IP_VHL_HL(oip->ip_vhl) << 2;
	olen = MIN(ntohs(oip->ip_len), n->m_len);
	if (ohlen < IP_MINHLEN || olen < ohlen) {
		icmp_statinc(ns, ICMP_STAT_OLDSHORT);
		goto drop;
	}
	/* RFC 1122 3.2.2: never about a non-first fragment ... */
	if (oip->ip_off & htons(IP_OFFMASK)) {
		icmp_statinc(ns, ICMP_STAT_OLDFRAG);
		goto drop;
	}
	/* ... an ICMP error (a message we cannot classify counts as one) */
	if (oip->ip_p == KIPPROTO_ICMP &&
	    (olen < ohlen + 1 || icmp_iserror(n->m_data[ohlen]))) {
		icmp_statinc(ns, ICMP_STAT_OLDICMP);
		goto drop;
	}
	/* ... a broadcast or multicast ... */
	if (icmp_bmcast(n, oip->ip_dst)) {
		icmp_statinc(ns, ICMP_STAT_OLDBMCAST);
		goto drop;
	}
	/* ... or a source that does not name one host. */
	if (oip->ip_src == KINADDR_ANY ||
	    ip_martian_src(oip->ip_src, n->m_pkthdr.rcvif)) {
		icmp_statinc(ns, ICMP_STAT_OLDMARTIAN);
		goto drop;
	}
	if (!icmp_ratecheck(ns)) {
		icmp_statinc(ns, ICMP_STAT_RATELIMITED);
		goto drop;
	}

	/* RFC 1812 4.3.2.3: quote as much as fits in 576 bytes. */
	quote = MIN(olen, IP_MSS - IP_MINHLEN - ICMP_MINLEN);
	m = m_get(IP_MINHLEN + ICMP_MINLEN + quote, MHEADROOM);
	if (m == NULL) {
		icmp_statinc(ns, ICMP_STAT_NOMEM);
		goto drop;
	}
	m->m_len = m->m_pkthdr.len = IP_MINHLEN + ICMP_MINLEN + quote;
	memset(m->m_data, 0, IP_MINHLEN + ICMP_MINLEN);
	ip = mtod(m, struct ip *);
	icp = (struct icmp_hdr *)(ip + 1);
	icp->icmp_type = (uint8_t)type;
	icp->icmp_code = (uint8_t)code;
	if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG)
		icp->icmp_hun.ih_pmtu.ipm_nextmtu = htons((uint16_t)info);
	else if (type == ICMP_REDIRECT)
		icp->icmp_hun.ih_gwaddr = info;		/* network order */
	else if (type == ICMP_PARAMPROB)
		icp->icmp_hun.ih_pptr = (uint8_t)info;
	memcpy(icp + 1, oip, quote);

	/*
	 * From the address the datagram was sent to if it is ours; from
	 * the outgoing interface's address otherwise (RFC 1812 4.3.2.4),
	 * which is what source selection by route gives.
	 */
	ip->ip_dst = oip->ip_src;
	ip->ip_src = in_islocal(ns, oip->ip_dst) ? oip->ip_dst : KINADDR_ANY;
	m_freem(n);
	icmp_send(ns, m, 0);
	return;

drop:
	m_freem(n);
}

/*
 * Answer an echo request in place: same data, addresses swapped, sent
 * from the address that was pinged (the receiving interface's for a
 * broadcast).  Options are not returned.  m is consumed.
 */
static void
icmp_echo(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	uint32_t from = ip->ip_src, to = ip->ip_dst, src;
	uint8_t tos = ip->ip_tos;
	struct icmp_hdr *icp;

	if (in_islocal(ns, to)) {
		src = to;
	} else {
		struct in_ifaddr *ia = in_ifaddr_primary(m->m_pkthdr.rcvif);

		src = ia != NULL ? ia->ia_addr : KINADDR_ANY;
	}
	if (from == KINADDR_ANY) {
		icmp_statinc(ns, ICMP_STAT_OLDMARTIAN);
		m_freem(m);
		return;
	}
	if (hlen > IP_MINHLEN) {
		memmove(m->m_data + hlen - IP_MINHLEN, m->m_data, IP_MINHLEN);
		m_adj(m, (int)(hlen - IP_MINHLEN));
		ip = mtod(m, struct ip *);
	}
	ip->ip_src = src;
	ip->ip_dst = from;
	icp = (struct icmp_hdr *)(ip + 1);
	icp->icmp_type = ICMP_ECHOREPLY;
	icp->icmp_code = 0;
	icmp_statinc(ns, ICMP_STAT_REFLECT);
	icmp_send(ns, m, tos);
}

/* Hand an error about one of our datagrams to its transport. */
static void
icmp_notify(struct netstack *ns, const struct icmp_hdr *icp, size_t icmplen)
{
	const uint8_t *q = (const uint8_t *)(icp + 1);
	const struct ip *oip = (const struct ip *)q;
	unsigned ohlen = (unsigned)IP_VHL_HL(oip->ip_vhl) << 2;
	ip_ctlinput_fn fn = ip_state(ns)->ips_proto[oip->ip_p].ipp_ctlinput;
	struct ip_ctlmsg cm;

	if (fn == NULL)
		return;
	memset(&cm, 0, sizeof(cm));
	cm.icm_type = icp->icmp_type;
	cm.icm_code = icp->icmp_code;
	cm.icm_error = icmp_errno(icp->icmp_type, icp->icmp_code, &cm.icm_hard);
	if (icp->icmp_type == ICMP_UNREACH &&
	    icp->icmp_code == ICMP_UNREACH_NEEDFRAG)
		cm.icm_mtu = ntohs(icp->icmp_hun.ih_pmtu.ipm_nextmtu);
	cm.icm_src = oip->ip_src;
	cm.icm_dst = oip->ip_dst;
	cm.icm_l4 = q + ohlen;
	cm.icm_l4len = icmplen - ICMP_MINLEN - ohlen;
	(*fn)(ns, &cm);
}

/* Does the message quote an IPv4 header and 8 more bytes (RFC 792),
 * as errors and redirects must? */
static bool
icmp_quote_ok(const struct icmp_hdr *icp, size_t icmplen)
{
	const struct ip *oip = (const struct ip *)(icp + 1);
	unsigned ohlen;

	if (icmplen < ICMP_ADVLENMIN)
		return false;
	ohlen = (unsigned)IP_VHL_HL(oip->ip_vhl) << 2;
	return IP_VHL_V(oip->ip_vhl) == IPVERSION && ohlen >= IP_MINHLEN &&
	    icmplen >= ICMP_MINLEN + ohlen + 8;
}

void
icmp_input(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct icmp_state *ics = icmp_state(ns);
	const struct ip *ip = mtod(m, const struct ip *);
	size_t icmplen = m->m_len - hlen;
	struct icmp_hdr *icp;
	unsigned maxcode;

	KASSERT(klock_held(&ns->ns_klock));
	if (icmplen < ICMP_MINLEN) {
		icmp_statinc(ns, ICMP_STAT_TOOSHORT);
		goto drop;
	}
	icp = (struct icmp_hdr *)(m->m_data + hlen);
	if (in_cksum(icp, icmplen) != 0) {
		icmp_statinc(ns, ICMP_STAT_CHECKSUM);
		goto drop;
	}
	if (icp->icmp_type <= ICMP_MAXTYPE)
		ics->ics_inhist[icp->icmp_type]++;

	switch (icp->icmp_type) {
	case ICMP_ECHO:
		(void)rip_input(ns, m, hlen);
		if (icmp_bmcast(m, ip->ip_dst) && !ics->ics_bmcastecho) {
			icmp_statinc(ns, ICMP_STAT_BMCASTECHO);
			goto drop;
		}
		icmp_echo(ns, m, hlen);
		return;

	case ICMP_UNREACH:
	case ICMP_TIMXCEED:
	case ICMP_PARAMPROB:
	case ICMP_SOURCEQUENCH:
		maxcode = icp->icmp_type == ICMP_UNREACH ?
		    ICMP_UNREACH_MAXCODE :
		    icp->icmp_type == ICMP_TIMXCEED ? ICMP_TIMXCEED_REASS :
		    icp->icmp_type == ICMP_PARAMPROB ? ICMP_PARAMPROB_LENGTH : 0;
		if (icp->icmp_code > maxcode) {
			icmp_statinc(ns, ICMP_STAT_BADCODE);
			goto drop;
		}
		if (!icmp_quote_ok(icp, icmplen)) {
			icmp_statinc(ns, ICMP_STAT_BADLEN);
			goto drop;
		}
		icmp_notify(ns, icp, icmplen);
		break;

	case ICMP_REDIRECT:
		if (icp->icmp_code > ICMP_REDIRECT_TOSHOST ||
		    !icmp_quote_ok(icp, icmplen)) {
			icmp_statinc(ns, ICMP_STAT_BADREDIRECT);
			break;
		}
		if (!icmp_redirect_input(ns, ip->ip_src,
		    ((const struct ip *)(icp + 1))->ip_dst,
		    icp->icmp_hun.ih_gwaddr))
			icmp_statinc(ns, ICMP_STAT_BADREDIRECT);
		break;

	default:
		/* Replies and others: raw sockets only. */
		break;
	}
	(void)rip_input(ns, m, hlen);

drop:
	m_freem(m);
}

/* ------------------------------------------------------------ module */

int
icmp_init(struct netstack *ns)
{
	struct icmp_state *ics;
	int rv;

	ics = kmem_zalloc(sizeof(*ics));
	ns->ns_mod[NSMOD_ICMP] = ics;
	ics->ics_errppslimit = 100;
	ics->ics_bmcastecho = 0;
	ics->ics_tokens = (uint64_t)ics->ics_errppslimit * NS_SEC(1);
	ics->ics_tokens_at = netstack_now(ns);

	if ((rv = sysctl_add_int(ns, "net.inet.icmp.errppslimit", SYSCTL_RW,
	    &ics->ics_errppslimit, -1, INT32_MAX,
	    "ICMP errors per second (-1: no limit)")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.icmp.bmcastecho", SYSCTL_RW,
	    &ics->ics_bmcastecho, 0, 1,
	    "answer echo requests sent to broadcast/multicast")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet.icmp.stats",
	    icmp_stat_names, ics->ics_stats, ICMP_NSTATS)) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet.icmp.stats.inhist",
	    icmp_type_names, ics->ics_inhist, ICMP_MAXTYPE + 1)) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet.icmp.stats.outhist",
	    icmp_type_names, ics->ics_outhist, ICMP_MAXTYPE + 1)) != 0 ||
	    (rv = icmp_redirect_init(ns)) != 0)
		return rv;
	return 0;
}

void
icmp_fini(struct netstack *ns)
{
	struct icmp_state *ics = icmp_state(ns);

	if (ics == NULL)
		return;
	icmp_redirect_fini(ns);
	sysctl_remove_prefix(ns, "net.inet.icmp");
	ns->ns_mod[NSMOD_ICMP] = NULL;
	kmem_free(ics, sizeof(*ics));
}
