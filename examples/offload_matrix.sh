#!/bin/sh
# offload_matrix.sh -- regression harness for checksum and TSO offload.
#
# For every pair of sender/receiver RUMP_SHMIF_CAPENABLE masks, two
# processes (each its own kernel) on one bus exchange TCP (tcpxfer) and
# UDP/ICMP (pingpeer) traffic over IPv4, TCP and UDP over IPv6, and the
# harness checks that
#   - the data arrived intact (SHA-256 of the TCP stream, UDP echoes),
#   - every frame on the bus has valid IPv4, TCP and UDP checksums
#     (tshark, or tcpdump -vv when tshark is missing),
#   - no frame on the bus is longer than 1514 bytes,
#   - the interfaces' offload counters show the emulation really did the
#     work the masks asked for (and none when they did not).
#
#   offload_matrix.sh [-q | -s] [-k] [-m "mask ..."] [-B builddir]
#	-q	quick: masks 0 0x7ff80 0x6aa80 0x15500 only
#	-s	the quick pairs, plus each single bit against 0 both ways
#	-m	the masks to pair (default: those four plus each single bit,
#		every pair: 256 pairs, most of an hour)
#	-k	keep the work directory
#	-B	the build directory (default: the current directory)
# Exit status 0 if every pair passed; one line per failure on stderr.
set -u

builddir=$(pwd)
keep=0
single=0
bits="0x80 0x100 0x200 0x400 0x800 0x1000 0x2000 0x4000 0x8000 0x10000 0x20000 0x40000"
masks="0 0x7ff80 0x6aa80 0x15500 $bits"
while getopts qskm:B: opt; do
	case $opt in
	q) masks="0 0x7ff80 0x6aa80 0x15500" ;;
	s) masks="0 0x7ff80 0x6aa80 0x15500"; single=1 ;;
	m) masks=$OPTARG ;;
	k) keep=1 ;;
	B) builddir=$OPTARG ;;
	*) echo "usage: $0 [-q | -s] [-k] [-m masks] [-B builddir]" >&2; exit 2 ;;
	esac
done

