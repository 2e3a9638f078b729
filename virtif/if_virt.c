/*
 * if_virt.c -- the virt Ethernet interface: its wire is a host tap
 * device, so frames move between this stack and the host's kernel.
 *
 * virtN attaches to the host tap named by its linkstr (created by the
 * host layer if missing, and gone again when detached unless it existed
 * before), or, brought up without one, to rumptapN.
 *
 * Transmit: if_transmit finishes every frame in software
 * (ether_sw_offload_tx: checksums, TSO cut into MSS-sized frames) and
 * writes each one to the tap; the host sees only finished frames of
 * at most 1514 bytes, as on a shmif bus.
 * Receive: one thread per running interface reads frames from the tap
 * outside the kernel lock, up to VIRTIF_RXBATCH per kernel entry; a
 * frame shorter than an Ethernet header or longer than 1514 bytes is a
 * counted drop.  Accepted frames are filtered as shmif filters them
 * (our MAC, group bit, promiscuous mode), given receive checksum
 * verdicts (ether_sw_offload_rx) and passed to ether_input.  When the
 * tap is empty the thread waits on it; stopping kicks that wait.
 *
 * The host is reached only through rumpuser_tap.h, so this file stays
 * host-independent (tests/check-netstack-symbols.sh).
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if.h"
#include "netstack/net/if_var.h"
#include "netstack/net/ether_sw_offload.h"
#include "virtif/if_virt.h"
#include "rumpuser/rumpuser_tap.h"
#include "rumpnet/rump_net.h"

#define VIRTIF_RXBATCH		16	/* frames per kernel-lock hold */
#define VIRTIF_WAIT_MS		1000	/* tap wait timeout (safety net) */
#define VIRTIF_ERR_PAUSE_MS	100	/* pause after a failed read */
#define VIRTIF_MAXUNIT		32767
#define VIRTIF_FRAME_MIN	14	/* an Ethernet header */
#define VIRTIF_FRAME_MAX	1514	/* header + ETHERMTU, no FCS */
/* Larger than any frame a host tap can hold (64 KiB MTU + headers), so
 * an oversized frame is seen whole and counted, never truncated. */
#define VIRTIF_READBUF		(65536 + 64)

/*
 * Per-interface driver counters, net.interfaces.virtN.virt.*.  The
 * receive counters are updated by the receive thread without the
 * kernel lock, with atomic adds.
 */
enum virtif_stat {
	VIRTIF_STAT_TXFRAMES,	/* frames written to the tap */
	VIRTIF_STAT_TXBAD,	/* frames refused: length outside 14..1514 */
	VIRTIF_STAT_TXERR,	/* the host refused a write (tap down ...) */
	VIRTIF_STAT_RXFRAMES,	/* frames read from the tap */
	VIRTIF_STAT_RXSHORT,	/* dropped: shorter than 14 bytes */
	VIRTIF_STAT_RXLONG,	/* dropped: longer than 1514 bytes */
	VIRTIF_STAT_RXFILTERED,	/* not for our MAC, not group, not promisc */
	VIRTIF_STAT_RXNOMEM,	/* no mbuf for a received frame */
	VIRTIF_STAT_RXERR,	/* failed (or empty) reads */
	VIRTIF_NSTATS
};

static const char *const virtif_statnames[VIRTIF_NSTATS] = {
	"txframes", "txbad", "txerr", "rxframes", "rxshort", "rxlong",
	"rxfiltered", "rxnomem", "rxerr",
};

/* A frame that passed the length checks, waiting for the kernel lock. */
struct virtif_rxslot {
	uint32_t	rs_len;
	uint8_t		rs_buf[VIRTIF_FRAME_MAX];
};

/*
 * Lock legend: [I] immutable after creation, [K] kernel lock, [a]
 * atomic, [R] receive thread only (while sc_running).  The tap handle
 * changes only while the interface is down, so the receive thread may
 * use it without the kernel lock.
 */
struct virtif_sc {
	struct ifnet		*sc_if;		/* [I] */
	struct netstack		*sc_ns;		/* [I] */
	int			 sc_unit;	/* [I] */

	/* Tap attachment: set and cleared with the interface down. */
	struct rumpuser_tap	*sc_tap;	/* [K] NULL if none */
	char			 sc_tapname[VIRTIF_TAPNAMEMAX + 1]; /* [K] */

	/* Receive thread. */
	struct rumpuser_thread	*sc_rcvthr;	/* [K] */
	bool			 sc_running;	/* [a] thread should run */
	uint8_t			*sc_readbuf;	/* [R] VIRTIF_READBUF bytes */
	struct virtif_rxslot	 sc_rxslot[VIRTIF_RXBATCH]; /* [R] */

