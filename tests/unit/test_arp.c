/*
 * test_arp.c -- ARP over Ethernet: replies, resolution with held
 * packets, retries and timeouts on the virtual clock, expiry and
 * refresh, static/temporary/published entries, gratuitous
 * announcements, malformed frames, address conflicts, purges, and the
 * neighbour requests of rump_net.h.
 *
 * The node is fake0 (02:00:00:00:01:00) with 198.51.100.1/24; the
 * peer is 02:00:00:00:09:09 at 198.51.100.2.  Golden frames were
 * written by hand from RFC 826 and checked byte for byte against
 * scapy 2.5 (Ether()/ARP() with the same fields).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/if_arp.h"
#include "rumpnet/rump_net.h"
#include "tests/unit/test_net_fakeif.h"
#include "tests/unit/unit.h"

#define US	0x02, 0x00, 0x00, 0x00, 0x01, 0x00
#define PEER	0x02, 0x00, 0x00, 0x00, 0x09, 0x09
#define BCAST	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define ZERO6	0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define IP_US	0xc6, 0x33, 0x64, 0x01		/* 198.51.100.1 */
#define IP_PEER	0xc6, 0x33, 0x64, 0x02		/* 198.51.100.2 */
#define ARP_ETHER_IP	0x08, 0x06,	/* EtherType ARP */		\
			0x00, 0x01,	/* hardware: Ethernet */	\
			0x08, 0x00,	/* protocol: IPv4 */		\
			0x06, 0x04	/* hln 6, pln 4 */

/* The peer asks who has 198.51.100.1. */
static const uint8_t req_in[42] = {
	BCAST, PEER, ARP_ETHER_IP,
	0x00, 0x01,			/* request */
	PEER, IP_PEER,			/* sender */
	ZERO6, IP_US,			/* target */
};

/* Our answer: unicast to the asker, target = the asker. */
static const uint8_t reply_out[42] = {
	PEER, US, ARP_ETHER_IP,
	0x00, 0x02,			/* reply */
	US, IP_US,
	PEER, IP_PEER,
};

/* Our request for 198.51.100.2. */
static const uint8_t req_out[42] = {
	BCAST, US, ARP_ETHER_IP,
	0x00, 0x01,
	US, IP_US,
	ZERO6, IP_PEER,
};

/* The same, unicast to the known owner (refresh). */
static const uint8_t req_out_unicast[42] = {
	PEER, US, ARP_ETHER_IP,
	0x00, 0x01,
	US, IP_US,
	ZERO6, IP_PEER,
};

/* The peer's answer to req_out. */
static const uint8_t reply_in[42] = {
	US, PEER, ARP_ETHER_IP,
	0x00, 0x02,
	PEER, IP_PEER,
	US, IP_US,
};

/* Gratuitous ARP (RFC 5227 announcement) for 198.51.100.1. */
static const uint8_t garp[42] = {
	BCAST, US, ARP_ETHER_IP,
	0x00, 0x01,
	US, IP_US,
	ZERO6, IP_US,
};

static struct ifnet *ifp;

static void
setup(void)
{
	tn_setup();
	ifp = fake_create_up(0);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.1"), 24, 0), 0);
	fake_expect_tx(ifp, garp, sizeof(garp));
	fake_expect_no_tx(ifp);
}

static void
teardown(void)
{
	tn_teardown();
}

static uint64_t
arpstat(const char *name)
{
	char full[64];

	snprintf(full, sizeof(full), "net.inet.arp.stats.%s", name);
	return tn_sysctl(full);
}

/* An IPv4 "packet" of 20 bytes tagged with 'tag', sent to dst. */
static int
send_to(const char *dst, uint8_t tag)
{
	struct ksockaddr_in sin = { .sin_family = AF_INET };
	struct mbuf *m = m_gethdr(20);

	ck_assert_ptr_nonnull(m);
	memset(m->m_data, tag, 20);
	sin.sin_addr = tn_addr(dst);
	return ether_output(ifp, m, (struct ksockaddr *)&sin);
}

/* Expect the data frame tagged 'tag' to the peer. */
static void
expect_data(uint8_t tag)
{
	uint8_t exp[34] = { PEER, US, 0x08, 0x00 };

	memset(exp + 14, tag, 20);
	fake_expect_tx(ifp, exp, sizeof(exp));
}

