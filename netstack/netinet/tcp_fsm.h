/*
 * tcp_fsm.h -- the connection states of RFC 9293 section 3.3.2.
 */
#ifndef _NETSTACK_NETINET_TCP_FSM_H_
#define _NETSTACK_NETINET_TCP_FSM_H_

enum tcp_fsm_state {
	TCPS_CLOSED,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
	TCP_NSTATES
};

/* A SYN has been received (the peer's sequence space is known). */
#define TCPS_HAVERCVDSYN(s)	((s) >= TCPS_SYN_RECEIVED)
/* The handshake completed. */
#define TCPS_HAVEESTABLISHED(s)	((s) >= TCPS_ESTABLISHED)
/* The peer's FIN has been received. */
#define TCPS_HAVERCVDFIN(s)	((s) == TCPS_CLOSE_WAIT || \
    (s) == TCPS_CLOSING || (s) == TCPS_LAST_ACK || (s) == TCPS_TIME_WAIT)

extern const char *const tcp_state_names[TCP_NSTATES];

#endif /* _NETSTACK_NETINET_TCP_FSM_H_ */
