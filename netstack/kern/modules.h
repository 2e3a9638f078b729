/*
 * modules.h -- the list of netstack modules, in start-up order.
 * Each module defines a 'const struct netstack_module <name>_module'.
 */
#ifndef _NETSTACK_KERN_MODULES_H_
#define _NETSTACK_KERN_MODULES_H_

#include "netstack/kern/netstack.h"

extern const struct netstack_module kern_module;

#define NETSTACK_MODULE_LIST \
	&kern_module,

#endif /* _NETSTACK_KERN_MODULES_H_ */
