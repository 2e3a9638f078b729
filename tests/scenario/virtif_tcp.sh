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
#   |    2001:db8::1                          2001:db8::2               |
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

# wait_listen PORT: until a TCP socket listens on PORT in the namespace.
wait_listen()
{
	i=0
	until [ -n "$(nsexec ss -ltnH "sport = :$1")" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "nothing listens on port $1"
		sleep 0.05
	done
}

# xfer NAME RUMPADDR LINUXADDR PORT: 'data' from the rump node to nc on
# PORT, then from nc to the rump node on PORT+1; both copies must hash
# like the original.
xfer()
{
	_name=$1 _raddr=$2 _laddr=$3 _port=$4
	# rump -> Linux: nc listens, reads until the rump side closes.
	ip netns exec "$VIRTIF_NS" timeout 30 nc -l -d -n "$_laddr" "$_port" \
	    > "$_name.tolinux" 2> "$_name.nc1.err" &
	ncpid=$!
	wait_listen "$_port"
	virtif_tcp send "$_laddr" "$_port" data > "$_name.send.out" 2>&1 ||
	    fail "$_name: rump -> Linux: $(cat "$_name.send.out")"
	wait $ncpid || fail "$_name: nc -l failed: $(cat "$_name.nc1.err")"
	got=$(sha256sum < "$_name.tolinux")
	[ "$got" = "$want" ] ||
	    fail "$_name: rump -> Linux: sha256 $got, want $want"

	# Linux -> rump: the rump node listens, nc sends and shuts down.
	_port=$((_port + 1))
	virtif_tcp recv "$_raddr" "$_port" "$_name.torump" \
	    > "$_name.recv.out" 2>&1 &
	rxpid=$!
	i=0
	until grep -q "^listening" "$_name.recv.out" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "$_name: virtif_tcp did not listen"
		sleep 0.05
	done
	nsexec timeout 30 nc -N -n "$_raddr" "$_port" < data \
	    > "$_name.nc2.out" 2>&1 || fail "$_name: nc: $(cat "$_name.nc2.out")"
	wait $rxpid || fail "$_name: Linux -> rump: $(cat "$_name.recv.out")"
	got=$(sha256sum < "$_name.torump")
	[ "$got" = "$want" ] ||
	    fail "$_name: Linux -> rump: sha256 $got, want $want"
	debug "$_name: $(cat "$_name.send.out" "$_name.recv.out")"
}

# check_capture PCAP 4|6 LINUXADDR: TCP frames present, every TCP (and
# IPv4 header) checksum good, none longer than 1514 bytes.  The capture
# may miss frames when the machine is busy: that only thins the sample.
#
# One allowance, for Linux's frames only: where the checksum works out
# to 0x0000, Linux's software checksum (skb_checksum_help) writes
# 0xffff instead.  Both are zero in ones' complement and every receiver
# accepts either (the transfer proves ours does), but tshark calls the
# second bad (RFC 1624 section 3: a sum computed from scratch is never
# 0xffff).  Our own frames must be computed from scratch: no allowance.
check_capture()
{
	tshark -n -r "$1" -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
	    -o tcp.analyze_sequence_numbers:FALSE \
	    -o tcp.desegment_tcp_streams:FALSE -Y tcp \
	    -T fields -E separator=/t -e frame.len -e tcp.checksum.status \
	    -e ip.checksum.status -e ip.src -e ipv6.src -e tcp.checksum \
	    -e tcp.checksum_calculated > "$1.txt" 2>/dev/null ||
	    fail "tshark could not read $1"
	if [ "$2" = 4 ]; then
		ipok='$3 == "1"'
	else
		ipok='$3 == ""'		# IPv6: no header checksum
	fi
	linuxzero="(\$4 \$5 == \"$3\" && \$6 == \"0xffff\" &&
	    \$7 == \"0x0000\")"
	frames=$(wc -l < "$1.txt")
	bad=$(awk -F'\t' "(\$2 != \"1\" && !$linuxzero) || !($ipok)" \
	    "$1.txt" | wc -l)
	minus0=$(awk -F'\t' "\$2 != \"1\" && $linuxzero" "$1.txt" | wc -l)
	big=$(awk -F'\t' '$1 > 1514' "$1.txt" | wc -l)
	full=$(awk -F'\t' '$1 >= 1500' "$1.txt" | wc -l)
	debug "$1: $frames TCP frames, $bad bad, $big too big," \
	    "$full full-sized, $minus0 from Linux with checksum 0xffff"
	[ "$full" -ge 100 ] || fail "$1: only $full full-sized TCP frames"
	if [ "$bad" -ne 0 ]; then
		# Say which: number, addresses, flags, checksum fields.
		tshark -n -r "$1" -o tcp.check_checksum:TRUE \
		    -o ip.check_checksum:TRUE -Y 'tcp.checksum.status != 1 ||
		    (ip and ip.checksum.status != 1)' -T fields -e frame.number \
		    -e frame.len -e ip.src -e ip.dst -e ipv6.src -e tcp.flags \
		    -e tcp.checksum -e tcp.checksum_calculated \
		    -e tcp.checksum.status -e ip.checksum.status \
		    2>/dev/null | head -5 >&2
		fail "$1: $bad frames with a bad checksum"
	fi
	[ "$big" -eq 0 ] || fail "$1: $big frames longer than 1514 bytes"
}

virtif_node unix://plain rnplain 198.51.100
virtif_node unix://off rnoff 203.0.113 RUMP_VIRTIF_CAPENABLE=0x7ff80
export RUMP_SERVER=unix://off
rump.ifconfig virt0 > caps.txt || fail "ifconfig virt0 on off"
expect_line "offloads on" 'enabled=7ff80' caps.txt
expect_silent "inet6" rump.ifconfig virt0 inet6 2001:db8::2/64
nsexec ip -6 addr add 2001:db8::1/64 dev rnoff nodad ||
    fail "IPv6 address on rnoff"
expect_silent "DAD" rump.ifconfig -w 10

capture_start rnplain plain.pcap
export RUMP_SERVER=unix://plain
xfer plain 198.51.100.2 198.51.100.1 5001
capture_stop
capture_start rnoff off.pcap
export RUMP_SERVER=unix://off
xfer off 203.0.113.2 203.0.113.1 5001
capture_stop
capture_start rnoff off6.pcap
export RUMP_SERVER=unix://off
xfer off6 2001:db8::2 2001:db8::1 5003
capture_stop
check_capture plain.pcap 4 198.51.100.1
check_capture off.pcap 4 203.0.113.1
check_capture off6.pcap 6 2001:db8::1

# Without offloads the stack segments by itself; with them, the driver
# cut TSO super-packets and verified Linux's checksums on receive.
export RUMP_SERVER=unix://plain
[ "$(sysctl_value net.interfaces.virt0.offload.tx_tsov4)" -eq 0 ] ||
    fail "plain: TSO used with offloads off"
export RUMP_SERVER=unix://off
for v in 4 6; do
	tso=$(sysctl_value net.interfaces.virt0.offload.tx_tsov$v)
	segs=$(sysctl_value net.interfaces.virt0.offload.tx_tsov${v}_segs)
	rxtcp=$(sysctl_value net.interfaces.virt0.offload.rx_tcpv$v)
	rxbad=$(sysctl_value net.interfaces.virt0.offload.rx_tcpv${v}_bad)
	debug "off: IPv$v: $tso TSO packets cut into $segs frames;" \
	    "$rxtcp TCP checked"
	[ "$tso" -gt 0 ] && [ "$segs" -gt "$tso" ] ||
	    fail "off: TSOv$v not used ($tso packets, $segs frames)"
	[ "$rxtcp" -gt $((BYTES / 1460)) ] ||
	    fail "off: only $rxtcp TCP/IPv$v receive checks"
	[ "$rxbad" -eq 0 ] || fail "off: $rxbad bad TCP/IPv$v checksums"
done
exit 0
