/*
 * if_shmif.c -- the shmif Ethernet interface: a network interface whose
 * wire is a bus file shared with other processes (shmif/shmif_bus.h).
 *
 * Transmit: if_transmit appends the finished frame to the bus under the
 * bus lock and does the wakeup write (4 bytes at file offset 4).
 * Receive: one thread per running interface reads the bus in bounded
 * batches (SHMIF_RXBATCH frames per bus-lock hold), outside the kernel
 * lock, filters them as NetBSD's shmif does (own sender id, destination
 * MAC, group bit, promiscuous mode), then takes the kernel lock once per
 * batch and passes the frames to ether_input.  When caught up it sleeps
 * on the bus file's write watch, with a timeout as a safety net.  When
 * the host has no inotify instance left, the watch is a futex on
 * shm_last (rumpuser.h); every wakeup write is followed by a futex wake
 * so that such readers hear our frames at once.  Writers that do not
 * wake futexes (NetBSD) are noticed -- a wait timed out, yet there was
 * something to read -- and answered with short waits for a while.
 *
 * The bus file is reached only through rumpuser (open, ftruncate, mmap,
 * pwrite, watch), so this file stays host-independent.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if.h"
#include "netstack/net/if_var.h"
#include "netstack/net/ether_sw_offload.h"
#include "shmif/if_shmif.h"
#include "shmif/shmif_bus.h"
#include "rumpnet/rump_net.h"
#include "rumpuser/rumpuser_proc.h"

#define SHMIF_RXBATCH	16	/* frames per bus-lock hold and kernel entry */
#define SHMIF_WAIT_MS	1000	/* watch wait timeout (safety net only) */
/* A futex watch after a frame came in without a futex wake: poll at
 * this interval until SHMIF_POLL_QUIET empty waits in a row. */
#define SHMIF_POLL_MS	5
#define SHMIF_POLL_QUIET 2000
#define SHMIF_MAXUNIT	32767
#define SHMIF_TXBATCH	64	/* frames per bus-lock hold on transmit */

/* Per-interface driver counters, net.interfaces.shmifN.shmif.* */
enum shmif_stat {
	SHMIF_STAT_TXFRAMES,	/* frames written to the bus */
	SHMIF_STAT_TXBAD,	/* frames refused: length outside 14..1514 */
	SHMIF_STAT_TXERR,	/* bus header clobbered: frame not written */
	SHMIF_STAT_RXFRAMES,	/* frames read from the bus */
	SHMIF_STAT_RXOWN,	/* own frames skipped (same sender id) */
	SHMIF_STAT_RXFILTERED,	/* not for our MAC, not group, not promisc */
	SHMIF_STAT_RXNOMEM,	/* no mbuf for a received frame */
	SHMIF_STAT_RXOVERRUNS,	/* times the reader was lapped */
	SHMIF_STAT_RXLOST,	/* estimated frames lost to overruns */
	SHMIF_STAT_RXBADREC,	/* records < 14 or > 1514 bytes skipped */
	SHMIF_STAT_WAKEUPS,	/* wakeup writes done */
	SHMIF_STAT_LOCKBREAKS,	/* bus locks taken from dead holders */
	SHMIF_STAT_FUTEXWAITS,	/* waits on the futex watch (no inotify) */
	SHMIF_STAT_FUTEXLATE,	/* of those: timed out with frames waiting */
	SHMIF_NSTATS
};

static const char *const shmif_statnames[SHMIF_NSTATS] = {
	"txframes", "txbad", "txerr", "rxframes", "rxown", "rxfiltered",
	"rxnomem", "rxoverruns", "rxlost", "rxbadrec", "wakeups",
	"lockbreaks", "futexwaits", "futexlate",
};

struct shmif_sc {
	struct ifnet		*sc_if;		/* [I] */
	struct netstack		*sc_ns;		/* [I] */
	uint64_t		 sc_sender;	/* [I] random sender id */

