#!/bin/sh
# tcp_bench.sh -- bulk TCP throughput of rumpnet between two processes
# on one shmif bus (examples/tcpxfer -x: no hashing, like iperf3), against Linux TCP over a veth
# pair between two network namespaces (MTU 1500, offloads off) measured
# in the same run; results go in bench/TCP-REPORT.md.
#
#   bench/tcp_bench.sh [BUILDDIR]       (default: $top_builddir or .)
#
# Environment: BYTES per run (default 200000000), RUNS (default 3),
# BUFS (socket buffer sizes for rumpnet, default "0 262144": 0 is the
# stack's default of 64 KiB), PROFILE=1 to add a perf profile of one
# rumpnet run.  The veth part needs root (ip netns), iperf3 and ethtool;
# it is skipped with a message otherwise.  Buses live in /dev/shm.
set -eu

B=${1:-${top_builddir:-.}}
XFER=$B/examples/tcpxfer
[ -x "$XFER" ] || { echo "missing $XFER: build first" >&2; exit 1; }
BYTES=${BYTES:-200000000}
RUNS=${RUNS:-3}
BUFS=${BUFS:-"0 262144"}
PROFILE=${PROFILE:-0}

work=$(mktemp -d /dev/shm/tcpbench.XXXXXX)
NSA=tcpbench_a.$$
NSB=tcpbench_b.$$
cleanup()
{
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r); $(nproc) vCPUs;" \
    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# $BYTES bytes per run, $RUNS runs per row"

# One rumpnet run: prints "Mbit/s cpu_seconds" (both processes' user +
# system time, from their own getrusage lines).
rump_run()
{
	bus=$work/bus.$$
	rm -f "$bus"
	$PREFIX "$XFER" -x -s -b "$1" -t 120 "$bus" 198.51.100.2/24 \
	    > "$work/rx.out" 2> "$work/rx.err" &
	rx=$!
	i=0
	until grep -q listening "$work/rx.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && exit 1; sleep 0.05
	done
	$PREFIX2 "$XFER" -x -s -b "$1" -t 120 -n "$BYTES" "$bus" \
	    198.51.100.1/24 198.51.100.2 > "$work/tx.out" 2> "$work/tx.err"
	wait $rx
	a=$(sed -n 's/.*sha256 //p' "$work/tx.out")
	b=$(sed -n 's/.*sha256 //p' "$work/rx.out")
	[ "$a" = "$b" ] || { echo "hash mismatch" >&2; exit 1; }
	cat "$work/tx.err" "$work/rx.err" | awk '
	    /Mbit/ { for (i = 1; i <= NF; i++) {
		if ($i == "Mbit/s;") rate = $(i - 1)
		if ($i == "user") cpu += $(i + 1)
		if ($i == "sys") cpu += $(i + 1)
		if ($i == "rexmit") rx += $(i + 1) }
		n++ }
	    END { printf "%s %.3f %d\n", rate, cpu, rx }'
}

rump_rows()
{
	for buf in $BUFS; do
		for r in $(seq "$RUNS"); do
			set -- $(rump_run "$buf")
			echo "rumpnet buf=$buf run=$r: $1 Mbit/s," \
			    "cpu $2 s ($(echo "$2 $BYTES" |
			    awk '{ printf "%.2f", $1 * 1e9 / $2 }') ns/byte)," \
			    "rexmit $3"
		done
	done
}

PREFIX=""
PREFIX2=""
echo "## rumpnet: tcpxfer over one bus, unpinned"
rump_rows
# Offload emulation: checksums and TSO done by the shmif driver (the
# stack hands it 64 KiB super-packets), versus the rows above (off).
echo "## rumpnet: RUMP_SHMIF_CAPENABLE=0x7ff80 (TSO + checksum offload), unpinned"
export RUMP_SHMIF_CAPENABLE=0x7ff80
rump_rows
echo "## rumpnet: RUMP_SHMIF_CAPENABLE=0x15500 (receive checksum offload only), unpinned"
RUMP_SHMIF_CAPENABLE=0x15500
saved_bufs=$BUFS
BUFS=0
rump_rows
BUFS=$saved_bufs
unset RUMP_SHMIF_CAPENABLE
if command -v taskset >/dev/null; then
	PREFIX="taskset -c 0"
	PREFIX2="taskset -c 1"
	echo "## rumpnet: receiver on vCPU 0, sender on vCPU 1"
	rump_rows
	# How receivers wait (shmif(4)): the rows above are "auto" (inotify,
	# and writers also wake the bus futex); "inotify" is NetBSD's way
	# exactly (no futex wake); "futex" waits on the bus futex only.
	saved_bufs=$BUFS
	BUFS=0
	for w in inotify futex; do
		echo "## rumpnet: pinned, RUMP_SHMIF_WATCH=$w"
		export RUMP_SHMIF_WATCH=$w
		rump_rows
	done
	unset RUMP_SHMIF_WATCH
	BUFS=$saved_bufs
	PREFIX=""
	PREFIX2=""
fi

veth()
{
	if [ "$(id -u)" != 0 ] || ! command -v iperf3 >/dev/null ||
	    ! command -v ethtool >/dev/null; then
		echo "## veth: skipped (needs root, iperf3 and ethtool)"
		return
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
	ip netns exec "$NSB" iperf3 -s -1 -D -B 198.51.100.2 \
	    -I "$work/iperf.pid" >/dev/null 2>&1
	sleep 0.5
	echo "## linux: iperf3 over veth, MTU 1500, offloads off"
	for r in $(seq "$RUNS"); do
		ip netns exec "$NSA" iperf3 -J -c 198.51.100.2 -n "$BYTES" \
		    > "$work/iperf.json" 2>/dev/null || true
		python3 - "$work/iperf.json" "$BYTES" "$r" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["end"]
rate = e["sum_received"]["bits_per_second"] / 1e6
secs = e["sum_received"]["seconds"]
cpu = e["cpu_utilization_percent"]
# host = sender, remote = receiver; percent of one CPU over the run.
c = (cpu["host_total"] + cpu["remote_total"]) / 100 * secs
print("linux veth run=%s: %.1f Mbit/s, cpu %.3f s (%.2f ns/byte)" % (
    sys.argv[3], rate, c, c * 1e9 / int(sys.argv[2])))
PY
		ip netns exec "$NSB" iperf3 -s -1 -D -B 198.51.100.2 \
		    >/dev/null 2>&1
		sleep 0.3
	done
	pkill -F "$work/iperf.pid" 2>/dev/null || true
}
veth

if [ "$PROFILE" = 1 ] && command -v perf >/dev/null; then
	echo "## perf: one rumpnet run (64 KiB buffers), both processes"
	bus=$work/pbus
	perf record -q -g -o "$work/rx.perf" -- "$XFER" -x -t 120 "$bus" \
	    198.51.100.2/24 > "$work/rx.out" 2>/dev/null &
	rx=$!
	i=0
	until grep -q listening "$work/rx.out" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && exit 1; sleep 0.05
	done
	perf record -q -g -o "$work/tx.perf" -- "$XFER" -x -n "$BYTES" "$bus" \
	    198.51.100.1/24 198.51.100.2 > /dev/null 2>&1
	wait $rx
	for side in tx rx; do
		echo "### $side (self time, top 25)"
		perf report -i "$work/$side.perf" --stdio --no-children \
		    --sort symbol 2>/dev/null | grep -v '^#' | grep '%' |
		    head -25
	done
fi
