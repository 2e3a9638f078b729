/*
 * frametest.c -- the frame-in / frame-out test harness (frametest.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstack/kern/sysctl.h"
#include "netstack/net/route.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/in_offload.h"
#include "tests/unit/frametest.h"

#define FT_SETTLE_MAXROUNDS	1000

/*
 * libnetstack is a static archive: a program gets only the objects it
 * refers to, and the module list (kern/modules.h) refers to modules
 * weakly.  Nodes speak IPv4, so refer to the ip module's object.
 */
static void (*volatile ft_keep_ip)(struct netstack *, struct mbuf *) =
    ip_input;

/*
 * IPv6 transmit finishing, if the netinet6 objects are linked in (weak:
 * IPv4-only tests must not pull the inet6 module in).
 */
extern void in6_undefer_cksum(struct mbuf *m, size_t ehlen, uint32_t which)
    __attribute__((weak));

/* Driver state of a tst interface: the transmit list. */
struct ft_softc {
	struct mbuf	*sc_head;
	struct mbuf	**sc_tail;
	unsigned	 sc_count;
	bool		 sc_finish;	/* finish deferred checksums */
};

static int
ft_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct ft_softc *sc = ifp->if_softc;
	uint32_t flags = m->m_pkthdr.csum_flags;

	if (sc->sc_finish && !(flags & (M_CSUM_TSOv4 | M_CSUM_TSOv6))) {
		in_undefer_cksum(m, ETHER_HDR_LEN,
		    M_CSUM_IPv4 | M_CSUM_UDPv4 | M_CSUM_TCPv4);
		if (in6_undefer_cksum != NULL)
			in6_undefer_cksum(m, ETHER_HDR_LEN,
			    M_CSUM_UDPv6 | M_CSUM_TCPv6);
		m->m_pkthdr.csum_flags = flags;	/* keep the request visible */
	}
	IF_STAT_INC(ifp, IF_STAT_OPACKETS);
	IF_STAT_ADD(ifp, IF_STAT_OBYTES, m->m_len);
	m->m_nextpkt = NULL;
	*sc->sc_tail = m;
	sc->sc_tail = &m->m_nextpkt;
	sc->sc_count++;
	return 0;
}

static int
ft_ifinit(struct ifnet *ifp)
{
	return 0;
}

static int
ft_clone_create(struct netstack *ns, int unit, struct ifnet **ifpp)
{
	static const uint8_t lla[ETHER_ADDR_LEN] = FT_MAC(0xee);
	struct ft_softc *sc;
	struct ifnet *ifp;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "tst%d", unit);
	if ((ifp = if_alloc(ns, name)) == NULL)
		return EINVAL;
	sc = calloc(1, sizeof(*sc));
	ck_assert_ptr_nonnull(sc);
	sc->sc_tail = &sc->sc_head;
	sc->sc_finish = true;
	ether_ifattach(ifp, lla);
	ifp->if_softc = sc;
	ifp->if_transmit = ft_transmit;
	ifp->if_init = ft_ifinit;
	ifp->if_capabilities = IFCAP_MASK;
	*ifpp = ifp;
	return 0;
}

static void
ft_clone_destroy(struct ifnet *ifp)
{
	struct ft_softc *sc = ifp->if_softc;

	m_freem_list(sc->sc_head);
	free(sc);
	ifp->if_softc = NULL;
}

static const struct if_cloner ft_cloner = {
	.ifc_name = "tst",
	.ifc_create = ft_clone_create,
	.ifc_destroy = ft_clone_destroy,
};

void
ft_lock(struct ft_node *fn)
{
	klock_enter(&fn->fn_ns->ns_klock);
}

void
ft_unlock(struct ft_node *fn)
{
	klock_exit(&fn->fn_ns->ns_klock);
}

/* The kernel headers and the host's <arpa/inet.h> cannot meet, so
 * dotted quads are parsed here. */