	/* Bus attachment: set and cleared with the interface down. */
	char			*sc_path;	/* [K] linkstr, or NULL */
	size_t			 sc_pathsize;	/* [K] */
	int			 sc_fd;		/* [K] -1 if none */
	struct shmif_mem	*sc_mem;	/* [K] the mapping */
	struct shmif_bus	 sc_bus;	/* [K] */
	struct rumpuser_watch	*sc_watch;	/* [K] */

	/* Receive thread. */
	struct rumpuser_thread	*sc_rcvthr;	/* [K] */
	bool			 sc_running;	/* [a] thread should run */
	struct shmif_cursor	 sc_cursor;	/* receive thread private */
	uint64_t		 sc_seenresyncs; /* receive thread private */
	uint64_t		 sc_seenlost;	/* receive thread private */
	uint64_t		 sc_seenbad;	/* receive thread private */
	uint64_t		 sc_seengiant;	/* receive thread private */
	unsigned		 sc_pollquiet;	/* receive thread private:
						 * short futex waits left */

	uint64_t		 sc_stats[SHMIF_NSTATS]; /* [K] */
	/* The readers' wakeup, once per kernel-lock hold (shmif_sent). */
	struct klock_deferred	 sc_wakework;	/* [K] */
	struct ether_offload	 sc_offload;	/* [K] sw offload emulation */
	uint8_t			 sc_rxbuf[SHMIF_RXBATCH][SHMIF_FRAME_MAX];
};

static const struct shmif_hostops shmif_hostops;

/* ------------------------------------------------------------ bus file */

static void
shmif_backoff(void *arg)
{
	(void)arg;
	rumpuser_clock_sleep(NS_MS(1));
}

static void
shmif_wakeup(void *arg)
{
	struct shmif_sc *sc = arg;
	uint32_t v = SHMIF_WAKEUP_VALUE;

	/* A real write through the descriptor: mapping stores raise no
	 * event for the readers' watches. */
	(void)rumpuser_pwrite(sc->sc_fd, &v, sizeof(v), SHMIF_WAKEUP_OFF,
	    NULL);
	/* And for readers whose watch is a futex (rumpuser.h). */
	rumpuser_watch_wake(&sc->sc_mem->shm_last);
	__atomic_add_fetch(&sc->sc_stats[SHMIF_STAT_WAKEUPS], 1,
	    __ATOMIC_RELAXED);
}

/*
 * Frames went on the bus.  Under the kernel lock (every transmit) the
 * wakeup write waits until this thread gives the lock up, so a burst
 * of sends in one kernel entry -- a TCP window's segments, the ACKs for
 * a batch of received frames -- costs the readers one wakeup.
 */
static void
shmif_sent(void *arg)
{
	struct shmif_sc *sc = arg;
	struct klock *kl = &sc->sc_ns->ns_klock;

	if (klock_held(kl))
		klock_defer(kl, &sc->sc_wakework);
	else
		shmif_wakeup(sc);
}

static uint32_t
shmif_self(void *arg)
{
	(void)arg;
	return rumpuser_proc_self();
}

static bool
shmif_alive(void *arg, uint32_t holder)
{
	(void)arg;
	return rumpuser_proc_alive(holder);
}

/*
 * Bus lock holders are recorded as process ids and the locks of dead
 * ones are broken (shmif_bus.h), unless RUMP_SHMIF_LOCKBREAK=0: then
 * this node records itself as holder 0, as a NetBSD node does, and never
 * breaks a lock -- for buses shared across pid namespaces.
 */
static const struct shmif_hostops shmif_hostops_nobreak = {
	.sho_backoff = shmif_backoff,
	.sho_wakeup = shmif_sent,
};

static const struct shmif_hostops *
shmif_choose_hostops(void)
{
	char buf[8];

	if (rumpuser_getparam("RUMP_SHMIF_LOCKBREAK", buf, sizeof(buf)) ==
	    0 && strcmp(buf, "0") == 0)
		return &shmif_hostops_nobreak;
	return &shmif_hostops;
}

static const struct shmif_hostops shmif_hostops = {
	.sho_backoff = shmif_backoff,
	.sho_wakeup = shmif_sent,
	.sho_self = shmif_self,
	.sho_alive = shmif_alive,
};

