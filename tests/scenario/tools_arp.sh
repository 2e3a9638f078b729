#!/bin/sh
# tools_arp.sh -- rump.arp: the entry a ping creates carries the MAC
# that rump.ifconfig shows on the peer; static, temporary and bulk
# entries; deletion; "-- no entry" for what is not there.
#
#   [ unix://a ]                       [ unix://b ]
#   shmif0 198.51.100.1/24 --- lan.bus --- shmif0 198.51.100.2/24
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node a shmif0 lan.bus 198.51.100.1/24
node b shmif0 lan.bus 198.51.100.2/24
rump_wait_addresses unix://a || fail "DAD on a"
rump_wait_addresses unix://b || fail "DAD on b"
mac_b=$(get_macaddr unix://b shmif0)
echo "$mac_b" | grep -Eq '^b2:a0(:[0-9a-f]{2}){4}$' || fail "MAC of b: '$mac_b'"
export RUMP_SERVER=unix://a

# Nothing known yet; our own address never has an entry.
expect_status 1 "no entry before traffic" rump.arp -n 198.51.100.2
expect_line "no entry" '^rump\.arp: 198\.51\.100\.2 \(198\.51\.100\.2\) -- no entry$' err.txt
expect_status 1 "own address" rump.arp -n 198.51.100.1
expect_line "no entry" 'no entry' err.txt

# A ping resolves the peer: its MAC, on shmif0, not permanent.
expect_status 0 "ping" rump.ping -n -q -c 1 -w 3 198.51.100.2
rump_wait_for rump.arp -n 198.51.100.2 || fail "entry after ping"
expect_status 0 "arp -na" rump.arp -na
expect_line "entry" "^\\? \\(198\\.51\\.100\\.2\\) at $mac_b on shmif0\$" out.txt
expect_status 0 "arp -an" rump.arp -an
expect_line "entry" "^\\? \\(198\\.51\\.100\\.2\\) at $mac_b on shmif0\$" out.txt
expect_status 0 "arp -n IP" rump.arp -n 198.51.100.2
expect_line "entry" "^\\? \\(198\\.51\\.100\\.2\\) at $mac_b on shmif0\$" out.txt
check_route 198.51.100.2 "$mac_b" UHL shmif0 || fail "netstat row of the entry"

# The request and the reply on the wire, between the two MACs.
extract_new_packets lan.bus > new.txt
expect_line "request" 'Request who-has 198\.51\.100\.2 tell 198\.51\.100\.1, length 28' new.txt
expect_line "reply" "Reply 198\\.51\\.100\\.2 is-at $mac_b, length 28" new.txt

# Static entries: silent, permanent, UHLS; a second -s is refused.
expect_silent "arp -s" rump.arp -s 198.51.100.10 b2:a0:20:00:00:10
expect_status 0 "arp -n static" rump.arp -n 198.51.100.10
expect_line "permanent" '^\? \(198\.51\.100\.10\) at b2:a0:20:00:00:10 on shmif0 permanent$' out.txt
check_route 198.51.100.10 b2:a0:20:00:00:10 UHLS shmif0 || fail "static row"
expect_status 1 "arp -s twice" rump.arp -s 198.51.100.10 b2:a0:20:00:00:11
expect_line "File exists" '^rump\.arp: .*File exists$' err.txt
expect_silent "arp -s temp" rump.arp -s 198.51.100.11 b2:a0:20:00:00:11 temp
expect_status 0 "arp -n temp" rump.arp -n 198.51.100.11
expect_no_line "temp is not permanent" 'permanent' out.txt
check_route 198.51.100.11 b2:a0:20:00:00:11 UHL shmif0 || fail "temp row"

# -d removes one entry (and its netstat row).
expect_silent "arp -d" rump.arp -d 198.51.100.10
check_route_no_entry 198.51.100.10 || fail "deleted row"
expect_status 1 "arp -d again" rump.arp -d 198.51.100.10
expect_line "no entry" 'no entry' err.txt

# -f adds from a file; -d -a removes everything.
cat > ethers.txt <<'LIST'
# address        link address
198.51.100.20 b2:a0:20:00:00:20
198.51.100.21 b2:a0:20:00:00:21
LIST
expect_silent "arp -f" rump.arp -f ethers.txt
expect_status 0 "list after -f" rump.arp -n -a
expect_line "first" '^\? \(198\.51\.100\.20\) at b2:a0:20:00:00:20 on shmif0 permanent$' out.txt
expect_line "second" '^\? \(198\.51\.100\.21\) at b2:a0:20:00:00:21 on shmif0 permanent$' out.txt
expect_silent "arp -d -a" rump.arp -d -a
for ip in 198.51.100.2 198.51.100.11 198.51.100.20 198.51.100.21; do
	expect_status 1 "gone: $ip" rump.arp -n $ip
	expect_line "no entry" 'no entry' err.txt
done
expect_silent "empty list" rump.arp -na

# Bad command lines.
expect_status 1 "bad MAC" rump.arp -s 198.51.100.12 b2:a0:zz:00:00:01
expect_line "message names the tool" '^rump\.arp: ' err.txt
expect_status 1 "no arguments" rump.arp
expect_line "usage" '^usage: rump\.arp' err.txt
expect_status 1 "bad keyword" rump.arp -s 198.51.100.12 b2:a0:20:00:00:12 forever

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