uint32_t
ft_addr(const char *s)
{
	uint8_t b[4];
	const char *p = s;

	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long v = strtoul(p, &end, 10);

		ck_assert_msg(end != p && v <= 255 &&
		    *end == (i < 3 ? '.' : '\0'), "bad address %s", s);
		b[i] = (uint8_t)v;
		p = end + 1;
	}
	return htonl(be32dec(b));
}

void
ft_addr6(const char *s, uint8_t out[16])
{
	uint16_t head[8], tail[8];
	unsigned nh = 0, nt = 0;
	bool gap = false;
	const char *p = s;

	if (p[0] == ':' && p[1] == ':') {
		gap = true;
		p += 2;
	}
	while (*p != '\0') {
		char *end;
		unsigned long v = strtoul(p, &end, 16);

		ck_assert_msg(end != p && end - p <= 4 && v <= 0xffff &&
		    nh + nt < 8, "bad address %s", s);
		if (gap)
			tail[nt++] = (uint16_t)v;
		else
			head[nh++] = (uint16_t)v;
		p = end;
		if (p[0] == ':' && p[1] == ':') {
			ck_assert_msg(!gap, "bad address %s", s);
			gap = true;
			p += 2;
		} else if (p[0] == ':') {
			p++;
			ck_assert_msg(*p != '\0', "bad address %s", s);
		} else {
			ck_assert_msg(*p == '\0', "bad address %s", s);
		}
	}
	ck_assert_msg(gap ? nh + nt < 8 : nh == 8, "bad address %s", s);
	memset(out, 0, 16);
	for (unsigned i = 0; i < nh; i++)
		be16enc(out + 2 * i, head[i]);
	for (unsigned i = 0; i < nt; i++)
		be16enc(out + 16 - 2 * (nt - i), tail[i]);
}

/* "a.b.c.d/len" -> address and prefix length. */
static void
ft_parse_prefix(const char *s, uint32_t *addr, unsigned *plen)
{
	char buf[64];
	char *slash;

	ck_assert_uint_lt(strlen(s), sizeof(buf));
	strcpy(buf, s);
	slash = strchr(buf, '/');
	ck_assert_msg(slash != NULL, "prefix without length: %s", s);
	*slash = '\0';
	*addr = ft_addr(buf);
	*plen = (unsigned)strtoul(slash + 1, NULL, 10);
	ck_assert_uint_le(*plen, 32);
}

struct ft_node *
ft_create(const struct ft_config *cfg)
{
	struct ft_node *fn;
	int rv;

	(void)ft_keep_ip;
	fn = calloc(1, sizeof(*fn));
	ck_assert_ptr_nonnull(fn);
	ck_assert_int_eq(netstack_create(cfg->fc_name, NETSTACK_VIRTUAL_CLOCK,
	    &fn->fn_ns), 0);

	ft_lock(fn);
	rv = if_clone_register(fn->fn_ns, &ft_cloner);
	ck_assert_int_eq(rv, 0);
	rv = if_clone_create(fn->fn_ns, "tst0");
	ck_assert_int_eq(rv, 0);
	fn->fn_ifp = if_byname(fn->fn_ns, "tst0");
	ck_assert_ptr_nonnull(fn->fn_ifp);
	memcpy(fn->fn_ifp->if_lladdr, cfg->fc_lladdr, ETHER_ADDR_LEN);
	if (cfg->fc_mtu != 0)
		fn->fn_ifp->if_mtu = cfg->fc_mtu;
	fn->fn_ifp->if_capenable = cfg->fc_capenable & IFCAP_MASK;
	if_capenable_update(fn->fn_ifp);
	ck_assert_int_eq(if_setflags(fn->fn_ifp, fn->fn_ifp->if_flags | IFF_UP),
	    0);
	if (cfg->fc_addr != NULL) {
		uint32_t addr, mask;
		unsigned plen;

		ft_parse_prefix(cfg->fc_addr, &addr, &plen);
		mask = in_prefixmask(plen);
		rv = in_addaddr(fn->fn_ifp, addr, plen, addr | ~mask);
		ck_assert_msg(rv == 0, "in_addaddr %s: %d", cfg->fc_addr, rv);
	}
	ft_unlock(fn);

	ft_advance(fn, FT_SETTLE_NS);
	ft_tx_clear(fn);
	return fn;
}

