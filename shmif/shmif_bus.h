/*
 * shmif_bus.h -- the shmif bus format: layout, lock, ring append, reader
 * cursor and a read-only view for post-mortem dumps.
 *
 * A bus is a 1 MiB file mapped by every node.  It starts with a 32-byte
 * header (struct shmif_mem) followed by a data area of SHMIF_DATASIZE
 * bytes holding a ring of records: a packet header (struct shmif_pkthdr)
 * immediately followed by an Ethernet frame of sp_len bytes, with no
 * alignment or padding between records.  A record may straddle the end of
 * the data area and continue at data offset 0.  The layout is byte for
 * byte that of NetBSD rump kernels' shmif (bus version 3, LP64 packet
 * header), so bus files move between the two.
 *
 * This code is pure C over a mapped buffer: it calls no host function
 * (only mem* from the C library) so that it links into the
 * host-independent kernel as well as into the tools and the unit tests.
 * Whatever needs the host -- sleeping while the lock is contended, the
 * wakeup write -- is supplied by the caller through struct shmif_hostops.
 *
 * Locking legend for the shared header fields:
 *   [B] read and written only with the bus lock held (shm_lock == 1)
 *   [a] accessed with atomic operations
 *   [I] set once when the bus is initialised
 *
 * The lock and its holder: shm_lock and the word after it (spare in
 * NetBSD's layout, which never reads it) form one naturally aligned 64-bit
 * word.  This library takes the lock with one 64-bit compare-and-swap
 * from (0, any) to (1, holder id) and releases it with one swap to
 * (0, 0), so a holder id is never seen without the lock.  A waiter that
 * has backed off SHMIF_BREAK_BACKOFFS times asks the host whether the
 * recorded holder still exists (sho_alive); if not, it takes the lock
 * over with a compare-and-swap from (1, dead id) to (1, own id): of
 * several waiters exactly one wins, the others keep waiting on the new
 * holder.  A holder id of 0 (a NetBSD node, whose 32-bit CAS leaves the
 * word as it finds it -- 0 after our release) is never broken.  (Its
 * 32-bit CAS and our 64-bit one are locked read-modify-writes of the
 * same naturally aligned bytes, atomic with respect to each other on the
 * hosts this runs on, x86-64 and AArch64.)  Breaking
 * needs nothing repaired: writers publish a record (shm_last, shm_gen)
 * only after all of its bytes are in the ring, and retire old records
 * before overwriting them, so a holder killed anywhere leaves the
 * published ring intact; its unpublished bytes lie past the end of the
 * live records and the next write overwrites them.
 *
 * All functions returning int return SHMIF_OK (0) or a positive
 * SHMIF_E* code; shmif_strerror() turns one into a message.  The kernel
 * driver maps SHMIF_ENOTBUS and SHMIF_ESWAPPED to ENOEXEC at attach time.
 *
 * Typical use by a node (the kernel driver; shmif_pcap2bus and
 * shmif_dumpbus -f do the same with host calls):
 *
 *   attach:   map the file (1 MiB), shmif_bus_attach(), then
 *             shmif_cursor_init(..., SHMIF_START_LAST) and a watch on
 *             the file.
 *   transmit: fill up to N struct shmif_txframe (one shmif_seg per mbuf
 *             of the chain), shmif_bus_send() -- one lock hold -- then
 *             one 4-byte write of SHMIF_WAKEUP_VALUE at SHMIF_WAKEUP_OFF
 *             through the descriptor (or let sho_wakeup do it).
 *   receive:  loop { shmif_cursor_read(sb, sc, rf, N, &n, &idle);
 *             drop frames whose rf_sender is ours, pass the others up;
 *             add the growth of sc_lost to the input-error counter;
 *             if (idle) wait on the watch; }
 */
