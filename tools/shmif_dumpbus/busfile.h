/*
 * busfile.h -- host side of a bus for the shmif tools: open or create
 * the file, map it and attach as a node does (shmif bus spec 1.7), take
 * the lock with a real 1 ms back-off, and do the wakeup write.
 *
 * Shared by shmif_dumpbus (follow mode), shmif_pcap2bus and the bus
 * benchmark.  Failures print a message naming the file and exit 1.
 */
#ifndef _TOOLS_SHMIF_DUMPBUS_BUSFILE_H_
#define _TOOLS_SHMIF_DUMPBUS_BUSFILE_H_

#include "shmif/shmif_bus.h"

struct busfile {
	const char *bf_path;
	int	bf_fd;
	struct shmif_mem *bf_mem;	/* SHMIF_BUSSIZE bytes, shared */
	struct shmif_bus bf_bus;
};

/*
 * Open path read-write, creating it (mode 0644) if missing; refuse a
 * file that is not a bus before touching it; ftruncate it to 1 MiB, map
 * it and attach (initialising a fresh file).  A bus of version 2 is
 * refused: these tools write and read version 3 records.
 */
void	busfile_attach(struct busfile *bf, const char *path);

/* The 4-byte write of 3 at file offset 4 that wakes every reader. */
int	busfile_wakeup(struct busfile *bf);

void	busfile_close(struct busfile *bf);

#endif /* _TOOLS_SHMIF_DUMPBUS_BUSFILE_H_ */
