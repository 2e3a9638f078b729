/*
 * ip_reass.c -- IPv4 reassembly (RFC 791 section 3.2, RFC 1122 3.3.2).
 *
 * Each datagram in progress keeps its fragments on a list sorted by
 * offset, every fragment still starting at its own IP header.  A
 * fragment that duplicates a queued one exactly is dropped alone; any
 * other overlap, or a disagreement about where the datagram ends,
 * drops the whole datagram (RFC 5722's rule for IPv6, applied to IPv4
 * for the same reason: overlapping pieces are an attack, not a
 * network artefact).  Limits: datagrams in progress
 * (net.inet.ip.maxfragpackets), fragments per datagram
 * (maxfragsperpacket), bytes held (maxfragbytes), and a timer of
 * net.inet.ip.fragttl seconds from the first fragment, after which the
 * source hears ICMP time exceeded (reassembly) if fragment zero arrived.
 */
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_cksum.h"

struct ipq {
	struct ipq	*ipq_next;	/* [K] on ips_reassq */
	struct netstack	*ipq_ns;	/* [I] */
	uint32_t	 ipq_src;	/* [I] key, network order */
	uint32_t	 ipq_dst;	/* [I] */
	uint16_t	 ipq_id;	/* [I] */
	uint8_t		 ipq_p;		/* [I] */
	bool		 ipq_lastseen;	/* [K] the MF=0 fragment arrived */
	uint32_t	 ipq_end;	/* [K] payload length, if lastseen */
	struct mbuf	*ipq_frags;	/* [K] sorted by offset */
	unsigned	 ipq_nfrags;	/* [K] */
	size_t		 ipq_bytes;	/* [K] m_len sum of ipq_frags */
	struct callout	 ipq_timer;	/* [K] reassembly timeout */
};

static unsigned
frag_hlen(const struct mbuf *m)
{
	return (unsigned)IP_VHL_HL(mtod(m, const struct ip *)->ip_vhl) << 2;
}

static unsigned
frag_off(const struct mbuf *m)
{
	return (unsigned)(ntohs(mtod(m, const struct ip *)->ip_off) &
	    IP_OFFMASK) << 3;
}

static unsigned
frag_end(const struct mbuf *m)
{
	return frag_off(m) + m->m_len - frag_hlen(m);
}

/* Unlink and free q with whatever fragments it still holds. */
static void
ipq_free(struct netstack *ns, struct ipq *q)
{
	struct ip_state *ips = ip_state(ns);
	struct ipq **qp;

	callout_stop(&q->ipq_timer);
	for (qp = &ips->ips_reassq; *qp != q; qp = &(*qp)->ipq_next)
		KASSERT(*qp != NULL);
	*qp = q->ipq_next;
	ips->ips_nfragpackets--;
	ips->ips_fragbytes -= q->ipq_bytes;
	m_freem_list(q->ipq_frags);
	kmem_free(q, sizeof(*q));
}

/* Drop a datagram in progress, counting its fragments under 'why'. */
static void
ipq_drop(struct netstack *ns, struct ipq *q, enum ip_stat why)
{
	ip_state(ns)->ips_stats[why] += q->ipq_nfrags;
	ipq_free(ns, q);
}

static void
ipq_timeout(void *arg)
{
	struct ipq *q = arg;
	struct netstack *ns = q->ipq_ns;
	struct mbuf *first = NULL;

	ip_state(ns)->ips_stats[IP_STAT_FRAGTIMEOUT] += q->ipq_nfrags;
	/* RFC 792 / RFC 1122 3.3.2: only if fragment zero is here. */
	if (q->ipq_frags != NULL && frag_off(q->ipq_frags) == 0) {
		first = q->ipq_frags;
		q->ipq_frags = first->m_nextpkt;
		first->m_nextpkt = NULL;
		q->ipq_bytes -= first->m_len;
		ip_state(ns)->ips_fragbytes -= first->m_len;
	}
	ipq_free(ns, q);
	if (first != NULL)
		icmp_error(ns, first, ICMP_TIMXCEED, ICMP_TIMXCEED_REASS, 0);
}

/* Build the datagram from a complete queue and free the queue. */
static struct mbuf *
ipq_assemble(struct netstack *ns, struct ipq *q)
{
	struct mbuf *first = q->ipq_frags, *m;
	unsigned hlen = frag_hlen(first);
	uint32_t total = hlen + q->ipq_end;
	struct ip *ip;
	uint8_t *p;

	if (total > IP_MAXPACKET) {
		ipq_drop(ns, q, IP_STAT_TOOLONG);
		return NULL;
	}
	m = m_get(total, MHEADROOM);
	if (m == NULL) {
		ipq_drop(ns, q, IP_STAT_FRAGDROPPED);
		return NULL;
	}
	m->m_len = m->m_pkthdr.len = total;
	memcpy(m->m_data, first->m_data, hlen);
	p = m->m_data + hlen;
	for (struct mbuf *f = first; f != NULL; f = f->m_nextpkt) {
		unsigned fh = frag_hlen(f);

		memcpy(p + frag_off(f), f->m_data + fh, f->m_len - fh);
	}
	m->m_pkthdr.rcvif = first->m_pkthdr.rcvif;
	m->m_flags = first->m_flags & (M_BCAST | M_MCAST | M_LOOP);

	ip = mtod(m, struct ip *);
	ip->ip_len = htons((uint16_t)total);
	ip->ip_off = 0;
	ip->ip_sum = 0;
	ip->ip_sum = in_cksum(ip, hlen);

	ipq_free(ns, q);
	ip_statinc(ns, IP_STAT_REASSEMBLED);
	return m;
}

