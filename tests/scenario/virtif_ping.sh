#!/bin/sh
# virtif_ping.sh -- the virt interface against the real Linux stack:
# pings both ways through a host tap (IPv4 and IPv6), checksums on the
# tap (and corrupted ones that Linux drops), linkstr errors, counted
# drops of oversized frames, the host deleting the tap, the tap's
# lifetime, and clear errors without /dev/net/tun or without the right
# to use it.
#
#   namespace rn-virt-PID
#   +--------------------------------------------------------------+
#   | Linux stack                       rump_server unix://node     |
#   | rntap0 198.51.100.1/24 <--tap--> virt0 198.51.100.2/24        |
#   |    tcpdump -i rntap0                                          |
#   +--------------------------------------------------------------+
#   rump.* tools run outside the namespace, over the unix socket.
. "$top_srcdir/tests/scenario/virtif_lib.sh"

require ping
virtif_setup
PATH="$top_builddir/tools/rump_ping6:$PATH"
export RUMP_SERVER=unix://node

# linkstr refuses bad tap names before touching the host.
rump_server_start unix://node virtif netinet6 || fail "cannot start server"
expect_silent "create" rump.ifconfig virt0 create
expect_status 1 "bad name" rump.ifconfig virt0 linkstr bad/name
expect_line "bad name" 'SIOCSLINKSTR virt0: Invalid argument' err.txt
expect_status 1 "long name" rump.ifconfig virt0 linkstr abcdefghijklmnop
expect_line "long name" 'SIOCSLINKSTR virt0: File name too long' err.txt
expect_status 1 "no linkstr yet" rump.ifconfig virt0 -linkstr
expect_line "no linkstr yet" 'No such file or directory' err.txt

# Attach: the server creates the tap in the namespace.
expect_silent "linkstr" rump.ifconfig virt0 linkstr rntap0
nsexec ip link show rntap0 > link.txt 2>&1 || fail "no rntap0: $(cat link.txt)"
expect_status 0 "show" rump.ifconfig virt0
expect_line "linkstr shown" 'linkstr: rntap0' out.txt
expect_status 1 "second linkstr" rump.ifconfig virt0 linkstr rntap1
expect_line "second linkstr" 'SIOCSLINKSTR virt0: Device busy' err.txt
expect_silent "address" rump.ifconfig virt0 198.51.100.2/24
nsexec ip addr add 198.51.100.1/24 dev rntap0 || fail "address on rntap0"
nsexec ip link set rntap0 up || fail "rntap0 up"

# Linux pings the rump node, the rump node pings Linux; captured.
capture_start rntap0 ping.pcap
nsexec ping -c 3 -i 0.2 -W 2 198.51.100.2 > lping.txt 2>&1 ||
    fail "Linux ping: $(cat lping.txt)"
expect_line "Linux ping" '3 packets transmitted, 3 received' lping.txt
expect_status 0 "rump.ping" rump.ping -c 3 -i 0.2 -w 5 198.51.100.1
expect_line "rump.ping" '3 packets transmitted, 3 packets received' out.txt
capture_stop

# On the tap: three echo requests each way, each answered, every IPv4
# and ICMP checksum valid (tshark: 1 good, 0 bad).
tshark -n -r ping.pcap -o ip.check_checksum:TRUE -Y icmp -T fields \
    -E separator=/t -e ip.src -e ip.dst -e icmp.type \
    -e ip.checksum.status -e icmp.checksum.status > icmp.txt 2>/dev/null ||
    fail "tshark could not read ping.pcap"
debug "$(cat icmp.txt)"
for dir in "198.51.100.1	198.51.100.2	8" "198.51.100.2	198.51.100.1	0" \
    "198.51.100.2	198.51.100.1	8" "198.51.100.1	198.51.100.2	0"; do
	n=$(grep -c "^$dir	" icmp.txt)
	[ "$n" -eq 3 ] || fail "want 3 ICMP '$dir' on the tap, got $n"
done
bad=$(awk -F'\t' '$4 != "1" || $5 != "1"' icmp.txt | wc -l)
[ "$bad" -eq 0 ] || fail "$bad ICMP frames with a bad or unchecked checksum"

