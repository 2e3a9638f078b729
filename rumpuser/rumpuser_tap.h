/*
 * rumpuser_tap.h -- hypercalls of the virt interface: a host tap
 * device reached through /dev/net/tun.  The kernel half
 * (virtif/if_virt.c) speaks only to these calls and to rumpuser.h.
 *
 * Conventions are rumpuser.h's: every call that can fail returns 0 or
 * a positive errno value, handles are opaque, and the one blocking call
 * (rumpuser_tap_wait) knows nothing of the kernel lock.
 */
#ifndef _RUMPUSER_RUMPUSER_TAP_H_
#define _RUMPUSER_RUMPUSER_TAP_H_

#include <stddef.h>

struct rumpuser_tap;

/*
 * Attach to the host tap device 'name' (a valid host interface name,
 * checked by the caller), creating it if it does not exist.  The device
 * is opened as an Ethernet tap without packet information (each read
 * or write is exactly one frame) and is never made persistent: a device
 * created here disappears when the handle is closed; one that existed
 * before stays.
 * => 0 and *tapp, or ENOENT/ENODEV (no /dev/net/tun), EACCES/EPERM (no
 *    permission), EBUSY (the device is attached elsewhere), EINVAL (a
 *    host interface of that name that is not a tap), or another errno.
 */
int rumpuser_tap_open(const char *name, struct rumpuser_tap **tapp);

/*
 * Read one frame without blocking.  *lenp is the frame's length as the
 * host reported it; when it exceeds len, only len bytes were stored.
 * => 0, EAGAIN if no frame is waiting, or an errno.
 */
int rumpuser_tap_read(struct rumpuser_tap *tap, void *buf, size_t len,
    size_t *lenp);

/* Write one frame.  => 0, or an errno (EIO: host side down). */
int rumpuser_tap_write(struct rumpuser_tap *tap, const void *buf,
    size_t len);

/*
 * Wait until a frame can be read, rumpuser_tap_kick() was called since
 * the last wait, or timeout_ms passed (<0: no timeout).  Spurious
 * returns are allowed; callers re-check their condition.
 * => 0, ETIMEDOUT, or an errno.
 */
int rumpuser_tap_wait(struct rumpuser_tap *tap, int timeout_ms);

/* Make the current or next rumpuser_tap_wait() return (any thread). */
void rumpuser_tap_kick(struct rumpuser_tap *tap);

/* Detach from the device and free the handle. */
void rumpuser_tap_close(struct rumpuser_tap *tap);

#endif /* _RUMPUSER_RUMPUSER_TAP_H_ */
