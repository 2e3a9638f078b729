/*
 * tcp_var.h -- TCP inside the stack: the connection block (tcpcb), the
 * counters, the tunables and the functions shared by the tcp_*.c files.
 *
 * The tcp module owns the state slot NSMOD_TCP (struct tcp_state).
 * Lock legend: netstack/kern/netstack.h.  Everything here is [K].
 *
 * Buffers.  so_snd holds the bytes not yet acknowledged followed by the
 * bytes not yet sent: its first byte is sequence number snd_una (once
 * the SYN is acknowledged).  so_rcv holds in-order data the
 * application has not read; the advertised window is sbspace(so_rcv).
 * Out-of-order segments wait on t_reass, bounded by the same space.
 *
 * Address families.  Everything that depends on the network layer --
 * header length, pseudo-header checksum, output, route MTU, responses
 * without a connection -- goes through the tcp_af_* functions
 * (tcp_subr.c), which hand IPv6 connections (tcp_isv6) to
 * tcp_inet6.c.  One PCB table holds both families (in_pcb.h); the
 * AF_INET6 protocol switch shares tcp_usrreq.c's methods.  An AF_INET6
 * listener without IPV6_V6ONLY also accepts IPv4 connections: their
 * PCBs are AF_INET6 with v4-mapped addresses and run over IPv4.  An
 * AF_INET6 socket cannot connect to a v4-mapped address (ENETUNREACH,
 * in6_pcbconnect).
 */
#ifndef _NETSTACK_NETINET_TCP_VAR_H_
#define _NETSTACK_NETINET_TCP_VAR_H_

#include "netstack/kern/netstack.h"
#include "netstack/kern/callout.h"
#include "netstack/kern/mbuf.h"
#include "netstack/netinet/in_pcb.h"
#include "netstack/netinet/tcp.h"
#include "netstack/netinet/tcp_seq.h"
#include "netstack/netinet/tcp_fsm.h"

struct socket;
struct ip_ctlmsg;

/*
 * Counters: net.inet.tcp.stats.<name>, names in tcp_stat_names[].
 * Every received segment that is not processed is counted under one
 * reason.
 */