# IPv6 too: neighbour discovery and echo both ways over the tap.
expect_silent "inet6" rump.ifconfig virt0 inet6 2001:db8::2/64
nsexec ip -6 addr add 2001:db8::1/64 dev rntap0 nodad ||
    fail "IPv6 address on rntap0"
expect_silent "DAD" rump.ifconfig -w 10
nsexec ping -6 -c 2 -i 0.2 -W 2 2001:db8::2 > lping6.txt 2>&1 ||
    fail "Linux ping -6: $(cat lping6.txt)"
expect_line "Linux ping -6" '2 packets transmitted, 2 received' lping6.txt
expect_status 0 "rump.ping6" rump.ping6 -n -c 2 -i 0.2 -X 5 2001:db8::1
expect_line "rump.ping6" '2 packets transmitted, 2 packets received' out.txt

# Fault injection (offload.corrupt_tx = M_CSUM_IPv4 = 64): the rump
# node's replies leave with a spoilt IPv4 header checksum, Linux drops
# them, and the capture shows them bad -- the checks above can fail.
expect_silent "corrupt on" \
    rump.sysctl -q -w net.interfaces.virt0.offload.corrupt_tx=64
capture_start rntap0 corrupt.pcap
nsexec ping -c 2 -i 0.2 -W 1 198.51.100.2 > bad.txt 2>&1 &&
    fail "Linux accepted corrupted replies: $(cat bad.txt)"
capture_stop
tshark -n -r corrupt.pcap -o ip.check_checksum:TRUE -Y 'icmp.type == 0' \
    -T fields -e ip.checksum.status > corrupt.txt 2>/dev/null ||
    fail "tshark could not read corrupt.pcap"
[ "$(grep -c '^0$' corrupt.txt)" -eq 2 ] ||
    fail "want 2 replies with a bad IPv4 checksum: $(cat corrupt.txt)"
expect_silent "corrupt off" \
    rump.sysctl -q -w net.interfaces.virt0.offload.corrupt_tx=0

# Oversized frames: with the tap's MTU at 9000 Linux sends 3042-byte
# frames; virt0 drops and counts them, and keeps working.
long0=$(sysctl_value net.interfaces.virt0.virt.rxlong)
nsexec ip link set rntap0 mtu 9000 || fail "tap mtu"
nsexec ping -c 2 -i 0.2 -W 1 -s 3000 198.51.100.2 > big.txt 2>&1 &&
    fail "a 3042-byte frame got an answer: $(cat big.txt)"
long1=$(sysctl_value net.interfaces.virt0.virt.rxlong)
[ $((long1 - long0)) -eq 2 ] ||
    fail "rxlong went from $long0 to $long1, want +2"
nsexec ip link set rntap0 mtu 1500 || fail "tap mtu"
nsexec ping -c 1 -W 2 198.51.100.2 > lping.txt 2>&1 ||
    fail "ping after the drops: $(cat lping.txt)"

# The host deletes the tap under the running interface: writes fail
# and are counted, the receive thread notices without spinning, and
# the interface still goes down and detaches cleanly.
txerr0=$(sysctl_value net.interfaces.virt0.virt.txerr)
nsexec ip link del rntap0 || fail "ip link del rntap0"
expect_status 2 "ping, tap gone" rump.ping -c 1 -w 1 198.51.100.1
txerr1=$(sysctl_value net.interfaces.virt0.virt.txerr)
[ "$txerr1" -gt "$txerr0" ] || fail "txerr stayed at $txerr0 without a tap"
rxerr=$(sysctl_value net.interfaces.virt0.virt.rxerr)
# At most one failed read per 100 ms pause (plus one) in about 1 s.
[ "$rxerr" -le 25 ] || fail "receive thread spinning: $rxerr failed reads"
debug "tap gone: txerr $txerr0 -> $txerr1, rxerr $rxerr"

# Down, then detach.
expect_silent "down" rump.ifconfig virt0 down
expect_silent "-linkstr" rump.ifconfig virt0 -linkstr

