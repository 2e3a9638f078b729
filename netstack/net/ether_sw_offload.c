/*
 * ether_sw_offload.c -- software emulation of checksum and TCP
 * segmentation offload for Ethernet drivers.
 *
 * Contract: the M_CSUM_* block in netstack/kern/mbuf.h.  Transmit
 * finishes what the stack deferred (in_undefer_cksum for IPv4, the IPv6
 * twin below) and cuts TSO super-packets; receive verifies and flags.
 * All header access goes through byte offsets with bounds checked
 * against m_len first, so a malformed frame is dropped (transmit) or left
 * without a verdict (receive), never read out of bounds.
 */
#include "netstack/kern/sysctl.h"
#include "rumpuser/rumpuser.h"
#include "netstack/net/ether_sw_offload.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/in_offload.h"

#define IPV4_MINHLEN	20
#define IPV6_HLEN	40
#define TCP_MINHLEN	20
#define UDP_HLEN	8
#define TH_FIN		0x01
#define TH_PUSH		0x08

static const char *const eoff_names[EOFF_NSTATS] = {
	"tx_ipv4", "tx_tcpv4", "tx_udpv4", "tx_tcpv6", "tx_udpv6",
	"tx_tsov4", "tx_tsov4_segs", "tx_tsov6", "tx_tsov6_segs", "tx_bad",
	"tx_corrupted",
	"rx_ipv4", "rx_ipv4_bad", "rx_tcpv4", "rx_tcpv4_bad", "rx_udpv4",
	"rx_udpv4_bad", "rx_tcpv6", "rx_tcpv6_bad", "rx_udpv6",
	"rx_udpv6_bad",
};

#define EOFF_CORRUPTIBLE (M_CSUM_IPv4 | M_CSUM_TCPv4 | M_CSUM_UDPv4 | \
	M_CSUM_TCPv6 | M_CSUM_UDPv6)

void
ether_sw_offload_ifattach(struct ifnet *ifp, uint32_t capenable,
    struct ether_offload *eo)
{
	ifp->if_capabilities = ETHER_SW_OFFLOAD_CAPS;
	ifp->if_capenable = capenable;
	if_capenable_update(ifp);
	if_attach(ifp);
	(void)ether_sw_offload_attach(ifp, eo);
}

int
ether_sw_offload_attach(struct ifnet *ifp, struct ether_offload *eo)
{
	char prefix[SYSCTL_NAMEMAX], name[SYSCTL_NAMEMAX];
	int rv;

	memset(eo, 0, sizeof(*eo));
	ifp->if_offload = eo;
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.offload",
	    ifp->if_xname);
	if ((rv = sysctl_add_counters(ifp->if_ns, prefix, eoff_names,
	    eo->eo_stats, EOFF_NSTATS)) != 0)
		return rv;
	ksnprintf(name, sizeof(name), "%s.corrupt_tx", prefix);
	return sysctl_add_int(ifp->if_ns, name, SYSCTL_RW, &eo->eo_corrupt,
	    0, EOFF_CORRUPTIBLE, "M_CSUM_* checksums to corrupt on transmit");
}

void
ether_sw_offload_detach(struct ifnet *ifp)
{
	char prefix[SYSCTL_NAMEMAX];

	ifp->if_offload = NULL;
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.offload",
	    ifp->if_xname);
	sysctl_remove_prefix(ifp->if_ns, prefix);
}

/* Link header length by EtherType, or 0 for a frame we cannot handle. */
static size_t
ether_hdrlen(const struct mbuf *m)
{
	uint16_t type;

	if (m->m_len < ETHER_HDR_LEN)
		return 0;
	type = be16dec(m->m_data + 12);
	if (type == ETHERTYPE_IP || type == ETHERTYPE_IPV6)
		return ETHER_HDR_LEN;
	if (type == ETHERTYPE_VLAN && m->m_len >= ETHER_HDR_LEN + 4) {
		type = be16dec(m->m_data + 16);
		if (type == ETHERTYPE_IP || type == ETHERTYPE_IPV6)
			return ETHER_HDR_LEN + 4;
	}
	return 0;
}

static void
store_cksum(uint8_t *field, uint16_t sum)
{
	memcpy(field, &sum, sizeof(sum));
}

