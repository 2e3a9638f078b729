/*
 * tcp_usrreq.c -- the SOCK_STREAM protocol switch for TCP over IPv4:
 * open (active and passive), close and shutdown (RFC 9293 3.10.4),
 * sending and window updates, addresses, and the IPPROTO_TCP options
 * (Linux numbers: TCP_NODELAY 1, TCP_MAXSEG 2, TCP_KEEPIDLE 4,
 * TCP_KEEPINTVL 5, TCP_KEEPCNT 6).
 *
 * Closing.  pr_detach starts a graceful close: the socket stays (so_pcb
 * kept) until what is in so_snd has been acknowledged and our FIN too;
 * the connection then lets go of it (tcp_release_socket) and, in
 * TIME_WAIT, lives on without one.  Unread received data, SO_LINGER
 * with a zero timeout, or a connection not yet synchronized abort at
 * once (RST where the peer knows us).
 */
#include "netstack/netinet/tcp_var.h"
#include "netstack/netinet/ip_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/kern/socketvar.h"
#include "netstack/netinet6/ip6_var.h"
#include "netstack/netinet6/in6_var.h"

static struct tcpcb *
tcp_sotcpcb(struct socket *so)
{
	struct inpcb *inp = so->so_pcb;

	return inp != NULL ? intotcpcb(inp) : NULL;
}

static int
tcp_attach_af(struct socket *so, int proto, int af)
{
	struct inpcb *inp;
	int error;

	if (proto != 0 && proto != KIPPROTO_TCP)
		return EPROTONOSUPPORT;
	if ((error = in_pcballoc(&tcp_state(so->so_ns)->tcs_table, so,
	    af, &inp)) != 0)
		return error;
	(void)tcp_newtcpcb(inp);
	return 0;
}

static int
tcp_attach(struct socket *so, int proto)
{
	return tcp_attach_af(so, proto, AF_INET);
}

static int
tcp6_attach(struct socket *so, int proto)
{
	return tcp_attach_af(so, proto, AF_INET6);
}

/* Free the connection now, without touching the socket any more. */
static void
tcp_detach_now(struct socket *so, struct tcpcb *tp, bool rst)
{
	tp->t_inpcb->inp_socket = NULL;
	so->so_pcb = NULL;
	if (rst)
		(void)tcp_drop(tp, 0);
	else
		(void)tcp_close(tp);
}

void
tcp_usrclosed(struct tcpcb *tp)
{
	switch (tp->t_state) {
	case TCPS_SYN_RECEIVED:
		tp->t_flags |= TF_NEEDFIN;	/* FIN_WAIT_1 once open */
		break;
	case TCPS_ESTABLISHED:
		tp->t_flags |= TF_NEEDFIN;
		tcp_set_state(tp, TCPS_FIN_WAIT_1);
		break;
	case TCPS_CLOSE_WAIT:
		tp->t_flags |= TF_NEEDFIN;
		tcp_set_state(tp, TCPS_LAST_ACK);
		break;
	default:
		break;
	}
}

static void
tcp_detach(struct socket *so)
{
	struct tcpcb *tp = tcp_sotcpcb(so);

	if (tp == NULL) {
		if (so->so_pcb != NULL)
			in_pcbfree(so->so_pcb);
		return;
	}
	if (tcp_state(so->so_ns)->tcs_dying || tp->t_state == TCPS_CLOSED ||
	    tp->t_state == TCPS_LISTEN || tp->t_state == TCPS_SYN_SENT) {
		tcp_detach_now(so, tp, false);
		return;
	}
	if (tp->t_state == TCPS_SYN_RECEIVED || so->so_rcv.sb_cc > 0 ||
	    ((so->so_options & SO_OPT_LINGER) && so->so_linger == 0)) {
		tcp_detach_now(so, tp, true);
		return;
	}
	if (tp->t_state == TCPS_TIME_WAIT) {
		/* Already closed both ways: the socket can go now. */
		tp->t_inpcb->inp_socket = NULL;
		so->so_pcb = NULL;
		return;
	}
	tp->t_flags |= TF_DETACHED;
	tcp_usrclosed(tp);
	if (tp->t_state == TCPS_FIN_WAIT_2)
		tcp_timer_arm(tp, TCPT_2MSL, tcp_finwait2_timeout(tp));
	(void)tcp_output(tp);
}

