/*
 * rumpuser_proc.h -- hypercalls about host processes, for the shmif bus
 * lock's holder record (shmif/shmif_bus.h): who we are, and whether a
 * recorded holder still exists.  Process ids are those of the caller's
 * pid namespace.
 */
#ifndef _RUMPUSER_RUMPUSER_PROC_H_
#define _RUMPUSER_RUMPUSER_PROC_H_

#include <stdbool.h>
#include <stdint.h>

/* The calling process's id (never 0). */
uint32_t rumpuser_proc_self(void);

/*
 * Does process pid exist and can it still run?  false if there is no
 * such process (kill(pid, 0) fails with ESRCH) or it is a zombie (dead,
 * not yet reaped by its parent); true otherwise, including a process of
 * another user (EPERM) and any answer the host cannot give.
 */
bool rumpuser_proc_alive(uint32_t pid);

#endif /* _RUMPUSER_RUMPUSER_PROC_H_ */
