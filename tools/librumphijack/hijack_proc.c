/*
 * hijack_proc.c -- fork and exec for a hijacked program.
 *
 * fork: the server first makes a child kernel process sharing every
 * rump socket of ours (rc_fork_prepare); the child program attaches to
 * it at once, on a connection of its own, so its descriptor numbers
 * keep meaning the same sockets (the placeholders were inherited by the
 * host's fork).  vfork is a fork here: the child must be able to run
 * our code.
 *
 * exec: the calling thread's connection is kept open across exec and
 * described, with the map of rump descriptors, in the environment
 * variable RUMPHIJACK__EXEC of the new program, whose hijack library
 * takes both over (hj_exec_restore).  A descriptor whose placeholder
 * the host closed at exec (close-on-exec) is closed in the kernel then.
 * The variable is removed from the environment again at start-up.
 */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rumpnet/rump_syscalls.h"
#include "tools/librumpclient/rumpclient_int.h"
#include "tools/librumphijack/hijack.h"

#define HJ_EXECVAR	"RUMPHIJACK__EXEC"

HJ_EXPORT pid_t
fork(void)
{
	uint64_t cookie;
	pid_t pid;
	int e;

	if (atomic_load(&hj_nrump) == 0)
		return HOST(fork)();	/* the child starts afresh */
	if ((e = rc_fork_prepare(&cookie)) != 0) {
		hj_say("fork: the kernel cannot make the child's process: %s",
		    strerror(e));
		errno = EAGAIN;
		return -1;
	}
	pid = HOST(fork)();
	if (pid < 0) {
		e = errno;
		rc_fork_cancel(cookie);
		errno = e;
		return -1;
	}
	if (pid == 0 && (e = rc_fork_child(cookie)) != 0) {
		hj_say("the child of fork() cannot reach its kernel process: "
		    "%s", strerror(e));
		_exit(127);
	}
	return pid;
}

HJ_EXPORT pid_t
vfork(void)
{
	return fork();
}

/* ------------------------------------------------------------- exec */

/*
 * The value of RUMPHIJACK__EXEC: "CONN;FD=RFD,FD=RFD,..." (CONN as
 * rc_exec_save writes it).  => a malloc'd string, NULL if there is no
 * rump descriptor (nothing to hand over), or NULL with errno.
 */
static char *
hj_exec_state(void)
{
	size_t len, off;
	char *s;
	int e;

	errno = 0;
	if (atomic_load(&hj_nrump) == 0)
		return NULL;
	len = 128 + (size_t)atomic_load(&hj_nrump) * 24;
	if ((s = malloc(len)) == NULL)
		return NULL;
	if ((e = rc_exec_save(s, 100)) != 0) {
		free(s);
		errno = e;
		return NULL;
	}
	off = strlen(s);
	s[off++] = ';';
	s[off] = '\0';
	for (int fd = 0; fd < HJ_MAXFD; fd++) {
		int rfd = hj_rumpfd(fd);

		if (rfd < 0)
			continue;
		if (len - off < 24)
			break;		/* opened meanwhile: not handed over */
		off += (size_t)snprintf(s + off, len - off, "%s%d=%d",
		    s[off - 1] == ';' ? "" : ",", fd, rfd);
	}
	return s;
}

