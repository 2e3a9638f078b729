/*
 * rumpuser_proc.c -- host process hypercalls (rumpuser_proc.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rumpuser/rumpuser_proc.h"

uint32_t
rumpuser_proc_self(void)
{
	return (uint32_t)getpid();
}

/*
 * The state letter of /proc/PID/stat: the field after the command name,
 * which is in parentheses and may itself contain ')' -- so look for the
 * last one.  => the letter, or 0 if it cannot be read.
 */
static char
rumpuser_proc_state(uint32_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", (unsigned)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ')
		return 0;
	return p[2];
}

bool
rumpuser_proc_alive(uint32_t pid)
{
	char state;

	if (pid == 0 || pid > (uint32_t)INT32_MAX)
		return true;	/* not a process id: never declare it dead */
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return false;
	/* A zombie answers kill() but will never release anything. */
	state = rumpuser_proc_state(pid);
	return state != 'Z' && state != 'X';
}
