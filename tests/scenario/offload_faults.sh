#!/bin/sh
# offload_faults.sh -- fault injection against receivers: n1 deliberately
# corrupts the IPv4 header checksum of everything it sends
# (net.interfaces.shmif0.offload.corrupt_tx = M_CSUM_IPv4 = 64).  A
# receiver that verifies in software (n2, offload off) and one whose
# interface verifies (n3, RUMP_SHMIF_CAPENABLE=0x15500) must both drop
# the frames and count them; the counters show up in rump.netstat -s.
#
#   [ n1 .1 corrupt_tx=64 ] --- lan.bus --- [ n2 .2, offload off ]
#                                       \--- [ n3 .3, rx offload 0x15500 ]
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node n1 shmif0 lan.bus 198.51.100.1/24
node n2 shmif0 lan.bus 198.51.100.2/24
export RUMP_SHMIF_CAPENABLE=0x15500	# read by n3's rump_server
node n3 shmif0 lan.bus 198.51.100.3/24
unset RUMP_SHMIF_CAPENABLE
export RUMP_SERVER=unix://n1

# Clean frames first: both peers answer, so ARP is settled.
expect_status 0 "ping n2" rump.ping -n -c 1 -w 3 198.51.100.2
expect_status 0 "ping n3" rump.ping -n -c 1 -w 3 198.51.100.3

expect_status 0 "corrupt IPv4 header checksums" \
    rump.sysctl -q -w net.interfaces.shmif0.offload.corrupt_tx=64
expect_status 2 "n2 drops corrupted pings" rump.ping -n -c 3 -i 0.1 -w 2 198.51.100.2
expect_status 2 "n3 drops corrupted pings" rump.ping -n -c 3 -i 0.1 -w 2 198.51.100.3
expect_status 0 "count the corruption" \
    rump.sysctl -n net.interfaces.shmif0.offload.tx_corrupted
[ "$(cat out.txt)" -ge 6 ] || fail "n1 corrupted $(cat out.txt) frames, not >= 6"

# n2: software verification counts them as IP bad checksums.
RUMP_SERVER=unix://n2 expect_status 0 "n2 badsum" \
    rump.sysctl -n net.inet.ip.stats.badsum
[ "$(cat out.txt)" -ge 3 ] || fail "n2 counted $(cat out.txt) bad sums"
RUMP_SERVER=unix://n2 expect_status 0 "n2 netstat -s" rump.netstat -s
expect_line "n2 netstat -s shows them" '^[[:space:]]+[3-9][0-9]* bad header checksums$' out.txt

# n3: the interface flagged them (offload.rx_ipv4_bad) and IP dropped them.
RUMP_SERVER=unix://n3 expect_status 0 "n3 rx_ipv4_bad" \
    rump.sysctl -n net.interfaces.shmif0.offload.rx_ipv4_bad
[ "$(cat out.txt)" -ge 3 ] || fail "n3 flagged $(cat out.txt) bad headers"
RUMP_SERVER=unix://n3 expect_status 0 "n3 badsum" \
    rump.sysctl -n net.inet.ip.stats.badsum
[ "$(cat out.txt)" -ge 3 ] || fail "n3 counted $(cat out.txt) bad sums"
RUMP_SERVER=unix://n3 expect_status 0 "n3 netstat -s" rump.netstat -s
expect_line "offload section" '^offload \(shmif0\):$' out.txt
expect_line "offload counter" '^[[:space:]]+[3-9][0-9]* rx_ipv4_bad$' out.txt

# The bus really carried bad checksums (tcpdump -v says so).
bus_tcpdump lan.bus > dump.txt
expect_line "bad checksum on the wire" 'bad cksum' dump.txt

# Fault injection off: traffic flows again.
expect_status 0 "stop corrupting" \
    rump.sysctl -q -w net.interfaces.shmif0.offload.corrupt_tx=0
expect_status 0 "n3 answers again" rump.ping -n -c 1 -w 3 198.51.100.3
exit 0
