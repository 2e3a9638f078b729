/*
 * sp_server.c -- the listening socket, client connections and orderly
 * shutdown of rump_server (sp_server.h).
 */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rumpnet/rump.h"
#include "tools/librumpclient/sp_proto.h"
#include "tools/rump_server/sp_exec.h"
#include "tools/rump_server/sp_server.h"

/*
 * A kernel process served to clients.  It goes away when k_conns drops
 * to 0, unless it is a forked child not yet attached (k_forker != NULL),
 * which goes away with its forker instead.
 */
struct sp_kproc {
	struct sp_kproc	*k_next;	/* [s_mtx] on s_kprocs */
	struct proc	*k_proc;	/* [I] */
	uint64_t	 k_cookie;	/* [I] what SP_OP_SESSION presents */
	unsigned	 k_conns;	/* [s_mtx] connections serving it */
	unsigned	 k_npending;	/* [s_mtx] children of it pending */
	struct sp_kproc	*k_forker;	/* [s_mtx] pending child: the parent */
};

struct sp_conn {
	struct sp_server *c_srv;
	struct sp_conn	*c_next;	/* [s_mtx] */
	int		 c_fd;
	unsigned	 c_id;		/* [I] also the protocol's connection id */
	pthread_t	 c_watcher;
	struct sp_kproc	*c_kproc;	/* [s_mtx] NULL until the first call */
	struct lwp	*c_lwp;		/* [s_mtx] its thread in c_kproc */
	uint32_t	 c_curreq;	/* [s_mtx] request running, if c_busy */
	uint32_t	 c_lastreq;	/* [s_mtx] last request that ran */
	uint32_t	 c_intrreq;	/* [s_mtx] interrupt this one on start */
	bool		 c_busy;	/* [s_mtx] a call is running */
	bool		 c_intrpend;	/* [s_mtx] c_intrreq is set */
	bool		 c_hungup;	/* [s_mtx] the watcher saw the hangup */
	uint32_t	 c_haltreqid;	/* the HALT request to answer */
	char		 c_name[64];	/* program name from HELLO */
};

/* The write end of the wakeup pipe, for the signal handler. */
static int sp_wakefd = -1;
static int sp_wakepipe[2] = { -1, -1 };

static void
sp_log(struct sp_server *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!s->s_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One call per line: connection threads log concurrently. */
	fprintf(stderr, "rump_server: %s\n", line);
}

/* --------------------------------------------------------- listening */

int
sp_server_listen(struct sp_server *s, char *err, size_t errlen)
{
	const struct sp_url *u = &s->s_url;
	struct stat st;
	int fd, one = 1;
	mode_t omask;

	fd = socket(u->u_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (u->u_unix && lstat(u->u_path, &st) == 0) {
		int probe;

		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket",
			    u->u_path);
			goto fail;
		}
		/* Someone answering there?  Then it is not ours to take. */
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe,
		    (const struct sockaddr *)&u->u_addr, u->u_addrlen) == 0) {
			close(probe);
			snprintf(err, errlen, "unix://%s: %s (another "
			    "rump_server is serving it)", u->u_path,
			    strerror(EADDRINUSE));
			goto fail;
		}
		if (probe >= 0)
			close(probe);
		(void)unlink(u->u_path);	/* stale */
	}
	if (!u->u_unix)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
	omask = umask(077);
	if (bind(fd, (const struct sockaddr *)&u->u_addr, u->u_addrlen) < 0) {
		int e = errno;

		umask(omask);
		if (u->u_unix)
			snprintf(err, errlen, "unix://%s: %s", u->u_path,
			    strerror(e));
		else
			snprintf(err, errlen, "bind: %s", strerror(e));
		goto fail;
	}
	umask(omask);
	if (u->u_unix) {
		if (chmod(u->u_path, 0600) < 0 || stat(u->u_path, &st) < 0) {
			snprintf(err, errlen, "%s: %s", u->u_path,
			    strerror(errno));
			(void)unlink(u->u_path);
			goto fail;
		}
		s->s_dev = st.st_dev;
		s->s_ino = st.st_ino;
	}
	if (listen(fd, 64) < 0) {
		snprintf(err, errlen, "listen: %s", strerror(errno));
		if (u->u_unix)
			(void)unlink(u->u_path);
		goto fail;
	}
	s->s_lfd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

/* ------------------------------------------------------------ frames */