#ifndef _SHMIF_SHMIF_BUS_H_
#define _SHMIF_SHMIF_BUS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHMIF_MAGIC		0xCA11D054u
#define SHMIF_MAGIC_SWAPPED	0x54D011CAu	/* SHMIF_MAGIC, other byte order */
#define SHMIF_VERSION		3
#define SHMIF_BUSSIZE		(1024u * 1024u)	/* the whole file */
#define SHMIF_HDRSIZE		32u		/* struct shmif_mem */
#define SHMIF_DATASIZE		(SHMIF_BUSSIZE - SHMIF_HDRSIZE)	/* 0xFFFE0 */
#define SHMIF_PKTHDRSIZE	24u		/* struct shmif_pkthdr, v3 */
#define SHMIF_PKTHDRSIZE_V2	12u		/* v2: len, sec, usec */
#define SHMIF_FRAME_MIN		14u		/* an Ethernet header */
#define SHMIF_FRAME_MAX		1514u		/* ETHERMTU + 14, no FCS */
#define SHMIF_LOCK_SPINS	1001		/* failed CAS before backing off */
#define SHMIF_BREAK_BACKOFFS	10	/* back-offs between holder checks */

/*
 * The wakeup: after a batch of frames, a writer writes the 4-byte value
 * SHMIF_WAKEUP_VALUE in host byte order at file offset SHMIF_WAKEUP_OFF
 * (shm_version) through its file descriptor, not through the mapping:
 * only a real write raises the inotify/kqueue event readers sleep on.
 */
#define SHMIF_WAKEUP_OFF	4u
#define SHMIF_WAKEUP_VALUE	((uint32_t)SHMIF_VERSION)

/* Bus header, file offset 0.  Offsets are relative to shm_data. */
struct shmif_mem {
	uint32_t shm_magic;	/* [I] 0: uninitialised, else SHMIF_MAGIC */
	uint32_t shm_version;	/* [I] 3; also the wakeup write target */
	uint64_t shm_gen;	/* [B] times a written record reached the end */
	uint32_t shm_first;	/* [B] oldest intact header; DATASIZE: none lost */
	uint32_t shm_last;	/* [B] header of the newest record */
	union {
		struct {
			uint32_t shm_lock;   /* [a] 0 unlocked, 1 locked */
			uint32_t shm_holder; /* [a] holder id; 0: none/unknown */
		};
		uint64_t shm_lockword;	/* [a] the two as one atomic word */
	};
	uint8_t shm_data[];	/* SHMIF_DATASIZE bytes of ring */
};

/* Record header, v3 layout.  Stored at any byte offset: copy, never cast. */
struct shmif_pkthdr {
	uint32_t sp_len;	/* frame length, no FCS */
	uint32_t sp_sec;	/* sender's timestamp (its uptime) */
	uint32_t sp_usec;
	uint32_t sp_pad;	/* LP64 padding, written as 0 */
	uint64_t sp_sender;	/* random id of the sending interface */
};

_Static_assert(sizeof(struct shmif_mem) == SHMIF_HDRSIZE, "bus header");
_Static_assert(offsetof(struct shmif_mem, shm_gen) == 8, "shm_gen");
_Static_assert(offsetof(struct shmif_mem, shm_lock) == 24, "shm_lock");
_Static_assert(offsetof(struct shmif_mem, shm_holder) == 28, "shm_holder");
_Static_assert(sizeof(struct shmif_pkthdr) == SHMIF_PKTHDRSIZE, "pkthdr");

enum shmif_error {
	SHMIF_OK = 0,
	SHMIF_ETRUNC,		/* buffer or file shorter than a bus */
	SHMIF_ENOTBUS,		/* magic is neither 0 nor SHMIF_MAGIC */
	SHMIF_ESWAPPED,		/* bus of the other byte order (attach only) */
	SHMIF_EVERSION,		/* bus version other than 2 or 3 (view only) */
	SHMIF_EALIGN,		/* mapping not 8-byte aligned */
	SHMIF_EOFFSET,		/* shm_first > DATASIZE or shm_last >= DATASIZE */
	SHMIF_ELENGTH,		/* a record's sp_len is above SHMIF_FRAME_MAX */
	SHMIF_EWALK,		/* the walk did not reach shm_last in one lap */
	SHMIF_EFRAMELEN,	/* frame to send outside 14..1514 bytes */
	SHMIF_ECORRUPT,		/* ring records inconsistent (retire loop bound) */
};

const char *shmif_strerror(int error);

/* ------------------------------------------------------------------ bus */