enum tcp_stat {
	TCP_STAT_CONNATTEMPT,	/* connections initiated (connect) */
	TCP_STAT_ACCEPTS,	/* connections accepted (SYN on a listener) */
	TCP_STAT_CONNECTS,	/* connections established */
	TCP_STAT_DROPS,		/* established connections dropped */
	TCP_STAT_CONNDROPS,	/* embryonic connections dropped */
	TCP_STAT_CLOSED,	/* connections closed (tcpcb freed) */
	TCP_STAT_SNDTOTAL,	/* segments sent */
	TCP_STAT_SNDPACK,	/* data segments sent */
	TCP_STAT_SNDBYTE,	/* data bytes sent */
	TCP_STAT_SNDREXMITPACK,	/* data segments retransmitted */
	TCP_STAT_SNDREXMITBYTE,	/* data bytes retransmitted */
	TCP_STAT_SNDACKS,	/* pure ACKs sent */
	TCP_STAT_SNDPROBE,	/* window probes sent */
	TCP_STAT_SNDWINUP,	/* window update segments sent */
	TCP_STAT_SNDCTRL,	/* control segments (SYN, FIN, RST) sent */
	TCP_STAT_SNDRST,	/* RST segments sent */
	TCP_STAT_DELACK,	/* ACKs delayed by the delayed-ACK timer */
	TCP_STAT_TSO,		/* TSO super-packets handed to ip_output */
	TCP_STAT_RCVTOTAL,	/* segments received */
	TCP_STAT_RCVPACK,	/* in-sequence data segments received */
	TCP_STAT_RCVBYTE,	/* in-sequence data bytes received */
	TCP_STAT_RCVBADSUM,	/* dropped: bad checksum */
	TCP_STAT_RCVBADOFF,	/* dropped: bad data offset */
	TCP_STAT_RCVSHORT,	/* dropped: shorter than a TCP header */
	TCP_STAT_RCVBADADDR,	/* dropped: broadcast/multicast address */
	TCP_STAT_RCVBADFLAGS,	/* dropped: impossible flag combination */
	TCP_STAT_RCVNOPORT,	/* no connection or listener (RST sent) */
	TCP_STAT_RCVDUPPACK,	/* duplicate-only data segments */
	TCP_STAT_RCVDUPBYTE,	/* duplicate-only data bytes */
	TCP_STAT_RCVPARTDUPPACK, /* segments with some duplicate data */
	TCP_STAT_RCVPARTDUPBYTE, /* duplicate bytes in them */
	TCP_STAT_RCVOOPACK,	/* out-of-order segments queued */
	TCP_STAT_RCVOOBYTE,	/* out-of-order bytes queued */
	TCP_STAT_RCVOOFULL,	/* out-of-order segments dropped: limit */
	TCP_STAT_RCVPACKAFTERWIN, /* segments (partly) beyond the window */
	TCP_STAT_RCVBYTEAFTERWIN, /* bytes beyond the window */
	TCP_STAT_RCVAFTERCLOSE,	/* data after the application closed */
	TCP_STAT_RCVWINPROBE,	/* window probes received */
	TCP_STAT_RCVDUPACK,	/* duplicate ACKs received */
	TCP_STAT_RCVACKTOOMUCH,	/* ACKs for data not yet sent */
	TCP_STAT_RCVACKPACK,	/* ACKs acknowledging new data */
	TCP_STAT_RCVACKBYTE,	/* bytes acknowledged */
	TCP_STAT_RCVWINUPD,	/* pure window updates received */
	TCP_STAT_RCVBADACK,	/* unacceptable ACK during the handshake */
	TCP_STAT_RCVLISTENDROP,	/* listener: segment without SYN dropped */
	TCP_STAT_RCVNOTSYN,	/* dropped: no SYN/ACK/RST where required */
	TCP_STAT_RCVOLDTS,	/* dropped: PAWS, old timestamp */
	TCP_STAT_RCVMEMDROP,	/* dropped: out of memory */
	TCP_STAT_REXMTTIMEO,	/* retransmission timeouts */
	TCP_STAT_PERSISTTIMEO,	/* persist timeouts */
	TCP_STAT_KEEPTIMEO,	/* keepalive timeouts */
	TCP_STAT_KEEPPROBE,	/* keepalive probes sent */
	TCP_STAT_KEEPDROPS,	/* connections dropped by keepalive */
	TCP_STAT_TIMEOUTDROP,	/* connections dropped: retransmit limit */
	TCP_STAT_TIMEWAIT,	/* connections entering TIME_WAIT */
	TCP_STAT_TWREUSE,	/* TIME_WAIT connections reused by a SYN */
	TCP_STAT_CHALLENGEACK,	/* challenge ACKs sent (RFC 5961) */
	TCP_STAT_CHALLENGEACK_LIMITED, /* challenge ACKs rate limited */
	TCP_STAT_RSTBAD,	/* RSTs ignored: not in window */
	TCP_STAT_RCVRST,	/* RSTs accepted */
	TCP_STAT_SYNRECV_OVERFLOW, /* SYNs dropped: listen queue full */
	TCP_STAT_SACKRECOVERY,	/* SACK loss recovery episodes */
	TCP_STAT_FASTRETRANSMIT, /* fast retransmits (3 dup ACKs) */
	TCP_STAT_PARTIALACK,	/* NewReno partial ACKs */
	TCP_STAT_SACKRCVBLK,	/* SACK blocks received */
	TCP_STAT_SACKSNDBLK,	/* SACK blocks sent */
	TCP_STAT_PMTUUPDATE,	/* MSS lowered by an ICMP frag-needed */
	TCP_STAT_ICMPERR,	/* ICMP errors reported to a connection */
	TCP_STAT_SYNRECV_DROPPED, /* embryos recycled for a new SYN */
	TCP_NSTATS
};
extern const char *const tcp_stat_names[TCP_NSTATS];

