#!/bin/sh
# topo_run.sh -- rumpnet-topo brings examples/routed.topo up (three
# nodes, two buses, IPv4 and IPv6 through a router), runs pings on a
# node across the router in both families, reports the state, draws
# the topology (dot parses it into a PNG), and takes it down: no server
# answers and the state directory is gone.  An impair line reaches the
# interface it names.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
PATH="$top_builddir/tools:$top_builddir/tools/rump_ping6:$PATH"
RUMPNET_SH=$top_srcdir/tools/rumpnet.sh
export PATH RUMPNET_SH
tools_setup
RUMPNET_BUSDIR=$WORKDIR/state
export RUMPNET_BUSDIR
topo=$top_srcdir/examples/routed.topo
S=$RUMPNET_BUSDIR/routed

topo_cleanup()
{
	rc=$?
	rumpnet-topo down "$topo" > /dev/null 2>&1
	(exit $rc)
	tools_cleanup
}
trap topo_cleanup EXIT

expect_status 0 "check" rumpnet-topo check "$topo"
expect_line "check summary" '^routed: 3 nodes, 2 buses: ok$' out.txt
expect_status 0 "up" rumpnet-topo up "$topo"
expect_line "up summary" "^routed: up \\(3 nodes, 2 buses\\) in $S\$" out.txt
[ -f "$S/lan0.bus" ] && [ -f "$S/lan1.bus" ] || fail "no buses in $S"
expect_status 1 "up twice" rumpnet-topo up "$topo"
expect_line "already up" 'already up' err.txt

expect_status 0 "ping across" rumpnet-topo run "$topo" a \
    rump.ping -n -c 2 -w 5 203.0.113.1
expect_line "two replies, TTL 63" '^64 bytes from 203\.0\.113\.1: icmp_seq=1 ttl=63' out.txt
expect_status 0 "ping6 across" rumpnet-topo run "$topo" b \
    rump.ping6 -n -c 2 -X 5 2001:db8:1::1
expect_line "ping6 replies" ' 2 packets received' out.txt
# The pings crossed the router: both buses carried them.
rump_bus_dump "$S/lan1.bus" > lan1.txt
expect_line "lan1 saw the request" '198\.51\.100\.1 > 203\.0\.113\.1: ICMP echo request' lan1.txt
expect_status 0 "run sets RUMP_SERVER" rumpnet-topo run "$topo" r \
    sh -c 'echo $RUMP_SERVER'
expect_line "socket of r" "^unix://$S/r\\.sock\$" out.txt
expect_status 0 "forwarding on r" rumpnet-topo run "$topo" r \
    rump.sysctl -n net.inet6.ip6.forwarding
expect_line "v6 forwarding" '^1$' out.txt

expect_status 0 "status" rumpnet-topo status "$topo"
expect_line "router's second interface" \
    '^	shmif1	lan1	.*203\.0\.113\.254/24.*2001:db8:2::fe/64' out.txt

expect_status 0 "dot" rumpnet-topo dot "$topo"
expect_line "an edge" '"node:r" -- "bus:lan1" \[label="shmif1' out.txt
if command -v dot >/dev/null 2>&1; then
	expect_silent "dot to png" rumpnet-topo dot "$topo" -o routed.png
	[ "$(head -c 8 routed.png | od -An -tx1 | tr -d ' ')" = \
	    89504e470d0a1a0a ] || fail "routed.png is not a PNG"
fi

expect_status 0 "down" rumpnet-topo down "$topo"
[ ! -e "$S" ] || fail "$S left behind"
for n in a r b; do
	env RUMP_SERVER="unix://$S/$n.sock" rump.ifconfig -l >/dev/null 2>&1 &&
	    fail "server $n still answers"
done
expect_status 3 "status when down" rumpnet-topo status "$topo"
expect_line "down" '^routed: down$' out.txt
expect_status 0 "down twice" rumpnet-topo down "$topo"

# impair: the knob lands on the interface on that bus.
cat > imp.topo <<'END'
bus x
bus y
node n y=203.0.113.9/24 x=198.51.100.9/24   # shmif1 is on x
impair n x delay=20 seed=3
END
expect_status 0 "up with impair" rumpnet-topo up imp.topo
expect_status 0 "knob" rumpnet-topo run imp.topo n \
    rump.sysctl -n net.interfaces.shmif1.impair.delay
expect_line "delay on shmif1" '^20$' out.txt
expect_status 0 "down with impair" rumpnet-topo down imp.topo
exit 0
