#!/bin/sh
# ipv6_forward.sh -- a routed IPv6 network of three nodes:
#
#   [src] 2001:db8:1::2 --- b1.bus --- 2001:db8:1::1 [fwd] 2001:db8:2::1 --- b2.bus --- 2001:db8:2::2 [dst]
#
# Forwarding off: unreachable; on: ping6 both ways; hop limit 1 gives
# "Time to live exceeded" from the router; a big echo crosses a
# 1280-byte link through fragmentation at the source after Packet Too
# Big (path MTU discovery); UDP checksums and ICMPv6 checksums on both
# buses verified by tshark.
set -u
. "$top_srcdir/tests/scenario/ipv6_lib.sh"
tools_setup
require tshark

v6node src shmif0 b1.bus 2001:db8:1::2/64
v6node fwd shmif0 b1.bus 2001:db8:1::1/64
rump_server_add_iface unix://fwd shmif1 b2.bus || fail "fwd shmif1"
env RUMP_SERVER=unix://fwd rump.ifconfig shmif1 inet6 2001:db8:2::1/64 ||
    fail "fwd shmif1 address"
v6node dst shmif0 b2.bus 2001:db8:2::2/64
for n in src fwd dst; do
	rump_wait_addresses unix://$n || fail "$n: DAD"
done
env RUMP_SERVER=unix://src rump.route add -inet6 default 2001:db8:1::1 \
    > /dev/null || fail "src default route"
env RUMP_SERVER=unix://dst rump.route add -inet6 default 2001:db8:2::1 \
    > /dev/null || fail "dst default route"

export RUMP_SERVER=unix://src
expect_status 2 "forwarding off" rump.ping6 -q -n -c 1 -X 3 2001:db8:2::2
env RUMP_SERVER=unix://fwd rump.sysctl -w net.inet6.ip6.forwarding=1 > fw.txt
expect_line "0 -> 1" 'net.inet6.ip6.forwarding: 0 -> 1' fw.txt
expect_status 0 "ping6 through" rump.ping6 -q -n -c 1 -X 5 2001:db8:2::2
expect_status 0 "and back" env RUMP_SERVER=unix://dst rump.ping6 -q -n -c 1 -X 5 2001:db8:1::2
expect_status 2 "hop limit 1" rump.ping6 -v -n -c 1 -h 1 -X 3 2001:db8:2::2
expect_line "time exceeded" 'Time to live exceeded' out.txt
expect_status 0 "hop limit 2" rump.ping6 -n -c 1 -h 2 -X 5 2001:db8:2::2

# A narrow second link: Packet Too Big, then fragments from the source.
expect_silent "mtu 1280" env RUMP_SERVER=unix://fwd rump.ifconfig shmif1 mtu 1280
expect_silent "mtu 1280 dst" env RUMP_SERVER=unix://dst rump.ifconfig shmif0 mtu 1280
expect_status 0 "big ping6" rump.ping6 -n -c 3 -i 0.3 -s 1400 -X 8 2001:db8:2::2
expect_line "some replies" '^1408 bytes from 2001:db8:2::2' out.txt
"$DUMPBUS" -p - b1.bus 2>/dev/null | tcpdump -n -r - > b1.txt 2>/dev/null
expect_line "PTB" 'ICMP6, packet too big, mtu 1280' b1.txt
"$DUMPBUS" -p - b2.bus 2>/dev/null | tcpdump -n -e -r - > b2.txt 2>/dev/null
expect_no_line "nothing over 1294 on b2" 'length (1[3-9][0-9][0-9]|2[0-9]{3}):' b2.txt
v6check_sums b1.bus
v6check_sums b2.bus

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