void
ft_destroy(struct ft_node *fn)
{
	netstack_destroy(fn->fn_ns);
	free(fn);
}

void
ft_neighbor(struct ft_node *fn, const char *addr,
    const uint8_t lladdr[ETHER_ADDR_LEN])
{
	struct ft_neighbor *nb;

	ck_assert_uint_lt(fn->fn_nnbr, FT_MAXNEIGHBORS);
	nb = &fn->fn_nbr[fn->fn_nnbr++];
	nb->fnb_addr = ft_addr(addr);
	memcpy(nb->fnb_lladdr, lladdr, ETHER_ADDR_LEN);
}

void
ft_route(struct ft_node *fn, const char *dst, const char *gateway, int flags)
{
	uint32_t addr, gw = 0;
	unsigned plen;
	int rv;

	ft_parse_prefix(dst, &addr, &plen);
	if (gateway != NULL) {
		gw = ft_addr(gateway);
		flags |= RTF_GATEWAY;
	}
	ft_lock(fn);
	rv = rt_add(fn->fn_ns, AF_INET, &addr, plen,
	    gateway != NULL ? &gw : NULL, gateway != NULL ? NULL : fn->fn_ifp,
	    flags | RTF_UP | RTF_STATIC, NULL);
	ft_unlock(fn);
	ck_assert_msg(rv == 0, "rt_add %s via %s: %d", dst,
	    gateway != NULL ? gateway : "tst0", rv);
}

void
ft_sysctl_set(struct ft_node *fn, const char *name, int64_t value)
{
	int rv;

	ft_lock(fn);
	rv = sysctl_byname(fn->fn_ns, name, NULL, NULL, &value, sizeof(value));
	ft_unlock(fn);
	ck_assert_msg(rv == 0, "sysctl %s=%lld: %d", name, (long long)value,
	    rv);
}

uint64_t
ft_counter(struct ft_node *fn, const char *name)
{
	uint64_t v = 0;
	size_t len = sizeof(v);
	int rv;

	ft_lock(fn);
	rv = sysctl_byname(fn->fn_ns, name, &v, &len, NULL, 0);
	ft_unlock(fn);
	ck_assert_msg(rv == 0, "no counter %s (%d)", name, rv);
	if (len == sizeof(int32_t)) {
		int32_t i;

		memcpy(&i, &v, sizeof(i));
		return (uint64_t)(int64_t)i;
	}
	return v;
}

void
ft_set_finish_tx(struct ft_node *fn, bool finish)
{
	((struct ft_softc *)fn->fn_ifp->if_softc)->sc_finish = finish;
}

void
ft_set_capenable(struct ft_node *fn, uint32_t capenable)
{
	ft_lock(fn);
	fn->fn_ifp->if_capenable = capenable & fn->fn_ifp->if_capabilities;
	if_capenable_update(fn->fn_ifp);
	ft_unlock(fn);
}

/* ------------------------------------------------------------- input */

/*
 * What a driver with RX offload would verify: the IPv4 header, and a
 * TCP or UDP checksum over IPv4 when the datagram is not a fragment
 * and (UDP) carries a checksum.
 */
