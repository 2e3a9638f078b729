#!/bin/sh
# impairment.sh -- a bad link on demand (impair(7)): loss, delay with
# jitter, then a TCP transfer through loss, reordering, duplication and
# corruption, with the counters that show what happened.
#
#   [ unix://near ] 198.51.100.1 ---- imp.bus ---- 198.51.100.2 [ unix://far ]
#
# Knobs are per interface and act on what it sends; every decision
# comes from a seeded random sequence, so a run can be repeated.  Run
# from the build directory (or with the programs installed); output in
# ./impairment-out/ (EXAMPLE_OUT).
set -eu

top_builddir=${top_builddir:-$(pwd)}
for d in "$top_builddir"/tools/*/; do
	PATH="$d:$PATH"
done
export PATH
tcpxfer=$top_builddir/examples/tcpxfer
out=${EXAMPLE_OUT:-$(pwd)/impairment-out}
mkdir -p "$out"
cd "$out"
rm -f imp.bus tcp.bus
trap 'for n in near far; do RUMP_SERVER=unix://$n rump.halt 2>/dev/null || :; done' EXIT

for n in near far; do
	rump_server -lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif \
	    "unix://$n"
	RUMP_SERVER=unix://$n rump.ifconfig shmif0 create
	RUMP_SERVER=unix://$n rump.ifconfig shmif0 linkstr imp.bus
done
RUMP_SERVER=unix://near rump.ifconfig shmif0 inet 198.51.100.1/24
RUMP_SERVER=unix://far rump.ifconfig shmif0 inet 198.51.100.2/24
export RUMP_SERVER=unix://near
K=net.interfaces.shmif0.impair

echo "== 20% loss on near's interface, seed 1: 50 quick pings"
rump.sysctl -w $K.seed=1 $K.loss=20
rump.ping -q -c 50 -i 0.01 198.51.100.2 | tail -2
echo "-- near's counters: every lost frame was a request (or the ARP"
echo "   request sent first)"
rump.sysctl $K.frames $K.lost $K.sent

echo "== no loss; 50 ms of delay, +-10 ms of jitter"
rump.sysctl -w $K.loss=0 $K.delay=50 $K.jitter=10
rump.ping -c 5 -i 0.2 198.51.100.2 | sed -n 's/.*time=/time=/p'

echo "== 2 MB over TCP through 2% loss, 5% reordering, 2% duplication and"
echo "   2% corruption on both ends (RUMP_IMPAIR, read by each program's kernel),"
echo "   offload on so the receiving interfaces verify (and count) checksums"
knobs=loss=2,reorder=5,dup=2,corrupt=2
RUMP_SHMIF_CAPENABLE=0x7ff80
export RUMP_SHMIF_CAPENABLE
RUMP_IMPAIR=$knobs,seed=7 "$tcpxfer" -s tcp.bus 198.51.100.2/24 \
    > rx.out 2> rx.err &
rx=$!
until grep -q '^listening' rx.out 2>/dev/null; do
	sleep 0.05
done
RUMP_IMPAIR=$knobs,seed=8 "$tcpxfer" -s -n 2000000 tcp.bus \
    198.51.100.1/24 198.51.100.2 > tx.out 2> tx.err
wait $rx
grep -h sha256 tx.out rx.out
echo "-- the sender's stage, and what its TCP did about it:"
grep '\.impair\.' tx.out
sed -n 's/.*; \(rexmit.*\)/\1/p' tx.err
echo "-- corrupted frames failed the receivers' checksum checks and were dropped:"
grep -h 'rx_.*_bad' rx.out tx.out
