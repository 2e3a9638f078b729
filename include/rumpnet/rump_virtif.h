/*
 * rumpnet/rump_virtif.h -- virt interfaces (host tap devices) for
 * programs that embed the kernel (after rump_init()).
 */
#ifndef _RUMPNET_RUMP_VIRTIF_H_
#define _RUMPNET_RUMP_VIRTIF_H_

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Create the lowest free interface virtN attached to the host tap
 * device tapname (created if missing; NULL: none yet, attach later with
 * `rump.ifconfig virtN linkstr TAP`, or bring the interface up to use
 * rumptapN).  The interface is down.  Needs access to /dev/net/tun.
 * => 0 and *unit = N (if unit is not NULL), or an errno value: ENOENT
 *    without /dev/net/tun, EPERM or EACCES without the right to use it,
 *    EINVAL or ENAMETOOLONG for a bad tap name, EBUSY if the tap is in
 *    use elsewhere.
 */
int rump_pub_virtif_create(const char *tapname, int *unit);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_VIRTIF_H_ */
