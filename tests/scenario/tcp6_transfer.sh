#!/bin/sh
# tcp6_transfer.sh -- bulk TCP over IPv6 between two processes on one
# bus, without and with offload emulation.
#
#   tcpxfer (sender)                         tcpxfer (receiver)
#   2001:db8::1/64 ----[ tcp6.bus ]---- 2001:db8::2/64, port 5001
#                            |
#                  shmif_dumpbus -f -p tcp6.pcap
#
# Each run moves TCP6_XFER_BYTES (default 20 MB); both ends print the
# SHA-256 of the stream, which must match.  The bus is captured in
# follow mode; every TCP checksum in the capture must verify (tshark,
# tcp.check_checksum), the TCP frames must be IPv6 ones between the two
# addresses, and no frame may exceed 1514 bytes.  The second run sets
# RUMP_SHMIF_CAPENABLE=0x7ff80 on both sides (checksum offload and TSO
# for both families): the sender's interface must have cut TSOv6
# super-packets (offload.tx_tsov6_segs) and the receiver's must have
# verified TCPv6 checksums (offload.rx_tcpv6).  The follower may fall a
# lap behind under load and lose frames (it says so on stderr): that
# only thins the sample being checked.
. "$(dirname "$0")/common.sh"

require tshark
TCPXFER="$top_builddir/examples/tcpxfer"
BYTES=${TCP6_XFER_BYTES:-20000000}

scenario_setup

counter()	# counter FILE NAME -> value or 0
{
	v=$(sed -n "s/^net\.interfaces\.shmif0\.offload\.$2 = //p" "$1")
	echo "${v:-0}"
}

run()	# run TAG CAPENABLE
{
	tag=$1
	rm -f tcp6.bus
	"$DUMPBUS" -f -p "$tag.pcap" tcp6.bus > "$tag.dump" 2> "$tag.dumperr" &
	dpid=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $dpid"
	i=0
	until grep -q "^bus version" "$tag.dump" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] &&
		    fail "$tag: shmif_dumpbus did not start: $(cat "$tag.dumperr")"
		sleep 0.05
	done

	RUMP_SHMIF_CAPENABLE=$2 "$TCPXFER" -s -t 60 tcp6.bus 2001:db8::2/64 \
	    > "$tag.rx" 2> "$tag.rxerr" &
	rxpid=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $rxpid"
	i=0
	until grep -q "^listening" "$tag.rx" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] &&
		    fail "$tag: receiver did not start: $(cat "$tag.rxerr")"
		sleep 0.05
	done

	RUMP_SHMIF_CAPENABLE=$2 "$TCPXFER" -s -t 60 -n "$BYTES" tcp6.bus \
	    2001:db8::1/64 2001:db8::2 > "$tag.tx" 2> "$tag.txerr" ||
	    fail "$tag: sender failed: $(cat "$tag.txerr")"
	wait $rxpid || fail "$tag: receiver failed: $(cat "$tag.rxerr")"
	debug "$tag: $(cat "$tag.txerr" "$tag.rxerr")"

	sent=$(sed -n 's/^sent \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' "$tag.tx")
	rcvd=$(sed -n 's/^received \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' "$tag.rx")
	[ -n "$sent" ] || fail "$tag: sender printed no hash: $(cat "$tag.tx")"
	[ "$sent" = "$rcvd" ] || fail "$tag: sent '$sent' but received '$rcvd'"
	[ "${sent%% *}" = "$BYTES" ] || fail "$tag: sent ${sent%% *} of $BYTES bytes"

	sleep 0.2
	kill -INT $dpid
	wait $dpid || fail "$tag: shmif_dumpbus failed: $(cat "$tag.dumperr")"
	debug "$tag: $(cat "$tag.dumperr")"

	tshark -n -r "$tag.pcap" -o tcp.check_checksum:TRUE \
	    -o tcp.analyze_sequence_numbers:FALSE \
	    -o tcp.desegment_tcp_streams:FALSE \
	    -T fields -E separator=/t -e frame.len -e tcp.checksum.status \
	    -e ipv6.src -e ipv6.dst > "$tag.fields" 2>/dev/null ||
	    fail "$tag: tshark could not read the capture"
	frames=$(wc -l < "$tag.fields")
	tcpframes=$(awk -F'\t' '$2 != ""' "$tag.fields" | wc -l)
	tcp6frames=$(awk -F'\t' '$2 != "" &&
	    (($3 == "2001:db8::1" && $4 == "2001:db8::2") ||
	     ($3 == "2001:db8::2" && $4 == "2001:db8::1"))' "$tag.fields" | wc -l)
	bad=$(awk -F'\t' '$2 == "0"' "$tag.fields" | wc -l)
	big=$(awk -F'\t' '$1 > 1514' "$tag.fields" | wc -l)
	debug "$tag: captured $frames frames, $tcpframes TCP ($tcp6frames" \
	    "IPv6 between the nodes), $bad bad, $big too big"
	[ "$tcpframes" -gt 0 ] || fail "$tag: no TCP frame captured"
	[ "$tcp6frames" -eq "$tcpframes" ] ||
	    fail "$tag: $((tcpframes - tcp6frames)) TCP frames not IPv6 between the nodes"
	[ "$bad" -eq 0 ] || fail "$tag: $bad frames with a bad checksum"
	[ "$big" -eq 0 ] || fail "$tag: $big frames longer than 1514 bytes"
}

run plain 0
grep -q 'offload\.' plain.tx plain.rx &&
    fail "plain: offload counters without offload: $(grep offload plain.tx plain.rx)"

run offload 0x7ff80
segs=$(counter offload.tx tx_tsov6_segs)
rx=$(counter offload.rx rx_tcpv6)
debug "offload: tx_tsov6_segs $segs rx_tcpv6 $rx"
[ "$segs" -gt 0 ] || fail "offload: no TSOv6 segments cut: $(cat offload.tx)"
[ "$rx" -gt 0 ] || fail "offload: no TCPv6 checksums verified: $(cat offload.rx)"
grep -q '_bad = ' offload.tx offload.rx &&
    fail "offload: good frames flagged bad: $(grep _bad offload.tx offload.rx)"
exit 0
