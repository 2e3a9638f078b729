/*
 * rumpuser_tap.c -- Linux implementation of the tap hypercalls
 * (rumpuser_tap.h): /dev/net/tun with TUNSETIFF, and an eventfd that
 * lets another thread interrupt the receive wait.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser/rumpuser_tap.h"

#define TUN_CLONE_DEV	"/dev/net/tun"

struct rumpuser_tap {
	int	rt_fd;		/* the tap, non-blocking */
	int	rt_kickfd;	/* eventfd written by rumpuser_tap_kick */
};

int
rumpuser_tap_open(const char *name, struct rumpuser_tap **tapp)
{
	struct rumpuser_tap *tap;
	struct ifreq ifr;
	int fd, kfd, rv;

	if (strlen(name) >= sizeof(ifr.ifr_name))
		return ENAMETOOLONG;
	fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1)
		return errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	/* Plain Ethernet frames: no packet information, no vnet header. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		rv = errno;
		close(fd);
		return rv;
	}
	kfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (kfd == -1) {
		rv = errno;
		close(fd);
		return rv;
	}
	if ((tap = malloc(sizeof(*tap))) == NULL) {
		close(kfd);
		close(fd);
		return ENOMEM;
	}
	tap->rt_fd = fd;
	tap->rt_kickfd = kfd;
	*tapp = tap;
	return 0;
}

int
rumpuser_tap_read(struct rumpuser_tap *tap, void *buf, size_t len,
    size_t *lenp)
{
	ssize_t n;

	do
		n = read(tap->rt_fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EWOULDBLOCK ? EAGAIN : errno;
	*lenp = (size_t)n;
	return 0;
}

int
rumpuser_tap_write(struct rumpuser_tap *tap, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(tap->rt_fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno;
	/* The tap takes a frame whole or not at all. */
	return (size_t)n == len ? 0 : EIO;
}

int
rumpuser_tap_wait(struct rumpuser_tap *tap, int timeout_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = tap->rt_fd, .events = POLLIN },
		{ .fd = tap->rt_kickfd, .events = POLLIN },
	};
	uint64_t v;
	int n;

	n = poll(pfd, 2, timeout_ms);
	if (n == -1)
		return errno == EINTR ? 0 : errno;
	if (n == 0)
		return ETIMEDOUT;
	if ((pfd[1].revents & POLLIN) &&
	    read(tap->rt_kickfd, &v, sizeof(v)) == -1) {
		/* EAGAIN: another wait drained it; nothing to undo. */
	}
	return 0;
}

void
rumpuser_tap_kick(struct rumpuser_tap *tap)
{
	uint64_t one = 1;

	/* Cannot fail short of a counter at 2^64 - 2, which is a kick too. */
	if (write(tap->rt_kickfd, &one, sizeof(one)) == -1) {
		/* nothing to do */
	}
}

void
rumpuser_tap_close(struct rumpuser_tap *tap)
{
	close(tap->rt_kickfd);
	close(tap->rt_fd);
	free(tap);
}