/* Linux option numbers (level IPPROTO_TCP). */
#define KTCP_NODELAY	1
#define KTCP_MAXSEG	2
#define KTCP_KEEPIDLE	4
#define KTCP_KEEPINTVL	5
#define KTCP_KEEPCNT	6

/* Timers, one callout each. */
enum tcp_timer {
	TCPT_REXMT,		/* retransmission (and SYN) */
	TCPT_PERSIST,		/* zero-window probes */
	TCPT_KEEP,		/* keepalive / connection establishment */
	TCPT_2MSL,		/* TIME_WAIT, orphaned FIN_WAIT_2 */
	TCPT_DELACK,		/* delayed ACK */
	TCPT_NTIMERS
};

/* An out-of-order segment waiting for the hole before it. */
struct tcp_reass {
	struct tcp_reass *tr_next;	/* sorted by tr_seq */
	tcp_seq		 tr_seq;
	uint32_t	 tr_len;
	bool		 tr_fin;	/* a FIN follows the data */
	uint8_t		 tr_data[];
};

/* SACK blocks: what we received out of order, what the peer has. */
#define TCP_SACK_MAXREPORT	4	/* blocks we remember to report */
#define TCP_SACK_MAXHOLES	64	/* scoreboard ranges kept */

struct tcp_sackblk {
	tcp_seq		 start;		/* first byte */
	tcp_seq		 end;		/* one past the last */
};

/* t_flags */
#define TF_ACKNOW	0x00000001	/* send an ACK now */
#define TF_DELACK	0x00000002	/* an ACK is owed (delack timer) */
#define TF_NODELAY	0x00000004	/* TCP_NODELAY: no Nagle */
#define TF_SENTFIN	0x00000008	/* our FIN has been sent */
#define TF_REQ_SCALE	0x00000010	/* we offer window scaling */
#define TF_RCVD_SCALE	0x00000020	/* ... and the peer agreed */
#define TF_REQ_TSTMP	0x00000040	/* we offer timestamps */
#define TF_RCVD_TSTMP	0x00000080	/* ... and the peer agreed */
#define TF_SACK_PERMIT	0x00000100	/* SACK agreed on both sides */
#define TF_REQ_SACK	0x00000200	/* we offer SACK */
#define TF_NEEDFIN	0x00000400	/* send a FIN after the data */
#define TF_DETACHED	0x00000800	/* the socket was closed */
#define TF_RECOVERY	0x00001000	/* in fast recovery */
#define TF_SACKRECOV	0x00002000	/* ... driven by the SACK scoreboard */
#define TF_RTTVALID	0x00004000	/* srtt/rttvar hold a measurement */
#define TF_RCVD_MSS	0x00008000	/* the peer sent an MSS option */
#define TF_TSO_OK	0x00010000	/* route interface does TSO */
#define TF_PERSISTING	0x00020000	/* zero window: probing */
#define TF_FORCEDATA	0x00040000	/* send one byte into a zero window */

struct tcpcb {
	struct tcpcb	*t_next;	/* every tcpcb of the instance */
	struct tcpcb	**t_pprev;
	struct netstack	*t_ns;		/* [I] */
	struct inpcb	*t_inpcb;	/* [I] the PCB (addresses, socket) */
	enum tcp_fsm_state	 t_state;
	unsigned	 t_flags;	/* TF_* */
	struct callout	 t_timer[TCPT_NTIMERS];

	/* Send sequence space (RFC 9293 3.3.1). */
	tcp_seq		 snd_una;	/* oldest unacknowledged */
	tcp_seq		 snd_nxt;	/* next to send */
	tcp_seq		 snd_max;	/* highest sent + 1 */
	tcp_seq		 iss;
	uint32_t	 snd_wnd;	/* peer's window, scaled */
	tcp_seq		 snd_wl1;	/* seq of the last window update */
	tcp_seq		 snd_wl2;	/* ack of the last window update */
	uint32_t	 max_sndwnd;	/* largest window the peer offered */

