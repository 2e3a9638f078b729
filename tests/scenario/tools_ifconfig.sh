#!/bin/sh
# tools_ifconfig.sh -- rump.ifconfig: create, linkstr, addresses
# (primary, alias, -alias, delete, netmask, broadcast), up/down and
# DETACHED, -arp, capabilities, link address, listings (-a -l -u -d
# -C -s), counters (-v -z), interfaces by index, destroy and re-create
# on a bus that carries traffic, and silence on success.
#
#   [ unix://a ]                          [ unix://b ]
#   shmif0 198.51.100.1/24 --- lan.bus --- shmif0 198.51.100.2/24
#          + aliases
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

rump_server_start unix://a || fail "start a"
export RUMP_SERVER=unix://a

# Cloned loopbacks come and go in every usual sequence.
test_create_destroy_common unix://a lo1 true || fail "lo1 create/destroy"

# A fresh server has lo0 only.
expect_status 0 "-l" rump.ifconfig -l
expect_line "lo0 only" '^lo0$' out.txt
expect_status 0 "lo0" rump.ifconfig lo0
expect_line "lo0 flags" '^lo0: flags=0x8049<UP,LOOPBACK,RUNNING,MULTICAST> mtu [0-9]+$' out.txt
expect_line "lo0 address" '^	inet 127\.0\.0\.1/8 flags 0x0$' out.txt
expect_status 0 "-C" rump.ifconfig -C
expect_line "cloners" '(^| )shmif( |$)' out.txt

# create + linkstr: silent; the status shows the bus, not UP.
expect_silent "create" rump.ifconfig shmif0 create
expect_silent "linkstr" rump.ifconfig shmif0 linkstr lan.bus
expect_status 0 "status" rump.ifconfig shmif0
expect_line "flags" '^shmif0: flags=0x[0-9a-f]+<BROADCAST,SIMPLEX,MULTICAST> mtu 1500$' out.txt
expect_no_line "not up" '<UP' out.txt
expect_line "MAC" '^	address: b2:a0(:[0-9a-f]{2}){4}$' out.txt
expect_line "linkstr" '^	linkstr: lan\.bus$' out.txt
[ "$(wc -c < lan.bus)" -eq 1048576 ] || fail "bus file is not 1 MiB"
expect_status 0 "-l" rump.ifconfig -l
expect_line "both" '^lo0 shmif0$' out.txt
expect_status 0 "-l -d" rump.ifconfig -l -d
expect_line "down ones" '^shmif0$' out.txt

# An address brings the interface up; the primary is replaced, aliases
# are added and removed.
expect_silent "address" rump.ifconfig shmif0 198.51.100.1/24
expect_silent "-w" rump.ifconfig -w 10
expect_status 0 "status" rump.ifconfig shmif0
expect_line "up and running" '^shmif0: flags=0x8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> mtu 1500$' out.txt
expect_line "inet line" '^	inet 198\.51\.100\.1/24 broadcast 198\.51\.100\.255 flags 0x0$' out.txt
expect_silent "alias" rump.ifconfig shmif0 inet 198.51.100.5/24 alias
expect_silent "netmask alias" rump.ifconfig shmif0 inet 203.0.113.1 netmask 0xffffff00 alias
expect_silent "broadcast alias" rump.ifconfig shmif0 inet 203.0.113.9 netmask 255.255.255.0 broadcast 255.255.255.255 alias
expect_silent "-w" rump.ifconfig -w 10
expect_status 0 "inet only" rump.ifconfig shmif0 inet
expect_line "alias listed" '^	inet 198\.51\.100\.5/24 ' out.txt
expect_line "netmask applied" '^	inet 203\.0\.113\.1/24 broadcast 203\.0\.113\.255 ' out.txt
expect_line "broadcast applied" '^	inet 203\.0\.113\.9/24 broadcast 255\.255\.255\.255 ' out.txt
check_route 203.0.113/24 link#2 UC shmif0 || fail "netmask route"
expect_silent "-alias" rump.ifconfig shmif0 198.51.100.5 -alias
expect_silent "delete" rump.ifconfig shmif0 inet 203.0.113.9 delete
expect_silent "delete" rump.ifconfig shmif0 inet 203.0.113.1 delete
expect_status 0 "inet only" rump.ifconfig shmif0 inet
expect_no_line "alias gone" '198\.51\.100\.5|203\.0\.113' out.txt
check_route_no_entry 203.0.113/24 || fail "netmask route left"
expect_status 1 "delete what is not there" rump.ifconfig shmif0 inet 203.0.113.1 delete
expect_line "message" '^rump\.ifconfig: SIOCDIFADDR shmif0 203\.0\.113\.1: ' err.txt

