/*
 * tcp_seq.h -- sequence number arithmetic modulo 2^32 (RFC 9293 3.4).
 * a < b when b lies less than 2^31 ahead of a.
 */
#ifndef _NETSTACK_NETINET_TCP_SEQ_H_
#define _NETSTACK_NETINET_TCP_SEQ_H_

#include "netstack/kern/kern.h"

typedef uint32_t tcp_seq;

#define SEQ_LT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)
#define SEQ_MIN(a, b)	(SEQ_LT(a, b) ? (a) : (b))
#define SEQ_MAX(a, b)	(SEQ_GT(a, b) ? (a) : (b))

#endif /* _NETSTACK_NETINET_TCP_SEQ_H_ */
