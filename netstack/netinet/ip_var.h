/*
 * ip_var.h -- IPv4 inside the stack: counters, tunables, the protocol
 * dispatch table, and the functions other netstack modules call
 * (ip_output, ip_proto_register, the ICMP error path).
 *
 * The ip module (ip_input.c) owns three state slots: NSMOD_IP (struct
 * ip_state: IP, reassembly and raw sockets), NSMOD_ICMP (struct
 * icmp_state) and NSMOD_UDP (struct udp_state, udp_var.h).
 *
 * Lock legend: netstack/kern/netstack.h.  Everything here is [K].
 */
#ifndef _NETSTACK_NETINET_IP_VAR_H_
#define _NETSTACK_NETINET_IP_VAR_H_

#include "netstack/kern/netstack.h"
#include "netstack/kern/mbuf.h"
#include "netstack/netinet/ip.h"
#include "netstack/netinet/ip_icmp.h"
#include "netstack/netinet/in_pcb.h"

struct rtentry;
struct socket;

/*
 * IPv4 counters: net.inet.ip.stats.<name>, names in ip_stat_names[].
 * Every datagram that is not delivered or sent is counted under exactly
 * one reason.
 */
enum ip_stat {
	IP_STAT_TOTAL,		/* datagrams received */
	IP_STAT_TOOSMALL,	/* frame shorter than an IPv4 header */
	IP_STAT_BADVERS,	/* version is not 4 */
	IP_STAT_BADHLEN,	/* header length < 20 or past the frame */
	IP_STAT_BADSUM,		/* header checksum wrong */
	IP_STAT_BADLEN,		/* total length < header length */
	IP_STAT_TOOSHORT,	/* total length > frame: data missing */
	IP_STAT_BADADDR,	/* martian source or destination */
	IP_STAT_LINKBCAST,	/* unicast datagram in a link broadcast */
	IP_STAT_BADOPTIONS,	/* malformed options */
	IP_STAT_FRAGMENTS,	/* fragments received */
	IP_STAT_FRAGDROPPED,	/* fragments dropped: reassembly limits */
	IP_STAT_FRAGDUP,	/* fragments dropped: exact duplicate */
	IP_STAT_FRAGOVERLAP,	/* fragments dropped: overlap (whole datagram) */
	IP_STAT_BADFRAGS,	/* fragments dropped: malformed */
	IP_STAT_FRAGTIMEOUT,	/* fragments dropped: reassembly timed out */
	IP_STAT_REASSEMBLED,	/* datagrams reassembled */
	IP_STAT_DELIVERED,	/* datagrams handed to a protocol */
	IP_STAT_NOPROTO,	/* unknown protocol, no raw socket */
	IP_STAT_FORWARD,	/* datagrams forwarded */
	IP_STAT_CANTFORWARD,	/* not ours, not forwardable (forwarding
				 * off, directed broadcast, bad source) */
	IP_STAT_TTLEXCEEDED,	/* forwarding: TTL would reach zero */
	IP_STAT_NOROUTE,	/* no route / reject route */
	IP_STAT_BLACKHOLE,	/* blackhole route: discarded silently */
	IP_STAT_BCASTDENIED,	/* broadcast without SO_BROADCAST */
	IP_STAT_LOCALOUT,	/* datagrams generated here */
	IP_STAT_RAWOUT,		/* ... of which with a caller's header */
	IP_STAT_ODROPPED,	/* output: no memory, no source address */
	IP_STAT_FRAGMENTED,	/* datagrams fragmented on output */
	IP_STAT_OFRAGMENTS,	/* fragments created */
	IP_STAT_CANTFRAG,	/* too big with DF set */
	IP_STAT_TOOLONG,	/* fragments dropped: datagram past 65535 */
	IP_STAT_REDIRECTSENT,	/* ICMP redirects sent when forwarding */
	IP_NSTATS
};
extern const char *const ip_stat_names[IP_NSTATS];

/*
 * An ICMP error about a datagram this host sent, as handed to the
 * transport that sent it (its ctlinput).  The quoted datagram is ours:
 * its source is the local end, its destination the remote end.
 */