	/* Receive sequence space. */
	tcp_seq		 rcv_nxt;
	tcp_seq		 irs;
	tcp_seq		 rcv_adv;	/* rcv_nxt + advertised window */
	uint32_t	 t_segqlen;	/* bytes on t_reass */
	struct tcp_reass *t_reass;	/* out-of-order segments */
	unsigned	 t_rcvsegs;	/* full segments since the last ACK */

	/* Options. */
	uint8_t		 snd_scale;	/* peer's window shift */
	uint8_t		 rcv_scale;	/* our window shift */
	uint8_t		 request_r_scale; /* shift we offer */
	uint32_t	 t_maxseg;	/* MSS we send (options excluded) */
	uint32_t	 t_peermss;	/* MSS the peer announced */
	uint32_t	 t_usermss;	/* TCP_MAXSEG, 0 = none */
	uint32_t	 t_pmtu;	/* path MTU, 0 = route MTU */
	uint32_t	 ts_recent;	/* peer's latest TSval (RFC 7323) */
	uint64_t	 ts_recent_age;	/* when it was stored */
	uint32_t	 ts_offset;	/* our TSval = ms clock + offset */

	/* Congestion control (tcp_cc.c) and loss recovery. */
	uint32_t	 snd_cwnd;
	uint32_t	 snd_ssthresh;
	uint32_t	 t_bytes_acked;	/* congestion avoidance counter */
	unsigned	 t_dupacks;
	tcp_seq		 snd_recover;	/* RFC 6582 "recover" */
	tcp_seq		 snd_hirxt;	/* RFC 6675 HighRxt */
	struct tcp_sackblk t_sackhole[TCP_SACK_MAXHOLES]; /* peer's SACKed
					 * ranges above snd_una, sorted */
	unsigned	 t_nsack;
	struct tcp_sackblk t_sackrep[TCP_SACK_MAXREPORT]; /* to report,
					 * most recent first */
	unsigned	 t_nsackrep;

	/* Round-trip time and retransmission (RFC 6298), in ns. */
	uint64_t	 t_srtt;
	uint64_t	 t_rttvar;
	uint64_t	 t_rto;
	unsigned	 t_rxtshift;	/* backoff exponent */
	uint64_t	 t_rtttime;	/* timing t_rtseq since, 0 = not */
	tcp_seq		 t_rtseq;
	uint64_t	 t_lastrecv;	/* netstack time of the last segment */
	unsigned	 t_persistshift;

	/* Keepalive (SO_KEEPALIVE), seconds; 0 = the sysctl default. */
	uint32_t	 t_keepidle;
	uint32_t	 t_keepintvl;
	uint32_t	 t_keepcnt;
	unsigned	 t_keepsent;	/* probes unanswered */

	int		 t_softerror;	/* last ICMP soft error */
};

static inline struct socket *
tcp_socket(const struct tcpcb *tp)
{
	return tp->t_inpcb->inp_socket;
}

struct tcp_state {
	uint64_t	 tcs_stats[TCP_NSTATS];
	struct inpcbtable tcs_table;
	struct tcpcb	*tcs_list;	/* every tcpcb */
	unsigned	 tcs_count;
	uint8_t		 tcs_secret[16]; /* ISN / timestamp key */
	bool		 tcs_registered;
	bool		 tcs_registered6; /* input registered with ip6 */
	bool		 tcs_protosw6;	/* AF_INET6 protosw registered */
	bool		 tcs_dying;	/* module teardown: detach frees */
	/* Challenge ACK rate limit (RFC 5961 7): tokens this second. */
	uint64_t	 tcs_chack_second;
	uint32_t	 tcs_chack_count;