static int
tcp_bind(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = so->so_pcb;
	uint32_t addr;
	uint16_t port;
	int error;

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_af == AF_INET6) {
		uint8_t a6[16];
		unsigned scope;

		if ((error = in6_sockaddr_parse(nam, namlen, a6, &port,
		    &scope, false, NULL)) != 0)
			return error;
		if (in6_is_multicast(a6))
			return EADDRNOTAVAIL;
		return in6_pcbbind(inp, a6, scope, port);
	}
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, false,
	    NULL)) != 0)
		return error;
	if (in_multicast(addr) || addr == KINADDR_BROADCAST)
		return EADDRNOTAVAIL;
	return in_pcbbind(inp, addr, port);
}

static int
tcp_listen(struct socket *so, int backlog)
{
	struct tcpcb *tp = tcp_sotcpcb(so);
	struct inpcb *inp = so->so_pcb;
	int error;

	(void)backlog;
	if (tp == NULL)
		return EINVAL;
	if (tp->t_state != TCPS_CLOSED && tp->t_state != TCPS_LISTEN)
		return EINVAL;
	if (inp->inp_lport == 0 && inp->inp_af == AF_INET6)
		error = in6_pcbbind(inp, inp->inp_laddr6.s6_addr,
		    inp->inp_scope6, 0);
	else if (inp->inp_lport == 0)
		error = in_pcbbind(inp, inp->inp_laddr, 0);
	else
		error = 0;
	if (error != 0)
		return error;
	tcp_set_state(tp, TCPS_LISTEN);
	return 0;
}

/* Close a TIME_WAIT connection that holds the four-tuple we want. */
static bool
tcp_connect_reuse_tw(struct inpcb *inp, uint32_t faddr, uint16_t fport)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	struct inpcb *other;
	struct tcpcb *otp;
	uint32_t src = inp->inp_laddr;

	if (inp->inp_lport == 0)
		return false;
	if (src == KINADDR_ANY && in_selectsrc(ns, faddr, &src, NULL) != 0)
		return false;
	other = in_pcblookup(inp->inp_table, faddr, fport, src,
	    inp->inp_lport, false);
	if (other == NULL || other == inp || (otp = intotcpcb(other)) ==
	    NULL || otp->t_state != TCPS_TIME_WAIT)
		return false;
	tcp_statinc(ns, TCP_STAT_TWREUSE);
	(void)tcp_close(otp);
	return true;
}

static void tcp_connect_start(struct socket *so, struct tcpcb *tp);
static int tcp6_connect(struct socket *so, struct tcpcb *tp,
    const struct ksockaddr *nam, size_t namlen);

static int
tcp_connect(struct socket *so, const struct ksockaddr *nam, size_t namlen)
{
	struct tcpcb *tp = tcp_sotcpcb(so);
	struct inpcb *inp = so->so_pcb;
	uint32_t addr, src;
	uint16_t port;
	int error;

	if (tp == NULL)
		return EINVAL;
	if (inp->inp_af == AF_INET6)
		return tcp6_connect(so, tp, nam, namlen);
	if ((error = in_sockaddr_parse(nam, namlen, &addr, &port, false,
	    NULL)) != 0)
		return error;
	if (tp->t_state != TCPS_CLOSED)
		return EISCONN;
	if (port == 0 || in_multicast(addr) || addr == KINADDR_BROADCAST)
		return port == 0 ? ECONNREFUSED : ENETUNREACH;
	error = in_pcbconnect(inp, addr, port, &src);
	if (error == EADDRINUSE && tcp_connect_reuse_tw(inp, addr, port))
		error = in_pcbconnect(inp, addr, port, &src);
	if (error != 0)
		return error;
	if (inp->inp_laddr == KINADDR_ANY) {
		inp->inp_laddr = src;
		inp->inp_flags |= INP_AUTOADDR;
	}
	tcp_connect_start(so, tp);
	return 0;
}