tcpxfer="$builddir/examples/tcpxfer"
pingpeer="$builddir/examples/pingpeer"
dumpbus="$builddir/tools/shmif_dumpbus/shmif_dumpbus"
for p in "$tcpxfer" "$pingpeer" "$dumpbus"; do
	[ -x "$p" ] || { echo "$0: $p not built" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/offload-matrix.XXXXXX")
[ $keep = 1 ] || trap 'rm -rf "$work"' EXIT
cd "$work"
failures=0

fail()
{
	echo "FAIL A=$a B=$b $proto: $*" >&2
	failures=$((failures + 1))
}

has()	# has MASK BIT
{
	[ $(( $1 & $2 )) -ne 0 ]
}

counter()	# counter FILE NAME -> value or 0
{
	v=$(sed -n "s/^net\.interfaces\.shmif0\.offload\.$2 = //p" "$1")
	echo "${v:-0}"
}

need_counter()	# need_counter FILE NAME MESSAGE: fail unless NAME > 0
{
	[ "$(counter "$1" "$2")" -gt 0 ] || fail "$3"
}

# Checksums and sizes of every frame on a bus.
check_bus()
{
	"$dumpbus" -p cap.pcap "$1" > frames.txt 2>&1 || { fail "dumpbus"; return; }
	for hex in $(sed -n 's/.*length 0x\([0-9a-fA-F]*\),.*/\1/p' frames.txt); do
		[ $((0x$hex)) -le 1514 ] || fail "frame of $((0x$hex)) bytes"
	done
	if command -v tshark >/dev/null 2>&1; then
		bad=$(tshark -r cap.pcap -o tcp.check_checksum:TRUE \
		    -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE \
		    -Y 'tcp.checksum.status == "Bad" || udp.checksum.status == "Bad" || ip.checksum.status == "Bad"' \
		    2>/dev/null | wc -l)
	else
		bad=$(tcpdump -nn -vv -r cap.pcap 2>/dev/null |
		    grep -Ec 'incorrect|bad udp cksum|bad cksum')
	fi
	[ "$bad" -eq 0 ] || fail "$bad frames with bad checksums"
}

# The counters a side must (or must not) show for its mask.
check_counters()	# file mask side(tx|rx) l4(tcp|udp|tcp6|udp6)
{
	f=$1 m=$2 side=$3 l4=$4
	if [ "$l4" = tcp6 ] || [ "$l4" = udp6 ]; then
		check_counters6 "$@"
		return
	fi
	if [ "$side" = tx ]; then
		if [ "$l4" = tcp ] && has "$m" 0x80; then
			need_counter "$f" tx_tsov4_segs \
			    "TSOv4 enabled but no segments cut"
		elif [ "$l4" = tcp ] && has "$m" 0x800; then
			need_counter "$f" tx_tcpv4 \
			    "TCPv4 TX enabled but no checksums finished"
		elif [ "$l4" = udp ] && has "$m" 0x2000; then
			need_counter "$f" tx_udpv4 \
			    "UDPv4 TX enabled but no checksums finished"
		fi
		if has "$m" 0x200; then
			need_counter "$f" tx_ipv4 \
			    "IPv4 TX enabled but no headers finished"
		fi
		if ! has "$m" 0x6aa80 && grep -q 'offload\.tx_' "$f"; then
			fail "transmit offload used while disabled"
		fi
	else
		if [ "$l4" = tcp ] && has "$m" 0x400; then
			need_counter "$f" rx_tcpv4 \
			    "TCPv4 RX enabled but nothing verified"
		elif [ "$l4" = udp ] && has "$m" 0x1000; then
			need_counter "$f" rx_udpv4 \
			    "UDPv4 RX enabled but nothing verified"
		fi
		if has "$m" 0x100; then
			need_counter "$f" rx_ipv4 \
			    "IPv4 RX enabled but nothing verified"
		fi
		if ! has "$m" 0x15500 && grep -q 'offload\.rx_' "$f"; then
			fail "receive offload used while disabled"
		fi
		if grep -q '_bad = ' "$f"; then
			fail "good frames flagged bad"
		fi
	fi
}

# The same over IPv6 (TSOv6 0x40000, TCPv6 TX 0x8000 and RX 0x4000,
# UDPv6 TX 0x20000 and RX 0x10000; IPv6 has no header checksum); the
# IPv4 bits must stay unused.  TCP sends TSOv6 super-packets whenever
# TSOv6 is enabled (tcp_inet6.c tcp6_af_mtu).
check_counters6()	# file mask side(tx|rx) l4(tcp6|udp6)
{
	f=$1 m=$2 side=$3 l4=$4
	if [ "$l4" = tcp6 ]; then
		txbits=0x48000 rxbits=0x4000
	else
		txbits=0x20000 rxbits=0x10000
	fi
	if [ "$side" = tx ]; then
		if [ "$l4" = tcp6 ] && has "$m" 0x40000; then
			need_counter "$f" tx_tsov6_segs \
			    "TSOv6 enabled but no segments cut"
		elif [ "$l4" = tcp6 ] && has "$m" 0x8000; then
			need_counter "$f" tx_tcpv6 \
			    "TCPv6 TX enabled but no checksums finished"
		elif [ "$l4" = udp6 ] && has "$m" 0x20000; then
			need_counter "$f" tx_udpv6 \
			    "UDPv6 TX enabled but no checksums finished"
		fi
		if ! has "$m" $txbits && grep -q 'offload\.tx_' "$f"; then
			fail "transmit offload used while disabled"
		fi
	else
		if [ "$l4" = tcp6 ] && has "$m" 0x4000; then
			need_counter "$f" rx_tcpv6 \
			    "TCPv6 RX enabled but nothing verified"
		elif [ "$l4" = udp6 ] && has "$m" 0x10000; then
			need_counter "$f" rx_udpv6 \
			    "UDPv6 RX enabled but nothing verified"
		fi
		if ! has "$m" $rxbits && grep -q 'offload\.rx_' "$f"; then
			fail "receive offload used while disabled"
		fi
		if grep -q '_bad = ' "$f"; then
			fail "good frames flagged bad"
		fi
	fi
}

wait_bus()
{
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

# The pairs to run, as "sender:receiver".
pairs=""
for a in $masks; do
	for b in $masks; do
		pairs="$pairs $a:$b"
	done
done
if [ $single = 1 ]; then
	for bit in $bits; do
		pairs="$pairs $bit:0 0:$bit"
	done
fi

npairs=0
for pair in $pairs; do
		a=${pair%:*} b=${pair#*:}
		npairs=$((npairs + 1))
		# TCP: 400 kB fit on the 1 MiB bus, so the final dump holds
		# every frame of the transfer.
		proto=tcp
		rm -f tcp.bus
		RUMP_SHMIF_CAPENABLE=$b "$tcpxfer" -s -t 30 tcp.bus \
		    198.51.100.2/24 > rx.txt 2>&1 &
		rpid=$!
		wait_bus tcp.bus
		RUMP_SHMIF_CAPENABLE=$a "$tcpxfer" -s -t 30 -n 400000 tcp.bus \
		    198.51.100.1/24 198.51.100.2 > tx.txt 2>&1 ||
		    fail "sender: $(tail -1 tx.txt)"
		wait $rpid || fail "receiver: $(tail -1 rx.txt)"
		sent=$(sed -n 's/^sent [0-9]* bytes sha256 //p' tx.txt)
		got=$(sed -n 's/^received [0-9]* bytes sha256 //p' rx.txt)
		[ -n "$sent" ] && [ "$sent" = "$got" ] ||
		    fail "stream differs: sent $sent received $got"
		check_bus tcp.bus
		check_counters tx.txt "$a" tx tcp
		check_counters rx.txt "$b" rx tcp

		proto=tcp6
		rm -f tcp6.bus
		RUMP_SHMIF_CAPENABLE=$b "$tcpxfer" -s -t 30 tcp6.bus \
		    2001:db8::2/64 > rx.txt 2>&1 &
		rpid=$!
		wait_bus tcp6.bus
		RUMP_SHMIF_CAPENABLE=$a "$tcpxfer" -s -t 30 -n 400000 \
		    tcp6.bus 2001:db8::1/64 2001:db8::2 > tx.txt 2>&1 ||
		    fail "sender: $(tail -1 tx.txt)"
		wait $rpid || fail "receiver: $(tail -1 rx.txt)"
		sent=$(sed -n 's/^sent [0-9]* bytes sha256 //p' tx.txt)
		got=$(sed -n 's/^received [0-9]* bytes sha256 //p' rx.txt)
		[ -n "$sent" ] && [ "$sent" = "$got" ] ||
		    fail "stream differs: sent $sent received $got"
		check_bus tcp6.bus
		check_counters tx.txt "$a" tx tcp6
		check_counters rx.txt "$b" rx tcp6

		proto=udp
		rm -f udp.bus
		RUMP_SHMIF_CAPENABLE=$b "$pingpeer" -S -t 2 udp.bus \
		    198.51.100.2/24 > rx.txt 2>&1 &
		rpid=$!
		wait_bus udp.bus
		RUMP_SHMIF_CAPENABLE=$a "$pingpeer" -S -c 2 udp.bus \
		    198.51.100.1/24 198.51.100.2 > tx.txt 2>&1 ||
		    fail "no replies: $(tail -1 tx.txt)"
		wait $rpid || fail "responder failed"
		check_bus udp.bus
		check_counters tx.txt "$a" tx udp
		check_counters rx.txt "$b" rx udp

		proto=udp6
		rm -f udp6.bus
		RUMP_SHMIF_CAPENABLE=$b "$pingpeer" -S -t 4 udp6.bus \
		    2001:db8::2/64 > rx.txt 2>&1 &
		rpid=$!
		wait_bus udp6.bus
		RUMP_SHMIF_CAPENABLE=$a "$pingpeer" -S -c 2 udp6.bus \
		    2001:db8::1/64 2001:db8::2 > tx.txt 2>&1 ||
		    fail "no echoes: $(tail -1 tx.txt)"
		wait $rpid || fail "responder failed"
		check_bus udp6.bus
		check_counters tx.txt "$a" tx udp6
		check_counters rx.txt "$b" rx udp6
done
echo "offload matrix: $npairs mask pairs, $failures failures"
[ $failures -eq 0 ]
