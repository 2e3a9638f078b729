/*
 * frametest.h -- frame-in / frame-out protocol tests (STYLE.md item 15).
 *
 * A test node is one netstack instance on a virtual clock with one
 * Ethernet interface of the "tst" cloner (tst0).  tst0's transmit
 * routine does not send anything: it appends each frame to a list the
 * test inspects.  Frames are injected through ifp->if_input with the
 * kernel lock held, exactly as a driver's receive path does, so
 * everything from ether_input up runs as in production.
 *
 *	struct ft_node *a = ft_create(&(struct ft_config){
 *	    .fc_name = "a", .fc_lladdr = FT_MAC(1),
 *	    .fc_addr = "198.51.100.1/24" });
 *	ft_neighbor(a, "198.51.100.2", (uint8_t[6])FT_MAC(2));
 *	ft_input(a, echo_request, sizeof(echo_request));
 *	ft_expect_tx(a, echo_reply, sizeof(echo_reply));
 *	ft_expect_no_tx(a);
 *	ft_destroy(a);
 *
 * Time.  The clock is virtual and moves only through ft_advance().
 * After every injection and every advance the harness "settles" the
 * node: it runs what is due now (netstack_clock_advance(ns, 0): lo0
 * and broadcast loop-back delivery, net/if_var.h) and answers ARP
 * requests for declared neighbours, until nothing changes.
 *
 * Neighbours.  ft_neighbor(node, ip, mac) declares a station on the
 * wire.  When the node broadcasts an ARP request for that address, the
 * harness removes the request from the transmit list and injects the
 * neighbour's reply, so the list holds only the traffic under test
 * (e.g. the echo reply the ARP resolution was holding back).  ARP
 * requests for undeclared addresses stay on the list.
 *
 * Setup noise.  ft_create() brings tst0 up, adds the address, advances
 * the clock by FT_SETTLE_NS (address announcements and duplicate
 * detection finish) and clears the transmit list; the test starts at
 * netstack time 1 s + FT_SETTLE_NS.
 *
 * Offload.  tst0 offers every IFCAP_* bit; fc_capenable (or
 * ft_set_capenable) enables some.  On transmit, deferred checksums are
 * finished in the recorded bytes (as ether_sw_offload_tx would do)
 * unless ft_set_finish_tx(node, false), and the recorded mbuf keeps the
 * csum_flags the stack handed to the driver, so a test can assert both
 * the wire bytes and the offload request.  TSO super-packets are
 * recorded whole.  On receive, ft_input() plays the driver's
 * verification for the enabled RX capabilities (IPv4 header, TCP/UDP
 * over IPv4 when not fragmented) and sets M_CSUM_* (+ _BAD) flags;
 * ft_input_flags() injects with exactly the flags given instead.
 * IPv6 frames get TCPv6/UDPv6 verdicts when the upper-layer header
 * follows the IPv6 header directly; IPv6 transmit checksums are
 * finished too when the netinet6 objects are linked in.
 *
 * Other families.  fc_addr is an IPv4 address; configure anything else
 * (IPv6 addresses, routes) with the kernel's own calls between
 * ft_lock() and ft_unlock() after ft_create(), then ft_settle() and
 * ft_tx_clear() to drop announcements.
 *
 * Linking.  A test lists tests/unit/frametest.c among its sources and
 * links libnetstack.la.  libnetstack is a static archive and the module
 * list refers to modules weakly, so a program gets only the modules
 * whose objects it refers to; frametest.c refers to ip_input, which
 * brings in the ip module (IPv4, ICMP, UDP, raw).  A test of another
 * protocol module must likewise refer to a symbol of that module's
 * object (e.g. its input function).
 *
 * Table rows.  struct ft_row is {name, frames in, frames expected out
 * (exactly those, in order; none = nothing may be sent), counter
 * deltas (exact; counters not listed are not checked)}.  Use
 * ft_run_row() from a Check loop test: tcase_add_loop_test(tc, fn, 0,
 * nitems(rows)) and ft_run_row(node, &rows[_i]).
 *
 * Two nodes back to back.  ft_pump(a, b) carries a's transmitted
 * frames to b's input and b's to a's, settling both, until neither
 * sends; declare no neighbours then (the stacks ARP each other).
 *
 * Leaks.  ft_destroy() destroys the instance; the caller checks
 * kmem_inuse()/m_inuse() as every unit test does.  Frames popped with
 * ft_tx_pop() belong to the caller (m_freem).
 *
 * All functions are called without the kernel lock held, except
 * inside ft_lock()/ft_unlock() brackets, where only direct kernel calls
 * belong.  Assertion failures are reported through Check.
 */
#ifndef _TESTS_UNIT_FRAMETEST_H_
#define _TESTS_UNIT_FRAMETEST_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/net/if.h"