/* The PCB is connected: send the SYN (RFC 9293 3.10.1). */
static void
tcp_connect_start(struct socket *so, struct tcpcb *tp)
{
	struct netstack *ns = so->so_ns;
	struct inpcb *inp = tp->t_inpcb;

	tcp_statinc(ns, TCP_STAT_CONNATTEMPT);
	soisconnecting(so);
	tp->iss = tcp_new_iss(ns, inp);
	tp->snd_una = tp->snd_nxt = tp->snd_max = tp->iss;
	tp->snd_recover = tp->snd_hirxt = tp->iss;
	tp->ts_offset = cprng_u32();
	tp->request_r_scale = 0;
	while (tp->request_r_scale < TCP_MAXWINSHIFT &&
	    (TCP_MAXWIN << tp->request_r_scale) < so->so_rcv.sb_hiwat)
		tp->request_r_scale++;
	tcp_set_state(tp, TCPS_SYN_SENT);
	tcp_mss_update(tp);
	tcp_cc_init(tp);
	(void)tcp_output(tp);
}

/* tcp_connect_reuse_tw for IPv6. */
static bool
tcp6_connect_reuse_tw(struct inpcb *inp, const uint8_t *faddr,
    unsigned scope, uint16_t fport)
{
	struct netstack *ns = inp->inp_table->inpt_ns;
	struct inpcb *other;
	struct tcpcb *otp;
	uint8_t src[16];

	if (inp->inp_lport == 0)
		return false;
	if (scope == 0)
		scope = inp->inp_scope6;
	memcpy(src, inp->inp_laddr6.s6_addr, 16);
	if (in6_is_unspecified(src)) {
		struct ifnet *ifp = NULL;
		struct rtentry *rt;
		uint8_t nh[16];

		if (in6_route(ns, faddr, scope, &ifp, nh, &rt) != 0 ||
		    in6_selectsrc(ns, faddr, ifp, src) != 0)
			return false;
	}
	other = in6_pcblookup(inp->inp_table, faddr, fport, src,
	    inp->inp_lport, false, scope);
	if (other == NULL || other == inp || (otp = intotcpcb(other)) ==
	    NULL || otp->t_state != TCPS_TIME_WAIT)
		return false;
	tcp_statinc(ns, TCP_STAT_TWREUSE);
	(void)tcp_close(otp);
	return true;
}

static int
tcp6_connect(struct socket *so, struct tcpcb *tp,
    const struct ksockaddr *nam, size_t namlen)
{
	struct inpcb *inp = tp->t_inpcb;
	uint8_t addr[16];
	uint16_t port;
	unsigned scope;
	int error;

	if ((error = in6_sockaddr_parse(nam, namlen, addr, &port, &scope,
	    false, NULL)) != 0)
		return error;
	if (tp->t_state != TCPS_CLOSED)
		return EISCONN;
	if (port == 0)
		return ECONNREFUSED;
	if (in6_is_multicast(addr))
		return ENETUNREACH;
	error = in6_pcbconnect(inp, addr, scope, port);
	if (error == EADDRINUSE && tcp6_connect_reuse_tw(inp, addr, scope,
	    port))
		error = in6_pcbconnect(inp, addr, scope, port);
	if (error != 0)
		return error;
	tcp_connect_start(so, tp);
	return 0;
}

/* connect(AF_UNSPEC): abort, as Linux does. */
static int
tcp_disconnect(struct socket *so)
{
	struct tcpcb *tp = tcp_sotcpcb(so);

	if (tp == NULL)
		return EINVAL;
	(void)tcp_drop(tp, 0);
	return 0;
}

