/*
 * if_shmif.h -- kernel interface of the shmif driver.
 */
#ifndef _SHMIF_IF_SHMIF_H_
#define _SHMIF_IF_SHMIF_H_

#include "netstack/net/if.h"

/* Longest bus path accepted by linkstr (NetBSD's MAXPATHLEN). */
#define SHMIF_PATHMAX	1024

/*
 * Create the lowest free shmifN, attached to the bus at path (NULL: no
 * bus, attach later with linkstr).  Kernel lock held.
 * => 0 and *ifpp, or errno (ENOEXEC: the file is not a bus).
 */
int shmif_create(struct netstack *ns, const char *path, struct ifnet **ifpp);

/*
 * linkstr: attach/detach/query the bus of an interface that is down.
 * set => 0, EBUSY (up, or a bus already attached), E2BIG (path longer
 *        than SHMIF_PATHMAX), EINVAL (empty), ENOEXEC (not a bus), or
 *        the error opening the file.
 * unset => 0, EBUSY (up), ENOENT (no bus).
 * get => the path or NULL.
 */
int shmif_linkstr_set(struct ifnet *ifp, const char *path);
int shmif_linkstr_unset(struct ifnet *ifp);
const char *shmif_linkstr_get(struct ifnet *ifp);

/* The driver's if_ioctl for the linkstr requests of rump_net.h. */
int shmif_linkstr_ioctl(struct ifnet *ifp, unsigned long cmd, void *data);

#endif /* _SHMIF_IF_SHMIF_H_ */
