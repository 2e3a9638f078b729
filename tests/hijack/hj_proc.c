/*
 * hj_proc.c -- fork and exec keep rump descriptors, through
 * librumphijack (see hjtest.h).  The child of fork (and of vfork) uses
 * an inherited socket; a program run by each exec call (this program
 * again, with -x) uses a descriptor it inherited, and finds the
 * close-on-exec one closed.
 */
#include "config.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tests/hijack/hjtest.h"

extern char **environ;

static char self[4096];

/* Read what a child wrote on its end of the pair. */
static void
expect(int fd, const char *what)
{
	char buf[32];
	size_t n = strlen(what), got = 0;
	ssize_t r;

	memset(buf, 0, sizeof(buf));
	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	if (got != n || memcmp(buf, what, n) != 0)
		hj_fail("read '%.*s', want '%s'", (int)got, buf, what);
}

static void
reap(pid_t pid)
{
	int st;

	HJ_CHECK(waitpid(pid, &st, 0) == pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		hj_fail("child %d: status 0x%x", (int)pid, st);
}

/* The exec'd program: fd must be the rump socket, cfd closed. */
static int
exec_child(const char *fdstr, const char *cfdstr, const char *what)
{
	int fd = atoi(fdstr), cfd = atoi(cfdstr);

	HJ_CHECK(hj_is_rump(fd));
	HJ_CHECK(fcntl(cfd, F_GETFD) < 0 && errno == EBADF);
	HJ_CHECK(write(fd, what, strlen(what)) == (ssize_t)strlen(what));
	return 0;
}

static void
test_exec(const char *name, int a, int b)
{
	char fdstr[16], cfdstr[16];
	char *argv[] = { self, "-x", fdstr, cfdstr, (char *)name, NULL };
	pid_t pid;
	int c;

	/* A close-on-exec rump descriptor, which exec must close. */
	HJ_CHECK((c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) >= 0);
	snprintf(fdstr, sizeof(fdstr), "%d", a);
	snprintf(cfdstr, sizeof(cfdstr), "%d", c);
	HJ_CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		if (strcmp(name, "execve") == 0)
			execve(self, argv, environ);
		else if (strcmp(name, "execv") == 0)
			execv(self, argv);
		else if (strcmp(name, "execvp") == 0)
			execvp(self, argv);
		else if (strcmp(name, "execl") == 0)
			execl(self, self, "-x", fdstr, cfdstr, name, NULL);
		else if (strcmp(name, "execlp") == 0)
			execlp(self, self, "-x", fdstr, cfdstr, name, NULL);
		else if (strcmp(name, "execle") == 0)
			execle(self, self, "-x", fdstr, cfdstr, name, NULL,
			    environ);
		else
			execvpe(self, argv, environ);
		_exit(99);
	}
	expect(b, name);
	reap(pid);
	close(c);
	hj_ok(name);
}

/*
 * A fork the library does not see (a raw system call, as the C
 * library's own daemon() makes): the child gets a new kernel process,
 * and its old rump descriptor numbers no longer reach the parent's
 * sockets (they are plain /dev/null descriptors).
 */
static void
test_rawfork(int a, int b)
{
	struct pollfd p = { .fd = b, .events = POLLIN };
	pid_t pid;

	HJ_CHECK((pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)) >= 0);
	if (pid == 0) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		if (s < 0 || !hj_is_rump(s) || write(a, "zz", 2) != 2)
			_exit(1);
		_exit(0);
	}
	reap(pid);
	HJ_CHECK(poll(&p, 1, 300) == 0);	/* nothing came */
	HJ_CHECK(write(a, "raw", 3) == 3);
	expect(b, "raw");
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int a, b;

	if (argc == 5 && strcmp(argv[1], "-x") == 0)
		return exec_child(argv[2], argv[3], argv[4]);
	HJ_CHECK(readlink("/proc/self/exe", self, sizeof(self) - 1) > 0);
	hj_pair(&a, &b);

	HJ_CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		int s;

		HJ_CHECK(hj_is_rump(a));
		HJ_CHECK(write(a, "child", 5) == 5);
		/* The child's own new sockets work as well. */
		HJ_CHECK((s = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
		HJ_CHECK(close(s) == 0);
		HJ_CHECK(close(a) == 0);	/* its copy only */
		_exit(0);
	}
	expect(b, "child");
	reap(pid);
	HJ_CHECK(write(a, "parent", 6) == 6);
	expect(b, "parent");
	hj_ok("fork");

	HJ_CHECK((pid = vfork()) >= 0);
	if (pid == 0) {
		if (write(a, "vfork", 5) != 5)
			_exit(1);
		_exit(0);
	}
	expect(b, "vfork");
	reap(pid);
	hj_ok("vfork");

	test_rawfork(a, b);
	test_exec("execve", a, b);
	test_exec("execv", a, b);
	test_exec("execvp", a, b);
	test_exec("execvpe", a, b);
	test_exec("execl", a, b);
	test_exec("execlp", a, b);
	test_exec("execle", a, b);
	HJ_CHECK(close(a) == 0 && close(b) == 0);
	return 0;
}