/* The neighbour entry of addr, by the public request. => errno. */
static int
nbr_get(const char *addr, struct rump_nbrreq *req)
{
	memset(req, 0, sizeof(*req));
	req->nbr_family = AF_INET;
	memcpy(req->nbr_addr, &(uint32_t){ tn_addr(addr) }, 4);
	return ifioctl(tn_ns, NULL, RUMP_SIOCGNBR, req);
}

static int
nbr_set(const char *addr, const uint8_t *mac, uint32_t flags,
    const char *ifname)
{
	struct rump_nbrreq req;

	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET;
	req.nbr_flags = flags;
	memcpy(req.nbr_addr, &(uint32_t){ tn_addr(addr) }, 4);
	memcpy(req.nbr_lladdr, mac, 6);
	if (ifname != NULL)
		strcpy(req.nbr_ifname, ifname);
	return ifioctl(tn_ns, NULL, RUMP_SIOCSNBR, &req);
}

static int
nbr_del(const char *addr)
{
	struct rump_nbrreq req;

	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET;
	memcpy(req.nbr_addr, &(uint32_t){ tn_addr(addr) }, 4);
	return ifioctl(tn_ns, NULL, RUMP_SIOCDNBR, &req);
}

static const uint8_t mac_peer[6] = { PEER };
static const uint8_t mac_other[6] = { 0x02, 0, 0, 0, 0x09, 0x0a };

/* ------------------------------------------------------------- replies */

START_TEST(test_reply_for_us)
{
	struct rump_nbrreq req;

	fake_input(ifp, req_in, sizeof(req_in));
	fake_expect_tx(ifp, reply_out, sizeof(reply_out));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("received"), 1);
	ck_assert_uint_eq(arpstat("rxrequests"), 1);
	ck_assert_uint_eq(arpstat("txreplies"), 1);
	/* The asker was learnt (RFC 826: we are the target). */
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_REACHABLE);
	ck_assert_mem_eq(req.nbr_lladdr, mac_peer, 6);
	ck_assert_str_eq(req.nbr_ifname, "fake0");
	ck_assert_uint_eq(req.nbr_ifindex, 2);
	ck_assert_uint_eq(req.nbr_expire, 1200);
	ck_assert_uint_eq(req.nbr_flags, 0);
	/* So sending to it needs no request. */
	ck_assert_int_eq(send_to("198.51.100.2", 0x11), 0);
	expect_data(0x11);
	fake_expect_no_tx(ifp);
	/* Our own address has no entry. */
	ck_assert_int_eq(nbr_get("198.51.100.1", &req), ENOENT);
}
END_TEST

START_TEST(test_request_for_another)
{
	uint8_t frame[42];
	struct rump_nbrreq req;

	memcpy(frame, req_in, sizeof(frame));
	frame[41] = 0x03;		/* who has 198.51.100.3 */
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);

	/* An entry that exists is updated by what its owner says. */
	fake_input(ifp, req_in, sizeof(req_in));
	fake_tx_clear(ifp);
	memcpy(frame + 6, mac_other, 6);
	memcpy(frame + 22, mac_other, 6);
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_mem_eq(req.nbr_lladdr, mac_other, 6);
}
END_TEST

/* RFC 5227 probe (sender 0.0.0.0): answered, nothing learnt. */
START_TEST(test_probe)
{
	uint8_t frame[42], exp[42];
	struct rump_nbrreq req;

	memcpy(frame, req_in, sizeof(frame));
	memset(frame + 28, 0, 4);	/* sender IP 0.0.0.0 */
	fake_input(ifp, frame, sizeof(frame));
	memcpy(exp, reply_out, sizeof(exp));
	memset(exp + 38, 0, 4);		/* target IP 0.0.0.0 */
	fake_expect_tx(ifp, exp, sizeof(exp));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(nbr_get("0.0.0.0", &req), ENOENT);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
}
END_TEST

/* ---------------------------------------------------------- resolution */

