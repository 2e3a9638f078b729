/*
 * test_net_fakeif.h -- an in-memory Ethernet interface for the
 * interface, route, address and ARP tests, and the per-test instance
 * fixture they share.
 *
 * The "fake" cloner makes fakeN with link address 02:00:00:00:01:NN
 * (NN = unit).  Its if_transmit appends each frame to a list the test
 * pops; frames are injected through if_input as a driver does.  if_init
 * fails with fs_initerr when that is set (a shmif without a bus);
 * if_ioctl keeps a link string, link state and media so that the
 * pass-through requests can be tested.
 *
 * The fixture (tn_setup / tn_teardown) creates one instance on a
 * virtual clock with the cloner registered, takes the kernel lock, and
 * at the end destroys it and checks that no kernel memory and no mbuf
 * is left.  Tests run with the lock held; tn_advance releases it around
 * netstack_clock_advance.
 */
#ifndef _TESTS_UNIT_TEST_NET_FAKEIF_H_
#define _TESTS_UNIT_TEST_NET_FAKEIF_H_

#include <check.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/net/if.h"

struct fake_softc {
	struct mqueue	fs_tx;		/* transmitted frames */
	int		fs_initerr;	/* if_init fails with this */
	unsigned	fs_inits;
	unsigned	fs_stops;
	char		fs_linkstr[64];	/* "" = none */
	uint32_t	fs_media;
};

/* The instance of the running test (fixture). */
extern struct netstack *tn_ns;

void tn_setup(void);
void tn_teardown(void);
/* Move the virtual clock (callouts fire); the lock stays held. */
void tn_advance(uint64_t nsec);

/* Create fake<unit>; Check-asserts success. */
struct ifnet *fake_create(int unit);
/* Create and bring up. */
struct ifnet *fake_create_up(int unit);
struct fake_softc *fake_softc(struct ifnet *ifp);
unsigned fake_tx_count(struct ifnet *ifp);
/* Oldest transmitted frame or NULL; the caller frees it. */
struct mbuf *fake_tx_pop(struct ifnet *ifp);
void fake_tx_clear(struct ifnet *ifp);
/* Pop the oldest frame and check it is exactly exp[0..len). */
void fake_expect_tx(struct ifnet *ifp, const void *exp, size_t len);
void fake_expect_no_tx(struct ifnet *ifp);
/* Inject a frame as received. */
void fake_input(struct ifnet *ifp, const void *frame, size_t len);

/* Read a sysctl counter or integer by name (Check-asserts it exists). */
uint64_t tn_sysctl(const char *name);
void tn_sysctl_set(const char *name, int32_t value);

/* Dotted quad -> network order. */
uint32_t tn_addr(const char *s);

#endif /* _TESTS_UNIT_TEST_NET_FAKEIF_H_ */
