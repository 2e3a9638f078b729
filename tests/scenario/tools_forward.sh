#!/bin/sh
# tools_forward.sh -- a router between two buses, configured with the
# tools: rump.sysctl turns forwarding on and off, rump.route adds the
# routes on both ends, rump.ping crosses the router; tcpdump on the far
# bus shows the TTL the router decremented, and -T 1 gets an ICMP
# time exceeded back.
#
#   [ unix://src ]                 [ unix://fwd ]                  [ unix://dst ]
#   shmif0 198.51.100.2 -- b1.bus -- shmif0 198.51.100.1
#                                    shmif1 203.0.113.1 -- b2.bus -- shmif0 203.0.113.2
#
#   src: 203.0.113.0/24 via 198.51.100.1   dst: 198.51.100.0/24 via 203.0.113.1
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node src shmif0 b1.bus 198.51.100.2/24
node fwd shmif0 b1.bus 198.51.100.1/24
rump_server_add_iface unix://fwd shmif1 b2.bus || fail "shmif1 on fwd"
env RUMP_SERVER=unix://fwd rump.ifconfig shmif1 203.0.113.1/24 ||
    fail "address on fwd shmif1"
node dst shmif0 b2.bus 203.0.113.2/24
for n in src fwd dst; do
	rump_wait_addresses unix://$n || fail "DAD on $n"
done

# Routes on both ends; rump.route says what it added.
export RUMP_SERVER=unix://src
expect_status 0 "route on src" rump.route add -net 203.0.113.0/24 198.51.100.1
expect_line "add message" '^add net 203\.0\.113\.0/24: gateway 198\.51\.100\.1$' out.txt
check_route 203.0.113/24 198.51.100.1 UGS shmif0 || fail "src route"
export RUMP_SERVER=unix://dst
expect_status 0 "route on dst" rump.route add -net 198.51.100.0/24 203.0.113.1
check_route 198.51.100/24 203.0.113.1 UGS shmif0 || fail "dst route"

# Forwarding is off by default: the router drops what is not its own.
export RUMP_SERVER=unix://fwd
expect_status 0 "read forwarding" rump.sysctl net.inet.ip.forwarding
expect_line "forwarding is off" '^net\.inet\.ip\.forwarding = 0$' out.txt
export RUMP_SERVER=unix://src
expect_status 2 "ping while not forwarding" rump.ping -n -q -c 1 -w 2 203.0.113.2
expect_line "total loss" '100\.0% packet loss' out.txt

# Forwarding on: "name: old -> new", and the read-back.
export RUMP_SERVER=unix://fwd
expect_status 0 "forwarding on" rump.sysctl -w net.inet.ip.forwarding=1
expect_line "write message" '^net\.inet\.ip\.forwarding: 0 -> 1$' out.txt
expect_status 0 "read back" rump.sysctl net.inet.ip.forwarding
expect_line "forwarding is on" '^net\.inet\.ip\.forwarding = 1$' out.txt

extract_new_packets b2.bus > /dev/null
export RUMP_SERVER=unix://src
expect_status 0 "ping across the router" rump.ping -n -c 2 -i 0.2 -w 5 203.0.113.2
expect_line "2 of 2" '^2 packets transmitted, 2 packets received, 0\.0% packet loss$' out.txt
export RUMP_SERVER=unix://dst
expect_status 0 "ping back" rump.ping -n -q -c 1 -w 5 198.51.100.2

# On b2 the request left the router with TTL 254 (ours was 255) and
# the reply entered it with the peer's TTL; tcpdump -v shows both.
"$DUMPBUS" -p - b2.bus 2>/dev/null | tcpdump -n -v -r - 2>/dev/null > b2.txt
debug "$(cat b2.txt)"
expect_line "forwarded request, TTL 254" 'ttl 254,.*proto ICMP' b2.txt
expect_line "request on b2" '198\.51\.100\.2 > 203\.0\.113\.2: ICMP echo request' b2.txt
# With a TTL of 64 the far side sees 63: one hop.
export RUMP_SERVER=unix://src
expect_status 0 "ping with TTL 64" rump.ping -n -q -c 1 -w 5 -T 64 203.0.113.2
extract_new_packets b2.bus > new.txt
"$DUMPBUS" -p - b2.bus 2>/dev/null | tcpdump -n -v -r - 2>/dev/null > b2.txt
expect_line "TTL 63 after one hop" 'ttl 63,.*proto ICMP.*' b2.txt

# TTL 1 expires at the router: ICMP time exceeded comes back.
expect_status 2 "ping with TTL 1" rump.ping -v -n -c 1 -w 3 -T 1 203.0.113.2
expect_line "time exceeded" 'bytes from 198\.51\.100\.1: Time To Live exceeded' out.txt
expect_status 0 "ping with TTL 2" rump.ping -n -q -c 1 -w 3 -T 2 203.0.113.2

# The statistics count what the router forwarded.
export RUMP_SERVER=unix://fwd
expect_status 0 "netstat -s" rump.netstat -s -p ip
expect_line "forwarded counter" '^	[1-9][0-9]* packets forwarded$' out.txt

# Forwarding off again: the path is cut.
expect_status 0 "forwarding off" rump.sysctl -w net.inet.ip.forwarding=0
expect_line "write message" '^net\.inet\.ip\.forwarding: 1 -> 0$' out.txt
export RUMP_SERVER=unix://src
expect_status 2 "ping after forwarding off" rump.ping -n -q -c 1 -w 2 203.0.113.2

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