static int
sp_readn(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
sp_writen(int fd, const void *buf, size_t n)
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

/* Send a reply: error, or the fields of the operation's reply. */
static int
sp_reply(int fd, unsigned op, uint32_t reqid, int error,
    const struct sp_arg *args)
{
	const struct sp_opdesc *od = sp_opdesc(op);
	const char *sig = (error == 0 && od != NULL) ? od->od_rep : "";
	struct sp_hdr h = {
		.h_magic = SP_MAGIC,
		.h_version = SP_VERSION,
		.h_op = (uint16_t)op,
		.h_reqid = reqid,
		.h_error = error,
		.h_flags = SP_F_REPLY,
	};
	uint8_t small[SP_HDRSIZE + 64], *buf = small;
	size_t n = SP_HDRSIZE + sp_args_size(sig, args);
	int rv;

	if (n > sizeof(small) && (buf = malloc(n)) == NULL)
		return -1;
	n = sp_frame_encode(buf, &h, sig, args);
	rv = sp_writen(fd, buf, n);
	if (buf != small)
		free(buf);
	return rv;
}

/* ------------------------------------------------------- processes */

/*
 * A cookie no process has.  Lock held.  Cookies come from the host's
 * random source, so a client cannot guess another's; the fallback
 * (getentropy failing) only keeps them unique.
 */
static uint64_t
sp_cookie_new(struct sp_server *s)
{
	struct sp_kproc *k;
	uint64_t v = 0;

	for (;;) {
		if (getentropy(&v, sizeof(v)) != 0)
			v = v * 6364136223846793005u + 1442695040888963407u;
		if (v == 0)
			continue;
		for (k = s->s_kprocs; k != NULL && k->k_cookie != v;
		    k = k->k_next)
			continue;
		if (k == NULL)
			return v;
	}
}

/* Register process p.  Lock held.  => the entry, or NULL (ENOMEM). */
static struct sp_kproc *
sp_kproc_add(struct sp_server *s, struct proc *p)
{
	struct sp_kproc *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	k->k_proc = p;
	k->k_cookie = sp_cookie_new(s);
	k->k_next = s->s_kprocs;
	s->s_kprocs = k;
	return k;
}

static struct sp_kproc *
sp_kproc_find(struct sp_server *s, uint64_t cookie)
{
	struct sp_kproc *k;

	for (k = s->s_kprocs; k != NULL && k->k_cookie != cookie;
	    k = k->k_next)
		continue;
	return k;
}

/* Take k off the list; its pending children too, onto *deadp.  Lock
 * held. */
static void
sp_kproc_unlink(struct sp_server *s, struct sp_kproc *k,
    struct sp_kproc **deadp)
{
	struct sp_kproc **kp;

	for (kp = &s->s_kprocs; *kp != k; kp = &(*kp)->k_next)
		continue;
	*kp = k->k_next;
	if (k->k_forker != NULL)
		k->k_forker->k_npending--;
	k->k_next = *deadp;
	*deadp = k;
	while (k->k_npending > 0) {
		struct sp_kproc *ch;

		for (ch = s->s_kprocs; ch->k_forker != k; ch = ch->k_next)
			continue;
		sp_kproc_unlink(s, ch, deadp);
	}
}

/* Reap processes taken off the list.  Lock not held; none has a call
 * in progress or to come. */
static void
sp_kproc_reap(struct sp_kproc *dead)
{
	while (dead != NULL) {
		struct sp_kproc *k = dead;

		dead = k->k_next;
		sp_exec_proc_reap(k->k_proc);
		free(k);
	}
}

/*
 * Serve process k on connection c (a new kernel thread for it).  Lock
 * held.  => 0 or ENOMEM.
 */
static int
sp_conn_attach(struct sp_conn *c, struct sp_kproc *k)
{
	if ((c->c_lwp = sp_exec_lwp_create(k->k_proc)) == NULL)
		return ENOMEM;
	if (k->k_forker != NULL) {
		k->k_forker->k_npending--;
		k->k_forker = NULL;
	}
	k->k_conns++;
	c->c_kproc = k;
	return 0;
}

/* c's process, made now if it has none.  => 0 or an errno. */
static int
sp_conn_kproc(struct sp_conn *c)
{
	struct sp_server *s = c->c_srv;
	struct sp_kproc *k;
	struct proc *p;
	int error;

	if (c->c_kproc != NULL)
		return 0;
	if ((error = sp_exec_proc_new(&p)) != 0)
		return error;
	pthread_mutex_lock(&s->s_mtx);
	if (s->s_stopping)
		error = ESHUTDOWN;
	else if ((k = sp_kproc_add(s, p)) == NULL)
		error = ENOMEM;
	else if ((error = sp_conn_attach(c, k)) != 0) {
		struct sp_kproc *dead = NULL;

		sp_kproc_unlink(s, k, &dead);
		pthread_mutex_unlock(&s->s_mtx);
		sp_kproc_reap(dead);
		return error;
	}
	pthread_mutex_unlock(&s->s_mtx);
	if (error != 0)
		sp_exec_proc_reap(p);
	return error;
}

/* Stop serving c's process; reap it if c was the last connection. */
static void
sp_conn_detach(struct sp_conn *c)
{
	struct sp_server *s = c->c_srv;
	struct sp_kproc *k, *dead = NULL;
	struct lwp *l;

	pthread_mutex_lock(&s->s_mtx);
	k = c->c_kproc;
	l = c->c_lwp;
	c->c_kproc = NULL;
	c->c_lwp = NULL;
	if (k != NULL && --k->k_conns == 0 && k->k_forker == NULL &&
	    !s->s_stopping)
		sp_kproc_unlink(s, k, &dead);
	pthread_mutex_unlock(&s->s_mtx);
	sp_exec_lwp_destroy(l);
	sp_kproc_reap(dead);
}

/* SP_OP_SESSION: a new process, or attach to the one with the cookie. */
static void
sp_op_session(struct sp_conn *c, const struct sp_msg *m, struct sp_reply *r)
{
	struct sp_server *s = c->c_srv;
	uint64_t cookie = (uint64_t)m->m_args[0].a_v;
	struct sp_kproc *k;

	memset(r, 0, sizeof(*r));
	if (c->c_kproc != NULL) {
		r->r_error = EISCONN;	/* a connection serves one process */
		return;
	}
	if (cookie == 0)
		r->r_error = sp_conn_kproc(c);
	else {
		pthread_mutex_lock(&s->s_mtx);
		if ((k = sp_kproc_find(s, cookie)) == NULL || s->s_stopping)
			r->r_error = ENOENT;
		else
			r->r_error = sp_conn_attach(c, k);
		pthread_mutex_unlock(&s->s_mtx);
	}
	if (r->r_error == 0) {
		r->r_args[0].a_v = (int64_t)c->c_kproc->k_cookie;
		r->r_args[1].a_v = c->c_id;
	}
}

/* SP_OP_FORK: a pending child of c's process. */
static void
sp_op_fork(struct sp_conn *c, struct sp_reply *r)
{
	struct sp_server *s = c->c_srv;
	struct sp_kproc *k, *parent;
	struct proc *p;

	memset(r, 0, sizeof(*r));
	if ((r->r_error = sp_conn_kproc(c)) != 0)
		return;
	parent = c->c_kproc;
	pthread_mutex_lock(&s->s_mtx);
	if (parent->k_npending >= SP_MAXPENDING)
		r->r_error = EAGAIN;
	pthread_mutex_unlock(&s->s_mtx);
	if (r->r_error != 0)
		return;
	if ((r->r_error = sp_exec_proc_fork(parent->k_proc, &p)) != 0)
		return;
	pthread_mutex_lock(&s->s_mtx);
	if ((k = sp_kproc_add(s, p)) == NULL)
		r->r_error = ENOMEM;
	else {
		k->k_forker = parent;
		parent->k_npending++;
		r->r_args[0].a_v = (int64_t)k->k_cookie;
	}
	pthread_mutex_unlock(&s->s_mtx);
	if (k == NULL)
		sp_exec_proc_reap(p);
}

/* SP_OP_RELEASE: drop a pending child of c's process. */
static void
sp_op_release(struct sp_conn *c, const struct sp_msg *m, struct sp_reply *r)
{
	struct sp_server *s = c->c_srv;
	struct sp_kproc *k, *dead = NULL;

	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&s->s_mtx);
	k = sp_kproc_find(s, (uint64_t)m->m_args[0].a_v);
	if (k == NULL || c->c_kproc == NULL || k->k_forker != c->c_kproc)
		r->r_error = ENOENT;
	else
		sp_kproc_unlink(s, k, &dead);
	pthread_mutex_unlock(&s->s_mtx);
	sp_kproc_reap(dead);
}

