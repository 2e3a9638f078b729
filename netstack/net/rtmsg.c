/*
 * rtmsg.c -- route messages: a log of what changed in the routing
 * tables and neighbour caches, read by rump.route monitor through
 * RUMP_SIOCRTMREAD (rump_net.h), in the spirit of NetBSD's routing
 * socket.
 *
 * The log is a ring of the last RTMSG_RING messages, numbered from 1
 * (rml_next is the number the next one gets).  It is made by the first
 * read, so a kernel nobody monitors keeps no log and pays nothing.
 * Writers never wait: a reader that falls more than a ring behind is
 * told how many it missed.  Readers sleep on rml_cv (interruptibly,
 * through proc_sleep) until a message newer than the last one they saw
 * is logged.
 */
#include "netstack/kern/netstack.h"
#include "netstack/kern/socket_private.h"
#include "netstack/net/if_var.h"
#include "netstack/net/route.h"
#include "rumpnet/rump_net.h"

#define RTMSG_RING	256		/* power of two */

struct rtmsg_log {
	struct rump_rtmsg	rml_ring[RTMSG_RING];	/* [K] */
	uint64_t		rml_next;		/* [K] >= 1 */
	struct kcondvar		rml_cv;
};

static struct rtmsg_log *
rtmsg_log_create(void)
{
	struct rtmsg_log *log = kmem_zalloc(sizeof(*log));

	log->rml_next = 1;
	if (kcondvar_init(&log->rml_cv) != 0) {
		kmem_free(log, sizeof(*log));
		return NULL;
	}
	return log;
}

void
rtmsg_log_destroy(struct rtmsg_log *log)
{
	if (log == NULL)
		return;
	kcondvar_destroy(&log->rml_cv);
	kmem_free(log, sizeof(*log));
}

/* The log, or NULL while nobody has asked for one: then the message
 * builders below return before building anything. */
static struct rtmsg_log *
rtmsg_log(struct netstack *ns)
{
	struct rtmsg_log **logp = rt_msglogp(ns);

	return logp != NULL ? *logp : NULL;
}

/* Log m (its number is filled in) and wake the readers. */
static void
rtmsg_post(struct rtmsg_log *log, struct rump_rtmsg *m)
{
	m->rtm_seq = log->rml_next++;
	log->rml_ring[m->rtm_seq & (RTMSG_RING - 1)] = *m;
	kcondvar_broadcast(&log->rml_cv);
}

static unsigned
rtmsg_keylen(int family)
{
	return family == AF_INET ? 4 : 16;
}

