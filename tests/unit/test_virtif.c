/*
 * test_virtif.c -- the virt driver through the configuration ABI, with
 * a fake host half: this file defines the rumpuser_tap_* hypercalls
 * itself (so the static archive's real ones are not linked in), and a
 * "tap" is one end of an AF_UNIX SOCK_SEQPACKET pair, which keeps frame
 * boundaries as a tap does.  The test holds the other end: what it
 * writes there the driver reads from its "tap", and the reverse.
 *
 * Covered: linkstr parsing and errors (bad names, host errors passed
 * through), the default tap rumptapN, RUMP_VIRTIF_CAPENABLE parsing,
 * counted drops of short, oversized and foreign frames, an ARP exchange,
 * a UDP datagram finished in software with offloads on, and
 * rump_pub_virtif_create().
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "rumpnet/rump.h"
#include "rumpnet/rump_net.h"
#include "rumpnet/rump_virtif.h"
#include "rumpuser/rumpuser_tap.h"
#include "virtif/if_virt.h"
#include "tests/unit/unit.h"

/* Referenced so that the static archives link the driver in. */
extern const struct netstack_module virtif_module;
static const struct netstack_module *volatile virtif_pull = &virtif_module;

/* ------------------------------------------------- the fake host half */

struct rumpuser_tap {
	int	ft_fd;		/* the driver's end, non-blocking */
	int	ft_kick[2];	/* pipe: rumpuser_tap_kick -> wait */
};

static int fake_peer = -1;	/* the test's end of the last tap opened */
static char fake_name[32];	/* the name it was opened with */
static int fake_opens, fake_closes;

int
rumpuser_tap_open(const char *name, struct rumpuser_tap **tapp)
{
	struct rumpuser_tap *tap;
	int sv[2];

	/* Host errors the driver must pass through unchanged. */
	if (strcmp(name, "nodev") == 0)
		return ENOENT;
	if (strcmp(name, "denied") == 0)
		return EPERM;
	if (fake_peer != -1)
		return EBUSY;		/* one fake tap at a time */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	tap = malloc(sizeof(*tap));
	ck_assert_ptr_nonnull(tap);
	tap->ft_fd = sv[0];
	ck_assert_int_eq(pipe(tap->ft_kick), 0);
	ck_assert_int_eq(fcntl(tap->ft_kick[0], F_SETFL, O_NONBLOCK), 0);
	fake_peer = sv[1];
	snprintf(fake_name, sizeof(fake_name), "%s", name);
	fake_opens++;
	*tapp = tap;
	return 0;
}

int
rumpuser_tap_read(struct rumpuser_tap *tap, void *buf, size_t len,
    size_t *lenp)
{
	ssize_t n = recv(tap->ft_fd, buf, len, MSG_TRUNC);

	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*lenp = (size_t)n;
	return 0;
}

int
rumpuser_tap_write(struct rumpuser_tap *tap, const void *buf, size_t len)
{
	return send(tap->ft_fd, buf, len, MSG_DONTWAIT) == (ssize_t)len ?
	    0 : errno;
}

int
rumpuser_tap_wait(struct rumpuser_tap *tap, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = tap->ft_fd, .events = POLLIN },
		{ .fd = tap->ft_kick[0], .events = POLLIN },
	};
	char c;

	if (poll(pfd, 2, timeout_ms) == 0)
		return ETIMEDOUT;
	while (read(tap->ft_kick[0], &c, 1) == 1)
		continue;
	return 0;
}

void
rumpuser_tap_kick(struct rumpuser_tap *tap)
{
	ck_assert_int_eq(write(tap->ft_kick[1], "k", 1), 1);
}

void
rumpuser_tap_close(struct rumpuser_tap *tap)
{
	close(tap->ft_kick[0]);
	close(tap->ft_kick[1]);
	close(tap->ft_fd);
	free(tap);
	close(fake_peer);
	fake_peer = -1;
	fake_closes++;
}