START_TEST(test_resolve_flushes_in_order)
{
	struct rump_nbrreq req;

	ck_assert_int_eq(send_to("198.51.100.2", 0x21), 0);
	ck_assert_int_eq(send_to("198.51.100.2", 0x22), 0);
	ck_assert_int_eq(send_to("198.51.100.2", 0x23), 0);
	/* One request, no data yet. */
	fake_expect_tx(ifp, req_out, sizeof(req_out));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_INCOMPLETE);
	ck_assert_uint_eq(req.nbr_asked, 1);
	ck_assert_mem_eq(req.nbr_lladdr, ((uint8_t[6]){ 0 }), 6);

	fake_input(ifp, reply_in, sizeof(reply_in));
	expect_data(0x21);
	expect_data(0x22);
	expect_data(0x23);
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_REACHABLE);
	ck_assert_uint_eq(req.nbr_asked, 0);
	ck_assert_uint_eq(arpstat("rxreplies"), 1);
	ck_assert_uint_eq(arpstat("txrequests"), 1);
	ck_assert_uint_eq(arpstat("dropped"), 0);
	/* The retry timer is gone: nothing more is sent. */
	tn_advance(NS_SEC(10));
	fake_expect_no_tx(ifp);
}
END_TEST

START_TEST(test_resolve_timeout)
{
	struct rump_nbrreq req;

	ck_assert_int_eq(send_to("198.51.100.2", 0x31), 0);
	ck_assert_int_eq(send_to("198.51.100.2", 0x32), 0);
	fake_expect_tx(ifp, req_out, sizeof(req_out));
	/* One request a second, net.inet.arp.maxtries (5) in all. */
	for (int i = 1; i < 5; i++) {
		tn_advance(NS_SEC(1));
		fake_expect_tx(ifp, req_out, sizeof(req_out));
		fake_expect_no_tx(ifp);
	}
	tn_advance(NS_SEC(1));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("txrequests"), 5);
	ck_assert_uint_eq(arpstat("timeouts"), 1);
	ck_assert_uint_eq(arpstat("dropped"), 2);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_FAILED);
	ck_assert_uint_eq(req.nbr_asked, 5);
	ck_assert_uint_eq(req.nbr_expire, 20);

	/* Held down: refused at once, no request (net.inet.arp.down). */
	ck_assert_int_eq(send_to("198.51.100.2", 0x33), EHOSTDOWN);
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("dropped"), 3);
	tn_advance(NS_SEC(20));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
	ck_assert_int_eq(send_to("198.51.100.2", 0x34), 0);
	fake_expect_tx(ifp, req_out, sizeof(req_out));

	/* A shorter net.inet.arp.maxtries applies to the next retry. */
	tn_sysctl_set("net.inet.arp.maxtries", 2);
	tn_advance(NS_SEC(1));
	fake_expect_tx(ifp, req_out, sizeof(req_out));
	tn_advance(NS_SEC(1));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("timeouts"), 2);
	ck_assert_uint_eq(arpstat("dropped"), 4);
}
END_TEST

START_TEST(test_hold_limit)
{
	tn_sysctl_set("net.inet.arp.maxhold", 2);
	for (uint8_t tag = 0x41; tag <= 0x44; tag++)
		ck_assert_int_eq(send_to("198.51.100.2", tag), 0);
	fake_expect_tx(ifp, req_out, sizeof(req_out));
	ck_assert_uint_eq(arpstat("dropped"), 2);
	fake_input(ifp, reply_in, sizeof(reply_in));
	/* The oldest were dropped. */
	expect_data(0x43);
	expect_data(0x44);
	fake_expect_no_tx(ifp);
}
END_TEST

START_TEST(test_cache_full_and_noarp)
{
	tn_sysctl_set("net.inet.arp.maxentries", 1);
	ck_assert_int_eq(send_to("198.51.100.2", 0x51), 0);
	fake_tx_clear(ifp);
	ck_assert_int_eq(send_to("198.51.100.3", 0x52), ENOBUFS);
	ck_assert_uint_eq(arpstat("cachefull"), 1);
	/* Static entries are not limited. */
	ck_assert_int_eq(nbr_set("198.51.100.3", mac_other, 0, NULL), 0);

	/* -arp: no requests, no answers. */
	ck_assert_int_eq(if_setflags(ifp, ifp->if_flags | IFF_NOARP), 0);
	ck_assert_int_eq(send_to("198.51.100.4", 0x53), EHOSTUNREACH);
	ck_assert_int_eq(send_to("198.51.100.3", 0x54), 0);	/* static */
	fake_tx_clear(ifp);
	fake_input(ifp, req_in, sizeof(req_in));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("noarp"), 2);
}
END_TEST

/* ------------------------------------------------------ expiry, refresh */

START_TEST(test_expiry)
{
	struct rump_nbrreq req;

	tn_sysctl_set("net.inet.arp.keep", 5);
	fake_input(ifp, req_in, sizeof(req_in));
	fake_tx_clear(ifp);
	tn_advance(NS_SEC(4));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_expire, 1);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_STALE);
	tn_advance(NS_SEC(1));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
	ck_assert_uint_eq(arpstat("expired"), 1);
}
END_TEST

