/*
 * if_impair.h -- link impairment for experiments: seeded loss, delay
 * (with jitter), duplication, reordering and corruption of the frames an
 * Ethernet interface transmits.
 *
 * Every Ethernet interface has an impairment stage between the stack and
 * its driver: ether_output and ether_output_frame hand frames to
 * if_impair_transmit(), which calls the driver's if_transmit directly
 * while every knob is zero (the default).  Knobs and counters are sysctl
 * nodes under net.interfaces.<if>.impair:
 *
 *	loss, dup, reorder, corrupt	percent of frames, 0..100
 *	delay, jitter			milliseconds, 0..60000
 *	limit				frames the delay line holds, 1..100000
 *	seed				random sequence; 0 = a random seed
 *	frames, lost, duplicated, corrupted, delayed, reordered, qdrops,
 *	finished, sent			counters (read-only)
 *
 * The stage works on wire frames: a frame that still carries deferred
 * offload work (checksums, a TSO super-packet) is first finished by the
 * interface's own software offload (ether_sw_offload_tx, counted in its
 * offload.* counters), so each segment is impaired on its own and a
 * corrupted byte is caught by the receiver's checksum check.
 *
 * Per frame, in this order (each decision an independent draw):
 *	1. loss: dropped (counted in lost).
 *	2. dup: a copy follows the frame; both go through 3-5.
 *	3. corrupt: one byte after the Ethernet header of an IPv4 or IPv6
 *	   frame is XORed with a random non-zero value (other frames are
 *	   never corrupted, so ARP and the addressing survive).
 *	4. delay: the frame waits delay +- a uniform jitter (never below 0)
 *	   in a FIFO delay line; jitter never reorders frames.  A full line
 *	   drops the frame (qdrops).
 *	5. reorder: at the moment it would go out, the frame is held back
 *	   and sent right after the next one (or after IMPAIR_HOLD_MS if
 *	   none follows).
 *
 * The random generator is splitmix64, started from seed (or a random
 * value if seed is 0) when the impairment is switched on (first frame
 * with a non-zero knob) and whenever seed changes, so a given seed and
 * the same sequence of frames give the same decisions.
 */
#ifndef _NETSTACK_NET_IF_IMPAIR_H_
#define _NETSTACK_NET_IF_IMPAIR_H_

#include "netstack/net/if.h"

/* How long a frame held for reordering waits for a successor. */
#define IMPAIR_HOLD_MS		10
#define IMPAIR_MAXDELAY_MS	60000
#define IMPAIR_DEFLIMIT		1000
#define IMPAIR_MAXLIMIT		100000

/*
 * Attach the impairment stage of an Ethernet interface and register its
 * sysctl nodes (called by if_attach; other interface types get none).
 * => 0 or errno (the interface then works unimpaired).
 */
int if_impair_attach(struct ifnet *ifp);
/* Free frames still delayed or held, stop the timers (if_detach). */
void if_impair_detach(struct ifnet *ifp);

/*
 * Transmit one link-layer frame through the impairment stage, then the
 * driver (if_transmit contract: consumes m).  Kernel lock held.
 * => what the driver returned for a frame sent at once; 0 for a frame
 *    lost, delayed or held (as a wire would); EINVAL if its offload
 *    work could not be finished.
 */
int if_impair_transmit(struct ifnet *ifp, struct mbuf *m);

#endif /* _NETSTACK_NET_IF_IMPAIR_H_ */