/* A locally administered MAC address 02:00:00:00:00:nn. */
#define FT_MAC(n)	{ 0x02, 0x00, 0x00, 0x00, 0x00, (n) }
#define FT_SETTLE_NS	NS_SEC(10)
#define FT_MAXNEIGHBORS	16
#define FT_MAXFRAMES	8
#define FT_MAXDELTAS	12

struct ft_config {
	const char	*fc_name;		/* instance name */
	uint8_t		 fc_lladdr[ETHER_ADDR_LEN]; /* tst0's address */
	const char	*fc_addr;		/* "198.51.100.1/24", or NULL */
	uint32_t	 fc_mtu;		/* 0: 1500 */
	uint32_t	 fc_capenable;		/* IFCAP_* */
};

struct ft_neighbor {
	uint32_t	 fnb_addr;		/* network order */
	uint8_t		 fnb_lladdr[ETHER_ADDR_LEN];
};

struct ft_node {
	struct netstack	*fn_ns;
	struct ifnet	*fn_ifp;		/* tst0 */
	struct ft_neighbor fn_nbr[FT_MAXNEIGHBORS];
	unsigned	 fn_nnbr;
};

/* Create a node (Check-asserts success); destroy it. */
struct ft_node *ft_create(const struct ft_config *cfg);
void ft_destroy(struct ft_node *fn);

/* Take / release the node's kernel lock around direct kernel calls. */
void ft_lock(struct ft_node *fn);
void ft_unlock(struct ft_node *fn);

/* "198.51.100.1" -> network order (Check-asserts a valid address). */
uint32_t ft_addr(const char *s);

/* "2001:db8::1" -> 16 bytes (Check-asserts a valid address; hex
 * groups and one "::", no embedded IPv4). */
void ft_addr6(const char *s, uint8_t out[16]);

/* Declare a station that answers ARP for addr. */
void ft_neighbor(struct ft_node *fn, const char *addr,
    const uint8_t lladdr[ETHER_ADDR_LEN]);
/* Add an IPv4 route: dst "0.0.0.0/0", gateway or NULL; RTF_* flags. */
void ft_route(struct ft_node *fn, const char *dst, const char *gateway,
    int flags);
/* Set an integer sysctl (Check-asserts success). */
void ft_sysctl_set(struct ft_node *fn, const char *name, int64_t value);
/* Read a counter (or integer) node by name. */
uint64_t ft_counter(struct ft_node *fn, const char *name);
/* Finish deferred checksums of transmitted frames (default) or not. */
void ft_set_finish_tx(struct ft_node *fn, bool finish);
/* Enable exactly these IFCAP_* bits on tst0. */
void ft_set_capenable(struct ft_node *fn, uint32_t capenable);

/* Inject a frame as received on tst0 (RX offload emulated), settle. */
void ft_input(struct ft_node *fn, const void *frame, size_t len);
/* Inject with exactly these M_CSUM_* flags (no emulation), settle. */
void ft_input_flags(struct ft_node *fn, const void *frame, size_t len,
    uint32_t csum_flags);
/* Run what is due now and answer neighbours' ARP, until quiet. */
void ft_settle(struct ft_node *fn);
/* Move the clock forward (firing callouts on the way), then settle. */
void ft_advance(struct ft_node *fn, uint64_t nsec);

/* The transmit list. */
unsigned ft_tx_count(struct ft_node *fn);
/* The oldest transmitted frame (caller frees), or NULL. */
struct mbuf *ft_tx_pop(struct ft_node *fn);
void ft_tx_clear(struct ft_node *fn);
/* Pop the oldest frame and assert it equals exp[0..len) exactly (a
 * failure prints both frames in hex and the first differing offset).
 * => the frame's csum_flags as handed to the driver. */
uint32_t ft_expect_tx(struct ft_node *fn, const void *exp, size_t len);
/* Assert that nothing (more) was transmitted. */
void ft_expect_no_tx(struct ft_node *fn);

/* One row of a table-driven test. */
struct ft_bytes {
	const void	*fb_data;		/* NULL ends a list */
	size_t		 fb_len;
};
#define FT_BYTES(a)	{ (a), sizeof(a) }

struct ft_delta {
	const char	*fd_name;		/* NULL ends the list */
	int64_t		 fd_delta;
};

struct ft_row {
	const char	*fr_name;
	struct ft_bytes	 fr_in[FT_MAXFRAMES];
	struct ft_bytes	 fr_out[FT_MAXFRAMES];
	struct ft_delta	 fr_deltas[FT_MAXDELTAS];
	uint64_t	 fr_advance;		/* ns to advance after input */
};

/* Inject fr_in, advance fr_advance, then check fr_out exactly and the
 * counter deltas.  Failures name the row. */
void ft_run_row(struct ft_node *fn, const struct ft_row *row);

/* Carry frames between two nodes until both are quiet.
 * => the number of frames carried. */
unsigned ft_pump(struct ft_node *a, struct ft_node *b);

/* Hex dump into buf (for messages). */
void ft_hexdump(const void *data, size_t len, char *buf, size_t size);

#endif /* _TESTS_UNIT_FRAMETEST_H_ */