# A tap the server created goes away when it detaches.
expect_silent "linkstr rntap2" rump.ifconfig virt0 linkstr rntap2
nsexec ip link show rntap2 > link.txt 2>&1 || fail "no rntap2: $(cat link.txt)"
expect_silent "-linkstr rntap2" rump.ifconfig virt0 -linkstr
nsexec ip link show rntap2 > link.txt 2>&1 && fail "rntap2 still there"

# A tap that existed before (persistent) is used and left in place.
nsexec ip tuntap add dev rnpers0 mode tap || fail "ip tuntap add"
expect_silent "linkstr rnpers0" rump.ifconfig virt0 linkstr rnpers0
expect_silent "up" rump.ifconfig virt0 up
nsexec ip addr add 198.51.100.1/24 dev rnpers0 || fail "address on rnpers0"
nsexec ip link set rnpers0 up || fail "rnpers0 up"
expect_status 0 "ping over rnpers0" rump.ping -c 1 -w 5 198.51.100.1
expect_silent "destroy" rump.ifconfig virt0 destroy
nsexec ip link show rnpers0 > link.txt 2>&1 ||
    fail "rnpers0 vanished: $(cat link.txt)"

# Without a linkstr, virtN up attaches rumptapN.
expect_silent "create virt1" rump.ifconfig virt1 create
expect_silent "virt1 up" rump.ifconfig virt1 up
nsexec ip link show rumptap1 > link.txt 2>&1 ||
    fail "no rumptap1: $(cat link.txt)"
expect_status 0 "show virt1" rump.ifconfig virt1
expect_line "default linkstr" 'linkstr: rumptap1' out.txt
expect_silent "destroy virt1" rump.ifconfig virt1 destroy
nsexec ip link show rumptap1 > link.txt 2>&1 && fail "rumptap1 still there"

# No /dev/net/tun (hidden under a tmpfs in a private mount namespace):
# linkstr and up fail with the errno's message, and the server goes on.
virtif_notun_server()
{
	ip netns exec "$VIRTIF_NS" unshare -m --propagation private \
	    sh -c 'mount -t tmpfs none /dev/net && exec "$0" "$@"' \
	    "$RUMP_SERVER_PROG" "$@"
}
(RUMPNET_SERVER=virtif_notun_server; rump_server_start unix://notun virtif) ||
    fail "cannot start server notun"
export RUMP_SERVER=unix://notun
expect_silent "create" rump.ifconfig virt0 create
expect_status 1 "linkstr without tun" rump.ifconfig virt0 linkstr rntap0
expect_line "linkstr without tun" \
    'SIOCSLINKSTR virt0: No such file or directory' err.txt
expect_status 1 "up without tun" rump.ifconfig virt0 up
expect_line "up without tun" 'virt0: No such file or directory' err.txt
expect_status 0 "still serving" rump.ifconfig virt0

# Without the right to use /dev/net/tun (a server running as nobody):
# the same, with EACCES.
if ! command -v setpriv > /dev/null; then
	echo "setpriv is not installed: EACCES case skipped" >&2
	exit 0
fi
virtif_nobody_server()
{
	ip netns exec "$VIRTIF_NS" setpriv --reuid=65534 --regid=65534 \
	    --clear-groups "$RUMP_SERVER_PROG" "$@"
}
mkdir nobody && chmod 777 nobody && chmod 711 . || fail "nobody's directory"
(RUMPNET_SERVER=virtif_nobody_server
    rump_server_start unix://nobody/s virtif) ||
    fail "cannot start server as nobody"
export RUMP_SERVER=unix://nobody/s
expect_silent "create" rump.ifconfig virt0 create
expect_status 1 "linkstr as nobody" rump.ifconfig virt0 linkstr rntap0
expect_line "linkstr as nobody" 'SIOCSLINKSTR virt0: Permission denied' err.txt
expect_status 1 "up as nobody" rump.ifconfig virt0 up
expect_line "up as nobody" 'virt0: Permission denied' err.txt
expect_status 0 "still serving" rump.ifconfig virt0
exit 0