	uint64_t		 sc_stats[VIRTIF_NSTATS]; /* [K] or [a] */
	struct ether_offload	 sc_offload;	/* [K] sw offload emulation */
};

static void
virtif_stat_inc(struct virtif_sc *sc, enum virtif_stat s)
{
	__atomic_add_fetch(&sc->sc_stats[s], 1, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ tap names */

int
virtif_tapname_check(const char *s)
{
	size_t len = strnlen(s, VIRTIF_TAPNAMEMAX + 1);

	if (len > VIRTIF_TAPNAMEMAX)
		return ENAMETOOLONG;
	if (len == 0 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '/' || c == ':' || c == '%')
			return EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------- receive */


/* Hand a batch of frames to the stack; kernel lock held. */
static void
virtif_rx_deliver(struct virtif_sc *sc, unsigned n)
{
	struct ifnet *ifp = sc->sc_if;

	KASSERT(klock_held(&sc->sc_ns->ns_klock));
	netstack_tick(sc->sc_ns);
	for (unsigned i = 0; i < n; i++) {
		const struct virtif_rxslot *rs = &sc->sc_rxslot[i];
		struct mbuf *m;
		bool promisc;

		if (!ether_rx_wanted(sc->sc_if, rs->rs_buf, &promisc)) {
			virtif_stat_inc(sc, VIRTIF_STAT_RXFILTERED);
			continue;
		}
		m = m_devget(rs->rs_buf, rs->rs_len);
		if (m == NULL) {
			virtif_stat_inc(sc, VIRTIF_STAT_RXNOMEM);
			IF_STAT_INC(ifp, IF_STAT_IQDROPS);
			continue;
		}
		if (promisc)
			m->m_flags |= M_PROMISC;
		m->m_pkthdr.rcvif = ifp;
		ether_sw_offload_rx(ifp, &sc->sc_offload, m);
		(*ifp->if_input)(ifp, m);
	}
}

/*
 * Do up to VIRTIF_RXBATCH reads from the tap, without the kernel lock,
 * keeping the acceptable frames in the slots; bad lengths are counted
 * and skipped.  Bounding the reads, not the frames kept, bounds the
 * work a flood of bad frames can cause per call.
 * => the number of frames kept; *idle says the tap ran dry (or failed).
 */
static unsigned
virtif_rx_read(struct virtif_sc *sc, bool *idle)
{
	unsigned n = 0;

	*idle = false;
	for (unsigned reads = 0; reads < VIRTIF_RXBATCH; reads++) {
		size_t len = 0;
		int rv;

		rv = rumpuser_tap_read(sc->sc_tap, sc->sc_readbuf,
		    VIRTIF_READBUF, &len);
		if (rv == EAGAIN) {
			*idle = true;
			break;
		}
		/* A tap never reads 0 bytes; a descriptor whose host end
		 * went away does, like a failed read. */
		if (rv != 0 || len == 0) {
			virtif_stat_inc(sc, VIRTIF_STAT_RXERR);
			/* Do not spin on a tap that keeps failing. */
			rumpuser_clock_sleep(NS_MS(VIRTIF_ERR_PAUSE_MS));
			*idle = true;
			break;
		}
		virtif_stat_inc(sc, VIRTIF_STAT_RXFRAMES);
		if (len < VIRTIF_FRAME_MIN) {
			virtif_stat_inc(sc, VIRTIF_STAT_RXSHORT);
			continue;
		}
		if (len > VIRTIF_FRAME_MAX) {
			virtif_stat_inc(sc, VIRTIF_STAT_RXLONG);
			continue;
		}
		sc->sc_rxslot[n].rs_len = (uint32_t)len;
		memcpy(sc->sc_rxslot[n].rs_buf, sc->sc_readbuf, len);
		n++;
	}
	return n;
}

static void *
virtif_rcvthread(void *arg)
{
	struct virtif_sc *sc = arg;
	struct netstack *ns = sc->sc_ns;

	while (__atomic_load_n(&sc->sc_running, __ATOMIC_ACQUIRE)) {
		bool idle;
		unsigned n;

		n = virtif_rx_read(sc, &idle);
		if (n > 0) {
			klock_enter(&ns->ns_klock);
			virtif_rx_deliver(sc, n);
			klock_exit(&ns->ns_klock);
		}
		if (idle && __atomic_load_n(&sc->sc_running, __ATOMIC_ACQUIRE))
			(void)rumpuser_tap_wait(sc->sc_tap, VIRTIF_WAIT_MS);
	}
	return NULL;
}

/* ------------------------------------------------------------ transmit */

/* Write one finished frame; account it.  => 0 or errno. */
static int
virtif_send_frame(struct virtif_sc *sc, const struct mbuf *m)
{
	struct ifnet *ifp = sc->sc_if;
	int rv;

	if (m->m_len < VIRTIF_FRAME_MIN || m->m_len > VIRTIF_FRAME_MAX) {
		sc->sc_stats[VIRTIF_STAT_TXBAD]++;
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		return EMSGSIZE;
	}
	if ((rv = rumpuser_tap_write(sc->sc_tap, m->m_data, m->m_len)) != 0) {
		sc->sc_stats[VIRTIF_STAT_TXERR]++;
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		return rv;
	}
	sc->sc_stats[VIRTIF_STAT_TXFRAMES]++;
	IF_STAT_INC(ifp, IF_STAT_OPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_OBYTES, m->m_len);
	if (m->m_data[0] & 0x01)
		IF_STAT_INC(ifp, IF_STAT_OMCASTS);
	return 0;
}

static int
virtif_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct virtif_sc *sc = ifp->if_softc;
	struct mbuf *list;
	int error = 0;

	KASSERT(klock_held(&sc->sc_ns->ns_klock));
	if (sc->sc_tap == NULL || !(ifp->if_flags & IFF_RUNNING)) {
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		m_freem(m);
		return ENETDOWN;
	}
	/* Only finished frames go to the host (mbuf.h, M_CSUM block). */
	list = ether_sw_offload_tx(ifp, &sc->sc_offload, m);
	if (list == NULL) {
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		return EINVAL;
	}
	while ((m = list) != NULL) {
		int rv;

		list = m->m_nextpkt;
		m->m_nextpkt = NULL;
		rv = virtif_send_frame(sc, m);
		if (rv != 0 && error == 0)
			error = rv;
		m_freem(m);
	}
	return error;
}

/* ------------------------------------------------------------ the tap */

static int
virtif_tap_attach(struct virtif_sc *sc, const char *tapname)
{
	int rv;

	if ((rv = rumpuser_tap_open(tapname, &sc->sc_tap)) != 0) {
		kprintf("%s: cannot attach host tap %s: error %d\n",
		    sc->sc_if->if_xname, tapname, rv);
		sc->sc_tap = NULL;
		return rv;
	}
	memset(sc->sc_tapname, 0, sizeof(sc->sc_tapname));
	memcpy(sc->sc_tapname, tapname, strlen(tapname));
	return 0;
}

static void
virtif_tap_detach(struct virtif_sc *sc)
{
	if (sc->sc_tap == NULL)
		return;
	rumpuser_tap_close(sc->sc_tap);
	sc->sc_tap = NULL;
	memset(sc->sc_tapname, 0, sizeof(sc->sc_tapname));
}

/* ------------------------------------------------------ up, down, ioctl */

static int
virtif_init(struct ifnet *ifp)
{
	struct virtif_sc *sc = ifp->if_softc;
	char tapname[VIRTIF_TAPNAMEMAX + 1];
	int rv;

	KASSERT(klock_held(&sc->sc_ns->ns_klock));
	if (sc->sc_running)
		return 0;
	if (sc->sc_tap == NULL) {
		/* No linkstr: the unit's default tap, rumptapN. */
		ksnprintf(tapname, sizeof(tapname), VIRTIF_TAPPREFIX "%d",
		    sc->sc_unit);
		if ((rv = virtif_tap_attach(sc, tapname)) != 0)
			return rv;
	}
	__atomic_store_n(&sc->sc_running, true, __ATOMIC_RELEASE);
	rv = rumpuser_thread_create(virtif_rcvthread, sc, ifp->if_xname,
	    &sc->sc_rcvthr);
	if (rv != 0) {
		sc->sc_running = false;
		return rv;
	}
	ifp->if_flags |= IFF_RUNNING;
	return 0;
}

static void
virtif_stop(struct ifnet *ifp)
{
	struct virtif_sc *sc = ifp->if_softc;
	struct klock *kl = &sc->sc_ns->ns_klock;
	unsigned depth;

	ifp->if_flags &= ~IFF_RUNNING;
	if (!sc->sc_running)
		return;
	__atomic_store_n(&sc->sc_running, false, __ATOMIC_RELEASE);
	rumpuser_tap_kick(sc->sc_tap);
	/* The thread may be waiting for the kernel lock: release it while
	 * joining.  The interface is not running, so nothing else touches
	 * the receive side meanwhile. */
	depth = klock_release_all(kl);
	rumpuser_thread_join(sc->sc_rcvthr);
	klock_reacquire(kl, depth);
	sc->sc_rcvthr = NULL;
}

int
virtif_linkstr_set(struct ifnet *ifp, const char *tapname)
{
	struct virtif_sc *sc = ifp->if_softc;
	int rv;

	if (ifp->if_flags & IFF_UP)
		return EBUSY;
	if (sc->sc_tap != NULL)
		return EBUSY;
	if ((rv = virtif_tapname_check(tapname)) != 0)
		return rv;
	return virtif_tap_attach(sc, tapname);
}

int
virtif_linkstr_unset(struct ifnet *ifp)
{
	struct virtif_sc *sc = ifp->if_softc;

	if (ifp->if_flags & IFF_UP)
		return EBUSY;
	if (sc->sc_tap == NULL)
		return ENOENT;
	virtif_tap_detach(sc);
	return 0;
}

const char *
virtif_linkstr_get(struct ifnet *ifp)
{
	struct virtif_sc *sc = ifp->if_softc;

	return sc->sc_tap != NULL ? sc->sc_tapname : NULL;
}

/* The linkstr requests of rump_net.h; ls_path holds the tap's name. */
static const struct if_linkstr_ops virtif_linkstr_ops = {
	.lo_maxlen = VIRTIF_TAPNAMEMAX,
	.lo_toolong = ENAMETOOLONG,
	.lo_set = virtif_linkstr_set,
	.lo_unset = virtif_linkstr_unset,
	.lo_get = virtif_linkstr_get,
};

static int
virtif_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	return if_linkstr_ioctl(ifp, cmd, data, &virtif_linkstr_ops);
}

/* ---------------------------------------------------- create, destroy */

static void
virtif_destroy(struct ifnet *ifp)
{
	struct virtif_sc *sc = ifp->if_softc;
	char prefix[64];

	virtif_stop(ifp);
	virtif_tap_detach(sc);
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.virt",
	    ifp->if_xname);
	sysctl_remove_prefix(sc->sc_ns, prefix);
	ether_sw_offload_detach(ifp);
	kmem_free(sc->sc_readbuf, VIRTIF_READBUF);
	kmem_free(sc, sizeof(*sc));
	ifp->if_softc = NULL;
}


