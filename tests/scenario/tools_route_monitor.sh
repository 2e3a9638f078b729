#!/bin/sh
# tools_route_monitor.sh -- rump.route monitor, with the message
# patterns of NetBSD's arp/route tests:
#
#   [ unix://n1 ] 198.51.100.1 --- lan.bus --- 198.51.100.2 [ unix://n2 ]
#
# A neighbour resolved: RTM_MISS <DONE> "addr link#2", then RTM_ADD
# <UP,HOST,DONE,LLINFO,CLONED> "addr MAC"; rump.arp -d: RTM_DELETE
# <HOST,DONE,LLINFO,CLONED>; no route at all: RTM_MISS with only <DST>;
# route add, change and delete: RTM_ADD, RTM_CHANGE, RTM_DELETE with
# <DST,GATEWAY,NETMASK>; IPv6 neighbours as IPv4 ones; -c COUNT stops
# after COUNT messages.
set -u
. "$top_srcdir/tests/scenario/ipv6_lib.sh"
tools_setup

for n in 1 2; do
	rump_server_start "unix://n$n" netinet6 || fail "start n$n"
	rump_server_add_iface "unix://n$n" shmif0 lan.bus || fail "n$n shmif0"
	env RUMP_SERVER="unix://n$n" rump.ifconfig shmif0 "198.51.100.$n/24" ||
	    fail "n$n address"
	env RUMP_SERVER="unix://n$n" rump.ifconfig shmif0 inet6 \
	    "2001:db8::$n/64" || fail "n$n inet6 address"
done
rump_wait_addresses unix://n1 || fail "DAD on n1"
rump_wait_addresses unix://n2 || fail "DAD on n2"
export RUMP_SERVER=unix://n1
mac2=$(get_macaddr unix://n2 shmif0) || fail "MAC of n2"

# A monitor that keeps running; it hears nothing from before it asked,
# so a marker (a host route added and deleted) is repeated until it
# shows: from then on it hears everything.
rump.route -n monitor > mon.txt 2> mon.err &
mpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $mpid"
i=0
until grep -q '^ 203\.0\.113\.250 ' mon.txt 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "the monitor hears nothing: $(cat mon.err)"
	rump.route -q add -host 203.0.113.250 198.51.100.2 || fail "marker"
	rump.route -q delete -host 203.0.113.250 || fail "marker delete"
	sleep 0.1
done

# wait_msg REGEX: until a line of the monitor's output matches.
wait_msg()
{
	rump_wait_for grep -Eq -- "$1" mon.txt || {
		cat mon.txt >&2
		fail "the monitor never printed '$1'"
	}
}

expect_status 0 "ping n2" rump.ping -n -c 1 -w 3 198.51.100.2
wait_msg "^ 198\\.51\\.100\\.2 $mac2\$"
expect_line "miss while resolving" \
    '^RTM_MISS: Lookup failed on this address: len [0-9]+, pid: [0-9]+, seq [0-9]+, errno 0, flags:<DONE>$' \
    mon.txt
expect_line "on link#2" '^ 198\.51\.100\.2 link#2$' mon.txt
expect_line "neighbour added" \
    '^RTM_ADD: Add Route: .*flags:<UP,HOST,DONE,LLINFO,CLONED>$' mon.txt
expect_line "addresses" '^sockaddrs: <DST,GATEWAY>$' mon.txt

# IPv6 neighbours the same way (NetBSD's ndp_rtm).
expect_status 0 "ping6 n2" rump.ping6 -n -c 1 -X 3 2001:db8::2
wait_msg "^ 2001:db8::2 $mac2\$"
expect_line "IPv6 miss while resolving" '^ 2001:db8::2 link#2$' mon.txt

expect_silent "arp -d" rump.arp -d 198.51.100.2
wait_msg '^RTM_DELETE: Delete Route: .*flags:<HOST,DONE,LLINFO,CLONED>$'

expect_status 2 "no route" rump.ping -n -c 1 -w 1 203.0.113.9
wait_msg '^ 203\.0\.113\.9$'
grep -B3 '^ 203\.0\.113\.9$' mon.txt > miss.txt
expect_line "off-link miss" '^RTM_MISS: .*flags:<DONE>$' miss.txt
expect_line "only the destination" '^sockaddrs: <DST>$' miss.txt

rump.route -q add -net 203.0.113.0/24 198.51.100.2 || fail "route add"
rump.route -q change -net 203.0.113.0/24 198.51.100.2 -reject ||
    fail "route change"
rump.route -q delete -net 203.0.113.0/24 || fail "route delete"
wait_msg '^RTM_DELETE: Delete Route: .*flags:<GATEWAY,REJECT,DONE,STATIC>$'
expect_line "route added" \
    '^RTM_ADD: Add Route: .*flags:<UP,GATEWAY,DONE,STATIC>$' mon.txt
expect_line "route changed" \
    '^RTM_CHANGE: Change Metrics or flags: .*flags:<UP,GATEWAY,REJECT,DONE,STATIC>$' \
    mon.txt
expect_line "with its mask" '^ 203\.0\.113\.0 198\.51\.100\.2 255\.255\.255\.0$' \
    mon.txt
expect_line "three addresses" '^sockaddrs: <DST,GATEWAY,NETMASK>$' mon.txt
kill "$mpid"
wait "$mpid" 2>/dev/null

# -c: that many messages, then exit 0.
rump.route -n monitor -c 2 > two.txt 2>&1 &
cpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $cpid"
i=0
while kill -0 "$cpid" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "monitor -c 2 did not stop: $(cat two.txt)"
	rump.route -q add -host 203.0.113.251 198.51.100.2
	rump.route -q delete -host 203.0.113.251
	sleep 0.1
done
wait "$cpid" || fail "monitor -c 2: exit $?: $(cat two.txt)"
[ "$(grep -c '^got message' two.txt)" -eq 2 ] ||
    fail "monitor -c 2 printed $(grep -c '^got message' two.txt) messages"

expect_status 1 "bad count" rump.route monitor -c x
expect_line "says so" 'monitor: -c x: bad count' err.txt
exit 0
