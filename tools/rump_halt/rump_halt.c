/*
 * rump.halt -- halt the rump_server named by RUMP_SERVER.
 *
 * Prints nothing and exits 0 once the server has closed its clients,
 * halted its kernel and removed its socket file; exits 1 with a
 * message if there is no server to halt.
 */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpnet/rumpclient.h"

int
main(int argc, char **argv)
{
	const char *url = getenv("RUMP_SERVER");

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: rump.halt  (halts $RUMP_SERVER)\n");
		return 1;
	}
	/* librumpclient says why on stderr if it cannot connect. */
	if (rumpclient_init() != 0)
		return 1;
	if (rumpclient_halt() != 0) {
		fprintf(stderr, "rump.halt: %s: %s\n", url != NULL ? url : "?",
		    strerror(errno));
		return 1;
	}
	return 0;
}
