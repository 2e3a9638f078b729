#!/bin/sh
# demo.sh -- three nodes on two buses with a router between them.
#
#   node A                     router R                    node B
#   198.51.100.1 --- lan1.bus --- .254 | 203.0.113.254 --- lan2.bus --- 203.0.113.2
#   (program with              (rump_server, configured    (program with
#    its own kernel)            with rump.ifconfig etc.)    its own kernel)
#
# A pings B and sends it UDP datagrams across the router, then moves
# 20 MB to B over TCP with every offload on (RUMP_SHMIF_CAPENABLE=0x7ff80:
# checksums and TSO emulated by the interfaces).  Each bus is written out
# as a pcap and summarised with tcpdump.  Every node is an ordinary
# process; nothing needs privileges.
#
# Run from the build directory (quickstart.sh does), or set
# top_builddir.  Leaves the buses and pcaps in ./demo-out/.
set -eu

top_builddir=${top_builddir:-$(pwd)}
t=$top_builddir/tools
for d in rump_server rump_ifconfig rump_sysctl rump_route rump_netstat \
    rump_halt shmif_dumpbus; do
	PATH="$t/$d:$PATH"
done
export PATH
if ! command -v rump_server >/dev/null ||
    [ ! -x "$top_builddir/examples/pingpeer" ]; then
	echo "demo.sh: no build in $top_builddir: run it from the build" \
	    "directory (./quickstart.sh demo does), or set top_builddir" >&2
	exit 1
fi
pingpeer="$top_builddir/examples/pingpeer"
tcpxfer="$top_builddir/examples/tcpxfer"
out=${DEMO_OUT:-$(pwd)/demo-out}

mkdir -p "$out"
cd "$out"
rm -f lan1.bus lan2.bus ./*.pcap router
pids=""
cleanup()
{
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	RUMP_SERVER=unix://router rump.halt 2>/dev/null || true
	wait 2>/dev/null || true
}
trap cleanup EXIT

echo "== router R: rump_server with two shmif interfaces, forwarding on"
rump_server -lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif \
    unix://router
export RUMP_SERVER=unix://router
rump.ifconfig shmif0 create
rump.ifconfig shmif0 linkstr lan1.bus
rump.ifconfig shmif0 inet 198.51.100.254/24
rump.ifconfig shmif1 create
rump.ifconfig shmif1 linkstr lan2.bus
rump.ifconfig shmif1 inet 203.0.113.254/24
rump.sysctl -w net.inet.ip.forwarding=1
rump.netstat -rn -f inet
unset RUMP_SERVER

echo "== node B (203.0.113.2): answers pings, echoes UDP, then receives TCP"
"$pingpeer" -g 203.0.113.254 -t 4 lan2.bus 203.0.113.2/24 > b-ping.txt &
pids="$pids $!"
echo "== node A (198.51.100.1): pings B across the router, sends UDP"
sleep 0.3
"$pingpeer" -g 198.51.100.254 -c 3 lan1.bus 198.51.100.1/24 203.0.113.2
wait
for bus in lan1 lan2; do
	shmif_dumpbus -p $bus-ping.pcap $bus.bus >/dev/null
done

echo "== node A sends 20 MB to node B over TCP, offload on (0x7ff80),"
echo "   while shmif_dumpbus -f captures lan2 live"
shmif_dumpbus -f -n -q -p lan2-tcp.pcap lan2.bus 2>/dev/null &
cap=$!
pids="$pids $cap"
RUMP_SHMIF_CAPENABLE=0x7ff80 "$tcpxfer" -s -g 203.0.113.254 \
    lan2.bus 203.0.113.2/24 > b-tcp.txt 2>&1 &
rx=$!
pids="$pids $rx"
until grep -q listening b-tcp.txt 2>/dev/null; do sleep 0.05; done
RUMP_SHMIF_CAPENABLE=0x7ff80 "$tcpxfer" -s -n 20000000 -g 198.51.100.254 \
    lan1.bus 198.51.100.1/24 203.0.113.2 > a-tcp.txt 2>&1
wait $rx
sleep 0.2
kill $cap 2>/dev/null || true
grep -h 'sha256' a-tcp.txt b-tcp.txt
echo "A's interface cut TSO super-packets into frames:"
grep -h 'offload.tx_tsov4' a-tcp.txt || true

echo "== pcaps in $out"
for f in lan1-ping lan2-ping lan2-tcp; do
	echo "$f.pcap: $(tcpdump -r $f.pcap 2>/dev/null | wc -l) frames"
done
if command -v tcpdump >/dev/null 2>&1; then
	echo "== lan1: A's pings leave with TTL 64"
	tcpdump -n -v -r lan1-ping.pcap 2>/dev/null | grep -A1 'proto ICMP' | head -4
	echo "== lan2: the same pings after the router, TTL 63"
	tcpdump -n -v -r lan2-ping.pcap 2>/dev/null | grep -A1 'proto ICMP' | head -4
	echo "== lan2: the TCP transfer (first frames)"
	tcpdump -n -r lan2-tcp.pcap 2>/dev/null | head -4
fi
if command -v tshark >/dev/null 2>&1; then
	bad=$(tshark -r lan2-tcp.pcap -o tcp.check_checksum:TRUE \
	    -Y 'tcp.checksum.status == "Bad"' 2>/dev/null | wc -l)
	big=$(tshark -r lan2-tcp.pcap -Y 'frame.len > 1514' 2>/dev/null | wc -l)
	echo "tshark: in lan2-tcp.pcap, $bad frames with a bad TCP checksum," \
	    "$big frames over 1514 bytes"
fi
echo "== open the pcaps in Wireshark, or watch a bus live with:"
echo "   shmif_dumpbus -f -p - $out/lan2.bus | wireshark -k -i -"