# The peer; traffic both ways.
node b shmif0 lan.bus 198.51.100.2/24
rump_wait_addresses unix://b || fail "DAD on b"
expect_status 0 "ping" rump.ping -n -q -c 1 -w 3 198.51.100.2

# Counters: -v shows them, -z shows then zeroes them.
expect_status 0 "-v" rump.ifconfig -v shmif0
expect_line "input" '^	input: [1-9][0-9]* packets?, [1-9][0-9]* bytes' out.txt
expect_line "output" '^	output: [1-9][0-9]* packets?, [1-9][0-9]* bytes' out.txt
expect_status 0 "-z" rump.ifconfig -z shmif0
expect_line "counted" '^	input: [1-9]' out.txt
expect_status 0 "-v after -z" rump.ifconfig -v shmif0
expect_line "zeroed" '^	input: 0 packets, 0 bytes$' out.txt

# down: not UP, addresses DETACHED, ping fails; up restores.
expect_silent "down" rump.ifconfig shmif0 down
expect_status 0 "status" rump.ifconfig shmif0
expect_no_line "not up" '<UP' out.txt
expect_line "detached" '^	inet 198\.51\.100\.1/24 .*flags 0x4<DETACHED>$' out.txt
expect_status 2 "ping while down" rump.ping -n -q -c 1 -w 1 198.51.100.2
expect_silent "up" rump.ifconfig shmif0 up
expect_silent "-w" rump.ifconfig -w 10
expect_status 0 "ping after up" rump.ping -n -q -c 1 -w 3 198.51.100.2

# -a, -u, -d, -s.
expect_status 0 "-a" rump.ifconfig -a
expect_line "lo0" '^lo0: ' out.txt
expect_line "shmif0" '^shmif0: ' out.txt
expect_status 0 "-a -u" rump.ifconfig -a -u
expect_line "shmif0 up" '^shmif0: ' out.txt
expect_status 0 "-a -d" rump.ifconfig -a -d
expect_no_line "nothing down" '^(lo0|shmif0): ' out.txt
expect_silent "-s" rump.ifconfig -s shmif0

# -arp: no ARP for new neighbours.
expect_silent "flush ARP" rump.arp -d -a
expect_silent "-arp" rump.ifconfig shmif0 -arp
expect_status 0 "status" rump.ifconfig shmif0
expect_line "NOARP" '<UP,BROADCAST,RUNNING,NOARP,SIMPLEX,MULTICAST>' out.txt
expect_status 2 "ping without ARP" rump.ping -n -q -c 1 -w 1 198.51.100.2
expect_status 1 "no entry" rump.arp -n 198.51.100.2
expect_silent "arp" rump.ifconfig shmif0 arp
expect_status 0 "ping with ARP" rump.ping -n -q -c 1 -w 3 198.51.100.2