/* A non-empty file must start with the bus magic (or zeros). */
static int
shmif_bus_precheck(struct shmif_sc *sc, int fd, const char *path)
{
	uint32_t magic = 0;
	uint64_t size;
	size_t done = 0;
	int rv;

	if ((rv = rumpuser_filesize(fd, &size)) != 0)
		return rv;
	if (size == 0)
		return 0;
	if ((rv = rumpuser_pread(fd, &magic, sizeof(magic), 0, &done)) != 0)
		return rv;
	if (done < sizeof(magic) || (magic != 0 && magic != SHMIF_MAGIC)) {
		kprintf("%s: %s: %s\n", sc->sc_if->if_xname, path,
		    shmif_strerror(magic == SHMIF_MAGIC_SWAPPED ?
		    SHMIF_ESWAPPED : SHMIF_ENOTBUS));
		return ENOEXEC;
	}
	return 0;
}

/*
 * Open (creating if needed) and map a bus file, as NetBSD does: the file
 * is always truncated to exactly 1 MiB; a file whose magic is neither 0
 * nor the bus magic is refused with ENOEXEC.
 */
static int
shmif_bus_open(struct shmif_sc *sc, const char *path)
{
	void *mem;
	int fd, rv;

	if ((rv = rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE, &fd)) != 0)
		return rv;
	/*
	 * Unlike NetBSD, look at the magic before sizing the file: a file
	 * that is not a bus is refused untouched instead of being
	 * truncated to 1 MiB first.
	 */
	if ((rv = shmif_bus_precheck(sc, fd, path)) != 0)
		goto fail_fd;
	if ((rv = rumpuser_ftruncate(fd, SHMIF_BUSSIZE)) != 0)
		goto fail_fd;
	if ((rv = rumpuser_filemmap(fd, SHMIF_BUSSIZE, &mem)) != 0)
		goto fail_fd;
	sc->sc_fd = fd;
	rv = shmif_bus_attach(&sc->sc_bus, mem, SHMIF_BUSSIZE,
	    shmif_choose_hostops(), sc);
	if (rv != SHMIF_OK) {
		kprintf("%s: %s: %s\n", sc->sc_if->if_xname, path,
		    shmif_strerror(rv));
		rv = (rv == SHMIF_ENOTBUS || rv == SHMIF_ESWAPPED) ? ENOEXEC :
		    EINVAL;
		goto fail_map;
	}
	if ((rv = rumpuser_watch_setup(fd,
	    &((struct shmif_mem *)mem)->shm_last, &sc->sc_watch)) != 0)
		goto fail_map;
	sc->sc_mem = mem;
	return 0;

fail_map:
	rumpuser_unmap(mem, SHMIF_BUSSIZE);
fail_fd:
	rumpuser_close(fd);
	sc->sc_fd = -1;
	return rv;
}

static void
shmif_bus_close(struct shmif_sc *sc)
{
	if (sc->sc_mem == NULL)
		return;
	/* A wakeup still owed for frames we sent goes out now. */
	if (klock_undefer(&sc->sc_ns->ns_klock, &sc->sc_wakework))
		shmif_wakeup(sc);
	rumpuser_watch_destroy(sc->sc_watch);
	rumpuser_unmap(sc->sc_mem, SHMIF_BUSSIZE);
	rumpuser_close(sc->sc_fd);
	sc->sc_watch = NULL;
	sc->sc_mem = NULL;
	sc->sc_fd = -1;
}

/* ------------------------------------------------------------- receive */


/* The bus handle counts lock breaks atomically; publish the count. */
static void
shmif_account_breaks(struct shmif_sc *sc)
{
	sc->sc_stats[SHMIF_STAT_LOCKBREAKS] =
	    __atomic_load_n(&sc->sc_bus.sb_breaks, __ATOMIC_RELAXED);
}