/* Read one frame the driver wrote, waiting up to 5 s.  => its length */
static size_t
peer_recv(uint8_t *buf, size_t len)
{
	struct pollfd pfd = { .fd = fake_peer, .events = POLLIN };
	ssize_t n;

	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	n = recv(fake_peer, buf, len, 0);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

/* Read frames until one of the given EtherType arrives. */
static size_t
peer_recv_type(uint8_t *buf, size_t len, uint16_t type)
{
	for (int i = 0; i < 20; i++) {
		size_t n = peer_recv(buf, len);

		if (n >= 14 && buf[12] == (type >> 8) && buf[13] == (type & 0xff))
			return n;
	}
	ck_abort_msg("no frame of type 0x%04x", type);
	return 0;
}

static void
peer_send(const void *buf, size_t len)
{
	ck_assert_int_eq(send(fake_peer, buf, len, 0), (ssize_t)len);
}

/* ------------------------------------------------------------ fixture */

static uint64_t kmem0, mbuf0;
static struct netstack *ns;
static struct proc *p;
static int sfd;

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	ck_assert_ptr_nonnull(virtif_pull);
	unsetenv("RUMP_VIRTIF_CAPENABLE");
	fake_opens = fake_closes = 0;
	kmem0 = kmem_inuse();
	mbuf0 = m_inuse();
	ck_assert_int_eq(netstack_create("v", NETSTACK_REAL_CLOCK, &ns), 0);
	ck_assert_int_eq(proc_create(ns, &p), 0);
	ck_assert_int_eq(ksys_socket(p, AF_INET, KSOCK_DGRAM, 0, &sfd), 0);
}

static void
teardown(void)
{
	proc_destroy(p);
	netstack_destroy(ns);
	/* Every tap opened was closed. */
	ck_assert_int_eq(fake_closes, fake_opens);
	ck_assert_int_eq(fake_peer, -1);
	ck_assert_uint_eq(m_inuse(), mbuf0);
	ck_assert_uint_eq(kmem_inuse(), kmem0);
	unsetenv("RUMP_VIRTIF_CAPENABLE");
}

static int
ioc(unsigned long cmd, void *data)
{
	return ksys_ioctl(p, sfd, cmd, data);
}

static int
ifcreate(const char *ifname)
{
	struct rump_ifname ifn;

	memset(&ifn, 0, sizeof(ifn));
	snprintf(ifn.ifn_name, sizeof(ifn.ifn_name), "%s", ifname);
	return ioc(RUMP_SIOCIFCREATE, &ifn);
}

static int
ifdestroy(const char *ifname)
{
	struct rump_ifname ifn;

	memset(&ifn, 0, sizeof(ifn));
	snprintf(ifn.ifn_name, sizeof(ifn.ifn_name), "%s", ifname);
	return ioc(RUMP_SIOCIFDESTROY, &ifn);
}

static int
linkstr(const char *name, uint32_t cmd)
{
	struct rump_linkstr ls;

	memset(&ls, 0, sizeof(ls));
	snprintf(ls.ls_name, sizeof(ls.ls_name), "virt0");
	ls.ls_cmd = cmd;
	if (name != NULL) {
		snprintf(ls.ls_path, sizeof(ls.ls_path), "%s", name);
		ls.ls_len = (uint32_t)strlen(name) + 1;
	}
	return ioc(RUMP_SIOCSLINKSTR, &ls);
}

/* The linkstr of virt0 into buf, => 0 or errno */
static int
linkstr_get(char *buf, size_t len)
{
	struct rump_linkstr ls;
	int rv;

	memset(&ls, 0, sizeof(ls));
	snprintf(ls.ls_name, sizeof(ls.ls_name), "virt0");
	if ((rv = ioc(RUMP_SIOCGLINKSTR, &ls)) == 0) {
		size_t l = strnlen(ls.ls_path, len - 1);

		memcpy(buf, ls.ls_path, l);
		buf[l] = '\0';
	}
	return rv;
}

static int
setflags(const char *ifname, uint32_t flags)
{
	struct rump_ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_value = flags;
	return ioc(RUMP_SIOCSIFFLAGS, &ifr);
}

static int
addaddr(uint8_t host)
{
	struct rump_ifaddrreq ifra;

	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "virt0");
	ifra.ifra_family = AF_INET;
	ifra.ifra_plen = 24;
	memcpy(ifra.ifra_addr, (uint8_t[]){ 198, 51, 100, host }, 4);
	return ioc(RUMP_SIOCAIFADDR, &ifra);
}

