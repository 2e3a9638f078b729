#!/bin/sh
# two_node_lan.sh -- the smallest network: two nodes on one bus, built
# by hand with the rump tools.
#
#   [ unix://node1 ]                                 [ unix://node2 ]
#   shmif0 198.51.100.1/24 ---- lan.bus ---- 198.51.100.2/24 shmif0
#
# Each node is a rump_server process: a kernel with a TCP/IP stack,
# served on a Unix socket.  The tools (rump.ifconfig, rump.ping, ...)
# talk to the kernel named by RUMP_SERVER.  The "wire" is the file
# lan.bus, which both interfaces map.  Nothing needs privileges.
#
# Run from the build directory (or with the programs installed); the
# bus and sockets stay in ./two_node_lan-out/ (EXAMPLE_OUT).
set -eu

# The programs of a build tree, if this is one (installed ones are on
# PATH already).
top_builddir=${top_builddir:-$(pwd)}
for d in "$top_builddir"/tools/*/; do
	PATH="$d:$PATH"
done
export PATH
out=${EXAMPLE_OUT:-$(pwd)/two_node_lan-out}
mkdir -p "$out"
cd "$out"
rm -f lan.bus

# Halt both kernels however the script ends.
trap 'RUMP_SERVER=unix://node1 rump.halt 2>/dev/null || :
      RUMP_SERVER=unix://node2 rump.halt 2>/dev/null || :' EXIT

echo "== two kernels: -l chooses the components (no IPv6 here)"
libs="-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif"
rump_server $libs unix://node1	# returns once the server is ready
rump_server $libs unix://node2

echo "== an interface on the bus and an address, on each node"
export RUMP_SERVER=unix://node1
rump.ifconfig shmif0 create
rump.ifconfig shmif0 linkstr lan.bus	# the bus file, created if missing
rump.ifconfig shmif0 inet 198.51.100.1/24	# an address brings it up
RUMP_SERVER=unix://node2 rump.ifconfig shmif0 create
RUMP_SERVER=unix://node2 rump.ifconfig shmif0 linkstr lan.bus
RUMP_SERVER=unix://node2 rump.ifconfig shmif0 inet 198.51.100.2/24
rump.ifconfig shmif0

echo "== node1 pings node2"
rump.ping -c 3 -i 0.2 198.51.100.2

echo "== node1 learnt node2's link address"
rump.arp -n -a

echo "== what went over the wire (the bus, as tcpdump sees it)"
shmif_dumpbus -p - lan.bus 2>/dev/null | tcpdump -n -e -r - 2>/dev/null

echo "== interface counters on node1"
rump.netstat -i
