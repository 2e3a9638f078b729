/*
 * ip6_reass.c -- reassembly of IPv6 fragments (RFC 8200 4.5, RFC 5722).
 *
 * Fragments are grouped by (source, destination, identification).  A
 * group keeps its fragments sorted by offset and the unfragmentable
 * part of the first fragment (offset 0).  Limits: net.inet6.ip6.
 * maxfragpackets groups, maxfrags fragments per group, maxfragbytes
 * bytes in all; 60 seconds from the first fragment (RFC 8200: "within
 * 60 seconds"), after which the group is dropped and, if its first
 * fragment arrived, a time exceeded (code 1) quotes it.
 *
 * Checks: a fragment that is not the last must carry a multiple of 8
 * bytes (parameter problem, code 0, pointing at the payload length);
 * offset + length beyond 65535 (parameter problem at the offset).
 * Overlapping fragments abandon the whole packet, silently, and the
 * group stays as a tombstone until it times out so that later
 * fragments of it are dropped too (RFC 5722); exact duplicates are
 * just dropped (RFC 8200 4.5 allows it).
 */
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"

#define FRAG6_TIMEOUT	NS_SEC(60)

struct ip6qent {
	struct ip6qent	*qe_next;
	struct mbuf	*qe_m;		/* the whole fragment */
	unsigned	 qe_off;	/* data offset in the packet */
	unsigned	 qe_len;	/* data bytes */
	unsigned	 qe_doff;	/* where the data starts in qe_m */
};

struct ip6q {
	struct ip6q	*q_next;
	struct netstack	*q_ns;
	uint8_t		 q_src[16];
	uint8_t		 q_dst[16];
	uint32_t	 q_id;
	struct ip6qent	*q_frags;	/* by offset */
	unsigned	 q_nfrags;
	size_t		 q_bytes;
	unsigned	 q_total;	/* data length once the last arrived */
	bool		 q_dead;	/* overlap seen: drop everything */
	struct callout	 q_timer;
};

static void
frag6_freefrags(struct ip6_state *ip6s, struct ip6q *q)
{
	struct ip6qent *e;

	while ((e = q->q_frags) != NULL) {
		q->q_frags = e->qe_next;
		m_freem(e->qe_m);
		kmem_free(e, sizeof(*e));
	}
	ip6s->ip6s_fragbytes -= q->q_bytes;
	q->q_bytes = 0;
	q->q_nfrags = 0;
}

static void
frag6_free(struct ip6_state *ip6s, struct ip6q *q)
{
	struct ip6q **pp;

	for (pp = &ip6s->ip6s_reassq; *pp != q; pp = &(*pp)->q_next)
		KASSERT(*pp != NULL);
	*pp = q->q_next;
	callout_stop(&q->q_timer);
	frag6_freefrags(ip6s, q);
	ip6s->ip6s_nfragpackets--;
	kmem_free(q, sizeof(*q));
}

static void
frag6_timeout(void *arg)
{
	struct ip6q *q = arg;
	struct netstack *ns = q->q_ns;
	struct ip6_state *ip6s = ip6_state(ns);
	struct mbuf *first = NULL;

	ip6s->ip6s_stats[IP6_STAT_FRAGTIMEOUT] += q->q_nfrags;
	if (!q->q_dead && q->q_frags != NULL && q->q_frags->qe_off == 0)
		first = m_dup(q->q_frags->qe_m);
	frag6_free(ip6s, q);
	if (first != NULL)
		icmp6_error(ns, first, ICMP6_TIME_EXCEEDED,
		    ICMP6_TIME_EXCEED_REASSEMBLY, 0);
}

/* Build the packet from a complete group.  => NULL if out of memory. */
static struct mbuf *
frag6_join(struct ip6_state *ip6s, struct ip6q *q, unsigned nxtoff)
{
	struct ip6qent *e = q->q_frags;
	unsigned unfrag = e->qe_doff - 8;
	struct mbuf *m;
	uint8_t nxt = e->qe_m->m_data[unfrag];

	if ((m = m_get(unfrag + q->q_total, MHEADROOM)) == NULL)
		return NULL;
	m->m_len = m->m_pkthdr.len = unfrag + q->q_total;
	memcpy(m->m_data, e->qe_m->m_data, unfrag);
	m->m_data[nxtoff] = nxt;
	m->m_pkthdr.rcvif = e->qe_m->m_pkthdr.rcvif;
	m->m_flags = e->qe_m->m_flags & (M_MCAST | M_LOOP);
	for (; e != NULL; e = e->qe_next)
		memcpy(m->m_data + unfrag + e->qe_off,
		    e->qe_m->m_data + e->qe_doff, e->qe_len);
	be16enc(m->m_data + IP6_PLEN_OFF, (uint16_t)(m->m_len - IP6_HDRLEN));
	(void)ip6s;
	return m;
}

