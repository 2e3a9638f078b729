/*
 * rnroute.h -- the routing table listing shared by rump.netstat -r and
 * rump.route show (NetBSD's netstat -rn format).
 */
#ifndef _TOOLS_COMMON_RNROUTE_H_
#define _TOOLS_COMMON_RNROUTE_H_

#include <stddef.h>
#include <stdint.h>

/*
 * A network as netstat prints it: "default" for /0, the address alone
 * for a host route, else the address without the trailing zero octets
 * outside the prefix and "/len" ("10.0.2/24", "127/8").
 */
const char *rn_netname4(const uint8_t addr[4], int plen, char *buf,
	    size_t len);
const char *rn_netname6(const uint8_t addr[16], int plen, uint32_t zone,
	    char *buf, size_t len);

/*
 * Print "Routing tables" and the "Internet:" (family 0 or RN_AF_INET)
 * and "Internet6:" (0 or RN_AF_INET6, if the kernel has IPv6) sections:
 * routes first, then neighbour entries as UHL rows.  Exits on errors.
 */
void	rn_print_routes(int family);

#endif /* _TOOLS_COMMON_RNROUTE_H_ */