static uint32_t
ft_rx_verify(const struct ifnet *ifp, const uint8_t *f, size_t len)
{
	uint32_t rx = ifp->if_csum_flags_rx, flags = 0;
	const uint8_t *ip = f + ETHER_HDR_LEN;
	unsigned hlen, iplen, l4len;
	uint8_t proto;

	if (len >= ETHER_HDR_LEN + 40 && be16dec(f + 12) == ETHERTYPE_IPV6 &&
	    (ip[0] >> 4) == 6) {
		/* TCP/UDP right after the IPv6 header (never extension
		 * headers, mbuf.h), UDP only with a checksum. */
		unsigned plen6 = be16dec(ip + 4);

		proto = ip[6];
		if (ETHER_HDR_LEN + 40 + plen6 > len)
			return 0;
		if ((proto == 6 && (rx & M_CSUM_TCPv6) && plen6 >= 20) ||
		    (proto == 17 && (rx & M_CSUM_UDPv6) && plen6 >= 8 &&
		    be16dec(ip + 40 + 6) != 0)) {
			uint32_t sum = in6_pseudo_sum(ip + 8, ip + 24, proto,
			    plen6);

			sum = in_cksum_add(sum, ip + 40, plen6);
			flags |= proto == 6 ? M_CSUM_TCPv6 : M_CSUM_UDPv6;
			if (in_cksum_fold(sum) != 0xffff)
				flags |= M_CSUM_TCP_UDP_BAD;
		}
		return flags;
	}
	if (len < ETHER_HDR_LEN + 20 || be16dec(f + 12) != ETHERTYPE_IP ||
	    (ip[0] >> 4) != 4)
		return 0;
	hlen = (unsigned)(ip[0] & 0x0f) * 4;
	if (hlen < 20 || ETHER_HDR_LEN + hlen > len)
		return 0;
	if (rx & M_CSUM_IPv4) {
		flags |= M_CSUM_IPv4;
		if (in_cksum(ip, hlen) != 0)
			flags |= M_CSUM_IPv4_BAD;
	}
	iplen = be16dec(ip + 2);
	if (iplen < hlen || ETHER_HDR_LEN + iplen > len)
		return flags;
	if ((be16dec(ip + 6) & 0x3fff) != 0)	/* MF or offset: fragment */
		return flags;
	proto = ip[9];
	l4len = iplen - hlen;
	if ((proto == 6 && (rx & M_CSUM_TCPv4) && l4len >= 20) ||
	    (proto == 17 && (rx & M_CSUM_UDPv4) && l4len >= 8 &&
	    be16dec(ip + hlen + 6) != 0)) {
		uint32_t src, dst, sum;

		memcpy(&src, ip + 12, 4);
		memcpy(&dst, ip + 16, 4);
		sum = in_pseudo_sum(src, dst, proto, (uint16_t)l4len);
		sum = in_cksum_add(sum, ip + hlen, l4len);
		flags |= proto == 6 ? M_CSUM_TCPv4 : M_CSUM_UDPv4;
		if (in_cksum_fold(sum) != 0xffff)
			flags |= M_CSUM_TCP_UDP_BAD;
	}
	return flags;
}

static void
ft_inject(struct ft_node *fn, const void *frame, size_t len, uint32_t flags)
{
	struct mbuf *m = m_devget(frame, len);

	ck_assert_ptr_nonnull(m);
	m->m_pkthdr.rcvif = fn->fn_ifp;
	m->m_pkthdr.csum_flags = flags;
	ft_lock(fn);
	(*fn->fn_ifp->if_input)(fn->fn_ifp, m);
	ft_unlock(fn);
}

void
ft_input(struct ft_node *fn, const void *frame, size_t len)
{
	ft_inject(fn, frame, len, ft_rx_verify(fn->fn_ifp, frame, len));
	ft_settle(fn);
}

void
ft_input_flags(struct ft_node *fn, const void *frame, size_t len,
    uint32_t csum_flags)
{
	ft_inject(fn, frame, len, csum_flags);
	ft_settle(fn);
}

/*
 * If m is an ARP request for a declared neighbour, inject the
 * neighbour's reply.  => true if it was one (the caller drops m).
 */
