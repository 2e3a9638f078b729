/*
 * mbuf.c -- contiguous packet buffers (see mbuf.h for the invariants).
 *
 * The mbuf header and its buffer are one allocation: the buffer starts
 * right after the header.  m_prepend() may move a packet into a larger
 * allocation, so callers always continue with the pointer it returns.
 */
#include "netstack/kern/mbuf.h"

static uint64_t mbuf_live;

static size_t
m_allocsize(size_t bufsize)
{
	return sizeof(struct mbuf) + bufsize;
}

struct mbuf *
m_get(size_t len, size_t headroom)
{
	struct mbuf *m;
	size_t size;

	if (len > MAXMBUFSIZE || headroom > MAXMBUFSIZE)
		return NULL;
	size = roundup(len + headroom, 64);
	m = kmem_tryalloc(m_allocsize(size));
	if (m == NULL)
		return NULL;
	m->m_nextpkt = NULL;
	m->m_buf = (uint8_t *)(m + 1);
	m->m_size = (uint32_t)size;
	m->m_data = m->m_buf + headroom;
	m->m_len = 0;
	m->m_flags = 0;
	memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
	__atomic_add_fetch(&mbuf_live, 1, __ATOMIC_RELAXED);
	return m;
}

struct mbuf *
m_gethdr(size_t len)
{
	struct mbuf *m = m_get(len, MHEADROOM);

	if (m != NULL)
		m->m_len = m->m_pkthdr.len = (uint32_t)len;
	return m;
}

struct mbuf *
m_devget(const void *data, size_t len)
{
	struct mbuf *m = m_gethdr(len);

	if (m != NULL && len > 0)
		memcpy(m->m_data, data, len);
	return m;
}

void
m_freem(struct mbuf *m)
{
	if (m == NULL)
		return;
	__atomic_sub_fetch(&mbuf_live, 1, __ATOMIC_RELAXED);
	kmem_free(m, m_allocsize(m->m_size));
}

void
m_freem_list(struct mbuf *m)
{
	while (m != NULL) {
		struct mbuf *next = m->m_nextpkt;
		m_freem(m);
		m = next;
	}
}

size_t
m_headroom(const struct mbuf *m)
{
	return (size_t)(m->m_data - m->m_buf);
}

size_t
m_tailroom(const struct mbuf *m)
{
	return (size_t)(m->m_buf + m->m_size - (m->m_data + m->m_len));
}

void
m_assert(const struct mbuf *m)
{
	KASSERT(m->m_buf == (const uint8_t *)(m + 1));
	KASSERT(m->m_data >= m->m_buf);
	KASSERT(m->m_data + m->m_len <= m->m_buf + m->m_size);
	KASSERT(m->m_pkthdr.len == m->m_len);
}

/* Move the packet into a new buffer with the given head- and tailroom. */
static struct mbuf *
m_realloc(struct mbuf *m, size_t headroom, size_t tailroom)
{
	struct mbuf *n;

	n = m_get(m->m_len + tailroom, headroom);
	if (n == NULL) {
		m_freem(m);
		return NULL;
	}
	memcpy(n->m_data, m->m_data, m->m_len);
	n->m_len = m->m_len;
	n->m_flags = m->m_flags;
	n->m_pkthdr = m->m_pkthdr;
	n->m_nextpkt = m->m_nextpkt;
	m_freem(m);
	return n;
}

struct mbuf *
m_prepend(struct mbuf *m, size_t len)
{
	if (m_headroom(m) < len) {
		if (len > MAXMBUFSIZE)
			goto fail;
		m = m_realloc(m, len + MHEADROOM, 0);
		if (m == NULL)
			return NULL;
	}
	m->m_data -= len;
	m->m_len += (uint32_t)len;
	m->m_pkthdr.len = m->m_len;
	return m;
fail:
	m_freem(m);
	return NULL;
}

int
m_append(struct mbuf *m, size_t len, const void *data)
{
	if (m_tailroom(m) < len) {
		/* Contiguous buffers cannot grow in place; the caller sized
		 * the packet when it was allocated. */
		return ENOBUFS;
	}
	if (data != NULL)
		memcpy(m->m_data + m->m_len, data, len);
	else
		memset(m->m_data + m->m_len, 0, len);
	m->m_len += (uint32_t)len;
	m->m_pkthdr.len = m->m_len;
	return 0;
}

void
m_adj(struct mbuf *m, int len)
{
	if (len >= 0) {
		size_t n = MIN((size_t)len, m->m_len);
		m->m_data += n;
		m->m_len -= (uint32_t)n;
	} else {
		size_t n = MIN((size_t)-(int64_t)len, m->m_len);
		m->m_len -= (uint32_t)n;
	}
	m->m_pkthdr.len = m->m_len;
}

struct mbuf *
m_dup(const struct mbuf *m)
{
	struct mbuf *n;

	n = m_get(m->m_len + m_tailroom(m), m_headroom(m));
	if (n == NULL)
		return NULL;
	memcpy(n->m_data, m->m_data, m->m_len);
	n->m_len = m->m_len;
	n->m_flags = m->m_flags;
	n->m_pkthdr = m->m_pkthdr;
	return n;
}

void
m_copydata(const struct mbuf *m, size_t off, size_t len, void *buf)
{
	KASSERT(off <= m->m_len && len <= m->m_len - off);
	memcpy(buf, m->m_data + off, len);
}

uint64_t
m_inuse(void)
{
	return __atomic_load_n(&mbuf_live, __ATOMIC_RELAXED);
}

void
mq_init(struct mqueue *q, unsigned maxlen)
{
	q->mq_head = q->mq_tail = NULL;
	q->mq_len = 0;
	q->mq_maxlen = maxlen;
	q->mq_drops = 0;
}

int
mq_enqueue(struct mqueue *q, struct mbuf *m)
{
	if (q->mq_len >= q->mq_maxlen) {
		q->mq_drops++;
		m_freem(m);
		return ENOBUFS;
	}
	m->m_nextpkt = NULL;
	if (q->mq_tail != NULL)
		q->mq_tail->m_nextpkt = m;
	else
		q->mq_head = m;
	q->mq_tail = m;
	q->mq_len++;
	return 0;
}

struct mbuf *
mq_dequeue(struct mqueue *q)
{
	struct mbuf *m = q->mq_head;

	if (m == NULL)
		return NULL;
	q->mq_head = m->m_nextpkt;
	if (q->mq_head == NULL)
		q->mq_tail = NULL;
	q->mq_len--;
	m->m_nextpkt = NULL;
	return m;
}

void
mq_purge(struct mqueue *q)
{
	struct mbuf *m;

	while ((m = mq_dequeue(q)) != NULL)
		m_freem(m);
}
