/*
 * ip6_var.h -- IPv6 inside the stack: counters, tunables, the protocol
 * dispatch, and the functions other modules call (ip6_output, the
 * ICMPv6 error path, the path MTU cache).
 *
 * The ip6 module (ip6_input.c) owns NSMOD_IP6 (struct ip6_state: IPv6,
 * reassembly, path MTUs, UDP/IPv6 counters and raw IPv6 sockets) and
 * NSMOD_ICMP6 (struct icmp6_state).  UDP over IPv6 shares the UDP PCB
 * table of the ip module (udp_var.h), as in_pcb.h describes.
 *
 * For TCP over IPv6:
 *   - register with ip6_proto_register(ns, IPPROTO_TCP, input, ctlinput);
 *     input gets (m, off): m starts at the IPv6 header (ext headers
 *     possibly in between, reassembled, ip6_plen == m_len - 40), the TCP
 *     header at 'off'.  Checksum: in6_pseudo_sum(ip6_src, ip6_dst, 6,
 *     m_len - off) + the segment (or M_CSUM_TCPv6 per mbuf.h when the
 *     receiving interface verifies TCPv6);
 *   - send with ip6_output (below), deferring the checksum with
 *     M_CSUM_TCPv6 and csum_data = (40 << 16) | 16 after storing
 *     in_cksum_fold(in6_pseudo_sum(...)) in th_sum;
 *   - PCBs: in6_pcb* below (AF_INET6 PCBs in the TCP table);
 *   - ctlinput gets struct ip6_ctlmsg (ICMPv6 errors; PTB with its MTU,
 *     already applied to the path MTU cache, see ip6_pmtu()).
 *
 * Lock legend: netstack/kern/netstack.h.  Everything here is [K].
 */
#ifndef _NETSTACK_NETINET6_IP6_VAR_H_
#define _NETSTACK_NETINET6_IP6_VAR_H_

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/netinet/in_pcb.h"
#include "netstack/netinet6/ip6.h"
#include "netstack/netinet6/icmp6.h"
#include "netstack/netinet6/in6.h"

struct ifnet;

/* net.inet6.ip6.stats.<name>: every datagram not delivered or sent is
 * counted under exactly one reason. */
enum ip6_stat {
	IP6_STAT_TOTAL,		/* packets received */
	IP6_STAT_TOOSMALL,	/* shorter than an IPv6 header */
	IP6_STAT_BADVERS,	/* version is not 6 */
	IP6_STAT_TOOSHORT,	/* payload length beyond the frame */
	IP6_STAT_BADADDR,	/* bad source or destination */
	IP6_STAT_BADSCOPE,	/* scope violation (link-local off-link) */
	IP6_STAT_BADHDR,	/* malformed extension header */
	IP6_STAT_TOOMANYHDR,	/* too many extension headers */
	IP6_STAT_BADOPTIONS,	/* bad or unrecognised option (discarded) */
	IP6_STAT_RTHDR0,	/* routing header with segments left */
	IP6_STAT_HBHNOTFIRST,	/* hop-by-hop header not first */
	IP6_STAT_NONEXT,	/* "no next header": nothing to deliver */
	IP6_STAT_FRAGMENTS,	/* fragments received */
	IP6_STAT_ATOMICFRAGS,	/* atomic fragments (RFC 6946) */
	IP6_STAT_FRAGDROPPED,	/* fragments dropped: limits */
	IP6_STAT_FRAGDUP,	/* exact duplicates dropped */
	IP6_STAT_FRAGOVERLAP,	/* overlapping: datagram abandoned */
	IP6_STAT_BADFRAGS,	/* malformed fragments */
	IP6_STAT_FRAGTIMEOUT,	/* fragments dropped: timed out */
	IP6_STAT_REASSEMBLED,	/* packets reassembled */
	IP6_STAT_DELIVERED,	/* handed to an upper layer */
	IP6_STAT_NOPROTO,	/* unknown next header */
	IP6_STAT_FORWARD,	/* forwarded */
	IP6_STAT_CANTFORWARD,	/* not ours, not forwardable */
	IP6_STAT_HLIMEXCEEDED,	/* forwarding: hop limit reached 0 */
	IP6_STAT_NOROUTE,	/* no route */
	IP6_STAT_TOOBIG,	/* forwarding: bigger than the next-hop MTU */
	IP6_STAT_LOCALOUT,	/* generated here */
	IP6_STAT_ODROPPED,	/* output: no memory, no source */
	IP6_STAT_FRAGMENTED,	/* packets fragmented on output */
	IP6_STAT_OFRAGMENTS,	/* fragments created */
	IP6_STAT_CANTFRAG,	/* too big and not ours to fragment */
	IP6_NSTATS
};
extern const char *const ip6_stat_names[IP6_NSTATS];