struct ip_ctlmsg {
	uint8_t		 icm_type;	/* ICMP type and code */
	uint8_t		 icm_code;
	int		 icm_error;	/* icmp_errno(); 0: advisory */
	bool		 icm_hard;	/* RFC 1122 hard error */
	uint32_t	 icm_mtu;	/* NEEDFRAG: next-hop MTU, host order */
	uint32_t	 icm_src;	/* quoted source (local), net order */
	uint32_t	 icm_dst;	/* quoted destination (remote) */
	const uint8_t	*icm_l4;	/* quoted transport header */
	size_t		 icm_l4len;	/* bytes at icm_l4 (>= 8) */
};

/*
 * Protocol dispatch.  input gets a datagram that starts at its IP header
 * (fields still in network order, total length == m_len, hlen bytes of
 * header) and consumes it.  ctlinput gets ICMP errors about datagrams
 * the protocol sent; it must not keep icm_l4.
 */
typedef void (*ip_input_fn)(struct netstack *ns, struct mbuf *m,
    unsigned hlen);
typedef void (*ip_ctlinput_fn)(struct netstack *ns,
    const struct ip_ctlmsg *cm);

struct ip_protoent {
	ip_input_fn	 ipp_input;
	ip_ctlinput_fn	 ipp_ctlinput;
};

/*
 * Register a transport (TCP at its module init).  => 0, EEXIST.
 * Unregister with both functions NULL.
 */
int ip_proto_register(struct netstack *ns, uint8_t proto, ip_input_fn input,
    ip_ctlinput_fn ctlinput);

/* Raw IP sockets: counters net.inet.raw.stats.<name>. */
enum raw_stat {
	RAW_STAT_IPACKETS,	/* copies delivered to raw sockets */
	RAW_STAT_FULLSOCK,	/* copies dropped: receive buffer full */
	RAW_STAT_NOMEM,		/* copies dropped: no memory */
	RAW_STAT_OPACKETS,	/* datagrams sent */
	RAW_STAT_BADHDR,	/* IP_HDRINCL header refused */
	RAW_NSTATS
};
extern const char *const raw_stat_names[RAW_NSTATS];

struct ipq;

struct rump_pcbreq;

struct ip_state {
	uint64_t	 ips_stats[IP_NSTATS];
	int32_t		 ips_forwarding;	/* net.inet.ip.forwarding */
	int32_t		 ips_sendredirects;	/* net.inet.ip.redirect */
	int32_t		 ips_defttl;		/* net.inet.ip.ttl */
	int32_t		 ips_maxfragpackets;	/* net.inet.ip.maxfragpackets */
	int32_t		 ips_maxfragsperpacket;	/* ...maxfragsperpacket */
	int32_t		 ips_maxfragbytes;	/* ...maxfragbytes */
	int32_t		 ips_fragttl;		/* ...fragttl, seconds */
	uint16_t	 ips_id;		/* next datagram id */
	struct ip_protoent ips_proto[256];

	/* Reassembly (ip_reass.c). */
	struct ipq	*ips_reassq;		/* datagrams in progress */
	unsigned	 ips_nfragpackets;	/* entries on ips_reassq */
	size_t		 ips_fragbytes;		/* bytes of queued fragments */

	/* Raw sockets (raw_ip.c). */
	struct inpcbtable ips_rawtable;
	/* Every PCB table of the instance, newest first (in_pcb.c). */
	struct inpcbtable *ips_pcbtables;
	/*
	 * Sockets kept outside those tables (sockin), listed after them:
	 * fill req for its pcb_index'th socket of family pcb_family (0:
	 * any).  => 0, ENOENT.  NULL: none.
	 */
	int		(*ips_pcblist_ext)(struct netstack *,
			    struct rump_pcbreq *);
	uint64_t	 ips_rawstats[RAW_NSTATS];
	unsigned	 ips_rawnproto;		/* protosw entries registered */
};

static inline struct ip_state *
ip_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_IP];
}

