/*
 * test_tcp_fixture.h -- segment-level TCP tests (STYLE.md item 15):
 * node A (the stack under test, 198.51.100.1, 02:00:00:00:00:01) and
 * a peer P (198.51.100.2, :02) that the test plays by hand.
 *
 * Segments P sends are built from a template (tseg) with only the
 * fields that matter overridden; segments A sends are parsed back into
 * the same structure, and the helpers assert "exactly one segment" or
 * "no segment".  State fixtures (tf_established(), tf_active(), ...)
 * bring a connection into a state through the real handshake.
 *
 * Defaults: RFC 7323 options off (fixed 65535-byte windows, 1460-byte
 * segments), SACK offered, MSL 1 s.  The leak check closes every test.
 */
#ifndef _TESTS_UNIT_TEST_TCP_FIXTURE_H_
#define _TESTS_UNIT_TEST_TCP_FIXTURE_H_

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "netstack/kern/proc.h"
#include "netstack/kern/socketvar.h"
#include "netstack/netinet/ip.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_cksum.h"
#include "netstack/netinet/tcp_var.h"
#include "tests/unit/frametest.h"

#define TF_PPORT	40000		/* P's port */
#define TF_APORT	80		/* A's listening port */
#define TF_PISS		1000u		/* P's initial sequence number */

/* A segment as P sends it or as A sent it. */
struct tseg {
	uint16_t	 sport, dport;	/* host order */
	uint32_t	 seq, ack;
	uint8_t		 flags;
	uint16_t	 win;
	const uint8_t	*opt;		/* P: raw options (len % 4 == 0) */
	size_t		 optlen;
	const void	*data;
	size_t		 len;
	/* Parsed from A's segments. */
	int		 mss;		/* -1: no option */
	int		 ws;
	bool		 sackok, has_ts;
	uint32_t	 tsval, tsecr;
	unsigned	 nsack;
	uint32_t	 sack[4][2];
	uint32_t	 csum_flags;	/* as handed to the driver */
	size_t		 framelen;
};

static uint64_t tf_kmem, tf_mbufs;
static struct ft_node *A;
static struct proc *PA;

/* libnetstack is a static archive: refer to the tcp module's objects. */
static void (*volatile tf_keep_tcp)(struct netstack *, struct mbuf *,
    unsigned) = tcp_input;

static inline void
tf_setup_mtu(uint32_t mtu, uint32_t capenable)
{
	static const uint8_t pmac[ETHER_ADDR_LEN] = FT_MAC(2);

	(void)tf_keep_tcp;
	ck_assert_int_eq(rumpuser_init(RUMPUSER_VERSION), 0);
	tf_kmem = kmem_inuse();
	tf_mbufs = m_inuse();
	A = ft_create(&(struct ft_config){ .fc_name = "a",
	    .fc_lladdr = FT_MAC(1), .fc_addr = "198.51.100.1/24",
	    .fc_mtu = mtu, .fc_capenable = capenable });
	ft_neighbor(A, "198.51.100.2", pmac);
	ft_lock(A);
	ip_state(A->fn_ns)->ips_id = 0x1000;	/* golden frames */
	ft_unlock(A);
	ft_sysctl_set(A, "net.inet.tcp.rfc1323", 0);
	ft_sysctl_set(A, "net.inet.tcp.msl", 1000);
	ck_assert_int_eq(proc_create(A->fn_ns, &PA), 0);
}

static inline void
tf_setup(void)
{
	tf_setup_mtu(0, 0);
}

static inline void
tf_teardown(void)
{
	proc_destroy(PA);
	PA = NULL;
	ft_destroy(A);
	A = NULL;
	ck_assert_uint_eq(m_inuse(), tf_mbufs);
	ck_assert_uint_eq(kmem_inuse(), tf_kmem);
}

static inline uint64_t
tf_stat(const char *name)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "net.inet.tcp.stats.%s", name);
	return ft_counter(A, buf);
}