/* Fold the cursor's cumulative counters into the interface counters. */
static void
shmif_rx_account(struct shmif_sc *sc)
{
	const struct shmif_cursor *c = &sc->sc_cursor;
	uint64_t bad = c->sc_short + c->sc_giant;

	sc->sc_stats[SHMIF_STAT_RXOVERRUNS] += c->sc_resyncs -
	    sc->sc_seenresyncs;
	sc->sc_stats[SHMIF_STAT_RXLOST] += c->sc_lost - sc->sc_seenlost;
	sc->sc_stats[SHMIF_STAT_RXBADREC] += bad - sc->sc_seenbad;
	/*
	 * The interface counters show them too: frames lost to an overrun
	 * are input drops, records above 1514 bytes (no writer makes them)
	 * input errors.  Short ones are not: a fresh bus starts with a
	 * zero-length record that a reader may step over.
	 */
	IF_STAT_ADD(sc->sc_if, IF_STAT_IQDROPS, c->sc_lost - sc->sc_seenlost);
	IF_STAT_ADD(sc->sc_if, IF_STAT_IERRORS, c->sc_giant - sc->sc_seengiant);
	sc->sc_seengiant = c->sc_giant;
	shmif_account_breaks(sc);
	sc->sc_seenresyncs = c->sc_resyncs;
	sc->sc_seenlost = c->sc_lost;
	sc->sc_seenbad = bad;
}

