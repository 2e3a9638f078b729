/*
 * if_virt.h -- kernel interface of the virt driver: an Ethernet
 * interface whose wire is a host tap device (rumpuser/rumpuser_tap.h).
 */
#ifndef _VIRTIF_IF_VIRT_H_
#define _VIRTIF_IF_VIRT_H_

#include "netstack/net/if.h"

/* Longest host tap name: the host's IFNAMSIZ (16) less the NUL. */
#define VIRTIF_TAPNAMEMAX	15
/* Host tap used by virtN brought up without a linkstr: rumptapN. */
#define VIRTIF_TAPPREFIX	"rumptap"

/*
 * Is s a host tap name we accept?  1..VIRTIF_TAPNAMEMAX bytes, not "."
 * or "..", no '/', ':', '%' or white space (the host's rules for
 * interface names, and no '%' so the host never picks the name).
 * => 0, EINVAL (empty or a bad character), ENAMETOOLONG.
 */
int virtif_tapname_check(const char *s);

/*
 * Create the lowest free virtN, attached to host tap 'tapname' (NULL:
 * none yet; linkstr attaches one, or bringing the interface up attaches
 * rumptapN).  Kernel lock held.  => 0 and *ifpp, or errno.
 */
int virtif_create(struct netstack *ns, const char *tapname,
    struct ifnet **ifpp);

/*
 * linkstr: attach/detach/query the host tap of an interface that is
 * down.
 * set => 0, EBUSY (up, or a tap already attached), EINVAL or
 *        ENAMETOOLONG (virtif_tapname_check), or the host's error
 *        (rumpuser_tap_open: ENOENT without /dev/net/tun, EPERM ...).
 * unset => 0, EBUSY (up), ENOENT (no tap).
 * get => the tap's name or NULL.
 */
int virtif_linkstr_set(struct ifnet *ifp, const char *tapname);
int virtif_linkstr_unset(struct ifnet *ifp);
const char *virtif_linkstr_get(struct ifnet *ifp);

#endif /* _VIRTIF_IF_VIRT_H_ */