# Capabilities: NetBSD's names, wrapped as NetBSD wraps them.
expect_status 0 "status" rump.ifconfig shmif0
if grep -q capabilities= out.txt; then
	expect_silent "enable" rump.ifconfig shmif0 tso4 tcp4csum ip4csum-tx
	expect_status 0 "status" rump.ifconfig shmif0
	expect_line "enabled" '^	enabled=e80<TSO4,IP4CSUM_Tx,TCP4CSUM_Rx,TCP4CSUM_Tx>$' out.txt
	expect_silent "disable" rump.ifconfig shmif0 -tso4 -tcp4csum-rx -ip4csum
	expect_status 0 "status" rump.ifconfig shmif0
	expect_line "enabled" '^	enabled=800<TCP4CSUM_Tx>$' out.txt
	expect_silent "disable" rump.ifconfig shmif0 -tcp4csum
	expect_status 0 "status" rump.ifconfig shmif0
	expect_line "none enabled" '^	enabled=0$' out.txt
fi

# The link address.
expect_silent "link" rump.ifconfig shmif0 link b2:a0:75:00:00:01
expect_status 0 "status" rump.ifconfig shmif0
expect_line "new MAC" '^	address: b2:a0:75:00:00:01$' out.txt
[ "$(get_macaddr unix://a shmif0)" = b2:a0:75:00:00:01 ] || fail "get_macaddr"

# Interfaces by index: 1 is lo0, 2 shmif0, 3 nothing.
expect_status 0 "index 2" rump.ifconfig 2
expect_line "shmif0" '^shmif0: ' out.txt
expect_status 1 "index 3" rump.ifconfig 3
expect_line "Device not configured" 'Device not configured' err.txt
expect_status 1 "no such interface" rump.ifconfig shmif9
expect_line "Device not configured" '^rump\.ifconfig: shmif9: Device not configured$' err.txt

# IPv6: listed like NetBSD's if the kernel has it, else refused clearly.
if rump.ifconfig shmif0 inet6 2001:db8::1/64 > out.txt 2> err.txt; then
	[ -s out.txt ] || [ -s err.txt ] && fail "inet6 address: output"
	expect_silent "-w" rump.ifconfig -w 10
	expect_status 0 "inet6 only" rump.ifconfig shmif0 inet6
	expect_line "inet6 line" '^	inet6 2001:db8::1/64 flags 0x0$' out.txt
	expect_no_line "inet6 only" '^	inet ' out.txt
	expect_silent "inet6 delete" rump.ifconfig shmif0 inet6 2001:db8::1 delete
	expect_status 0 "inet6 only" rump.ifconfig shmif0 inet6
	expect_no_line "deleted" '2001:db8::1/' out.txt
else
	expect_line "not supported" '^rump\.ifconfig: inet6: not supported by this kernel$' err.txt
fi
expect_status 1 "atalk" rump.ifconfig lo0 atalk
expect_line "not supported" 'not supported' err.txt

# destroy with traffic behind it, re-create the same unit, use it.
expect_silent "destroy" rump.ifconfig shmif0 destroy
expect_status 0 "-l" rump.ifconfig -l
expect_line "gone" '^lo0$' out.txt
check_route_no_entry 198.51.100/24 || fail "routes after destroy"
expect_status 1 "destroy twice" rump.ifconfig shmif0 destroy
expect_silent "re-create" rump.ifconfig shmif0 create
expect_silent "linkstr" rump.ifconfig shmif0 linkstr lan.bus
expect_silent "address" rump.ifconfig shmif0 198.51.100.1/24
expect_silent "-w" rump.ifconfig -w 10
expect_status 0 "ping after re-create" rump.ping -n -q -c 1 -w 3 198.51.100.2

# -linkstr needs the interface down.
expect_status 1 "-linkstr while up" rump.ifconfig shmif0 -linkstr
expect_line "busy" 'Device busy' err.txt
expect_silent "down" rump.ifconfig shmif0 down
expect_silent "-linkstr" rump.ifconfig shmif0 -linkstr
expect_status 0 "status" rump.ifconfig shmif0
expect_no_line "no linkstr" 'linkstr' out.txt

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
