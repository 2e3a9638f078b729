/*
 * if_impair.c -- the per-interface impairment stage (see if_impair.h
 * for the knobs, the order of the decisions and the random sequence).
 *
 * Invariants (kernel lock held throughout):
 *  - a frame in the delay line or held for reordering is finished (no
 *    M_CSUM_* work left) and owned by the stage until it is sent or
 *    freed;
 *  - deadlines in the delay line never decrease from head to tail, so
 *    the line is FIFO and its callout is armed at the head's deadline
 *    whenever the line is not empty;
 *  - the hold callout is armed exactly when a frame is held.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/callout.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_impair.h"
#include "netstack/net/ether_sw_offload.h"

enum impair_stat {
	IMS_FRAMES,		/* wire frames offered to the stage */
	IMS_LOST,		/* dropped by the loss knob */
	IMS_DUPLICATED,		/* copies made by the dup knob */
	IMS_CORRUPTED,		/* frames with a byte changed */
	IMS_DELAYED,		/* frames that went through the delay line */
	IMS_REORDERED,		/* held frames sent after their successor */
	IMS_QDROPS,		/* dropped: delay line full, no memory */
	IMS_FINISHED,		/* packets whose offload work was done here */
	IMS_SENT,		/* frames handed to the driver */
	IMS_NSTATS
};

static const char *const impair_statnames[IMS_NSTATS] = {
	"frames", "lost", "duplicated", "corrupted", "delayed", "reordered",
	"qdrops", "finished", "sent",
};

/* The knobs, as the sysctl nodes store them. */
struct impair_knobs {
	int32_t		ik_loss;	/* percent */
	int32_t		ik_dup;		/* percent */
	int32_t		ik_reorder;	/* percent */
	int32_t		ik_corrupt;	/* percent */
	int32_t		ik_delay;	/* ms */
	int32_t		ik_jitter;	/* ms */
	int32_t		ik_limit;	/* frames in the delay line */
	int32_t		ik_seed;	/* 0: random */
};

/* One frame in the delay line. */
struct impair_delayed {
	struct impair_delayed	*id_next;
	struct mbuf		*id_m;
	uint64_t		 id_when;	/* netstack time to send */
};

struct if_impair {
	struct ifnet		*im_ifp;	/* [I] */
	struct impair_knobs	 im_k;		/* [K] sysctl */
	uint64_t		 im_rng;	/* [K] splitmix64 state */
	int32_t			 im_rngseed;	/* [K] seed knob at start */
	bool			 im_on;		/* [K] knobs were non-zero */
	struct impair_delayed	*im_head;	/* [K] delay line */
	struct impair_delayed	*im_tail;	/* [K] */
	unsigned		 im_qlen;	/* [K] */
	uint64_t		 im_last;	/* [K] tail's deadline */
	struct callout		 im_delay_co;	/* [K] */
	struct mbuf		*im_held;	/* [K] held for reordering */
	struct callout		 im_hold_co;	/* [K] */
	/* Offload state for a driver that has none of its own. */
	struct ether_offload	 im_offload;	/* [K] */
	uint64_t		 im_stats[IMS_NSTATS]; /* [K] */
};

/* -------------------------------------------------------- randomness */

