/*
 * test_shmif_if.c -- the shmif interface through the configuration ABI,
 * as rump.ifconfig drives it: create, linkstr errors (ENXIO, ENOEXEC,
 * E2BIG, EBUSY, ENOENT), then two kernels in one process on one real bus
 * file exchanging UDP, with the driver's counters.
 */
#include <check.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "rumpnet/rump_net.h"
#include "shmif/if_shmif.h"
#include "tests/unit/unit.h"

/* Referenced so that the static archives link the driver in. */
extern const struct netstack_module shmif_module;
static const struct netstack_module *volatile shmif_pull = &shmif_module;

static char dir[64], bus[128];
static uint64_t kmem0, mbuf0;

struct node {
	struct netstack	*n_ns;
	struct proc	*n_p;
	int		 n_fd;	/* a UDP socket for requests */
};

static void
setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	ck_assert_ptr_nonnull(shmif_pull);
	snprintf(dir, sizeof(dir), "/tmp/rumpnet-shmif-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(bus, sizeof(bus), "%s/bus", dir);
	kmem0 = kmem_inuse();
	mbuf0 = m_inuse();
}

static void
teardown(void)
{
	char cmd[200];

	ck_assert_uint_eq(m_inuse(), mbuf0);
	ck_assert_uint_eq(kmem_inuse(), kmem0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
node_boot(struct node *n, const char *name)
{
	ck_assert_int_eq(netstack_create(name, NETSTACK_REAL_CLOCK, &n->n_ns),
	    0);
	ck_assert_int_eq(proc_create(n->n_ns, &n->n_p), 0);
	ck_assert_int_eq(ksys_socket(n->n_p, AF_INET, KSOCK_DGRAM, 0,
	    &n->n_fd), 0);
}

static void
node_halt(struct node *n)
{
	proc_destroy(n->n_p);
	netstack_destroy(n->n_ns);
}

static int
ioc(struct node *n, unsigned long cmd, void *data)
{
	return ksys_ioctl(n->n_p, n->n_fd, cmd, data);
}

static int
linkstr(struct node *n, const char *ifname, const char *path, uint32_t cmd)
{
	struct rump_linkstr ls;

	memset(&ls, 0, sizeof(ls));
	snprintf(ls.ls_name, sizeof(ls.ls_name), "%s", ifname);
	ls.ls_cmd = cmd;
	if (path != NULL) {
		snprintf(ls.ls_path, sizeof(ls.ls_path), "%s", path);
		ls.ls_len = (uint32_t)strlen(path) + 1;
	}
	return ioc(n, RUMP_SIOCSLINKSTR, &ls);
}

static int
setflags(struct node *n, const char *ifname, uint32_t flags)
{
	struct rump_ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_value = flags;
	return ioc(n, RUMP_SIOCSIFFLAGS, &ifr);
}

static int
addaddr(struct node *n, const char *ifname, uint8_t host)
{
	struct rump_ifaddrreq ifra;

	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ifname);
	ifra.ifra_family = AF_INET;
	ifra.ifra_plen = 24;
	memcpy(ifra.ifra_addr, (uint8_t[]){ 198, 51, 100, host }, 4);
	return ioc(n, RUMP_SIOCAIFADDR, &ifra);
}

static int
ifcreate(struct node *n, const char *ifname)
{
	struct rump_ifname ifn;

	memset(&ifn, 0, sizeof(ifn));
	snprintf(ifn.ifn_name, sizeof(ifn.ifn_name), "%s", ifname);
	return ioc(n, RUMP_SIOCIFCREATE, &ifn);
}

START_TEST(test_linkstr_errors)
{
	struct node a;
	struct rump_linkstr ls;
	char notbus[160], longpath[1100];
	int fd;

	node_boot(&a, "a");
	ck_assert_int_eq(ifcreate(&a, "shmif0"), 0);
	ck_assert_int_eq(ifcreate(&a, "shmif0"), EEXIST);
	/* Up without a bus. */
	ck_assert_int_eq(setflags(&a, "shmif0", RUMP_IFF_UP), ENXIO);
	/* A file that is not a bus. */
	snprintf(notbus, sizeof(notbus), "%s/notbus", dir);
	fd = open(notbus, O_CREAT | O_WRONLY, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "not a bus file", 14), 14);
	close(fd);
	ck_assert_int_eq(linkstr(&a, "shmif0", notbus, 0), ENOEXEC);
	/* ... and left as it was, not sized to a bus. */
	{
		struct stat sb;
		ck_assert_int_eq(stat(notbus, &sb), 0);
		ck_assert_int_eq(sb.st_size, 14);
	}
	/* A path longer than MAXPATHLEN. */
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_eq(linkstr(&a, "shmif0", longpath, 0), E2BIG);
	/* No bus yet: query and unset fail. */
	memset(&ls, 0, sizeof(ls));
	snprintf(ls.ls_name, sizeof(ls.ls_name), "shmif0");
	ck_assert_int_eq(ioc(&a, RUMP_SIOCGLINKSTR, &ls), ENOENT);
	ck_assert_int_eq(linkstr(&a, "shmif0", NULL, RUMP_LINKSTR_UNSET),
	    ENOENT);
	/* Attach, then everything that must wait for a detach or down. */
	ck_assert_int_eq(linkstr(&a, "shmif0", bus, 0), 0);
	ck_assert_int_eq(linkstr(&a, "shmif0", bus, 0), EBUSY);
	ck_assert_int_eq(ioc(&a, RUMP_SIOCGLINKSTR, &ls), 0);
	ck_assert_str_eq(ls.ls_path, bus);
	ck_assert_int_eq(setflags(&a, "shmif0", RUMP_IFF_UP), 0);
	ck_assert_int_eq(linkstr(&a, "shmif0", NULL, RUMP_LINKSTR_UNSET),
	    EBUSY);
	ck_assert_int_eq(setflags(&a, "shmif0", 0), 0);
	ck_assert_int_eq(linkstr(&a, "shmif0", NULL, RUMP_LINKSTR_UNSET), 0);
	ck_assert_int_eq(ioc(&a, RUMP_SIOCGLINKSTR, &ls), ENOENT);
	ck_assert_int_eq(ioc(&a, RUMP_SIOCIFDESTROY, &ls.ls_name), 0);
	node_halt(&a);
}
END_TEST

