#!/bin/sh
# tools_cmdline.sh -- the tools on bad command lines: usage on stderr
# and exit status 1, messages that start with the program name, no
# server or no RUMP_SERVER, and no crash (signal) on odd arguments.
#
#   [ unix://c ]
#   shmif0 198.51.100.1/24 --- lan.bus
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

TOOLS="rump.ifconfig rump.ping rump.route rump.netstat rump.arp rump.sysctl"

# Without RUMP_SERVER every tool says so and fails.
for t in $TOOLS; do
	expect_status 1 "$t without RUMP_SERVER" env -u RUMP_SERVER $t -l
	expect_line "$t names itself" "^$t: RUMP_SERVER is not set" err.txt
done

# A server that is not there: a failure, not a crash or a hang.
export RUMP_SERVER=unix://nobody
for t in "rump.ifconfig -l" "rump.netstat -rn" "rump.arp -na" \
    "rump.sysctl net.inet.ip.ttl" "rump.route -n show" \
    "rump.ping -n -c 1 -w 1 198.51.100.2"; do
	# shellcheck disable=SC2086
	$t > out.txt 2> err.txt
	rc=$?
	[ $rc -ge 1 ] && [ $rc -lt 128 ] || fail "$t without a server: exit $rc"
	[ -s err.txt ] || fail "$t without a server: no message"
done

node c shmif0 lan.bus 198.51.100.1/24
export RUMP_SERVER=unix://c

# Usage lines for unknown options, exit status 1.
for t in $TOOLS; do
	expect_status 1 "$t -Z" $t -Z
	expect_line "$t usage" "^usage: $t" err.txt
done

# Wrong values: exit 1 and a message naming the tool and the value.
expect_status 1 "ifconfig bad address" rump.ifconfig shmif0 198.51.100.300/24
expect_line "message" '^rump\.ifconfig: 198\.51\.100\.300/24: bad value' err.txt
expect_status 1 "ifconfig bad prefix" rump.ifconfig shmif0 198.51.100.1/40
expect_status 1 "ifconfig bad keyword" rump.ifconfig shmif0 frobnicate
expect_line "message" '^rump\.ifconfig: frobnicate: unknown keyword' err.txt
expect_status 1 "ifconfig missing value" rump.ifconfig shmif0 mtu
expect_line "message" '^rump\.ifconfig: mtu: missing argument$' err.txt
expect_status 1 "ifconfig bad netmask" rump.ifconfig shmif0 198.51.100.1 netmask 255.0.255.0
expect_status 1 "ifconfig bad MAC" rump.ifconfig shmif0 link b2:a0:00:00:00
expect_status 1 "ifconfig bad -w" rump.ifconfig -w soon
expect_status 1 "ifconfig long name" rump.ifconfig shmif0123456789012345 create
expect_status 1 "netstat bad family" rump.netstat -rn -f appletalk
expect_line "message" '^rump\.netstat: appletalk: unknown address family$' err.txt
expect_status 1 "netstat bad protocol" rump.netstat -s -p nosuch
expect_status 1 "ping unresolvable" rump.ping -n -c 1 no.such.host.invalid
expect_line "message" '^rump\.ping: Cannot resolve' err.txt
expect_status 1 "ping two hosts" rump.ping 198.51.100.2 198.51.100.3
expect_status 1 "ping -c 0" rump.ping -c 0 198.51.100.2
expect_status 1 "ping -c -1" rump.ping -c -1 198.51.100.2
expect_status 1 "ping -w 0" rump.ping -w 0 198.51.100.2
expect_status 1 "arp -s without MAC" rump.arp -s 198.51.100.9
expect_status 1 "arp bad host" rump.arp -n 198.51.100.999

# Odd arguments never crash a tool (exit status below 128) and leave
# the server working.
long=$(printf '%0300d' 0)
for t in $TOOLS; do
	for args in "" "-" "--" "$long" "shmif0 $long" "-a $long" \
	    "shmif0 mtu 99999999999999999999" "-w 1e9" "-n %s%s%n" \
	    "add -net" "-s" "-d" "-w =" "-w a.b.c=1" "..." ".a" "a." \
	    "-c 4294967296 198.51.100.2" "-i 0.0000001 198.51.100.2" \
	    "shmif0 inet 198.51.100.1/24 netmask" "get" "-n -a" \
	    "shmif0 linkstr" "lo0 link" "0x10" "-s 198.51.100.9 ::::::"; do
		# A ping to a host that resolves would run until stopped.
		pre=
		[ $t = rump.ping ] && pre="-w 2"
		# shellcheck disable=SC2086
		timeout 20 $t $pre $args > out.txt 2> err.txt < /dev/null
		rc=$?
		[ $rc -lt 124 ] || fail "$t $args: exit status $rc"
	done
done
expect_status 0 "server still answers" rump.ifconfig -l
expect_line "and is unchanged" '^lo0 shmif0$' out.txt

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