/* splitmix64: one 64-bit output per call, every seed a full period. */
static uint64_t
impair_rand(struct if_impair *im)
{
	uint64_t z = (im->im_rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform value in [0, n), n > 0 (multiply-shift, no modulo bias
 * worth measuring for n <= 2^32). */
static uint32_t
impair_below(struct if_impair *im, uint32_t n)
{
	return (uint32_t)(((impair_rand(im) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability pct percent; draws only if 0 < pct < 100, so
 * knobs at 0 or 100 do not move the sequence. */
static bool
impair_chance(struct if_impair *im, int32_t pct)
{
	if (pct <= 0)
		return false;
	if (pct >= 100)
		return true;
	return impair_below(im, 100) < (uint32_t)pct;
}

static void
impair_rng_start(struct if_impair *im)
{
	uint32_t seed = (uint32_t)im->im_k.ik_seed;

	if (seed == 0)
		seed = cprng_u32();
	im->im_rng = seed;
	im->im_rngseed = im->im_k.ik_seed;
}

static bool
impair_knobs_on(const struct impair_knobs *k)
{
	return k->ik_loss != 0 || k->ik_dup != 0 || k->ik_reorder != 0 ||
	    k->ik_corrupt != 0 || k->ik_delay != 0 || k->ik_jitter != 0;
}

/* ------------------------------------------------------ the last stage */

static int
impair_send(struct if_impair *im, struct mbuf *m)
{
	struct ifnet *ifp = im->im_ifp;

	im->im_stats[IMS_SENT]++;
	return (*ifp->if_transmit)(ifp, m);
}

/* Nobody followed the held frame in time: send it alone. */
static void
impair_hold_expire(void *arg)
{
	struct if_impair *im = arg;
	struct mbuf *m = im->im_held;

	im->im_held = NULL;
	if (m != NULL)
		(void)impair_send(im, m);
}

/*
 * Reorder stage: a held frame goes out right after this one; otherwise
 * this one may be held.  => the driver's verdict on m, 0 if held.
 */
static int
impair_out(struct if_impair *im, struct mbuf *m)
{
	struct mbuf *held = im->im_held;
	int rv;

	if (held != NULL) {
		im->im_held = NULL;
		callout_stop(&im->im_hold_co);
		rv = impair_send(im, m);
		im->im_stats[IMS_REORDERED]++;
		(void)impair_send(im, held);
		return rv;
	}
	if (impair_chance(im, im->im_k.ik_reorder)) {
		im->im_held = m;
		callout_schedule(&im->im_hold_co, NS_MS(IMPAIR_HOLD_MS));
		return 0;
	}
	return impair_send(im, m);
}

/* ------------------------------------------------------ the delay line */

static void
impair_delay_fire(void *arg)
{
	struct if_impair *im = arg;
	uint64_t now = netstack_now(im->im_ifp->if_ns);
	struct impair_delayed *d;

	while ((d = im->im_head) != NULL && d->id_when <= now) {
		struct mbuf *m = d->id_m;

		im->im_head = d->id_next;
		if (im->im_head == NULL)
			im->im_tail = NULL;
		im->im_qlen--;
		kmem_free(d, sizeof(*d));
		(void)impair_out(im, m);
	}
	if (im->im_head != NULL)
		callout_schedule_at(&im->im_delay_co, im->im_head->id_when);
}

/* The deadline of a frame entering the line now: delay +- jitter, not
 * before now, not before the frame ahead of it. */
static uint64_t
impair_deadline(struct if_impair *im, uint64_t now)
{
	int64_t d = (int64_t)NS_MS(im->im_k.ik_delay);
	uint64_t when;

	if (im->im_k.ik_jitter > 0) {
		uint32_t j = (uint32_t)im->im_k.ik_jitter * 1000u;  /* us */

		d += ((int64_t)impair_below(im, 2 * j + 1) - j) * 1000;
	}
	when = d > 0 ? now + (uint64_t)d : now;
	return when > im->im_last ? when : im->im_last;
}

static int
impair_delay(struct if_impair *im, struct mbuf *m)
{
	uint64_t now = netstack_now(im->im_ifp->if_ns);
	struct impair_delayed *d;

	if (im->im_qlen >= (unsigned)im->im_k.ik_limit ||
	    (d = kmem_tryalloc(sizeof(*d))) == NULL) {
		im->im_stats[IMS_QDROPS]++;
		m_freem(m);
		return 0;
	}
	d->id_next = NULL;
	d->id_m = m;
	d->id_when = im->im_last = impair_deadline(im, now);
	if (im->im_tail != NULL)
		im->im_tail->id_next = d;
	else
		im->im_head = d;
	im->im_tail = d;
	im->im_qlen++;
	im->im_stats[IMS_DELAYED]++;
	if (im->im_head == d)
		callout_schedule_at(&im->im_delay_co, d->id_when);
	return 0;
}

/* -------------------------------------------------- per-frame decisions */

/* Change one byte after the Ethernet header of an IPv4/IPv6 frame. */
static void
impair_corrupt(struct if_impair *im, struct mbuf *m)
{
	uint16_t type;
	uint32_t off;

	if (m->m_len <= ETHER_HDR_LEN)
		return;
	type = be16dec(m->m_data + 12);
	if (type != ETHERTYPE_IP && type != ETHERTYPE_IPV6)
		return;
	off = ETHER_HDR_LEN + impair_below(im, m->m_len - ETHER_HDR_LEN);
	m->m_data[off] ^= (uint8_t)(1 + impair_below(im, 255));
	im->im_stats[IMS_CORRUPTED]++;
}

/* Corruption, delay, reordering for one frame (or a duplicate). */
static int
impair_tail(struct if_impair *im, struct mbuf *m)
{
	const struct impair_knobs *k = &im->im_k;

	if (impair_chance(im, k->ik_corrupt))
		impair_corrupt(im, m);
	if (k->ik_delay != 0 || k->ik_jitter != 0 || im->im_qlen > 0)
		return impair_delay(im, m);
	return impair_out(im, m);
}

static int
impair_frame(struct if_impair *im, struct mbuf *m)
{
	struct mbuf *copy = NULL;
	int rv;

	im->im_stats[IMS_FRAMES]++;
	if (impair_chance(im, im->im_k.ik_loss)) {
		im->im_stats[IMS_LOST]++;
		m_freem(m);
		return 0;
	}
	/* Out of memory for a copy: the frame simply is not duplicated. */
	if (impair_chance(im, im->im_k.ik_dup) && (copy = m_dup(m)) != NULL)
		im->im_stats[IMS_DUPLICATED]++;
	rv = impair_tail(im, m);
	if (copy != NULL)
		(void)impair_tail(im, copy);
	return rv;
}

/*
 * Finish deferred offload work with the driver's own emulation, so the
 * driver's counters still count it.  Its corrupt_tx fault injection is
 * left to the driver (which applies it to every frame it sends), so it
 * is suspended here to act once.  => list of frames or NULL (counted).
 */
static struct mbuf *
impair_finish(struct if_impair *im, struct mbuf *m)
{
	struct ifnet *ifp = im->im_ifp;
	struct ether_offload *eo = ifp->if_offload != NULL ?
	    ifp->if_offload : &im->im_offload;
	int32_t corrupt = eo->eo_corrupt;
	struct mbuf *list;

	im->im_stats[IMS_FINISHED]++;
	eo->eo_corrupt = 0;
	list = ether_sw_offload_tx(ifp, eo, m);
	eo->eo_corrupt = corrupt;
	return list;
}

int
if_impair_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct if_impair *im = ifp->if_impair;
	struct mbuf *list;
	bool on;
	int rv = 0;

	KASSERT(klock_held(&ifp->if_ns->ns_klock));
	if (im == NULL)
		return (*ifp->if_transmit)(ifp, m);
	on = impair_knobs_on(&im->im_k);
	if (!on && im->im_qlen == 0 && im->im_held == NULL) {
		im->im_on = false;
		return (*ifp->if_transmit)(ifp, m);
	}
	if (on && (!im->im_on || im->im_k.ik_seed != im->im_rngseed))
		impair_rng_start(im);
	im->im_on = on;

	if (m->m_pkthdr.csum_flags != 0) {
		if ((list = impair_finish(im, m)) == NULL) {
			IF_STAT_INC(ifp, IF_STAT_OERRORS);
			return EINVAL;
		}
	} else {
		m->m_nextpkt = NULL;
		list = m;
	}
	while (list != NULL) {
		struct mbuf *next = list->m_nextpkt;
		int r;

		list->m_nextpkt = NULL;
		r = impair_frame(im, list);
		if (rv == 0)
			rv = r;
		list = next;
	}
	return rv;
}

/* ------------------------------------------------------ attach, detach */

static int
impair_add_knob(struct ifnet *ifp, const char *prefix, const char *name,
    int32_t *ptr, int32_t min, int32_t max, const char *descr)
{
	char full[SYSCTL_NAMEMAX];

	ksnprintf(full, sizeof(full), "%s.%s", prefix, name);
	return sysctl_add_int(ifp->if_ns, full, SYSCTL_RW, ptr, min, max,
	    descr);
}

static int
impair_register(struct ifnet *ifp, struct if_impair *im, const char *prefix)
{
	struct impair_knobs *k = &im->im_k;
	int rv;

	if ((rv = impair_add_knob(ifp, prefix, "loss", &k->ik_loss, 0, 100,
	    "percent of frames lost")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "dup", &k->ik_dup, 0, 100,
	    "percent of frames duplicated")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "reorder", &k->ik_reorder, 0,
	    100, "percent of frames sent after their successor")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "corrupt", &k->ik_corrupt, 0,
	    100, "percent of IP frames with one byte changed")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "delay", &k->ik_delay, 0,
	    IMPAIR_MAXDELAY_MS, "milliseconds every frame waits")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "jitter", &k->ik_jitter, 0,
	    IMPAIR_MAXDELAY_MS, "milliseconds of uniform jitter (+-)")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "seed", &k->ik_seed, 0,
	    INT32_MAX, "random sequence (0: a random seed)")) != 0 ||
	    (rv = impair_add_knob(ifp, prefix, "limit", &k->ik_limit, 1,
	    IMPAIR_MAXLIMIT, "frames the delay line holds")) != 0)
		return rv;
	return sysctl_add_counters(ifp->if_ns, prefix, impair_statnames,
	    im->im_stats, IMS_NSTATS);
}

