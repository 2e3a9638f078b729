/*
 * rumpnet/rump_shmif.h -- shmif interfaces for programs that embed the
 * kernel (after rump_init()).
 */
#ifndef _RUMPNET_RUMP_SHMIF_H_
#define _RUMPNET_RUMP_SHMIF_H_

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Create the lowest free interface shmifN attached to the bus file at
 * path (created if missing; NULL: no bus yet, attach later with
 * `rump.ifconfig shmifN linkstr PATH`).  The interface is down; give it
 * an address and bring it up with rump.ifconfig-style requests or the
 * helpers of <rumpnet/rump_net.h>.
 * => 0 and *unit = N (if unit is not NULL), or an errno value:
 *    ENOEXEC if the file exists and is not a shmif bus.
 */
int rump_pub_shmif_create(const char *path, int *unit);

#ifdef __cplusplus
}
#endif

#endif /* _RUMPNET_RUMP_SHMIF_H_ */