/* envp with NAME=value added (any old NAME= dropped).  => malloc'd. */
static char **
hj_env_with(char *const envp[], const char *var)
{
	size_t n = 0, k = 0, vl = strlen(HJ_EXECVAR);
	char **ne;

	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((ne = calloc(n + 2, sizeof(*ne))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(envp[i], HJ_EXECVAR, vl) != 0 ||
		    envp[i][vl] != '=')
			ne[k++] = envp[i];
	ne[k++] = (char *)var;
	ne[k] = NULL;
	return ne;
}

extern char **environ;

/*
 * Run exec (the host's execve/execvpe) with the hand-over in the
 * environment.  Returns only on failure, as exec does.
 */
static int
hj_exec(const char *path, char *const argv[], char *const envp[], bool search)
{
	char *state, *var = NULL;
	char **ne = NULL;
	int e;

	if ((state = hj_exec_state()) == NULL && errno != 0)
		hj_say("exec: cannot hand the rump sockets over (%s): %s "
		    "starts without them", strerror(errno), path);
	if (state != NULL) {
		if (asprintf(&var, "%s=%s", HJ_EXECVAR, state) < 0 ||
		    (ne = hj_env_with(envp, var)) == NULL) {
			free(state);
			free(var);
			rc_exec_undo();
			errno = ENOMEM;
			return -1;
		}
		envp = ne;
	}
	if (search)
		HOST(execvpe)(path, argv, envp);
	else
		HOST(execve)(path, argv, envp);
	e = errno;
	if (state != NULL)
		rc_exec_undo();
	free(ne);
	free(var);
	free(state);
	errno = e;
	return -1;
}

HJ_EXPORT int
execve(const char *path, char *const argv[], char *const envp[])
{
	return hj_exec(path, argv, envp, false);
}

HJ_EXPORT int
execv(const char *path, char *const argv[])
{
	return hj_exec(path, argv, environ, false);
}

HJ_EXPORT int
execvpe(const char *file, char *const argv[], char *const envp[])
{
	return hj_exec(file, argv, envp, true);
}

HJ_EXPORT int
execvp(const char *file, char *const argv[])
{
	return hj_exec(file, argv, environ, true);
}

/*
 * The execl family: the C library's own versions reach exec through
 * internal calls we never see, so they are here, over hj_exec.  The
 * argument list (up to its NULL, and for execle the environment after
 * it) becomes an argv array.
 */
static int
hj_execl(const char *path, const char *arg, va_list ap, bool search,
    bool withenv)
{
	char **argv, **nv, *a;
	char *const *envp = environ;
	size_t n = 1, max = 16;
	int rv, e;

	if ((argv = malloc(max * sizeof(*argv))) == NULL)
		return -1;
	argv[0] = (char *)arg;
	do {
		a = arg == NULL ? NULL : va_arg(ap, char *);
		if (n == max) {
			if ((nv = realloc(argv, 2 * max * sizeof(*argv))) ==
			    NULL) {
				free(argv);
				errno = ENOMEM;
				return -1;
			}
			argv = nv;
			max *= 2;
		}
		argv[n++] = a;
	} while (a != NULL);
	if (withenv)
		envp = va_arg(ap, char *const *);
	rv = hj_exec(path, argv, envp, search);
	e = errno;
	free(argv);
	errno = e;
	return rv;
}

HJ_EXPORT int
execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int rv;

	va_start(ap, arg);
	rv = hj_execl(path, arg, ap, false, false);
	va_end(ap);
	return rv;
}

HJ_EXPORT int
execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int rv;

	va_start(ap, arg);
	rv = hj_execl(file, arg, ap, true, false);
	va_end(ap);
	return rv;
}

HJ_EXPORT int
execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int rv;

	va_start(ap, arg);
	rv = hj_execl(path, arg, ap, false, true);
	va_end(ap);
	return rv;
}

/* Is fd still the /dev/null placeholder the previous program made? */
static bool
hj_is_placeholder(int fd)
{
	struct stat st, null;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	    stat("/dev/null", &null) == 0 && st.st_rdev == null.st_rdev;
}

void
hj_exec_restore(void)
{
	const char *v = getenv(HJ_EXECVAR);
	char *state, *map, *save, *item;
	int e;

	if (v == NULL)
		return;
	if ((state = strdup(v)) == NULL)
		return;
	(void)unsetenv(HJ_EXECVAR);
	if ((map = strchr(state, ';')) == NULL) {
		hj_say("%s is malformed: ignored", HJ_EXECVAR);
		free(state);
		return;
	}
	*map++ = '\0';
	if ((e = rc_exec_restore(state)) != 0) {
		hj_say("the sockets of the program before exec are lost: %s",
		    strerror(e));
		free(state);
		return;
	}
	for (item = strtok_r(map, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		int fd, rfd;

		if (sscanf(item, "%d=%d", &fd, &rfd) != 2 || fd < 0 ||
		    fd >= HJ_MAXFD || rfd < 0)
			continue;
		if (hj_is_placeholder(fd))
			hj_map(fd, rfd);
		else
			(void)rump_sys_close(rfd);	/* close-on-exec */
	}
	free(state);
}
