#!/bin/sh
# tools_inet6.sh -- the tools on IPv6 (skipped when the kernel has no
# IPv6): rump.ifconfig's inet6 lines (link-local with its zone and
# scopeid), rump.netstat -rn -f inet6, rump.route with zones
# ("not in table" without one), get_linklocal_addr.
#
#   [ unix://a ]
#   shmif0 2001:db8::1/64 (+ fe80::...%shmif0) --- lan.bus
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

rump_server_start unix://a netinet6 || fail "start a"
rump_server_add_iface unix://a shmif0 lan.bus || fail "shmif0"
export RUMP_SERVER=unix://a
if ! rump.ifconfig shmif0 inet6 2001:db8::1/64 > out.txt 2> err.txt; then
	grep -q 'inet6: not supported by this kernel' err.txt ||
	    fail "inet6 refused without a clear message: $(cat err.txt)"
	echo "SKIP: the kernel has no IPv6" >&2
	exit 77
fi
[ -s out.txt ] || [ -s err.txt ] && fail "inet6 address: output"
expect_silent "-w" rump.ifconfig -w 10

ll=$(get_linklocal_addr unix://a shmif0)
echo "$ll" | grep -Eq '^fe80::[0-9a-f:]+$' || fail "link-local address '$ll'"
expect_status 0 "status" rump.ifconfig shmif0
expect_line "global" '^	inet6 2001:db8::1/64 flags 0x0$' out.txt
expect_line "link-local" "^	inet6 $ll%shmif0/64 flags 0x0 scopeid 0x2\$" out.txt
expect_status 0 "lo0" rump.ifconfig lo0 inet6
expect_line "loopback" '^	inet6 ::1/128 flags 0x20<NODAD>$' out.txt

expect_status 0 "netstat" rump.netstat -rn -f inet6
expect_line "section" '^Internet6:$' out.txt
expect_no_line "inet6 only" '^Internet:$' out.txt
check_route 2001:db8::/64 link#2 UC shmif0 || fail "connected route"
check_route "fe80::%shmif0/64" link#2 UC shmif0 || fail "link-local route"

# Zones: a link-local destination needs one.
expect_status 1 "get without zone" rump.route -n get -inet6 "$ll"
expect_line "not in table" 'not in table' err.txt
expect_status 0 "get with zone" rump.route -n get -inet6 "$ll%shmif0"
expect_line "route to" "^   route to: $ll%shmif0\$" out.txt
expect_status 0 "default via link-local" rump.route add -inet6 default fe80::1%shmif0
expect_line "message" '^add net default: gateway fe80::1%shmif0$' out.txt
check_route default "fe80::1%shmif0" UGS shmif0 || fail "default route"
expect_status 0 "get remote" rump.route -n get -inet6 2001:db8:1::5
expect_line "via default" '^destination: default$' out.txt
expect_line "gateway" '^    gateway: fe80::1%shmif0$' out.txt
expect_status 0 "delete" rump.route delete -inet6 default
check_route_no_entry default || fail "default left"

# Addresses come and go.
expect_silent "alias" rump.ifconfig shmif0 inet6 2001:db8::5 prefixlen 70 alias
expect_status 0 "status" rump.ifconfig shmif0 inet6
expect_line "prefixlen" '^	inet6 2001:db8::5/70 ' out.txt
check_route 2001:db8::/70 link#2 UC shmif0 || fail "/70 route"
expect_silent "delete" rump.ifconfig shmif0 inet6 2001:db8::5 delete
expect_status 0 "status" rump.ifconfig shmif0 inet6
expect_no_line "gone" '2001:db8::5' out.txt

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
