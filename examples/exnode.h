/*
 * exnode.h -- the part every example node shares: join a shmif bus with
 * an IPv4 or IPv6 address, and report the interface's offload counters.  A
 * header of static functions so each example stays one file to copy.
 */
#ifndef _EXAMPLES_EXNODE_H_
#define _EXAMPLES_EXNODE_H_

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rumpnet/rump_net.h>
#include <rumpnet/rump_shmif.h>
#include <rumpnet/rump_syscalls.h>

/* The interface the node created, e.g. "shmif0", and the family of
 * its address (AF_INET, or AF_INET6 for an address with a ':'). */
static char ex_ifname[RUMP_IFNAMSIZ];
static int ex_family = AF_INET;

/*
 * Wait until duplicate address detection has passed for the IPv6
 * address addr on ex_ifname (it is tentative for about a second after
 * it was added).  => 0, or -1 after a message (duplicate, or timeout).
 */
static int
ex_wait_dad(const char *prog, int s, const uint8_t addr[16])
{
	for (int tries = 0; tries < 100; tries++) {
		struct rump_ifaddrreq req;
		int found = 0;

		for (uint32_t i = 0;; i++) {
			memset(&req, 0, sizeof(req));
			req.ifra_family = AF_INET6;
			req.ifra_index = i;
			if (rump_sys_ioctl(s, RUMP_SIOCGIFADDR, &req) == -1)
				break;
			if (strcmp(req.ifra_name, ex_ifname) != 0 ||
			    memcmp(req.ifra_addr, addr, 16) != 0)
				continue;
			found = 1;
			if (req.ifra_addrflags & RUMP_IN6_IFF_DUPLICATED) {
				fprintf(stderr, "%s: duplicate address\n",
				    prog);
				return -1;
			}
			if (!(req.ifra_addrflags & RUMP_IN6_IFF_TENTATIVE))
				return 0;
		}
		if (!found)
			break;
		usleep(50000);
	}
	fprintf(stderr, "%s: address still tentative\n", prog);
	return -1;
}

/*
 * Create shmifN on the bus and give it address/plen (which brings it
 * up).  => 0, or -1 after a message naming prog; EINVAL-style input
 * errors return -2 so the caller can print its usage.
 */
static int
ex_join_bus(const char *prog, const char *bus, const char *cidr)
{
	struct rump_ifaddrreq ifra;
	char addr[64], *slash, *end;
	uint8_t in[16];
	int unit, s, rv;
	long plen;

	snprintf(addr, sizeof(addr), "%s", cidr);
	if ((slash = strchr(addr, '/')) == NULL)
		return -2;
	*slash = '\0';
	ex_family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == slash + 1 ||
	    inet_pton(ex_family, addr, in) != 1 || plen < 0 ||
	    plen > (ex_family == AF_INET6 ? 128 : 32))
		return -2;
	if ((rv = rump_pub_shmif_create(bus, &unit)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, bus, strerror(rv));
		return -1;
	}
	snprintf(ex_ifname, sizeof(ex_ifname), "shmif%d", unit);
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1) {
		fprintf(stderr, "%s: socket: %s\n", prog, strerror(errno));
		return -1;
	}
	memset(&ifra, 0, sizeof(ifra));
	snprintf(ifra.ifra_name, sizeof(ifra.ifra_name), "%s", ex_ifname);
	ifra.ifra_family = (uint16_t)ex_family;
	ifra.ifra_plen = (uint8_t)plen;
	memcpy(ifra.ifra_addr, in, ex_family == AF_INET6 ? 16 : 4);
	if (rump_sys_ioctl(s, RUMP_SIOCAIFADDR, &ifra) == -1) {
		fprintf(stderr, "%s: add address %s: %s\n", prog, cidr,
		    strerror(errno));
		rump_sys_close(s);
		return -1;
	}
	if (ex_family == AF_INET6 && ex_wait_dad(prog, s, in) != 0) {
		rump_sys_close(s);
		return -1;
	}
	rump_sys_close(s);
	return 0;
}

/*
 * Send everything not on the local network through gateway (a default
 * route), for nodes behind a router.  => 0, -1 after a message, or -2
 * for a gateway that is not an address of the node's family.
 */
static int
ex_default_route(const char *prog, const char *gateway)
{
	struct rump_rtreq rtr;
	int s;

	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = (uint16_t)ex_family;
	rtr.rtr_plen = 0;
	rtr.rtr_flags = RUMP_RTF_GATEWAY | RUMP_RTF_STATIC;
	if (inet_pton(ex_family, gateway, rtr.rtr_gateway) != 1)
		return -2;
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_ioctl(s, RUMP_SIOCADDRT, &rtr) == -1) {
		fprintf(stderr, "%s: default route via %s: %s\n", prog,
		    gateway, strerror(errno));
		if (s != -1)
			rump_sys_close(s);
		return -1;
	}
	rump_sys_close(s);
	return 0;
}

/*
 * Print the non-zero software offload counters of the interface, and
 * those of its impairment stage (RUMP_IMPAIR, see impair(7)).
 */
static void
ex_print_offload(void)
{
	static const char *const groups[] = { "offload", "impair" };
	char prefix[64], name[128];
	int type;

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		snprintf(prefix, sizeof(prefix), "net.interfaces.%s.%s",
		    ex_ifname, groups[i]);
		name[0] = '\0';
		while (rump_sys_sysctlnext(prefix, name, name, sizeof(name),
		    &type) == 0) {
			uint64_t v;
			size_t len = sizeof(v);

			if (rump_sys_sysctlbyname(name, &v, &len, NULL,
			    0) == 0 && len == sizeof(v) && v != 0)
				printf("%s = %llu\n", name,
				    (unsigned long long)v);
		}
	}
}

#endif /* _EXAMPLES_EXNODE_H_ */