/* Does q hold every byte from 0 to its end? */
static bool
ipq_complete(const struct ipq *q)
{
	unsigned expect = 0;

	if (!q->ipq_lastseen)
		return false;
	for (const struct mbuf *f = q->ipq_frags; f != NULL; f = f->m_nextpkt) {
		if (frag_off(f) != expect)
			return false;
		expect = frag_end(f);
	}
	return expect == q->ipq_end;
}

struct mbuf *
ip_reass(struct netstack *ns, struct mbuf *m, unsigned hlen)
{
	struct ip_state *ips = ip_state(ns);
	const struct ip *ip = mtod(m, const struct ip *);
	unsigned off = frag_off(m), len = m->m_len - hlen, end = off + len;
	bool mf = (ip->ip_off & htons(IP_MF)) != 0;
	bool inconsistent;
	struct mbuf *prev, *n;
	struct ipq *q;

	/*
	 * Every fragment but the last carries a multiple of 8 bytes.  A
	 * TCP fragment at offset 8 can only exist to rewrite the TCP
	 * header of a tiny first fragment (RFC 1858 3.2): drop it.
	 */
	if ((mf && (len == 0 || (len & 7) != 0)) ||
	    (off == 8 && ip->ip_p == KIPPROTO_TCP)) {
		ip_statinc(ns, IP_STAT_BADFRAGS);
		goto drop;
	}
	if (hlen + end > IP_MAXPACKET) {		/* "ping of death" */
		ip_statinc(ns, IP_STAT_TOOLONG);
		goto drop;
	}

	for (q = ips->ips_reassq; q != NULL; q = q->ipq_next)
		if (q->ipq_id == ip->ip_id && q->ipq_src == ip->ip_src &&
		    q->ipq_dst == ip->ip_dst && q->ipq_p == ip->ip_p)
			break;
	if (q == NULL) {
		if (ips->ips_nfragpackets >= (unsigned)ips->ips_maxfragpackets ||
		    ips->ips_fragbytes + m->m_len >
		    (size_t)ips->ips_maxfragbytes) {
			ip_statinc(ns, IP_STAT_FRAGDROPPED);
			goto drop;
		}
		q = kmem_zalloc(sizeof(*q));
		q->ipq_ns = ns;
		q->ipq_src = ip->ip_src;
		q->ipq_dst = ip->ip_dst;
		q->ipq_id = ip->ip_id;
		q->ipq_p = ip->ip_p;
		callout_init(&q->ipq_timer, ns, ipq_timeout, q);
		callout_schedule(&q->ipq_timer, NS_SEC(ips->ips_fragttl));
		q->ipq_next = ips->ips_reassq;
		ips->ips_reassq = q;
		ips->ips_nfragpackets++;
	} else if (ips->ips_fragbytes + m->m_len >
	    (size_t)ips->ips_maxfragbytes) {
		ip_statinc(ns, IP_STAT_FRAGDROPPED);
		goto drop;
	}

	/* Find the place: prev < us <= n by offset. */
	prev = NULL;
	for (n = q->ipq_frags; n != NULL; prev = n, n = n->m_nextpkt)
		if (frag_off(n) >= off)
			break;
	if (n != NULL && frag_off(n) == off && frag_end(n) == end) {
		ip_statinc(ns, IP_STAT_FRAGDUP);
		goto drop;
	}
	if (q->ipq_nfrags >= (unsigned)ips->ips_maxfragsperpacket) {
		ipq_drop(ns, q, IP_STAT_FRAGDROPPED);
		ip_statinc(ns, IP_STAT_FRAGDROPPED);
		goto drop;
	}

	/*
	 * An overlap with a neighbour, or a second opinion about where
	 * the datagram ends (a last fragment that ends elsewhere, data
	 * past the end, or a last fragment before queued data).
	 */
	inconsistent = (n != NULL && end > frag_off(n)) ||
	    (prev != NULL && frag_end(prev) > off);
	if (q->ipq_lastseen)
		inconsistent |= end > q->ipq_end || (!mf && end != q->ipq_end);
	else if (!mf)
		for (struct mbuf *f = q->ipq_frags; f != NULL; f = f->m_nextpkt)
			inconsistent |= frag_end(f) > end;
	if (inconsistent) {
		ipq_drop(ns, q, IP_STAT_FRAGOVERLAP);
		ip_statinc(ns, IP_STAT_FRAGOVERLAP);
		goto drop;
	}
	if (!mf) {
		q->ipq_lastseen = true;
		q->ipq_end = end;
	}

	if (prev != NULL) {
		m->m_nextpkt = n;
		prev->m_nextpkt = m;
	} else {
		m->m_nextpkt = q->ipq_frags;
		q->ipq_frags = m;
	}
	q->ipq_nfrags++;
	q->ipq_bytes += m->m_len;
	ips->ips_fragbytes += m->m_len;
	/* Transport verdicts never cover fragments (mbuf.h). */
	m->m_pkthdr.csum_flags = 0;

	if (ipq_complete(q))
		return ipq_assemble(ns, q);
	return NULL;

drop:
	m_freem(m);
	return NULL;
}

int
ip_reass_init(struct netstack *ns)
{
	struct ip_state *ips = ip_state(ns);

	ips->ips_reassq = NULL;
	ips->ips_nfragpackets = 0;
	ips->ips_fragbytes = 0;
	return 0;
}

void
ip_reass_fini(struct netstack *ns)
{
	struct ip_state *ips = ip_state(ns);

	while (ips->ips_reassq != NULL)
		ipq_free(ns, ips->ips_reassq);
}
