/*
 * hj_sig.c -- signals meet rump descriptors as they meet host sockets,
 * through librumphijack (see hjtest.h):
 *
 *  - a handler installed without SA_RESTART interrupts a blocking call
 *    (accept, recv): it fails with EINTR once the handler has run, and
 *    the descriptor keeps working;
 *  - with SA_RESTART the call goes on and returns what arrives later;
 *  - a write to a TCP connection the peer has reset raises SIGPIPE in
 *    the writing thread (write, writev, send, sendto, sendmsg), not
 *    with MSG_NOSIGNAL, and kills a process that leaves SIGPIPE at its
 *    default; errno is EPIPE either way.
 */
#include "config.h"
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "tests/hijack/hjtest.h"

static volatile sig_atomic_t alarms, pipes;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void
on_pipe(int sig)
{
	(void)sig;
	pipes++;
}

static void
handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	HJ_CHECK(sigaction(sig, &sa, NULL) == 0);
}

/* SIGALRM once, ms from now. */
static void
alarm_in(long ms)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	HJ_CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct late_send {
	int	ls_fd;
	long	ls_ms;
};

static void *
late_send(void *arg)
{
	struct late_send *ls = arg;
	struct timespec ts = { ls->ls_ms / 1000, (ls->ls_ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
	if (send(ls->ls_fd, "late", 4, 0) != 4)
		hj_fail("late send");
	return NULL;
}

static void
test_eintr(void)
{
	struct sockaddr_in sin;
	struct late_send ls;
	pthread_t t;
	char buf[8];
	double t0;
	int l, a, b;

	/* No SA_RESTART: accept with nobody connecting is interrupted. */
	l = hj_listener(&sin);
	handle(SIGALRM, on_alarm, 0);
	alarms = 0;
	t0 = now();
	alarm_in(200);
	errno = 0;
	HJ_CHECK(accept(l, NULL, NULL) == -1 && errno == EINTR);
	HJ_CHECK(alarms == 1 && now() - t0 < 10);
	/* The listener (and the connection to the server) still work. */
	HJ_CHECK((a = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	HJ_CHECK(connect(a, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	HJ_CHECK((b = accept(l, NULL, NULL)) >= 0);
	hj_ok("accept interrupted");

	/* recv too; then data sent later is still there to read. */
	alarm_in(200);
	errno = 0;
	HJ_CHECK(recv(b, buf, sizeof(buf), 0) == -1 && errno == EINTR);
	HJ_CHECK(alarms == 2);
	HJ_CHECK(send(a, "data", 4, 0) == 4);
	HJ_CHECK(recv(b, buf, 4, MSG_WAITALL) == 4 &&
	    memcmp(buf, "data", 4) == 0);
	hj_ok("recv interrupted");

	/* SA_RESTART: the signal comes and goes, recv waits on for the
	 * data another thread sends after it. */
	handle(SIGALRM, on_alarm, SA_RESTART);
	ls.ls_fd = a;
	ls.ls_ms = 600;
	HJ_CHECK(pthread_create(&t, NULL, late_send, &ls) == 0);
	alarm_in(200);
	HJ_CHECK(recv(b, buf, 4, MSG_WAITALL) == 4 &&
	    memcmp(buf, "late", 4) == 0);
	HJ_CHECK(alarms == 3);
	HJ_CHECK(pthread_join(t, NULL) == 0);
	hj_ok("recv restarted");
	HJ_CHECK(close(a) == 0 && close(b) == 0 && close(l) == 0);
}

/* A connection whose peer is gone (reset): the next write fails with
 * EPIPE.  => the writing end. */
static int
dead_connection(void)
{
	struct linger lg = { 1, 0 };
	char buf[16];
	int a, b, n = 0;

	hj_pair(&a, &b);
	/* Linger 0: the close resets the connection. */
	HJ_CHECK(setsockopt(b, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0);
	HJ_CHECK(close(b) == 0);
	/* The RST may take a moment to arrive: read until it has. */
	while (recv(a, buf, sizeof(buf), MSG_DONTWAIT) == -1 &&
	    errno == EAGAIN && n++ < 500)
		usleep(10000);
	return a;
}

static void
test_sigpipe(void)
{
	struct sockaddr_in to;
	struct iovec iov = { "x", 1 };
	struct msghdr msg;
	int a, st, i;
	pid_t pid;

	handle(SIGPIPE, on_pipe, 0);
	a = dead_connection();
	pipes = 0;
	errno = 0;
	HJ_CHECK(write(a, "x", 1) == -1 && errno == EPIPE && pipes == 1);
	HJ_CHECK(writev(a, &iov, 1) == -1 && errno == EPIPE && pipes == 2);
	HJ_CHECK(send(a, "x", 1, 0) == -1 && errno == EPIPE && pipes == 3);
	to = hj_addr(9);
	HJ_CHECK(sendto(a, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) ==
	    -1 && errno == EPIPE && pipes == 4);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	HJ_CHECK(sendmsg(a, &msg, 0) == -1 && errno == EPIPE && pipes == 5);
	hj_ok("SIGPIPE raised");
	/* MSG_NOSIGNAL: EPIPE, no signal. */
	HJ_CHECK(send(a, "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE);
	HJ_CHECK(sendto(a, "x", 1, MSG_NOSIGNAL, NULL, 0) == -1 &&
	    errno == EPIPE);
	HJ_CHECK(sendmsg(a, &msg, MSG_NOSIGNAL) == -1 && errno == EPIPE);
	HJ_CHECK(pipes == 5);
	hj_ok("MSG_NOSIGNAL");
	/* Ignored: EPIPE only. */
	handle(SIGPIPE, SIG_IGN, 0);
	HJ_CHECK(write(a, "x", 1) == -1 && errno == EPIPE && pipes == 5);
	hj_ok("SIGPIPE ignored");
	/* At its default, SIGPIPE ends the process that writes. */
	handle(SIGPIPE, SIG_DFL, 0);
	HJ_CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		for (i = 0; i < 3; i++)
			if (write(a, "x", 1) != -1)
				_exit(2);
		_exit(0);
	}
	HJ_CHECK(waitpid(pid, &st, 0) == pid);
	HJ_CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	hj_ok("SIGPIPE kills");
	HJ_CHECK(close(a) == 0);
}

int
main(void)
{
	test_eintr();
	test_sigpipe();
	return 0;
}