	/* Tunables (net.inet.tcp.*). */
	int32_t		 tcs_msl_ms;		/* msl: MSL in ms */
	int32_t		 tcs_finwait2_ms;	/* finwait2_timeout, ms */
	int32_t		 tcs_mssdflt;		/* mssdflt */
	int32_t		 tcs_rtomin_ms;		/* rtomin */
	int32_t		 tcs_rtoinit_ms;	/* rtoinit */
	int32_t		 tcs_rtomax_ms;		/* rtomax */
	int32_t		 tcs_delack_ms;		/* delack */
	int32_t		 tcs_keepidle;		/* keepidle (s) */
	int32_t		 tcs_keepintvl;		/* keepintvl (s) */
	int32_t		 tcs_keepcnt;		/* keepcnt */
	int32_t		 tcs_synretries;	/* synretries */
	int32_t		 tcs_retries;		/* retries */
	int32_t		 tcs_sack;		/* sack: offer SACK */
	int32_t		 tcs_rfc1323;		/* rfc1323: scale + ts */
	int32_t		 tcs_tso;		/* tso: use TSO if offered */
	int32_t		 tcs_chacklimit;	/* challenge_ack_limit /s */
	int32_t		 tcs_initcwnd;		/* initcwnd (segments) */
};

static inline struct tcp_state *
tcp_state(struct netstack *ns)
{
	return ns->ns_mod[NSMOD_TCP];
}

static inline void
tcp_statinc(struct netstack *ns, enum tcp_stat s)
{
	tcp_state(ns)->tcs_stats[s]++;
}

static inline void
tcp_statadd(struct netstack *ns, enum tcp_stat s, uint64_t n)
{
	tcp_state(ns)->tcs_stats[s] += n;
}

static inline struct tcpcb *
intotcpcb(const struct inpcb *inp)
{
	return inp->inp_ppcb;
}

/*
 * A parsed, validated incoming segment (tcp_input.c tcp_seg_parse).
 * After parsing nothing looks at the raw header again.
 */
struct tcp_seg {
	uint16_t	 sport, dport;	/* network order */
	tcp_seq		 seq;
	tcp_seq		 ack;
	uint8_t		 flags;		/* TH_* */
	uint32_t	 win;		/* unscaled */
	uint16_t	 urp;
	const uint8_t	*data;		/* payload */
	uint32_t	 len;		/* payload bytes */
	/* Options. */
	bool		 has_mss, has_ws, has_ts, sack_ok;
	uint16_t	 mss;
	uint8_t		 ws;
	uint32_t	 tsval, tsecr;
	unsigned	 nsack;
	struct tcp_sackblk sack[4];
	/* Network layer. */
	int		 af;		/* AF_INET or AF_INET6 */
	uint32_t	 src, dst;	/* IPv4, network order */
	uint8_t		 src6[16], dst6[16]; /* IPv6 */
	unsigned	 scope;		/* IPv6: zone (rcvif index) */
	struct ifnet	*rcvif;
};

/*
 * Does the connection run over IPv6?  An AF_INET6 PCB whose foreign
 * address is v4-mapped (a dual-stack listener's IPv4 child) runs over
 * IPv4 with inp_laddr/inp_faddr, like an AF_INET one.
 */
static inline bool
tcp_isv6(const struct tcpcb *tp)
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	const struct inpcb *inp = tp->t_inpcb;

	return inp->inp_af == AF_INET6 &&
	    memcmp(inp->inp_faddr6.s6_addr, v4mapped, 12) != 0;
}

/* ------------------------------------------------------ tcp_subr.c */
int tcp_init(struct netstack *ns);
void tcp_fini(struct netstack *ns);
/* A new tcpcb for inp (state CLOSED). */
struct tcpcb *tcp_newtcpcb(struct inpcb *inp);
/* Free the connection: tcpcb, PCB, and the socket's link to them.
 * => NULL */
struct tcpcb *tcp_close(struct tcpcb *tp);
/* Abort with an error reported to the socket: RST if synchronized.
 * => NULL */