/* SP_OP_INTERRUPT: interrupt a call of another connection of c's
 * process (see sp_proto.h). */
static void
sp_op_interrupt(struct sp_conn *c, const struct sp_msg *m,
    struct sp_reply *r)
{
	struct sp_server *s = c->c_srv;
	uint32_t id = (uint32_t)m->m_args[0].a_v;
	uint32_t reqid = (uint32_t)m->m_args[1].a_v;
	struct sp_conn *t;

	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&s->s_mtx);
	for (t = s->s_conns; t != NULL && t->c_id != id; t = t->c_next)
		continue;
	if (t == NULL || t->c_kproc == NULL || t->c_kproc != c->c_kproc)
		r->r_error = ESRCH;
	else if (t->c_busy && t->c_curreq == reqid)
		sp_exec_lwp_interrupt(t->c_lwp);
	else if ((int32_t)(reqid - t->c_lastreq) > 0) {
		/* Not started yet: it fails when it starts. */
		t->c_intrreq = reqid;
		t->c_intrpend = true;
	}
	pthread_mutex_unlock(&s->s_mtx);
}

/* Run an ordinary call (sp_exec) as c's process, interruptibly. */
static void
sp_conn_call(struct sp_conn *c, const struct sp_msg *m, struct sp_reply *r)
{
	struct sp_server *s = c->c_srv;
	uint32_t reqid = m->m_hdr.h_reqid;
	bool skip;
	int error;

	if ((error = sp_conn_kproc(c)) != 0) {
		memset(r, 0, sizeof(*r));
		r->r_error = error;
		return;
	}
	pthread_mutex_lock(&s->s_mtx);
	c->c_busy = true;
	c->c_curreq = reqid;
	skip = c->c_intrpend && c->c_intrreq == reqid;
	c->c_intrpend = false;
	pthread_mutex_unlock(&s->s_mtx);
	if (skip) {
		memset(r, 0, sizeof(*r));
		r->r_error = EINTR;
	} else
		sp_exec(c->c_kproc->k_proc, m, r);
	pthread_mutex_lock(&s->s_mtx);
	c->c_busy = false;
	c->c_lastreq = reqid;
	if (!c->c_hungup)
		sp_exec_lwp_clear(c->c_lwp);
	pthread_mutex_unlock(&s->s_mtx);
}

