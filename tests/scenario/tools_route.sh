#!/bin/sh
# tools_route.sh -- rump.route add/change/get/delete/flush/show: the
# messages scripts look for, the netstat flag letters, "route get"'s
# block, and the errors ("File exists", "unreachable", "not in table").
#
#   [ unix://r1 ]
#   shmif0 198.51.100.1/24 --- lan.bus      (198.51.100.254 = router,
#                                            never present: routes only)
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node r1 shmif0 lan.bus 198.51.100.1/24
rump_wait_addresses unix://r1 || fail "DAD"
export RUMP_SERVER=unix://r1

# The table after an address: local host route on lo0, connected net.
check_route 198.51.100.1 link#2 UHl lo0 || fail "local route"
check_route 198.51.100/24 link#2 UC shmif0 || fail "connected route"
check_route 127.0.0.1 lo0 UHl lo0 || fail "loopback route"

# add: default, host and net routes; flags UGS, UGHS.
expect_status 0 "add default" rump.route add default 198.51.100.254
expect_line "message" '^add net default: gateway 198\.51\.100\.254$' out.txt
check_route default 198.51.100.254 UGS shmif0 || fail "default"
check_route_flags default UGS || fail "check_route_flags"
check_route_gw default 198.51.100.254 || fail "check_route_gw"
if check_route_gw default 198.51.100.253 2>/dev/null; then
	fail "check_route_gw matched the wrong gateway"
fi
expect_status 0 "add host" rump.route add 203.0.113.1 198.51.100.254
expect_line "message" '^add host 203\.0\.113\.1: gateway 198\.51\.100\.254$' out.txt
check_route 203.0.113.1 198.51.100.254 UGHS shmif0 || fail "host route"
expect_status 0 "add net" rump.route add -net 203.0.113.0/24 198.51.100.254
expect_line "message" '^add net 203\.0\.113\.0/24: gateway 198\.51\.100\.254$' out.txt
check_route 203.0.113/24 198.51.100.254 UGS shmif0 || fail "net route"
expect_status 0 "add net with netmask" \
    rump.route -q add -net 203.0.113.128 198.51.100.254 -netmask 255.255.255.128
check_route 203.0.113.128/25 198.51.100.254 UGS shmif0 || fail "netmask route"
expect_status 0 "add interface route" \
    rump.route add -net 203.0.113.64/26 -iface shmif0
expect_line "message" '^add net 203\.0\.113\.64/26: gateway shmif0$' out.txt
check_route 203.0.113.64/26 link#2 "" shmif0 || fail "interface route"

# Errors: the same route again, a gateway that is not on a link.
expect_status 1 "add twice" rump.route add -net 203.0.113.0/24 198.51.100.254
expect_line "File exists" '^rump\.route: add net 203\.0\.113\.0/24: gateway 198\.51\.100\.254: File exists$' err.txt
expect_status 1 "unreachable gateway" rump.route add -host 203.0.113.99 203.0.113.5
expect_line "unreachable" 'unreachable' err.txt

# route get: NetBSD's block, checked line by line (the last line, the
# metrics values, is left out as the NetBSD tests do).
expect_status 0 "get remote" rump.route -n get 203.0.113.200
sed '$d' out.txt > got.txt
cat > want.txt <<'WANT'
   route to: 203.0.113.200
destination: 203.0.113.128
       mask: 255.255.255.128
    gateway: 198.51.100.254
 local addr: 198.51.100.1
  interface: shmif0
      flags: 0x843<UP,GATEWAY,DONE,STATIC>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
WANT
diff want.txt got.txt >&2 || fail "route get via a net route"
expect_status 0 "get own address" rump.route -n get 198.51.100.1
sed '$d' out.txt > got.txt
cat > want.txt <<'WANT'
   route to: 198.51.100.1
destination: 198.51.100.1
 local addr: 198.51.100.1
  interface: lo0
      flags: 0x40045<UP,HOST,DONE,LOCAL>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
WANT
diff want.txt got.txt >&2 || fail "route get own address"
expect_status 0 "get on-link" rump.route -n get 198.51.100.7
sed '$d' out.txt > got.txt
cat > want.txt <<'WANT'
   route to: 198.51.100.7
destination: 198.51.100.0
       mask: 255.255.255.0
 local addr: 198.51.100.1
  interface: shmif0
      flags: 0x141<UP,DONE,CONNECTED>
 recvpipe  sendpipe  ssthresh  rtt,msec    rttvar  hopcount      mtu     expire
WANT
diff want.txt got.txt >&2 || fail "route get on-link"

# change: the gateway, then reject (UGRS: sends fail with "No route to
# host"), then back.
expect_status 0 "change gateway" rump.route change default 198.51.100.253
expect_line "message" '^change net default: gateway 198\.51\.100\.253$' out.txt
check_route default 198.51.100.253 UGS shmif0 || fail "changed gateway"
expect_status 0 "change to reject" rump.route change -host 203.0.113.1 198.51.100.254 -reject
check_route 203.0.113.1 198.51.100.254 UGHRS shmif0 || fail "reject flag"
expect_status 2 "ping a rejected route" rump.ping -n -c 1 -w 1 203.0.113.1
expect_line "No route to host" '^rump\.ping: sendto: No route to host$' err.txt
expect_status 0 "change to no reject" rump.route change -host 203.0.113.1 198.51.100.254
check_route 203.0.113.1 198.51.100.254 UGHS shmif0 || fail "reject cleared"

# A blackhole swallows packets silently.
expect_status 0 "blackhole" rump.route add -host 203.0.113.2 127.0.0.1 -blackhole
check_route 203.0.113.2 127.0.0.1 UGHBS lo0 || fail "blackhole flags"
expect_status 2 "ping into the blackhole" rump.ping -n -c 1 -w 1 203.0.113.2
[ -s err.txt ] && { cat err.txt >&2; fail "blackhole: error reported"; }

# delete, and the errors for what is not there.
expect_status 0 "delete net" rump.route delete -net 203.0.113.0/24
expect_line "message" '^delete net 203\.0\.113\.0/24$' out.txt
check_route_no_entry 203.0.113/24 || fail "deleted route"
expect_status 1 "delete again" rump.route delete -net 203.0.113.0/24
expect_line "not in table" 'not in table' err.txt

# show prints the same table as netstat -rn.
expect_status 0 "show" rump.route -n show
mv out.txt show.txt
rump.netstat -rn > netstat.txt
diff show.txt netstat.txt >&2 || fail "route show differs from netstat -rn"
expect_line "show -inet" '^Internet:$' show.txt

# flush: every static route goes, local and connected ones stay.
expect_status 0 "flush" rump.route flush
check_route_no_entry default || fail "default after flush"
check_route_no_entry 203.0.113.1 || fail "host route after flush"
check_route 198.51.100/24 link#2 UC shmif0 || fail "connected route flushed"
expect_status 1 "get after flush" rump.route -n get 203.0.113.200
expect_line "not in table" '^rump\.route: get 203\.0\.113\.200: not in table$' err.txt

# Bad command lines.
expect_status 1 "no command" rump.route
expect_line "usage" '^usage: rump\.route' err.txt
expect_status 1 "bad command" rump.route frobnicate
expect_status 1 "bad destination" rump.route add -net 203.0.113.0/33 198.51.100.254
expect_status 1 "bad gateway" rump.route add -net 203.0.113.0/24 nowhere0
expect_status 1 "bad netmask" rump.route add -net 203.0.113.0 198.51.100.254 -netmask 255.0.255.0
expect_status 1 "monitor with junk" rump.route monitor -x
expect_line "usage" '^usage: rump\.route' err.txt

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
