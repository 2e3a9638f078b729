#!/bin/sh
# demo.sh -- two nodes on a shmif bus: each is a process with its own
# kernel.  One pings the other and exchanges UDP datagrams; the bus is
# then written out as a pcap and summarised with tcpdump.
#
#   [ node A 198.51.100.1 ] ---- demo.bus ---- [ node B 198.51.100.2 ]
#
# Run from the build directory (quickstart.sh does), or set
# top_builddir.  Leaves demo.bus and demo.pcap in ./demo-out/.
set -eu

top_builddir=${top_builddir:-$(pwd)}
pingpeer="$top_builddir/examples/pingpeer"
dumpbus="$top_builddir/tools/shmif_dumpbus/shmif_dumpbus"
out=${DEMO_OUT:-$(pwd)/demo-out}

mkdir -p "$out"
rm -f "$out/demo.bus" "$out/demo.pcap"

echo "== node B: 198.51.100.2 on $out/demo.bus (answers pings, echoes UDP port 7)"
"$pingpeer" -t 20 "$out/demo.bus" 198.51.100.2/24 &
peer=$!
trap 'kill $peer 2>/dev/null; wait 2>/dev/null' EXIT
while [ ! -s "$out/demo.bus" ]; do sleep 0.05; done

echo "== node A: 198.51.100.1 pings 198.51.100.2 and sends UDP datagrams"
"$pingpeer" -c 3 "$out/demo.bus" 198.51.100.1/24 198.51.100.2

echo "== the bus, as shmif_dumpbus sees it"
"$dumpbus" -h "$out/demo.bus"
"$dumpbus" -p "$out/demo.pcap" "$out/demo.bus" >/dev/null

echo "== tcpdump -n -e -r $out/demo.pcap"
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -n -e -r "$out/demo.pcap" 2>/dev/null
else
	echo "(tcpdump is not installed)"
fi
echo "== open $out/demo.pcap in Wireshark, or watch a bus live with:"
echo "   shmif_dumpbus -f -p - BUS | wireshark -k -i -"
