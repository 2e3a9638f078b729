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

struct sp_conn {
	struct sp_server *c_srv;
	struct sp_conn	*c_next;	/* [s_mtx] */
	int		 c_fd;
	unsigned	 c_id;
	pthread_t	 c_watcher;
	struct proc	*c_proc;	/* [s_mtx] NULL once reaped */
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

/* ------------------------------------------------------- connections */

/*
 * Wait for the peer to hang up, then abort the connection's process so
 * that a call blocked on its behalf returns.  Data the client sends
 * meanwhile does not wake us (POLLRDHUP only).
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
	if (c->c_proc != NULL)
		sp_exec_proc_abort(c->c_proc);
	pthread_mutex_unlock(&s->s_mtx);
	return NULL;
}

/*
 * Read, run and answer requests until the peer goes away or breaks the
 * framing.  => true if the client asked to halt the server.
 */
static bool
sp_conn_serve(struct sp_conn *c, struct proc *p)
{
	struct sp_server *s = c->c_srv;
	uint8_t hdr[SP_HDRSIZE], *frame;
	bool hello = false;
	struct sp_reply r;
	struct sp_msg m;
	struct sp_hdr h;
	int rv;

	for (;;) {
		if (sp_readn(c->c_fd, hdr, sizeof(hdr)) < 0)
			return false;
		switch (sp_hdr_decode(hdr, sizeof(hdr), &h)) {
		case 0:
			break;
		case SP_HDR_VERSION:
			sp_log(s, "[%u] protocol version %u, not %u: closing",
			    c->c_id, h.h_version, SP_VERSION);
			(void)sp_reply(c->c_fd, h.h_op, h.h_reqid,
			    EPROTONOSUPPORT, NULL);
			return false;
		case SP_HDR_TOOBIG:
			sp_log(s, "[%u] frame of %u bytes: closing", c->c_id,
			    h.h_len);
			(void)sp_reply(c->c_fd, h.h_op, h.h_reqid, EMSGSIZE,
			    NULL);
			return false;
		default:
			sp_log(s, "[%u] bad frame header: closing", c->c_id);
			(void)sp_reply(c->c_fd, 0, 0, EBADMSG, NULL);
			return false;
		}
		if ((frame = malloc(SP_HDRSIZE + (size_t)h.h_len)) == NULL)
			return false;
		memcpy(frame, hdr, SP_HDRSIZE);
		if (sp_readn(c->c_fd, frame + SP_HDRSIZE, h.h_len) < 0) {
			free(frame);
			return false;
		}
		rv = sp_request_parse(frame, SP_HDRSIZE + (size_t)h.h_len, &m);
		if (rv == 0 && !hello && m.m_hdr.h_op != SP_OP_HELLO)
			rv = EPROTO;
		if (rv != 0) {
			sp_log(s, "[%u] malformed request (op %u): %s",
			    c->c_id, h.h_op, strerror(rv < 0 ? EBADMSG : rv));
			free(frame);
			if (sp_reply(c->c_fd, h.h_op, h.h_reqid,
			    rv < 0 ? EBADMSG : rv, NULL) < 0 || !hello)
				return false;
			continue;
		}
		switch (m.m_hdr.h_op) {
		case SP_OP_HELLO:
			snprintf(c->c_name, sizeof(c->c_name), "%s",
			    m.m_args[1].a_p != NULL ?
			    (const char *)m.m_args[1].a_p : "?");
			for (char *q = c->c_name; *q != '\0'; q++)
				if (*q < 0x20 || *q == 0x7f)
					*q = '?';	/* it goes to a log */
			sp_log(s, "[%u] hello from %s", c->c_id, c->c_name);
			hello = true;
			memset(&r, 0, sizeof(r));
			r.r_args[0].a_v = SP_VERSION;
			r.r_args[1].a_p = (const uint8_t *)"rump_server";
			r.r_args[1].a_len = sizeof("rump_server");
			break;
		case SP_OP_HALT:
			c->c_haltreqid = m.m_hdr.h_reqid;
			free(frame);
			return true;
		default:
			sp_exec(p, &m, &r);
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
	struct proc *p;
	int error;

	if ((error = sp_exec_proc_create(&p)) != 0) {
		sp_log(s, "[%u] no kernel process: %s", c->c_id,
		    strerror(error));
		sp_conn_free(c);
		return NULL;
	}
	pthread_mutex_lock(&s->s_mtx);
	c->c_proc = p;
	pthread_mutex_unlock(&s->s_mtx);
	if (pthread_create(&c->c_watcher, NULL, sp_watcher, c) != 0) {
		sp_log(s, "[%u] cannot start a watcher thread", c->c_id);
		pthread_mutex_lock(&s->s_mtx);
		c->c_proc = NULL;
		pthread_mutex_unlock(&s->s_mtx);
		sp_exec_proc_reap(p);
		sp_conn_free(c);
		return NULL;
	}

	if (sp_conn_serve(c, p)) {
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
	pthread_mutex_lock(&s->s_mtx);
	c->c_proc = NULL;
	pthread_mutex_unlock(&s->s_mtx);
	sp_exec_proc_reap(p);	/* closes the client's sockets */
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
	struct stat st;
	struct proc *p;

	close(s->s_lfd);
	s->s_lfd = -1;
	/* Remove the socket file, unless someone replaced it meanwhile. */
	if (s->s_url.u_unix && stat(s->s_url.u_path, &st) == 0 &&
	    st.st_dev == s->s_dev && st.st_ino == s->s_ino)
		(void)unlink(s->s_url.u_path);

	pthread_mutex_lock(&s->s_mtx);
	s->s_stopping = true;
	halter = s->s_halter;
	for (c = s->s_conns; c != NULL; c = c->c_next) {
		if (c == halter)
			continue;
		/* Shut down first: an interrupted call's reply goes nowhere. */
		(void)shutdown(c->c_fd, SHUT_RDWR);
		if (c->c_proc != NULL)
			sp_exec_proc_abort(c->c_proc);
	}
	while (s->s_nconns > (halter != NULL ? 1u : 0u))
		pthread_cond_wait(&s->s_cv, &s->s_mtx);
	p = halter != NULL ? halter->c_proc : NULL;
	if (halter != NULL)
		halter->c_proc = NULL;
	pthread_mutex_unlock(&s->s_mtx);
	if (p != NULL)
		sp_exec_proc_reap(p);
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
