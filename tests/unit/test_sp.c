/*
 * test_sp.c -- the remote system call protocol: the codec
 * (tools/librumpclient/sp_proto.c) against hand-built frames, the URL
 * parser, and the server's executor (tools/rump_server/sp_exec.c)
 * running encoded requests against a kernel booted in this process,
 * including aborting a client process blocked in a call, fork, and
 * interrupting one thread of a process.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "netstack/kern/proc.h"
#include "netstack/kern/mbuf.h"
#include "rumpnet/rump.h"
#include "tools/librumpclient/sp_proto.h"
#include "tools/librumpclient/sp_url.h"
#include "tools/rump_server/sp_exec.h"
#include "tests/unit/unit.h"

/* ---------------------------------------------------------------- codec */

/*
 * A HELLO request, hand-assembled from the layout in sp_proto.h:
 * magic "RNSP", version 1, op 1, length 13, request id 0x01020304,
 * error 0, flags 0; payload u32 1, blob of 5 bytes "abcd\0".
 */
static const uint8_t hello_frame[] = {
	'R', 'N', 'S', 'P', 0x01, 0x00, 0x01, 0x00,
	0x0d, 0x00, 0x00, 0x00, 0x04, 0x03, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
	'a', 'b', 'c', 'd', 0x00,
};

START_TEST(test_hello_decode)
{
	struct sp_msg m;

	ck_assert_int_eq(sp_request_parse(hello_frame, sizeof(hello_frame),
	    &m), 0);
	ck_assert_uint_eq(m.m_hdr.h_op, SP_OP_HELLO);
	ck_assert_uint_eq(m.m_hdr.h_reqid, 0x01020304);
	ck_assert_uint_eq(m.m_nargs, 2);
	ck_assert_int_eq(m.m_args[0].a_v, 1);
	ck_assert_uint_eq(m.m_args[1].a_len, 5);
	ck_assert_str_eq((const char *)m.m_args[1].a_p, "abcd");
}
END_TEST

START_TEST(test_hello_encode)
{
	struct sp_hdr h = {
		.h_magic = SP_MAGIC, .h_version = SP_VERSION,
		.h_op = SP_OP_HELLO, .h_reqid = 0x01020304,
	};
	struct sp_arg a[2] = {
		{ .a_v = 1 }, { .a_p = (const uint8_t *)"abcd", .a_len = 5 },
	};
	uint8_t buf[64];

	ck_assert_uint_eq(sp_frame_encode(buf, &h, "us", a),
	    sizeof(hello_frame));
	ck_assert_mem_eq(buf, hello_frame, sizeof(hello_frame));
}
END_TEST

/* Malformed variants of hello_frame, one byte changed at a time. */
static const struct {
	const char	*name;
	size_t		 off;		/* byte to set */
	uint8_t		 val;
	size_t		 len;		/* frame length used */
	int		 want;
} bad_frames[] = {
	{ "magic", 0, 'X', sizeof(hello_frame), -SP_HDR_MAGIC },
	{ "version", 4, 2, sizeof(hello_frame), -SP_HDR_VERSION },
	{ "too big", 11, 0x10, sizeof(hello_frame), -SP_HDR_TOOBIG },
	{ "short header", 0, 'R', 23, -SP_HDR_SHORT },
	{ "truncated payload", 0, 'R', sizeof(hello_frame) - 1, EBADMSG },
	{ "length says more", 8, 0x0e, sizeof(hello_frame), EBADMSG },
	{ "unknown op", 6, 0x7f, sizeof(hello_frame), ENOSYS },
	{ "op 0", 6, 0, sizeof(hello_frame), ENOSYS },
	{ "reply flag", 20, 1, sizeof(hello_frame), EBADMSG },
	{ "error set", 16, 5, sizeof(hello_frame), EBADMSG },
	{ "blob past end", 28, 6, sizeof(hello_frame), EBADMSG },
	{ "blob shorter", 28, 4, sizeof(hello_frame), EBADMSG },
	{ "string not NUL-ended", 36, 'e', sizeof(hello_frame), EBADMSG },
};

START_TEST(test_bad_frames)
{
	uint8_t buf[sizeof(hello_frame)];
	struct sp_msg m;

	memcpy(buf, hello_frame, sizeof(buf));
	buf[bad_frames[_i].off] = bad_frames[_i].val;
	ck_assert_msg(sp_request_parse(buf, bad_frames[_i].len, &m) ==
	    bad_frames[_i].want, "%s", bad_frames[_i].name);
}
END_TEST