/* Hand a batch of frames to the stack; kernel lock held. */
static void
shmif_rx_deliver(struct shmif_sc *sc, struct shmif_rxframe *rf, unsigned n)
{
	struct ifnet *ifp = sc->sc_if;

	netstack_tick(sc->sc_ns);
	shmif_rx_account(sc);
	for (unsigned i = 0; i < n; i++) {
		struct mbuf *m;
		bool promisc;

		sc->sc_stats[SHMIF_STAT_RXFRAMES]++;
		if (rf[i].rf_sender == sc->sc_sender) {
			sc->sc_stats[SHMIF_STAT_RXOWN]++;
			continue;
		}
		if (!ether_rx_wanted(sc->sc_if, rf[i].rf_buf, &promisc)) {
			sc->sc_stats[SHMIF_STAT_RXFILTERED]++;
			continue;
		}
		m = m_devget(rf[i].rf_buf, rf[i].rf_len);
		if (m == NULL) {
			sc->sc_stats[SHMIF_STAT_RXNOMEM]++;
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
 * Caught up: wait for a wakeup.  An inotify watch hears every writer.
 * A futex watch hears only writers that wake it; when a wait times out
 * and there is something to read, some writer does not (a NetBSD node),
 * so the next SHMIF_POLL_QUIET waits are short ones.
 */
static void
shmif_rx_wait(struct shmif_sc *sc)
{
	int timeout = sc->sc_pollquiet > 0 ? SHMIF_POLL_MS : SHMIF_WAIT_MS;
	int rv;

	/*
	 * Stopping wakes us the same way as a frame does, but a futex
	 * keeps no event: a stop between this check and the wait costs
	 * the join one timeout.  The check makes that window tiny.
	 */
	if (!__atomic_load_n(&sc->sc_running, __ATOMIC_ACQUIRE))
		return;
	rv = rumpuser_watch_wait(sc->sc_watch, sc->sc_cursor.sc_lastseen,
	    timeout);
	if (!rumpuser_watch_isfutex(sc->sc_watch))
		return;
	__atomic_add_fetch(&sc->sc_stats[SHMIF_STAT_FUTEXWAITS], 1,
	    __ATOMIC_RELAXED);
	if (rv == ETIMEDOUT && !shmif_cursor_caughtup(&sc->sc_bus,
	    &sc->sc_cursor)) {
		__atomic_add_fetch(&sc->sc_stats[SHMIF_STAT_FUTEXLATE], 1,
		    __ATOMIC_RELAXED);
		sc->sc_pollquiet = SHMIF_POLL_QUIET;
	} else if (sc->sc_pollquiet > 0)
		sc->sc_pollquiet--;
}

static void *
shmif_rcvthread(void *arg)
{
	struct shmif_sc *sc = arg;
	struct netstack *ns = sc->sc_ns;
	struct shmif_rxframe rf[SHMIF_RXBATCH];

	for (unsigned i = 0; i < SHMIF_RXBATCH; i++)
		rf[i].rf_buf = sc->sc_rxbuf[i];

	while (__atomic_load_n(&sc->sc_running, __ATOMIC_ACQUIRE)) {
		unsigned n = 0;
		bool caughtup = false;
		uint64_t breaks;
		int rv;

		/* A lock broken while reading is published even if idle. */
		breaks = __atomic_load_n(&sc->sc_bus.sb_breaks,
		    __ATOMIC_RELAXED);
		rv = shmif_cursor_read(&sc->sc_bus, &sc->sc_cursor, rf,
		    SHMIF_RXBATCH, &n, &caughtup);
		if (n > 0 || rv != SHMIF_OK || breaks !=
		    __atomic_load_n(&sc->sc_bus.sb_breaks, __ATOMIC_RELAXED)) {
			klock_enter(&ns->ns_klock);
			shmif_rx_deliver(sc, rf, n);
			if (rv != SHMIF_OK)
				IF_STAT_INC(sc->sc_if, IF_STAT_IERRORS);
			klock_exit(&ns->ns_klock);
		}
		if (caughtup)
			shmif_rx_wait(sc);
	}
	return NULL;
}

/* ------------------------------------------------------------ transmit */

/*
 * Write a list of finished frames (m_nextpkt) to the bus in batches of
 * SHMIF_TXBATCH under one lock hold each, with one wakeup write per
 * batch.  Frees the list.  => 0 or the error of the first failed frame.
 */
/*
 * A frame's timestamp: the host's wall clock, so that captures of a bus
 * written by many nodes share one time line (NetBSD stamps with each
 * kernel's uptime, which readers accept too).  A kernel on a virtual
 * clock stamps its own time, keeping tests deterministic.
 */
static uint64_t
shmif_stamp(const struct shmif_sc *sc)
{
	if (sc->sc_ns->ns_virtual)
		return netstack_now(sc->sc_ns);
	return rumpuser_clock_now(RUMPUSER_CLOCK_WALL);
}

static int
shmif_send_list(struct shmif_sc *sc, struct mbuf *list)
{
	struct ifnet *ifp = sc->sc_if;
	struct shmif_txframe tf[SHMIF_TXBATCH];
	struct shmif_seg seg[SHMIF_TXBATCH];
	uint64_t now = shmif_stamp(sc);
	int error = 0;

	while (list != NULL) {
		struct mbuf *batch = list, *m;
		unsigned n = 0, sent = 0, bad = 0;

		for (m = list; m != NULL && n < SHMIF_TXBATCH;
		    m = m->m_nextpkt, n++) {
			seg[n].ss_data = m->m_data;
			seg[n].ss_len = m->m_len;
			tf[n].tf_segs = &seg[n];
			tf[n].tf_nsegs = 1;
			tf[n].tf_sec = (uint32_t)(now / NS_SEC(1));
			tf[n].tf_usec = (uint32_t)((now % NS_SEC(1)) / 1000);
		}
		list = m;
		(void)shmif_bus_send(&sc->sc_bus, tf, n, sc->sc_sender, &sent,
		    &bad);
		/* Account and free this batch. */
		for (unsigned i = 0; i < n; i++) {
			m = batch;
			batch = m->m_nextpkt;
			if (i < sent + bad && m->m_len >= SHMIF_FRAME_MIN &&
			    m->m_len <= SHMIF_FRAME_MAX) {
				sc->sc_stats[SHMIF_STAT_TXFRAMES]++;
				IF_STAT_INC(ifp, IF_STAT_OPACKETS);
				IF_STAT_ADD(ifp, IF_STAT_OBYTES, m->m_len);
				if (m->m_data[0] & 0x01)
					IF_STAT_INC(ifp, IF_STAT_OMCASTS);
			} else {
				bool isbad = m->m_len < SHMIF_FRAME_MIN ||
				    m->m_len > SHMIF_FRAME_MAX;

				sc->sc_stats[isbad ? SHMIF_STAT_TXBAD :
				    SHMIF_STAT_TXERR]++;
				IF_STAT_INC(ifp, IF_STAT_OERRORS);
				if (error == 0)
					error = isbad ? EMSGSIZE : EIO;
			}
			m_freem(m);
		}
	}
	shmif_account_breaks(sc);
	return error;
}

static int
shmif_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct shmif_sc *sc = ifp->if_softc;
	struct mbuf *list;

	KASSERT(klock_held(&sc->sc_ns->ns_klock));
	if (sc->sc_mem == NULL || !(ifp->if_flags & IFF_RUNNING)) {
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		m_freem(m);
		return ENETDOWN;
	}
	/* Only finished frames go on the bus (mbuf.h, M_CSUM block). */
	list = ether_sw_offload_tx(ifp, &sc->sc_offload, m);
	if (list == NULL) {
		IF_STAT_INC(ifp, IF_STAT_OERRORS);
		return EINVAL;
	}
	return shmif_send_list(sc, list);
}

/* ------------------------------------------------------ up, down, ioctl */

static int
shmif_init(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;
	int rv;

	KASSERT(klock_held(&sc->sc_ns->ns_klock));
	if (sc->sc_mem == NULL)
		return ENXIO;
	if (sc->sc_running)
		return 0;
	/* Like NetBSD: start at the newest record (delivered once). */
	shmif_cursor_init(&sc->sc_bus, &sc->sc_cursor, SHMIF_START_LAST);
	sc->sc_seenresyncs = sc->sc_cursor.sc_resyncs;
	sc->sc_seenlost = sc->sc_cursor.sc_lost;
	sc->sc_seenbad = sc->sc_cursor.sc_short + sc->sc_cursor.sc_giant;
	sc->sc_seengiant = sc->sc_cursor.sc_giant;
	__atomic_store_n(&sc->sc_running, true, __ATOMIC_RELEASE);
	rv = rumpuser_thread_create(shmif_rcvthread, sc, ifp->if_xname,
	    &sc->sc_rcvthr);
	if (rv != 0) {
		sc->sc_running = false;
		return rv;
	}
	ifp->if_flags |= IFF_RUNNING;
	return 0;
}

static void
shmif_stop(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;
	struct klock *kl = &sc->sc_ns->ns_klock;
	unsigned depth;

	ifp->if_flags &= ~IFF_RUNNING;
	if (!sc->sc_running)
		return;
	__atomic_store_n(&sc->sc_running, false, __ATOMIC_RELEASE);
	/* Kick our own receive thread out of its wait. */
	shmif_wakeup(sc);
	/* The thread may be waiting for the kernel lock: release it while
	 * joining.  The interface is not running, so nothing else touches
	 * the receive side meanwhile. */
	depth = klock_release_all(kl);
	rumpuser_thread_join(sc->sc_rcvthr);
	klock_reacquire(kl, depth);
	sc->sc_rcvthr = NULL;
}

int
shmif_linkstr_set(struct ifnet *ifp, const char *path)
{
	struct shmif_sc *sc = ifp->if_softc;
	size_t len;
	int rv;

	if (ifp->if_flags & IFF_UP)
		return EBUSY;
	if (sc->sc_mem != NULL)
		return EBUSY;
	len = strnlen(path, SHMIF_PATHMAX + 1);
	if (len > SHMIF_PATHMAX)
		return E2BIG;
	if (len == 0)
		return EINVAL;
	if ((rv = shmif_bus_open(sc, path)) != 0)
		return rv;
	sc->sc_pathsize = len + 1;
	sc->sc_path = kmem_alloc(sc->sc_pathsize);
	memcpy(sc->sc_path, path, sc->sc_pathsize);
	return 0;
}

int
shmif_linkstr_unset(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;

	if (ifp->if_flags & IFF_UP)
		return EBUSY;
	if (sc->sc_mem == NULL)
		return ENOENT;
	shmif_bus_close(sc);
	kmem_free(sc->sc_path, sc->sc_pathsize);
	sc->sc_path = NULL;
	sc->sc_pathsize = 0;
	return 0;
}

const char *
shmif_linkstr_get(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;

	return sc->sc_path;
}

static const struct if_linkstr_ops shmif_linkstr_ops = {
	.lo_maxlen = SHMIF_PATHMAX,
	.lo_toolong = E2BIG,
	.lo_set = shmif_linkstr_set,
	.lo_unset = shmif_linkstr_unset,
	.lo_get = shmif_linkstr_get,
};

int
shmif_linkstr_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	return if_linkstr_ioctl(ifp, cmd, data, &shmif_linkstr_ops);
}

static int
shmif_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	return shmif_linkstr_ioctl(ifp, cmd, data);
}