static inline void
ip_statinc(struct netstack *ns, enum ip_stat s)
{
	ip_state(ns)->ips_stats[s]++;
}

/*
 * ip_output flags.
 */
#define IP_FORWARDING	0x0001	/* forwarded: header complete, keep it */
#define IP_RAWOUTPUT	0x0002	/* raw IP_HDRINCL: caller's header (ip_len
				 * and a zero ip_id / ip_src filled in) */
#define IP_ALLOWBROADCAST 0x0004 /* SO_BROADCAST: may send to broadcast */

/*
 * Send an IPv4 datagram.  m starts at a 20-byte struct ip whose ip_p,
 * ip_src (0: choose by route), ip_dst, ip_ttl, ip_tos and ip_off (IP_DF
 * only) the caller filled in; ip_output fills ip_vhl, ip_len (= m_len),
 * ip_id and ip_sum, except with IP_FORWARDING (header kept as is) and
 * IP_RAWOUTPUT (see above).  'rt' is a route to ip_dst the caller
 * already looked up, or NULL.
 *
 * Transport checksums may be deferred: M_CSUM_UDPv4 / M_CSUM_TCPv4 in
 * csum_flags with the pseudo-header sum in the checksum field and
 * csum_data per mbuf.h.  ip_output finishes in software whatever the
 * output interface does not offload, and always before fragmenting.
 * A TSO super-packet (M_CSUM_TSOv4) passes the MTU check only on an
 * interface with IFCAP_TSOv4 enabled; elsewhere the transport must cut
 * its own segments (EMSGSIZE otherwise).
 *
 * Datagrams to a local address leave through lo0 (whatever interface
 * the route names), which delivers them from a later callout run.
 *
 * => 0 (sent, queued for ARP, or dropped by a blackhole route) or an
 *    errno: ENETUNREACH (no route), EHOSTUNREACH (reject route),
 *    EACCES (broadcast without IP_ALLOWBROADCAST), EMSGSIZE (too big
 *    with DF, or > 65535), EADDRNOTAVAIL (no source), ENOBUFS, or the
 *    interface's error.  The mbuf is consumed in every case.
 */
int ip_output(struct netstack *ns, struct mbuf *m, struct rtentry *rt,
    int flags);

/* A fresh datagram identifier (per instance, random start). */
uint16_t ip_newid(struct netstack *ns);

/* The MTU toward a route: rt_mtu if set and smaller, else the
 * interface's. */
uint32_t ip_routemtu(const struct rtentry *rt);

/*
 * IPPROTO_IP level socket options for UDP and raw sockets: IP_TOS,
 * IP_TTL, IP_HDRINCL (raw only).  Anything else: ENOPROTOOPT.
 */
#define KIP_TOS		1
#define KIP_TTL		2
#define KIP_HDRINCL	3
int ip_ctloutput(struct inpcb *inp, bool set, int level, int name,
    void *val, size_t *lenp);
/* The TTL a PCB's datagrams to dst carry (IP_TTL or the default). */
uint8_t ip_pcbttl(struct netstack *ns, const struct inpcb *inp,
    uint32_t dst);

/*
 * Module internals shared between ip_*.c, udp_usrreq.c and raw_ip.c.
 */
/* Deliver a local datagram (reassembled, valid) to its protocol. */
void ip_deliver(struct netstack *ns, struct mbuf *m, unsigned hlen);
/* Is 'a' a source no single host may use (RFC 1122 3.2.1.3, RFC 1812
 * 5.3.7): multicast, limited or directed broadcast, class E; loopback
 * too unless the datagram came from a loopback interface? */
bool ip_martian_src(uint32_t a, const struct ifnet *rcvif);

/* Reassembly (ip_reass.c).  ip_reass consumes m and returns the whole
 * datagram once the last piece arrived, else NULL. */
int ip_reass_init(struct netstack *ns);
void ip_reass_fini(struct netstack *ns);
struct mbuf *ip_reass(struct netstack *ns, struct mbuf *m, unsigned hlen);