START_TEST(test_refresh)
{
	struct rump_nbrreq req;

	ck_assert_int_eq(send_to("198.51.100.2", 0x61), 0);
	fake_input(ifp, reply_in, sizeof(reply_in));
	fake_expect_tx(ifp, req_out, sizeof(req_out));
	expect_data(0x61);

	/* Used before the last minute: no refresh. */
	tn_advance(NS_SEC(1100));
	ck_assert_int_eq(send_to("198.51.100.2", 0x62), 0);
	expect_data(0x62);
	fake_expect_no_tx(ifp);
	/* In the last minute: one unicast request, at most once a second. */
	tn_advance(NS_SEC(50));
	ck_assert_int_eq(send_to("198.51.100.2", 0x63), 0);
	ck_assert_int_eq(send_to("198.51.100.2", 0x64), 0);
	fake_expect_tx(ifp, req_out_unicast, sizeof(req_out_unicast));
	expect_data(0x63);
	expect_data(0x64);
	fake_expect_no_tx(ifp);
	/* The answer starts a new lifetime. */
	fake_input(ifp, reply_in, sizeof(reply_in));
	tn_advance(NS_SEC(100));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_REACHABLE);
	ck_assert_uint_eq(req.nbr_expire, 1100);
}
END_TEST

/* --------------------------------------------------------------- static */

START_TEST(test_static_entries)
{
	struct rump_nbrreq req;
	uint8_t frame[42];

	ck_assert_int_eq(nbr_set("198.51.100.2", mac_peer, 0, NULL), 0);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_uint_eq(req.nbr_flags, RUMP_NBRF_PERMANENT);
	ck_assert_uint_eq(req.nbr_expire, 0);
	ck_assert_int_eq(send_to("198.51.100.2", 0x71), 0);
	expect_data(0x71);
	/* Neither time nor the wire changes it. */
	tn_advance(NS_SEC(5000));
	memcpy(frame, reply_in, sizeof(frame));
	memcpy(frame + 22, mac_other, 6);
	fake_input(ifp, frame, sizeof(frame));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_mem_eq(req.nbr_lladdr, mac_peer, 6);
	/* "File exists"; temporary entries can be replaced. */
	ck_assert_int_eq(nbr_set("198.51.100.2", mac_other, 0, NULL), EEXIST);
	ck_assert_int_eq(nbr_set("198.51.100.3", mac_other, RUMP_NBRF_TEMP,
	    NULL), 0);
	ck_assert_int_eq(nbr_get("198.51.100.3", &req), 0);
	ck_assert_uint_eq(req.nbr_flags, 0);
	ck_assert_uint_eq(req.nbr_expire, 1200);
	ck_assert_int_eq(nbr_set("198.51.100.3", mac_peer, 0, NULL), 0);
	ck_assert_int_eq(nbr_get("198.51.100.3", &req), 0);
	ck_assert_uint_eq(req.nbr_flags, RUMP_NBRF_PERMANENT);
	/* Bad requests. */
	ck_assert_int_eq(nbr_set("203.0.113.5", mac_peer, 0, NULL),
	    ENETUNREACH);
	ck_assert_int_eq(nbr_set("198.51.100.4", (uint8_t[6]){ BCAST }, 0,
	    NULL), EINVAL);
	ck_assert_int_eq(nbr_set("198.51.100.1", mac_peer, 0, NULL), EINVAL);
	ck_assert_int_eq(nbr_set("198.51.100.4", mac_peer, 0, "lo0"),
	    ENETUNREACH);
	ck_assert_int_eq(nbr_set("198.51.100.4", mac_peer, 0, "nosuch0"),
	    ENXIO);

	/* Delete one; flush the dynamic ones, then all. */
	ck_assert_int_eq(nbr_del("198.51.100.3"), 0);
	ck_assert_int_eq(nbr_del("198.51.100.3"), ENOENT);
	fake_input(ifp, req_in, sizeof(req_in));	/* no: .2 is static */
	fake_tx_clear(ifp);
	ck_assert_int_eq(nbr_set("198.51.100.5", mac_other, RUMP_NBRF_TEMP,
	    NULL), 0);
	memset(&req, 0, sizeof(req));
	req.nbr_family = AF_INET;
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCFLUSHNBR, &req), 0);
	ck_assert_uint_eq(req.nbr_index, 1);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	req.nbr_flags = RUMP_NBRF_ALL;
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCFLUSHNBR, &req), 0);
	ck_assert_uint_eq(req.nbr_index, 1);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
	req.nbr_family = AF_INET6;
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCFLUSHNBR, &req),
	    EAFNOSUPPORT);
}
END_TEST