struct tcpcb *tcp_drop(struct tcpcb *tp, int error);
void tcp_set_state(struct tcpcb *tp, enum tcp_fsm_state s);
/* The socket is done with (TIME_WAIT, closed after close()). */
void tcp_release_socket(struct tcpcb *tp);
tcp_seq tcp_new_iss(struct netstack *ns, const struct inpcb *inp);
uint32_t tcp_ts_now(const struct tcpcb *tp);
/* Send a segment without a connection (RST, challenge ACK). */
void tcp_respond(struct netstack *ns, const struct tcp_seg *sg,
    tcp_seq seq, tcp_seq ack, uint8_t flags);
/* RFC 9293 3.10.7.1: the RST answering segment sg. */
void tcp_reset_for(struct netstack *ns, const struct tcp_seg *sg);
/* MSS for a connection from the route MTU and the peer's option. */
void tcp_mss_update(struct tcpcb *tp);
uint32_t tcp_mss_to_advertise(struct tcpcb *tp);
void tcp_ctlinput(struct netstack *ns, const struct ip_ctlmsg *cm);
/* Would a challenge ACK now exceed the rate limit? (counts) */
bool tcp_challenge_ratelimited(struct netstack *ns);
/* Network layer (address family) helpers. */
unsigned tcp_af_hdrlen(const struct tcpcb *tp);
int tcp_af_output(struct tcpcb *tp, struct mbuf *m, uint32_t tcplen,
    bool tso);
uint32_t tcp_af_mtu(struct tcpcb *tp, bool *tsop);
/* The common part of an ICMP/ICMPv6 error for connection tp about a
 * segment with sequence number seq: 'toobig' with the path MTU, or
 * error (0: advisory) and whether it is hard. */
void tcp_ctlinput_conn(struct tcpcb *tp, tcp_seq seq, bool toobig,
    uint32_t mtu, int error, bool hard);

/* ----------------------------------------------------- tcp_inet6.c */
/* TCP over IPv6: the module after ip6 (input, ICMPv6, AF_INET6 protosw
 * registration). */
int tcp6_init(struct netstack *ns);
void tcp6_fini(struct netstack *ns);
int tcp6_af_output(struct tcpcb *tp, struct mbuf *m, uint32_t tcplen,
    bool tso);
uint32_t tcp6_af_mtu(struct tcpcb *tp, bool *tsop);
/* A segment without a connection (RST) to sg's source. */
void tcp6_respond(struct netstack *ns, const struct tcp_seg *sg,
    struct mbuf *m);
struct inpcb *tcp6_pcblookup(struct netstack *ns, const struct tcp_seg *sg,
    bool wildcard);
/* Fill a new passive-open PCB (AF_INET6) from an IPv6 SYN. */
void tcp6_pcb_from_seg(struct inpcb *inp, const struct tcp_seg *sg);

/* ----------------------------------------------------- tcp_input.c */
void tcp_input(struct netstack *ns, struct mbuf *m, unsigned hlen);
/* The family-independent part of parsing: th[0..tlen) is the TCP
 * header and payload, checksum already checked.  => false: drop
 * (counted). */
bool tcp_seg_parse_th(struct netstack *ns, const uint8_t *th,
    uint32_t tlen, struct tcp_seg *sg);
/* Find the connection for a parsed segment and process it. */
void tcp_input_seg(struct netstack *ns, struct tcp_seg *sg);
/* Enter TIME_WAIT: 2*MSL timer, socket released if closed. */
void tcp_enter_timewait(struct tcpcb *tp);

/* ---------------------------------------------------- tcp_output.c */
/* Send what the state, windows and timers allow.  => 0 or errno. */
int tcp_output(struct tcpcb *tp);
/* Send one segment: [seq, seq+len) from so_snd, with flags. */
int tcp_send_segment(struct tcpcb *tp, tcp_seq seq, uint32_t len,
    uint8_t flags, bool rexmit);
