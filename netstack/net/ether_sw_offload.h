/*
 * ether_sw_offload.h -- checksum and TSO offload emulated in software by
 * an Ethernet driver (shmif, virtif).
 *
 * The flag semantics are the M_CSUM_* block in netstack/kern/mbuf.h.
 * A driver that advertises IFCAP_* capabilities calls
 * ether_sw_offload_tx() on every frame before it reaches the wire and
 * ether_sw_offload_rx() on every accepted frame before ether_input, so
 * only finished frames of at most 1514 bytes ever leave the interface
 * and the stack may trust the receive verdicts.
 *
 * Every piece of work is counted per interface in
 * net.interfaces.<if>.offload.<counter> (rump.netstat -s shows them),
 * so a test can prove that an offload path was really taken.
 */
#ifndef _NETSTACK_NET_ETHER_SW_OFFLOAD_H_
#define _NETSTACK_NET_ETHER_SW_OFFLOAD_H_

#include "netstack/net/if.h"

/* Capabilities a software-emulating driver offers: all but LRO. */
#define ETHER_SW_OFFLOAD_CAPS	0x7ff80

enum ether_offload_stat {
	/* Transmit: checksums finished, packets segmented. */
	EOFF_TX_IPV4,		/* IPv4 header checksums computed */
	EOFF_TX_TCPV4,		/* TCP/IPv4 checksums computed */
	EOFF_TX_UDPV4,
	EOFF_TX_TCPV6,
	EOFF_TX_UDPV6,
	EOFF_TX_TSOV4,		/* TSOv4 super-packets segmented */
	EOFF_TX_TSOV4_SEGS,	/* frames produced from them */
	EOFF_TX_TSOV6,
	EOFF_TX_TSOV6_SEGS,
	EOFF_TX_BAD,		/* dropped: flags not enabled, bad frame */
	EOFF_TX_CORRUPTED,	/* checksums deliberately corrupted */
	/* Receive: checksums verified, and found bad. */
	EOFF_RX_IPV4,
	EOFF_RX_IPV4_BAD,
	EOFF_RX_TCPV4,
	EOFF_RX_TCPV4_BAD,
	EOFF_RX_UDPV4,
	EOFF_RX_UDPV4_BAD,
	EOFF_RX_TCPV6,
	EOFF_RX_TCPV6_BAD,
	EOFF_RX_UDPV6,
	EOFF_RX_UDPV6_BAD,
	EOFF_NSTATS
};

/*
 * Per-interface emulation state, owned by the driver's softc.
 * eo_corrupt is a fault-injection mask of M_CSUM_IPv4, M_CSUM_TCPv4,
 * M_CSUM_UDPv4, M_CSUM_TCPv6, M_CSUM_UDPv6: after finishing a frame (or
 * for frames the stack finished itself) the named checksum is flipped
 * before the frame goes out, so tests can watch receivers drop and count
 * it (sysctl net.interfaces.<if>.offload.corrupt_tx).
 */
struct ether_offload {
	uint64_t	eo_stats[EOFF_NSTATS];	/* [K] */
	int32_t		eo_corrupt;		/* [K] */
};

/* Register the counters and the corrupt_tx knob of ifp.  => 0 or errno */
int ether_sw_offload_attach(struct ifnet *ifp, struct ether_offload *eo);
void ether_sw_offload_detach(struct ifnet *ifp);
/*
 * The last step of attaching a driver that emulates offload in software
 * (after ether_ifattach and setting its methods): offer
 * ETHER_SW_OFFLOAD_CAPS with capenable enabled, if_attach, and register
 * the emulation's counters in eo.
 */
void ether_sw_offload_ifattach(struct ifnet *ifp, uint32_t capenable,
    struct ether_offload *eo);

/*
 * Finish a frame for the wire: compute deferred checksums, cut a TSO
 * super-packet into frames of at most if_mtu + 14 bytes, apply fault
 * injection.  Consumes m.
 * => a list (m_nextpkt) of one or more finished frames, or NULL if the
 *    frame was dropped (flags the interface did not enable, frame too
 *    short for its flags, out of memory; counted in EOFF_TX_BAD).
 */
struct mbuf *ether_sw_offload_tx(struct ifnet *ifp, struct ether_offload *eo,
    struct mbuf *m);

/*
 * Verify the checksums the interface's receive capabilities cover and
 * set m_pkthdr.csum_flags to the verdicts; the frame is not modified.
 * Lengths come from the frame (shmif never pads).  IPv4 fragments, IPv6
 * extension headers and UDP datagrams without a checksum get no verdict.
 */
void ether_sw_offload_rx(struct ifnet *ifp, struct ether_offload *eo,
    struct mbuf *m);

/*
 * Parse a RUMP_SHMIF_CAPENABLE-style value: a C integer literal in any
 * base (0x.. hex, 0.. octal, decimal), as strtoul(.., 0) reads it, but
 * the whole string must be a number.
 * => 0 and *valp, or EINVAL.
 */
int ether_parse_capenable(const char *s, uint32_t *valp);

/*
 * The offloads a new interface starts with, from the host parameter
 * 'var' (RUMP_SHMIF_CAPENABLE, RUMP_VIRTIF_CAPENABLE): 0 if unset.  A
 * value that is not a number, or names bits the emulation does not
 * offer (ETHER_SW_OFFLOAD_CAPS), is refused with a message naming
 * ifname rather than silently masked.  => 0 and *capp, or EINVAL.
 */
int ether_sw_offload_capenv(const char *var, const char *ifname,
    uint32_t *capp);

#endif /* _NETSTACK_NET_ETHER_SW_OFFLOAD_H_ */
