#!/bin/sh
# examples_guide.sh -- the tutorial's examples keep working: each
# script runs (small sizes: 8 nodes for bus64.sh, 2 MB for the offload
# A/B, 3 s of live capture) and prints what the tutorial shows; two
# copies of examples/minimal exchange a datagram.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
PATH="$top_builddir/tools:$PATH"
RUMPNET_SH=$top_srcdir/tools/rumpnet.sh
export PATH RUMPNET_SH top_builddir
tools_setup
EX=$top_srcdir/examples

# example NAME [VAR=VALUE...]: run examples/NAME.sh, output in NAME.txt.
example()
{
	_n=$1
	shift
	env EXAMPLE_OUT="$WORKDIR/$_n-out" "$@" sh "$EX/$_n.sh" \
	    > "$_n.txt" 2>&1 || { cat "$_n.txt" >&2; fail "$_n.sh failed"; }
	debug "$(cat "$_n.txt")"
}

example two_node_lan
expect_line "three replies" '^3 packets transmitted, 3 packets received' two_node_lan.txt
expect_line "the reply on the bus" 'ICMP echo reply, id [0-9]+, seq 2' two_node_lan.txt

example routed_three_node
expect_line "IPv4 across" '^64 bytes from 203\.0\.113\.1: icmp_seq=1 ttl=63' routed_three_node.txt
expect_line "IPv6 across" '^64 bytes from 2001:db8:2::1, icmp_seq=1' routed_three_node.txt
expect_line "routed IPv4 on lan1" 'ttl 254' routed_three_node.txt
expect_line "routed IPv6 on lan1" 'hlim 63.*echo request' routed_three_node.txt

example offload_ab OFFLOAD_AB_BYTES=2000000
expect_line "A: no offload, intact" '^A +0 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +0 +yes$' offload_ab.txt
expect_line "B: TSO frames, intact" '^B +0x7ff80 +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +[1-9][0-9]* +yes$' offload_ab.txt

example bus64 BUS_NODES=8
expect_line "everybody answered" '^7 of 7 nodes answered$' bus64.txt
expect_line "seven replies on the bus" '^ +7 ICMP echo reply$' bus64.txt

example impairment
expect_line "loss with seed 1" '^50 packets transmitted, [0-9]+ packets received' impairment.txt
expect_line "delayed replies" '^time=[4-9][0-9]\.' impairment.txt
n=$(grep -c 'sha256 d35aa90cd4e7e7ea927584b49c647a6449a9e369efd81a7652eaaffbd297ca5d$' impairment.txt)
[ "$n" -eq 2 ] || fail "impairment.sh: the transfer was not intact"
expect_line "dropped as bad" 'offload\.rx_tcpv4_bad = [1-9]' impairment.txt

if command -v tshark >/dev/null 2>&1; then
	example live_wireshark LIVE_TOOL=tshark LIVE_SECONDS=3
	n=$(grep -c 'ICMP.*Echo (ping) reply' live_wireshark.txt)
	[ "$n" -ge 5 ] || { cat live_wireshark.txt >&2; fail "live: $n replies"; }
fi

# examples/minimal: a datagram there and back.
M=$top_builddir/examples/minimal
"$M" m.bus 198.51.100.2/24 > m-rx.txt 2>&1 &
mpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $mpid"
rump_wait_for grep -q '^listening' m-rx.txt || fail "minimal did not listen"
expect_status 0 "minimal sends" "$M" m.bus 198.51.100.1/24 198.51.100.2 hello
expect_line "answer" '^answer "hello"$' out.txt
wait $mpid || fail "minimal receiver failed: $(cat m-rx.txt)"
expect_line "received" '^received "hello" from 198\.51\.100\.1$' m-rx.txt
expect_status 2 "minimal usage" "$M" m.bus
exit 0
