/*
 * in_offload.h -- finishing deferred IPv4 checksums in software.
 *
 * One helper serves both sides of the offload emulation: ip_output
 * calls it for whatever the output interface does not offload, and a
 * driver's software TX offload calls it for everything left undone.
 * The flag semantics are those of the M_CSUM_* block in
 * netstack/kern/mbuf.h.
 */
#ifndef _NETSTACK_NETINET_IN_OFFLOAD_H_
#define _NETSTACK_NETINET_IN_OFFLOAD_H_

#include "netstack/kern/mbuf.h"

/*
 * Complete the checksums named in 'which' (a subset of M_CSUM_IPv4,
 * M_CSUM_UDPv4, M_CSUM_TCPv4) that m still has deferred, and clear
 * those flags.  The IPv4 header starts ehlen bytes into the packet (0
 * at the IP layer, ETHER_HDR_LEN in a driver).  Lengths come from the
 * IP header; a packet too short for what its flags claim is left as it
 * is (flags cleared), never read out of bounds.
 */
void in_undefer_cksum(struct mbuf *m, size_t ehlen, uint32_t which);

#endif /* _NETSTACK_NETINET_IN_OFFLOAD_H_ */