static uint64_t
stat_of(const char *name)
{
	char full[128];
	uint64_t v = 0;
	size_t len = sizeof(v);

	snprintf(full, sizeof(full), "net.interfaces.virt0.%s", name);
	klock_enter(&ns->ns_klock);
	ck_assert_int_eq(sysctl_byname(ns, full, &v, &len, NULL, 0), 0);
	klock_exit(&ns->ns_klock);
	return v;
}

/* Wait (up to 5 s) until counter name reaches want. */
static void
wait_stat(const char *name, uint64_t want)
{
	for (int i = 0; i < 500 && stat_of(name) < want; i++)
		usleep(10000);
	ck_assert_uint_eq(stat_of(name), want);
}

/* --------------------------------------------------------------- tests */

START_TEST(test_tapname_check)
{
	ck_assert_int_eq(virtif_tapname_check("tap0"), 0);
	ck_assert_int_eq(virtif_tapname_check("a"), 0);
	ck_assert_int_eq(virtif_tapname_check("abcdefghijklmno"), 0); /* 15 */
	ck_assert_int_eq(virtif_tapname_check("abcdefghijklmnop"),
	    ENAMETOOLONG);
	ck_assert_int_eq(virtif_tapname_check(""), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("."), EINVAL);
	ck_assert_int_eq(virtif_tapname_check(".."), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("a/b"), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("a:1"), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("tap%d"), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("a b"), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("a\tb"), EINVAL);
	ck_assert_int_eq(virtif_tapname_check("a\177"), EINVAL);
}
END_TEST

START_TEST(test_linkstr)
{
	struct rump_linkstr ls;
	char name[32];

	ck_assert_int_eq(ifcreate("virt0"), 0);
	ck_assert_int_eq(ifcreate("virt0"), EEXIST);
	/* Bad names never reach the host. */
	ck_assert_int_eq(linkstr("bad/name", 0), EINVAL);
	ck_assert_int_eq(linkstr("abcdefghijklmnop", 0), ENAMETOOLONG);
	ck_assert_int_eq(linkstr("", 0), EINVAL);
	ck_assert_int_eq(fake_opens, 0);
	/* ls_len must match the string. */
	memset(&ls, 0, sizeof(ls));
	snprintf(ls.ls_name, sizeof(ls.ls_name), "virt0");
	snprintf(ls.ls_path, sizeof(ls.ls_path), "tap0");
	ls.ls_len = 9;
	ck_assert_int_eq(ioc(RUMP_SIOCSLINKSTR, &ls), EINVAL);
	ls.ls_cmd = 7;
	ck_assert_int_eq(ioc(RUMP_SIOCSLINKSTR, &ls), EINVAL);
	/* Host errors come back unchanged. */
	ck_assert_int_eq(linkstr("nodev", 0), ENOENT);
	ck_assert_int_eq(linkstr("denied", 0), EPERM);
	/* Nothing attached yet. */
	ck_assert_int_eq(linkstr_get(name, sizeof(name)), ENOENT);
	ck_assert_int_eq(linkstr(NULL, RUMP_LINKSTR_UNSET), ENOENT);
	/* Attach; a second attach and detaching while up wait. */
	ck_assert_int_eq(linkstr("rntap0", 0), 0);
	ck_assert_str_eq(fake_name, "rntap0");
	ck_assert_int_eq(linkstr("rntap1", 0), EBUSY);
	ck_assert_int_eq(linkstr_get(name, sizeof(name)), 0);
	ck_assert_str_eq(name, "rntap0");
	ck_assert_int_eq(setflags("virt0", RUMP_IFF_UP), 0);
	ck_assert_int_eq(linkstr(NULL, RUMP_LINKSTR_UNSET), EBUSY);
	ck_assert_int_eq(setflags("virt0", 0), 0);
	ck_assert_int_eq(linkstr(NULL, RUMP_LINKSTR_UNSET), 0);
	ck_assert_int_eq(fake_closes, 1);
	/* Up without a linkstr: the unit's default tap. */
	ck_assert_int_eq(setflags("virt0", RUMP_IFF_UP), 0);
	ck_assert_str_eq(fake_name, "rumptap0");
	ck_assert_int_eq(linkstr_get(name, sizeof(name)), 0);
	ck_assert_str_eq(name, "rumptap0");
	ck_assert_int_eq(ifdestroy("virt0"), 0);
	ck_assert_int_eq(fake_closes, 2);
	/* A host error on the way up fails the request. */
	ck_assert_int_eq(ifcreate("virt3"), 0);
	fake_peer = 99;		/* the fake says EBUSY while "in use" */
	ck_assert_int_eq(setflags("virt3", RUMP_IFF_UP), EBUSY);
	fake_peer = -1;
	ck_assert_int_eq(ifdestroy("virt3"), 0);
}
END_TEST