/* "arp -s IP MAC pub": we answer for the published address. */
START_TEST(test_published)
{
	struct rump_nbrreq req;
	uint8_t frame[42], exp[42];

	ck_assert_int_eq(nbr_set("198.51.100.7", mac_other,
	    RUMP_NBRF_PUBLISHED, NULL), 0);
	ck_assert_int_eq(nbr_get("198.51.100.7", &req), 0);
	ck_assert_uint_eq(req.nbr_flags, RUMP_NBRF_PERMANENT |
	    RUMP_NBRF_PUBLISHED);
	memcpy(frame, req_in, sizeof(frame));
	frame[41] = 7;			/* who has 198.51.100.7 */
	fake_input(ifp, frame, sizeof(frame));
	memcpy(exp, reply_out, sizeof(exp));
	memcpy(exp + 22, mac_other, 6);	/* sender: the published MAC */
	exp[31] = 7;
	fake_expect_tx(ifp, exp, sizeof(exp));
	fake_expect_no_tx(ifp);
}
END_TEST

START_TEST(test_list)
{
	struct rump_nbrreq req;
	unsigned n, seen = 0;
	char buf[16];

	ck_assert_int_eq(nbr_set("198.51.100.2", mac_peer, 0, NULL), 0);
	ck_assert_int_eq(nbr_set("198.51.100.3", mac_peer, 0, NULL), 0);
	ck_assert_int_eq(send_to("198.51.100.4", 0x81), 0);
	for (n = 0; ; n++) {
		uint32_t a;

		memset(&req, 0, sizeof(req));
		req.nbr_family = AF_INET;
		req.nbr_index = n;
		if (ifioctl(tn_ns, NULL, RUMP_SIOCLISTNBR, &req) != 0)
			break;
		ck_assert_uint_eq(req.nbr_index, n);
		memcpy(&a, req.nbr_addr, 4);
		in_fmtaddr(a, buf);
		if (strcmp(buf, "198.51.100.4") == 0) {
			ck_assert_uint_eq(req.nbr_state, RUMP_NBRS_INCOMPLETE);
			seen |= 4;
		} else if (strcmp(buf, "198.51.100.3") == 0)
			seen |= 2;
		else if (strcmp(buf, "198.51.100.2") == 0)
			seen |= 1;
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(seen, 7);
}
END_TEST

/* -------------------------------------------------- announcements, purge */

START_TEST(test_garp)
{
	static const uint8_t garp2[42] = {
		BCAST, US, ARP_ETHER_IP,
		0x00, 0x01,
		US, 0xcb, 0x00, 0x71, 0x05,	/* 203.0.113.5 */
		ZERO6, 0xcb, 0x00, 0x71, 0x05,
	};
	struct rump_iflladdr lla;
	uint8_t exp[42];

	ck_assert_uint_eq(arpstat("txannounces"), 1);	/* in setup */
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("203.0.113.5"), 24, 0), 0);
	fake_expect_tx(ifp, garp2, sizeof(garp2));
	fake_expect_no_tx(ifp);
	/* Down: nothing; up: every address is announced. */
	ck_assert_int_eq(if_setflags(ifp, 0), 0);
	ck_assert_int_eq(in_deladdr(ifp, tn_addr("203.0.113.5")), 0);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("203.0.113.5"), 24, 0), 0);
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(if_setflags(ifp, IFF_UP), 0);
	fake_expect_tx(ifp, garp, sizeof(garp));
	fake_expect_tx(ifp, garp2, sizeof(garp2));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("txannounces"), 4);

	/* "link MAC active": the new address is announced. */
	memset(&lla, 0, sizeof(lla));
	strcpy(lla.ifl_name, "fake0");
	lla.ifl_addrlen = 6;
	memcpy(lla.ifl_addr, mac_other, 6);
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCSIFLLADDR, &lla), 0);
	fake_expect_no_tx(ifp);
	lla.ifl_flags = RUMP_LLADDR_ACTIVE;
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCSIFLLADDR, &lla), 0);
	memcpy(exp, garp, sizeof(exp));
	memcpy(exp + 6, mac_other, 6);
	memcpy(exp + 22, mac_other, 6);
	fake_expect_tx(ifp, exp, sizeof(exp));
	fake_tx_clear(ifp);
}
END_TEST