void
rt_msg_route(struct netstack *ns, int type, const struct rtentry *rt)
{
	struct rtmsg_log *log = rtmsg_log(ns);
	struct rump_rtmsg m;
	unsigned kl = rtmsg_keylen(rt->rt_family);

	if (log == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.rtm_type = (uint16_t)type;
	m.rtm_family = (uint16_t)rt->rt_family;
	m.rtm_flags = rt_flags_out(rt->rt_flags) | RUMP_RTF_DONE;
	if (type == RUMP_RTM_DELETE)
		m.rtm_flags &= ~RUMP_RTF_UP;
	m.rtm_addrs = RUMP_RTA_DST;
	memcpy(m.rtm_dst, rt->rt_dst, kl);
	if (rt->rt_flags & RTF_GATEWAY) {
		m.rtm_addrs |= RUMP_RTA_GATEWAY;
		memcpy(m.rtm_gateway, rt->rt_gateway, kl);
	}
	if (!(rt->rt_flags & RTF_HOST)) {
		m.rtm_addrs |= RUMP_RTA_NETMASK;
		m.rtm_plen = (uint8_t)rt->rt_plen;
	}
	m.rtm_index = rt->rt_ifp != NULL ? rt->rt_ifp->if_index : 0;
	rtmsg_post(log, &m);
}

void
rt_msg_neighbour(struct netstack *ns, int type, int family, const void *dst,
    const uint8_t *lladdr, const struct ifnet *ifp)
{
	struct rtmsg_log *log = rtmsg_log(ns);
	struct rump_rtmsg m;

	if (log == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.rtm_type = (uint16_t)type;
	m.rtm_family = (uint16_t)family;
	m.rtm_flags = RUMP_RTF_HOST | RUMP_RTF_DONE | RUMP_RTF_LLINFO |
	    RUMP_RTF_CLONED;
	if (type == RUMP_RTM_ADD)
		m.rtm_flags |= RUMP_RTF_UP;
	m.rtm_addrs = RUMP_RTA_DST | RUMP_RTA_GATEWAY;
	memcpy(m.rtm_dst, dst, rtmsg_keylen(family));
	if (lladdr != NULL) {
		m.rtm_haslladdr = 1;
		memcpy(m.rtm_lladdr, lladdr, ETHER_ADDR_LEN);
	}
	m.rtm_index = ifp != NULL ? ifp->if_index : 0;
	rtmsg_post(log, &m);
}

void
rt_msg_miss(struct netstack *ns, int family, const void *dst,
    const struct ifnet *ifp)
{
	struct rtmsg_log *log = rtmsg_log(ns);
	struct rump_rtmsg m;

	if (log == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.rtm_type = RUMP_RTM_MISS;
	m.rtm_family = (uint16_t)family;
	m.rtm_flags = RUMP_RTF_DONE;
	m.rtm_addrs = RUMP_RTA_DST;
	memcpy(m.rtm_dst, dst, rtmsg_keylen(family));
	if (ifp != NULL) {
		/* A neighbour being resolved on ifp: gateway link#N. */
		m.rtm_addrs |= RUMP_RTA_GATEWAY;
		m.rtm_index = ifp->if_index;
	}
	rtmsg_post(log, &m);
}

/* RUMP_SIOCRTMREAD; lock held, may sleep. */
static int
rtmsg_read(struct netstack *ns, struct rump_rtmsgreq *req)
{
	struct rtmsg_log **logp = rt_msglogp(ns), *log;
	struct proc *p = proc_current();
	uint64_t deadline, oldest;
	int error;

	if (logp == NULL)
		return ENXIO;
	if (*logp == NULL && (*logp = rtmsg_log_create()) == NULL)
		return ENOMEM;
	log = *logp;
	req->rmr_lost = 0;
	if (req->rmr_after == RUMP_RTM_NOW) {
		memset(&req->rmr_msg, 0, sizeof(req->rmr_msg));
		req->rmr_msg.rtm_seq = log->rml_next - 1;
		return 0;
	}
	if (req->rmr_timeout_ms < 0)
		return EINVAL;
	deadline = netstack_now(ns) + NS_MS((uint64_t)req->rmr_timeout_ms);
	while (log->rml_next - 1 <= req->rmr_after) {
		if (req->rmr_timeout_ms == 0 || p == NULL)
			return ETIMEDOUT;
		error = proc_sleep(p, &log->rml_cv, deadline);
		if (error == EWOULDBLOCK)
			return ETIMEDOUT;
		if (error != 0)
			return error;
	}
	/* The oldest message still in the ring. */
	oldest = log->rml_next > RTMSG_RING ? log->rml_next - RTMSG_RING : 1;
	if (req->rmr_after + 1 < oldest) {
		req->rmr_lost = oldest - (req->rmr_after + 1);
		req->rmr_after = oldest - 1;
	}
	req->rmr_msg = log->rml_ring[(req->rmr_after + 1) & (RTMSG_RING - 1)];
	return 0;
}

int
rt_msg_control(struct netstack *ns, unsigned long cmd, void *data)
{
	if (cmd != RUMP_SIOCRTMREAD)
		return ENOTTY;
	KASSERT(klock_held(&ns->ns_klock));
	return rtmsg_read(ns, data);
}
