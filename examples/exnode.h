/*
 * exnode.h -- the part every example node shares: join a shmif bus with
 * an IPv4 address, and report the interface's offload counters.  A
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

#include <rumpnet/rump_net.h>
#include <rumpnet/rump_shmif.h>
#include <rumpnet/rump_syscalls.h>

/* The interface the node created, e.g. "shmif0". */
static char ex_ifname[RUMP_IFNAMSIZ];

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
	struct in_addr in;
	int unit, s, rv;
	long plen;

	snprintf(addr, sizeof(addr), "%s", cidr);
	if ((slash = strchr(addr, '/')) == NULL)
		return -2;
	*slash = '\0';
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == slash + 1 ||
	    inet_pton(AF_INET, addr, &in) != 1 || plen < 0 || plen > 32)
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
	ifra.ifra_family = AF_INET;
	ifra.ifra_plen = (uint8_t)plen;
	memcpy(ifra.ifra_addr, &in, sizeof(in));
	if (rump_sys_ioctl(s, RUMP_SIOCAIFADDR, &ifra) == -1) {
		fprintf(stderr, "%s: add address %s: %s\n", prog, cidr,
		    strerror(errno));
		rump_sys_close(s);
		return -1;
	}
	rump_sys_close(s);
	return 0;
}

/* Print the non-zero software offload counters of the interface. */
static void
ex_print_offload(void)
{
	char prefix[64], name[128];
	int type;

	snprintf(prefix, sizeof(prefix), "net.interfaces.%s.offload",
	    ex_ifname);
	name[0] = '\0';
	while (rump_sys_sysctlnext(prefix, name, name, sizeof(name),
	    &type) == 0) {
		uint64_t v;
		size_t len = sizeof(v);

		if (rump_sys_sysctlbyname(name, &v, &len, NULL, 0) == 0 &&
		    len == sizeof(v) && v != 0)
			printf("%s = %llu\n", name, (unsigned long long)v);
	}
}

#endif /* _EXAMPLES_EXNODE_H_ */