START_TEST(test_capenable)
{
	struct rump_ifinfo ifi;

	setenv("RUMP_VIRTIF_CAPENABLE", "junk", 1);
	ck_assert_int_eq(ifcreate("virt0"), EINVAL);
	setenv("RUMP_VIRTIF_CAPENABLE", "0x80000", 1);	/* LRO: not offered */
	ck_assert_int_eq(ifcreate("virt0"), EINVAL);
	setenv("RUMP_VIRTIF_CAPENABLE", "0x7ff80", 1);
	ck_assert_int_eq(ifcreate("virt0"), 0);
	memset(&ifi, 0, sizeof(ifi));
	snprintf(ifi.ifi_name, sizeof(ifi.ifi_name), "virt0");
	ifi.ifi_query = RUMP_IFQ_NAME;
	ck_assert_int_eq(ioc(RUMP_SIOCGIFINFO, &ifi), 0);
	ck_assert_uint_eq(ifi.ifi_capenable, 0x7ff80);
	ck_assert_uint_eq(ifi.ifi_capabilities, 0x7ff80);
	ck_assert_uint_eq(ifi.ifi_haslinkstr, 1);
}
END_TEST

static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

/* An ARP request from the peer (198.51.100.1) for 198.51.100.2. */
static void
arp_request(uint8_t *f)
{
	static const uint8_t hdr[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0, 0, 0, 0, 0x01,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, /* request */
		0x02, 0, 0, 0, 0, 0x01, 198, 51, 100, 1,
		0, 0, 0, 0, 0, 0, 198, 51, 100, 2,
	};

	memcpy(f, hdr, sizeof(hdr));
}

START_TEST(test_rx_drops)
{
	static uint8_t big[70000], f[2048];
	size_t n;

	ck_assert_int_eq(ifcreate("virt0"), 0);
	ck_assert_int_eq(linkstr("rntap0", 0), 0);
	ck_assert_int_eq(addaddr(2), 0);	/* brings it up */
	/* Drain what the stack says on its own (gratuitous ARP). */
	while (recv(fake_peer, f, sizeof(f), MSG_DONTWAIT) > 0)
		continue;

	peer_send("0123456789", 10);		/* shorter than a header */
	memset(big, 0xee, sizeof(big));
	peer_send(big, 1515);			/* one byte too long */
	peer_send(big, sizeof(big));		/* longer than any tap MTU */
	arp_request(f);
	f[0] = 0x02;				/* for some other host */
	memset(f + 1, 0x99, 5);
	peer_send(f, 42);
	wait_stat("virt.rxframes", 4);
	ck_assert_uint_eq(stat_of("virt.rxshort"), 1);
	ck_assert_uint_eq(stat_of("virt.rxlong"), 2);
	ck_assert_uint_eq(stat_of("virt.rxfiltered"), 1);

	/* The interface still works: the ARP request is answered. */
	arp_request(f);
	peer_send(f, 42);
	n = peer_recv_type(f, sizeof(f), 0x0806);
	ck_assert_uint_ge(n, 42);
	ck_assert_mem_eq(f, peer_mac, 6);		/* to the asker */
	ck_assert_int_eq(f[21], 2);			/* a reply */
	ck_assert_mem_eq(f + 28, ((uint8_t[]){ 198, 51, 100, 2 }), 4);
	ck_assert_uint_eq(stat_of("virt.rxframes"), 5);
	ck_assert_uint_ge(stat_of("virt.txframes"), 1);
	ck_assert_uint_eq(stat_of("virt.txbad"), 0);
	ck_assert_int_eq(ifdestroy("virt0"), 0);
}
END_TEST

