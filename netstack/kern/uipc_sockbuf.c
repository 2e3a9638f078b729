/*
 * uipc_sockbuf.c -- socket buffers.
 *
 * Stream buffers are byte rings of sb_hiwat bytes, allocated at the
 * first append and resized (data preserved) by sbreserve.  Datagram
 * buffers are queues of records: one mbuf per datagram, laid out as
 *
 *	[uint16_t address length][source address][payload]
 *
 * so the reader gets the sender with the data (sbrecord_parse).  sb_cc
 * counts payload bytes only; the record count is bounded as well
 * (sb_q.mq_maxlen), so a flood of empty datagrams cannot grow a buffer
 * without limit.
 */
#include "netstack/kern/socket_private.h"

/* The record header in front of each datagram. */
#define SBREC_HDRLEN(fromlen)	(sizeof(uint16_t) + (fromlen))

static unsigned
sb_dgram_maxrecords(uint32_t hiwat)
{
	return MAX(16u, hiwat / SB_DGRAM_RECSIZE);
}

void
sbinit(struct sockbuf *sb, uint32_t hiwat, bool stream)
{
	memset(sb, 0, sizeof(*sb));
	sb->sb_hiwat = hiwat;
	sb->sb_lowat = SO_RCVLOWAT_DEFAULT;
	mq_init(&sb->sb_q, stream ? 0 : sb_dgram_maxrecords(hiwat));
}

void
sbrelease(struct sockbuf *sb)
{
	kmem_free(sb->sb_ring, sb->sb_ringsize);
	sb->sb_ring = NULL;
	sb->sb_ringsize = 0;
	sb->sb_ringoff = 0;
	mq_purge(&sb->sb_q);
	sb->sb_cc = 0;
}

uint32_t
sbspace(const struct sockbuf *sb)
{
	return sb->sb_hiwat > sb->sb_cc ? sb->sb_hiwat - sb->sb_cc : 0;
}

int
sbreserve(struct sockbuf *sb, uint32_t hiwat, bool stream)
{
	if (hiwat < sb->sb_cc || hiwat == 0)
		return EINVAL;
	if (!stream) {
		sb->sb_hiwat = hiwat;
		sb->sb_q.mq_maxlen = sb_dgram_maxrecords(hiwat);
		return 0;
	}
	if (sb->sb_ring != NULL && hiwat != sb->sb_ringsize) {
		uint8_t *ring = kmem_tryalloc(hiwat);

		if (ring == NULL)
			return ENOBUFS;
		if (sb->sb_cc > 0)
			sbcopy_stream(sb, 0, sb->sb_cc, ring);
		kmem_free(sb->sb_ring, sb->sb_ringsize);
		sb->sb_ring = ring;
		sb->sb_ringsize = hiwat;
		sb->sb_ringoff = 0;
	}
	sb->sb_hiwat = hiwat;
	return 0;
}

uint32_t
sbappend_stream(struct sockbuf *sb, const void *data, uint32_t len)
{
	uint32_t n = MIN(len, sbspace(sb)), tail, first;

	if (n == 0)
		return 0;
	if (sb->sb_ring == NULL) {
		sb->sb_ring = kmem_alloc(sb->sb_hiwat);
		sb->sb_ringsize = sb->sb_hiwat;
		sb->sb_ringoff = 0;
	}
	KASSERT(sb->sb_cc + n <= sb->sb_ringsize);
	tail = (sb->sb_ringoff + sb->sb_cc) % sb->sb_ringsize;
	first = MIN(n, sb->sb_ringsize - tail);
	memcpy(sb->sb_ring + tail, data, first);
	if (first < n)
		memcpy(sb->sb_ring, (const uint8_t *)data + first, n - first);
	sb->sb_cc += n;
	return n;
}

void
sbcopy_stream(const struct sockbuf *sb, uint32_t off, uint32_t len,
    void *out)
{
	uint32_t start, first;

	KASSERT(off <= sb->sb_cc && len <= sb->sb_cc - off);
	if (len == 0)
		return;
	start = (sb->sb_ringoff + off) % sb->sb_ringsize;
	first = MIN(len, sb->sb_ringsize - start);
	memcpy(out, sb->sb_ring + start, first);
	if (first < len)
		memcpy((uint8_t *)out + first, sb->sb_ring, len - first);
}

void
sbdrop_stream(struct sockbuf *sb, uint32_t len)
{
	KASSERT(len <= sb->sb_cc);
	if (len == 0)
		return;
	sb->sb_cc -= len;
	sb->sb_ringoff = sb->sb_cc == 0 ? 0 :
	    (sb->sb_ringoff + len) % sb->sb_ringsize;
}

int
sbappendaddr(struct sockbuf *sb, const struct ksockaddr *from,
    size_t fromlen, struct mbuf *m)
{
	uint32_t len = m->m_len;
	uint16_t alen;

	if (from == NULL)
		fromlen = 0;
	KASSERT(fromlen <= sizeof(struct ksockaddr_storage));
	if (len > sbspace(sb) ||
	    sb->sb_q.mq_len >= sb->sb_q.mq_maxlen) {
		m_freem(m);
		sb->sb_drops++;
		return ENOBUFS;
	}
	if ((m = m_prepend(m, SBREC_HDRLEN(fromlen))) == NULL) {
		sb->sb_drops++;
		return ENOBUFS;
	}
	alen = (uint16_t)fromlen;
	memcpy(m->m_data, &alen, sizeof(alen));
	if (fromlen > 0)
		memcpy(m->m_data + sizeof(alen), from, fromlen);
	if (mq_enqueue(&sb->sb_q, m) != 0) {
		sb->sb_drops++;
		return ENOBUFS;
	}
	sb->sb_cc += len;
	return 0;
}

void
sbrecord_parse(const struct mbuf *m, struct ksockaddr_storage *from,
    size_t *fromlen, uint32_t *hdrlen)
{
	uint16_t alen;

	KASSERT(m->m_len >= sizeof(alen));
	memcpy(&alen, m->m_data, sizeof(alen));
	KASSERT(alen <= sizeof(*from) && SBREC_HDRLEN(alen) <= m->m_len);
	if (from != NULL) {
		memset(from, 0, sizeof(*from));
		if (alen > 0)
			memcpy(from, m->m_data + sizeof(alen), alen);
	}
	if (fromlen != NULL)
		*fromlen = alen;
	*hdrlen = (uint32_t)SBREC_HDRLEN(alen);
}

uint32_t
sbfirstrecord(const struct sockbuf *sb)
{
	uint32_t hdrlen;

	if (sb->sb_q.mq_head == NULL)
		return 0;
	sbrecord_parse(sb->sb_q.mq_head, NULL, NULL, &hdrlen);
	return sb->sb_q.mq_head->m_len - hdrlen;
}
