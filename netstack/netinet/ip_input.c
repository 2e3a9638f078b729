/*
 * ip_input.c -- receiving IPv4 datagrams (RFC 791, RFC 1122 3.2.1 and
 * 3.3, RFC 1812 5.2-5.3): validation, local delivery by protocol
 * number, forwarding; and the ip module, which starts IP, ICMP, UDP
 * and raw IP sockets together.
 */
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/net/route.h"
#include "netstack/kern/sysctl.h"

const char *const ip_stat_names[IP_NSTATS] = {
	[IP_STAT_TOTAL] = "total",
	[IP_STAT_TOOSMALL] = "toosmall",
	[IP_STAT_BADVERS] = "badvers",
	[IP_STAT_BADHLEN] = "badhlen",
	[IP_STAT_BADSUM] = "badsum",
	[IP_STAT_BADLEN] = "badlen",
	[IP_STAT_TOOSHORT] = "tooshort",
	[IP_STAT_BADADDR] = "badaddr",
	[IP_STAT_LINKBCAST] = "linkbcast",
	[IP_STAT_BADOPTIONS] = "badoptions",
	[IP_STAT_FRAGMENTS] = "fragments",
	[IP_STAT_FRAGDROPPED] = "fragdropped",
	[IP_STAT_FRAGDUP] = "fragdup",
	[IP_STAT_FRAGOVERLAP] = "fragoverlap",
	[IP_STAT_BADFRAGS] = "badfrags",
	[IP_STAT_TOOLONG] = "toolong",
	[IP_STAT_REDIRECTSENT] = "redirectsent",
	[IP_STAT_FRAGTIMEOUT] = "fragtimeout",
	[IP_STAT_REASSEMBLED] = "reassembled",
	[IP_STAT_DELIVERED] = "delivered",
	[IP_STAT_NOPROTO] = "noproto",
	[IP_STAT_FORWARD] = "forward",
	[IP_STAT_CANTFORWARD] = "cantforward",
	[IP_STAT_TTLEXCEEDED] = "ttlexceeded",
	[IP_STAT_NOROUTE] = "noroute",
	[IP_STAT_BLACKHOLE] = "blackhole",
	[IP_STAT_BCASTDENIED] = "bcastdenied",
	[IP_STAT_LOCALOUT] = "localout",
	[IP_STAT_RAWOUT] = "rawout",
	[IP_STAT_ODROPPED] = "odropped",
	[IP_STAT_FRAGMENTED] = "fragmented",
	[IP_STAT_OFRAGMENTS] = "ofragments",
	[IP_STAT_CANTFRAG] = "cantfrag",
};

int
ip_proto_register(struct netstack *ns, uint8_t proto, ip_input_fn input,
    ip_ctlinput_fn ctlinput)
{
	struct ip_protoent *pe = &ip_state(ns)->ips_proto[proto];

	if (input != NULL && pe->ipp_input != NULL)
		return EEXIST;
	pe->ipp_input = input;
	pe->ipp_ctlinput = ctlinput;
	return 0;
}

bool
ip_martian_src(uint32_t a, const struct ifnet *rcvif)
{
	/* 240.0.0.0/4 (class E) is reserved but not refused here. */
	if (in_multicast(a) || a == KINADDR_BROADCAST)
		return true;
	if (in_loopback(a) &&
	    (rcvif == NULL || !(rcvif->if_flags & IFF_LOOPBACK)))
		return true;
	if (rcvif != NULL && a != KINADDR_ANY && in_broadcast(a, rcvif))
		return true;
	return false;
}

/*
 * Check the options of a received header for well-formedness (RFC 791
 * section 3.1; RFC 1122 3.2.1.8: unknown options are ignored).  The
 * options are not acted upon: source routes are not followed, route
 * and timestamp records are not filled in.
 * => Returns -1 if they are sound, else the offset in the header of the
 *    first bad octet (for a parameter problem message).
 */