/*
 * Host operations.  sho_backoff must sleep about 1 ms: it is called after
 * SHMIF_LOCK_SPINS failed attempts to take the bus lock.  sho_wakeup is
 * optional: when set, shmif_bus_send() calls it once after a batch, with
 * the lock released; it must do the wakeup write described above.
 *
 * sho_self and sho_alive are optional and go together.  sho_self returns
 * the id this process records as lock holder: its process id, nonzero.
 * sho_alive tells whether the holder id of another process still names
 * a live process (a zombie counts as gone).  Process ids only mean
 * something inside one pid namespace: every node of a bus must share
 * one, or leave sho_alive unset (its locks are then never broken and it
 * never breaks others').  Without sho_self the holder recorded is 0.
 */
struct shmif_hostops {
	void	(*sho_backoff)(void *arg);
	void	(*sho_wakeup)(void *arg);
	uint32_t (*sho_self)(void *arg);
	bool	(*sho_alive)(void *arg, uint32_t holder);
};

/* A process's handle on an attached bus. */
struct shmif_bus {
	struct shmif_mem *sb_mem;		/* [I] the mapping */
	const struct shmif_hostops *sb_ops;	/* [I] */
	void	*sb_arg;			/* [I] passed to sb_ops */
	uint32_t sb_self;			/* [I] holder id we record */
	uint64_t sb_backoffs;			/* [a] lock backoff sleeps */
	uint64_t sb_corrupt;			/* [a] SHMIF_ECORRUPT events */
	uint64_t sb_breaks;			/* [a] dead holders' locks taken */
};

/*
 * Attach to a mapping of at least SHMIF_BUSSIZE bytes.  A zero magic
 * means a fresh file: under the lock set shm_first = DATASIZE,
 * shm_version = 3 and the magic (shm_last and shm_gen stay 0).  The
 * version of an initialised bus is not checked, as NetBSD does not.
 * => SHMIF_OK, SHMIF_ETRUNC, SHMIF_EALIGN, SHMIF_ESWAPPED or
 *    SHMIF_ENOTBUS (nothing written in the error cases).
 */
int	shmif_bus_attach(struct shmif_bus *sb, void *mem, size_t len,
	    const struct shmif_hostops *ops, void *arg);

/*
 * The bus lock: a CAS (0, any) -> (1, sb_self) on the lock word pair
 * (sequentially consistent, so it is a full barrier).  While the word is
 * taken the waiter spins on plain loads with a CPU pause hint, counting
 * each as a failed attempt; after SHMIF_LOCK_SPINS of them it calls
 * sho_backoff() and starts again.  Every SHMIF_BREAK_BACKOFFS back-offs
 * it checks the recorded holder and breaks the lock of a dead one (see
 * the top of this file), counting it in sb_breaks; otherwise it waits
 * for ever, as NetBSD does.  Never hold it across a blocking call.
 * trylock is a single CAS.  unlock swaps in (0, 0) and returns false if
 * the lock was not taken (somebody broke the protocol).
 */
void	shmif_bus_lock(struct shmif_bus *sb);
bool	shmif_bus_trylock(struct shmif_bus *sb);
bool	shmif_bus_unlock(struct shmif_bus *sb);

/*
 * One attempt to break the lock of a dead holder, as a waiter does:
 * => true if we now hold the lock (it was taken from a holder sho_alive
 *    says is gone; counted in sb_breaks), false otherwise (lock free,
 *    holder 0, ourselves or alive, no sho_alive, or another waiter won).
 */
bool	shmif_bus_trybreak(struct shmif_bus *sb);

/* The lock word and holder as they are now (no lock taken). */
void	shmif_bus_lockstate(const struct shmif_mem *mem, uint32_t *lockp,
	    uint32_t *holderp);

/* ------------------------------------------------------------- writing */

/* One piece of a frame; a frame is the concatenation of its segments. */
struct shmif_seg {
	const void *ss_data;
	uint32_t ss_len;
};

/* A frame to send: gathered from segments (an mbuf chain, say). */
struct shmif_txframe {
	const struct shmif_seg *tf_segs;
	unsigned tf_nsegs;
	uint32_t tf_sec;	/* sender timestamp */
	uint32_t tf_usec;
};