static bool
ft_answer_arp(struct ft_node *fn, const struct mbuf *m)
{
	const uint8_t *f = m->m_data;
	uint8_t reply[42];
	uint32_t tpa;

	if (m->m_len < 42 || be16dec(f + 12) != ETHERTYPE_ARP ||
	    be16dec(f + 14) != 1 || be16dec(f + 16) != ETHERTYPE_IP ||
	    f[18] != 6 || f[19] != 4 || be16dec(f + 20) != 1)
		return false;
	memcpy(&tpa, f + 38, 4);
	for (unsigned i = 0; i < fn->fn_nnbr; i++) {
		const struct ft_neighbor *nb = &fn->fn_nbr[i];

		if (nb->fnb_addr != tpa)
			continue;
		/* RFC 826 reply: to the asker, from the neighbour. */
		memcpy(reply, f + 22, 6);			/* dst MAC */
		memcpy(reply + 6, nb->fnb_lladdr, 6);		/* src MAC */
		be16enc(reply + 12, ETHERTYPE_ARP);
		memcpy(reply + 14, f + 14, 6);			/* htype..plen */
		be16enc(reply + 20, 2);				/* op: reply */
		memcpy(reply + 22, nb->fnb_lladdr, 6);		/* sha */
		memcpy(reply + 28, &nb->fnb_addr, 4);		/* spa */
		memcpy(reply + 32, f + 22, 10);			/* tha, tpa */
		ft_inject(fn, reply, sizeof(reply), 0);
		return true;
	}
	return false;
}

void
ft_settle(struct ft_node *fn)
{
	struct ft_softc *sc = fn->fn_ifp->if_softc;

	for (unsigned round = 0; round < FT_SETTLE_MAXROUNDS; round++) {
		struct mbuf **mp, *m;
		bool changed = false;

		netstack_clock_advance(fn->fn_ns, 0);
		for (mp = &sc->sc_head; (m = *mp) != NULL;) {
			if (fn->fn_nnbr > 0 && ft_answer_arp(fn, m)) {
				/* ft_answer_arp may have appended to the list;
				 * unlink m wherever the tail now is. */
				*mp = m->m_nextpkt;
				if (sc->sc_tail == &m->m_nextpkt)
					sc->sc_tail = mp;
				sc->sc_count--;
				m_freem(m);
				changed = true;
				continue;
			}
			mp = &m->m_nextpkt;
		}
		if (!changed)
			return;
	}
	ck_abort_msg("%s: does not settle", fn->fn_ns->ns_name);
}

void
ft_advance(struct ft_node *fn, uint64_t nsec)
{
	netstack_clock_advance(fn->fn_ns, nsec);
	ft_settle(fn);
}

/* ------------------------------------------------------------ output */

unsigned
ft_tx_count(struct ft_node *fn)
{
	return ((struct ft_softc *)fn->fn_ifp->if_softc)->sc_count;
}

struct mbuf *
ft_tx_pop(struct ft_node *fn)
{
	struct ft_softc *sc = fn->fn_ifp->if_softc;
	struct mbuf *m = sc->sc_head;

	if (m == NULL)
		return NULL;
	sc->sc_head = m->m_nextpkt;
	if (sc->sc_head == NULL)
		sc->sc_tail = &sc->sc_head;
	sc->sc_count--;
	m->m_nextpkt = NULL;
	return m;
}

void
ft_tx_clear(struct ft_node *fn)
{
	struct mbuf *m;

	while ((m = ft_tx_pop(fn)) != NULL)
		m_freem(m);
}

void
ft_hexdump(const void *data, size_t len, char *buf, size_t size)
{
	const uint8_t *p = data;
	size_t o = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < len && o + 4 < size; i++)
		o += (size_t)snprintf(buf + o, size - o, "%02x%s", p[i],
		    (i % 16) == 15 ? "\n" : " ");
}

uint32_t
ft_expect_tx(struct ft_node *fn, const void *exp, size_t len)
{
	struct mbuf *m = ft_tx_pop(fn);
	char got[8192], want[8192];
	uint32_t flags;
	size_t diff;

	ck_assert_msg(m != NULL, "%s: expected a %zu-byte frame, none sent",
	    fn->fn_ns->ns_name, len);
	if (m->m_len != len || memcmp(m->m_data, exp, len) != 0) {
		unsigned got_len = m->m_len;

		for (diff = 0; diff < len && diff < m->m_len; diff++)
			if (m->m_data[diff] != ((const uint8_t *)exp)[diff])
				break;
		ft_hexdump(m->m_data, m->m_len, got, sizeof(got));
		ft_hexdump(exp, len, want, sizeof(want));
		fprintf(stderr, "%s: frame differs at offset %zu "
		    "(got %u bytes, want %zu)\ngot:\n%s\nwant:\n%s\n",
		    fn->fn_ns->ns_name, diff, m->m_len, len, got, want);
		m_freem(m);
		ck_abort_msg("%s: frame differs at offset %zu (got %u bytes, "
		    "want %zu)", fn->fn_ns->ns_name, diff, got_len, len);
	}
	flags = m->m_pkthdr.csum_flags;
	m_freem(m);
	return flags;
}