/* An ICMPv6 error about a packet this host sent, for its transport. */
struct ip6_ctlmsg {
	uint8_t		 icm6_type;
	uint8_t		 icm6_code;
	int		 icm6_error;	/* errno; 0: advisory */
	bool		 icm6_hard;
	uint32_t	 icm6_mtu;	/* PTB: the MTU, host order */
	uint8_t		 icm6_src[16];	/* quoted source (local) */
	uint8_t		 icm6_dst[16];	/* quoted destination (remote) */
	unsigned	 icm6_scope;	/* zone of the addresses, or 0 */
	const uint8_t	*icm6_l4;	/* quoted upper-layer header */
	size_t		 icm6_l4len;
};

typedef void (*ip6_input_fn)(struct netstack *ns, struct mbuf *m,
    unsigned off);
typedef void (*ip6_ctlinput_fn)(struct netstack *ns,
    const struct ip6_ctlmsg *cm);
/* => 0, EEXIST.  Unregister with both NULL. */
int ip6_proto_register(struct netstack *ns, uint8_t proto, ip6_input_fn input,
    ip6_ctlinput_fn ctlinput);

enum udp6_stat {
	UDP6_STAT_IPACKETS,
	UDP6_STAT_HDROPS,	/* shorter than a UDP header */
	UDP6_STAT_BADLEN,	/* uh_ulen disagrees with the payload */
	UDP6_STAT_BADSUM,
	UDP6_STAT_NOSUM,	/* zero checksum: dropped (RFC 8200 8.1) */
	UDP6_STAT_NOPORT,	/* port unreachable sent */
	UDP6_STAT_NOPORTMCAST,	/* multicast, no socket */
	UDP6_STAT_FULLSOCK,
	UDP6_STAT_NOMEM,
	UDP6_STAT_DELIVERED,
	UDP6_STAT_OPACKETS,
	UDP6_NSTATS
};

enum raw6_stat {
	RAW6_STAT_IPACKETS,
	RAW6_STAT_FULLSOCK,
	RAW6_STAT_NOMEM,
	RAW6_STAT_OPACKETS,
	RAW6_STAT_BADSUM,	/* IPV6_CHECKSUM set, checksum wrong */
	RAW6_NSTATS
};

struct ip6_protoent {
	ip6_input_fn	 ip6p_input;
	ip6_ctlinput_fn	 ip6p_ctlinput;
};

struct ip6q;

/* Path MTU cache entry (RFC 8201). */
struct ip6_pmtu {
	struct ip6_pmtu	*pm_next;
	uint8_t		 pm_dst[16];
	uint32_t	 pm_mtu;
	uint64_t	 pm_expire;
};