START_TEST(test_blob_limits)
{
	uint8_t p[4 + SP_MAXOPT + 1];
	struct sp_arg a[SP_MAXARGS];

	memset(p, 0, sizeof(p));
	/* Address: 128 bytes fine, 129 not. */
	p[0] = SP_MAXADDR;
	ck_assert_int_eq(sp_args_decode("a", p, 4 + SP_MAXADDR, a), 0);
	p[0] = SP_MAXADDR + 1;
	ck_assert_int_eq(sp_args_decode("a", p, 4 + SP_MAXADDR + 1, a),
	    EBADMSG);
	/* Option: 4096 fine, 4097 not. */
	p[0] = 0x00;
	p[1] = 0x10;
	ck_assert_int_eq(sp_args_decode("o", p, 4 + SP_MAXOPT, a), 0);
	p[0] = 0x01;
	ck_assert_int_eq(sp_args_decode("o", p, 4 + SP_MAXOPT + 1, a),
	    EBADMSG);
	/* Pollfds: a multiple of 8 only. */
	memset(p, 0, 8);
	p[0] = 16;
	ck_assert_int_eq(sp_args_decode("p", p, 4 + 16, a), 0);
	ck_assert_uint_eq(a[0].a_len, 16);
	p[0] = 12;
	ck_assert_int_eq(sp_args_decode("p", p, 4 + 12, a), EBADMSG);
	/* Empty blobs and strings decode as NULL. */
	memset(p, 0, 8);
	ck_assert_int_eq(sp_args_decode("sd", p, 8, a), 0);
	ck_assert_ptr_null(a[0].a_p);
	ck_assert_ptr_null(a[1].a_p);
	/* A blob length near 2^32 does not wrap. */
	p[0] = p[1] = p[2] = p[3] = 0xff;
	ck_assert_int_eq(sp_args_decode("d", p, 8, a), EBADMSG);
	/* Trailing bytes. */
	memset(p, 0, 8);
	ck_assert_int_eq(sp_args_decode("i", p, 5, a), EBADMSG);
	ck_assert_int_eq(sp_args_decode("", p, 0, a), 0);
}
END_TEST

START_TEST(test_reply_parse)
{
	struct sp_hdr h = {
		.h_magic = SP_MAGIC, .h_version = SP_VERSION,
		.h_op = SP_OP_SOCKET, .h_reqid = 9, .h_flags = SP_F_REPLY,
	};
	struct sp_arg a[1] = { { .a_v = -1 } };
	uint8_t buf[64];
	struct sp_msg m;
	size_t n;

	n = sp_frame_encode(buf, &h, "l", a);
	ck_assert_int_eq(sp_reply_parse(buf, n, SP_OP_SOCKET, &m), 0);
	ck_assert_int_eq(m.m_args[0].a_v, -1);
	/* A reply to another operation is not ours. */
	ck_assert_int_eq(sp_reply_parse(buf, n, SP_OP_CLOSE, &m), EBADMSG);
	/* An error reply has no fields. */
	h.h_error = EBADF;
	n = sp_frame_encode(buf, &h, "", NULL);
	ck_assert_int_eq(sp_reply_parse(buf, n, SP_OP_SOCKET, &m), 0);
	ck_assert_int_eq(m.m_hdr.h_error, EBADF);
	n = sp_frame_encode(buf, &h, "l", a);
	ck_assert_int_eq(sp_reply_parse(buf, n, SP_OP_SOCKET, &m), EBADMSG);
	/* Every operation has a name and both signatures. */
	for (unsigned op = SP_OP_HELLO; op < SP_OP_MAX; op++) {
		const struct sp_opdesc *od = sp_opdesc(op);

		ck_assert_ptr_nonnull(od);
		ck_assert(strlen(od->od_req) <= SP_MAXARGS);
		ck_assert(strlen(od->od_rep) <= SP_MAXARGS);
	}
	ck_assert_ptr_null(sp_opdesc(0));
	ck_assert_ptr_null(sp_opdesc(SP_OP_MAX));
}
END_TEST

/* ----------------------------------------------------------------- URLs */

