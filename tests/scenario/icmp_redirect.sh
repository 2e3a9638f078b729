#!/bin/sh
# icmp_redirect.sh -- ICMP redirects between real nodes on a bus, as
# NetBSD's t_icmp_redirect drives them:
#
#   local 198.51.100.2 (default route via peer)
#   peer  198.51.100.1 (forwards; 203.0.113.0/24 via gw)   --- lan.bus
#   gw    198.51.100.254, 203.0.113.1 on wan.bus
#
# local's ping to 203.0.113.1 goes to peer, which forwards it back out
# of the same interface to gw: peer tells local to use gw (a host
# redirect), local gets a host route 203.0.113.1 via gw flagged UGHD,
# later pings go straight to gw, and the route goes when
# net.inet.icmp.redirtimeout runs out.  With net.inet.ip.redirect=0
# peer sends none, and a redirect forged as gw's (not the first hop)
# is counted and not followed.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

node local shmif0 lan.bus 198.51.100.2/24
node peer shmif0 lan.bus 198.51.100.1/24
node gw shmif0 lan.bus 198.51.100.254/24
rump_server_add_iface unix://gw shmif1 wan.bus || fail "gw shmif1"
env RUMP_SERVER=unix://gw rump.ifconfig shmif1 203.0.113.1/24 ||
    fail "gw shmif1 address"
env RUMP_SERVER=unix://peer rump.sysctl -q -w net.inet.ip.forwarding=1 ||
    fail "peer forwarding"
env RUMP_SERVER=unix://peer rump.route -q add -net 203.0.113.0/24 \
    198.51.100.254 || fail "peer route"
export RUMP_SERVER=unix://local
rump.route -q add default 198.51.100.1 || fail "local default route"
expect_status 0 "defaults" rump.sysctl -n net.inet.icmp.rediraccept \
    net.inet.icmp.redirtimeout
expect_line "accept" '^1$' out.txt
expect_line "600 s" '^600$' out.txt
expect_status 0 "sender default" env RUMP_SERVER=unix://peer \
    rump.sysctl -n net.inet.ip.redirect
expect_line "send" '^1$' out.txt
rump.sysctl -q -w net.inet.icmp.redirtimeout=5 || fail "redirtimeout"

# peer_forwarded: datagrams peer has forwarded so far.
peer_forwarded()
{
	env RUMP_SERVER=unix://peer rump.sysctl -n net.inet.ip.stats.forward
}

extract_new_packets lan.bus > /dev/null
expect_status 0 "first ping" rump.ping -n -c 1 -w 3 203.0.113.1
rump.netstat -rn -f inet > rt.txt
expect_line "host route from the redirect" \
    '^203\.0\.113\.1 +198\.51\.100\.254 +UGHD ' rt.txt
sleep 0.2
extract_new_packets lan.bus > bus.txt
expect_line "redirect on the wire" \
    '198\.51\.100\.1 > 198\.51\.100\.2: ICMP redirect 203\.0\.113\.1 to host 198\.51\.100\.254' \
    bus.txt
[ "$(env RUMP_SERVER=unix://peer rump.sysctl -n \
    net.inet.ip.stats.redirectsent)" -ge 1 ] || fail "redirectsent"

# Now straight to gw: peer forwards nothing more.
f0=$(peer_forwarded)
expect_status 0 "second ping" rump.ping -n -c 2 -i 0.2 -w 3 203.0.113.1
[ "$(peer_forwarded)" -eq "$f0" ] ||
    fail "peer still forwards ($f0 -> $(peer_forwarded))"

# Gone after redirtimeout (5 s), and back through peer.
sleep 6
rump.netstat -rn -f inet > rt.txt
expect_no_line "expired" '^203\.0\.113\.1 ' rt.txt

# Switched off on peer: no redirect, no route.
env RUMP_SERVER=unix://peer rump.sysctl -q -w net.inet.ip.redirect=0 ||
    fail "peer: no redirects"
expect_status 0 "ping without redirects" rump.ping -n -c 1 -w 3 \
    203.0.113.1
rump.netstat -rn -f inet > rt.txt
expect_no_line "no redirect, no route" '^203\.0\.113\.1 ' rt.txt

# A redirect that does not come from the current first hop (peer) is
# not followed, only counted: one forged as gw's, put on the bus.
PY=/usr/bin/python3
if "$PY" -c 'import scapy.all' 2>/dev/null; then
	mac=$(get_macaddr unix://local shmif0) || fail "MAC of local"
	gwmac=$(get_macaddr unix://gw shmif0) || fail "MAC of gw"
	"$PY" - "$mac" "$gwmac" <<'EOF2' || fail "cannot write forged.pcap"
import sys
from scapy.all import Ether, IP, ICMP, wrpcap
quote = IP(src="198.51.100.2", dst="203.0.113.1") / ICMP(id=1, seq=1)
wrpcap("forged.pcap", [Ether(dst=sys.argv[1], src=sys.argv[2]) /
                       IP(src="198.51.100.254", dst="198.51.100.2") /
                       ICMP(type=5, code=1, gw="198.51.100.254") /
                       bytes(quote)[:28]])
EOF2
	bad0=$(rump.sysctl -n net.inet.icmp.stats.badredirect)
	"$top_builddir/tools/shmif_pcap2bus/shmif_pcap2bus" forged.pcap \
	    lan.bus || fail "shmif_pcap2bus"
	rump_wait_for sh -c "[ \$(rump.sysctl -n \
	    net.inet.icmp.stats.badredirect) -gt $bad0 ]" ||
	    fail "the forged redirect was not counted"
	rump.netstat -rn -f inet > rt.txt
	expect_no_line "forged redirect ignored" '^203\.0\.113\.1 ' rt.txt
else
	echo "icmp_redirect: no scapy for $PY: forged redirect not tried" >&2
fi
exit 0
