/*
 * rumpclient.c -- librumpclient's connection to rump_server: lazy
 * connect to $RUMP_SERVER with a HELLO exchange, one request in flight
 * under a mutex, a fresh connection after fork(), and messages that say
 * what went wrong once.
 */
#include "config.h"
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rumpnet/rumpclient.h"
#include "tools/librumpclient/rumpclient_int.h"
#include "tools/librumpclient/sp_url.h"

extern char *program_invocation_short_name;

static pthread_mutex_t rc_mtx = PTHREAD_MUTEX_INITIALIZER;
static int rc_fd = -1;		/* [rc_mtx] the connection */
static pid_t rc_pid;		/* [rc_mtx] the process that made it */
static uint32_t rc_reqid;	/* [rc_mtx] */
static int rc_warned;		/* [rc_mtx] a problem was reported */

static void __attribute__((__format__(__printf__, 1, 2)))
rc_warn(const char *fmt, ...)
{
	va_list ap;

	if (rc_warned)
		return;
	rc_warned = 1;
	va_start(ap, fmt);
	fprintf(stderr, "rumpclient: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static int
rc_writen(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* => 0, 1 at end of file, -1 on error. */
static int
rc_readn(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void
rc_disconnect(void)
{
	if (rc_fd >= 0)
		close(rc_fd);
	rc_fd = -1;
}

/*
 * Send a request and read its reply on the current connection.
 * => 0 and *rep and *bufp; an errno for a failed connection (which is then
 * closed); or the server's errno.  hdrerr gets the reply header's
 * decoding result (for the HELLO version check).
 */
static int
rc_exchange(unsigned op, const struct sp_arg *args, struct sp_msg *rep,
    uint8_t **bufp, int *hdrerr)
{
	const struct sp_opdesc *od = sp_opdesc(op);
	struct sp_hdr h = {
		.h_magic = SP_MAGIC,
		.h_version = SP_VERSION,
		.h_op = (uint16_t)op,
		.h_reqid = ++rc_reqid,
	};
	uint8_t hdr[SP_HDRSIZE], *buf;
	size_t n;
	int rv;

	*bufp = NULL;
	*hdrerr = 0;
	n = SP_HDRSIZE + sp_args_size(od->od_req, args);
	if (n > SP_HDRSIZE + SP_MAXPAYLOAD)
		return EMSGSIZE;
	if ((buf = malloc(n)) == NULL)
		return ENOMEM;
	n = sp_frame_encode(buf, &h, od->od_req, args);
	rv = rc_writen(rc_fd, buf, n);
	free(buf);
	if (rv != 0)
		goto lost;
	if ((rv = rc_readn(rc_fd, hdr, sizeof(hdr))) != 0)
		goto lost;
	if ((*hdrerr = sp_hdr_decode(hdr, sizeof(hdr), &h)) != 0) {
		if (*hdrerr != SP_HDR_VERSION)
			goto broken;
		rc_disconnect();
		return EPROTONOSUPPORT;
	}
	if ((buf = malloc(SP_HDRSIZE + (size_t)h.h_len)) == NULL) {
		rc_disconnect();
		return ENOMEM;
	}
	memcpy(buf, hdr, SP_HDRSIZE);
	if ((rv = rc_readn(rc_fd, buf + SP_HDRSIZE, h.h_len)) != 0) {
		free(buf);
		goto lost;
	}
	if (sp_reply_parse(buf, SP_HDRSIZE + (size_t)h.h_len, op, rep) != 0 ||
	    rep->m_hdr.h_reqid != rc_reqid || rep->m_hdr.h_error < 0 ||
	    rep->m_hdr.h_error > 4095) {
		free(buf);
		goto broken;
	}
	if (rep->m_hdr.h_error != 0) {
		free(buf);
		return rep->m_hdr.h_error;
	}
	*bufp = buf;
	return 0;
lost:
	rc_warn("lost the connection to %s (did rump_server exit?)",
	    getenv("RUMP_SERVER"));
	rc_disconnect();
	return ECONNRESET;
broken:
	rc_warn("malformed reply from %s", getenv("RUMP_SERVER"));
	rc_disconnect();
	return EPROTO;
}

/* Connect to $RUMP_SERVER and say hello.  => 0 or an errno. */
static int
rc_connect(void)
{
	const char *url = getenv("RUMP_SERVER");
	struct sp_arg args[2];
	struct sp_msg rep;
	struct sp_url u;
	uint8_t *buf;
	char err[256];
	int fd, e, hdrerr;

	if (url == NULL || *url == '\0') {
		rc_warn("RUMP_SERVER is not set (export RUMP_SERVER=unix://PATH "
		    "of a running rump_server)");
		return ENOTCONN;
	}
	if (sp_url_parse(url, &u, err, sizeof(err)) != 0) {
		rc_warn("RUMP_SERVER: %s", err);
		return EINVAL;
	}
	fd = socket(u.u_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (const struct sockaddr *)&u.u_addr, u.u_addrlen) < 0) {
		e = errno;
		close(fd);
		rc_warn("cannot connect to %s: %s (is rump_server running? "
		    "RUMP_SERVER=%s)", url, strerror(e), url);
		return e;
	}
	rc_fd = fd;
	rc_pid = getpid();

	memset(args, 0, sizeof(args));
	args[0].a_v = SP_VERSION;
	args[1].a_p = (const uint8_t *)program_invocation_short_name;
	args[1].a_len = (uint32_t)strnlen(program_invocation_short_name,
	    SP_MAXSTR - 1) + 1;
	if (args[1].a_len == SP_MAXSTR) {
		args[1].a_p = (const uint8_t *)"?";
		args[1].a_len = 2;
	}
	e = rc_exchange(SP_OP_HELLO, args, &rep, &buf, &hdrerr);
	if (hdrerr == SP_HDR_VERSION || e == EPROTONOSUPPORT) {
		rc_warn("%s speaks another protocol version than this "
		    "library (%u): rebuild one of them", url, SP_VERSION);
		rc_disconnect();
		return EPROTONOSUPPORT;
	}
	if (e != 0) {
		rc_disconnect();
		return e;
	}
	free(buf);
	return 0;
}

/* Lock held.  A connection inherited across fork() is the parent's. */
static int
rc_ensure(void)
{
	if (rc_fd >= 0 && rc_pid != getpid())
		rc_disconnect();
	if (rc_fd >= 0)
		return 0;
	return rc_connect();
}

int
rc_call(unsigned op, const struct sp_arg *args, struct sp_msg *rep,
    uint8_t **bufp)
{
	int error, hdrerr;

	*bufp = NULL;
	pthread_mutex_lock(&rc_mtx);
	if ((error = rc_ensure()) == 0)
		error = rc_exchange(op, args, rep, bufp, &hdrerr);
	pthread_mutex_unlock(&rc_mtx);
	return error;
}

int
rumpclient_init(void)
{
	int error;

	pthread_mutex_lock(&rc_mtx);
	error = rc_ensure();
	pthread_mutex_unlock(&rc_mtx);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
rumpclient_halt(void)
{
	struct sp_msg rep;
	uint8_t *buf;
	int error;

	if ((error = rc_call(SP_OP_HALT, NULL, &rep, &buf)) != 0) {
		errno = error;
		return -1;
	}
	free(buf);
	pthread_mutex_lock(&rc_mtx);
	rc_disconnect();
	pthread_mutex_unlock(&rc_mtx);
	return 0;
}