static int
ip_checkoptions(const uint8_t *hdr, unsigned hlen)
{
	unsigned i = IP_MINHLEN;

	while (i < hlen) {
		uint8_t opt = hdr[i];
		unsigned olen;

		if (opt == IPOPT_EOL)
			break;
		if (opt == IPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= hlen)
			return (int)i;			/* no length octet */
		olen = hdr[i + 1];
		if (olen < 2 || olen > hlen - i)
			return (int)(i + IPOPT_OLEN);
		switch (opt) {
		case IPOPT_RR:
		case IPOPT_LSRR:
		case IPOPT_SSRR:
			if (olen < 3)
				return (int)(i + IPOPT_OLEN);
			if (hdr[i + IPOPT_OFFSET] < IPOPT_MINOFF)
				return (int)(i + IPOPT_OFFSET);
			break;
		case IPOPT_TS:
			if (olen < 4)
				return (int)(i + IPOPT_OLEN);
			if (hdr[i + IPOPT_OFFSET] < IPOPT_MINOFF + 1)
				return (int)(i + IPOPT_OFFSET);
			break;
		default:
			break;
		}
		i += olen;
	}
	return -1;
}

/*
 * Is the header checksum good?  The driver's verdict is trusted when
 * the interface verifies IPv4 headers (mbuf.h); otherwise check here.
 */
static bool
ip_cksum_ok(const struct mbuf *m, const struct ifnet *ifp, unsigned hlen)
{
	if ((ifp->if_csum_flags_rx & M_CSUM_IPv4) &&
	    (m->m_pkthdr.csum_flags & M_CSUM_IPv4))
		return !(m->m_pkthdr.csum_flags & M_CSUM_IPv4_BAD);
	return in_cksum(m->m_data, hlen) == 0;
}

/*
 * Forward a datagram that is not ours (RFC 1812 5.2-5.3).  ICMP errors
 * quote it as received, so they are sent before the TTL changes.
 * m is consumed.
 */
static void
ip_forward(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct ip *ip = mtod(m, struct ip *);
	uint32_t dst = ip->ip_dst;
	struct rtentry *rt;
	uint16_t old16, new16;
	uint32_t mtu;

	/* RFC 1812 5.3.7: no source on network 0. */
	if (in_zeronet(ip->ip_src)) {
		ip_statinc(ns, IP_STAT_CANTFORWARD);
		goto drop;
	}
	/* RFC 1812 5.3.1: a datagram whose TTL would reach 0 dies here. */
	if (ip->ip_ttl <= 1) {
		ip_statinc(ns, IP_STAT_TTLEXCEEDED);
		icmp_error(ns, m, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0);
		return;
	}
	rt = rt_lookup(ns, AF_INET, &dst);
	if (rt == NULL) {
		ip_statinc(ns, IP_STAT_NOROUTE);
		icmp_error(ns, m, ICMP_UNREACH, ICMP_UNREACH_NET, 0);
		return;
	}
	if (rt->rt_flags & RTF_BLACKHOLE) {
		ip_statinc(ns, IP_STAT_BLACKHOLE);
		goto drop;
	}
	if (rt->rt_flags & RTF_REJECT) {
		ip_statinc(ns, IP_STAT_NOROUTE);
		icmp_error(ns, m, ICMP_UNREACH, ICMP_UNREACH_HOST, 0);
		return;
	}
	/* Directed broadcasts are not forwarded (RFC 2644). */
	if ((rt->rt_flags & RTF_BROADCAST) || in_broadcast(dst, rt->rt_ifp)) {
		ip_statinc(ns, IP_STAT_CANTFORWARD);
		goto drop;
	}
	/* RFC 1191: too big with DF, tell the source the next-hop MTU. */
	mtu = ip_routemtu(rt);
	if (m->m_len > mtu && (ip->ip_off & htons(IP_DF))) {
		ip_statinc(ns, IP_STAT_CANTFRAG);
		icmp_error(ns, m, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, mtu);
		return;
	}

	/* Back out of the interface it came in on: a better first hop? */
	icmp_redirect_check(ns, m, rt);

	/* Decrement the TTL and patch the checksum (RFC 1624). */
	memcpy(&old16, (uint8_t *)ip + 8, sizeof(old16));
	ip->ip_ttl--;
	memcpy(&new16, (uint8_t *)ip + 8, sizeof(new16));
	ip->ip_sum = in_cksum_update16(ip->ip_sum, old16, new16);

	/* Receive-side checksum verdicts mean "undone" on transmit. */
	m->m_pkthdr.csum_flags = 0;
	m->m_pkthdr.csum_data = 0;
	m->m_pkthdr.rcvif = NULL;
	m->m_flags &= ~(M_BCAST | M_MCAST | M_PROMISC | M_LOOP);
	ip_statinc(ns, IP_STAT_FORWARD);
	(void)ip_output(ns, m, rt, IP_FORWARDING);
	(void)hlen;
	return;

drop:
	m_freem(m);
}

