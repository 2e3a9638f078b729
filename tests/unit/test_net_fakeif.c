/*
 * test_net_fakeif.c -- the in-memory interface and fixture of
 * test_net_fakeif.h.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "netstack/kern/netstack.h"
#include "netstack/kern/sysctl.h"
#include "netstack/net/if_var.h"
#include "rumpnet/rump_net.h"
#include "tests/unit/test_net_fakeif.h"

struct netstack *tn_ns;
static uint64_t tn_kmem_start, tn_mbufs_start;

/* ------------------------------------------------------------- driver */

static int
fake_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct fake_softc *sc = ifp->if_softc;

	IF_STAT_INC(ifp, IF_STAT_OPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_OBYTES, m->m_len);
	return mq_enqueue(&sc->fs_tx, m);
}

static int
fake_init(struct ifnet *ifp)
{
	struct fake_softc *sc = ifp->if_softc;

	if (sc->fs_initerr != 0)
		return sc->fs_initerr;
	sc->fs_inits++;
	return 0;
}

static void
fake_stop(struct ifnet *ifp)
{
	struct fake_softc *sc = ifp->if_softc;

	sc->fs_stops++;
}

static int
fake_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	struct fake_softc *sc = ifp->if_softc;

	switch (cmd) {
	case RUMP_SIOCSLINKSTR: {
		struct rump_linkstr *ls = data;

		if (ifp->if_flags & IFF_UP)
			return EBUSY;
		if (ls->ls_cmd == RUMP_LINKSTR_UNSET) {
			if (sc->fs_linkstr[0] == '\0')
				return ENOENT;
			sc->fs_linkstr[0] = '\0';
			return 0;
		}
		if (ls->ls_len < 2 || ls->ls_len > sizeof(sc->fs_linkstr) ||
		    ls->ls_path[ls->ls_len - 1] != '\0')
			return EINVAL;
		memcpy(sc->fs_linkstr, ls->ls_path, ls->ls_len);
		return 0;
	}
	case RUMP_SIOCGLINKSTR: {
		struct rump_linkstr *ls = data;

		if (sc->fs_linkstr[0] == '\0')
			return ENOENT;
		ls->ls_len = (uint32_t)strlen(sc->fs_linkstr) + 1;
		if (ls->ls_cmd != RUMP_LINKSTR_QUERYLEN)
			memcpy(ls->ls_path, sc->fs_linkstr, ls->ls_len);
		return 0;
	}
	case RUMP_SIOCGIFINFO: {
		struct rump_ifinfo *ifi = data;

		ifi->ifi_media = sc->fs_media;
		ifi->ifi_linkstate = sc->fs_linkstr[0] == '\0' ?
		    RUMP_LINK_STATE_UNKNOWN : sc->fs_media == RUMP_IFM_NONE ?
		    RUMP_LINK_STATE_DOWN : RUMP_LINK_STATE_UP;
		return 0;
	}
	case RUMP_SIOCSIFMEDIA: {
		struct rump_ifreq *ifr = data;

		if (ifr->ifr_value != RUMP_IFM_AUTO &&
		    ifr->ifr_value != RUMP_IFM_NONE)
			return EINVAL;
		sc->fs_media = ifr->ifr_value;
		return 0;
	}
	default:
		return ENOTTY;
	}
}

static int
fake_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	uint8_t lla[ETHER_ADDR_LEN] = { 0x02, 0, 0, 0, 0x01, (uint8_t)unit };
	struct fake_softc *sc;
	struct ifnet *ifp;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "fake%d", unit);
	if ((ifp = if_alloc(ns, name)) == NULL)
		return EINVAL;
	sc = kmem_zalloc(sizeof(*sc));
	mq_init(&sc->fs_tx, 1024);
	sc->fs_media = RUMP_IFM_AUTO;
	ether_ifattach(ifp, lla);
	ifp->if_softc = sc;
	ifp->if_transmit = fake_transmit;
	ifp->if_init = fake_init;
	ifp->if_stop = fake_stop;
	ifp->if_ioctl = fake_ioctl;
	ifp->if_capabilities = 0x7ff80;
	*ifpp = ifp;		/* if_clone_create attaches it */
	return 0;
}

static void
fake_clone_destroy(struct ifnet *ifp)
{
	struct fake_softc *sc = ifp->if_softc;

	mq_purge(&sc->fs_tx);
	kmem_free(sc, sizeof(*sc));
	ifp->if_softc = NULL;
}

static const struct if_cloner fake_cloner = {
	.ifc_name = "fake",
	.ifc_create = fake_clone_create,
	.ifc_destroy = fake_clone_destroy,
};

