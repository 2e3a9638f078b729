#!/bin/sh
# offload_ab.sh -- an A/B comparison: the same TCP transfer between two
# programs that embed the kernel (examples/tcpxfer), once with every
# offload off and once with checksum offload and TSO on
# (RUMP_SHMIF_CAPENABLE=0x7ff80: the shmif interface emulates them in
# software).  For each run: time, rate, the sender's CPU time, how many
# TSO super-packets the interface cut into frames, and whether both
# ends saw the same bytes (SHA-256).
#
#   sender 198.51.100.1 ---- ab.bus ---- 198.51.100.2 receiver
#
# OFFLOAD_AB_BYTES (default 50000000) sets the size; OFFLOAD_AB_IMPAIR
# (e.g. "loss=1,seed=1", see impair(7)) runs both sides through an
# impaired link.  Run from the build directory; output in
# ./offload_ab-out/ (EXAMPLE_OUT).
set -eu

top_builddir=${top_builddir:-$(pwd)}
tcpxfer=$top_builddir/examples/tcpxfer
bytes=${OFFLOAD_AB_BYTES:-50000000}
out=${EXAMPLE_OUT:-$(pwd)/offload_ab-out}
mkdir -p "$out"
cd "$out"
if [ -n "${OFFLOAD_AB_IMPAIR:-}" ]; then
	RUMP_IMPAIR=$OFFLOAD_AB_IMPAIR
	export RUMP_IMPAIR
fi

# run LABEL CAPENABLE: one transfer; prints one row of the table.
run()
{
	rm -f ab.bus
	RUMP_SHMIF_CAPENABLE=$2 "$tcpxfer" -s -t 120 ab.bus 198.51.100.2/24 \
	    > "$1-rx.out" 2> "$1-rx.err" &
	rx=$!
	until grep -q '^listening' "$1-rx.out" 2>/dev/null; do
		sleep 0.05
	done
	RUMP_SHMIF_CAPENABLE=$2 "$tcpxfer" -s -t 120 -n "$bytes" ab.bus \
	    198.51.100.1/24 198.51.100.2 > "$1-tx.out" 2> "$1-tx.err"
	wait $rx
	# "tcpxfer: sent N bytes in T s: R Mbit/s; cpu user U s sys S s; ..."
	stats=$(sed -n 's/^tcpxfer: sent [0-9]* bytes in \([0-9.]*\) s: \([0-9.]*\) Mbit\/s; cpu user \([0-9.]*\) s sys \([0-9.]*\) s.*/\1 \2 \3 \4/p' "$1-tx.err")
	set -- "$1" "$2" $stats
	segs=$(sed -n 's/^net\.interfaces\.shmif0\.offload\.tx_tsov4_segs = //p' \
	    "$1-tx.out")
	sent=$(sed -n 's/^sent [0-9]* bytes sha256 //p' "$1-tx.out")
	rcvd=$(sed -n 's/^received [0-9]* bytes sha256 //p' "$1-rx.out")
	same=no
	[ -n "$sent" ] && [ "$sent" = "$rcvd" ] && same=yes
	printf '%-4s %-8s %8s %10s %8s %8s %10s  %s\n' "$1" "$2" "$3" "$4" \
	    "$5" "$6" "${segs:-0}" "$same"
}

echo "$bytes bytes over TCP${RUMP_IMPAIR:+, impaired: $RUMP_IMPAIR}"
printf '%-4s %-8s %8s %10s %8s %8s %10s  %s\n' run capenable seconds \
    Mbit/s cpu-usr cpu-sys tso-frames sha256-match
run A 0
run B 0x7ff80
echo "(tso-frames: frames the sender's interface cut from TSO super-packets;"
echo " per-run details in $out/*-tx.out, *-tx.err)"
