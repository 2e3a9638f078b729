/*
 * in_offload.c -- finishing deferred IPv4 checksums in software
 * (contract: the M_CSUM_* block in netstack/kern/mbuf.h).
 */
#include "netstack/netinet/in_offload.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/ip.h"

void
in_undefer_cksum(struct mbuf *m, size_t ehlen, uint32_t which)
{
	uint32_t todo = m->m_pkthdr.csum_flags & which &
	    (M_CSUM_IPv4 | M_CSUM_UDPv4 | M_CSUM_TCPv4);
	uint8_t *p;
	unsigned hlen, iplen;
	uint16_t sum;

	if (todo == 0)
		return;
	m->m_pkthdr.csum_flags &= ~todo;
	if (m->m_len < ehlen + IP_MINHLEN)
		return;
	p = m->m_data + ehlen;
	hlen = (unsigned)IP_VHL_HL(p[0]) << 2;
	iplen = be16dec(p + 2);
	if (hlen < IP_MINHLEN || iplen < hlen || iplen > m->m_len - ehlen)
		return;

	if (todo & (M_CSUM_UDPv4 | M_CSUM_TCPv4)) {
		/*
		 * The field holds the pseudo-header sum, so the checksum of
		 * the whole segment is the final field value (in_cksum.h).
		 */
		size_t l4len = iplen - hlen;
		size_t off = m->m_pkthdr.csum_data & 0xffff;

		if (off == 0)
			off = (todo & M_CSUM_TCPv4) ? 16 : 6;
		if (off + 2 <= l4len) {
			sum = in_cksum(p + hlen, l4len);
			if ((todo & M_CSUM_UDPv4) && sum == 0)
				sum = 0xffff;	/* RFC 768: 0 means none */
			memcpy(p + hlen + off, &sum, sizeof(sum));
		}
	}
	if (todo & M_CSUM_IPv4) {
		memset(p + 10, 0, 2);
		sum = in_cksum(p, hlen);
		memcpy(p + 10, &sum, sizeof(sum));
	}
}
