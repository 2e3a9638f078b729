#!/bin/sh
# offload_matrix.sh -- the offload regression harness (examples/
# offload_matrix.sh) on the four masks users mostly run: 0, 0x7ff80
# (everything), 0x6aa80 (all transmit) and 0x15500 (all receive), for
# sender and receiver, TCP and UDP over IPv4.  Run the harness without
# -q for every single capability bit as well.
set -u
. "$top_srcdir/tests/scenario/common.sh"
require tcpdump
exec sh "$top_srcdir/examples/offload_matrix.sh" -q -B "$top_builddir"