/* Checksum of an L4 segment whose checksum field holds zero. */
static uint16_t
l4_cksum(uint32_t pseudo, const uint8_t *l4, size_t len)
{
	return (uint16_t)~in_cksum_fold(in_cksum_add(pseudo, l4, len));
}

/* ---------------------------------------------------------- transmit */

/* The IPv6 twin of in_undefer_cksum (no IPv6 code of its own yet). */
static void
in6_undefer(struct mbuf *m, size_t ehlen, uint32_t todo)
{
	uint8_t *p = m->m_data + ehlen;
	size_t l4off, fieldoff, plen, l4len;
	uint16_t sum;

	if (m->m_len < ehlen + IPV6_HLEN)
		return;
	plen = be16dec(p + 4);
	if (IPV6_HLEN + plen > m->m_len - ehlen)
		return;
	l4off = m->m_pkthdr.csum_data >> 16;
	if (l4off == 0)
		l4off = IPV6_HLEN;
	fieldoff = m->m_pkthdr.csum_data & 0xffff;
	if (fieldoff == 0)
		fieldoff = (todo & M_CSUM_TCPv6) ? 16 : 6;
	if (l4off < IPV6_HLEN || l4off > IPV6_HLEN + plen)
		return;
	l4len = IPV6_HLEN + plen - l4off;
	if (fieldoff + 2 > l4len)
		return;
	/* The field holds the pseudo-header sum: sum over it. */
	sum = in_cksum(p + l4off, l4len);
	if ((todo & M_CSUM_UDPv6) && sum == 0)
		sum = 0xffff;
	store_cksum(p + l4off + fieldoff, sum);
}

/* Fault injection: flip the named checksums of a finished frame. */
static void
offload_corrupt(struct ether_offload *eo, struct mbuf *m)
{
	size_t ehlen = ether_hdrlen(m);
	uint32_t what = (uint32_t)eo->eo_corrupt;
	uint8_t *p, *f = NULL;
	size_t len, hl;

	if (what == 0 || ehlen == 0)
		return;
	p = m->m_data + ehlen;
	len = m->m_len - ehlen;
	if (len >= IPV4_MINHLEN && (p[0] >> 4) == 4) {
		hl = (size_t)(p[0] & 0x0f) * 4;
		if (hl < IPV4_MINHLEN || hl > len)
			return;
		if (what & M_CSUM_IPv4) {
			p[10] ^= 0x5a;
			eo->eo_stats[EOFF_TX_CORRUPTED]++;
		}
		if (be16dec(p + 6) & 0x1fff)	/* not the first fragment */
			return;
		if (p[9] == KIPPROTO_TCP && (what & M_CSUM_TCPv4) &&
		    len >= hl + TCP_MINHLEN)
			f = p + hl + 16;
		else if (p[9] == KIPPROTO_UDP && (what & M_CSUM_UDPv4) &&
		    len >= hl + UDP_HLEN)
			f = p + hl + 6;
	} else if (len >= IPV6_HLEN && (p[0] >> 4) == 6) {
		if (p[6] == KIPPROTO_TCP && (what & M_CSUM_TCPv6) &&
		    len >= IPV6_HLEN + TCP_MINHLEN)
			f = p + IPV6_HLEN + 16;
		else if (p[6] == KIPPROTO_UDP && (what & M_CSUM_UDPv6) &&
		    len >= IPV6_HLEN + UDP_HLEN)
			f = p + IPV6_HLEN + 6;
	}
	if (f != NULL) {
		f[0] ^= 0x5a;
		f[1] ^= 0xa5;
		eo->eo_stats[EOFF_TX_CORRUPTED]++;
	}
}

/*
 * Cut a TSO super-packet (link + IP + TCP headers + payload) into
 * frames of at most segsz payload bytes.  Every frame gets a copy of the
 * headers with sequence number, lengths, IPv4 id and checksums set; FIN
 * and PSH, if present, stay on the last frame only.  A short last frame
 * is allowed, though the stack always sends a multiple of segsz.
 * => the list, or NULL (m freed) on a malformed packet or no memory.
 */
