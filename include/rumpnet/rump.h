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

/* Halt the kernel: interfaces are detached and all sockets closed. */
void rump_fini(void);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_H_ */