void
ft_expect_no_tx(struct ft_node *fn)
{
	struct mbuf *m = ft_tx_pop(fn);

	if (m != NULL) {
		char got[8192];

		ft_hexdump(m->m_data, m->m_len, got, sizeof(got));
		fprintf(stderr, "%s: unexpected frame (%u bytes):\n%s\n",
		    fn->fn_ns->ns_name, (unsigned)m->m_len, got);
		m_freem(m);
		ck_abort_msg("%s: unexpected frame sent", fn->fn_ns->ns_name);
	}
}

/* -------------------------------------------------------------- rows */

void
ft_run_row(struct ft_node *fn, const struct ft_row *row)
{
	uint64_t before[FT_MAXDELTAS];
	unsigned i;

	for (i = 0; i < FT_MAXDELTAS && row->fr_deltas[i].fd_name != NULL; i++)
		before[i] = ft_counter(fn, row->fr_deltas[i].fd_name);
	for (unsigned k = 0; k < FT_MAXFRAMES && row->fr_in[k].fb_data != NULL;
	    k++)
		ft_input(fn, row->fr_in[k].fb_data, row->fr_in[k].fb_len);
	if (row->fr_advance != 0)
		ft_advance(fn, row->fr_advance);
	for (unsigned k = 0; k < FT_MAXFRAMES && row->fr_out[k].fb_data != NULL;
	    k++) {
		ck_assert_msg(ft_tx_count(fn) > 0, "row %s: frame %u of the "
		    "expected output was not sent", row->fr_name, k);
		(void)ft_expect_tx(fn, row->fr_out[k].fb_data,
		    row->fr_out[k].fb_len);
	}
	ck_assert_msg(ft_tx_count(fn) == 0, "row %s: %u unexpected frame(s)",
	    row->fr_name, ft_tx_count(fn));
	for (unsigned k = 0; k < i; k++) {
		int64_t d = (int64_t)(ft_counter(fn, row->fr_deltas[k].fd_name) -
		    before[k]);

		ck_assert_msg(d == row->fr_deltas[k].fd_delta,
		    "row %s: %s changed by %lld, expected %lld", row->fr_name,
		    row->fr_deltas[k].fd_name, (long long)d,
		    (long long)row->fr_deltas[k].fd_delta);
	}
}

/* -------------------------------------------------------- back to back */

unsigned
ft_pump(struct ft_node *a, struct ft_node *b)
{
	unsigned carried = 0;

	for (unsigned round = 0; round < FT_SETTLE_MAXROUNDS; round++) {
		struct mbuf *m;
		bool moved = false;

		while ((m = ft_tx_pop(a)) != NULL) {
			ft_inject(b, m->m_data, m->m_len,
			    ft_rx_verify(b->fn_ifp, m->m_data, m->m_len));
			m_freem(m);
			carried++;
			moved = true;
		}
		ft_settle(b);
		while ((m = ft_tx_pop(b)) != NULL) {
			ft_inject(a, m->m_data, m->m_len,
			    ft_rx_verify(a->fn_ifp, m->m_data, m->m_len));
			m_freem(m);
			carried++;
			moved = true;
		}
		ft_settle(a);
		if (!moved)
			return carried;
	}
	ck_abort_msg("%s <-> %s: does not settle", a->fn_ns->ns_name,
	    b->fn_ns->ns_name);
	return carried;
}
