#!/bin/sh
# tools_mtu.sh -- rump.ifconfig mtu: the status line follows, a ping
# too big for the link with DF (-D) is refused, without DF it goes out
# in fragments that the peer reassembles.
#
#   [ unix://a ]                          [ unix://b ]
#   shmif0 198.51.100.1/24 mtu 1280 --- lan.bus --- shmif0 198.51.100.2/24 mtu 1500
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node a shmif0 lan.bus 198.51.100.1/24
node b shmif0 lan.bus 198.51.100.2/24
rump_wait_addresses unix://a || fail "DAD on a"
rump_wait_addresses unix://b || fail "DAD on b"
export RUMP_SERVER=unix://a

expect_status 0 "status" rump.ifconfig shmif0
expect_line "default MTU" '^shmif0: flags=0x[0-9a-f]+<UP,.*RUNNING.*> mtu 1500$' out.txt
expect_silent "set MTU" rump.ifconfig shmif0 mtu 1280
expect_status 0 "status" rump.ifconfig shmif0
expect_line "new MTU" '^shmif0: flags=.* mtu 1280$' out.txt
expect_status 1 "MTU too small" rump.ifconfig shmif0 mtu 20
expect_line "refused" '^rump\.ifconfig: SIOCSIFMTU shmif0: Invalid argument$' err.txt
expect_status 1 "MTU not a number" rump.ifconfig shmif0 mtu 12x
expect_line "bad value" "^rump\\.ifconfig: mtu: bad value '12x'" err.txt

# 1400 data bytes + 8 + 20 = 1428 > 1280: with DF the kernel refuses.
expect_status 0 "fits with DF" rump.ping -n -q -c 1 -w 3 -s 1200 -D 198.51.100.2
extract_new_packets lan.bus > /dev/null
expect_status 2 "too big with DF" rump.ping -n -c 1 -w 2 -s 1400 -D 198.51.100.2
expect_line "EMSGSIZE" '^rump\.ping: sendto: Message too long$' err.txt
extract_new_packets lan.bus > new.txt
expect_no_line "nothing big left" 'length 1400|length 1408' new.txt

# Without DF: fragments of at most 1280 bytes of IP (1294 on the bus),
# reassembled by the peer, which answers in one piece.
expect_status 0 "too big without DF" rump.ping -n -c 1 -w 3 -s 1400 198.51.100.2
expect_line "reply" '^1408 bytes from 198\.51\.100\.2: icmp_seq=0' out.txt
"$DUMPBUS" -p - lan.bus 2>/dev/null | tcpdump -n -e -v -r - 2>/dev/null > wire.txt
extract_new_packets lan.bus > new.txt
debug "$(cat new.txt)"
expect_line "first fragment (more fragments)" 'flags \[\+\]' wire.txt
expect_line "later fragment (offset)" 'offset [1-9][0-9]*' wire.txt
expect_line "reply in one piece" 'length 1442: 198\.51\.100\.2 > 198\.51\.100\.1: ICMP echo reply' new.txt
for len in $(sed -n 's/.*b2:a0:[0-9a-f:]* > [0-9a-f:]*, ethertype IPv4 (0x0800), length \([0-9]*\): 198\.51\.100\.1 >.*/\1/p' new.txt); do
	[ "$len" -le 1294 ] || fail "frame of $len bytes from a (MTU 1280)"
done

# Back to 1500: the same ping leaves in one frame.
expect_silent "restore MTU" rump.ifconfig shmif0 mtu 1500
expect_status 0 "one piece" rump.ping -n -q -c 1 -w 3 -s 1400 -D 198.51.100.2
extract_new_packets lan.bus > new.txt
expect_line "one frame" 'length 1442: 198\.51\.100\.1 > 198\.51\.100\.2: ICMP echo request' new.txt

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
