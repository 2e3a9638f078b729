/*
 * rumpclient.c -- librumpclient's connections to rump_server.
 *
 * The program is one kernel process on the server.  Every thread that
 * makes calls has a connection of its own (rc_self), attached to that
 * process by its cookie (SP_OP_SESSION, sp_proto.h), so a thread blocked
 * in recv() does not hold up the others.  The first connection creates
 * the process; the others attach to it.  A spare connection sends
 * interrupts for calls started asynchronously (rc_call_start).
 *
 * After fork() the child's inherited connections are the parent's: the
 * child drops them, and either attaches to a forked process prepared by
 * the parent (rc_fork_*, used by rumpclient_fork and the hijack library)
 * or makes a new, empty process on its first call.  Across exec the
 * hijack library keeps one connection open (rc_exec_*).
 *
 * Host calls go through rc_host, so that the hijack library, which
 * defines socket(), read() and the rest itself, can point them at the
 * host's functions.
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rumpnet/rumpclient.h"
#include "tools/librumpclient/rumpclient_int.h"
#include "tools/librumpclient/sp_url.h"

extern char *program_invocation_short_name;

static int rc_host_fcntl(int fd, int cmd, int arg)
{
	return fcntl(fd, cmd, arg);
}

struct rc_hostops rc_host = {
	.ho_socket = socket,
	.ho_connect = connect,
	.ho_close = close,
	.ho_read = read,
	.ho_send = send,
	.ho_fcntl = rc_host_fcntl,
	.ho_fork = fork,
};

void (*rc_newproc_hook)(void);

/* One connection to the server, serving this program's process. */
struct rc_conn {
	struct rc_conn	*cn_next;	/* [rc_mtx] on rc_conns */
	int		 cn_fd;		/* [I] */
	pid_t		 cn_pid;	/* [I] the process that made it */
	uint32_t	 cn_id;		/* [I] the server's connection id */
	uint32_t	 cn_reqid;	/* [owner] last request id sent */
	bool		 cn_broken;	/* [owner] framing lost: unusable */
};

static pthread_mutex_t rc_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct rc_conn *rc_conns;	/* [rc_mtx] every connection */
static uint64_t rc_cookie;		/* [rc_mtx] our process; 0: none */
static pid_t rc_pid;			/* [rc_mtx] whose rc_conns these are */
static int rc_warned;			/* [rc_mtx] a problem was reported */
static pthread_once_t rc_once = PTHREAD_ONCE_INIT;
static pthread_key_t rc_key;		/* destructor closes rc_self */
static __thread struct rc_conn *rc_self;	/* this thread's */

