#!/bin/sh
# two_node.sh -- two processes, each with its own kernel, on one bus:
# ICMP echo and UDP echo, then the bus is dumped and checked with tcpdump.
#
#   [ pingpeer 198.51.100.1 ] --- bus --- [ pingpeer 198.51.100.2 ]
#        sends 3 pings + 3 UDP            answers, echoes UDP port 7
set -u
. "$top_srcdir/tests/scenario/common.sh"
require tcpdump
scenario_setup

background "$PINGPEER" -t 30 lan.bus 198.51.100.2/24
wait_for_file lan.bus

"$PINGPEER" -c 3 lan.bus 198.51.100.1/24 198.51.100.2 > out.txt 2> err.txt ||
    { cat out.txt err.txt >&2; fail "pingpeer did not get every reply"; }
debug "$(cat out.txt)"
grep -q '^3 packets transmitted, 3 received$' out.txt || fail "ping summary"
grep -q '^3 datagrams sent, 3 echoed$' out.txt || fail "udp summary"

bus_tcpdump lan.bus > dump.txt
debug "$(cat dump.txt)"
# ARP: the pinger asked, the peer answered.
grep -q 'Request who-has 198.51.100.2 tell 198.51.100.1' dump.txt ||
    fail "no ARP request on the bus"
grep -q 'Reply 198.51.100.2 is-at b2:a0:' dump.txt || fail "no ARP reply"
# Three echo requests and three replies, three datagrams each way.
n=$(grep -c '198.51.100.1 > 198.51.100.2: ICMP echo request' dump.txt)
[ "$n" -eq 3 ] || fail "expected 3 echo requests, saw $n"
n=$(grep -c '198.51.100.2 > 198.51.100.1: ICMP echo reply' dump.txt)
[ "$n" -eq 3 ] || fail "expected 3 echo replies, saw $n"
n=$(grep -c '198.51.100.2.7 > 198.51.100.1.[0-9]*: \[udp sum ok\] UDP' dump.txt)
[ "$n" -eq 3 ] || fail "expected 3 UDP echoes with good checksums, saw $n"
# Every checksum on the wire is right; every frame is an Ethernet frame
# of at most 1514 bytes.
if grep -Eq 'incorrect|bad udp cksum|bad cksum' dump.txt; then
	fail "bad checksum on the bus"
fi
nframes=0
for hex in $("$DUMPBUS" lan.bus | sed -n 's/.*length 0x\([0-9a-fA-F]*\),.*/\1/p'); do
	len=$((0x$hex))
	[ "$len" -ge 14 ] && [ "$len" -le 1514 ] ||
	    fail "frame of $len bytes on the bus"
	nframes=$((nframes + 1))
done
[ "$nframes" -ge 14 ] || fail "only $nframes frames on the bus"
exit 0