/*
 * Apply "name=value,name=value" (the knob names, decimal values) by
 * writing the sysctl nodes, so the same bounds apply.  => 0 or EINVAL
 * (after a message naming the variable and the bad item).
 */
static int
impair_apply_env(struct ifnet *ifp, const char *var, const char *prefix)
{
	char buf[256], node[SYSCTL_NAMEMAX];
	char *item, *next;
	int rv;

	rv = rumpuser_getparam(var, buf, sizeof(buf));
	if (rv == ENOENT)
		return 0;
	if (rv != 0) {
		kprintf("%s: %s: too long\n", ifp->if_xname, var);
		return EINVAL;
	}
	for (item = buf; item != NULL && *item != '\0'; item = next) {
		char *eq = strchr(item, '=');
		int64_t v = 0;
		char *d;

		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (eq == NULL || eq == item || eq[1] == '\0')
			goto bad;
		*eq = '\0';
		for (d = eq + 1; *d != '\0'; d++) {
			if (*d < '0' || *d > '9' || v > INT32_MAX)
				goto bad;
			v = v * 10 + (*d - '0');
		}
		if (v > INT32_MAX || strchr(item, '.') != NULL ||
		    strlen(prefix) + strlen(item) + 2 > sizeof(node))
			goto bad;
		ksnprintf(node, sizeof(node), "%s.%s", prefix, item);
		if (sysctl_byname(ifp->if_ns, node, NULL, NULL,
		    &(int32_t){ (int32_t)v }, sizeof(int32_t)) != 0)
			goto bad;
		continue;
bad:
		if (eq != NULL)
			*eq = '=';
		kprintf("%s: %s: bad item '%s' (knobs: loss, dup, reorder, "
		    "corrupt, delay, jitter, limit, seed = decimal value)\n",
		    ifp->if_xname, var, item);
		return EINVAL;
	}
	return 0;
}