static struct mbuf *
tso_segment(struct ifnet *ifp, struct ether_offload *eo, struct mbuf *m,
    size_t ehlen, bool v6)
{
	uint8_t *p = m->m_data + ehlen, *th;
	size_t len = m->m_len - ehlen, hl, thlen, l3len, paylen, hdrs, mss;
	struct mbuf *head = NULL, **tailp = &head;
	uint16_t id = 0;
	uint32_t seq;
	unsigned nseg = 0;

	if (!v6) {
		if (len < IPV4_MINHLEN || (p[0] >> 4) != 4)
			goto bad;
		hl = (size_t)(p[0] & 0x0f) * 4;
		l3len = be16dec(p + 2);
		if (hl < IPV4_MINHLEN || p[9] != KIPPROTO_TCP)
			goto bad;
		id = be16dec(p + 4);
	} else {
		if (len < IPV6_HLEN || (p[0] >> 4) != 6 ||
		    p[6] != KIPPROTO_TCP)
			goto bad;
		hl = IPV6_HLEN;
		l3len = IPV6_HLEN + be16dec(p + 4);
	}
	if (l3len > len || hl + TCP_MINHLEN > l3len)
		goto bad;
	th = p + hl;
	thlen = (size_t)(th[12] >> 4) * 4;
	if (thlen < TCP_MINHLEN || hl + thlen > l3len)
		goto bad;
	mss = m->m_pkthdr.segsz;
	paylen = l3len - hl - thlen;
	hdrs = ehlen + hl + thlen;
	if (mss == 0 || hl + thlen + mss > ifp->if_mtu)
		goto bad;
	seq = be32dec(th + 4);

	for (size_t off = 0; off < paylen || (paylen == 0 && nseg == 0);
	    off += mss) {
		size_t seglen = MIN(mss, paylen - off);
		bool last = off + seglen >= paylen;
		struct mbuf *n;
		uint8_t *q, *t;
		uint32_t pseudo;

		n = m_get(hdrs + seglen, MHEADROOM);
		if (n == NULL)
			goto fail;
		memcpy(n->m_data, m->m_data, hdrs);
		memcpy(n->m_data + hdrs, m->m_data + hdrs + off, seglen);
		n->m_len = n->m_pkthdr.len = (uint32_t)(hdrs + seglen);
		n->m_flags = m->m_flags;
		n->m_pkthdr.rcvif = m->m_pkthdr.rcvif;
		q = n->m_data + ehlen;
		t = q + hl;
		be32enc(t + 4, seq + (uint32_t)off);
		if (!last)
			t[13] &= (uint8_t)~(TH_FIN | TH_PUSH);
		memset(t + 16, 0, 2);
		if (!v6) {
			be16enc(q + 2, (uint16_t)(hl + thlen + seglen));
			be16enc(q + 4, (uint16_t)(id + nseg));
			memset(q + 10, 0, 2);
			store_cksum(q + 10, in_cksum(q, hl));
			uint32_t src, dst;
			memcpy(&src, q + 12, 4);
			memcpy(&dst, q + 16, 4);
			pseudo = in_pseudo_sum(src, dst, KIPPROTO_TCP,
			    (uint16_t)(thlen + seglen));
		} else {
			be16enc(q + 4, (uint16_t)(thlen + seglen));
			pseudo = in6_pseudo_sum(q + 8, q + 24, KIPPROTO_TCP,
			    (uint32_t)(thlen + seglen));
		}
		store_cksum(t + 16, l4_cksum(pseudo, t, thlen + seglen));
		offload_corrupt(eo, n);
		*tailp = n;
		tailp = &n->m_nextpkt;
		nseg++;
	}
	eo->eo_stats[v6 ? EOFF_TX_TSOV6 : EOFF_TX_TSOV4]++;
	eo->eo_stats[v6 ? EOFF_TX_TSOV6_SEGS : EOFF_TX_TSOV4_SEGS] += nseg;
	m_freem(m);
	return head;

fail:
	m_freem_list(head);
bad:
	eo->eo_stats[EOFF_TX_BAD]++;
	m_freem(m);
	return NULL;
}

struct mbuf *
ether_sw_offload_tx(struct ifnet *ifp, struct ether_offload *eo,
    struct mbuf *m)
{
	uint32_t fl = m->m_pkthdr.csum_flags;
	uint32_t tso = fl & (M_CSUM_TSOv4 | M_CSUM_TSOv6);
	size_t ehlen;