/* Build P's segment into an Ethernet frame.  => frame length */
static inline size_t
tf_frame(uint8_t *f, const struct tseg *s)
{
	static const uint8_t amac[6] = FT_MAC(1), pmac[6] = FT_MAC(2);
	size_t thl = 20 + s->optlen, tlen = thl + s->len;
	uint32_t src = ft_addr("198.51.100.2"), dst = ft_addr("198.51.100.1");
	uint8_t *ip = f + 14, *th = ip + 20;
	uint16_t sum;

	memcpy(f, amac, 6);
	memcpy(f + 6, pmac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	be16enc(ip + 2, (uint16_t)(20 + tlen));
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = KIPPROTO_TCP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	sum = in_cksum(ip, 20);
	memcpy(ip + 10, &sum, 2);
	memset(th, 0, 20);
	be16enc(th, s->sport ? s->sport : TF_PPORT);
	be16enc(th + 2, s->dport ? s->dport : TF_APORT);
	be32enc(th + 4, s->seq);
	be32enc(th + 8, s->ack);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = s->flags;
	be16enc(th + 14, s->win);
	if (s->optlen > 0)
		memcpy(th + 20, s->opt, s->optlen);
	if (s->len > 0)
		memcpy(th + thl, s->data, s->len);
	sum = in_cksum_fold(in_cksum_add(in_pseudo_sum(src, dst, KIPPROTO_TCP,
	    (uint16_t)tlen), th, tlen));
	sum = (uint16_t)~sum;
	memcpy(th + 16, &sum, 2);
	return 14 + 20 + tlen;
}

/* P sends a segment to A. */
static inline void
tf_send(const struct tseg *s)
{
	uint8_t f[2048];

	ck_assert_uint_le(s->len + s->optlen, sizeof(f) - 54);
	ft_input(A, f, tf_frame(f, s));
}

/* Parse A's next transmitted frame (Check-asserts it is TCP to P). */
static inline struct tseg
tf_recv_parse(struct mbuf *m)
{
	const uint8_t *f = m->m_data, *ip = f + 14, *th, *o;
	struct tseg s;
	size_t hl, thl, ipl;

	memset(&s, 0, sizeof(s));
	s.mss = s.ws = -1;
	s.csum_flags = m->m_pkthdr.csum_flags;
	s.framelen = m->m_len;
	ck_assert_uint_ge(m->m_len, 54);
	ck_assert_uint_eq(be16dec(f + 12), 0x0800);
	ck_assert_uint_eq(ip[9], KIPPROTO_TCP);
	hl = (ip[0] & 15) * 4u;
	ipl = be16dec(ip + 2);
	th = ip + hl;
	thl = (th[12] >> 4) * 4u;
	s.sport = be16dec(th);
	s.dport = be16dec(th + 2);
	s.seq = be32dec(th + 4);
	s.ack = be32dec(th + 8);
	s.flags = th[13];
	s.win = be16dec(th + 14);
	s.data = th + thl;
	s.len = ipl - hl - thl;
	/* The checksum (finished by the harness) must verify. */
	if (!(s.csum_flags & M_CSUM_TSOv4))
		ck_assert_uint_eq(in_cksum_fold(in_cksum_add(in_pseudo_sum(
		    ft_addr("198.51.100.1"), ft_addr("198.51.100.2"),
		    KIPPROTO_TCP, (uint16_t)(ipl - hl)), th, ipl - hl)),
		    0xffff);
	for (o = th + 20; o < th + thl;) {
		if (o[0] == TCPOPT_EOL)
			break;
		if (o[0] == TCPOPT_NOP) {
			o++;
			continue;
		}
		switch (o[0]) {
		case TCPOPT_MAXSEG:
			s.mss = be16dec(o + 2);
			break;
		case TCPOPT_WINDOW:
			s.ws = o[2];
			break;
		case TCPOPT_SACK_PERMITTED:
			s.sackok = true;
			break;
		case TCPOPT_TIMESTAMP:
			s.has_ts = true;
			s.tsval = be32dec(o + 2);
			s.tsecr = be32dec(o + 6);
			break;
		case TCPOPT_SACK:
			for (int i = 2; i < o[1] && s.nsack < 4; i += 8) {
				s.sack[s.nsack][0] = be32dec(o + i);
				s.sack[s.nsack][1] = be32dec(o + i + 4);
				s.nsack++;
			}
			break;
		}
		ck_assert_uint_ge(o[1], 2);
		o += o[1];
	}
	return s;
}

/* A's next segment (there must be one). */
static inline struct tseg
tf_recv(void)
{
	struct mbuf *m;
	struct tseg s;

	ft_settle(A);		/* ARP for P is answered by the harness */
	m = ft_tx_pop(A);
	ck_assert_msg(m != NULL, "A sent no segment");
	s = tf_recv_parse(m);
	m_freem(m);
	return s;
}

/* Exactly one segment. */
static inline struct tseg
tf_recv1(void)
{
	struct tseg s = tf_recv();

	ck_assert_msg(ft_tx_count(A) == 0, "A sent %u more segments",
	    ft_tx_count(A));
	return s;
}

static inline void
tf_none(void)
{
	ft_settle(A);
	ck_assert_msg(ft_tx_count(A) == 0, "A sent %u segments",
	    ft_tx_count(A));
}

static inline struct tcpcb *
tf_tcpcb(int fd)
{
	/* The descriptor's socket, found through the PCB table: the one
	 * connected to P's port, or the listener. */
	struct tcp_state *tcs = tcp_state(A->fn_ns);
	(void)fd;

	for (struct tcpcb *tp = tcs->tcs_list; tp != NULL; tp = tp->t_next)
		if (tp->t_inpcb->inp_fport == htons(TF_PPORT))
			return tp;
	return NULL;
}

static inline enum tcp_fsm_state
tf_state(void)
{
	struct tcpcb *tp;
	enum tcp_fsm_state s;

	ft_lock(A);
	tp = tf_tcpcb(-1);
	s = tp != NULL ? tp->t_state : TCPS_CLOSED;
	ft_unlock(A);
	return s;
}

static inline unsigned
tf_ntcpcb(void)
{
	unsigned n;

	ft_lock(A);
	n = tcp_state(A->fn_ns)->tcs_count;
	ft_unlock(A);
	return n;
}

static inline int
tf_socket(void)
{
	int fd;

	ck_assert_int_eq(ksys_socket(PA, AF_INET, KSOCK_STREAM | KSOCK_NONBLOCK,
	    0, &fd), 0);
	return fd;
}

static inline struct ksockaddr_in
tf_sin(const char *addr, uint16_t port)
{
	struct ksockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr = addr != NULL ? ft_addr(addr) : 0;
	return sin;
}

static inline int
tf_listen(int backlog)
{
	struct ksockaddr_in sin = tf_sin(NULL, TF_APORT);
	int fd = tf_socket();

	ck_assert_int_eq(ksys_bind(PA, fd, &sin, sizeof(sin)), 0);
	ck_assert_int_eq(ksys_listen(PA, fd, backlog), 0);
	return fd;
}

/* P's MSS and SACK-permitted options. */
static const uint8_t tf_synopt[] = { TCPOPT_MAXSEG, 4, 0x05, 0xb4,
    TCPOPT_NOP, TCPOPT_NOP, TCPOPT_SACK_PERMITTED, 2 };

/* A connection and what each side has sent. */
struct tconn {
	int		 lfd;		/* listener, or -1 */
	int		 fd;		/* A's descriptor */
	uint32_t	 iss;		/* A's ISS */
	uint32_t	 pnxt;		/* P's next sequence number */
	uint32_t	 anxt;		/* A's next sequence number (P acks) */
};

/* Passive open: A listens, P connects. */
static inline struct tconn
tf_established(void)
{
	struct tconn c = { .lfd = tf_listen(4), .fd = -1 };
	struct tseg s;

	tf_send(&(struct tseg){ .seq = TF_PISS, .flags = TH_SYN,
	    .win = 65535, .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(s.ack, TF_PISS + 1);
	c.iss = s.seq;
	c.anxt = s.seq + 1;
	c.pnxt = TF_PISS + 1;
	tf_send(&(struct tseg){ .seq = c.pnxt, .ack = c.anxt,
	    .flags = TH_ACK, .win = 65535 });
	tf_none();
	ck_assert_int_eq(ksys_accept4(PA, c.lfd, NULL, NULL, KSOCK_NONBLOCK,
	    &c.fd), 0);
	ck_assert_int_eq(tf_state(), TCPS_ESTABLISHED);
	return c;
}

/* Active open: A connects to P:TF_PPORT from port TF_APORT. */
static inline struct tconn
tf_active(void)
{
	struct tconn c = { .lfd = -1, .fd = tf_socket() };
	struct ksockaddr_in a = tf_sin(NULL, TF_APORT);
	struct ksockaddr_in p = tf_sin("198.51.100.2", TF_PPORT);
	struct tseg s;

	ck_assert_int_eq(ksys_bind(PA, c.fd, &a, sizeof(a)), 0);
	ck_assert_int_eq(ksys_connect(PA, c.fd, &p, sizeof(p)), EINPROGRESS);
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_SYN);
	ck_assert_int_eq(s.mss, 1460);
	c.iss = s.seq;
	c.anxt = s.seq + 1;
	c.pnxt = TF_PISS + 1;
	tf_send(&(struct tseg){ .sport = TF_PPORT, .dport = TF_APORT,
	    .seq = TF_PISS, .ack = c.anxt, .flags = TH_SYN | TH_ACK,
	    .win = 65535, .opt = tf_synopt, .optlen = sizeof(tf_synopt) });
	s = tf_recv1();
	ck_assert_uint_eq(s.flags, TH_ACK);
	ck_assert_uint_eq(s.ack, c.pnxt);
	ck_assert_int_eq(tf_state(), TCPS_ESTABLISHED);
	return c;
}

/* P sends data / an ACK on the connection. */
static inline void
tf_pdata(struct tconn *c, const void *data, size_t len, uint8_t flags)
{
	tf_send(&(struct tseg){ .seq = c->pnxt, .ack = c->anxt,
	    .flags = (uint8_t)(TH_ACK | flags), .win = 65535, .data = data,
	    .len = len });
	c->pnxt += (uint32_t)len + ((flags & TH_FIN) ? 1 : 0);
}

static inline void
tf_pack(struct tconn *c, uint32_t ack, uint16_t win)
{
	tf_send(&(struct tseg){ .seq = c->pnxt, .ack = ack, .flags = TH_ACK,
	    .win = win });
}

/* A's application writes len bytes ('x'). => bytes taken */
static inline size_t
tf_write(struct tconn *c, size_t len)
{
	static uint8_t buf[256 * 1024];
	size_t done = 0;
	int error;

	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_le(len, sizeof(buf));
	error = ksys_write(PA, c->fd, buf, len, &done);
	ck_assert(error == 0 || error == EAGAIN);
	return done;
}

/* Close everything and let TIME_WAIT pass: no tcpcb may be left. */
static inline void
tf_finish(struct tconn *c)
{
	if (c->fd >= 0)
		ck_assert_int_eq(ksys_close(PA, c->fd), 0);
	if (c->lfd >= 0)
		ck_assert_int_eq(ksys_close(PA, c->lfd), 0);
	ft_tx_clear(A);
	/* Whatever state: after a few RTOs and the MSLs nothing is left. */
	for (int i = 0; i < 40 && tf_ntcpcb() > 0; i++) {
		ft_advance(A, NS_SEC(30));
		ft_tx_clear(A);
	}
	ck_assert_uint_eq(tf_ntcpcb(), 0);
}

#endif /* _TESTS_UNIT_TEST_TCP_FIXTURE_H_ */