/* ------------------------------------------------------- connections */

/*
 * Wait for the peer to hang up, then interrupt the connection's kernel
 * thread so that a call blocked on its behalf returns.  Data the client
 * sends meanwhile does not wake us (POLLRDHUP only).
 */
static void *
sp_watcher(void *arg)
{
	struct sp_conn *c = arg;
	struct sp_server *s = c->c_srv;
	struct pollfd pfd = { .fd = c->c_fd, .events = POLLRDHUP };

	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		continue;
	pthread_mutex_lock(&s->s_mtx);
	c->c_hungup = true;
	if (c->c_lwp != NULL)
		sp_exec_lwp_interrupt(c->c_lwp);
	pthread_mutex_unlock(&s->s_mtx);
	return NULL;
}

/* SP_OP_HELLO: remember the program's name; our version and name. */
static void
sp_op_hello(struct sp_conn *c, const struct sp_msg *m, struct sp_reply *r)
{
	snprintf(c->c_name, sizeof(c->c_name), "%s",
	    m->m_args[1].a_p != NULL ? (const char *)m->m_args[1].a_p : "?");
	for (char *q = c->c_name; *q != '\0'; q++)
		if (*q < 0x20 || *q == 0x7f)
			*q = '?';	/* it goes to a log */
	sp_log(c->c_srv, "[%u] hello from %s", c->c_id, c->c_name);
	memset(r, 0, sizeof(*r));
	r->r_args[0].a_v = SP_VERSION;
	r->r_args[1].a_p = (const uint8_t *)"rump_server";
	r->r_args[1].a_len = sizeof("rump_server");
}

/*
 * Read a request frame into *framep (malloc'd) and parse it into *m.
 * => 0: a request to run; > 0: an errno to answer with, the connection
 * stays usable; -1: the connection is finished (answered if possible).
 */
static int
sp_conn_read(struct sp_conn *c, uint8_t **framep, struct sp_msg *m,
    struct sp_hdr *h)
{
	struct sp_server *s = c->c_srv;
	uint8_t hdr[SP_HDRSIZE], *frame;
	int rv;