START_TEST(test_purge)
{
	struct rump_nbrreq req;

	/* Interface down: entries go, waiting packets are dropped. */
	fake_input(ifp, req_in, sizeof(req_in));
	ck_assert_int_eq(send_to("198.51.100.3", 0x91), 0);
	fake_tx_clear(ifp);
	ck_assert_int_eq(if_setflags(ifp, 0), 0);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
	ck_assert_int_eq(nbr_get("198.51.100.3", &req), ENOENT);
	ck_assert_uint_eq(arpstat("dropped"), 1);

	/* Address (subnet) removed: its neighbours go. */
	ck_assert_int_eq(if_setflags(ifp, IFF_UP), 0);
	fake_input(ifp, req_in, sizeof(req_in));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	ck_assert_int_eq(in_deladdr(ifp, tn_addr("198.51.100.1")), 0);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);

	/* Interface route deleted by request: its neighbours go too. */
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.1"), 24, 0), 0);
	fake_input(ifp, req_in, sizeof(req_in));
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), 0);
	struct rump_rtreq rt = { .rtr_family = AF_INET, .rtr_plen = 24 };
	memcpy(rt.rtr_dst, &(uint32_t){ tn_addr("198.51.100.0") }, 4);
	ck_assert_int_eq(ifioctl(tn_ns, NULL, RUMP_SIOCDELRT, &rt), 0);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
	fake_tx_clear(ifp);
}
END_TEST

/* ---------------------------------------------------- malformed frames */

static const struct {
	const char	*name;
	size_t		 len;		/* of the frame */
	unsigned	 off;		/* byte to change, 0 = none */
	const uint8_t	 val[6];
	unsigned	 vlen;
	const char	*counter;
} bad_rows[] = {
	{ "shorter than the fixed header", 14 + 7, 0, { 0 }, 0, "badlen" },
	{ "no room for the addresses", 14 + 27, 0, { 0 }, 0, "badlen" },
	{ "hardware type IEEE 802", 42, 14, { 0x00, 0x06 }, 2, "badhrd" },
	{ "protocol IPv6", 42, 16, { 0x86, 0xdd }, 2, "badproto" },
	{ "hardware length 8", 42, 18, { 8 }, 1, "badproto" },
	{ "protocol length 16", 42, 19, { 16 }, 1, "badproto" },
	{ "operation 3 (RARP)", 42, 20, { 0x00, 0x03 }, 2, "badop" },
	{ "operation 0", 42, 20, { 0x00, 0x00 }, 2, "badop" },
	{ "sender MAC is ours", 42, 22, { US }, 6, "badaddr" },
	{ "sender MAC is broadcast", 42, 22, { BCAST }, 6, "badaddr" },
	{ "sender MAC is multicast", 42, 22, { 0x01, 0, 0x5e, 0, 0, 1 }, 6,
	  "badaddr" },
	{ "sender IP multicast", 42, 28, { 224, 0, 0, 1 }, 4, "badaddr" },
	{ "sender IP broadcast", 42, 28, { 255, 255, 255, 255 }, 4,
	  "badaddr" },
	{ "sender IP subnet broadcast", 42, 28, { 198, 51, 100, 255 }, 4,
	  "badaddr" },
};

START_TEST(test_malformed)
{
	uint8_t frame[42];
	struct rump_nbrreq req;

	memcpy(frame, req_in, sizeof(frame));
	if (bad_rows[_i].off != 0)
		memcpy(frame + bad_rows[_i].off, bad_rows[_i].val,
		    bad_rows[_i].vlen);
	fake_input(ifp, frame, bad_rows[_i].len);
	fake_expect_no_tx(ifp);
	ck_assert_msg(arpstat(bad_rows[_i].counter) == 1, "%s: %s not counted",
	    bad_rows[_i].name, bad_rows[_i].counter);
	ck_assert_uint_eq(arpstat("received"), 1);
	ck_assert_uint_eq(arpstat("txreplies"), 0);
	ck_assert_int_eq(nbr_get("198.51.100.2", &req), ENOENT);
}
END_TEST

/* ------------------------------------------------------------ conflicts */

