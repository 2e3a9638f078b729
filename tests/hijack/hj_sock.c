/*
 * hj_sock.c -- socket calls and data transfer on rump descriptors
 * through librumphijack (see hjtest.h).  Built with _FORTIFY_SOURCE so
 * that the C library's checked entry points (__read_chk, __recv_chk,
 * __recvfrom_chk) are the ones called.
 */
#include "config.h"
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/uio.h>

#include "tests/hijack/hjtest.h"

/* Called through pointers, these are not the fortified entry points. */
static ssize_t (*volatile readp)(int, void *, size_t) = read;
static ssize_t (*volatile recvp)(int, void *, size_t, int) = recv;
/* Sizes the compiler cannot see (the fortified calls need that). */
static volatile size_t four = 4, five = 5;
static ssize_t (*volatile recvfromp)(int, void *, size_t, int,
    struct sockaddr *, socklen_t *) = recvfrom;

static void
test_stream(void)
{
	struct sockaddr_in sin, peer;
	socklen_t len = sizeof(peer);
	char buf[64], b1[3], b2[8];
	struct iovec iov[2];
	struct msghdr msg;
	int l, a, b, one = 1, v;

	l = hj_listener(&sin);
	hj_ok("socket");
	hj_ok("bind");
	hj_ok("listen");
	hj_ok("getsockname");
	HJ_CHECK((a = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	HJ_CHECK(connect(a, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	hj_ok("connect");
	HJ_CHECK((b = accept4(l, (struct sockaddr *)&peer, &len,
	    SOCK_CLOEXEC)) >= 0);
	HJ_CHECK(hj_is_rump(b) && len == sizeof(peer));
	HJ_CHECK((fcntl(b, F_GETFD) & FD_CLOEXEC) != 0);
	hj_ok("accept4");
	len = sizeof(peer);
	HJ_CHECK(getpeername(a, (struct sockaddr *)&peer, &len) == 0);
	HJ_CHECK(peer.sin_port == sin.sin_port &&
	    peer.sin_addr.s_addr == sin.sin_addr.s_addr);
	hj_ok("getpeername");

	HJ_CHECK(setsockopt(a, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == 0);
	hj_ok("setsockopt");
	len = sizeof(v);
	HJ_CHECK(getsockopt(a, IPPROTO_TCP, TCP_NODELAY, &v, &len) == 0);
	HJ_CHECK(v != 0);
	len = sizeof(v);
	HJ_CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &len) == 0);
	HJ_CHECK(v == SOCK_STREAM);
	hj_ok("getsockopt");

	HJ_CHECK(send(a, "send", 4, 0) == 4);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(recv(b, buf, four, MSG_WAITALL) == 4);
	HJ_CHECK(memcmp(buf, "send", 4) == 0);
	hj_ok("send");
	hj_ok("__recv_chk");
	HJ_CHECK(send(a, "recv", 4, 0) == 4);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(recvp(b, buf, 4, MSG_WAITALL) == 4);
	HJ_CHECK(memcmp(buf, "recv", 4) == 0);
	hj_ok("recv");
	HJ_CHECK(write(b, "write", 5) == 5);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(read(a, buf, five) == 5 && memcmp(buf, "write", 5) == 0);
	hj_ok("write");
	hj_ok("__read_chk");
	HJ_CHECK(write(b, "read", 4) == 4);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(readp(a, buf, 4) == 4 && memcmp(buf, "read", 4) == 0);
	hj_ok("read");

	iov[0].iov_base = (void *)"abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = (void *)"defgh";
	iov[1].iov_len = 5;
	HJ_CHECK(writev(a, iov, 2) == 8);
	iov[0].iov_base = b1;
	iov[0].iov_len = sizeof(b1);
	iov[1].iov_base = b2;
	iov[1].iov_len = 5;
	HJ_CHECK(readv(b, iov, 2) == 8);
	HJ_CHECK(memcmp(b1, "abc", 3) == 0 && memcmp(b2, "defgh", 5) == 0);
	hj_ok("writev");
	hj_ok("readv");

	iov[0].iov_base = (void *)"msg!";
	iov[0].iov_len = 4;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = 1;
	HJ_CHECK(sendmsg(b, &msg, 0) == 4);
	hj_ok("sendmsg");
	iov[0].iov_base = buf;
	iov[0].iov_len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	HJ_CHECK(recvmsg(a, &msg, 0) == 4 && memcmp(buf, "msg!", 4) == 0);
	hj_ok("recvmsg");

	HJ_CHECK(shutdown(a, SHUT_WR) == 0);
	HJ_CHECK(read(b, buf, sizeof(buf)) == 0);	/* end of file */
	hj_ok("shutdown");
	HJ_CHECK(close(a) == 0 && close(b) == 0 && close(l) == 0);
	HJ_CHECK(fcntl(a, F_GETFD) < 0 && errno == EBADF);
	hj_ok("close");
}

static void
test_accept(void)
{
	struct sockaddr_in sin;
	int l, a, b;

	l = hj_listener(&sin);
	HJ_CHECK((a = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	HJ_CHECK(connect(a, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	HJ_CHECK((b = accept(l, NULL, NULL)) >= 0 && hj_is_rump(b));
	HJ_CHECK((fcntl(b, F_GETFD) & FD_CLOEXEC) == 0);
	hj_ok("accept");
	close(a);
	close(b);
	close(l);
}

/* The host sockets of this process (the library's connections), as
 * one string of inode numbers. */
static void
host_sockets(char *buf, size_t len)
{
	char path[64], link[64];

	buf[0] = '\0';
	for (int fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:", 7) == 0 &&
		    strlen(buf) + strlen(link) + 2 < len) {
			strcat(buf, link);
			strcat(buf, " ");
		}
	}
}

/*
 * An error the kernel returns (here EMSGSIZE for a datagram larger
 * than UDP allows) is the call's result: the library keeps its
 * connection, and with it the process and its sockets.
 */
static void
test_error_keeps_connection(int u, const struct sockaddr_in *to)
{
	static char big[70000];
	char before[512], after[512];

	host_sockets(before, sizeof(before));
	HJ_CHECK(before[0] != '\0');
	HJ_CHECK(sendto(u, big, sizeof(big), 0, (const struct sockaddr *)to,
	    sizeof(*to)) < 0 && errno == EMSGSIZE);
	HJ_CHECK(sendto(u, "ok", 2, 0, (const struct sockaddr *)to,
	    sizeof(*to)) == 2);
	host_sockets(after, sizeof(after));
	if (strcmp(before, after) != 0)
		hj_fail("connections changed: %s-> %s", before, after);
}

static void
test_dgram(void)
{
	struct sockaddr_in sin = hj_addr(0), from;
	socklen_t len = sizeof(sin);
	char buf[32];
	int u, v;

	HJ_CHECK((u = socket(AF_INET, SOCK_DGRAM, 0)) >= 0 && hj_is_rump(u));
	HJ_CHECK(bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	HJ_CHECK(getsockname(u, (struct sockaddr *)&sin, &len) == 0);
	HJ_CHECK((v = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	HJ_CHECK(sendto(v, "dgram", 5, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == 5);
	hj_ok("sendto");
	len = sizeof(from);
	HJ_CHECK(recvfrom(u, buf, five, 0, (struct sockaddr *)&from,
	    &len) == 5);
	HJ_CHECK(memcmp(buf, "dgram", 5) == 0 && from.sin_port != 0);
	hj_ok("__recvfrom_chk");
	HJ_CHECK(sendto(v, "again", 5, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) == 5);
	len = sizeof(from);
	HJ_CHECK(recvfromp(u, buf, sizeof(buf), 0, (struct sockaddr *)&from,
	    &len) == 5);
	HJ_CHECK(memcmp(buf, "again", 5) == 0);
	hj_ok("recvfrom");
	test_error_keeps_connection(v, &sin);
	HJ_CHECK(recv(u, buf, sizeof(buf), 0) == 2);
	close(u);
	close(v);
}

/* A local (AF_UNIX) socket stays on the host by default. */
static void
test_local(void)
{
	int sv[2], s;

	HJ_CHECK((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	HJ_CHECK(!hj_is_rump(s));
	close(s);
	HJ_CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	HJ_CHECK(write(sv[0], "x", 1) == 1 && read(sv[1], &s, 1) == 1);
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	test_stream();
	test_accept();
	test_dgram();
	test_local();
	return 0;
}