	*framep = NULL;
	if (sp_readn(c->c_fd, hdr, sizeof(hdr)) < 0)
		return -1;
	switch (sp_hdr_decode(hdr, sizeof(hdr), h)) {
	case 0:
		break;
	case SP_HDR_VERSION:
		sp_log(s, "[%u] protocol version %u, not %u: closing",
		    c->c_id, h->h_version, SP_VERSION);
		(void)sp_reply(c->c_fd, h->h_op, h->h_reqid, EPROTONOSUPPORT,
		    NULL);
		return -1;
	case SP_HDR_TOOBIG:
		sp_log(s, "[%u] frame of %u bytes: closing", c->c_id,
		    h->h_len);
		(void)sp_reply(c->c_fd, h->h_op, h->h_reqid, EMSGSIZE, NULL);
		return -1;
	default:
		sp_log(s, "[%u] bad frame header: closing", c->c_id);
		(void)sp_reply(c->c_fd, 0, 0, EBADMSG, NULL);
		return -1;
	}
	if ((frame = malloc(SP_HDRSIZE + (size_t)h->h_len)) == NULL)
		return -1;
	memcpy(frame, hdr, SP_HDRSIZE);
	if (sp_readn(c->c_fd, frame + SP_HDRSIZE, h->h_len) < 0) {
		free(frame);
		return -1;
	}
	*framep = frame;
	rv = sp_request_parse(frame, SP_HDRSIZE + (size_t)h->h_len, m);
	if (rv != 0)
		sp_log(s, "[%u] malformed request (op %u): %s", c->c_id,
		    h->h_op, strerror(rv < 0 ? EBADMSG : rv));
	return rv < 0 ? EBADMSG : rv;
}

/*
 * Read, run and answer requests until the peer goes away or breaks the
 * framing.  => true if the client asked to halt the server.
 */
static bool
sp_conn_serve(struct sp_conn *c)
{
	bool hello = false;
	struct sp_reply r;
	struct sp_msg m;
	struct sp_hdr h;
	uint8_t *frame;
	int rv;

	for (;;) {
		if ((rv = sp_conn_read(c, &frame, &m, &h)) < 0)
			return false;
		if (rv == 0 && !hello && m.m_hdr.h_op != SP_OP_HELLO)
			rv = EPROTO;
		if (rv != 0) {
			free(frame);
			if (sp_reply(c->c_fd, h.h_op, h.h_reqid, rv, NULL) < 0 ||
			    !hello)
				return false;
			continue;
		}
		switch (m.m_hdr.h_op) {
		case SP_OP_HELLO:
			sp_op_hello(c, &m, &r);
			hello = true;
			break;
		case SP_OP_HALT:
			c->c_haltreqid = m.m_hdr.h_reqid;
			free(frame);
			return true;
		case SP_OP_SESSION:
			sp_op_session(c, &m, &r);
			break;
		case SP_OP_FORK:
			sp_op_fork(c, &r);
			break;
		case SP_OP_RELEASE:
			sp_op_release(c, &m, &r);
			break;
		case SP_OP_INTERRUPT:
			sp_op_interrupt(c, &m, &r);
			break;
		default:
			sp_conn_call(c, &m, &r);
			break;
		}
		rv = sp_reply(c->c_fd, m.m_hdr.h_op, m.m_hdr.h_reqid,
		    r.r_error, r.r_args);
		free(r.r_buf);
		free(frame);
		if (rv < 0)
			return false;
	}
}

static void
sp_conn_free(struct sp_conn *c)
{
	struct sp_server *s = c->c_srv;
	struct sp_conn **cp;

	pthread_mutex_lock(&s->s_mtx);
	for (cp = &s->s_conns; *cp != c; cp = &(*cp)->c_next)
		continue;
	*cp = c->c_next;
	s->s_nconns--;
	pthread_cond_broadcast(&s->s_cv);
	pthread_mutex_unlock(&s->s_mtx);
	close(c->c_fd);
	free(c);
}

static void *
sp_conn_thread(void *arg)
{
	struct sp_conn *c = arg;
	struct sp_server *s = c->c_srv;

	if (pthread_create(&c->c_watcher, NULL, sp_watcher, c) != 0) {
		sp_log(s, "[%u] cannot start a watcher thread", c->c_id);
		sp_conn_free(c);
		return NULL;
	}

	if (sp_conn_serve(c)) {
		char b = 'H';
		bool mine;

		/*
		 * The main thread halts everything and answers.  If a stop
		 * is under way already, just go away like any client.
		 */
		pthread_mutex_lock(&s->s_mtx);
		mine = s->s_halter == NULL && !s->s_stopping;
		if (mine)
			s->s_halter = c;
		pthread_mutex_unlock(&s->s_mtx);
		if (mine) {
			(void)!write(sp_wakepipe[1], &b, 1);
			for (;;)
				pause();
		}
	}

	(void)shutdown(c->c_fd, SHUT_RDWR);	/* wakes the watcher */
	pthread_join(c->c_watcher, NULL);
	sp_conn_detach(c);	/* the last one closes the client's sockets */
	sp_log(s, "[%u] %s disconnected", c->c_id, c->c_name);
	sp_conn_free(c);
	return NULL;
}

