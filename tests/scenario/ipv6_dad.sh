#!/bin/sh
# ipv6_dad.sh -- duplicate address detection on a real bus: the probe
# (NS from :: to the solicited-node group, 78-byte frame), no NA after
# it, net.inet6.ip6.dad_count probes, and an address another node
# already has shown DUPLICATED.
set -u
. "$top_srcdir/tests/scenario/ipv6_lib.sh"
tools_setup

v6node a shmif0 dad.bus 2001:db8::1/64
rump_wait_addresses unix://a || fail "a: DAD"
rump_server_start unix://b netinet6 || fail "start b"
rump_server_add_iface unix://b shmif0 dad.bus || fail "b shmif0"
export RUMP_SERVER=unix://b

expect_status 0 "dad_count default" rump.sysctl -n net.inet6.ip6.dad_count
expect_line "1" '^1$' out.txt
expect_silent "address" rump.ifconfig shmif0 inet6 2001:db8::2/64
expect_silent "wait" rump.ifconfig -w 10
"$DUMPBUS" -p - dad.bus 2>/dev/null | tcpdump -n -e -r - > bus.txt 2>/dev/null
expect_line "probe" '> 33:33:ff:00:00:02, ethertype IPv6 \(0x86dd\), length 78: :: > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has 2001:db8::2, length 24' bus.txt
expect_no_line "no NA after DAD" 'neighbor advertisement, tgt is 2001:db8::2' bus.txt

# Eight probes when asked for.
expect_status 0 "dad_count=8" rump.sysctl -w net.inet6.ip6.dad_count=8
expect_silent "address" rump.ifconfig shmif0 inet6 2001:db8::3/64 alias
expect_silent "wait" rump.ifconfig -w 15
n=$("$DUMPBUS" -p - dad.bus 2>/dev/null | tcpdump -n -r - 2>/dev/null |
    grep -c 'who has 2001:db8::3,')
[ "$n" -eq 8 ] || fail "expected 8 probes for 2001:db8::3, saw $n"
expect_status 0 "dad_count=1" rump.sysctl -w net.inet6.ip6.dad_count=1

# a has 2001:db8::1: b's copy is a duplicate.
expect_status 0 "duplicate" rump.ifconfig shmif0 inet6 2001:db8::1/64 alias
rump_wait_for sh -c 'rump.ifconfig shmif0 inet6 | grep -i "2001:db8::1/64.*DUPLICATED"' ||
    fail "2001:db8::1 not marked duplicated"
env RUMP_SERVER=unix://a rump.ifconfig shmif0 inet6 > a.txt
expect_no_line "a keeps it" 'DUPLICATED' a.txt
expect_status 0 "a still reachable" rump.ping6 -n -c 1 -X 5 2001:db8::1
env RUMP_SERVER=unix://a rump.ndp -n 2001:db8::2 > /dev/null ||
    fail "a never heard of b"

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
