/*
 * fuzz_frame.c -- libFuzzer target for frame input: whatever arrives on
 * a wire, through Ethernet, ARP, IPv4 (options, reassembly, forwarding
 * refused), ICMP, UDP, raw IP, TCP (listeners, handshakes, segments),
 * IPv6 (extension headers, reassembly), ICMPv6 and neighbour discovery.
 *
 * Each input builds one kernel on a virtual clock with one Ethernet
 * interface fz0 (02:00:00:00:00:01, 198.51.100.1/24 and 2001:db8::1/64,
 * as the golden frames of tests/unit/frames_ipv*.h expect), TCP
 * listeners and UDP sockets on port 7 of both families and raw ICMP and
 * ICMPv6 sockets, then:
 *
 *   byte 0      control: bits 0-3 advance the clock by that many times
 *               5 s at the end (timers: reassembly, TCP, neighbours);
 *               bit 4 accept pending connections, write to and close
 *               them; bit 5 advance 200 ms between frames;
 *               bit 6 drain the datagram sockets
 *   then        frames: a 2-byte big-endian length and that many bytes
 *               (cut to what is left, at most 1514), each injected as
 *               received on fz0 with the kernel lock held, as a driver
 *               does; transmitted frames are counted and freed
 *
 * and tears the kernel down.  Memory and mbufs must be back to where
 * they were (leak check), and nothing may crash or trip an assertion.
 *
 * Build and run (clang with libFuzzer, a build configured for it; see
 * tests/fuzz/fuzz.mk):
 *   make fuzz-frame && tests/fuzz/fuzz_frame tests/fuzz/corpus/frame
 * With FUZZ_FRAME_REPLAY defined it is an ordinary program that runs
 * every file of tests/fuzz/corpus/frame (or of its arguments) once.
 * With FUZZ_FRAME_VERBOSE in the environment it tells, for each input,
 * how many frames the node sent (3 are the announcements of set-up).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if.h"
#include "netstack/netinet/in.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/tcp_var.h"
#include "netstack/netinet6/in6_var.h"
#include "netstack/netinet6/ip6_var.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz_frame: %s:%d: %s\n", __FILE__,	\
		    __LINE__, #c);					\
		abort();						\
	}								\
} while (0)

#define FZ_PORT		7
#define FZ_FRAMEMAX	1514
#define FZ_NSOCKS	8

/* libnetstack is a static archive: refer to every protocol module. */
static void (*volatile fz_keep_tcp)(struct netstack *, struct mbuf *,
    unsigned) = tcp_input;
static void (*volatile fz_keep_ip6)(struct netstack *, struct mbuf *) =
    ip6_input;
static int (*volatile fz_keep_tcp6)(struct netstack *) = tcp6_init;

struct fz_state {
	struct netstack	*fz_ns;
	struct ifnet	*fz_ifp;
	struct proc	*fz_proc;
	int		 fz_fd[FZ_NSOCKS];
	unsigned	 fz_nfd;
	uint64_t	 fz_tx;		/* frames the stack transmitted */
};

/* ------------------------------------------------------- the interface */

static int
fz_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct fz_state *fz = ifp->if_softc;

	fz->fz_tx++;
	m_freem_list(m);
	return 0;
}

static int
fz_ifinit(struct ifnet *ifp)
{
	(void)ifp;
	return 0;
}

static struct fz_state *fz_creating;

static int
fz_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	static const uint8_t lla[ETHER_ADDR_LEN] = { 2, 0, 0, 0, 0, 1 };
	struct ifnet *ifp;

	(void)unit;
	if ((ifp = if_alloc(ns, "fz0")) == NULL)
		return EINVAL;
	ether_ifattach(ifp, lla);
	ifp->if_softc = fz_creating;
	ifp->if_transmit = fz_transmit;
	ifp->if_init = fz_ifinit;
	*ifpp = ifp;
	return 0;
}

static void
fz_clone_destroy(struct ifnet *ifp)
{
	ifp->if_softc = NULL;
}

static const struct if_cloner fz_cloner = {
	.ifc_name = "fz",
	.ifc_create = fz_clone_create,
	.ifc_destroy = fz_clone_destroy,
};

/* ------------------------------------------------------------- sockets */

static const uint8_t fz_a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

static void
fz_socket(struct fz_state *fz, int domain, int type, int proto)
{
	struct ksockaddr_in sin;
	struct ksockaddr_in6 sin6;
	int fd, rv;

	FUZZ_ASSERT(fz->fz_nfd < FZ_NSOCKS);
	rv = ksys_socket(fz->fz_proc, domain, type | KSOCK_NONBLOCK, proto,
	    &fd);
	FUZZ_ASSERT(rv == 0);
	fz->fz_fd[fz->fz_nfd++] = fd;
	if (type == KSOCK_RAW)
		return;
	if (domain == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(FZ_PORT);
		FUZZ_ASSERT(ksys_bind(fz->fz_proc, fd, &sin, sizeof(sin)) == 0);
	} else {
		/* The address itself: the IPv4 wildcard has the port. */
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(FZ_PORT);
		memcpy(sin6.sin6_addr.s6_addr, fz_a6, sizeof(fz_a6));
		FUZZ_ASSERT(ksys_bind(fz->fz_proc, fd, &sin6,
		    sizeof(sin6)) == 0);
	}
	if (type == KSOCK_STREAM)
		FUZZ_ASSERT(ksys_listen(fz->fz_proc, fd, 16) == 0);
}

