#!/bin/sh
# ipv6_ping.sh -- two IPv6 nodes on one bus: rump.ping6 to the global
# and the link-local address (with and without zone), neighbour entries
# (rump.ndp), the frames on the bus (NS/NA, echo) with their checksums
# verified by tshark.
#
#   [ unix://a ] shmif0 2001:db8::1/64 --- v6.bus --- 2001:db8::2/64 shmif0 [ unix://b ]
set -u
. "$top_srcdir/tests/scenario/ipv6_lib.sh"
tools_setup
require tshark

v6node a shmif0 v6.bus 2001:db8::1/64
v6node b shmif0 v6.bus 2001:db8::2/64
rump_wait_addresses unix://a || fail "a: DAD"
rump_wait_addresses unix://b || fail "b: DAD"
export RUMP_SERVER=unix://a

expect_status 0 "auto_linklocal" rump.sysctl -n net.inet6.ip6.auto_linklocal
expect_line "default 1" '^1$' out.txt

expect_status 0 "ping6 global" rump.ping6 -n -c 1 -X 5 2001:db8::2
expect_line "header" '^PING6\(104=40\+8\+56 bytes\) 2001:db8::1 --> 2001:db8::2$' out.txt
expect_line "reply" '^64 bytes from 2001:db8::2, icmp_seq=0 time=' out.txt
expect_line "summary" '^--- 2001:db8::2 ping6 statistics ---$' out.txt
expect_line "loss" '^1 packets transmitted, 1 packets received, 0\.0% packet loss$' out.txt
expect_line "rtt" '^round-trip min/avg/max/std-dev = ' out.txt

expect_status 0 "ndp entry" rump.ndp -n 2001:db8::2
mac_b=$(get_macaddr unix://b shmif0)
expect_line "entry" "^2001:db8::2 +$mac_b +shmif0 " out.txt
expect_no_line "not permanent" 'permanent' out.txt
expect_status 1 "own address" rump.ndp -n 2001:db8::1
expect_line "no entry" 'no entry' err.txt

ll_b=$(get_linklocal_addr unix://b shmif0)
[ -n "$ll_b" ] || fail "no link-local address on b"
expect_status 2 "ping6 link-local without zone" rump.ping6 -n -c 1 -X 2 "$ll_b"
expect_line "no route" 'No route to host' err.txt
expect_line "loss" '100\.0% packet loss' out.txt
expect_status 0 "ping6 link-local" rump.ping6 -n -c 2 -i 0.2 -X 5 "$ll_b%shmif0"
expect_line "reply" "^64 bytes from $ll_b%shmif0, icmp_seq=1 " out.txt
expect_status 0 "ndp with zone" rump.ndp -n "$ll_b%shmif0"
expect_status 1 "ndp without zone" rump.ndp -n "$ll_b"
expect_line "no entry" 'no entry' err.txt

expect_status 2 "nobody there" rump.ping6 -n -c 1 -X 2 2001:db8::3
expect_line "loss" '100\.0% packet loss' out.txt
expect_status 0 "ping6 self" rump.ping6 -n -c 1 -X 3 2001:db8::1
expect_status 0 "ping6 ::1" rump.ping6 -n -c 1 -X 3 ::1
expect_status 0 "bigger than the MTU" rump.ping6 -n -c 1 -s 3000 -X 5 2001:db8::2
expect_line "reassembled reply" '^3008 bytes from 2001:db8::2' out.txt

expect_status 0 "ndp -a" rump.ndp -n -a
expect_line "header" '^Neighbor +Linklayer Address +Netif Expire +S Fl$' out.txt
expect_silent "ndp -s" rump.ndp -s 2001:db8::10 02:00:00:00:00:10
expect_status 0 "static" rump.ndp -n 2001:db8::10
expect_line "permanent" '^2001:db8::10 +02:00:00:00:00:10 +shmif0 permanent R' out.txt
expect_status 0 "ndp -d" rump.ndp -d 2001:db8::10
expect_line "deleted" '^2001:db8::10 \(2001:db8::10\) deleted$' out.txt
expect_status 0 "ndp -c" rump.ndp -c
expect_line "flushed" '^2001:db8::2 \(2001:db8::2\) deleted$' out.txt
# (Asking for the entry now could find it relearned: the peer may send
# its own reachability probe, an NS to us, at any time.)

# The wire: NS to the solicited-node group, NA back, echo both ways.
"$DUMPBUS" -p - v6.bus 2>/dev/null | tcpdump -n -e -r - > bus.txt 2>/dev/null
expect_line "DAD probe" ':: > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has 2001:db8::2, length 24' bus.txt
expect_line "NS" '2001:db8::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has 2001:db8::2' bus.txt
expect_line "NA" '2001:db8::2 > 2001:db8::1: ICMP6, neighbor advertisement, tgt is 2001:db8::2' bus.txt
expect_line "echo" '2001:db8::1 > 2001:db8::2: ICMP6, echo request' bus.txt
expect_line "reply" '2001:db8::2 > 2001:db8::1: ICMP6, echo reply' bus.txt
expect_line "fragment" 'frag \(0\|1448\)' bus.txt
v6check_sums v6.bus

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
