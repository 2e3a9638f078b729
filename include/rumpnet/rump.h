/*
 * rumpnet/rump.h -- booting a rumpnet kernel inside this process.
 *
 * A program links -lrumpnet, calls rump_init() once, and then uses the
 * rump_sys_* calls of <rumpnet/rump_syscalls.h> exactly like the host's
 * socket calls: same constants, structures and errno values (Linux).
 */
#ifndef _RUMPNET_RUMP_H_
#define _RUMPNET_RUMP_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Boot the process's kernel (idempotent).  Configuration is read from
 * the environment, e.g. RUMP_SHMIF_CAPENABLE for shmif interfaces.
 * => 0 or an errno value.
 */
int rump_init(void);

/*
 * Boot the process's kernel with a choice of components, spelt as
 * NetBSD's rump libraries are named: names is a NULL-terminated list of
 * "rumpnet", "rumpnet_net", "rumpnet_netinet", "rumpnet_netinet6",
 * "rumpnet_shmif", "rumpnet_virtif", "rumpnet_sockin", "rumpdev" and
 * "rumpvfs" (a "lib" prefix and a ".so" suffix are allowed).  Only the
 * listed optional components start: without "rumpnet_netinet6" the
 * kernel has no IPv6 (AF_INET6 requests fail with EAFNOSUPPORT), without
 * "rumpnet_shmif" no shmif interfaces.  The kernel proper, including
 * IPv4 ("rumpnet", "rumpnet_net", "rumpnet_netinet", "rumpdev",
 * "rumpvfs"), is always present.  names == NULL starts everything, like
 * rump_init() (which leaves sockin out).  Like rump_init(), a call once the kernel runs does
 * nothing and returns 0.  "rumpnet_sockin" (sockin(4)) serves PF_INET
 * and PF_INET6 sockets with host sockets instead of the kernel's own
 * protocols, so it cannot be named with "rumpnet_netinet" or
 * "rumpnet_netinet6" (EEXIST); rump_init() never starts it.
 * => 0, EINVAL for an unknown name, EEXIST for that pair, or another
 *    errno value.
 */
int rump_init_components(const char *const *names);

/* Halt the kernel: interfaces are detached and all sockets closed. */
void rump_fini(void);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_H_ */
