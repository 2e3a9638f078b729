/*
 * mbuf.h -- packet buffers.
 *
 * rumpnet's mbufs are contiguous: one mbuf holds one whole packet in one
 * buffer, with headroom in front for headers that lower layers prepend.
 * There are no chains, so every header is directly addressable once its
 * length has been checked against m_len.
 *
 * Invariants (checked by m_assert()):
 *   m_buf <= m_data,  m_data + m_len <= m_buf + m_size
 *   m_pkthdr.len == m_len      (kept for BSD-style code and tests)
 * m_nextpkt links packets in queues and TSO segment lists; a packet on a
 * queue belongs to the queue's owner.
 */
#ifndef _NETSTACK_KERN_MBUF_H_
#define _NETSTACK_KERN_MBUF_H_

#include "netstack/kern/kern.h"

struct ifnet;

/*
 * Checksum and segmentation offload: the one authoritative definition.
 * Everything else (ip_output, udp/tcp output, the drivers' software
 * emulation in net/ether_sw_offload.c, the tests) cites this block.
 *
 * csum_flags on TRANSMIT (set by the stack, consumed by the driver):
 *   M_CSUM_IPv4   the IPv4 header checksum is left undone (ip_sum == 0);
 *                 the driver computes it over the header length held in
 *                 the upper 16 bits of csum_data.
 *   M_CSUM_TCPv4, M_CSUM_UDPv4, M_CSUM_TCPv6, M_CSUM_UDPv6
 *                 the L4 checksum field already holds the pseudo-header
 *                 sum (source, destination, protocol, L4 length; ones'
 *                 complement, not inverted).  The driver sums the L4
 *                 header and payload on top of it, inverts, stores
 *                 (UDP: a result of 0 is sent as 0xffff).
 *                 csum_data = (L3 header length << 16) | offset of the
 *                 checksum field inside the L4 header (TCP 16, UDP 6).
 *                 The L4 length comes from ip_len / ip6_plen, never from
 *                 the frame length.
 *   M_CSUM_TSOv4, M_CSUM_TSOv6
 *                 the packet is a TCP super-packet larger than the MTU;
 *                 the driver cuts its payload into segsz-byte segments
 *                 (the payload is a non-zero multiple of segsz), each
 *                 with a copy of all headers, sequence numbers advanced,
 *                 IPv4 ids base+i, and every checksum computed.  FIN is
 *                 never set on such a packet; all other flags, options
 *                 and the window are copied to every segment.
 *                 M_CSUM_IPv4 may accompany TSOv4 and is implied by it.
 * A flag may only be set if the output interface enabled the matching
 * capability (if_csum_flags_tx); otherwise the stack does the work
 * itself before the packet reaches if_output.  Whatever the flags, the
 * driver puts only finished frames of at most 1514 bytes on the wire.
 *
 * csum_flags on RECEIVE (set by the driver, trusted by the stack only
 * for protocols in the interface's if_csum_flags_rx):
 *   M_CSUM_IPv4        the IPv4 header checksum was verified ...
 *   M_CSUM_IPv4_BAD    ... and it was wrong (drop, count ips_badsum).
 *   M_CSUM_TCPv4 etc.  the L4 checksum was verified over the whole
 *                      segment (length taken from the frame) ...
 *   M_CSUM_TCP_UDP_BAD ... and it was wrong (drop, count badsum).
 *   No flag: nothing was verified; the stack checks in software.  IPv4
 *   fragments, IPv6 extension headers and UDP datagrams sent without a
 *   checksum are never flagged.  The driver never modifies the packet.
 *   M_CSUM_DATA and M_CSUM_NO_PSEUDOHDR are defined for completeness and
 *   never produced.
 *
 * segsz holds the MSS for TSO on transmit; it is 0 otherwise.
 */
#define M_CSUM_TCPv4		0x00000001
#define M_CSUM_UDPv4		0x00000002
#define M_CSUM_TCP_UDP_BAD	0x00000004
#define M_CSUM_DATA		0x00000008
#define M_CSUM_TCPv6		0x00000010
#define M_CSUM_UDPv6		0x00000020
#define M_CSUM_IPv4		0x00000040
#define M_CSUM_IPv4_BAD		0x00000080
#define M_CSUM_TSOv4		0x00000100
#define M_CSUM_TSOv6		0x00000200
#define M_CSUM_NO_PSEUDOHDR	0x80000000