	m->m_nextpkt = NULL;
	if (fl == 0) {
		offload_corrupt(eo, m);
		return m;
	}
	/*
	 * Only what the interface enabled may be asked of it.  TSO is
	 * checked on its own: M_CSUM_IPv4 rides along with TSOv4 even when
	 * IPv4 header offload is off.
	 */
	if (tso ? !(tso & ifp->if_csum_flags_tx) :
	    (fl & ~ifp->if_csum_flags_tx) != 0)
		goto bad;
	if ((ehlen = ether_hdrlen(m)) == 0)
		goto bad;
	m->m_pkthdr.csum_flags = 0;
	if (tso)
		return tso_segment(ifp, eo, m, ehlen,
		    (tso & M_CSUM_TSOv6) != 0);

	m->m_pkthdr.csum_flags = fl;
	if (fl & (M_CSUM_IPv4 | M_CSUM_TCPv4 | M_CSUM_UDPv4))
		in_undefer_cksum(m, ehlen,
		    M_CSUM_IPv4 | M_CSUM_TCPv4 | M_CSUM_UDPv4);
	if (fl & (M_CSUM_TCPv6 | M_CSUM_UDPv6))
		in6_undefer(m, ehlen, fl & (M_CSUM_TCPv6 | M_CSUM_UDPv6));
	eo->eo_stats[EOFF_TX_IPV4] += (fl & M_CSUM_IPv4) != 0;
	eo->eo_stats[EOFF_TX_TCPV4] += (fl & M_CSUM_TCPv4) != 0;
	eo->eo_stats[EOFF_TX_UDPV4] += (fl & M_CSUM_UDPv4) != 0;
	eo->eo_stats[EOFF_TX_TCPV6] += (fl & M_CSUM_TCPv6) != 0;
	eo->eo_stats[EOFF_TX_UDPV6] += (fl & M_CSUM_UDPv6) != 0;
	m->m_pkthdr.csum_flags = 0;
	offload_corrupt(eo, m);
	return m;

bad:
	eo->eo_stats[EOFF_TX_BAD]++;
	m_freem(m);
	return NULL;
}

/* ----------------------------------------------------------- receive */

/*
 * Verdict on one TCP or UDP segment of l4len bytes: sets the protocol
 * flag, plus TCP_UDP_BAD if the sum is wrong.  A UDP checksum of zero
 * means "none sent": no verdict.
 */
static uint32_t
l4_verify(struct ether_offload *eo, const uint8_t *l4, size_t l4len,
    uint32_t pseudo, bool udp, uint32_t flag, int stat)
{
	if (l4len < (udp ? UDP_HLEN : TCP_MINHLEN))
		return 0;
	if (udp && l4[6] == 0 && l4[7] == 0)
		return 0;
	eo->eo_stats[stat]++;
	if (in_cksum_fold(in_cksum_add(pseudo, l4, l4len)) == 0xffff)
		return flag;
	eo->eo_stats[stat + 1]++;		/* the _BAD counter */
	return flag | M_CSUM_TCP_UDP_BAD;
}

static uint32_t
rx_ipv4(struct ifnet *ifp, struct ether_offload *eo, const uint8_t *p,
    size_t len)
{
	uint32_t rx = ifp->if_csum_flags_rx, fl = 0, src, dst;
	size_t hl, iplen;

	if (len < IPV4_MINHLEN)
		return 0;
	hl = (size_t)(p[0] & 0x0f) * 4;
	iplen = be16dec(p + 2);
	if (hl < IPV4_MINHLEN || hl > len || iplen < hl || iplen > len)
		return 0;
	if (in_cksum(p, hl) != 0) {
		if (!(rx & M_CSUM_IPv4))
			return 0;
		eo->eo_stats[EOFF_RX_IPV4]++;
		eo->eo_stats[EOFF_RX_IPV4_BAD]++;
		return M_CSUM_IPv4 | M_CSUM_IPv4_BAD;
	}
	if (rx & M_CSUM_IPv4) {
		eo->eo_stats[EOFF_RX_IPV4]++;
		fl |= M_CSUM_IPv4;
	}
	if (be16dec(p + 6) & 0x3fff)		/* MF or an offset */
		return fl;
	memcpy(&src, p + 12, 4);
	memcpy(&dst, p + 16, 4);
	/* The IP length, not the frame's: padded frames verify too. */
	if (p[9] == KIPPROTO_TCP && (rx & M_CSUM_TCPv4))
		fl |= l4_verify(eo, p + hl, iplen - hl, in_pseudo_sum(src, dst,
		    KIPPROTO_TCP, (uint16_t)(iplen - hl)), false, M_CSUM_TCPv4,
		    EOFF_RX_TCPV4);
	else if (p[9] == KIPPROTO_UDP && (rx & M_CSUM_UDPv4))
		fl |= l4_verify(eo, p + hl, iplen - hl, in_pseudo_sum(src, dst,
		    KIPPROTO_UDP, (uint16_t)(iplen - hl)), true, M_CSUM_UDPv4,
		    EOFF_RX_UDPV4);
	return fl;
}