static pthread_mutex_t rc_spare_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct rc_conn *rc_spare;	/* [rc_spare_mtx] for interrupts */

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
		ssize_t r = rc_host.ho_send(fd, p, n, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void rc_interrupt_req(uint32_t connid, uint32_t reqid);

/*
 * Read n bytes from cn's connection.  With intr, the read is of the
 * reply to a call that a signal may interrupt: a signal whose handler
 * was installed without SA_RESTART makes the host's read() fail with
 * EINTR (with SA_RESTART the host restarts it and we never see it),
 * which is when a system call of the host's own would fail with EINTR,
 * so the server is asked to interrupt the call (rc_interrupt_req),
 * once.  The reply follows in any case -- EINTR, or the call's result
 * if it finished first -- and is read as usual.
 * => 0, 1 at end of file, -1 on error.
 */
static int
rc_readn(const struct rc_conn *cn, void *buf, size_t n, bool intr)
{
	uint8_t *p = buf;
	bool asked = false;

	while (n > 0) {
		ssize_t r = rc_host.ho_read(cn->cn_fd, p, n);

		if (r < 0 && errno == EINTR) {
			if (intr && !asked)
				rc_interrupt_req(cn->cn_id, cn->cn_reqid);
			asked = intr;
			continue;
		}
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* ---------------------------------------------------------- exchanges */

/* Send request op on cn.  => 0, or an errno (connection lost). */
static int
rc_send(struct rc_conn *cn, unsigned op, const struct sp_arg *args)
{
	const struct sp_opdesc *od = sp_opdesc(op);
	struct sp_hdr h = {
		.h_magic = SP_MAGIC,
		.h_version = SP_VERSION,
		.h_op = (uint16_t)op,
		.h_reqid = ++cn->cn_reqid,
	};
	uint8_t *buf;
	size_t n;
	int rv;

	n = SP_HDRSIZE + sp_args_size(od->od_req, args);
	if (n > SP_HDRSIZE + SP_MAXPAYLOAD)
		return EMSGSIZE;
	if ((buf = malloc(n)) == NULL)
		return ENOMEM;
	n = sp_frame_encode(buf, &h, od->od_req, args);
	rv = rc_writen(cn->cn_fd, buf, n);
	free(buf);
	if (rv != 0) {
		rc_warn("lost the connection to %s (did rump_server exit?)",
		    getenv("RUMP_SERVER"));
		cn->cn_broken = true;
		return ECONNRESET;
	}
	return 0;
}

/*
 * Read the reply to the last request sent on cn (operation op); with
 * intr, a signal may interrupt the call (rc_readn).
 * => 0 and *rep and *bufp; the server's errno; or, with cn_broken set
 * (the connection is unusable from now on), ECONNRESET, EPROTO,
 * EPROTONOSUPPORT or ENOMEM.
 */
static int
rc_recv(struct rc_conn *cn, unsigned op, bool intr, struct sp_msg *rep,
    uint8_t **bufp)
{
	uint8_t hdr[SP_HDRSIZE], *buf;
	struct sp_hdr h;
	int rv;

	*bufp = NULL;
	if (rc_readn(cn, hdr, sizeof(hdr), intr) != 0)
		goto lost;
	if ((rv = sp_hdr_decode(hdr, sizeof(hdr), &h)) != 0) {
		cn->cn_broken = true;
		return rv == SP_HDR_VERSION ? EPROTONOSUPPORT : EPROTO;
	}
	if ((buf = malloc(SP_HDRSIZE + (size_t)h.h_len)) == NULL) {
		cn->cn_broken = true;
		return ENOMEM;
	}
	memcpy(buf, hdr, SP_HDRSIZE);
	if (rc_readn(cn, buf + SP_HDRSIZE, h.h_len, intr) != 0) {
		free(buf);
		goto lost;
	}
	if (sp_reply_parse(buf, SP_HDRSIZE + (size_t)h.h_len, op, rep) != 0 ||
	    rep->m_hdr.h_reqid != cn->cn_reqid || rep->m_hdr.h_error < 0 ||
	    rep->m_hdr.h_error > 4095) {
		free(buf);
		rc_warn("malformed reply from %s", getenv("RUMP_SERVER"));
		cn->cn_broken = true;
		return EPROTO;
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
	cn->cn_broken = true;
	return ECONNRESET;
}

static int
rc_exchange(struct rc_conn *cn, unsigned op, const struct sp_arg *args,
    struct sp_msg *rep, uint8_t **bufp)
{
	int error;

	*bufp = NULL;
	if ((error = rc_send(cn, op, args)) != 0)
		return error;
	return rc_recv(cn, op, false, rep, bufp);
}

/* ------------------------------------------------------- connections */

static void
rc_conn_free(struct rc_conn *cn)
{
	if (cn->cn_fd >= 0)
		rc_host.ho_close(cn->cn_fd);
	free(cn);
}

static void
rc_unlink(struct rc_conn *cn)
{
	struct rc_conn **cp;

	for (cp = &rc_conns; *cp != NULL; cp = &(*cp)->cn_next)
		if (*cp == cn) {
			*cp = cn->cn_next;
			break;
		}
}

/*
 * Thread exit: its connection goes (its calls are all finished).  A
 * child of fork() has dropped its inherited ones before, so cn is ours.
 */
static void
rc_thread_exit(void *arg)
{
	struct rc_conn *cn = arg;

	pthread_mutex_lock(&rc_mtx);
	rc_unlink(cn);
	pthread_mutex_unlock(&rc_mtx);
	rc_conn_free(cn);
}

/* fork() while another thread holds a lock must not leave it held. */
static void
rc_atfork_prepare(void)
{
	pthread_mutex_lock(&rc_mtx);
	pthread_mutex_lock(&rc_spare_mtx);
}

static void
rc_atfork_after(void)
{
	pthread_mutex_unlock(&rc_spare_mtx);
	pthread_mutex_unlock(&rc_mtx);
}

static void
rc_key_init(void)
{
	(void)pthread_key_create(&rc_key, rc_thread_exit);
	(void)pthread_atfork(rc_atfork_prepare, rc_atfork_after,
	    rc_atfork_after);
}

/*
 * Forget what a parent process left us through fork(): its connections
 * and its process.  Lock held.
 */
static void
rc_forget_parent(void)
{
	struct rc_conn *cn;

	while ((cn = rc_conns) != NULL) {
		rc_conns = cn->cn_next;
		rc_host.ho_close(cn->cn_fd);
		cn->cn_fd = -1;
		if (cn != rc_self)
			free(cn);	/* its thread does not exist here */
	}
	if (rc_self != NULL) {
		free(rc_self);
		rc_self = NULL;
		(void)pthread_setspecific(rc_key, NULL);
	}
	if (rc_spare != NULL) {
		rc_host.ho_close(rc_spare->cn_fd);
		free(rc_spare);
		rc_spare = NULL;
	}
	rc_cookie = 0;
	rc_pid = getpid();
}

/*
 * Open a connection and attach it to the process with the cookie (0:
 * a new one).  => 0 and *cnp, *cookiep; or an errno, said on stderr.
 */
static int
rc_conn_open(uint64_t cookie, struct rc_conn **cnp, uint64_t *cookiep)
{
	const char *url = getenv("RUMP_SERVER");
	struct sp_arg args[2];
	struct rc_conn *cn;
	struct sp_msg rep;
	struct sp_url u;
	uint8_t *buf;
	char err[256];
	int fd, e;

	if (url == NULL || *url == '\0') {
		rc_warn("RUMP_SERVER is not set (export RUMP_SERVER=unix://PATH "
		    "of a running rump_server)");
		return ENOTCONN;
	}
	if (sp_url_parse(url, &u, err, sizeof(err)) != 0) {
		rc_warn("RUMP_SERVER: %s", err);
		return EINVAL;
	}
	fd = rc_host.ho_socket(u.u_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return errno;
	if (rc_host.ho_connect(fd, (const struct sockaddr *)&u.u_addr,
	    u.u_addrlen) < 0) {
		e = errno;
		rc_host.ho_close(fd);
		rc_warn("cannot connect to %s: %s (is rump_server running? "
		    "RUMP_SERVER=%s)", url, strerror(e), url);
		return e;
	}
	if ((cn = calloc(1, sizeof(*cn))) == NULL) {
		rc_host.ho_close(fd);
		return ENOMEM;
	}
	cn->cn_fd = fd;
	cn->cn_pid = getpid();

	memset(args, 0, sizeof(args));
	args[0].a_v = SP_VERSION;
	args[1].a_p = (const uint8_t *)program_invocation_short_name;
	args[1].a_len = (uint32_t)strnlen(program_invocation_short_name,
	    SP_MAXSTR - 1) + 1;
	if (args[1].a_len == SP_MAXSTR) {
		args[1].a_p = (const uint8_t *)"?";
		args[1].a_len = 2;
	}
	e = rc_exchange(cn, SP_OP_HELLO, args, &rep, &buf);
	if (e == EPROTONOSUPPORT) {
		rc_warn("%s speaks another protocol version than this "
		    "library (%u): rebuild one of them", url, SP_VERSION);
		goto fail;
	}
	if (e != 0)
		goto fail;
	free(buf);
	args[0].a_v = (int64_t)cookie;
	if ((e = rc_exchange(cn, SP_OP_SESSION, args, &rep, &buf)) != 0) {
		if (e == ENOSYS)
			rc_warn("%s is too old for this library (no sessions)",
			    url);
		else if (e == ENOENT)
			rc_warn("%s no longer has this program's kernel "
			    "process", url);
		goto fail;
	}
	*cookiep = (uint64_t)rep.m_args[0].a_v;
	cn->cn_id = (uint32_t)rep.m_args[1].a_v;
	free(buf);
	*cnp = cn;
	return 0;
fail:
	rc_conn_free(cn);
	return e;
}

/* Make cn this thread's connection of the process.  Lock held. */
static void
rc_adopt(struct rc_conn *cn)
{
	cn->cn_next = rc_conns;
	rc_conns = cn;
	rc_self = cn;
	(void)pthread_setspecific(rc_key, cn);
}

/* This thread's connection, opened if needed.  => 0 or an errno. */
static int
rc_thread_conn(struct rc_conn **cnp)
{
	struct rc_conn *cn;
	uint64_t cookie;
	int error;

	if (rc_self != NULL && rc_self->cn_pid == getpid()) {
		*cnp = rc_self;
		return 0;
	}
	pthread_once(&rc_once, rc_key_init);
	/*
	 * The lock is held while connecting, so that the threads of a
	 * program that starts them all at once make one process.
	 */
	pthread_mutex_lock(&rc_mtx);
	if (rc_pid != getpid()) {
		bool had = rc_cookie != 0;

		rc_forget_parent();
		if (had && rc_newproc_hook != NULL)
			(*rc_newproc_hook)();
	}
	error = rc_conn_open(rc_cookie, &cn, &cookie);
	if (error == 0) {
		rc_cookie = cookie;
		rc_adopt(cn);
		*cnp = cn;
	}
	pthread_mutex_unlock(&rc_mtx);
	return error;
}

/* A connection that failed for good: closed, the next call reopens.
 * The process survives while another connection or thread serves it. */
static void
rc_thread_drop(struct rc_conn *cn)
{
	pthread_mutex_lock(&rc_mtx);
	rc_unlink(cn);
	pthread_mutex_unlock(&rc_mtx);
	if (rc_self == cn) {
		rc_self = NULL;
		(void)pthread_setspecific(rc_key, NULL);
	}
	rc_conn_free(cn);
}

int
rc_call(unsigned op, const struct sp_arg *args, struct sp_msg *rep,
    uint8_t **bufp)
{
	struct rc_conn *cn;
	int error;

	*bufp = NULL;
	if ((error = rc_thread_conn(&cn)) != 0)
		return error;
	if ((error = rc_send(cn, op, args)) == 0)
		error = rc_recv(cn, op, true, rep, bufp);
	if (cn->cn_broken)
		rc_thread_drop(cn);
	return error;
}

/* ------------------------------------------------------ asynchronous */

int
rc_call_start(unsigned op, const struct sp_arg *args, struct rc_pending *pd)
{
	struct rc_conn *cn;
	int error;

	if ((error = rc_thread_conn(&cn)) != 0)
		return error;
	if ((error = rc_send(cn, op, args)) != 0) {
		if (cn->cn_broken)
			rc_thread_drop(cn);
		return error;
	}
	pd->pd_conn = cn;
	pd->pd_op = op;
	pd->pd_reqid = cn->cn_reqid;
	pd->pd_fd = cn->cn_fd;
	return 0;
}

int
rc_call_finish(struct rc_pending *pd, struct sp_msg *rep, uint8_t **bufp)
{
	int error = rc_recv(pd->pd_conn, pd->pd_op, false, rep, bufp);

	if (pd->pd_conn->cn_broken)
		rc_thread_drop(pd->pd_conn);
	return error;
}

void
rc_call_interrupt(const struct rc_pending *pd)
{
	rc_interrupt_req(pd->pd_conn->cn_id, pd->pd_reqid);
}

/* Ask the server, over the spare connection, to interrupt request
 * reqid of connection connid (ours).  Best effort. */
static void
rc_interrupt_req(uint32_t connid, uint32_t reqid)
{
	struct sp_arg a[2] = { { .a_v = connid }, { .a_v = reqid } };
	struct sp_msg rep;
	uint64_t cookie;
	uint8_t *buf;

	pthread_mutex_lock(&rc_mtx);
	cookie = rc_cookie;
	pthread_mutex_unlock(&rc_mtx);
	pthread_mutex_lock(&rc_spare_mtx);
	if (rc_spare == NULL &&
	    rc_conn_open(cookie, &rc_spare, &cookie) != 0)
		rc_spare = NULL;
	if (rc_spare != NULL) {
		(void)rc_exchange(rc_spare, SP_OP_INTERRUPT, a, &rep, &buf);
		free(buf);
		if (rc_spare->cn_broken) {
			rc_conn_free(rc_spare);
			rc_spare = NULL;
		}
	}
	pthread_mutex_unlock(&rc_spare_mtx);
}

/* -------------------------------------------------------- fork, exec */

int
rc_fork_prepare(uint64_t *cookiep)
{
	struct sp_msg rep;
	uint8_t *buf;
	int error;

	if ((error = rc_call(SP_OP_FORK, NULL, &rep, &buf)) != 0)
		return error;
	*cookiep = (uint64_t)rep.m_args[0].a_v;
	free(buf);
	return 0;
}

void
rc_fork_cancel(uint64_t cookie)
{
	struct sp_arg a[1] = { { .a_v = (int64_t)cookie } };
	struct sp_msg rep;
	uint8_t *buf;

	if (rc_call(SP_OP_RELEASE, a, &rep, &buf) == 0)
		free(buf);
}

int
rc_fork_child(uint64_t cookie)
{
	struct rc_conn *cn;
	uint64_t got;
	int error;

	pthread_once(&rc_once, rc_key_init);
	pthread_mutex_lock(&rc_mtx);
	rc_forget_parent();
	if ((error = rc_conn_open(cookie, &cn, &got)) == 0) {
		rc_cookie = got;
		rc_adopt(cn);
	}
	pthread_mutex_unlock(&rc_mtx);
	return error;
}

int
rc_exec_save(char *buf, size_t len)
{
	struct rc_conn *cn;
	uint64_t cookie;
	int error;

	if ((error = rc_thread_conn(&cn)) != 0)
		return error;
	pthread_mutex_lock(&rc_mtx);
	cookie = rc_cookie;
	pthread_mutex_unlock(&rc_mtx);
	if (rc_host.ho_fcntl(cn->cn_fd, F_SETFD, 0) < 0)
		return errno;
	if ((size_t)snprintf(buf, len, "%d:%" PRIu64 ":%u:%u", cn->cn_fd,
	    cookie, cn->cn_id, cn->cn_reqid) >= len)
		return ENAMETOOLONG;
	return 0;
}

void
rc_exec_undo(void)
{
	if (rc_self != NULL)
		(void)rc_host.ho_fcntl(rc_self->cn_fd, F_SETFD, FD_CLOEXEC);
}

int
rc_exec_restore(const char *state)
{
	struct rc_conn *cn;
	unsigned id, reqid;
	uint64_t cookie;
	struct stat st;
	int fd, n = 0;

	if (sscanf(state, "%d:%" SCNu64 ":%u:%u%n", &fd, &cookie, &id,
	    &reqid, &n) != 4 || state[n] != '\0' || fd < 0 || cookie == 0)
		return EINVAL;
	if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
		return EBADF;
	if (rc_host.ho_fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return errno;
	if ((cn = calloc(1, sizeof(*cn))) == NULL)
		return ENOMEM;
	cn->cn_fd = fd;
	cn->cn_pid = getpid();
	cn->cn_id = id;
	cn->cn_reqid = reqid;
	pthread_once(&rc_once, rc_key_init);
	pthread_mutex_lock(&rc_mtx);
	rc_pid = getpid();
	rc_cookie = cookie;
	rc_adopt(cn);
	pthread_mutex_unlock(&rc_mtx);
	return 0;
}

int
rc_is_connfd(int fd)
{
	int mine = 0;

	if (fd < 0)
		return 0;
	pthread_mutex_lock(&rc_mtx);
	if (rc_pid == getpid())
		for (struct rc_conn *cn = rc_conns; cn != NULL && !mine;
		    cn = cn->cn_next)
			mine = cn->cn_fd == fd;
	pthread_mutex_unlock(&rc_mtx);
	if (!mine) {
		pthread_mutex_lock(&rc_spare_mtx);
		mine = rc_spare != NULL && rc_spare->cn_fd == fd;
		pthread_mutex_unlock(&rc_spare_mtx);
	}
	return mine;
}

/* ------------------------------------------------------------ public */

int
rumpclient_init(void)
{
	struct rc_conn *cn;
	int error;

	if ((error = rc_thread_conn(&cn)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

pid_t
rumpclient_fork(void)
{
	uint64_t cookie;
	pid_t pid;
	int error;

	if ((error = rc_fork_prepare(&cookie)) != 0) {
		errno = error;
		return -1;
	}
	pid = rc_host.ho_fork();
	if (pid < 0) {
		error = errno;
		rc_fork_cancel(cookie);
		errno = error;
		return -1;
	}
	if (pid == 0 && (error = rc_fork_child(cookie)) != 0) {
		/* Like a failed exec: the child cannot carry on. */
		fprintf(stderr, "rumpclient: the child of fork() cannot "
		    "attach to its kernel process: %s\n", strerror(error));
		_exit(127);
	}
	return pid;
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
	return 0;
}