/*
 * ICMP counters: net.inet.icmp.stats.<name>, plus per-type histograms
 * net.inet.icmp.stats.inhist.<type> and .outhist.<type>.
 */
enum icmp_stat {
	ICMP_STAT_ERROR,	/* icmp_error calls */
	ICMP_STAT_OLDICMP,	/* no error sent: about an ICMP error */
	ICMP_STAT_OLDFRAG,	/* ... about a non-first fragment */
	ICMP_STAT_OLDBMCAST,	/* ... about a broadcast / multicast */
	ICMP_STAT_OLDMARTIAN,	/* ... source is not a single host */
	ICMP_STAT_OLDSHORT,	/* ... original too short to quote */
	ICMP_STAT_RATELIMITED,	/* ... over net.inet.icmp.errppslimit */
	ICMP_STAT_TOOSHORT,	/* received: shorter than 8 bytes */
	ICMP_STAT_CHECKSUM,	/* received: bad checksum */
	ICMP_STAT_BADCODE,	/* received: code out of range */
	ICMP_STAT_BADLEN,	/* received: error quotes too little */
	ICMP_STAT_BMCASTECHO,	/* echo to broadcast/multicast ignored */
	ICMP_STAT_REFLECT,	/* replies sent */
	ICMP_STAT_NOMEM,	/* reply or error not sent: no memory */
	ICMP_STAT_BADREDIRECT,	/* redirects received and not followed */
	ICMP_NSTATS
};
extern const char *const icmp_stat_names[ICMP_NSTATS];
/* Type names for the histograms (index = type, 0..ICMP_MAXTYPE). */
extern const char *const icmp_type_names[ICMP_MAXTYPE + 1];

struct icmp_state {
	uint64_t	 ics_stats[ICMP_NSTATS];
	uint64_t	 ics_inhist[ICMP_MAXTYPE + 1];
	uint64_t	 ics_outhist[ICMP_MAXTYPE + 1];
	int32_t		 ics_errppslimit;	/* -1 unlimited, 0 none */
	int32_t		 ics_bmcastecho;	/* answer broadcast echo */
	/* Error token bucket, in units of 1e-9 message. */
	uint64_t	 ics_tokens;
	uint64_t	 ics_tokens_at;		/* netstack time of refill */
	/* Redirects (icmp_redirect.c). */
	int32_t		 ics_rediraccept;	/* net.inet.icmp.rediraccept */
	int32_t		 ics_redirtimeout;	/* ...redirtimeout, seconds */
	struct icmp_redir *ics_redirs;		/* routes they made */
	struct callout	 ics_redirtimer;	/* the earliest expiry */
};

static inline struct icmp_state *
icmp_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_ICMP];
}

/* ICMP (ip_icmp.c). */
int icmp_init(struct netstack *ns);
void icmp_fini(struct netstack *ns);
void icmp_input(struct netstack *ns, struct mbuf *m, unsigned hlen);

/* ICMP redirects (icmp_redirect.c). */
int icmp_redirect_init(struct netstack *ns);
void icmp_redirect_fini(struct netstack *ns);
/* m (not consumed, rcvif set) is about to be forwarded along rt: send
 * its source a redirect if that is due. */
void icmp_redirect_check(struct netstack *ns, const struct mbuf *m,
    const struct rtentry *rt);
/* A redirect from 'from': use gw for dst.  => true if followed. */
bool icmp_redirect_input(struct netstack *ns, uint32_t from, uint32_t dst,
    uint32_t gw);

/* UDP (udp_usrreq.c). */
int udp_init(struct netstack *ns);
void udp_fini(struct netstack *ns);

/* Raw IP (raw_ip.c).  rip_input hands copies of a delivered datagram
 * to the raw sockets that want it, without consuming m.  => true if at
 * least one socket matched (then no protocol-unreachable is due). */
int rip_init(struct netstack *ns);
void rip_fini(struct netstack *ns);
bool rip_input(struct netstack *ns, const struct mbuf *m, unsigned hlen);

#endif /* _NETSTACK_NETINET_IP_VAR_H_ */
