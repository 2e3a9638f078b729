/*
 * modules.h -- the list of netstack modules, in start-up order.
 * Each module defines a 'const struct netstack_module <name>_module'.
 *
 * Modules of the kernel proper are strong references, so that linking
 * the kernel archive always pulls them in.  Optional modules (drivers,
 * protocols a build may leave out) are weak: if nothing links them in,
 * the entry is NULL and the module is not started.
 */
#ifndef _NETSTACK_KERN_MODULES_H_
#define _NETSTACK_KERN_MODULES_H_

#include "netstack/kern/netstack.h"

#define NETSTACK_MODULE(name) \
	extern const struct netstack_module name##_module
#define NETSTACK_OPTIONAL_MODULE(name) \
	extern const struct netstack_module name##_module __attribute__((weak))

NETSTACK_MODULE(kern);		/* kern.* sysctl identity */
NETSTACK_MODULE(socket);	/* socket layer, protocol switch, processes */
NETSTACK_MODULE(if);		/* interfaces, Ethernet, loopback, cloners */
NETSTACK_MODULE(route);		/* routing tables */
NETSTACK_MODULE(inet);		/* IPv4 addresses, ARP, AF_INET control */
NETSTACK_MODULE(ip);		/* IPv4, ICMP, UDP, raw sockets */
NETSTACK_OPTIONAL_MODULE(tcp);	/* TCP */
NETSTACK_OPTIONAL_MODULE(inet6);	/* IPv6 addresses, ND, AF_INET6 */
NETSTACK_OPTIONAL_MODULE(ip6);	/* IPv6, ICMPv6, UDP/TCP over IPv6 */
NETSTACK_OPTIONAL_MODULE(tcp6);	/* TCP over IPv6 (needs tcp and ip6) */
NETSTACK_OPTIONAL_MODULE(shmif);	/* shmif interface cloner */
NETSTACK_OPTIONAL_MODULE(virtif);	/* host tap interface cloner */
NETSTACK_OPTIONAL_MODULE(sockin);	/* AF_INET/AF_INET6 on host sockets */

#define NETSTACK_MODULE_LIST \
	&kern_module, &socket_module, &if_module, &route_module, \
	&inet_module, &ip_module, &tcp_module, &inet6_module, &ip6_module, \
	&tcp6_module, &shmif_module, &virtif_module, &sockin_module,

#endif /* _NETSTACK_KERN_MODULES_H_ */