START_TEST(test_conflict)
{
	uint8_t frame[42];

	/* Someone else says it is 198.51.100.1 (a gratuitous ARP). */
	memcpy(frame, req_in, sizeof(frame));
	memcpy(frame + 28, (uint8_t[]){ IP_US }, 4);
	fake_input(ifp, frame, sizeof(frame));
	ck_assert_uint_eq(arpstat("dupaddr"), 1);
	/* We defend once (RFC 5227 2.4 (b)) ... */
	fake_expect_tx(ifp, garp, sizeof(garp));
	fake_expect_no_tx(ifp);
	/* ... not again within DEFEND_INTERVAL (10 s) ... */
	tn_advance(NS_SEC(5));
	fake_input(ifp, frame, sizeof(frame));
	ck_assert_uint_eq(arpstat("dupaddr"), 2);
	fake_expect_no_tx(ifp);
	/* ... and again after it. */
	tn_advance(NS_SEC(6));
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_tx(ifp, garp, sizeof(garp));
	fake_expect_no_tx(ifp);
	ck_assert(in_islocal(tn_ns, tn_addr("198.51.100.1")));
}
END_TEST

/* ------------------------------------------- duplicate address detection */

#define IP_NEW	0xc6, 0x33, 0x64, 0x05		/* 198.51.100.5 */

/* Our probe for 198.51.100.5 (RFC 5227 2.1.1: sender IP 0.0.0.0). */
static const uint8_t probe_new[42] = {
	BCAST, US, ARP_ETHER_IP,
	0x00, 0x01,
	US, 0x00, 0x00, 0x00, 0x00,
	ZERO6, IP_NEW,
};

/* Our announcement of 198.51.100.5. */
static const uint8_t garp_new[42] = {
	BCAST, US, ARP_ETHER_IP,
	0x00, 0x01,
	US, IP_NEW,
	ZERO6, IP_NEW,
};

static unsigned
new_flags(void)
{
	struct in_ifaddr *ia = in_ifaddr_onif(ifp, tn_addr("198.51.100.5"));

	ck_assert_ptr_nonnull(ia);
	return ia->ia_ifa.ifa_flags;
}

START_TEST(test_dad_off_by_default)
{
	ck_assert_uint_eq(tn_sysctl("net.inet.ip.dad_count"), 0);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.5"), 24, 0), 0);
	fake_expect_tx(ifp, garp_new, sizeof(garp_new));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(new_flags(), 0);
}
END_TEST

START_TEST(test_dad_probes_then_ready)
{
	uint8_t frame[42];
	uint32_t src;

	tn_sysctl_set("net.inet.ip.dad_count", 2);
	/* The only address, so that "not a source" shows. */
	ck_assert_int_eq(in_deladdr(ifp, tn_addr("198.51.100.1")), 0);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.5"), 24, 0), 0);
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(new_flags(), IN_IFF_TENTATIVE);
	/* Tentative: not a source, and requests for it get no answer. */
	ck_assert_int_eq(in_selectsrc(tn_ns, tn_addr("198.51.100.9"), &src,
	    NULL), EADDRNOTAVAIL);
	memcpy(frame, req_in, sizeof(frame));
	memcpy(frame + 38, (uint8_t[]){ IP_NEW }, 4);
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_no_tx(ifp);

	tn_advance(NS_SEC(1));
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(new_flags(), IN_IFF_TENTATIVE);
	/* One interval after the last probe: ready, announced twice. */
	tn_advance(NS_SEC(1));
	fake_expect_tx(ifp, garp_new, sizeof(garp_new));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(new_flags(), 0);
	tn_advance(NS_SEC(2));
	fake_expect_tx(ifp, garp_new, sizeof(garp_new));
	tn_advance(NS_SEC(10));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("txprobes"), 2);
	ck_assert_uint_eq(arpstat("dadduplicated"), 0);
	/* Now it is a source, and it answers. */
	ck_assert_int_eq(in_selectsrc(tn_ns, tn_addr("198.51.100.9"), &src,
	    NULL), 0);
	ck_assert_uint_eq(src, tn_addr("198.51.100.5"));
	fake_input(ifp, frame, sizeof(frame));
	ck_assert_uint_eq(fake_tx_count(ifp), 1);
	fake_tx_clear(ifp);
}
END_TEST

/* Each way another station shows it has (or wants) the address. */
static const struct dad_conflict {
	const char	*why;
	uint16_t	 op;
	bool		 probe;		/* sender 0.0.0.0, target the address */
} dad_rows[] = {
	{ "its request", ARPOP_REQUEST, false },
	{ "its reply to our probe", ARPOP_REPLY, false },
	{ "its own probe", ARPOP_REQUEST, true },
};