/* One's complement sum of 16-bit words (RFC 1071). */
static uint32_t
sum16(const uint8_t *b, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * With every offload on, the stack leaves the IPv4 and UDP checksums to
 * the driver; the frame on the "tap" must carry both, finished.
 */
START_TEST(test_tx_offload)
{
	struct ksockaddr_in sin = { .sin_family = AF_INET };
	uint8_t f[2048], reply[42];
	size_t n, done, udplen;
	uint32_t psum;
	int fd;

	setenv("RUMP_VIRTIF_CAPENABLE", "0x7ff80", 1);
	ck_assert_int_eq(ifcreate("virt0"), 0);
	ck_assert_int_eq(linkstr("rntap0", 0), 0);
	ck_assert_int_eq(addaddr(2), 0);
	while (recv(fake_peer, f, sizeof(f), MSG_DONTWAIT) > 0)
		continue;

	ck_assert_int_eq(ksys_socket(p, AF_INET, KSOCK_DGRAM, 0, &fd), 0);
	sin.sin_port = htons(9);
	sin.sin_addr = htonl(0xc6336401);	/* 198.51.100.1 */
	ck_assert_int_eq(ksys_sendto(p, fd, "finished in software", 20, 0,
	    &sin, sizeof(sin), &done), 0);
	/* Answer the ARP request, then the datagram follows. */
	n = peer_recv_type(f, sizeof(f), 0x0806);
	ck_assert_uint_ge(n, 42);
	memcpy(reply, f + 6, 6);			/* to the asker */
	memcpy(reply + 6, peer_mac, 6);
	memcpy(reply + 12, ((uint8_t[]){ 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 2 }),
	    10);
	memcpy(reply + 22, peer_mac, 6);
	memcpy(reply + 28, ((uint8_t[]){ 198, 51, 100, 1 }), 4);
	memcpy(reply + 32, f + 22, 10);			/* sender -> target */
	peer_send(reply, sizeof(reply));
	n = peer_recv_type(f, sizeof(f), 0x0800);
	ck_assert_uint_eq(n, 14 + 20 + 8 + 20);
	/* IPv4 header checksum: the header sums to 0xffff. */
	ck_assert_uint_eq(fold(sum16(f + 14, 20, 0)), 0xffff);
	/* UDP: pseudo-header + datagram sum to 0xffff, checksum not 0. */
	udplen = n - 34;
	psum = sum16(f + 26, 8, 0) + 17 + (uint32_t)udplen;
	ck_assert_uint_eq(fold(sum16(f + 34, udplen, psum)), 0xffff);
	ck_assert(f[40] != 0 || f[41] != 0);
	ck_assert_mem_eq(f + 42, "finished in software", 20);
	ck_assert_uint_ge(stat_of("offload.tx_udpv4"), 1);
	ck_assert_uint_ge(stat_of("offload.tx_ipv4"), 1);
	ck_assert_int_eq(ifdestroy("virt0"), 0);
}
END_TEST

/*
 * rump_pub_virtif_create() on the process's kernel (rump_init()):
 * lowest free unit, the tap attached at once, errors passed back.
 */
START_TEST(test_pub_create)
{
	int unit = -1;

	ck_assert_int_eq(rump_pub_virtif_create("rntap5", &unit), 0);
	ck_assert_int_eq(unit, 0);
	ck_assert_str_eq(fake_name, "rntap5");
	ck_assert_int_eq(fake_opens, 1);
	ck_assert_int_eq(rump_pub_virtif_create("bad/name", &unit), EINVAL);
	ck_assert_int_eq(rump_pub_virtif_create("nodev", &unit), ENOENT);
	unit = -1;
	ck_assert_int_eq(rump_pub_virtif_create(NULL, &unit), 0);
	ck_assert_int_eq(unit, 1);
	ck_assert_int_eq(fake_opens, 1);	/* nothing attached yet */
	rump_fini();
	ck_assert_int_eq(fake_closes, 1);
}
END_TEST

static Suite *
virtif_suite(void)
{
	Suite *s = suite_create("virtif");
	TCase *tc = tcase_create("virtif");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_tapname_check);
	tcase_add_test(tc, test_linkstr);
	tcase_add_test(tc, test_capenable);
	tcase_add_test(tc, test_rx_drops);
	tcase_add_test(tc, test_tx_offload);
	tcase_add_test(tc, test_pub_create);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(virtif_suite());
}