/* ---------------------------------------------------- create, destroy */

static void
shmif_destroy(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;
	char prefix[64];

	shmif_stop(ifp);
	if (sc->sc_mem != NULL) {
		shmif_bus_close(sc);
		kmem_free(sc->sc_path, sc->sc_pathsize);
	}
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.shmif",
	    ifp->if_xname);
	sysctl_remove_prefix(sc->sc_ns, prefix);
	ether_sw_offload_detach(ifp);
	kmem_free(sc, sizeof(*sc));
	ifp->if_softc = NULL;
}


static int
shmif_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	struct shmif_sc *sc;
	struct ifnet *ifp;
	uint8_t lla[ETHER_ADDR_LEN];
	char name[IFNAMSIZ], prefix[64];
	uint32_t capenable;
	int rv;

	if (unit < 0 || unit > SHMIF_MAXUNIT)
		return EINVAL;
	ksnprintf(name, sizeof(name), "shmif%d", unit);
	if ((rv = ether_sw_offload_capenv("RUMP_SHMIF_CAPENABLE", name,
	    &capenable)) != 0)
		return rv;
	if ((ifp = if_alloc(ns, name)) == NULL)
		return ENOMEM;
	sc = kmem_zalloc(sizeof(*sc));
	sc->sc_if = ifp;
	sc->sc_ns = ns;
	sc->sc_fd = -1;
	sc->sc_wakework.kd_fn = shmif_wakeup;
	sc->sc_wakework.kd_arg = sc;
	ether_random_lladdr(lla, 0xa0);
	do
		sc->sc_sender = cprng_u64();
	while (sc->sc_sender == 0);

	ifp->if_softc = sc;
	ether_ifattach(ifp, lla);
	ifp->if_transmit = shmif_transmit;
	ifp->if_init = shmif_init;
	ifp->if_stop = shmif_stop;
	ifp->if_ioctl = shmif_ioctl;
	ifp->if_destroy = shmif_destroy;
	ether_sw_offload_ifattach(ifp, capenable, &sc->sc_offload);
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.shmif",
	    ifp->if_xname);
	(void)sysctl_add_counters(ns, prefix, shmif_statnames, sc->sc_stats,
	    SHMIF_NSTATS);
	*ifpp = ifp;
	return 0;
}