static const struct {
	const char	*url;
	int		 ok;
	int		 family;
	unsigned	 port;
} urls[] = {
	{ "unix://node1", 1, AF_UNIX, 0 },
	{ "unix:///tmp/x/y", 1, AF_UNIX, 0 },
	{ "unix://", 0, 0, 0 },
	{ "tcp://127.0.0.1:3755", 1, AF_INET, 3755 },
	{ "tcp://127.0.0.1:3755/", 1, AF_INET, 3755 },
	{ "tcp://0:3755/", 1, AF_INET, 3755 },
	{ "tcp://localhost:1", 1, AF_INET, 1 },
	{ "tcp://127.1.2.3:65535", 1, AF_INET, 65535 },
	{ "tcp://[::1]:3755", 1, AF_INET6, 3755 },
	{ "tcp://198.51.100.1:3755", 0, 0, 0 },
	{ "tcp://[2001:db8::1]:3755", 0, 0, 0 },
	{ "tcp://127.0.0.1", 0, 0, 0 },
	{ "tcp://127.0.0.1:", 0, 0, 0 },
	{ "tcp://127.0.0.1:0", 0, 0, 0 },
	{ "tcp://127.0.0.1:65536", 0, 0, 0 },
	{ "tcp://127.0.0.1:-1", 0, 0, 0 },
	{ "tcp://127.0.0.1:80x", 0, 0, 0 },
	{ "tcp://:80", 0, 0, 0 },
	{ "tcp://[::1:80", 0, 0, 0 },
	{ "http://127.0.0.1:80", 0, 0, 0 },
	{ "node1", 0, 0, 0 },
};

START_TEST(test_urls)
{
	struct sp_url u;
	char err[256];
	int rv;

	err[0] = '\0';
	rv = sp_url_parse(urls[_i].url, &u, err, sizeof(err));
	ck_assert_msg((rv == 0) == urls[_i].ok, "%s: %s", urls[_i].url, err);
	if (!urls[_i].ok) {
		ck_assert_msg(err[0] != '\0', "%s: no message", urls[_i].url);
		return;
	}
	ck_assert_int_eq(u.u_addr.ss_family, urls[_i].family);
	if (urls[_i].family == AF_UNIX)
		ck_assert_str_eq(u.u_path, urls[_i].url + 7);
	else
		ck_assert_uint_eq(be16dec(&((const uint8_t *)&u.u_addr)[2]),
		    urls[_i].port);
}
END_TEST

START_TEST(test_url_long_path)
{
	char url[256];
	struct sp_url u;
	char err[256];

	memset(url, 'x', sizeof(url));
	memcpy(url, "unix://", 7);
	url[7 + 107] = '\0';	/* 107 bytes: the most sun_path holds */
	ck_assert_int_eq(sp_url_parse(url, &u, err, sizeof(err)), 0);
	url[7 + 107] = 'x';
	url[7 + 108] = '\0';
	ck_assert_int_eq(sp_url_parse(url, &u, err, sizeof(err)), -1);
	ck_assert(strstr(err, "too long") != NULL);
}
END_TEST

/* ------------------------------------------------------------- executor */

static uint64_t kmem_at_start, mbufs_at_start;
static struct proc *tp;

static int exec_udp_socket(struct proc *, int);
static void exec_udp_warmup(void);

static void
exec_setup(void)
{
	ck_assert_int_eq(rump_init(), 0);
	exec_udp_warmup();
	kmem_at_start = kmem_inuse();
	mbufs_at_start = m_inuse();
	ck_assert_int_eq(sp_exec_proc_create(&tp), 0);
}

static void
exec_teardown(void)
{
	sp_exec_proc_reap(tp);
	tp = NULL;
	ck_assert_uint_eq(m_inuse(), mbufs_at_start);
	ck_assert_uint_eq(kmem_inuse(), kmem_at_start);
}

/*
 * Encode a request as a client would, parse it as the server does and
 * run it for process p.  The reply is re-encoded and parsed as the
 * client would, into *rep (pointing into *bufp: free it).
 * => the reply's errno.
 */
static int
exec_req(struct proc *p, unsigned op, const struct sp_arg *args,
    struct sp_msg *rep, uint8_t **bufp)
{
	const struct sp_opdesc *od = sp_opdesc(op);
	struct sp_hdr h = {
		.h_magic = SP_MAGIC, .h_version = SP_VERSION,
		.h_op = (uint16_t)op, .h_reqid = 42,
	};
	struct sp_reply r;
	struct sp_msg m;
	uint8_t *req, *rbuf;
	size_t n;