/* Two kernels, one bus file: UDP from a to b, counters on both sides. */
START_TEST(test_two_kernels_one_bus)
{
	struct node a, b;
	struct ksockaddr_in sin = { .sin_family = AF_INET };
	struct kpollfd pfd;
	char buf[64];
	size_t done, len;
	uint64_t tx = 0, rx = 0;
	int fa, fb, nready;

	node_boot(&a, "a");
	node_boot(&b, "b");
	ck_assert_int_eq(ifcreate(&a, "shmif0"), 0);
	ck_assert_int_eq(ifcreate(&b, "shmif0"), 0);
	ck_assert_int_eq(linkstr(&a, "shmif0", bus, 0), 0);
	ck_assert_int_eq(linkstr(&b, "shmif0", bus, 0), 0);
	ck_assert_int_eq(addaddr(&a, "shmif0", 1), 0);	/* brings it up */
	ck_assert_int_eq(addaddr(&b, "shmif0", 2), 0);

	ck_assert_int_eq(ksys_socket(b.n_p, AF_INET, KSOCK_DGRAM, 0, &fb), 0);
	sin.sin_port = htons(9999);
	ck_assert_int_eq(ksys_bind(b.n_p, fb, &sin, sizeof(sin)), 0);
	ck_assert_int_eq(ksys_socket(a.n_p, AF_INET, KSOCK_DGRAM, 0, &fa), 0);
	sin.sin_addr = htonl(0xc6336402);	/* 198.51.100.2 */
	ck_assert_int_eq(ksys_sendto(a.n_p, fa, "over the bus", 12, 0, &sin,
	    sizeof(sin), &done), 0);
	ck_assert_uint_eq(done, 12);

	pfd.fd = fb;
	pfd.events = KPOLLIN;
	pfd.revents = 0;
	ck_assert_int_eq(ksys_poll(b.n_p, &pfd, 1, 5000, &nready), 0);
	ck_assert_int_eq(nready, 1);
	ck_assert_int_eq(ksys_recvfrom(b.n_p, fb, buf, sizeof(buf), 0, NULL,
	    NULL, &done), 0);
	ck_assert_uint_eq(done, 12);
	ck_assert_mem_eq(buf, "over the bus", 12);

	klock_enter(&a.n_ns->ns_klock);
	len = sizeof(tx);
	ck_assert_int_eq(sysctl_byname(a.n_ns,
	    "net.interfaces.shmif0.shmif.txframes", &tx, &len, NULL, 0), 0);
	klock_exit(&a.n_ns->ns_klock);
	klock_enter(&b.n_ns->ns_klock);
	len = sizeof(rx);
	ck_assert_int_eq(sysctl_byname(b.n_ns,
	    "net.interfaces.shmif0.shmif.rxframes", &rx, &len, NULL, 0), 0);
	klock_exit(&b.n_ns->ns_klock);
	/* ARP request + UDP at least; b read a's frames and its own. */
	ck_assert_uint_ge(tx, 2);
	ck_assert_uint_ge(rx, 2);

	node_halt(&a);
	node_halt(&b);
}
END_TEST