static int
virtif_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	struct virtif_sc *sc;
	struct ifnet *ifp;
	uint8_t lla[ETHER_ADDR_LEN];
	char name[IFNAMSIZ], prefix[64];
	uint32_t capenable;
	int rv;

	if (unit < 0 || unit > VIRTIF_MAXUNIT)
		return EINVAL;
	ksnprintf(name, sizeof(name), "virt%d", unit);
	if ((rv = ether_sw_offload_capenv("RUMP_VIRTIF_CAPENABLE", name,
	    &capenable)) != 0)
		return rv;
	if ((ifp = if_alloc(ns, name)) == NULL)
		return ENOMEM;
	sc = kmem_zalloc(sizeof(*sc));
	sc->sc_readbuf = kmem_alloc(VIRTIF_READBUF);
	sc->sc_if = ifp;
	sc->sc_ns = ns;
	sc->sc_unit = unit;
	ether_random_lladdr(lla, 0x0b);

	ifp->if_softc = sc;
	ether_ifattach(ifp, lla);
	ifp->if_transmit = virtif_transmit;
	ifp->if_init = virtif_init;
	ifp->if_stop = virtif_stop;
	ifp->if_ioctl = virtif_ioctl;
	ifp->if_destroy = virtif_destroy;
	ether_sw_offload_ifattach(ifp, capenable, &sc->sc_offload);
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.virt",
	    ifp->if_xname);
	(void)sysctl_add_counters(ns, prefix, virtif_statnames, sc->sc_stats,
	    VIRTIF_NSTATS);
	*ifpp = ifp;
	return 0;
}

static void
virtif_clone_destroy(struct ifnet *ifp)
{
	virtif_destroy(ifp);
}

static const struct if_cloner virtif_cloner = {
	.ifc_name = "virt",
	.ifc_create = virtif_clone_create,
	.ifc_destroy = virtif_clone_destroy,
};

int
virtif_create(struct netstack *ns, const char *tapname, struct ifnet **ifpp)
{
	struct ifnet *ifp;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	/* A cloner name without a unit: the first free unit. */
	if ((rv = if_clone_create_ifp(ns, "virt", &ifp)) != 0)
		return rv;
	if (tapname != NULL && (rv = virtif_linkstr_set(ifp, tapname)) != 0) {
		(void)if_clone_destroy(ns, ifp->if_xname);
		return rv;
	}
	*ifpp = ifp;
	return 0;
}

static int
virtif_modinit(struct netstack *ns)
{
	return if_clone_register(ns, &virtif_cloner);
}

const struct netstack_module virtif_module = {
	.nm_name = "virtif",
	.nm_init = virtif_modinit,
	.nm_fini = NULL,
};