	req = malloc(SP_HDRSIZE + sp_args_size(od->od_req, args));
	n = sp_frame_encode(req, &h, od->od_req, args);
	ck_assert_int_eq(sp_request_parse(req, n, &m), 0);
	sp_exec(p, &m, &r);

	h.h_flags = SP_F_REPLY;
	h.h_error = r.r_error;
	rbuf = malloc(SP_HDRSIZE + sp_args_size(od->od_rep, r.r_args));
	n = sp_frame_encode(rbuf, &h, r.r_error == 0 ? od->od_rep : "",
	    r.r_args);
	free(r.r_buf);
	free(req);
	ck_assert_int_eq(sp_reply_parse(rbuf, n, op, rep), 0);
	*bufp = rbuf;
	return rep->m_hdr.h_error;
}

/* As exec_req, for calls whose reply is only checked for its errno or
 * its first "l" field. */
static int64_t
exec_l(struct proc *p, unsigned op, const struct sp_arg *args, int *errp)
{
	struct sp_msg rep;
	uint8_t *buf;
	int64_t v = -1;

	*errp = exec_req(p, op, args, &rep, &buf);
	if (*errp == 0 && strlen(sp_opdesc(op)->od_rep) > 0 &&
	    sp_opdesc(op)->od_rep[0] == 'l')
		v = rep.m_args[0].a_v;
	free(buf);
	return v;
}

static uint8_t sin_lo[16] = {
	0x02, 0x00, 0x13, 0x88,		/* AF_INET, port 5000 */
	127, 0, 0, 1,
};

static int
exec_udp_socket(struct proc *p, int nonblock)
{
	struct sp_arg a[3] = {
		{ .a_v = 2 }, { .a_v = 2 | (nonblock ? 0x800 : 0) },
		{ .a_v = 0 },
	};
	int err;
	int64_t fd = exec_l(p, SP_OP_SOCKET, a, &err);

	ck_assert_int_eq(err, 0);
	return (int)fd;
}

/*
 * The kernel keeps what the first datagram over lo0 creates (tables
 * sized on first use): send one from a scratch process before the
 * fixture takes its baseline.
 */
