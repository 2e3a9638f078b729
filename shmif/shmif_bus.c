/*
 * shmif_bus.c -- the shmif bus format (see shmif_bus.h for the layout).
 *
 * Ring terms used below (D = SHMIF_DATASIZE, offsets are data offsets):
 *
 *  - advance(off, n): off + n, folded once into [0, D).
 *  - next(off): the offset just past the record whose header is at off:
 *    advance(off, 24 + sp_len).  next(D) reads the header at 0, so the
 *    shm_first sentinel D behaves like offset 0.
 *  - A ring read or write of len bytes at off copies min(len, D - off)
 *    bytes there and the rest at 0.  It reports "wrapped" when the first
 *    part ends exactly at D, even if no second part was needed; the
 *    returned offset is then the length of the second part.
 *
 * Writers (one record per frame, bus lock held):
 *    off = next(shm_last); write header and frame at off; then publish:
 *    shm_last = off, and shm_gen += 1 if any part of that write wrapped.
 * (NetBSD moves shm_last first; publishing last is invisible to anyone
 * who takes the lock, and leaves the ring intact for a breaker if the
 * writer is killed half way.)
 * Before each part of a write covering [off, off + len) is copied, the
 * records it overwrites are retired: while off <= shm_first + 24 and
 * off + len > shm_first, shm_first = next(shm_first).  When the part ends
 * exactly at D the range is one byte longer; that is what moves shm_first
 * off the sentinel D the first time the ring fills.  Keeping these rules
 * exactly is what makes shm_first land on the same header boundaries as
 * every other implementation's, which readers depend on.
 *
 * Invariants of a sane bus (every writer keeps them; readers and the
 * view check them rather than trust them, since the mapping is shared
 * with any process that can open the file):
 *    shm_first <= D, shm_last < D, every sp_len <= 1514;
 *    the records from shm_first to shm_last are intact, in ring order;
 *    next(shm_last) is in generation shm_gen: the end of the newest record
 *    is where the shm_gen-th wrap left the writers.
 */
#include <string.h>

#include "shmif/shmif_bus.h"

#define D		SHMIF_DATASIZE
#define PKTHDR		SHMIF_PKTHDRSIZE

/*
 * Upper bound on records one retirement may step over.  A part of a
 * write is at most 1514 bytes and each record is at least 24 bytes long,
 * so a sane ring needs about 65 steps; a clobbered one (say sp_len =
 * D - 24, which leads next() back to where it started) would loop for
 * ever without a bound.
 */
#define RETIRE_MAX	(D / PKTHDR + 2)

/*
 * Records one shmif_cursor_read() may step over (short, giant, resync)
 * beyond the frames it delivers, so the lock is held for bounded time
 * even on a bus full of phantom records.
 */
#define SKIP_MAX	64

/*
 * Records sampled at shm_first to estimate the size of lost ones: a
 * bounded walk (about 64 header copies), done only on a resync.
 */
#define LOSS_SAMPLE	64

static const char *const shmif_errstr[] = {
	[SHMIF_OK] = "no error",
	[SHMIF_ETRUNC] = "truncated bus file",
	[SHMIF_ENOTBUS] = "not a shmif bus",
	[SHMIF_ESWAPPED] = "bus of the other byte order",
	[SHMIF_EVERSION] = "unhandled bus version",
	[SHMIF_EALIGN] = "bus mapping not aligned",
	[SHMIF_EOFFSET] = "bus header offsets beyond the data area",
	[SHMIF_ELENGTH] = "record length above 1514 bytes",
	[SHMIF_EWALK] = "records do not lead to the last packet",
	[SHMIF_EFRAMELEN] = "frame length outside 14..1514 bytes",
	[SHMIF_ECORRUPT] = "inconsistent records in the ring",
};

const char *
shmif_strerror(int error)
{
	if (error < 0 ||
	    (size_t)error >= sizeof(shmif_errstr) / sizeof(shmif_errstr[0]))
		return "unknown shmif error";
	return shmif_errstr[error];
}

/* ------------------------------------------------------------ ring core */

static uint32_t
shmif_advance(uint32_t off, uint64_t n)
{
	uint64_t v = (uint64_t)off + n;

	/* One subtraction for sane lengths; modulo keeps garbage in range. */
	if (v >= D)
		v -= D;
	if (v >= D)
		v %= D;
	return (uint32_t)v;
}