/* m_flags */
#define M_BCAST		0x0001	/* received as link broadcast */
#define M_MCAST		0x0002	/* received as link multicast */
#define M_PROMISC	0x0004	/* received only because promiscuous */
#define M_LOOP		0x0008	/* looped back by the stack */
#define M_CANFASTFWD	0x0010

struct pkthdr {
	struct ifnet	*rcvif;		/* receiving interface or NULL */
	uint32_t	 len;		/* == m_len */
	uint32_t	 csum_flags;	/* M_CSUM_*, see above */
	uint32_t	 csum_data;	/* see above */
	uint16_t	 segsz;		/* TSO: MSS */
};

struct mbuf {
	struct mbuf	*m_nextpkt;	/* next packet in a queue or list */
	uint8_t		*m_data;	/* start of valid data */
	uint32_t	 m_len;		/* bytes of valid data */
	uint32_t	 m_flags;	/* M_BCAST ... */
	uint32_t	 m_size;	/* bytes in m_buf */
	uint8_t		*m_buf;		/* the buffer (follows the header) */
	struct pkthdr	 m_pkthdr;
};

/* Default headroom: Ethernet + IPv6 + extension headers + TCP options. */
#define MHEADROOM	128u
/* Largest packet an mbuf may hold (TSO super-packets included). */
#define MAXMBUFSIZE	(128u * 1024)

/*
 * Allocate a packet with room for len bytes of data after 'headroom'
 * bytes; m_len is 0.  => NULL if len + headroom exceeds MAXMBUFSIZE or
 * the host is out of memory (callers count and drop).
 */
struct mbuf *m_get(size_t len, size_t headroom);
/* m_get(len, MHEADROOM) with m_len = len (contents undefined). */
struct mbuf *m_gethdr(size_t len);
/* Allocate and copy len bytes of data in; headroom MHEADROOM. */
struct mbuf *m_devget(const void *data, size_t len);
void m_freem(struct mbuf *m);
/* Free a whole m_nextpkt list. */
void m_freem_list(struct mbuf *m);

/*
 * Make room for len bytes in front of the data and return the new start;
 * reallocates (copying) when headroom is short.  => the mbuf, possibly
 * moved, or NULL after freeing m (out of memory).
 */
struct mbuf *m_prepend(struct mbuf *m, size_t len);
/* Append len bytes (data may be NULL: zero-filled). => 0 or ENOBUFS. */
int m_append(struct mbuf *m, size_t len, const void *data);
/* Trim len > 0 bytes from the front, or -len bytes from the end. */
void m_adj(struct mbuf *m, int len);
/* Copy of the packet (data, flags, pkthdr; rcvif kept). => NULL */
struct mbuf *m_dup(const struct mbuf *m);
/* Copy len bytes from offset off into buf; off+len must be <= m_len. */
void m_copydata(const struct mbuf *m, size_t off, size_t len, void *buf);
size_t m_headroom(const struct mbuf *m);
size_t m_tailroom(const struct mbuf *m);
void m_assert(const struct mbuf *m);

#define mtod(m, t)	((t)(void *)((m)->m_data))

/* Number of live mbufs in the process (leak checks). */
uint64_t m_inuse(void);

/* A simple FIFO of packets with a length limit. */
struct mqueue {
	struct mbuf	*mq_head;
	struct mbuf	*mq_tail;
	unsigned	 mq_len;
	unsigned	 mq_maxlen;
	uint64_t	 mq_drops;
};

void mq_init(struct mqueue *q, unsigned maxlen);
/* => 0, or ENOBUFS after freeing m (queue full, counted in mq_drops). */
int mq_enqueue(struct mqueue *q, struct mbuf *m);
struct mbuf *mq_dequeue(struct mqueue *q);
void mq_purge(struct mqueue *q);

#endif /* _NETSTACK_KERN_MBUF_H_ */