/*
 * Append one frame.  The caller holds the bus lock.  The record header
 * goes at next(shm_last) -- on a fresh bus that steps over the phantom
 * zero-length record at offset 0, so the first header lands at 24 --
 * records whose start is overwritten are retired from shm_first, and
 * shm_gen is incremented once if the record reached the end of the data
 * area.  It is done in two steps so that a writer killed half way leaves
 * a consistent bus: shmif_append_write_locked() puts the record's bytes
 * in the ring (retiring what they cover) and says where it ends in
 * *pendp; shmif_append_publish_locked() then makes it visible by moving
 * shm_last (and shm_gen) to it.  shmif_append_locked() does both.
 * => SHMIF_OK; SHMIF_EFRAMELEN for a frame outside 14..1514 bytes and
 *    SHMIF_ENOTBUS / SHMIF_EOFFSET for a clobbered header (nothing
 *    written); SHMIF_ECORRUPT if retiring old records did not terminate
 *    normally (the frame was written, shm_first may be off a boundary).
 */
int	shmif_append_locked(struct shmif_mem *mem,
	    const struct shmif_txframe *tf, uint64_t sender);

/* A record written but not yet published. */
struct shmif_pending {
	uint32_t pd_hdroff;	/* where its header is */
	bool	pd_wrapped;	/* it reached the end of the data area */
};

int	shmif_append_write_locked(struct shmif_mem *mem,
	    const struct shmif_txframe *tf, uint64_t sender,
	    struct shmif_pending *pendp);
void	shmif_append_publish_locked(struct shmif_mem *mem,
	    const struct shmif_pending *pend);

/*
 * Send a batch: take the lock once, append every frame, release it, then
 * call sho_wakeup once if set and at least one frame was written.
 * Frames outside 14..1514 bytes are skipped (never written) and counted
 * in *nbadp; *nsentp counts frames written.  Either pointer may be NULL.
 * => SHMIF_OK, or the first error other than SHMIF_EFRAMELEN (the batch
 *    stops there).
 */
int	shmif_bus_send(struct shmif_bus *sb, const struct shmif_txframe *tf,
	    unsigned ntf, uint64_t sender, unsigned *nsentp, unsigned *nbadp);

/* ------------------------------------------------------------- reading */

/*
 * A reader's position: the header offset it will read next and the
 * generation that offset belongs to.  Counters are cumulative; a caller
 * learns what happened in a call by comparing them before and after.
 */
struct shmif_cursor {
	uint32_t sc_nextpkt;	/* data offset of the next header */
	uint64_t sc_devgen;	/* generation of sc_nextpkt */
	uint32_t sc_lastseen;	/* shm_last at the end of the last read:
				 * what a futex wait compares against */
	uint32_t sc_avgrec;	/* running mean record size, for estimates */
	uint64_t sc_frames;	/* frames delivered */
	uint64_t sc_resyncs;	/* times lapped by writers (overruns) */
	uint64_t sc_lost;	/* estimated records lost to overruns */
	uint64_t sc_short;	/* records dropped: sp_len < 14 (incl. phantom) */
	uint64_t sc_giant;	/* records dropped: sp_len > 1514 */
};

enum shmif_cursor_start {
	/*
	 * At the record at shm_last, as NetBSD does at attach and at
	 * interface up: that one old record is delivered once.
	 */
	SHMIF_START_LAST,
	/* Caught up: only records written from now on are delivered. */
	SHMIF_START_NEW,
};

/* Position a cursor.  The _locked variant requires the bus lock. */
void	shmif_cursor_init(struct shmif_bus *sb, struct shmif_cursor *sc,
	    enum shmif_cursor_start start);
void	shmif_cursor_init_locked(const struct shmif_mem *mem,
	    struct shmif_cursor *sc, enum shmif_cursor_start start);

/* One received frame.  rf_buf is the caller's, SHMIF_FRAME_MAX bytes. */
struct shmif_rxframe {
	void	*rf_buf;	/* in */
	uint32_t rf_len;	/* out: 14..1514 */
	uint32_t rf_off;	/* out: data offset of the frame bytes */
	uint32_t rf_sec;	/* out: sender timestamp */
	uint32_t rf_usec;
	uint64_t rf_sender;	/* out: sender id; filter your own */
};