/*
 * Ring read of len bytes at off into dst (dst may be NULL to only
 * compute the new offset).  Requires off <= D and len <= D.
 */
static uint32_t
shmif_ring_read(const uint8_t *data, uint32_t off, void *dst, uint32_t len,
    bool *wrappedp)
{
	uint32_t chunk = len < D - off ? len : D - off;

	if (dst != NULL)
		memcpy(dst, data + off, chunk);
	if (off + chunk != D) {
		*wrappedp = false;
		return off + chunk;
	}
	*wrappedp = true;
	if (dst != NULL)
		memcpy((uint8_t *)dst + chunk, data, len - chunk);
	return len - chunk;
}

/* next(off) on a native bus.  Requires off <= D. */
static uint32_t
shmif_nextpkt(const struct shmif_mem *mem, uint32_t off)
{
	struct shmif_pkthdr sp;
	bool wrapped;

	shmif_ring_read(mem->shm_data, off, &sp, PKTHDR, &wrapped);
	return shmif_advance(off, (uint64_t)PKTHDR + sp.sp_len);
}

static bool
shmif_offsets_sane(const struct shmif_mem *mem)
{
	return mem->shm_first <= D && mem->shm_last < D;
}

/* ---------------------------------------------------------------- lock */

static uint32_t
shmif_load_magic(const struct shmif_mem *mem)
{
	return __atomic_load_n(&mem->shm_magic, __ATOMIC_SEQ_CST);
}

/* A spin-wait hint to the CPU; nothing where there is none. */
#if defined(__x86_64__) || defined(__i386__)
#define SHMIF_CPU_RELAX()	__builtin_ia32_pause()
#elif defined(__aarch64__)
#define SHMIF_CPU_RELAX()	__asm__ __volatile__("yield" ::: "memory")
#else
#define SHMIF_CPU_RELAX()	do { } while (0)
#endif

/*
 * The lock word pair as one 64-bit value, built through the union so that
 * the 32-bit halves land where struct shmif_mem has them in either byte
 * order.
 */
static uint64_t
shmif_lockpair(uint32_t lock, uint32_t holder)
{
	union {
		struct {
			uint32_t l, h;
		} s;
		uint64_t w;
	} u = { .s = { lock, holder } };

	return u.w;
}

static void
shmif_lockpair_split(uint64_t w, uint32_t *lockp, uint32_t *holderp)
{
	union {
		struct {
			uint32_t l, h;
		} s;
		uint64_t w;
	} u = { .w = w };

	*lockp = u.s.l;
	*holderp = u.s.h;
}

void
shmif_bus_lockstate(const struct shmif_mem *mem, uint32_t *lockp,
    uint32_t *holderp)
{
	shmif_lockpair_split(__atomic_load_n(&mem->shm_lockword,
	    __ATOMIC_SEQ_CST), lockp, holderp);
}