static uint32_t
rx_ipv6(struct ifnet *ifp, struct ether_offload *eo, const uint8_t *p,
    size_t len)
{
	uint32_t rx = ifp->if_csum_flags_rx;
	size_t plen;

	if (len < IPV6_HLEN)
		return 0;
	plen = be16dec(p + 4);
	if (IPV6_HLEN + plen > len)
		return 0;
	/* Extension headers: no verdict, the stack checks. */
	if (p[6] == KIPPROTO_TCP && (rx & M_CSUM_TCPv6))
		return l4_verify(eo, p + IPV6_HLEN, plen, in6_pseudo_sum(p + 8,
		    p + 24, KIPPROTO_TCP, (uint32_t)plen), false, M_CSUM_TCPv6,
		    EOFF_RX_TCPV6);
	if (p[6] == KIPPROTO_UDP && (rx & M_CSUM_UDPv6))
		return l4_verify(eo, p + IPV6_HLEN, plen, in6_pseudo_sum(p + 8,
		    p + 24, KIPPROTO_UDP, (uint32_t)plen), true, M_CSUM_UDPv6,
		    EOFF_RX_UDPV6);
	return 0;
}

void
ether_sw_offload_rx(struct ifnet *ifp, struct ether_offload *eo,
    struct mbuf *m)
{
	const uint8_t *p;
	size_t ehlen;
	uint32_t fl = 0;

	if ((ifp->if_csum_flags_rx & (M_CSUM_IPv4 | M_CSUM_TCPv4 |
	    M_CSUM_UDPv4 | M_CSUM_TCPv6 | M_CSUM_UDPv6)) == 0)
		goto done;
	if ((ehlen = ether_hdrlen(m)) == 0)
		goto done;
	p = m->m_data + ehlen;
	if ((p[0] >> 4) == 4)
		fl = rx_ipv4(ifp, eo, p, m->m_len - ehlen);
	else if ((p[0] >> 4) == 6)
		fl = rx_ipv6(ifp, eo, p, m->m_len - ehlen);
done:
	m->m_pkthdr.csum_flags = fl;
}

/* ------------------------------------------------------- configuration */

int
ether_parse_capenable(const char *s, uint32_t *valp)
{
	uint64_t v = 0;
	unsigned base = 10;
	bool digits = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0')
		base = 8;
	for (; *s != '\0'; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return EINVAL;
		if (d >= base)
			return EINVAL;
		v = v * base + d;
		if (v > UINT32_MAX)
			return EINVAL;
		digits = true;
	}
	if (!digits && base != 8)	/* "0" alone is octal zero */
		return EINVAL;
	*valp = (uint32_t)v;
	return 0;
}

int
ether_sw_offload_capenv(const char *var, const char *ifname, uint32_t *capp)
{
	char buf[64];
	int rv;

	*capp = 0;
	rv = rumpuser_getparam(var, buf, sizeof(buf));
	if (rv == ENOENT)
		return 0;
	if (rv != 0 || ether_parse_capenable(buf, capp) != 0) {
		kprintf("%s: %s: not a number: %s\n", ifname, var,
		    rv == 0 ? buf : "(too long)");
		*capp = 0;
		return EINVAL;
	}
	if (*capp & ~(uint32_t)ETHER_SW_OFFLOAD_CAPS) {
		kprintf("%s: %s=%s: bits 0x%x are not offered "
		    "(capabilities 0x%x)\n", ifname, var, buf,
		    *capp & ~(uint32_t)ETHER_SW_OFFLOAD_CAPS,
		    (unsigned)ETHER_SW_OFFLOAD_CAPS);
		return EINVAL;
	}
	return 0;
}