struct ip6_state {
	uint64_t	 ip6s_stats[IP6_NSTATS];
	int32_t		 ip6s_forwarding;	/* net.inet6.ip6.forwarding */
	int32_t		 ip6s_hlim;		/* net.inet6.ip6.hlim */
	int32_t		 ip6s_maxfragpackets;	/* ...maxfragpackets */
	int32_t		 ip6s_maxfrags;		/* ...maxfrags (per packet) */
	int32_t		 ip6s_maxfragbytes;	/* ...maxfragbytes */
	int32_t		 ip6s_maxexthdrs;	/* ...maxexthdrs */
	int32_t		 ip6s_pmtu_expire;	/* ...pmtu_expire, seconds */
	uint32_t	 ip6s_fragid;
	struct ip6_protoent ip6s_proto[256];
	/* Reassembly (ip6_reass.c). */
	struct ip6q	*ip6s_reassq;
	unsigned	 ip6s_nfragpackets;
	size_t		 ip6s_fragbytes;
	/* Path MTUs. */
	struct ip6_pmtu	*ip6s_pmtu;
	unsigned	 ip6s_npmtu;
	/* UDP over IPv6 (udp6_usrreq.c). */
	uint64_t	 ip6s_udpstats[UDP6_NSTATS];
	bool		 ip6s_udpregistered;
	/* Raw IPv6 sockets (raw_ip6.c). */
	struct inpcbtable ip6s_rawtable;
	uint64_t	 ip6s_rawstats[RAW6_NSTATS];
	unsigned	 ip6s_rawnproto;
};

static inline struct ip6_state *
ip6_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_IP6];
}

static inline void
ip6_statinc(struct netstack *ns, enum ip6_stat s)
{
	ip6_state(ns)->ip6s_stats[s]++;
}

/* IPv6 input (ip6_input.c): registered for ETHERTYPE_IPV6. */
void ip6_input(struct netstack *ns, struct mbuf *m);

/* ip6_output flags */
#define IPV6_FORWARDING	0x0001	/* forwarded: header complete, keep it */
#define IPV6_MINMTU	0x0002	/* fragment at 1280 bytes */
#define IPV6_UNSPECSRC	0x0004	/* keep source :: (DAD, RS) */

/*
 * Send an IPv6 packet.  m starts at a 40-byte IPv6 header whose ip6_nxt,
 * ip6_hlim, ip6_dst and ip6_src (:: = choose by RFC 6724) the caller set,
 * and ip6_flow's class and label bits; ip6_output sets the version and
 * ip6_plen (= m_len - 40).  'oif' is the zone of a scoped destination
 * or a forced output interface (index; 0 = by route).
 *
 * Transport checksums may be deferred (M_CSUM_UDPv6 / M_CSUM_TCPv6,
 * mbuf.h): finished here when the interface does not offload them, and
 * always before fragmenting.  Packets bigger than the path MTU are
 * fragmented here (sources only; forwarded packets get Packet Too Big
 * from the forwarding path).  Packets to our own addresses loop
 * through lo0.
 *
 * => 0 (sent, queued for ND, or blackholed) or ENETUNREACH,
 *    EHOSTUNREACH (reject route, scoped destination without zone, scope
 *    violation), EADDRNOTAVAIL (no source), EMSGSIZE, ENOBUFS, or the
 *    interface's error.  m is consumed in every case.
 */
int ip6_output(struct netstack *ns, struct mbuf *m, unsigned oif, int flags);

/* The path MTU toward dst (cache, route and interface), >= 1280. */
uint32_t ip6_pmtu(struct netstack *ns, const uint8_t *dst, unsigned oif);
/* A Packet Too Big said mtu for dst (RFC 8201; clamped to 1280). */
void ip6_pmtu_update(struct netstack *ns, const uint8_t *dst, uint32_t mtu);

/* The hop limit a PCB's packets carry (IPV6_UNICAST_HOPS or default). */
uint8_t ip6_pcbhlim(struct netstack *ns, const struct inpcb *inp,
    const uint8_t *dst);
/* IPPROTO_IPV6 socket options of UDP and raw sockets. */
int ip6_ctloutput(struct inpcb *inp, bool set, int level, int name,
    void *val, size_t *lenp);

/* Finish deferred M_CSUM_UDPv6/TCPv6 checksums in software; the IPv6
 * header starts ehlen bytes into m (ip6_output, drivers, tests). */
void in6_undefer_cksum(struct mbuf *m, size_t ehlen, uint32_t which);