/* Accept what completed a handshake, write to it and close it. */
static void
fz_accept_all(struct fz_state *fz)
{
	static const char msg[] = "hello from the fuzzed node\n";
	size_t done;
	int fd;

	for (unsigned i = 0; i < fz->fz_nfd; i++) {
		while (ksys_accept4(fz->fz_proc, fz->fz_fd[i], NULL, NULL, 0,
		    &fd) == 0) {
			(void)ksys_write(fz->fz_proc, fd, msg, sizeof(msg) - 1,
			    &done);
			(void)ksys_close(fz->fz_proc, fd);
		}
	}
}

static void
fz_drain_all(struct fz_state *fz)
{
	uint8_t buf[2048];
	size_t done;

	for (unsigned i = 0; i < fz->fz_nfd; i++)
		while (ksys_recvfrom(fz->fz_proc, fz->fz_fd[i], buf,
		    sizeof(buf), 0, NULL, NULL, &done) == 0)
			continue;
}

/* ------------------------------------------------------------ the node */

static void
fz_setup(struct fz_state *fz)
{
	int rv;

	memset(fz, 0, sizeof(*fz));
	FUZZ_ASSERT(netstack_create("fz", NETSTACK_VIRTUAL_CLOCK,
	    &fz->fz_ns) == 0);
	klock_enter(&fz->fz_ns->ns_klock);
	FUZZ_ASSERT(if_clone_register(fz->fz_ns, &fz_cloner) == 0);
	fz_creating = fz;
	FUZZ_ASSERT(if_clone_create(fz->fz_ns, "fz0") == 0);
	fz->fz_ifp = if_byname(fz->fz_ns, "fz0");
	FUZZ_ASSERT(fz->fz_ifp != NULL);
	FUZZ_ASSERT(if_setflags(fz->fz_ifp, fz->fz_ifp->if_flags | IFF_UP) ==
	    0);
	rv = in_addaddr(fz->fz_ifp, htonl(0xc6336401u), 24,
	    htonl(0xc63364ffu));
	FUZZ_ASSERT(rv == 0);
	rv = in6_addaddr(fz->fz_ifp, fz_a6, 64, 0, ND6_INFINITE_LIFETIME,
	    ND6_INFINITE_LIFETIME);
	FUZZ_ASSERT(rv == 0);
	klock_exit(&fz->fz_ns->ns_klock);
	/* Duplicate address detection ends; announcements go out. */
	netstack_clock_advance(fz->fz_ns, NS_SEC(10));

	FUZZ_ASSERT(proc_create(fz->fz_ns, &fz->fz_proc) == 0);
	fz_socket(fz, AF_INET, KSOCK_STREAM, 0);
	fz_socket(fz, AF_INET6, KSOCK_STREAM, 0);
	fz_socket(fz, AF_INET, KSOCK_DGRAM, 0);
	fz_socket(fz, AF_INET6, KSOCK_DGRAM, 0);
	fz_socket(fz, AF_INET, KSOCK_RAW, 1);		/* ICMP */
	fz_socket(fz, AF_INET6, KSOCK_RAW, 58);		/* ICMPv6 */
}

static void
fz_teardown(struct fz_state *fz)
{
	proc_destroy(fz->fz_proc);
	netstack_destroy(fz->fz_ns);
}

static void
fz_inject(struct fz_state *fz, const uint8_t *frame, size_t len)
{
	struct mbuf *m;

	m = m_devget(frame, len);
	if (m == NULL)
		return;
	m->m_pkthdr.rcvif = fz->fz_ifp;
	klock_enter(&fz->fz_ns->ns_klock);
	(*fz->fz_ifp->if_input)(fz->fz_ifp, m);
	klock_exit(&fz->fz_ns->ns_klock);
	/* What is due now: loopback and broadcast deliveries. */
	netstack_clock_advance(fz->fz_ns, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	struct fz_state fz;
	uint64_t kmem0, mbufs0;
	uint8_t ctl;
	size_t off, len;

	(void)fz_keep_tcp;
	(void)fz_keep_ip6;
	(void)fz_keep_tcp6;
	if (!inited) {
		FUZZ_ASSERT(rumpuser_init(RUMPUSER_VERSION) == 0);
		inited = true;
	}
	if (size == 0)
		return 0;
	kmem0 = kmem_inuse();
	mbufs0 = m_inuse();
	fz_setup(&fz);

	ctl = data[0];
	for (off = 1; off + 2 <= size; off += len) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		if (len > FZ_FRAMEMAX)
			len = FZ_FRAMEMAX;
		if (len > 0)
			fz_inject(&fz, data + off, len);
		if (ctl & 0x20)
			netstack_clock_advance(fz.fz_ns, NS_MS(200));
	}
	if (ctl & 0x10)
		fz_accept_all(&fz);
	if (ctl & 0x40)
		fz_drain_all(&fz);
	if (ctl & 0x0f)
		netstack_clock_advance(fz.fz_ns, NS_SEC(5) * (ctl & 0x0f));

	if (getenv("FUZZ_FRAME_VERBOSE") != NULL)
		fprintf(stderr, "fuzz_frame: %zu bytes, %llu frames sent\n",
		    size, (unsigned long long)fz.fz_tx);
	fz_teardown(&fz);
	FUZZ_ASSERT(m_inuse() == mbufs0);
	FUZZ_ASSERT(kmem_inuse() == kmem0);
	return 0;
}

#ifdef FUZZ_FRAME_REPLAY
#include "tests/fuzz/replay.h"

int
main(int argc, char **argv)
{
	return fuzz_replay_main(argc, argv, "frame");
}
#endif /* FUZZ_FRAME_REPLAY */
