/*
 * hj_fd.c -- descriptor calls on rump descriptors through librumphijack
 * (see hjtest.h): dup, dup2, dup3, fcntl, ioctl, and close or dup2 of
 * one kind of descriptor over the other.
 */
#include "config.h"
#include <fcntl.h>
#include <sys/ioctl.h>

#include "tests/hijack/hjtest.h"

/* Bytes a rump socket carries from a to b, checked. */
static void
xfer(int a, int b, const char *what)
{
	char buf[16];
	size_t n = strlen(what);

	HJ_CHECK(write(a, what, n) == (ssize_t)n);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(read(b, buf, sizeof(buf)) == (ssize_t)n);
	HJ_CHECK(memcmp(buf, what, n) == 0);
}

int
main(void)
{
	int a, b, d, p[2], fl, n;

	hj_pair(&a, &b);

	/* dup: a second number for the same socket. */
	HJ_CHECK((d = dup(a)) >= 0 && d != a && hj_is_rump(d));
	xfer(d, b, "dup");
	HJ_CHECK(close(d) == 0);
	xfer(a, b, "still");
	hj_ok("dup");

	/* dup2 of a rump descriptor over a host one (a pipe's end). */
	HJ_CHECK(pipe(p) == 0);
	HJ_CHECK((d = dup(p[0])) >= 0);		/* keeps a reader */
	HJ_CHECK(dup2(a, p[0]) == p[0] && hj_is_rump(p[0]));
	xfer(p[0], b, "dup2");
	/* ... and of a host one over a rump one. */
	HJ_CHECK(dup2(p[1], p[0]) == p[0] && !hj_is_rump(p[0]));
	HJ_CHECK(write(p[0], "h", 1) == 1);	/* the pipe's write end */
	HJ_CHECK(read(d, &n, 1) == 1);
	HJ_CHECK(close(p[0]) == 0 && close(p[1]) == 0 && close(d) == 0);
	xfer(a, b, "dup2 ok");
	HJ_CHECK(dup2(a, a) == a);
	/* A bad descriptor leaves the target alone. */
	HJ_CHECK(dup2(999, a) < 0 && errno == EBADF);
	xfer(a, b, "intact");
	hj_ok("dup2");

	/* dup3 with O_CLOEXEC onto a chosen number. */
	HJ_CHECK(dup3(a, 100, O_CLOEXEC) == 100 && hj_is_rump(100));
	HJ_CHECK(fcntl(100, F_GETFD) == FD_CLOEXEC);
	xfer(100, b, "dup3");
	HJ_CHECK(dup3(a, a, 0) < 0 && errno == EINVAL);
	HJ_CHECK(close(100) == 0);
	hj_ok("dup3");

	/* fcntl: F_DUPFD, F_SETFD/F_GETFD, F_SETFL/F_GETFL. */
	HJ_CHECK((d = fcntl(a, F_DUPFD, 50)) >= 50 && hj_is_rump(d));
	xfer(d, b, "dupfd");
	HJ_CHECK(fcntl(d, F_SETFD, FD_CLOEXEC) == 0);
	HJ_CHECK(fcntl(d, F_GETFD) == FD_CLOEXEC);
	HJ_CHECK(close(d) == 0);
	HJ_CHECK((fl = fcntl(b, F_GETFL)) >= 0 && !(fl & O_NONBLOCK));
	HJ_CHECK(fcntl(b, F_SETFL, fl | O_NONBLOCK) == 0);
	HJ_CHECK(fcntl(b, F_GETFL) & O_NONBLOCK);
	{
		char c;

		HJ_CHECK(read(b, &c, 1) < 0 && errno == EAGAIN);
	}
	HJ_CHECK(fcntl(b, F_SETFL, fl) == 0);
	hj_ok("fcntl");

	/* ioctl: FIONBIO and FIONREAD. */
	n = 1;
	HJ_CHECK(ioctl(a, FIONBIO, &n) == 0);
	HJ_CHECK(fcntl(a, F_GETFL) & O_NONBLOCK);
	n = 0;
	HJ_CHECK(ioctl(a, FIONBIO, &n) == 0);
	HJ_CHECK(write(b, "12345", 5) == 5);
	for (int i = 0; i < 100; i++) {
		HJ_CHECK(ioctl(a, FIONREAD, &n) == 0);
		if (n == 5)
			break;
		usleep(10000);
	}
	HJ_CHECK(n == 5);
	{
		char five[5];

		HJ_CHECK(read(a, five, 5) == 5);
	}
	hj_ok("ioctl");

	/*
	 * Closing every other descriptor, as daemons do, leaves the
	 * library's own connections alone (they are not the program's).
	 */
	for (int fd = 3; fd < 1024; fd++)
		if (fd != a && fd != b)
			(void)close(fd);
	xfer(a, b, "after");
	xfer(b, a, "closefrom");

	/* close: the number is free again on the host, and reused. */
	HJ_CHECK(close(a) == 0);
	HJ_CHECK(fcntl(a, F_GETFD) < 0 && errno == EBADF);
	HJ_CHECK((d = open("/dev/zero", O_RDONLY)) >= 0);
	HJ_CHECK(dup2(d, a) == a && !hj_is_rump(a));
	n = 1;
	HJ_CHECK(read(a, &n, sizeof(n)) == sizeof(n) && n == 0);
	HJ_CHECK(close(d) == 0 && close(a) == 0 && close(b) == 0);
	hj_ok("close");
	return 0;
}