START_TEST(test_dad_conflict)
{
	const struct dad_conflict *row = &dad_rows[_i];
	uint8_t frame[42];
	uint32_t src;

	tn_sysctl_set("net.inet.ip.dad_count", 3);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.5"), 24, 0), 0);
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	memcpy(frame, req_in, sizeof(frame));
	be16enc(frame + 20, row->op);
	if (row->probe) {
		memset(frame + 28, 0, 4);
		memcpy(frame + 38, (uint8_t[]){ IP_NEW }, 4);
	} else
		memcpy(frame + 28, (uint8_t[]){ IP_NEW }, 4);
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_no_tx(ifp);
	ck_assert_msg(new_flags() == IN_IFF_DUPLICATED, "%s", row->why);
	ck_assert_uint_eq(arpstat("dadduplicated"), 1);
	/* No more probes, no announcement, never a source, no defence. */
	tn_advance(NS_SEC(30));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(in_selectsrc(tn_ns, tn_addr("198.51.100.9"), &src,
	    NULL), 0);
	ck_assert_uint_eq(src, tn_addr("198.51.100.1"));
	/* The owner speaks (asking for 198.51.100.9): no defence. */
	memcpy(frame, req_in, sizeof(frame));
	memcpy(frame + 28, (uint8_t[]){ IP_NEW }, 4);
	frame[41] = 9;
	fake_input(ifp, frame, sizeof(frame));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(arpstat("txannounces"), 1);	/* setup's */
	/* Set anew: checked anew. */
	ck_assert_int_eq(in_deladdr(ifp, tn_addr("198.51.100.5")), 0);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.5"), 24, 0), 0);
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	ck_assert_uint_eq(new_flags(), IN_IFF_TENTATIVE);
}
END_TEST

/* Down: DETACHED, detection stops; up: every address checked again. */
START_TEST(test_dad_down_up)
{
	static const uint8_t probe_us[42] = {
		BCAST, US, ARP_ETHER_IP,
		0x00, 0x01,
		US, 0x00, 0x00, 0x00, 0x00,
		ZERO6, IP_US,
	};

	tn_sysctl_set("net.inet.ip.dad_count", 1);
	ck_assert_int_eq(in_addaddr(ifp, tn_addr("198.51.100.5"), 24, 0), 0);
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	ck_assert_int_eq(if_setflags(ifp, 0), 0);
	ck_assert_uint_eq(new_flags(), IN_IFF_DETACHED);
	tn_advance(NS_SEC(10));
	fake_expect_no_tx(ifp);
	ck_assert_int_eq(if_setflags(ifp, IFF_UP), 0);
	fake_expect_tx(ifp, probe_us, sizeof(probe_us));
	fake_expect_tx(ifp, probe_new, sizeof(probe_new));
	fake_expect_no_tx(ifp);
	ck_assert_uint_eq(new_flags(), IN_IFF_TENTATIVE);
	tn_advance(NS_SEC(1));
	fake_expect_tx(ifp, garp, sizeof(garp));
	fake_expect_tx(ifp, garp_new, sizeof(garp_new));
	ck_assert_uint_eq(new_flags(), 0);
	fake_tx_clear(ifp);
}
END_TEST

/* ---------------------------------------------------------------- suite */

static Suite *
arp_suite(void)
{
	Suite *s = suite_create("arp");
	TCase *tc = tcase_create("arp");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply_for_us);
	tcase_add_test(tc, test_request_for_another);
	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_resolve_flushes_in_order);
	tcase_add_test(tc, test_resolve_timeout);
	tcase_add_test(tc, test_hold_limit);
	tcase_add_test(tc, test_cache_full_and_noarp);
	tcase_add_test(tc, test_expiry);
	tcase_add_test(tc, test_refresh);
	tcase_add_test(tc, test_static_entries);
	tcase_add_test(tc, test_published);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_garp);
	tcase_add_test(tc, test_purge);
	tcase_add_loop_test(tc, test_malformed, 0, nitems(bad_rows));
	tcase_add_test(tc, test_conflict);
	tcase_add_test(tc, test_dad_off_by_default);
	tcase_add_test(tc, test_dad_probes_then_ready);
	tcase_add_loop_test(tc, test_dad_conflict, 0, nitems(dad_rows));
	tcase_add_test(tc, test_dad_down_up);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(arp_suite());
}