struct mbuf *
frag6_input(struct netstack *ns, struct mbuf *m, unsigned fhoff,
    unsigned nxtoff)
{
	struct ip6_state *ip6s = ip6_state(ns);
	const struct ip6_hdr *ip6 = mtod(m, const struct ip6_hdr *);
	struct ip6_frag fh;
	struct ip6q *q;
	struct ip6qent *e, **pp;
	unsigned off, len, end;
	bool more;

	memcpy(&fh, m->m_data + fhoff, sizeof(fh));
	off = ntohs(fh.ip6f_offlg) & IP6F_OFF_MASK;
	more = (ntohs(fh.ip6f_offlg) & IP6F_MORE_FRAG) != 0;
	len = m->m_len - fhoff - 8;
	if (more && (len == 0 || (len & 7) != 0)) {
		ip6_statinc(ns, IP6_STAT_BADFRAGS);
		icmp6_error(ns, m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
		    IP6_PLEN_OFF);
		return NULL;
	}
	if (off + len > IPV6_MAXPACKET) {
		ip6_statinc(ns, IP6_STAT_BADFRAGS);
		icmp6_error(ns, m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
		    fhoff + 2);
		return NULL;
	}
	end = off + len;

	for (q = ip6s->ip6s_reassq; q != NULL; q = q->q_next)
		if (q->q_id == fh.ip6f_ident &&
		    memcmp(q->q_src, ip6->ip6_src, 16) == 0 &&
		    memcmp(q->q_dst, ip6->ip6_dst, 16) == 0)
			break;
	if (q == NULL) {
		if (ip6s->ip6s_nfragpackets >=
		    (unsigned)ip6s->ip6s_maxfragpackets) {
			ip6_statinc(ns, IP6_STAT_FRAGDROPPED);
			goto drop;
		}
		q = kmem_zalloc(sizeof(*q));
		q->q_ns = ns;
		memcpy(q->q_src, ip6->ip6_src, 16);
		memcpy(q->q_dst, ip6->ip6_dst, 16);
		q->q_id = fh.ip6f_ident;
		callout_init(&q->q_timer, ns, frag6_timeout, q);
		callout_schedule(&q->q_timer, FRAG6_TIMEOUT);
		q->q_next = ip6s->ip6s_reassq;
		ip6s->ip6s_reassq = q;
		ip6s->ip6s_nfragpackets++;
	}
	if (q->q_dead) {
		ip6_statinc(ns, IP6_STAT_FRAGOVERLAP);
		goto drop;
	}
	if (q->q_nfrags >= (unsigned)ip6s->ip6s_maxfrags ||
	    ip6s->ip6s_fragbytes + m->m_len >
	    (size_t)ip6s->ip6s_maxfragbytes) {
		ip6_statinc(ns, IP6_STAT_FRAGDROPPED);
		goto drop;
	}
	/* A second last fragment, or data past the end. */
	if ((!more && q->q_total != 0 && end != q->q_total) ||
	    (q->q_total != 0 && end > q->q_total)) {
		ip6_statinc(ns, IP6_STAT_BADFRAGS);
		goto drop;
	}
	for (pp = &q->q_frags; (e = *pp) != NULL && e->qe_off < off;
	    pp = &e->qe_next)
		continue;
	/* Overlap with the neighbours on either side? */
	{
		struct ip6qent *prev = NULL, *x;

		for (x = q->q_frags; x != NULL && x != e; x = x->qe_next)
			prev = x;
		if (e != NULL && e->qe_off == off && e->qe_len == len) {
			ip6_statinc(ns, IP6_STAT_FRAGDUP);
			goto drop;
		}
		if ((prev != NULL && prev->qe_off + prev->qe_len > off) ||
		    (e != NULL && end > e->qe_off)) {
			ip6s->ip6s_stats[IP6_STAT_FRAGOVERLAP] +=
			    q->q_nfrags + 1;
			frag6_freefrags(ip6s, q);
			q->q_dead = true;
			goto drop;
		}
	}
	e = kmem_zalloc(sizeof(*e));
	e->qe_m = m;
	e->qe_off = off;
	e->qe_len = len;
	e->qe_doff = fhoff + 8;
	e->qe_next = *pp;
	*pp = e;
	q->q_nfrags++;
	q->q_bytes += m->m_len;
	ip6s->ip6s_fragbytes += m->m_len;
	if (!more)
		q->q_total = end;

	/* Complete? */
	if (q->q_total == 0 || q->q_frags->qe_off != 0)
		return NULL;
	{
		unsigned next = 0;

		for (e = q->q_frags; e != NULL; e = e->qe_next) {
			if (e->qe_off != next)
				return NULL;
			next = e->qe_off + e->qe_len;
		}
		if (next != q->q_total)
			return NULL;
	}
	/* The first fragment's header chain names the bytes before its
	 * fragment header; the fragment's own nxtoff is relative to it. */
	nxtoff = q->q_frags->qe_doff == fhoff + 8 ? nxtoff : IP6_NXT_OFF;
	m = frag6_join(ip6s, q, nxtoff);
	frag6_free(ip6s, q);
	if (m == NULL) {
		ip6_statinc(ns, IP6_STAT_FRAGDROPPED);
		return NULL;
	}
	ip6_statinc(ns, IP6_STAT_REASSEMBLED);
	return m;

drop:
	m_freem(m);
	return NULL;
}

int
frag6_init(struct netstack *ns)
{
	(void)ns;
	return 0;
}

void
frag6_fini(struct netstack *ns)
{
	struct ip6_state *ip6s = ip6_state(ns);

	while (ip6s->ip6s_reassq != NULL)
		frag6_free(ip6s, ip6s->ip6s_reassq);
}
