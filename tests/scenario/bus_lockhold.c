/*
 * bus_lockhold.c -- a process that takes a bus lock and keeps it until it
 * is killed, for the lock-break scenario (tests/scenario/bus_lockbreak.sh).
 *
 *   bus_lockhold [-w] buspath
 *
 * It attaches to the bus as the tools do (its pid is recorded as the lock
 * holder), takes the lock, and with -w also writes a 1514-byte record
 * into the ring without publishing it -- the state a node killed half way
 * through a transmit leaves.  Then it prints "locked PID" and sleeps.
 */
#include "config.h"

#include <err.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shmif/shmif_bus.h"
#include "tools/shmif_dumpbus/busfile.h"

int
main(int argc, char **argv)
{
	static uint8_t frame[SHMIF_FRAME_MAX];
	struct shmif_seg seg = { frame, sizeof(frame) };
	struct shmif_txframe tf = { &seg, 1, 0, 0 };
	struct shmif_pending pend;
	struct busfile bf;
	bool half = false;
	int ch, error;

	while ((ch = getopt(argc, argv, "w")) != -1) {
		if (ch != 'w')
			errx(1, "usage: bus_lockhold [-w] buspath");
		half = true;
	}
	if (argc - optind != 1)
		errx(1, "usage: bus_lockhold [-w] buspath");
	busfile_attach(&bf, argv[optind]);
	shmif_bus_lock(&bf.bf_bus);
	if (half) {
		/* Garbage that must never reach a reader. */
		memset(frame, 0xee, sizeof(frame));
		error = shmif_append_write_locked(bf.bf_mem, &tf,
		    0xdeaddeaddeaddeadULL, &pend);
		if (error != SHMIF_OK)
			errx(1, "%s", shmif_strerror(error));
	}
	printf("locked %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