static int
tcp_shutdown(struct socket *so)
{
	struct tcpcb *tp = tcp_sotcpcb(so);

	if (tp == NULL)
		return EINVAL;
	if (tp->t_state == TCPS_SYN_SENT || tp->t_state == TCPS_CLOSED ||
	    tp->t_state == TCPS_LISTEN) {
		(void)tcp_close(tp);
		return 0;
	}
	tcp_usrclosed(tp);
	(void)tcp_output(tp);
	return 0;
}

static int
tcp_send(struct socket *so, struct mbuf *m, const struct ksockaddr *nam,
    size_t namlen, int flags)
{
	struct tcpcb *tp = tcp_sotcpcb(so);

	(void)nam;
	(void)namlen;
	(void)flags;
	if (m != NULL)
		m_freem(m);
	if (tp == NULL)
		return EPIPE;
	(void)tcp_output(tp);
	return 0;
}

static void
tcp_rcvd(struct socket *so)
{
	struct tcpcb *tp = tcp_sotcpcb(so);

	if (tp != NULL && TCPS_HAVEESTABLISHED(tp->t_state))
		(void)tcp_output(tp);
}

static int
tcp_sockaddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	struct inpcb *inp = so->so_pcb;

	if (inp == NULL)
		return EINVAL;
	if (inp->inp_af == AF_INET6)
		*lenp = in6_sockaddr_fill(ss, inp->inp_laddr6.s6_addr,
		    inp->inp_lport, inp->inp_scope6);
	else
		*lenp = in_sockaddr_fill(ss, inp->inp_laddr, inp->inp_lport);
	return 0;
}

static int
tcp_peeraddr(struct socket *so, struct ksockaddr_storage *ss, size_t *lenp)
{
	struct inpcb *inp = so->so_pcb;
	struct tcpcb *tp = tcp_sotcpcb(so);

	if (inp == NULL || tp == NULL)
		return ENOTCONN;
	if (inp->inp_fport == 0 || !TCPS_HAVEESTABLISHED(tp->t_state))
		return ENOTCONN;
	if (inp->inp_af == AF_INET6)
		*lenp = in6_sockaddr_fill(ss, inp->inp_faddr6.s6_addr,
		    inp->inp_fport, inp->inp_scope6);
	else
		*lenp = in_sockaddr_fill(ss, inp->inp_faddr, inp->inp_fport);
	return 0;
}

static int
tcp_optint(const void *val, size_t len, int *vp)
{
	if (len < sizeof(int))
		return EINVAL;
	memcpy(vp, val, sizeof(int));
	return 0;
}