/* Reassembly (ip6_reass.c): m holds a fragment whose header is at
 * fhoff, the next-header field pointing at it at nxtoff.  => the whole
 * packet (fragment header removed) or NULL; m consumed. */
int frag6_init(struct netstack *ns);
void frag6_fini(struct netstack *ns);
struct mbuf *frag6_input(struct netstack *ns, struct mbuf *m, unsigned fhoff,
    unsigned nxtoff);

/*
 * ICMPv6 (icmp6.c).  icmp6_error sends (type, code) about packet m
 * (starts at its IPv6 header, consumed); param is the MTU (PTB) or the
 * pointer (parameter problem).  RFC 4443 2.4(e): nothing about an
 * error message, a packet to a multicast address or sent as link
 * multicast (except PTB and parameter problem code 2), or from a
 * source that is not one unicast host; rate limited by
 * net.inet6.icmp6.errppslimit.
 */
void icmp6_error(struct netstack *ns, struct mbuf *m, int type, int code,
    uint32_t param);
/* Checksum and send an ICMPv6 message: m starts at its IPv6 header with
 * nxt/hlim/src/dst set.  => ip6_output's result. */
int icmp6_output(struct netstack *ns, struct mbuf *m, unsigned oif);
void icmp6_input(struct netstack *ns, struct mbuf *m, unsigned off);
int icmp6_init(struct netstack *ns);
void icmp6_fini(struct netstack *ns);

/* UDP over IPv6 (udp6_usrreq.c). */
int udp6_init(struct netstack *ns);
void udp6_fini(struct netstack *ns);

/* Raw IPv6 (raw_ip6.c): copies to the sockets of protocol nxt, without
 * the IPv6 header.  m not consumed.  => true if a socket matched. */
int rip6_init(struct netstack *ns);
void rip6_fini(struct netstack *ns);
bool rip6_input(struct netstack *ns, const struct mbuf *m, unsigned off,
    uint8_t nxt);

/* AF_INET6 PCBs (in6_pcb.c), in the tables of in_pcb.h. */
int in6_pcbbind(struct inpcb *inp, const uint8_t *laddr, unsigned scope,
    uint16_t lport);
int in6_pcbconnect(struct inpcb *inp, const uint8_t *faddr, unsigned scope,
    uint16_t fport);
void in6_pcbdisconnect(struct inpcb *inp);
struct inpcb *in6_pcblookup(struct inpcbtable *t, const uint8_t *faddr,
    uint16_t fport, const uint8_t *laddr, uint16_t lport, bool wildcard,
    unsigned scope);
bool in6_pcbaccepts(const struct inpcb *inp, const uint8_t *faddr,
    uint16_t fport, const uint8_t *laddr, uint16_t lport);
unsigned in6_pcbnotify(struct inpcbtable *t, const uint8_t *faddr,
    uint16_t fport, const uint8_t *laddr, uint16_t lport, int error);
/*
 * pr_sockaddr / pr_peeraddr for protocols whose so_pcb is an AF_INET6
 * inpcb (UDP and raw over IPv6): address, port and zone.
 * => 0, EINVAL (no PCB), ENOTCONN (peer: not connected).
 */
int in6_pcb_sockaddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp);
int in6_pcb_peeraddr(struct socket *so, struct ksockaddr_storage *ss,
    size_t *lenp);
size_t in6_sockaddr_fill(struct ksockaddr_storage *ss, const uint8_t *addr,
    uint16_t port, unsigned scope);
/* => 0 (addr, port, scope), EINVAL, EAFNOSUPPORT; AF_UNSPEC as in
 * in_sockaddr_parse. */
int in6_sockaddr_parse(const struct ksockaddr *nam, size_t namlen,
    uint8_t *addr, uint16_t *port, unsigned *scope, bool allow_unspec,
    bool *unspec);
/* The errno an ICMPv6 error reports, and whether it is hard. */
int icmp6_errno(int type, int code, bool *hard);

#endif /* _NETSTACK_NETINET6_IP6_VAR_H_ */
