/*
 * arp_dad.c -- duplicate address detection for IPv4 (RFC 5227 2.1-2.3,
 * "address conflict detection"), as NetBSD does it when
 * net.inet.ip.dad_count is not 0.
 *
 * An address added to an Ethernet interface that is up, or present when
 * the interface comes up, is TENTATIVE: it is not a source address and
 * answers no request (in.c, if_arp.c).  A probe -- an ARP request from
 * sender address 0.0.0.0 for the address -- goes out at once and then
 * every ARP_DAD_RETRANS until dad_count were sent; one ARP_DAD_RETRANS
 * after the last, the address is ready and announced (a gratuitous
 * request, sender and target the address), twice ARP_ANNOUNCE_INTERVAL
 * apart.  Meanwhile, an ARP packet from another station whose sender
 * is the address, or a probe of another station for it, makes it
 * DUPLICATED: never used, never defended, until the interface comes up
 * again or the address is set anew.
 *
 * State per address: ia_dadtimer and ia_dadleft (probes, then
 * announcements, still to send), kernel lock held throughout.
 */
#include "netstack/kern/netstack.h"
#include "netstack/net/if_var.h"
#include "netstack/netinet/in_var.h"
#include "netstack/netinet/if_arp.h"

#define ARP_DAD_RETRANS		NS_SEC(1)	/* between probes */
#define ARP_ANNOUNCE_NUM	2		/* RFC 5227 ANNOUNCE_NUM */
#define ARP_ANNOUNCE_INTERVAL	NS_SEC(2)	/* RFC 5227 */

/* Does this address take part in detection at all? */
static bool
arp_dad_applies(const struct in_ifaddr *ia)
{
	const struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	return ifp->if_type == IFT_ETHER &&
	    !(ifp->if_flags & (IFF_LOOPBACK | IFF_NOARP)) &&
	    arp_dad_count(ifp->if_ns) > 0;
}

static void
arp_dad_timer(void *arg)
{
	struct in_ifaddr *ia = arg;
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	if (ia->ia_ifa.ifa_flags & (IN_IFF_DETACHED | IN_IFF_DUPLICATED))
		return;
	if (!(ia->ia_ifa.ifa_flags & IN_IFF_TENTATIVE)) {
		/* Announcing. */
		arp_announce(ifp, ia->ia_addr);
		if (--ia->ia_dadleft > 0)
			callout_schedule(&ia->ia_dadtimer,
			    ARP_ANNOUNCE_INTERVAL);
		return;
	}
	if (ia->ia_dadleft > 0) {
		ia->ia_dadleft--;
		callout_schedule(&ia->ia_dadtimer, ARP_DAD_RETRANS);
		arp_probe(ifp, ia->ia_addr);
		return;
	}
	/* No conflict: ready, and say so. */
	ia->ia_ifa.ifa_flags &= ~IN_IFF_TENTATIVE;
	ia->ia_dadleft = ARP_ANNOUNCE_NUM;
	arp_dad_timer(ia);
}

void
arp_dad_init(struct in_ifaddr *ia)
{
	callout_init(&ia->ia_dadtimer, ia->ia_ifa.ifa_ifp->if_ns,
	    arp_dad_timer, ia);
}

void
arp_dad_start(struct in_ifaddr *ia)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;

	KASSERT(klock_held(&ifp->if_ns->ns_klock));
	callout_stop(&ia->ia_dadtimer);
	ia->ia_ifa.ifa_flags &= ~(IN_IFF_TENTATIVE | IN_IFF_DUPLICATED);
	if (!arp_dad_applies(ia)) {
		/* No detection: usable now, announced once. */
		arp_announce(ifp, ia->ia_addr);
		return;
	}
	ia->ia_ifa.ifa_flags |= IN_IFF_TENTATIVE;
	ia->ia_dadleft = (unsigned)arp_dad_count(ifp->if_ns);
	arp_dad_timer(ia);
}

void
arp_dad_stop(struct in_ifaddr *ia)
{
	callout_stop(&ia->ia_dadtimer);
}

static void
arp_dad_duplicated(struct in_ifaddr *ia, const uint8_t *sha,
    const char *why)
{
	struct ifnet *ifp = ia->ia_ifa.ifa_ifp;
	char a[16];

	callout_stop(&ia->ia_dadtimer);
	ia->ia_ifa.ifa_flags &= ~IN_IFF_TENTATIVE;
	ia->ia_ifa.ifa_flags |= IN_IFF_DUPLICATED;
	arp_stats(ifp->if_ns)[ARP_STAT_DADDUP]++;
	kprintf("%s: %s: DAD detected duplicate IPv4 address %s: %s from "
	    "%02x:%02x:%02x:%02x:%02x:%02x\n", ifp->if_ns->ns_name,
	    ifp->if_xname, in_fmtaddr(ia->ia_addr, a), why, sha[0], sha[1],
	    sha[2], sha[3], sha[4], sha[5]);
}

bool
arp_dad_input(uint16_t op, const uint8_t *sha, bool probe,
    struct in_ifaddr *sender, struct in_ifaddr *target)
{
	/* Another station uses the address (RFC 5227 2.1.1, first rule).
	 * A DUPLICATED one is the sender's: it is learnt as any
	 * neighbour's, and if_arp.c does not defend it. */
	if (sender != NULL && (sender->ia_ifa.ifa_flags & IN_IFF_TENTATIVE)) {
		arp_dad_duplicated(sender, sha, op == ARPOP_REPLY ?
		    "a reply" : "a request");
		return true;
	}
	/* Another station probes for it too (second rule). */
	if (probe && op == ARPOP_REQUEST && target != NULL &&
	    (target->ia_ifa.ifa_flags & IN_IFF_TENTATIVE)) {
		arp_dad_duplicated(target, sha, "a probe");
		return true;
	}
	return false;
}