bool
shmif_bus_trylock(struct shmif_bus *sb)
{
	uint64_t expect, want = shmif_lockpair(1, sb->sb_self);
	uint32_t lock, holder;

	expect = __atomic_load_n(&sb->sb_mem->shm_lockword, __ATOMIC_RELAXED);
	shmif_lockpair_split(expect, &lock, &holder);
	if (lock != 0)
		return false;
	/* Free: whatever holder word a 32-bit (NetBSD) release left. */
	return __atomic_compare_exchange_n(&sb->sb_mem->shm_lockword, &expect,
	    want, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool
shmif_bus_trybreak(struct shmif_bus *sb)
{
	const struct shmif_hostops *ops = sb->sb_ops;
	uint64_t expect;
	uint32_t lock, holder;

	if (ops->sho_alive == NULL)
		return false;
	expect = __atomic_load_n(&sb->sb_mem->shm_lockword, __ATOMIC_SEQ_CST);
	shmif_lockpair_split(expect, &lock, &holder);
	if (lock != 1 || holder == 0 || holder == sb->sb_self)
		return false;
	if (ops->sho_alive(sb->sb_arg, holder))
		return false;
	/*
	 * Take it over rather than release it: of all the waiters that
	 * found the same dead holder exactly one CAS succeeds, and nobody
	 * can slip in between a release and a retake.
	 */
	if (!__atomic_compare_exchange_n(&sb->sb_mem->shm_lockword, &expect,
	    shmif_lockpair(1, sb->sb_self), false, __ATOMIC_SEQ_CST,
	    __ATOMIC_SEQ_CST))
		return false;
	__atomic_fetch_add(&sb->sb_breaks, 1, __ATOMIC_RELAXED);
	return true;
}

void
shmif_bus_lock(struct shmif_bus *sb)
{
	unsigned backoffs = 0;
	int spins = 0;

	while (!shmif_bus_trylock(sb)) {
		/*
		 * Wait for the word to read 0 before the next CAS: plain
		 * loads leave the cache line shared, so the holder's
		 * stores and its release are not slowed by our CAS.
		 */
		while (__atomic_load_n(&sb->sb_mem->shm_lock,
		    __ATOMIC_RELAXED) != 0 && ++spins <= SHMIF_LOCK_SPINS)
			SHMIF_CPU_RELAX();
		if (spins <= SHMIF_LOCK_SPINS)
			continue;
		/*
		 * The holder may be descheduled; spinning on would only
		 * burn its CPU.  Now and then check that it still exists:
		 * a holder killed inside its critical section would wedge
		 * the bus for ever.
		 */
		__atomic_fetch_add(&sb->sb_backoffs, 1, __ATOMIC_RELAXED);
		if (++backoffs % SHMIF_BREAK_BACKOFFS == 0 &&
		    shmif_bus_trybreak(sb))
			return;
		sb->sb_ops->sho_backoff(sb->sb_arg);
		spins = 0;
	}
}

bool
shmif_bus_unlock(struct shmif_bus *sb)
{
	uint64_t old;
	uint32_t lock, holder;

	old = __atomic_exchange_n(&sb->sb_mem->shm_lockword,
	    shmif_lockpair(0, 0), __ATOMIC_SEQ_CST);
	shmif_lockpair_split(old, &lock, &holder);
	return lock == 1;
}

/* -------------------------------------------------------------- attach */

int
shmif_bus_attach(struct shmif_bus *sb, void *mem, size_t len,
    const struct shmif_hostops *ops, void *arg)
{
	struct shmif_mem *bm = mem;
	uint32_t magic;

	if (len < SHMIF_BUSSIZE)
		return SHMIF_ETRUNC;
	/* The lock word and shm_gen are accessed atomically. */
	if (((uintptr_t)mem & 7) != 0)
		return SHMIF_EALIGN;
	magic = shmif_load_magic(bm);
	if (magic == SHMIF_MAGIC_SWAPPED)
		return SHMIF_ESWAPPED;
	if (magic != 0 && magic != SHMIF_MAGIC)
		return SHMIF_ENOTBUS;

	sb->sb_mem = bm;
	sb->sb_ops = ops;
	sb->sb_arg = arg;
	sb->sb_self = ops->sho_self != NULL ? ops->sho_self(arg) : 0;
	sb->sb_backoffs = 0;
	sb->sb_corrupt = 0;
	sb->sb_breaks = 0;
	if (magic != 0)
		return SHMIF_OK;

	/* First user: initialise under the lock; a racing attacher waits. */
	shmif_bus_lock(sb);
	if (bm->shm_magic == 0) {
		bm->shm_first = D;
		/*
		 * NetBSD leaves shm_version 0 until the first wakeup write;
		 * setting it now lets dumpbus read a bus nobody sent on.
		 */
		bm->shm_version = SHMIF_VERSION;
		__atomic_store_n(&bm->shm_magic, SHMIF_MAGIC, __ATOMIC_SEQ_CST);
	}
	shmif_bus_unlock(sb);
	return SHMIF_OK;
}

/* ------------------------------------------------------------- writing */

/*
 * Retire the records whose header lies where [off, off + len) is about
 * to be written (see the top of the file for the rule and its "+24").
 * => false if the loop hit its bound: the ring is clobbered.
 */
static bool
shmif_retire(struct shmif_mem *mem, uint32_t off, uint32_t len)
{
	uint64_t first;
	uint32_t n;

	for (n = 0; n < RETIRE_MAX; n++) {
		first = mem->shm_first;
		if (!((uint64_t)off <= first + PKTHDR &&
		    (uint64_t)off + len > first))
			return true;
		mem->shm_first = shmif_nextpkt(mem, (uint32_t)first);
	}
	return false;
}

/*
 * Ring write of len bytes (len <= D) at off < D, retiring old records
 * first.  *okp is cleared if a retirement hit its bound.
 */
static uint32_t
shmif_ring_write(struct shmif_mem *mem, uint32_t off, const void *src,
    uint32_t len, bool *wrappedp, bool *okp)
{
	uint32_t chunk = len < D - off ? len : D - off;
	bool ends = off + chunk == D;

	/* A part ending exactly at the end retires one byte further. */
	if (!shmif_retire(mem, off, chunk + (ends ? 1 : 0)))
		*okp = false;
	memcpy(mem->shm_data + off, src, chunk);
	if (!ends) {
		*wrappedp = false;
		return off + chunk;
	}
	*wrappedp = true;
	if (!shmif_retire(mem, 0, len - chunk))
		*okp = false;
	memcpy(mem->shm_data, (const uint8_t *)src + chunk, len - chunk);
	return len - chunk;
}

static uint32_t
shmif_txframe_len(const struct shmif_txframe *tf)
{
	uint64_t total = 0;
	unsigned i;

	for (i = 0; i < tf->tf_nsegs; i++) {
		total += tf->tf_segs[i].ss_len;
		if (total > SHMIF_FRAME_MAX)
			return UINT32_MAX;
	}
	return (uint32_t)total;
}

int
shmif_append_write_locked(struct shmif_mem *mem,
    const struct shmif_txframe *tf, uint64_t sender,
    struct shmif_pending *pendp)
{
	struct shmif_pkthdr sp;
	uint32_t len, off;
	bool wrapped, anywrap, ok;
	unsigned i;

	len = shmif_txframe_len(tf);
	if (len < SHMIF_FRAME_MIN || len > SHMIF_FRAME_MAX)
		return SHMIF_EFRAMELEN;
	if (mem->shm_magic != SHMIF_MAGIC)
		return SHMIF_ENOTBUS;
	if (!shmif_offsets_sane(mem))
		return SHMIF_EOFFSET;

	/*
	 * Step past the newest record, even on a fresh bus where it is the
	 * phantom zero-length record at 0: the first header goes at 24.
	 */
	off = shmif_nextpkt(mem, mem->shm_last);
	pendp->pd_hdroff = off;

	memset(&sp, 0, sizeof(sp));
	sp.sp_len = len;
	sp.sp_sec = tf->tf_sec;
	sp.sp_usec = tf->tf_usec;
	sp.sp_sender = sender;
	ok = true;
	off = shmif_ring_write(mem, off, &sp, PKTHDR, &anywrap, &ok);
	for (i = 0; i < tf->tf_nsegs; i++) {
		off = shmif_ring_write(mem, off, tf->tf_segs[i].ss_data,
		    tf->tf_segs[i].ss_len, &wrapped, &ok);
		anywrap |= wrapped;
	}
	pendp->pd_wrapped = anywrap;
	return ok ? SHMIF_OK : SHMIF_ECORRUPT;
}

void
shmif_append_publish_locked(struct shmif_mem *mem,
    const struct shmif_pending *pend)
{
	/*
	 * The record is whole: make it the newest.  One generation per
	 * record that reached the end, however split.  Anyone who breaks
	 * the lock of a writer killed before this point finds the old,
	 * intact shm_last and shm_gen.
	 */
	mem->shm_last = pend->pd_hdroff;
	if (pend->pd_wrapped)
		mem->shm_gen++;
}

int
shmif_append_locked(struct shmif_mem *mem, const struct shmif_txframe *tf,
    uint64_t sender)
{
	struct shmif_pending pend;
	int error;

	error = shmif_append_write_locked(mem, tf, sender, &pend);
	if (error != SHMIF_OK && error != SHMIF_ECORRUPT)
		return error;
	shmif_append_publish_locked(mem, &pend);
	return error;
}

int
shmif_bus_send(struct shmif_bus *sb, const struct shmif_txframe *tf,
    unsigned ntf, uint64_t sender, unsigned *nsentp, unsigned *nbadp)
{
	unsigned i, nsent = 0, nbad = 0;
	int error = SHMIF_OK, rv;

	shmif_bus_lock(sb);
	for (i = 0; i < ntf; i++) {
		rv = shmif_append_locked(sb->sb_mem, &tf[i], sender);
		if (rv == SHMIF_EFRAMELEN) {
			nbad++;
			continue;
		}
		if (rv == SHMIF_ECORRUPT) {
			/* Written, but the ring needs attention: report. */
			__atomic_fetch_add(&sb->sb_corrupt, 1,
			    __ATOMIC_RELAXED);
			nsent++;
			if (error == SHMIF_OK)
				error = rv;
			continue;
		}
		if (rv != SHMIF_OK) {
			error = rv;
			break;
		}
		nsent++;
	}
	shmif_bus_unlock(sb);

	if (nsent > 0 && sb->sb_ops->sho_wakeup != NULL)
		sb->sb_ops->sho_wakeup(sb->sb_arg);
	if (nsentp != NULL)
		*nsentp = nsent;
	if (nbadp != NULL)
		*nbadp = nbad;
	return error;
}

/* ------------------------------------------------------------- reading */

/*
 * Generation of the header offset of a live record (or of shm_first):
 * records before end = next(shm_last) belong to shm_gen, those at or
 * after it were written before the last wrap.  A record starting exactly
 * at end is the oldest of a full lap, and the sentinel D reads as offset
 * 0 of the next generation, so both count as shm_gen - 1.  (NetBSD
 * compares with shm_last instead of end; the two agree except when the
 * record at shm_last straddles the end of the area, where NetBSD's
 * cursor lands one generation ahead and resyncs again and again until
 * the next write.)
 */
static uint64_t
shmif_gen_of(const struct shmif_mem *mem, uint32_t off, uint32_t end)
{
	return off >= end ? mem->shm_gen - 1 : mem->shm_gen;
}

void
shmif_cursor_init_locked(const struct shmif_mem *mem, struct shmif_cursor *sc,
    enum shmif_cursor_start start)
{
	uint32_t end;

	memset(sc, 0, sizeof(*sc));
	if (!shmif_offsets_sane(mem))
		return;		/* shmif_cursor_read() reports it */
	end = shmif_nextpkt(mem, mem->shm_last);
	if (start == SHMIF_START_NEW) {
		sc->sc_nextpkt = end;
		sc->sc_devgen = mem->shm_gen;
	} else {
		sc->sc_nextpkt = mem->shm_last;
		sc->sc_devgen = shmif_gen_of(mem, mem->shm_last, end);
	}
}

void
shmif_cursor_init(struct shmif_bus *sb, struct shmif_cursor *sc,
    enum shmif_cursor_start start)
{
	shmif_bus_lock(sb);
	shmif_cursor_init_locked(sb->sb_mem, sc, start);
	shmif_bus_unlock(sb);
}

bool
shmif_cursor_caughtup_locked(const struct shmif_mem *mem,
    const struct shmif_cursor *sc)
{
	if (!shmif_offsets_sane(mem))
		return true;	/* nothing can be read; sleep */
	return sc->sc_devgen == mem->shm_gen &&
	    shmif_nextpkt(mem, mem->shm_last) == sc->sc_nextpkt;
}

bool
shmif_cursor_caughtup(struct shmif_bus *sb, const struct shmif_cursor *sc)
{
	bool rv;

	shmif_bus_lock(sb);
	rv = shmif_cursor_caughtup_locked(sb->sb_mem, sc);
	shmif_bus_unlock(sb);
	return rv;
}

/*
 * Is the cursor still inside the live records?  The live records run
 * from shm_first to end = next(shm_last).  When they wrap around the end
 * of the area (shm_first >= end), positions are unrolled by D so that
 * one comparison works: a cursor in generation shm_gen sits after the
 * wrap, one in shm_gen - 1 before it.  Any other generation, or a
 * previous generation while the live records do not wrap, means writers
 * lapped the cursor.
 */
static bool
shmif_cursor_valid(const struct shmif_mem *mem, const struct shmif_cursor *sc,
    uint32_t end)
{
	uint64_t gendiff = mem->shm_gen - sc->sc_devgen;
	uint64_t e = end, pos = sc->sc_nextpkt;

	if (gendiff > 1 || sc->sc_nextpkt > D)
		return false;
	if (mem->shm_first >= end) {
		e += D;
		if (gendiff == 0)
			pos += D;
	} else if (gendiff != 0)
		return false;
	return mem->shm_first <= pos && pos <= e;
}

/*
 * Mean record size (header included) of up to LOSS_SAMPLE records from
 * shm_first: the oldest survivors, written just after the records being
 * skipped, so the best guess at their sizes.  0 if none is readable.
 */
static uint32_t
shmif_sample_recsize(const struct shmif_mem *mem, uint32_t end)
{
	struct shmif_pkthdr sp;
	uint64_t bytes = 0;
	uint32_t off = mem->shm_first, n;
	bool wrapped;

	/* shm_first == end is a full ring, not an empty one. */
	for (n = 0; n < LOSS_SAMPLE && (n == 0 || off != end); n++) {
		shmif_ring_read(mem->shm_data, off, &sp, PKTHDR, &wrapped);
		if (sp.sp_len > SHMIF_FRAME_MAX)
			break;
		bytes += PKTHDR + sp.sp_len;
		off = shmif_advance(off, (uint64_t)PKTHDR + sp.sp_len);
	}
	return n > 0 ? (uint32_t)(bytes / n) : 0;
}

/*
 * Estimate how many records a resync skips: the bytes between the
 * cursor and shm_first (both made absolute with their generations; an
 * exact count) divided by a mean record size (an estimate: sampled at
 * shm_first, else this cursor's running mean).  At least one record is
 * lost, since the cursor's own record was overwritten.
 */
static uint64_t
shmif_lost_estimate(const struct shmif_mem *mem, const struct shmif_cursor *sc,
    uint32_t end)
{
	uint64_t from, to, rec;

	from = sc->sc_devgen * (uint64_t)D + sc->sc_nextpkt;
	to = shmif_gen_of(mem, mem->shm_first, end) * (uint64_t)D +
	    mem->shm_first;
	if (to <= from)
		return 0;	/* cursor ahead: not a loss (clobbered bus) */
	rec = shmif_sample_recsize(mem, end);
	if (rec == 0)
		rec = sc->sc_avgrec;
	if (rec == 0)
		rec = PKTHDR + SHMIF_FRAME_MAX;
	return (to - from + rec - 1) / rec;
}

static void
shmif_cursor_resync(const struct shmif_mem *mem, struct shmif_cursor *sc,
    uint32_t end)
{
	sc->sc_resyncs++;
	sc->sc_lost += shmif_lost_estimate(mem, sc, end);
	sc->sc_nextpkt = mem->shm_first;
	sc->sc_devgen = shmif_gen_of(mem, mem->shm_first, end);
}

/* Exponential mean (1/8 weight) of record sizes; first sample as is. */
static void
shmif_cursor_sample(struct shmif_cursor *sc, uint32_t reclen)
{
	if (sc->sc_avgrec == 0)
		sc->sc_avgrec = reclen;
	else
		sc->sc_avgrec = (uint32_t)(((uint64_t)sc->sc_avgrec * 7 +
		    reclen) / 8);
}

/*
 * Read the record at the cursor.  => true if *rf was filled; false if the
 * record was dropped (short or giant).  The frame is copied only if its
 * length is sane; a giant is stepped over by its stated length, modulo
 * the area as next() does, so readers and writers agree on where the
 * following record starts; the validity check catches a garbage position.
 */
static bool
shmif_cursor_take(const struct shmif_mem *mem, struct shmif_cursor *sc,
    struct shmif_rxframe *rf)
{
	struct shmif_pkthdr sp;
	uint32_t off, dataoff;
	uint64_t v;
	bool w1, w2;

	dataoff = shmif_ring_read(mem->shm_data, sc->sc_nextpkt, &sp, PKTHDR,
	    &w1);
	if (sp.sp_len <= SHMIF_FRAME_MAX) {
		off = shmif_ring_read(mem->shm_data, dataoff,
		    sp.sp_len >= SHMIF_FRAME_MIN ? rf->rf_buf : NULL,
		    sp.sp_len, &w2);
	} else {
		/*
		 * A length no write could have produced (over half the
		 * area) wrapped no writer: only next()'s arithmetic.
		 */
		v = (uint64_t)dataoff + sp.sp_len;
		w2 = sp.sp_len <= D / 2 && v >= D;
		off = (uint32_t)(v % D);
	}
	sc->sc_nextpkt = off;
	if (w1 || w2)
		sc->sc_devgen++;

	if (sp.sp_len < SHMIF_FRAME_MIN) {
		sc->sc_short++;
		return false;
	}
	if (sp.sp_len > SHMIF_FRAME_MAX) {
		sc->sc_giant++;
		return false;
	}
	shmif_cursor_sample(sc, PKTHDR + sp.sp_len);
	rf->rf_len = sp.sp_len;
	rf->rf_off = dataoff;
	rf->rf_sec = sp.sp_sec;
	rf->rf_usec = sp.sp_usec;
	rf->rf_sender = sp.sp_sender;
	sc->sc_frames++;
	return true;
}

int
shmif_cursor_read_locked(struct shmif_mem *mem, struct shmif_cursor *sc,
    struct shmif_rxframe *rf, unsigned nrf, unsigned *nreadp,
    bool *caughtupp)
{
	unsigned nread = 0, skipped = 0;
	bool caughtup = false;
	uint32_t end;
	int error = SHMIF_OK;

	if (mem->shm_magic != SHMIF_MAGIC)
		error = SHMIF_ENOTBUS;
	else if (!shmif_offsets_sane(mem))
		error = SHMIF_EOFFSET;
	if (error != SHMIF_OK) {
		caughtup = true;
		goto out;
	}

	/* shm_last and shm_first cannot move while we hold the lock. */
	end = shmif_nextpkt(mem, mem->shm_last);
	while (nread < nrf && skipped <= SKIP_MAX) {
		if (sc->sc_devgen == mem->shm_gen && sc->sc_nextpkt == end) {
			caughtup = true;
			break;
		}
		if (!shmif_cursor_valid(mem, sc, end)) {
			shmif_cursor_resync(mem, sc, end);
			skipped++;
			continue;
		}
		if (shmif_cursor_take(mem, sc, &rf[nread]))
			nread++;
		else
			skipped++;
	}
	if (!caughtup)
		caughtup = sc->sc_devgen == mem->shm_gen &&
		    sc->sc_nextpkt == end;
out:
	sc->sc_lastseen = mem->shm_last;
	if (nreadp != NULL)
		*nreadp = nread;
	if (caughtupp != NULL)
		*caughtupp = caughtup;
	return error;
}

int
shmif_cursor_read(struct shmif_bus *sb, struct shmif_cursor *sc,
    struct shmif_rxframe *rf, unsigned nrf, unsigned *nreadp,
    bool *caughtupp)
{
	int error;

	shmif_bus_lock(sb);
	error = shmif_cursor_read_locked(sb->sb_mem, sc, rf, nrf, nreadp,
	    caughtupp);
	shmif_bus_unlock(sb);
	return error;
}

/* ---------------------------------------------------------------- view */

static uint32_t
shmif_bswap32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static uint32_t
shmif_view_u32(const struct shmif_view *sv, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return sv->sv_swapped ? shmif_bswap32(v) : v;
}

static uint64_t
shmif_view_u64(const struct shmif_view *sv, const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return sv->sv_swapped ? __builtin_bswap64(v) : v;
}

int
shmif_view_open(struct shmif_view *sv, const void *img, size_t len)
{
	const uint8_t *p = img;
	uint32_t magic;

	memset(sv, 0, sizeof(*sv));
	sv->sv_len = len;
	if (len < sizeof(uint32_t))
		return SHMIF_ETRUNC;
	memcpy(&magic, p, sizeof(magic));
	sv->sv_magic = magic;
	if (magic == SHMIF_MAGIC_SWAPPED)
		sv->sv_swapped = true;
	else if (magic != SHMIF_MAGIC)
		return SHMIF_ENOTBUS;
	if (len < SHMIF_HDRSIZE)
		return SHMIF_ETRUNC;

	sv->sv_version = shmif_view_u32(sv, p + 4);
	sv->sv_gen = shmif_view_u64(sv, p + 8);
	sv->sv_first = shmif_view_u32(sv, p + 16);
	sv->sv_last = shmif_view_u32(sv, p + 20);
	sv->sv_lock = shmif_view_u32(sv, p + 24);
	sv->sv_holder = shmif_view_u32(sv, p + 28);
	if (sv->sv_version == 3)
		sv->sv_pkthdrsize = SHMIF_PKTHDRSIZE;
	else if (sv->sv_version == 2)
		sv->sv_pkthdrsize = SHMIF_PKTHDRSIZE_V2;
	else
		return SHMIF_EVERSION;
	if (len < SHMIF_BUSSIZE)
		return SHMIF_ETRUNC;
	if (sv->sv_first > D || sv->sv_last >= D)
		return SHMIF_EOFFSET;

	sv->sv_data = p + SHMIF_HDRSIZE;
	sv->sv_cur = sv->sv_first == D ? 0 : sv->sv_first;
	/* shm_last before the start: walk to the end of the area first. */
	sv->sv_bonus = sv->sv_last < sv->sv_cur;
	return SHMIF_OK;
}

static bool
shmif_view_fail(struct shmif_view *sv, int error, uint32_t off)
{
	sv->sv_error = error;
	sv->sv_erroff = off;
	sv->sv_done = true;
	return false;
}

/*
 * The walk of shmif_dumpbus: from the start, while the current offset
 * is not past shm_last or a wrap is still owed, read a header; skip
 * zero-length records; report the others.  It also stops right after the
 * record at shm_last: NetBSD's rule alone would carry on from the wrapped
 * tail when that record straddles the end, and round the ring again.
 */
bool
shmif_view_next(struct shmif_view *sv, struct shmif_viewpkt *vp)
{
	uint8_t hdr[SHMIF_PKTHDRSIZE];
	uint32_t hdroff, len;
	bool wrapped;

	while (!sv->sv_done) {
		if (!(sv->sv_cur <= sv->sv_last || sv->sv_bonus)) {
			sv->sv_done = true;
			break;
		}
		/* A sane walk covers at most the ring plus the last record. */
		if (sv->sv_walked > (uint64_t)D + PKTHDR + SHMIF_FRAME_MAX)
			return shmif_view_fail(sv, SHMIF_EWALK, sv->sv_cur);

		hdroff = sv->sv_cur;
		sv->sv_cur = shmif_ring_read(sv->sv_data, hdroff, hdr,
		    sv->sv_pkthdrsize, &wrapped);
		sv->sv_walked += sv->sv_pkthdrsize;
		if (wrapped)
			sv->sv_bonus = false;
		len = shmif_view_u32(sv, hdr);
		if (len == 0) {
			if (hdroff == sv->sv_last)
				sv->sv_done = true;
			continue;
		}
		if (len > SHMIF_FRAME_MAX)
			return shmif_view_fail(sv, SHMIF_ELENGTH, hdroff);

		vp->vp_hdroff = hdroff;
		vp->vp_dataoff = sv->sv_cur;
		vp->vp_len = len;
		vp->vp_sec = shmif_view_u32(sv, hdr + 4);
		vp->vp_usec = shmif_view_u32(sv, hdr + 8);
		vp->vp_sender = sv->sv_pkthdrsize == SHMIF_PKTHDRSIZE ?
		    shmif_view_u64(sv, hdr + 16) : 0;
		sv->sv_cur = shmif_ring_read(sv->sv_data, sv->sv_cur, NULL,
		    len, &wrapped);
		sv->sv_walked += len;
		if (wrapped)
			sv->sv_bonus = false;
		if (hdroff == sv->sv_last)
			sv->sv_done = true;
		return true;
	}
	return false;
}

void
shmif_view_copy(const struct shmif_view *sv, const struct shmif_viewpkt *vp,
    void *dst)
{
	bool wrapped;

	if (vp->vp_dataoff >= D || vp->vp_len > SHMIF_FRAME_MAX)
		return;		/* not from shmif_view_next() */
	shmif_ring_read(sv->sv_data, vp->vp_dataoff, dst, vp->vp_len,
	    &wrapped);
}
