/*
 * hjtest.h -- helpers of the librumphijack test programs, which run
 * under LD_PRELOAD=librumphijack.so against a rump_server whose shmif0
 * has the address in $HJ_ADDR (198.51.100.1 by default), an address
 * the host does not have: a socket bound to it lives in the kernel.
 *
 * Each program prints "ok NAME" once it has seen call NAME work on a
 * rump descriptor (or, for poll and the like, on a mix), and exits 0;
 * on any failure it says what and exits 1.
 * tests/scenario/hijack_calls.sh checks that every call of
 * hijack_calls.def was reported.
 */
#ifndef _TESTS_HIJACK_HJTEST_H_
#define _TESTS_HIJACK_HJTEST_H_

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void __attribute__((__format__(__printf__, 1, 2), __noreturn__))
hj_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
	exit(1);
}

#define HJ_CHECK(c) do {						\
	if (!(c))							\
		hj_fail("%s:%d: %s", __FILE__, __LINE__, #c);		\
} while (0)

static __attribute__((__unused__)) void
hj_ok(const char *name)
{
	printf("ok %s\n", name);
	fflush(stdout);
}

/* A rump descriptor shows the host a /dev/null placeholder, never a
 * socket. */
static __attribute__((__unused__)) int
hj_is_rump(int fd)
{
	struct stat st, null;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	    stat("/dev/null", &null) == 0 && st.st_rdev == null.st_rdev;
}

static __attribute__((__unused__)) struct sockaddr_in
hj_addr(unsigned short port)
{
	struct sockaddr_in sin;
	const char *a = getenv("HJ_ADDR");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, a != NULL ? a : "198.51.100.1",
	    &sin.sin_addr) != 1)
		hj_fail("bad HJ_ADDR");
	return sin;
}

/* A listening rump socket on $HJ_ADDR, any port; its address in *sin. */
static __attribute__((__unused__)) int
hj_listener(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int s;

	*sin = hj_addr(0);
	HJ_CHECK((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	HJ_CHECK(hj_is_rump(s));
	HJ_CHECK(bind(s, (struct sockaddr *)sin, sizeof(*sin)) == 0);
	HJ_CHECK(listen(s, 8) == 0);
	HJ_CHECK(getsockname(s, (struct sockaddr *)sin, &len) == 0);
	HJ_CHECK(sin->sin_port != 0);
	return s;
}

/* A connected pair of rump TCP sockets: *a connected, *b accepted. */
static __attribute__((__unused__)) void
hj_pair(int *a, int *b)
{
	struct sockaddr_in sin;
	int l = hj_listener(&sin);

	HJ_CHECK((*a = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	HJ_CHECK(connect(*a, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	HJ_CHECK((*b = accept(l, NULL, NULL)) >= 0);
	HJ_CHECK(hj_is_rump(*b));
	HJ_CHECK(close(l) == 0);
}

#endif /* _TESTS_HIJACK_HJTEST_H_ */
