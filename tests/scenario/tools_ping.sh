#!/bin/sh
# tools_ping.sh -- rump.ping between two servers on one bus: output
# lines, summary, exit status 0 (replies) and 2 (none), own address,
# sub-second interval, -q, and what went over the wire.
#
#   [ unix://n1 ]                      [ unix://n2 ]
#   shmif0 198.51.100.1/24 --- lan.bus --- shmif0 198.51.100.2/24
#
#   198.51.100.3 is nobody: pings to it must fail with exit status 2.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node n1 shmif0 lan.bus 198.51.100.1/24
node n2 shmif0 lan.bus 198.51.100.2/24
rump_wait_addresses unix://n1 || fail "DAD on n1"
rump_wait_addresses unix://n2 || fail "DAD on n2"
export RUMP_SERVER=unix://n1

# One probe, one reply: NetBSD's lines and summary, exit 0.
expect_status 0 "ping the peer" rump.ping -n -c 1 -w 3 198.51.100.2
debug "$(cat out.txt)"
expect_line "start line" '^PING 198\.51\.100\.2 \(198\.51\.100\.2\): 56 data bytes$' out.txt
expect_line "reply line" '^64 bytes from 198\.51\.100\.2: icmp_seq=0 ttl=[0-9]+ time=[0-9]+\.[0-9]{3} ms$' out.txt
expect_line "statistics" '^----198\.51\.100\.2 PING Statistics----$' out.txt
expect_line "summary" '^1 packets transmitted, 1 packets received, 0\.0% packet loss$' out.txt
expect_line "round trip" '^round-trip min/avg/max/stddev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$' out.txt

# Several probes 0.1 s apart, quietly: only the summary.
expect_status 0 "ping -q -i 0.1" rump.ping -n -q -c 4 -i 0.1 -w 5 198.51.100.2
expect_no_line "-q prints no reply" 'bytes from' out.txt
expect_line "4 of 4" '^4 packets transmitted, 4 packets received, 0\.0% packet loss$' out.txt

# Our own address answers too (through the loopback).
expect_status 0 "ping own address" rump.ping -n -c 1 -w 3 198.51.100.1
expect_line "own reply" '^64 bytes from 198\.51\.100\.1: icmp_seq=0' out.txt

# Nobody at .3: no reply, exit status 2, -w bounds the wait.
start=$(date +%s)
expect_status 2 "ping an absent host" rump.ping -n -c 1 -w 1 198.51.100.3
end=$(date +%s)
expect_line "total loss" '^1 packets transmitted, 0 packets received, 100\.0% packet loss$' out.txt
expect_no_line "no round trip without replies" 'round-trip' out.txt
[ $((end - start)) -le 3 ] || fail "-w 1 took $((end - start)) s"

# A larger payload and the TTL we asked for, seen on the wire.
extract_new_packets lan.bus > /dev/null
expect_status 0 "ping -s 1000 -T 7" rump.ping -n -c 1 -w 3 -s 1000 -T 7 198.51.100.2
expect_line "1008 bytes back" '^1008 bytes from 198\.51\.100\.2: icmp_seq=0' out.txt
"$DUMPBUS" -p - lan.bus 2>/dev/null | tcpdump -n -v -r - 2>/dev/null > wire.txt
expect_line "TTL 7 on the wire" 'ttl 7,.*proto ICMP' wire.txt
extract_new_packets lan.bus > new.txt
expect_line "request on the bus" '198\.51\.100\.1 > 198\.51\.100\.2: ICMP echo request, id [0-9]+, seq 0, length 1008' new.txt
expect_line "reply on the bus" '198\.51\.100\.2 > 198\.51\.100\.1: ICMP echo reply, id [0-9]+, seq 0, length 1008' new.txt

# Bad command lines: exit status 1 and a usage or a message naming us.
expect_status 1 "no host" rump.ping -n
expect_line "usage" '^usage: rump\.ping' err.txt
expect_status 1 "bad count" rump.ping -c abc 198.51.100.2
expect_line "message names the tool" '^rump\.ping: -c: bad value' err.txt
expect_status 1 "bad interval" rump.ping -i 0 198.51.100.2
expect_status 1 "bad ttl" rump.ping -T 256 198.51.100.2
expect_status 1 "bad size" rump.ping -s 70000 198.51.100.2
expect_status 1 "bad source" rump.ping -I 198.51.100 198.51.100.2

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
