#!/bin/sh
# impair.sh -- link impairment on real processes (impair(7)).
#
#   [ unix://aN ] shmif0 198.51.100.1 --- lanN.bus --- 198.51.100.2 shmif0 [ unix://bN ]
#
# 1. Loss 10% with seed 1 on a's interface: 100 pings lose a number of
#    requests near 10, the interface's counters agree with rump.ping,
#    and a second, fresh pair of servers with the same seed loses
#    exactly the same number.
# 2. Delay 50 ms on a's interface: every round trip takes at least
#    50 ms.
# 3. Two tcpxfer processes (each embeds its kernel) with every offload
#    on and RUMP_IMPAIR=loss,reorder,dup,corrupt on both sides: 2 MB
#    arrive intact (same SHA-256), every impairment happened, and the
#    receiver's checksum verification caught corrupted segments.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
TCPXFER="$top_builddir/examples/tcpxfer"
tools_setup

IMP=net.interfaces.shmif0.impair

# pair N: servers aN and bN on lanN.bus, DAD done.
pair()
{
	node "a$1" shmif0 "lan$1.bus" 198.51.100.1/24
	node "b$1" shmif0 "lan$1.bus" 198.51.100.2/24
	rump_wait_addresses "unix://a$1" || fail "DAD on a$1"
	rump_wait_addresses "unix://b$1" || fail "DAD on b$1"
}

# counter N NAME: an impairment counter of aN's shmif0.
counter()
{
	env RUMP_SERVER="unix://a$1" rump.sysctl -n "$IMP.$2"
}

# loss_run N: 100 pings from aN with loss 10%, seed 1; prints the
# number of replies.
loss_run()
{
	pair "$1"
	env RUMP_SERVER="unix://a$1" rump.sysctl -q -w "$IMP.seed=1" \
	    "$IMP.loss=10" || fail "set loss on a$1"
	env RUMP_SERVER="unix://a$1" rump.ping -q -n -c 100 -i 0.01 -w 2 \
	    198.51.100.2 > "ping$1.txt" 2>&1
	got=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "ping$1.txt")
	[ -n "$got" ] || { cat "ping$1.txt" >&2; fail "no ping summary"; }
	frames=$(counter "$1" frames)
	lost=$(counter "$1" lost)
	sent=$(counter "$1" sent)
	[ $((frames - lost)) -eq "$sent" ] ||
	    fail "a$1: frames $frames - lost $lost != sent $sent"
	# Every lost frame is a lost request (or the one ARP request,
	# which the ping then retries).
	[ "$lost" -ge $((100 - got)) ] ||
	    fail "a$1: $got replies but only $lost frames lost"
	echo "$got $lost"
}

r1=$(loss_run 1) || exit 1
r2=$(loss_run 2) || exit 1
debug "loss 10%: run 1 (replies lost) $r1, run 2 $r2"
got=${r1% *}
[ "$got" -ge 80 ] && [ "$got" -le 97 ] ||
    fail "loss 10%: $got of 100 replies (expected about 90)"
[ "$r1" = "$r2" ] || fail "seed 1 twice: '$r1' then '$r2'"

# 2. Delay: nothing comes back in less than 50 ms.
export RUMP_SERVER=unix://a1
rump.sysctl -q -w "$IMP.loss=0" "$IMP.delay=50" || fail "set delay"
expect_status 0 "ping with delay" rump.ping -n -c 3 -i 0.1 -w 3 198.51.100.2
expect_line "three replies" ' 3 packets received' out.txt
min=$(sed -n 's,^round-trip min/avg/max/stddev = \([0-9]*\)\..*,\1,p' out.txt)
[ -n "$min" ] && [ "$min" -ge 50 ] && [ "$min" -lt 1000 ] ||
    { cat out.txt >&2; fail "delay 50 ms: minimum round trip '$min' ms"; }
[ "$(rump.sysctl -n "$IMP.delayed")" -ge 3 ] || fail "delayed counter"
unset RUMP_SERVER

# 3. TCP through every impairment, offload on both ends.
export RUMP_SHMIF_CAPENABLE=0x7ff80
knobs=loss=2,reorder=5,dup=2,corrupt=2
RUMP_IMPAIR=$knobs,seed=11 "$TCPXFER" -s -t 60 tcp.bus 198.51.100.2/24 \
    > rx.out 2> rx.err &
rxpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $rxpid"
i=0
until grep -q "^listening" rx.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "receiver did not start: $(cat rx.err)"
	sleep 0.05
done
RUMP_IMPAIR=$knobs,seed=12 "$TCPXFER" -s -t 60 -n 2000000 tcp.bus \
    198.51.100.1/24 198.51.100.2 > tx.out 2> tx.err ||
    fail "sender failed: $(cat tx.err)"
wait $rxpid || fail "receiver failed: $(cat rx.err)"
unset RUMP_SHMIF_CAPENABLE
debug "$(cat tx.out tx.err rx.out rx.err)"
sent=$(sed -n 's/^sent \([0-9]* bytes sha256 [0-9a-f]*\)$/\1/p' tx.out)
rcvd=$(sed -n 's/^received \([0-9]* bytes sha256 [0-9a-f]*\)$/\1/p' rx.out)
[ -n "$sent" ] || fail "sender printed no hash: $(cat tx.out)"
[ "$sent" = "$rcvd" ] || fail "sent '$sent' but received '$rcvd'"
[ "${sent%% *}" = 2000000 ] || fail "sent ${sent%% *} bytes"
for c in lost reordered duplicated corrupted; do
	expect_line "sender's $c counter" "^$IMP\\.$c = [1-9]" tx.out
done
# Corrupted segments reached the receiver and failed its verification.
expect_line "receiver caught bad checksums" \
    '^net\.interfaces\.shmif0\.offload\.rx_tcpv4_bad = [1-9]' rx.out
exit 0
