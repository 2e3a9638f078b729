#!/bin/sh
# tcp_transfer.sh -- bulk TCP between two processes on one bus.
#
#   tcpxfer (sender)                         tcpxfer (receiver)
#   198.51.100.1/24 ----[ tcp.bus ]---- 198.51.100.2/24, port 5001
#                            |
#                  shmif_dumpbus -f -p tcp.pcap
#
# The sender moves TCP_XFER_BYTES (default 100 MB; about a second on a
# 2-vCPU VM) and both ends print the SHA-256 of the stream, which must
# match.  The bus is captured in follow mode from before the connection
# to after the close; every TCP checksum in the capture must verify
# (tshark, tcp.check_checksum) and no frame may exceed 1514 bytes.
# Under load the follower may fall a lap behind and lose frames (it
# says so on stderr): that only thins the sample being checked.
. "$(dirname "$0")/common.sh"

require tshark
TCPXFER="$top_builddir/examples/tcpxfer"
BYTES=${TCP_XFER_BYTES:-100000000}

scenario_setup

"$DUMPBUS" -f -p tcp.pcap tcp.bus > dump.txt 2> dump.err &
dpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $dpid"
i=0
until grep -q "^bus version" dump.txt 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "shmif_dumpbus did not start: $(cat dump.err)"
	sleep 0.05
done

"$TCPXFER" -s -t 60 tcp.bus 198.51.100.2/24 > rx.out 2> rx.err &
rxpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $rxpid"
i=0
until grep -q "^listening" rx.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "receiver did not start: $(cat rx.err)"
	sleep 0.05
done

start=$(date +%s)
"$TCPXFER" -s -t 60 -n "$BYTES" tcp.bus 198.51.100.1/24 198.51.100.2 \
    > tx.out 2> tx.err || fail "sender failed: $(cat tx.err)"
wait $rxpid || fail "receiver failed: $(cat rx.err)"
debug "transfer took $(( $(date +%s) - start )) s"
debug "$(cat tx.err rx.err)"

sent=$(sed -n 's/^sent \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' tx.out)
rcvd=$(sed -n 's/^received \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' rx.out)
[ -n "$sent" ] || fail "sender printed no hash: $(cat tx.out)"
[ "$sent" = "$rcvd" ] || fail "sent '$sent' but received '$rcvd'"
[ "${sent%% *}" = "$BYTES" ] || fail "sent ${sent%% *} of $BYTES bytes"

sleep 0.2
kill -INT $dpid
wait $dpid || fail "shmif_dumpbus failed: $(cat dump.err)"
debug "$(cat dump.err)"

# One pass: frame length and the IPv4 and TCP checksum verdicts
# (tshark's status: 0 Bad, 1 Good, 2 unverified).  Sequence analysis
# and reassembly are off: they cost minutes on 100 MB and add nothing.
tshark -n -r tcp.pcap -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -o tcp.analyze_sequence_numbers:FALSE -o tcp.desegment_tcp_streams:FALSE \
    -T fields -E separator=/t -e frame.len -e ip.checksum.status \
    -e tcp.checksum.status > fields.txt 2>/dev/null ||
    fail "tshark could not read the capture"
frames=$(wc -l < fields.txt)
tcpframes=$(awk -F'\t' '$3 != ""' fields.txt | wc -l)
bad=$(awk -F'\t' '$2 == "0" || $3 == "0"' fields.txt | wc -l)
big=$(awk -F'\t' '$1 > 1514' fields.txt | wc -l)
debug "captured $frames frames, $tcpframes TCP, $bad bad, $big too big"
[ "$tcpframes" -gt 0 ] || fail "no TCP frame captured"
[ "$bad" -eq 0 ] || fail "$bad frames with a bad checksum"
[ "$big" -eq 0 ] || fail "$big frames longer than 1514 bytes"
exit 0
