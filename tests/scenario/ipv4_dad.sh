#!/bin/sh
# ipv4_dad.sh -- IPv4 duplicate address detection (RFC 5227) on a real
# bus, driven as NetBSD's scripts drive it: net.inet.ip.dad_count (0
# here unless set), probes "who-has X tell 0.0.0.0" and then an
# announcement, TENTATIVE until rump.ifconfig -w says it is done, an
# address another node has shown DUPLICATED, DETACHED while down and
# checked again when up.
#
#   unix://a  shmif0 198.51.100.1 --- dad.bus --- shmif0 198.51.100.2  unix://b
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node a shmif0 dad.bus 198.51.100.1/24
node b shmif0 dad.bus 198.51.100.2/24
export RUMP_SERVER=unix://b

# Off unless asked for: addresses are usable at once.
expect_status 0 "dad_count default" rump.sysctl -n net.inet.ip.dad_count
expect_line "0" '^0$' out.txt
expect_status 0 "dad_count=2" rump.sysctl -w net.inet.ip.dad_count=2
expect_line "old -> new" '^net\.inet\.ip\.dad_count: 0 -> 2$' out.txt

# An alias is probed, TENTATIVE meanwhile, then announced.
extract_new_packets dad.bus > /dev/null
expect_silent "alias" rump.ifconfig shmif0 inet 198.51.100.3/24 alias
rump.ifconfig shmif0 > if.txt
expect_line "tentative" '198\.51\.100\.3/24 .*TENTATIVE' if.txt
expect_silent "wait" rump.ifconfig -w 10
rump.ifconfig shmif0 > if.txt
expect_no_line "ready" 'TENTATIVE' if.txt
sleep 0.2
extract_new_packets dad.bus > bus.txt
expect_line "probe" 'ethertype ARP \(0x0806\), length 42: Request who-has 198\.51\.100\.3 tell 0\.0\.0\.0, length 28' bus.txt
expect_line "announcement" 'Request who-has 198\.51\.100\.3 tell 198\.51\.100\.3, length 28' bus.txt
n=$(grep -c 'who-has 198\.51\.100\.3 tell 0\.0\.0\.0' bus.txt)
[ "$n" -eq 2 ] || fail "expected 2 probes for 198.51.100.3, saw $n"
# Nobody learnt the tentative address from a probe; now it answers.
env RUMP_SERVER=unix://a rump.arp -n 198.51.100.3 > arp.txt 2>&1 &&
    fail "a learnt 198.51.100.3 from a probe: $(cat arp.txt)"
expect_status 0 "ping the alias" env RUMP_SERVER=unix://a \
    rump.ping -n -c 1 -w 3 198.51.100.3

# a has 198.51.100.1: b's copy is a duplicate, found within a second
# or so (a answers the first probe), and never used.
expect_status 0 "duplicate" rump.ifconfig shmif0 inet 198.51.100.1/24 alias
rump_wait_for sh -c \
    'rump.ifconfig shmif0 | grep -i "198\.51\.100\.1/24 .*duplicated"' ||
    fail "198.51.100.1 not marked duplicated on b"
expect_silent "wait returns" rump.ifconfig -w 10
env RUMP_SERVER=unix://a rump.ifconfig shmif0 > a.txt
expect_no_line "a keeps it" 'DUPLICATED|TENTATIVE' a.txt
expect_status 0 "a still reachable from b" rump.ping -n -c 1 -w 3 198.51.100.1
[ "$(rump.sysctl -n net.inet.arp.stats.dadduplicated)" -eq 1 ] ||
    fail "dadduplicated is not 1"
expect_silent "delete" rump.ifconfig shmif0 inet 198.51.100.1 delete

# Down: DETACHED; up: checked again, ready after -w.
expect_silent "down" rump.ifconfig shmif0 down
rump.ifconfig shmif0 > if.txt
expect_line "detached" '198\.51\.100\.2/24 .*DETACHED' if.txt
expect_silent "up" rump.ifconfig shmif0 up
rump.ifconfig shmif0 > if.txt
expect_line "tentative again" '198\.51\.100\.2/24 .*TENTATIVE' if.txt
expect_silent "wait" rump.ifconfig -w 10
rump.ifconfig shmif0 > if.txt
expect_no_line "ready again" 'TENTATIVE|DETACHED' if.txt
expect_status 0 "b reachable" env RUMP_SERVER=unix://a \
    rump.ping -n -c 1 -w 3 198.51.100.2

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