static uint64_t
counter(struct node *n, const char *name)
{
	uint64_t v = 0;
	size_t len = sizeof(v);

	klock_enter(&n->n_ns->ns_klock);
	ck_assert_int_eq(sysctl_byname(n->n_ns, name, &v, &len, NULL, 0), 0);
	klock_exit(&n->n_ns->ns_klock);
	return v;
}

/*
 * Frames sent during one hold of the kernel lock wake the bus's readers
 * once, when the lock is given up; every frame is on the bus at once.
 */
START_TEST(test_wakeup_per_lock_hold)
{
	struct node a;
	struct ksockaddr_in sin = { .sin_family = AF_INET };
	size_t done;
	uint64_t w0, t0;
	int fd, on = 1, i;

	node_boot(&a, "a");
	ck_assert_int_eq(ifcreate(&a, "shmif0"), 0);
	ck_assert_int_eq(linkstr(&a, "shmif0", bus, 0), 0);
	ck_assert_int_eq(addaddr(&a, "shmif0", 1), 0);
	ck_assert_int_eq(ksys_socket(a.n_p, AF_INET, KSOCK_DGRAM, 0, &fd), 0);
	ck_assert_int_eq(ksys_setsockopt(a.n_p, fd, KSOL_SOCKET,
	    KSO_BROADCAST, &on, sizeof(on)), 0);
	sin.sin_port = htons(9);
	sin.sin_addr = htonl(0xc63364ff);	/* 198.51.100.255 */

	klock_enter(&a.n_ns->ns_klock);
	w0 = counter(&a, "net.interfaces.shmif0.shmif.wakeups");
	t0 = counter(&a, "net.interfaces.shmif0.shmif.txframes");
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(ksys_sendto(a.n_p, fd, "x", 1, 0, &sin,
		    sizeof(sin), &done), 0);
	ck_assert_uint_eq(counter(&a, "net.interfaces.shmif0.shmif.txframes"),
	    t0 + 10);
	ck_assert_uint_eq(counter(&a, "net.interfaces.shmif0.shmif.wakeups"),
	    w0);
	klock_exit(&a.n_ns->ns_klock);
	ck_assert_uint_eq(counter(&a, "net.interfaces.shmif0.shmif.wakeups"),
	    w0 + 1);
	/* Outside a hold (each call its own entry): one wakeup per send. */
	ck_assert_int_eq(ksys_sendto(a.n_p, fd, "x", 1, 0, &sin, sizeof(sin),
	    &done), 0);
	ck_assert_uint_eq(counter(&a, "net.interfaces.shmif0.shmif.wakeups"),
	    w0 + 2);
	node_halt(&a);
}
END_TEST

static Suite *
shmif_if_suite(void)
{
	Suite *s = suite_create("shmif_if");
	TCase *tc = tcase_create("shmif");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_linkstr_errors);
	tcase_add_test(tc, test_two_kernels_one_bus);
	tcase_add_test(tc, test_wakeup_per_lock_hold);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(shmif_if_suite());
}
