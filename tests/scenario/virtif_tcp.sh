#!/bin/sh
# virtif_tcp.sh -- TCP between Linux's nc and the rump stack through a
# host tap, both directions, SHA-256 compared; once with no offloads
# and once with every offload on, so that TSO super-packets are cut in
# software before they reach the tap and Linux (which verifies every
# checksum of a frame written to a tap) checks the emulation's work.
#
#   namespace rn-virt-PID
#   +-------------------------------------------------------------------+
#   | nc 198.51.100.1 rnplain <--tap--> virt0 198.51.100.2 unix://plain |
#   | nc 203.0.113.1  rnoff   <--tap--> virt0 203.0.113.2  unix://off   |
#   |                                   (RUMP_VIRTIF_CAPENABLE=0x7ff80) |
#   +-------------------------------------------------------------------+
#   virtif_tcp (librumpclient) drives each server's TCP from outside.
#
# Each tap is captured: every IPv4 and TCP checksum must verify
# (tshark) and no frame may exceed 1514 bytes; the offload counters say
# whether TSO was really used.
. "$top_srcdir/tests/scenario/virtif_lib.sh"

require nc
require sha256sum
virtif_setup
BYTES=${VIRTIF_XFER_BYTES:-4000000}
head -c "$BYTES" /dev/urandom > data || fail "no test data"
want=$(sha256sum < data)

# xfer NAME NET: 'data' from the rump node to nc, then from nc to the
# rump node, over NET; both copies must hash like the original.
xfer()
{
	_name=$1 _net=$2
	export RUMP_SERVER=unix://$_name
	# rump -> Linux: nc listens, reads until the rump side closes.
	ip netns exec "$VIRTIF_NS" timeout 30 nc -l -d -n "$_net.1" 5001 \
	    > "$_name.tolinux" 2> "$_name.nc1.err" &
	ncpid=$!
	i=0
	until nsexec ss -ltn | grep -q "$_net.1:5001"; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "$_name: nc did not listen"
		sleep 0.05
	done
	virtif_tcp send "$_net.1" 5001 data > "$_name.send.out" 2>&1 ||
	    fail "$_name: rump -> Linux: $(cat "$_name.send.out")"
	wait $ncpid || fail "$_name: nc -l failed: $(cat "$_name.nc1.err")"
	got=$(sha256sum < "$_name.tolinux")
	[ "$got" = "$want" ] ||
	    fail "$_name: rump -> Linux: sha256 $got, want $want"

	# Linux -> rump: the rump node listens, nc sends and shuts down.
	virtif_tcp recv "$_net.2" 5002 "$_name.torump" > "$_name.recv.out" \
	    2>&1 &
	rxpid=$!
	i=0
	until grep -q "^listening" "$_name.recv.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "$_name: virtif_tcp did not listen"
		sleep 0.05
	done
	nsexec timeout 30 nc -N -n "$_net.2" 5002 < data \
	    > "$_name.nc2.out" 2>&1 || fail "$_name: nc: $(cat "$_name.nc2.out")"
	wait $rxpid || fail "$_name: Linux -> rump: $(cat "$_name.recv.out")"
	got=$(sha256sum < "$_name.torump")
	[ "$got" = "$want" ] ||
	    fail "$_name: Linux -> rump: sha256 $got, want $want"
	debug "$_name: $(cat "$_name.send.out" "$_name.recv.out")"
}

# check_capture PCAP: TCP frames present, all checksums good, none big.
check_capture()
{
	tshark -n -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
	    -o tcp.analyze_sequence_numbers:FALSE \
	    -o tcp.desegment_tcp_streams:FALSE -Y tcp \
	    -T fields -E separator=/t -e frame.len -e ip.checksum.status \
	    -e tcp.checksum.status > "$1.txt" 2>/dev/null ||
	    fail "tshark could not read $1"
	frames=$(wc -l < "$1.txt")
	bad=$(awk -F'\t' '$2 != "1" || $3 != "1"' "$1.txt" | wc -l)
	big=$(awk -F'\t' '$1 > 1514' "$1.txt" | wc -l)
	full=$(awk -F'\t' '$1 == 1514' "$1.txt" | wc -l)
	debug "$1: $frames TCP frames, $bad bad, $big too big, $full full-sized"
	# At least one direction's worth of full-sized frames (1460 bytes
	# of payload each); how Linux sizes its segments is its business.
	[ "$full" -ge $((BYTES / 1460)) ] ||
	    fail "$1: only $full full-sized TCP frames of $frames"
	[ "$bad" -eq 0 ] || fail "$1: $bad frames with a bad checksum"
	[ "$big" -eq 0 ] || fail "$1: $big frames longer than 1514 bytes"
}

virtif_node unix://plain rnplain 198.51.100
virtif_node unix://off rnoff 203.0.113 RUMP_VIRTIF_CAPENABLE=0x7ff80
env RUMP_SERVER=unix://off rump.ifconfig virt0 > caps.txt ||
    fail "ifconfig virt0 on off"
expect_line "offloads on" 'enabled=7ff80' caps.txt

capture_start rnplain plain.pcap
xfer plain 198.51.100
capture_stop
capture_start rnoff off.pcap
xfer off 203.0.113
capture_stop
check_capture plain.pcap
check_capture off.pcap

# Without offloads the stack segments by itself; with them, the driver
# cut TSO super-packets and verified Linux's checksums on receive.
export RUMP_SERVER=unix://plain
[ "$(sysctl_value net.interfaces.virt0.offload.tx_tsov4)" -eq 0 ] ||
    fail "plain: TSO used with offloads off"
export RUMP_SERVER=unix://off
tso=$(sysctl_value net.interfaces.virt0.offload.tx_tsov4)
segs=$(sysctl_value net.interfaces.virt0.offload.tx_tsov4_segs)
rxtcp=$(sysctl_value net.interfaces.virt0.offload.rx_tcpv4)
rxbad=$(sysctl_value net.interfaces.virt0.offload.rx_tcpv4_bad)
debug "off: $tso TSO packets cut into $segs frames; $rxtcp TCP checked"
[ "$tso" -gt 0 ] && [ "$segs" -gt "$tso" ] ||
    fail "off: TSO not used ($tso packets, $segs frames)"
[ "$rxtcp" -gt $((BYTES / 1460)) ] || fail "off: only $rxtcp TCP receive checks"
[ "$rxbad" -eq 0 ] || fail "off: $rxbad bad TCP checksums from Linux"
exit 0