static int
tcp_ctloutput(struct socket *so, bool set, int level, int name, void *val,
    size_t *lenp)
{
	struct tcpcb *tp = tcp_sotcpcb(so);
	struct tcp_state *tcs = tcp_state(so->so_ns);
	int v = 0, error;

	if (tp == NULL)
		return EINVAL;
	if (level == KIPPROTO_IPV6 && tp->t_inpcb->inp_af == AF_INET6)
		return ip6_ctloutput(tp->t_inpcb, set, level, name, val,
		    lenp);
	if (level == KIPPROTO_IP)
		return ip_ctloutput(tp->t_inpcb, set, level, name, val, lenp);
	if (level != KIPPROTO_TCP)
		return ENOPROTOOPT;
	if (set) {
		if ((error = tcp_optint(val, *lenp, &v)) != 0)
			return error;
		switch (name) {
		case KTCP_NODELAY:
			if (v)
				tp->t_flags |= TF_NODELAY;
			else
				tp->t_flags &= ~TF_NODELAY;
			if (v && TCPS_HAVEESTABLISHED(tp->t_state))
				(void)tcp_output(tp);
			return 0;
		case KTCP_MAXSEG:
			if (v < 88 || v > 32767)
				return EINVAL;
			tp->t_usermss = (uint32_t)v;
			if (TCPS_HAVEESTABLISHED(tp->t_state))
				tcp_mss_update(tp);
			return 0;
		case KTCP_KEEPIDLE:
		case KTCP_KEEPINTVL:
			if (v < 1 || v > 32767)
				return EINVAL;
			if (name == KTCP_KEEPIDLE)
				tp->t_keepidle = (uint32_t)v;
			else
				tp->t_keepintvl = (uint32_t)v;
			if (TCPS_HAVEESTABLISHED(tp->t_state))
				tcp_keep_arm(tp);
			return 0;
		case KTCP_KEEPCNT:
			if (v < 1 || v > 127)
				return EINVAL;
			tp->t_keepcnt = (uint32_t)v;
			return 0;
		default:
			return ENOPROTOOPT;
		}
	}
	switch (name) {
	case KTCP_NODELAY:
		v = (tp->t_flags & TF_NODELAY) != 0;
		break;
	case KTCP_MAXSEG:
		v = (int)(TCPS_HAVEESTABLISHED(tp->t_state) ? tp->t_maxseg :
		    tp->t_usermss != 0 ? tp->t_usermss :
		    (uint32_t)tcs->tcs_mssdflt);
		break;
	case KTCP_KEEPIDLE:
		v = (int)(tp->t_keepidle ? tp->t_keepidle :
		    (uint32_t)tcs->tcs_keepidle);
		break;
	case KTCP_KEEPINTVL:
		v = (int)(tp->t_keepintvl ? tp->t_keepintvl :
		    (uint32_t)tcs->tcs_keepintvl);
		break;
	case KTCP_KEEPCNT:
		v = (int)(tp->t_keepcnt ? tp->t_keepcnt :
		    (uint32_t)tcs->tcs_keepcnt);
		break;
	default:
		return ENOPROTOOPT;
	}
	if (*lenp < sizeof(int))
		return EINVAL;
	memcpy(val, &v, sizeof(int));
	*lenp = sizeof(int);
	return 0;
}

static const struct protosw tcp_protosw = {
	.pr_type = KSOCK_STREAM,
	.pr_domain = AF_INET,
	.pr_protocol = KIPPROTO_TCP,
	.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN,
	.pr_attach = tcp_attach,
	.pr_detach = tcp_detach,
	.pr_bind = tcp_bind,
	.pr_listen = tcp_listen,
	.pr_connect = tcp_connect,
	.pr_disconnect = tcp_disconnect,
	.pr_shutdown = tcp_shutdown,
	.pr_send = tcp_send,
	.pr_rcvd = tcp_rcvd,
	.pr_sockaddr = tcp_sockaddr,
	.pr_peeraddr = tcp_peeraddr,
	.pr_ctloutput = tcp_ctloutput,
};

const struct protosw tcp6_protosw = {
	.pr_type = KSOCK_STREAM,
	.pr_domain = AF_INET6,
	.pr_protocol = KIPPROTO_TCP,
	.pr_flags = PR_CONNREQUIRED | PR_WANTRCVD | PR_LISTEN,
	.pr_attach = tcp6_attach,
	.pr_detach = tcp_detach,
	.pr_bind = tcp_bind,
	.pr_listen = tcp_listen,
	.pr_connect = tcp_connect,
	.pr_disconnect = tcp_disconnect,
	.pr_shutdown = tcp_shutdown,
	.pr_send = tcp_send,
	.pr_rcvd = tcp_rcvd,
	.pr_sockaddr = tcp_sockaddr,
	.pr_peeraddr = tcp_peeraddr,
	.pr_ctloutput = tcp_ctloutput,
};

int
tcp_usr_init(struct netstack *ns)
{
	int rv;

	if ((rv = proto_register(ns, &tcp_protosw, true)) != 0)
		return rv;
	tcp_state(ns)->tcs_registered = true;
	return 0;
}

void
tcp_usr_fini(struct netstack *ns)
{
	if (tcp_state(ns)->tcs_registered)
		proto_unregister(ns, &tcp_protosw);
	tcp_state(ns)->tcs_registered = false;
}
