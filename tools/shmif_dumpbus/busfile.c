/*
 * busfile.c -- open, map and attach a bus file for the shmif tools.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser/rumpuser.h"
#include "rumpuser/rumpuser_proc.h"
#include "tools/shmif_dumpbus/busfile.h"

static void
busfile_backoff(void *arg)
{
	struct timespec ts = { 0, 1000 * 1000 };

	(void)arg;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

static uint32_t
busfile_self(void *arg)
{
	(void)arg;
	return rumpuser_proc_self();
}

static bool
busfile_alive(void *arg, uint32_t holder)
{
	(void)arg;
	return rumpuser_proc_alive(holder);
}

/* The tools record their pid as lock holder and break dead holders'. */
static const struct shmif_hostops busfile_ops = {
	.sho_backoff = busfile_backoff,
	.sho_wakeup = NULL,	/* the tools decide when to wake */
	.sho_self = busfile_self,
	.sho_alive = busfile_alive,
};

/*
 * Check the magic through the descriptor before the file is truncated
 * or mapped, so that pointing a tool at the wrong file does not destroy
 * it.  A short or empty file is a new bus (ftruncate extends it).
 */
static void
busfile_precheck(const char *path, int fd)
{
	uint32_t magic;
	ssize_t n;

	n = pread(fd, &magic, sizeof(magic), 0);
	if (n == -1)
		err(1, "Can't read bus file `%s'", path);
	if (n < (ssize_t)sizeof(magic) || magic == 0 || magic == SHMIF_MAGIC)
		return;
	if (magic == SHMIF_MAGIC_SWAPPED)
		errx(1, "`%s' is a shmif bus of the other byte order", path);
	errx(1, "`%s' not a shmif bus: bad magic 0x%x != 0x%x", path,
	    magic, SHMIF_MAGIC);
}

void
busfile_attach(struct busfile *bf, const char *path)
{
	void *mem;
	int error;

	bf->bf_path = path;
	bf->bf_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (bf->bf_fd == -1)
		err(1, "Can't open bus file `%s'", path);
	busfile_precheck(path, bf->bf_fd);
	/* Every attacher sizes the file, as NetBSD's do. */
	if (ftruncate(bf->bf_fd, SHMIF_BUSSIZE) == -1)
		err(1, "Can't size bus file `%s'", path);
	mem = mmap(NULL, SHMIF_BUSSIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    bf->bf_fd, 0);
	if (mem == MAP_FAILED)
		err(1, "Can't map bus file `%s'", path);
	bf->bf_mem = mem;

	error = shmif_bus_attach(&bf->bf_bus, mem, SHMIF_BUSSIZE,
	    &busfile_ops, bf);
	if (error == SHMIF_ENOTBUS)
		errx(1, "`%s' not a shmif bus: bad magic 0x%x != 0x%x", path,
		    bf->bf_mem->shm_magic, SHMIF_MAGIC);
	if (error != SHMIF_OK)
		errx(1, "`%s': %s", path, shmif_strerror(error));
	/* 0: created by a NetBSD node that has not sent yet. */
	if (bf->bf_mem->shm_version != SHMIF_VERSION &&
	    bf->bf_mem->shm_version != 0)
		errx(1, "`%s': bus version %u, this program handles %d", path,
		    bf->bf_mem->shm_version, SHMIF_VERSION);
}

int
busfile_wakeup(struct busfile *bf)
{
	uint32_t v = SHMIF_WAKEUP_VALUE;
	ssize_t n;

	do
		n = pwrite(bf->bf_fd, &v, sizeof(v), SHMIF_WAKEUP_OFF);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno;
	/* And for readers whose watch is a futex (rumpuser.h). */
	rumpuser_watch_wake(&bf->bf_mem->shm_last);
	return n == (ssize_t)sizeof(v) ? 0 : EIO;
}

void
busfile_close(struct busfile *bf)
{
	munmap(bf->bf_mem, SHMIF_BUSSIZE);
	close(bf->bf_fd);
}