static void
sp_accept(struct sp_server *s)
{
	struct sp_conn *c;
	pthread_attr_t attr;
	pthread_t t;
	int fd;

	if ((fd = accept4(s->s_lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		/* Out of descriptors: let some clients leave first. */
		if (errno == EMFILE || errno == ENFILE)
			usleep(100 * 1000);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->c_srv = s;
	c->c_fd = fd;
	strcpy(c->c_name, "?");
	pthread_mutex_lock(&s->s_mtx);
	if (s->s_nconns >= SP_MAXCLIENTS) {
		pthread_mutex_unlock(&s->s_mtx);
		sp_log(s, "%u clients already: refusing one", SP_MAXCLIENTS);
		close(fd);
		free(c);
		return;
	}
	c->c_id = ++s->s_nextid;
	c->c_next = s->s_conns;
	s->s_conns = c;
	s->s_nconns++;
	pthread_mutex_unlock(&s->s_mtx);
	sp_log(s, "[%u] connected", c->c_id);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, sp_conn_thread, c) != 0) {
		sp_log(s, "[%u] cannot start a thread", c->c_id);
		sp_conn_free(c);
	}
	pthread_attr_destroy(&attr);
}

/* ---------------------------------------------------------- shutdown */

static void
sp_server_stop(struct sp_server *s)
{
	struct sp_conn *c, *halter;
	struct sp_kproc *k, *dead = NULL;
	struct stat st;

	close(s->s_lfd);
	s->s_lfd = -1;
	/* Remove the socket file, unless someone replaced it meanwhile. */
	if (s->s_url.u_unix && stat(s->s_url.u_path, &st) == 0 &&
	    st.st_dev == s->s_dev && st.st_ino == s->s_ino)
		(void)unlink(s->s_url.u_path);

	pthread_mutex_lock(&s->s_mtx);
	s->s_stopping = true;
	halter = s->s_halter;
	/* Shut down first: an interrupted call's reply goes nowhere. */
	for (c = s->s_conns; c != NULL; c = c->c_next)
		if (c != halter)
			(void)shutdown(c->c_fd, SHUT_RDWR);
	for (k = s->s_kprocs; k != NULL; k = k->k_next)
		sp_exec_proc_abort(k->k_proc);
	while (s->s_nconns > (halter != NULL ? 1u : 0u))
		pthread_cond_wait(&s->s_cv, &s->s_mtx);
	/* What is left: the halter's process and pending children. */
	if (halter != NULL) {
		struct lwp *l = halter->c_lwp;

		halter->c_kproc = NULL;
		halter->c_lwp = NULL;
		sp_exec_lwp_destroy(l);
	}
	dead = s->s_kprocs;
	s->s_kprocs = NULL;
	pthread_mutex_unlock(&s->s_mtx);
	sp_kproc_reap(dead);
	sp_log(s, "halting the kernel");
	rump_fini();
	if (halter != NULL)
		(void)sp_reply(halter->c_fd, SP_OP_HALT, halter->c_haltreqid, 0,
		    NULL);
}

static void
sp_signal(int sig)
{
	char b = 'T';
	int e = errno;

	(void)sig;
	if (sp_wakefd >= 0)
		(void)write(sp_wakefd, &b, 1);
	errno = e;
}

int
sp_server_signals(void)
{
	struct sigaction sa;

	if (sp_wakepipe[0] < 0 && pipe2(sp_wakepipe, O_CLOEXEC) < 0)
		return -1;
	sp_wakefd = sp_wakepipe[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sp_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGINT, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

void
sp_server_run(struct sp_server *s)
{
	struct pollfd pfd[2] = {
		{ .fd = s->s_lfd, .events = POLLIN },
		{ .fd = sp_wakepipe[0], .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if (pfd[0].revents & POLLIN)
			sp_accept(s);
	}
	sp_log(s, "stopping");
	sp_server_stop(s);
}
