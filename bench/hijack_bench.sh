#!/bin/sh
# hijack_bench.sh -- iperf3, unmodified, between two rump_server nodes
# on one shmif bus through librumphijack (every socket call a remote
# call), against iperf3 over a Linux veth pair between two network
# namespaces (MTU 1500, offloads off) in the same run; results go in
# bench/HIJACK-REPORT.md.
#
#   bench/hijack_bench.sh [BUILDDIR]    (default: $top_builddir or .)
#
# Environment: SECS per run (default 5), RUNS (default 3).  The veth
# part needs root (ip netns) and ethtool; it is skipped with a message
# otherwise.  Buses and sockets live in /dev/shm.
set -eu

B=${1:-${top_builddir:-.}}
B=$(cd "$B" && pwd)
HJ=$B/.libs/librumphijack.so
SRV=$B/tools/rump_server/rump_server
IFC=$B/tools/rump_ifconfig/rump.ifconfig
HALT=$B/tools/rump_halt/rump.halt
for f in "$HJ" "$SRV" "$IFC" "$HALT"; do
	[ -e "$f" ] || { echo "missing $f: build first" >&2; exit 1; }
done
command -v iperf3 >/dev/null || { echo "iperf3 is not installed" >&2; exit 1; }
SECS=${SECS:-5}
RUNS=${RUNS:-3}

work=$(mktemp -d /dev/shm/hijackbench.XXXXXX)
NSA=hijackbench_a.$$
NSB=hijackbench_b.$$
cleanup()
{
	for n in 1 2; do
		RUMP_SERVER=unix://$work/node$n "$HALT" 2>/dev/null || true
	done
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r); $(nproc) vCPUs;" \
    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# iperf3 $(iperf3 --version | head -1 | cut -d' ' -f2), $SECS s per run, $RUNS runs per row"

for n in 1 2; do
	"$SRV" -lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif \
	    "unix://$work/node$n"
	export RUMP_SERVER=unix://$work/node$n
	"$IFC" shmif0 create
	"$IFC" shmif0 linkstr "$work/bus"
	"$IFC" shmif0 inet "198.51.100.$n/24"
done
unset RUMP_SERVER

# result FILE RUN LABEL: one line from iperf3's JSON.
result()
{
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["end"]
print("%s run=%s: %.1f Mbit/s" % (sys.argv[3], sys.argv[2],
      e["sum_received"]["bits_per_second"] / 1e6))
PY
}

echo "## rumpnet: iperf3 through librumphijack, node1 -> node2, one bus"
for r in $(seq "$RUNS"); do
	RUMP_SERVER=unix://$work/node2 LD_PRELOAD=$HJ \
	    iperf3 -s -1 -B 198.51.100.2 > "$work/srv.log" 2>&1 &
	sleep 0.5
	RUMP_SERVER=unix://$work/node1 LD_PRELOAD=$HJ \
	    iperf3 -J -c 198.51.100.2 -t "$SECS" > "$work/cli.json"
	wait
	result "$work/cli.json" "$r" "rumpnet hijacked iperf3"
done

if [ "$(id -u)" != 0 ] || ! command -v ethtool >/dev/null; then
	echo "## veth: skipped (needs root and ethtool)"
	exit 0
fi
ip netns add "$NSA"
ip netns add "$NSB"
ip link add veth0 netns "$NSA" type veth peer name veth1 netns "$NSB"
ip -n "$NSA" addr add 198.51.100.1/24 dev veth0
ip -n "$NSB" addr add 198.51.100.2/24 dev veth1
for x in "$NSA veth0" "$NSB veth1"; do
	set -- $x
	ip -n "$1" link set "$2" mtu 1500 up
	ip -n "$1" link set lo up
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off \
	    tx off rx off sg off >/dev/null 2>&1 ||
	    ip netns exec "$1" ethtool -K "$2" tso off gso off \
	    gro off tx off rx off >/dev/null
done
echo "## linux: iperf3 over veth, MTU 1500, offloads off"
for r in $(seq "$RUNS"); do
	ip netns exec "$NSB" iperf3 -s -1 -B 198.51.100.2 \
	    > "$work/srv.log" 2>&1 &
	sleep 0.5
	ip netns exec "$NSA" iperf3 -J -c 198.51.100.2 -t "$SECS" \
	    > "$work/cli.json"
	wait
	result "$work/cli.json" "$r" "linux veth iperf3"
done