static void
exec_udp_warmup(void)
{
	struct sp_arg a[4];
	struct proc *p;
	int fd, err;

	uint8_t sin[sizeof(sin_lo)];

	memcpy(sin, sin_lo, sizeof(sin));
	sin[3]++;			/* port 5001: to itself */
	ck_assert_int_eq(sp_exec_proc_create(&p), 0);
	fd = exec_udp_socket(p, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_p = sin;
	a[1].a_len = sizeof(sin);
	(void)exec_l(p, SP_OP_BIND, a, &err);
	ck_assert_int_eq(err, 0);
	a[1].a_p = (const uint8_t *)"x";
	a[1].a_len = 1;
	a[3].a_p = sin;
	a[3].a_len = sizeof(sin);
	(void)exec_l(p, SP_OP_SENDTO, a, &err);
	ck_assert_int_eq(err, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_v = 1;
	ck_assert_int_eq(exec_l(p, SP_OP_RECVFROM, a, &err), 1);
	sp_exec_proc_reap(p);
}

START_TEST(test_exec_udp)
{
	struct sp_arg a[4];
	struct sp_msg rep;
	uint8_t *buf;
	int fd, err;

	fd = exec_udp_socket(tp, 0);
	ck_assert_int_eq(fd, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_p = sin_lo;
	a[1].a_len = sizeof(sin_lo);
	(void)exec_l(tp, SP_OP_BIND, a, &err);
	ck_assert_int_eq(err, 0);

	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_p = (const uint8_t *)"hello";
	a[1].a_len = 5;
	a[3].a_p = sin_lo;
	a[3].a_len = sizeof(sin_lo);
	ck_assert_int_eq(exec_l(tp, SP_OP_SENDTO, a, &err), 5);
	ck_assert_int_eq(err, 0);

	/* recvfrom asking for 4 GiB: clamped; 3 bytes with MSG_TRUNC. */
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_v = 3;
	a[2].a_v = MSG_TRUNC;
	a[3].a_v = 1;
	ck_assert_int_eq(exec_req(tp, SP_OP_RECVFROM, a, &rep, &buf), 0);
	ck_assert_int_eq(rep.m_args[0].a_v, 5);	/* the full length */
	ck_assert_uint_eq(rep.m_args[1].a_len, 3);
	ck_assert_mem_eq(rep.m_args[1].a_p, "hel", 3);
	ck_assert_uint_eq(rep.m_args[2].a_len, 16);
	ck_assert_int_eq(rep.m_args[3].a_v, 16);
	ck_assert_mem_eq(rep.m_args[2].a_p, sin_lo, 8);
	free(buf);

	/* getsockname with the address wanted. */
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_v = 1;
	ck_assert_int_eq(exec_req(tp, SP_OP_GETSOCKNAME, a, &rep, &buf), 0);
	ck_assert_mem_eq(rep.m_args[0].a_p, sin_lo, 8);
	free(buf);

	/* Nothing left: a non-blocking receive (MSG_DONTWAIT). */
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_v = 0xffffffffu;
	a[2].a_v = MSG_DONTWAIT;
	(void)exec_l(tp, SP_OP_RECVFROM, a, &err);
	ck_assert_int_eq(err, EAGAIN);
}
END_TEST

START_TEST(test_exec_ioctl)
{
	uint8_t arg[4] = { 1, 0, 0, 0 };
	struct sp_arg a[3];
	struct sp_msg rep;
	uint8_t *buf;
	int fd, err;

	fd = exec_udp_socket(tp, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	/* FIONBIO takes exactly an int. */
	a[1].a_v = KFIONBIO;
	a[2].a_p = arg;
	a[2].a_len = 4;
	ck_assert_int_eq(exec_req(tp, SP_OP_IOCTL, a, &rep, &buf), 0);
	ck_assert_uint_eq(rep.m_args[0].a_len, 0);	/* nothing out */
	free(buf);
	a[2].a_len = 3;
	(void)exec_l(tp, SP_OP_IOCTL, a, &err);
	ck_assert_int_eq(err, EINVAL);
	/* FIONREAD: an int out, none in. */
	a[1].a_v = KFIONREAD;
	a[2].a_p = NULL;
	a[2].a_len = 0;
	ck_assert_int_eq(exec_req(tp, SP_OP_IOCTL, a, &rep, &buf), 0);
	ck_assert_uint_eq(rep.m_args[0].a_len, 4);
	free(buf);
	/* Unknown size: ENOTTY without reaching the kernel. */
	a[1].a_v = 0x1234;
	(void)exec_l(tp, SP_OP_IOCTL, a, &err);
	ck_assert_int_eq(err, ENOTTY);
}
END_TEST

START_TEST(test_exec_sysctl)
{
	struct sp_arg a[4];
	struct sp_msg rep;
	uint8_t *buf;
	int32_t v;

	memset(a, 0, sizeof(a));
	a[0].a_p = (const uint8_t *)"net.inet.ip.ttl";
	a[0].a_len = sizeof("net.inet.ip.ttl");
	/* Too small a buffer: ENOMEM with the size needed. */
	a[1].a_v = 2;
	a[2].a_v = SP_SYSCTL_OLDP | SP_SYSCTL_OLDLENP;
	ck_assert_int_eq(exec_req(tp, SP_OP_SYSCTLBYNAME, a, &rep, &buf), 0);
	ck_assert_int_eq(rep.m_args[0].a_v, ENOMEM);
	ck_assert_uint_eq(rep.m_args[1].a_len, 0);
	ck_assert_int_eq(rep.m_args[2].a_v, 4);
	free(buf);
	a[1].a_v = 4;
	ck_assert_int_eq(exec_req(tp, SP_OP_SYSCTLBYNAME, a, &rep, &buf), 0);
	ck_assert_int_eq(rep.m_args[0].a_v, 0);
	ck_assert_uint_eq(rep.m_args[1].a_len, 4);
	memcpy(&v, rep.m_args[1].a_p, 4);
	ck_assert_int_eq(v, 64);
	free(buf);

	/* sysctlnext: the first node under net.inet.ip, no type asked. */
	memset(a, 0, sizeof(a));
	a[0].a_p = (const uint8_t *)"net.inet.ip";
	a[0].a_len = sizeof("net.inet.ip");
	a[2].a_v = 96;
	ck_assert_int_eq(exec_req(tp, SP_OP_SYSCTLNEXT, a, &rep, &buf), 0);
	ck_assert(strncmp((const char *)rep.m_args[0].a_p, "net.inet.ip.",
	    12) == 0);
	free(buf);
	a[2].a_v = 2;
	ck_assert_int_eq(exec_req(tp, SP_OP_SYSCTLNEXT, a, &rep, &buf),
	    ENOMEM);
	free(buf);
}
END_TEST

START_TEST(test_exec_poll)
{
	uint8_t fds[2 * SP_POLLFDSIZE];
	struct kpollfd k;
	struct sp_arg a[2];
	struct sp_msg rep;
	uint8_t *buf;
	int fd;

	fd = exec_udp_socket(tp, 0);
	k.fd = fd;
	k.events = KPOLLOUT;
	k.revents = 0;
	memcpy(fds, &k, sizeof(k));
	k.fd = 77;		/* not open: POLLNVAL */
	memcpy(fds + SP_POLLFDSIZE, &k, sizeof(k));
	memset(a, 0, sizeof(a));
	a[0].a_p = fds;
	a[0].a_len = sizeof(fds);
	a[1].a_v = 0;
	ck_assert_int_eq(exec_req(tp, SP_OP_POLL, a, &rep, &buf), 0);
	ck_assert_int_eq(rep.m_args[0].a_v, 2);
	ck_assert_uint_eq(rep.m_args[1].a_len, sizeof(fds));
	memcpy(&k, rep.m_args[1].a_p, sizeof(k));
	ck_assert(k.revents & KPOLLOUT);
	memcpy(&k, rep.m_args[1].a_p + SP_POLLFDSIZE, sizeof(k));
	ck_assert(k.revents & KPOLLNVAL);
	free(buf);
}
END_TEST

/* A client thread blocked in recvfrom, aborted from another thread. */
struct blocked {
	struct proc	*b_p;
	int		 b_fd;
	int		 b_err;
};

static void *
blocked_recv(void *arg)
{
	struct blocked *b = arg;
	struct sp_arg a[4];

	memset(a, 0, sizeof(a));
	a[0].a_v = b->b_fd;
	a[1].a_v = 100;
	proc_setcurrent(b->b_p);
	(void)exec_l(b->b_p, SP_OP_RECVFROM, a, &b->b_err);
	return NULL;
}

START_TEST(test_exec_abort)
{
	struct blocked b;
	struct sp_arg a[1];
	pthread_t t;
	int err;

	b.b_p = tp;
	b.b_fd = exec_udp_socket(tp, 0);
	b.b_err = -1;
	ck_assert_int_eq(pthread_create(&t, NULL, blocked_recv, &b), 0);
	usleep(50 * 1000);
	ck_assert_int_eq(b.b_err, -1);		/* still blocked */
	sp_exec_proc_abort(tp);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(b.b_err, EINTR);
	/* Later calls fail at once; aborting twice is harmless. */
	sp_exec_proc_abort(tp);
	memset(a, 0, sizeof(a));
	a[0].a_v = b.b_fd;
	(void)exec_l(tp, SP_OP_CLOSE, a, &err);
	ck_assert_int_eq(err, EINTR);
	/* exec_teardown reaps it: the socket is closed, nothing leaks. */
}
END_TEST

/*
 * fork: the child's descriptors are the parent's sockets (a datagram
 * sent through the child's copy arrives on the parent's bound socket),
 * with their close-on-exec flags, and closing one side's copy leaves
 * the other's working.
 */
START_TEST(test_exec_fork)
{
	struct sp_arg a[4];
	struct proc *child;
	int fd, cfd, err;
	char buf[8];
	struct sp_msg rep;
	uint8_t *rbuf;

	fd = exec_udp_socket(tp, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	a[1].a_p = sin_lo;
	a[1].a_len = sizeof(sin_lo);
	(void)exec_l(tp, SP_OP_BIND, a, &err);
	ck_assert_int_eq(err, 0);
	cfd = exec_udp_socket(tp, 0);
	a[0].a_v = cfd;
	a[1].a_v = 2;		/* F_SETFD */
	a[2].a_v = 1;		/* FD_CLOEXEC */
	(void)exec_l(tp, SP_OP_FCNTL, a, &err);
	ck_assert_int_eq(err, 0);

	ck_assert_int_eq(sp_exec_proc_fork(tp, &child), 0);
	a[1].a_v = 1;		/* F_GETFD in the child */
	ck_assert_int_eq(exec_l(child, SP_OP_FCNTL, a, &err), 1);
	ck_assert_int_eq(err, 0);
	memset(a, 0, sizeof(a));
	a[0].a_v = cfd;
	a[1].a_p = (const uint8_t *)"fork";
	a[1].a_len = 4;
	a[3].a_p = sin_lo;
	a[3].a_len = sizeof(sin_lo);
	ck_assert_int_eq(exec_l(child, SP_OP_SENDTO, a, &err), 4);
	ck_assert_int_eq(err, 0);
	/* The child closes its copy of the bound socket: ours stays. */
	memset(a, 0, sizeof(a));
	a[0].a_v = fd;
	(void)exec_l(child, SP_OP_CLOSE, a, &err);
	ck_assert_int_eq(err, 0);
	sp_exec_proc_reap(child);
	a[1].a_v = sizeof(buf);
	ck_assert_int_eq(exec_req(tp, SP_OP_RECVFROM, a, &rep, &rbuf), 0);
	ck_assert_int_eq(rep.m_args[0].a_v, 4);
	memcpy(buf, rep.m_args[1].a_p, 4);
	free(rbuf);
	ck_assert_mem_eq(buf, "fork", 4);
}
END_TEST

struct lwpcall {
	struct proc	*lc_p;
	struct lwp	*lc_l;
	int		 lc_fd;
	int		 lc_err;
};

static void *
lwp_recv(void *arg)
{
	struct lwpcall *lc = arg;
	struct sp_arg a[4];

	memset(a, 0, sizeof(a));
	a[0].a_v = lc->lc_fd;
	a[1].a_v = 100;
	lc->lc_l = sp_exec_lwp_create(lc->lc_p);
	(void)exec_l(lc->lc_p, SP_OP_RECVFROM, a, &lc->lc_err);
	return NULL;
}

/*
 * Interrupting one kernel thread of a process ends its blocked call
 * with EINTR and leaves the process and its other threads alone.
 */
START_TEST(test_exec_lwp_interrupt)
{
	struct lwpcall one = { .lc_p = tp, .lc_err = -1 };
	struct lwpcall two = { .lc_p = tp, .lc_err = -1 };
	pthread_t t1, t2;

	one.lc_fd = two.lc_fd = exec_udp_socket(tp, 0);
	ck_assert_int_eq(pthread_create(&t1, NULL, lwp_recv, &one), 0);
	ck_assert_int_eq(pthread_create(&t2, NULL, lwp_recv, &two), 0);
	while (__atomic_load_n(&one.lc_l, __ATOMIC_SEQ_CST) == NULL ||
	    __atomic_load_n(&two.lc_l, __ATOMIC_SEQ_CST) == NULL)
		usleep(1000);
	usleep(50 * 1000);
	sp_exec_lwp_interrupt(one.lc_l);
	ck_assert_int_eq(pthread_join(t1, NULL), 0);
	ck_assert_int_eq(one.lc_err, EINTR);
	usleep(50 * 1000);
	ck_assert_int_eq(two.lc_err, -1);	/* still blocked */
	sp_exec_lwp_interrupt(two.lc_l);
	ck_assert_int_eq(pthread_join(t2, NULL), 0);
	ck_assert_int_eq(two.lc_err, EINTR);
	sp_exec_lwp_destroy(one.lc_l);
	sp_exec_lwp_destroy(two.lc_l);
}
END_TEST

static Suite *
sp_suite(void)
{
	Suite *s = suite_create("sp");
	TCase *tc;

	tc = tcase_create("codec");
	tcase_add_test(tc, test_hello_decode);
	tcase_add_test(tc, test_hello_encode);
	tcase_add_loop_test(tc, test_bad_frames, 0,
	    sizeof(bad_frames) / sizeof(bad_frames[0]));
	tcase_add_test(tc, test_blob_limits);
	tcase_add_test(tc, test_reply_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("url");
	tcase_add_loop_test(tc, test_urls, 0, sizeof(urls) / sizeof(urls[0]));
	tcase_add_test(tc, test_url_long_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("exec");
	tcase_add_checked_fixture(tc, exec_setup, exec_teardown);
	tcase_add_test(tc, test_exec_udp);
	tcase_add_test(tc, test_exec_ioctl);
	tcase_add_test(tc, test_exec_sysctl);
	tcase_add_test(tc, test_exec_poll);
	tcase_add_test(tc, test_exec_abort);
	tcase_add_test(tc, test_exec_fork);
	tcase_add_test(tc, test_exec_lwp_interrupt);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(sp_suite());
}
