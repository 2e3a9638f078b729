#!/bin/sh
# bus_bench.sh -- shmif bus benchmarks; results go in bench/BUS-REPORT.md.
#
#   bench/bus_bench.sh [BUILDDIR]       (default: $top_builddir or .)
#
# A. The format library alone: bus_bench append (frames/s, Gbit/s).
# B. shmif_dumpbus -f against a writer at full speed (bus_bench write,
#    32 frames per lock hold and wakeup), 3 s per run, 3 runs per row:
#    frames/s the follower takes off the bus and the share lost, with
#    the reader and writer on different vCPUs, on the same vCPU, and
#    unpinned; capture to /dev/null and through a pipe.
# C. The same follower against a paced writer (1514-byte frames, one
#    wakeup per frame): the rate it keeps up with.
#
# Buses live in /dev/shm.  Runs take about 2 minutes.
set -eu

B=${1:-${top_builddir:-.}}
BENCH=$B/bench/bus_bench
DUMPBUS=$B/tools/shmif_dumpbus/shmif_dumpbus
for p in "$BENCH" "$DUMPBUS"; do
	[ -x "$p" ] || { echo "missing $p: build first" >&2; exit 1; }
done
RUNS=${RUNS:-3}
SECS=${SECS:-3}

work=$(mktemp -d /dev/shm/busbench.XXXXXX)
rpid=""
trap '[ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$work"' EXIT

# pinned CPU: the command prefix that runs on one CPU ("-" = unpinned).
# A prefix rather than a function, so that "$!" of a background run is
# the program itself (taskset execs it) and signals reach it.
pinned()
{
	if [ "$1" != - ] && command -v taskset >/dev/null; then
		echo "taskset -c $1"
	fi
}

echo "== A. library append rate (one process, no reader, no wakeup)"
for r in $(seq "$RUNS"); do
	"$BENCH" append -t 1
done

# follow_run LEN BATCH RATE RCPU WCPU SINK: one run; prints a table row.
follow_run()
{
	len=$1 batch=$2 rate=$3 rcpu=$4 wcpu=$5 sink=$6
	bus=$work/bus
	rm -f "$bus" "$work/fifo"
	cpid=""
	if [ "$sink" = pipe ]; then
		mkfifo "$work/fifo"
		cat "$work/fifo" > /dev/null &
		cpid=$!
		$(pinned "$rcpu") "$DUMPBUS" -n -q -p - "$bus" > "$work/fifo" \
		    2> "$work/err" &
	else
		$(pinned "$rcpu") "$DUMPBUS" -n -q -p /dev/null "$bus" \
		    > /dev/null 2> "$work/err" &
	fi
	rpid=$!
	# -n positions the reader at once; give it time to attach.
	i=0
	while [ ! -s "$bus" ] && [ $i -lt 100 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	sleep 0.2
	$(pinned "$wcpu") "$BENCH" write -t "$SECS" -l "$len" -b "$batch" \
	    -r "$rate" "$bus" > "$work/w"
	sleep 0.3
	kill -INT "$rpid" 2>/dev/null || true
	wait "$rpid" 2>/dev/null || true
	rpid=""
	[ -z "$cpid" ] || wait "$cpid" 2>/dev/null || true
	awk -v len="$len" -v batch="$batch" -v rate="$rate" -v rc="$rcpu" \
	    -v wc="$wcpu" -v sink="$sink" '
	FILENAME ~ /\/w$/ {
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			w[kv[1]] = kv[2]
		}
	}
	/frames read from the bus/ {
		read = $2
		lost = $(NF - 4)
		over = $(NF - 1)
	}
	END {
		wr = w["written"]; s = w["seconds"]
		printf "%5d %5d %8s %3s/%-3s %-4s %10.0f %10.0f %7.2f%% %7.2f%% %6d\n",
		    len, batch, rate == 0 ? "max" : rate, rc, wc, sink,
		    wr / s, read / s, 100 * (wr - read) / wr,
		    100 * lost / wr, over
	}' "$work/w" "$work/err"
}

header()
{
	echo "  len batch     rate  rd/wr sink  written/s     read/s  missing  est.lost overruns"
}

echo
echo "== B. shmif_dumpbus -f against a full-speed writer (${SECS}s runs)"
echo "   (missing = 1 - read/written; est.lost = dumpbus's own estimate)"
header
for len in 60 1514; do
	for pl in "1 0" "0 0" "- -"; do
		set -- $pl
		for r in $(seq "$RUNS"); do
			follow_run "$len" 32 0 "$1" "$2" null
		done
	done
	for r in $(seq "$RUNS"); do
		follow_run "$len" 32 0 - - pipe
	done
done

echo
echo "== C. shmif_dumpbus -f against a paced writer (1514 B, wakeup per frame)"
header
for rate in 100000 250000 500000 1000000; do
	for r in $(seq "$RUNS"); do
		follow_run 1514 1 "$rate" - - null
	done
done