static void
shmif_clone_destroy(struct ifnet *ifp)
{
	shmif_destroy(ifp);
}

static const struct if_cloner shmif_cloner = {
	.ifc_name = "shmif",
	.ifc_create = shmif_clone_create,
	.ifc_destroy = shmif_clone_destroy,
};

/*
 * Create an interface attached to the bus at path (NULL: no bus yet).
 * Kernel lock held.  => 0 and *ifpp, or errno.
 */
int
shmif_create(struct netstack *ns, const char *path, struct ifnet **ifpp)
{
	struct ifnet *ifp;
	int rv;

	KASSERT(klock_held(&ns->ns_klock));
	/* A cloner name without a unit: the first free unit. */
	if ((rv = if_clone_create_ifp(ns, "shmif", &ifp)) != 0)
		return rv;
	if (path != NULL && (rv = shmif_linkstr_set(ifp, path)) != 0) {
		(void)if_clone_destroy(ns, ifp->if_xname);
		return rv;
	}
	*ifpp = ifp;
	return 0;
}

static int
shmif_modinit(struct netstack *ns)
{
	return if_clone_register(ns, &shmif_cloner);
}

const struct netstack_module shmif_module = {
	.nm_name = "shmif",
	.nm_init = shmif_modinit,
	.nm_fini = NULL,
};