int
if_impair_attach(struct ifnet *ifp)
{
	struct if_impair *im;
	char prefix[SYSCTL_NAMEMAX], var[IFNAMSIZ + 16];
	int rv;

	KASSERT(ifp->if_impair == NULL);
	if (ifp->if_type != IFT_ETHER)
		return 0;
	im = kmem_zalloc(sizeof(*im));
	im->im_ifp = ifp;
	im->im_k.ik_limit = IMPAIR_DEFLIMIT;
	callout_init(&im->im_delay_co, ifp->if_ns, impair_delay_fire, im);
	callout_init(&im->im_hold_co, ifp->if_ns, impair_hold_expire, im);
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.impair",
	    ifp->if_xname);
	if ((rv = impair_register(ifp, im, prefix)) != 0) {
		sysctl_remove_prefix(ifp->if_ns, prefix);
		kmem_free(im, sizeof(*im));
		return rv;
	}
	ifp->if_impair = im;
	/*
	 * Settings from the environment: all interfaces, then this one.  A
	 * bad item is reported and ends that variable; the stage stays
	 * attached with what was applied before it.
	 */
	ksnprintf(var, sizeof(var), "RUMP_IMPAIR_%s", ifp->if_xname);
	if (impair_apply_env(ifp, "RUMP_IMPAIR", prefix) == 0)
		(void)impair_apply_env(ifp, var, prefix);
	return 0;
}

void
if_impair_detach(struct ifnet *ifp)
{
	struct if_impair *im = ifp->if_impair;
	char prefix[SYSCTL_NAMEMAX];

	if (im == NULL)
		return;
	callout_stop(&im->im_delay_co);
	callout_stop(&im->im_hold_co);
	while (im->im_head != NULL) {
		struct impair_delayed *d = im->im_head;

		im->im_head = d->id_next;
		m_freem(d->id_m);
		kmem_free(d, sizeof(*d));
	}
	m_freem(im->im_held);
	ksnprintf(prefix, sizeof(prefix), "net.interfaces.%s.impair",
	    ifp->if_xname);
	sysctl_remove_prefix(ifp->if_ns, prefix);
	kmem_free(im, sizeof(*im));
	ifp->if_impair = NULL;
}