struct ifnet *
fake_create(int unit)
{
	struct ifnet *ifp;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "fake%d", unit);
	ck_assert_int_eq(if_clone_create_ifp(tn_ns, name, &ifp), 0);
	return ifp;
}

struct ifnet *
fake_create_up(int unit)
{
	struct ifnet *ifp = fake_create(unit);

	ck_assert_int_eq(if_setflags(ifp, ifp->if_flags | IFF_UP), 0);
	return ifp;
}

struct fake_softc *
fake_softc(struct ifnet *ifp)
{
	return ifp->if_softc;
}

unsigned
fake_tx_count(struct ifnet *ifp)
{
	return fake_softc(ifp)->fs_tx.mq_len;
}

struct mbuf *
fake_tx_pop(struct ifnet *ifp)
{
	return mq_dequeue(&fake_softc(ifp)->fs_tx);
}

void
fake_tx_clear(struct ifnet *ifp)
{
	mq_purge(&fake_softc(ifp)->fs_tx);
}

static void
hexdump(const uint8_t *p, size_t len, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < len && off + 4 < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%02x%s", p[i],
		    (i % 16) == 15 ? "\n" : " ");
}

void
fake_expect_tx(struct ifnet *ifp, const void *exp, size_t len)
{
	struct mbuf *m = fake_tx_pop(ifp);
	char got[1024], want[1024];

	ck_assert_msg(m != NULL, "%s: nothing transmitted", ifp->if_xname);
	if (m->m_len != len || memcmp(m->m_data, exp, len) != 0) {
		hexdump(m->m_data, m->m_len, got, sizeof(got));
		hexdump(exp, len, want, sizeof(want));
		m_freem(m);
		ck_abort_msg("%s: frame differs\ngot:\n%s\nwant:\n%s",
		    ifp->if_xname, got, want);
	}
	m_freem(m);
}

void
fake_expect_no_tx(struct ifnet *ifp)
{
	ck_assert_msg(fake_tx_count(ifp) == 0, "%s: %u unexpected frames",
	    ifp->if_xname, fake_tx_count(ifp));
}

void
fake_input(struct ifnet *ifp, const void *frame, size_t len)
{
	struct mbuf *m = m_devget(frame, len);

	ck_assert_ptr_nonnull(m);
	m->m_pkthdr.rcvif = ifp;
	(*ifp->if_input)(ifp, m);
}

/* ------------------------------------------------------------- fixture */

void
tn_setup(void)
{
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	tn_kmem_start = kmem_inuse();
	tn_mbufs_start = m_inuse();
	ck_assert_int_eq(netstack_create("test", NETSTACK_VIRTUAL_CLOCK,
	    &tn_ns), 0);
	klock_enter(&tn_ns->ns_klock);
	ck_assert_int_eq(if_clone_register(tn_ns, &fake_cloner), 0);
}

void
tn_teardown(void)
{
	klock_exit(&tn_ns->ns_klock);
	netstack_destroy(tn_ns);
	tn_ns = NULL;
	ck_assert_uint_eq(m_inuse(), tn_mbufs_start);
	ck_assert_uint_eq(kmem_inuse(), tn_kmem_start);
}

void
tn_advance(uint64_t nsec)
{
	klock_exit(&tn_ns->ns_klock);
	netstack_clock_advance(tn_ns, nsec);
	klock_enter(&tn_ns->ns_klock);
}

uint64_t
tn_sysctl(const char *name)
{
	uint64_t v = 0;
	int32_t i;
	size_t len = sizeof(v);
	int rv;

	rv = sysctl_byname(tn_ns, name, &v, &len, NULL, 0);
	ck_assert_msg(rv == 0, "sysctl %s: %d", name, rv);
	if (len == sizeof(i)) {
		memcpy(&i, &v, sizeof(i));
		return (uint64_t)(int64_t)i;
	}
	return v;
}

void
tn_sysctl_set(const char *name, int32_t value)
{
	int rv = sysctl_byname(tn_ns, name, NULL, NULL, &value, sizeof(value));

	ck_assert_msg(rv == 0, "sysctl -w %s: %d", name, rv);
}

uint32_t
tn_addr(const char *s)
{
	unsigned a, b, c, d;
	uint8_t o[4];
	uint32_t v;

	ck_assert_int_eq(sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	o[0] = (uint8_t)a;
	o[1] = (uint8_t)b;
	o[2] = (uint8_t)c;
	o[3] = (uint8_t)d;
	memcpy(&v, o, 4);
	return v;
}

