#!/bin/sh
# offload_udp.sh -- ICMP and UDP between two kernels with every
# combination of offload masks on sender and receiver: the data arrives,
# every frame on the bus carries correct checksums (tshark and tcpdump
# verify them), and the offload counters show the emulation really ran.
#
#   [ A 198.51.100.1, RUMP_SHMIF_CAPENABLE=$a ] --- bus ---
#   [ B 198.51.100.2, RUMP_SHMIF_CAPENABLE=$b ]
set -u
. "$top_srcdir/tests/scenario/common.sh"
require tcpdump
scenario_setup

masks="0 0x7ff80 0x6aa80 0x15500"
for a in $masks; do
	for b in $masks; do
		bus="off-$a-$b.bus"
		RUMP_SHMIF_CAPENABLE=$b "$PINGPEER" -S -t 2 "$bus" \
		    198.51.100.2/24 > b.txt 2>&1 &
		bpid=$!
		wait_for_file "$bus"
		RUMP_SHMIF_CAPENABLE=$a "$PINGPEER" -S -c 2 "$bus" \
		    198.51.100.1/24 198.51.100.2 > a.txt 2>&1 ||
		    { cat a.txt >&2; fail "A=$a B=$b: no replies"; }
		wait $bpid || { cat b.txt >&2; fail "A=$a B=$b: responder"; }
		debug "A=$a: $(cat a.txt)"
		debug "B=$b: $(cat b.txt)"

		bus_tcpdump "$bus" > dump.txt
		if grep -Eq 'incorrect|bad udp cksum|bad cksum' dump.txt; then
			cat dump.txt >&2
			fail "A=$a B=$b: bad checksum on the bus"
		fi
		n=$(grep -c 'udp sum ok' dump.txt)
		[ "$n" -eq 4 ] || fail "A=$a B=$b: $n good UDP datagrams, not 4"

		# The counters prove which path each side took.
		case $a in
		0x7ff80|0x6aa80)
			grep -q 'offload.tx_udpv4 = 2$' a.txt ||
			    fail "A=$a: UDP checksums not offloaded on transmit"
			grep -q 'offload.tx_ipv4 = ' a.txt ||
			    fail "A=$a: IPv4 header checksum not offloaded" ;;
		*)
			! grep -q 'offload.tx_' a.txt ||
			    fail "A=$a: transmit offload used while disabled" ;;
		esac
		case $b in
		0x7ff80|0x15500)
			grep -q 'offload.rx_udpv4 = 2$' b.txt ||
			    fail "B=$b: UDP checksums not verified by the driver"
			! grep -q '_bad = ' b.txt ||
			    fail "B=$b: good frames flagged bad" ;;
		*)
			! grep -q 'offload.rx_' b.txt ||
			    fail "B=$b: receive offload used while disabled" ;;
		esac
	done
done

# With tshark, check the IPv4 and UDP checksums of the last capture once
# more, independently of tcpdump.
if command -v tshark >/dev/null 2>&1; then
	"$DUMPBUS" -p last.pcap "$bus" >/dev/null
	bad=$(tshark -r last.pcap -o udp.check_checksum:TRUE \
	    -o ip.check_checksum:TRUE \
	    -Y 'udp.checksum.status == "Bad" || ip.checksum.status == "Bad"' \
	    2>/dev/null | wc -l)
	[ "$bad" -eq 0 ] || fail "tshark found $bad bad checksums"
fi
exit 0