void
ip_deliver(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct ip_state *ips = ip_state(ns);
	uint8_t p = mtod(m, struct ip *)->ip_p;
	const struct ip_protoent *pe = &ips->ips_proto[p];
	bool claimed = false;

	/* Raw sockets see every protocol; ICMP hands them its messages
	 * itself, after checking them. */
	if (p != KIPPROTO_ICMP)
		claimed = rip_input(ns, m, hlen);
	if (pe->ipp_input != NULL) {
		ip_statinc(ns, IP_STAT_DELIVERED);
		(*pe->ipp_input)(ns, m, hlen);
		return;
	}
	if (claimed) {
		ip_statinc(ns, IP_STAT_DELIVERED);
		m_freem(m);
		return;
	}
	ip_statinc(ns, IP_STAT_NOPROTO);
	icmp_error(ns, m, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL, 0);
}

/*
 * A frame of type ETHERTYPE_IP arrived (Ethernet header removed,
 * rcvif set).  Validate it, then deliver, reassemble or forward.
 * m is consumed.
 */
void
ip_input(struct netstack *ns, struct mbuf *m)
{
	struct ip_state *ips = ip_state(ns);
	struct ifnet *ifp = m->m_pkthdr.rcvif;
	struct ip *ip;
	unsigned hlen, len;
	uint32_t src, dst;
	bool ours, ipbcast;
	int bad;

	if (ips == NULL) {	/* module stopped (instance teardown) */
		m_freem(m);
		return;
	}
	KASSERT(klock_held(&ns->ns_klock));
	KASSERT(ifp != NULL);
	ips->ips_stats[IP_STAT_TOTAL]++;

	if (m->m_len < IP_MINHLEN) {
		ip_statinc(ns, IP_STAT_TOOSMALL);
		goto drop;
	}
	ip = mtod(m, struct ip *);
	if (IP_VHL_V(ip->ip_vhl) != IPVERSION) {
		ip_statinc(ns, IP_STAT_BADVERS);
		goto drop;
	}
	hlen = (unsigned)IP_VHL_HL(ip->ip_vhl) << 2;
	if (hlen < IP_MINHLEN || hlen > m->m_len) {
		ip_statinc(ns, IP_STAT_BADHLEN);
		goto drop;
	}
	if (!ip_cksum_ok(m, ifp, hlen)) {
		ip_statinc(ns, IP_STAT_BADSUM);
		goto drop;
	}
	len = ntohs(ip->ip_len);
	if (len < hlen) {
		ip_statinc(ns, IP_STAT_BADLEN);
		goto drop;
	}
	if (len > m->m_len) {
		ip_statinc(ns, IP_STAT_TOOSHORT);
		goto drop;
	}
	if (m->m_len > len) {
		/* Link padding.  A driver's transport verdict may have
		 * covered it: verify again in software. */
		m_adj(m, (int)len - (int)m->m_len);
		m->m_pkthdr.csum_flags &= ~(M_CSUM_TCPv4 | M_CSUM_UDPv4 |
		    M_CSUM_TCP_UDP_BAD);
	}

	src = ip->ip_src;
	dst = ip->ip_dst;
	/*
	 * RFC 1122 3.2.1.3, RFC 1812 5.3.7: a source must name one host;
	 * loopback addresses never appear on a wire, and network 0 is
	 * never a destination.
	 */
	if (ip_martian_src(src, ifp) || in_zeronet(dst) ||
	    (in_loopback(dst) && !(ifp->if_flags & IFF_LOOPBACK))) {
		ip_statinc(ns, IP_STAT_BADADDR);
		goto drop;
	}

	if (hlen > IP_MINHLEN &&
	    (bad = ip_checkoptions(m->m_data, hlen)) >= 0) {
		ip_statinc(ns, IP_STAT_BADOPTIONS);
		icmp_error(ns, m, ICMP_PARAMPROB, ICMP_PARAMPROB_ERRATPTR,
		    (uint32_t)bad);
		return;
	}

	ipbcast = dst == KINADDR_BROADCAST || in_multicast(dst) ||
	    in_broadcast(dst, ifp);
	/* RFC 1122 3.3.6: a unicast datagram in a link broadcast is bogus. */
	if ((m->m_flags & (M_BCAST | M_MCAST)) && !ipbcast) {
		ip_statinc(ns, IP_STAT_LINKBCAST);
		goto drop;
	}
	/* Multicast: every group is accepted (no membership filter yet). */
	ours = ipbcast || in_islocal(ns, dst);
	if (!ours) {
		if (!ips->ips_forwarding || (m->m_flags & M_LOOP)) {
			ip_statinc(ns, IP_STAT_CANTFORWARD);
			goto drop;
		}
		ip_forward(ns, m, hlen);
		return;
	}

	if (ip->ip_off & htons(IP_MF | IP_OFFMASK)) {
		ip_statinc(ns, IP_STAT_FRAGMENTS);
		if ((m = ip_reass(ns, m, hlen)) == NULL)
			return;
		hlen = (unsigned)IP_VHL_HL(mtod(m, struct ip *)->ip_vhl) << 2;
	}
	ip_deliver(ns, m, hlen);
	return;

drop:
	m_freem(m);
}