/* An ACK right now (challenge ACKs, dup-ACKs). */
void tcp_send_ack(struct tcpcb *tp);
/* Advertised receive window (scaled value, before shifting). */
uint32_t tcp_rcv_window(const struct tcpcb *tp);

/* ----------------------------------------------------- tcp_timer.c */
void tcp_timers_init(struct tcpcb *tp);
void tcp_timers_stop(struct tcpcb *tp);
void tcp_timer_arm(struct tcpcb *tp, enum tcp_timer t, uint64_t delay);
void tcp_timer_stop(struct tcpcb *tp, enum tcp_timer t);
bool tcp_timer_pending(const struct tcpcb *tp, enum tcp_timer t);
/* Current RTO with backoff, clamped to [rtomin, rtomax]. */
uint64_t tcp_rexmt_delay(const struct tcpcb *tp);
void tcp_rtt_update(struct tcpcb *tp, uint64_t rtt);
void tcp_setpersist(struct tcpcb *tp);
void tcp_keep_arm(struct tcpcb *tp);
uint64_t tcp_msl(const struct tcpcb *tp);
/* How long a closed socket's FIN_WAIT_2 waits for the peer's FIN. */
uint64_t tcp_finwait2_timeout(const struct tcpcb *tp);

/* ------------------------------------------------------ tcp_sack.c */
/* Receiver: remember [start, end) as received out of order. */
void tcp_sack_rcv_update(struct tcpcb *tp, tcp_seq start, tcp_seq end);
/* Receiver: forget blocks at or below rcv_nxt. */
void tcp_sack_rcv_trim(struct tcpcb *tp);
/* Sender: merge the blocks of an incoming ACK into the scoreboard. */
void tcp_sack_update(struct tcpcb *tp, const struct tcp_seg *sg);
/* Sender: drop scoreboard ranges below snd_una. */
void tcp_sack_trim(struct tcpcb *tp);
void tcp_sack_clear(struct tcpcb *tp);
/* RFC 6675: highest SACKed byte + 1 (snd_una if none). */
tcp_seq tcp_sack_high(const struct tcpcb *tp);
/* Bytes SACKed above snd_una. */
uint32_t tcp_sack_bytes(const struct tcpcb *tp);
/* RFC 6675 SetPipe (conservative). */
uint32_t tcp_sack_pipe(const struct tcpcb *tp);
/* RFC 6675 NextSeg: the next hole to retransmit at or after snd_hirxt.
 * => true and [*seqp, *seqp + *lenp) */
bool tcp_sack_nextseg(const struct tcpcb *tp, tcp_seq *seqp,
    uint32_t *lenp);
/* Is seq SACKed? */
bool tcp_sack_is_sacked(const struct tcpcb *tp, tcp_seq seq,
    uint32_t *runp);

/* -------------------------------------------------------- tcp_cc.c */
void tcp_cc_init(struct tcpcb *tp);
void tcp_cc_ack(struct tcpcb *tp, uint32_t acked);
void tcp_cc_enter_recovery(struct tcpcb *tp);
void tcp_cc_partial_ack(struct tcpcb *tp, uint32_t acked);
void tcp_cc_exit_recovery(struct tcpcb *tp);
void tcp_cc_rto(struct tcpcb *tp);
void tcp_cc_idle(struct tcpcb *tp);
uint32_t tcp_flightsize(const struct tcpcb *tp);

/* ---------------------------------------------------- tcp_usrreq.c */
int tcp_usr_init(struct netstack *ns);
void tcp_usr_fini(struct netstack *ns);
/* The application may not read any more: notify, free on CLOSED. */
void tcp_usrclosed(struct tcpcb *tp);
/* The AF_INET6 SOCK_STREAM protocol switch (tcp_usrreq.c). */
extern const struct protosw tcp6_protosw;

#endif /* _NETSTACK_NETINET_TCP_VAR_H_ */