/*
 * Read up to nrf frames under one hold of the bus lock: bounded work, a
 * busy writer cannot keep the caller inside.  Records shorter than 14 or
 * longer than 1514 bytes are skipped and counted.  If writers lapped the
 * cursor it resyncs to shm_first, counts the event in sc_resyncs and adds
 * an estimate of the records lost to sc_lost.  *caughtupp (may be NULL)
 * tells, as seen under the lock, whether nothing is left to read: the
 * caller then waits for a wakeup.  No wakeup can be lost in between,
 * because a write after the unlock leaves an event pending.
 * => SHMIF_OK, or SHMIF_ENOTBUS / SHMIF_EOFFSET if the bus header is
 *    clobbered (nothing read, *caughtupp set so the caller sleeps).
 */
int	shmif_cursor_read(struct shmif_bus *sb, struct shmif_cursor *sc,
	    struct shmif_rxframe *rf, unsigned nrf, unsigned *nreadp,
	    bool *caughtupp);
int	shmif_cursor_read_locked(struct shmif_mem *mem,
	    struct shmif_cursor *sc, struct shmif_rxframe *rf, unsigned nrf,
	    unsigned *nreadp, bool *caughtupp);

/* Nothing to read?  The _locked variant requires the bus lock. */
bool	shmif_cursor_caughtup(struct shmif_bus *sb,
	    const struct shmif_cursor *sc);
bool	shmif_cursor_caughtup_locked(const struct shmif_mem *mem,
	    const struct shmif_cursor *sc);

/* ---------------------------------------------------------------- view */

/*
 * Read-only parser for a bus image (a file read into memory), native or
 * byte-swapped, version 2 (12-byte record header, no sender) or 3.  It
 * takes no lock and never writes.  Every offset and length is checked
 * before use: insane values yield an error, never a read outside the
 * buffer, and the walk is bounded to one lap of the ring.
 */
struct shmif_view {
	const uint8_t *sv_data;	/* data area inside the image */
	bool	sv_swapped;	/* image is of the other byte order */
	uint32_t sv_magic;	/* as read, for messages */
	uint32_t sv_version;
	uint32_t sv_pkthdrsize;	/* 24 (v3) or 12 (v2) */
	uint32_t sv_lock;
	uint32_t sv_holder;	/* lock holder id, 0: none recorded */
	uint64_t sv_gen;
	uint32_t sv_first;	/* as stored: DATASIZE means "none lost" */
	uint32_t sv_last;
	size_t	sv_len;		/* image length, for messages */
	/* Walk state. */
	uint32_t sv_cur;	/* next header to read */
	uint64_t sv_walked;	/* bytes consumed, bounded by one lap */
	bool	sv_bonus;	/* shm_last precedes the start: wrap first */
	bool	sv_done;
	int	sv_error;	/* why the walk stopped early, or SHMIF_OK */
	uint32_t sv_erroff;	/* header offset the error was found at */
};

/* One record found by the walk. */
struct shmif_viewpkt {
	uint32_t vp_hdroff;	/* data offset of the record header */
	uint32_t vp_dataoff;	/* data offset of the frame bytes */
	uint32_t vp_len;	/* 1..1514 (zero-length records are skipped) */
	uint32_t vp_sec;
	uint32_t vp_usec;
	uint64_t vp_sender;	/* 0 on a version 2 bus */
};

/*
 * Check the image header and prepare a walk from shm_first (the
 * DATASIZE sentinel reads as 0) to the record at shm_last inclusive.
 * Checks in order: at least 4 bytes (SHMIF_ETRUNC), magic native or
 * swapped (SHMIF_ENOTBUS), a whole header (SHMIF_ETRUNC), version 2 or 3
 * (SHMIF_EVERSION), a whole bus (SHMIF_ETRUNC), offsets in range
 * (SHMIF_EOFFSET).  sv_magic, sv_version and sv_len are set as far as
 * they could be read, for the caller's message.
 */
int	shmif_view_open(struct shmif_view *sv, const void *img, size_t len);

/*
 * Next record in ring order.  => true with *vp filled; false at the end
 * or on an error, with sv_error saying which (SHMIF_ELENGTH for a record
 * above 1514 bytes, SHMIF_EWALK if shm_last was not met within a lap).
 */
bool	shmif_view_next(struct shmif_view *sv, struct shmif_viewpkt *vp);

/* Copy the frame of *vp (vp_len bytes, may straddle the end) to dst. */
void	shmif_view_copy(const struct shmif_view *sv,
	    const struct shmif_viewpkt *vp, void *dst);

#endif /* _SHMIF_SHMIF_BUS_H_ */