/* ------------------------------------------------------------ module */

static void ip_modfini(struct netstack *);

static int
ip_sysctl_init(struct netstack *ns, struct ip_state *ips)
{
	int rv;

	if ((rv = sysctl_add_int(ns, "net.inet.ip.forwarding", SYSCTL_RW,
	    &ips->ips_forwarding, 0, 1, "forward datagrams not for us")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.ttl", SYSCTL_RW,
	    &ips->ips_defttl, 1, MAXTTL, "default time to live")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.maxfragpackets", SYSCTL_RW,
	    &ips->ips_maxfragpackets, 0, INT32_MAX,
	    "datagrams in reassembly at once")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.maxfragsperpacket",
	    SYSCTL_RW, &ips->ips_maxfragsperpacket, 1, INT32_MAX,
	    "fragments per datagram")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.maxfragbytes", SYSCTL_RW,
	    &ips->ips_maxfragbytes, 0, INT32_MAX,
	    "bytes held for reassembly")) != 0 ||
	    (rv = sysctl_add_int(ns, "net.inet.ip.fragttl", SYSCTL_RW,
	    &ips->ips_fragttl, 1, 255, "reassembly timeout, seconds")) != 0 ||
	    (rv = sysctl_add_counters(ns, "net.inet.ip.stats", ip_stat_names,
	    ips->ips_stats, IP_NSTATS)) != 0)
		return rv;
	return 0;
}

static int
ip_modinit(struct netstack *ns)
{
	struct ip_state *ips;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	ips = kmem_zalloc(sizeof(*ips));
	ns->ns_mod[NSMOD_IP] = ips;
	ips->ips_forwarding = 0;
	ips->ips_defttl = IPDEFTTL;
	ips->ips_maxfragpackets = 200;
	ips->ips_maxfragsperpacket = 64;
	ips->ips_maxfragbytes = 4 * 1024 * 1024;
	ips->ips_fragttl = 30;		/* RFC 1122 3.3.2: 60 s to 120 s
					 * suggested; BSD and Linux use 30 */
	ips->ips_id = (uint16_t)cprng_u32();

	if ((rv = ip_sysctl_init(ns, ips)) != 0 ||
	    (rv = ip_reass_init(ns)) != 0 ||
	    (rv = icmp_init(ns)) != 0 ||
	    (rv = rip_init(ns)) != 0 ||
	    (rv = udp_init(ns)) != 0 ||
	    (rv = ip_proto_register(ns, KIPPROTO_ICMP, icmp_input, NULL)) != 0 ||
	    (rv = ether_register_input(ns, ETHERTYPE_IP, ip_input)) != 0) {
		ip_modfini(ns);
		return rv;
	}
	return 0;
}

/* Tolerates a partial init: each part checks what it set up. */
static void
ip_modfini(struct netstack *ns)
{
	struct ip_state *ips = ip_state(ns);

	if (ips == NULL)
		return;
	udp_fini(ns);
	rip_fini(ns);
	icmp_fini(ns);
	ip_reass_fini(ns);
	sysctl_remove_prefix(ns, "net.inet.ip");
	ns->ns_mod[NSMOD_IP] = NULL;
	kmem_free(ips, sizeof(*ips));
}

const struct netstack_module ip_module = {
	.nm_name = "ip",
	.nm_init = ip_modinit,
	.nm_fini = ip_modfini,
};
