#!/bin/sh
# dumpbus_follow.sh -- shmif_dumpbus -f streams frames as a writer puts
# them on the bus, reports frames lost when it falls a lap behind, and
# ends cleanly on a signal, on -c, and when its output pipe closes.
#
#   shmif_pcap2bus --> [ bus ] --> shmif_dumpbus -f -p f.pcap
#
. "$(dirname "$0")/dumpbus_lib.sh"

lines()
{
	grep -c "^$2" "$1" 2>/dev/null || true
}

has_lines()
{
	[ "$(lines "$1" "$2")" -ge "$3" ]
}

# start_dumpbus TEXTFILE ERRFILE ARGS...: background dumpbus, $dpid.
start_dumpbus()
{
	out=$1
	errf=$2
	shift 2
	"$DUMPBUS" "$@" > "$out" 2> "$errf" &
	dpid=$!
	bgpids="$bgpids $dpid"
	# The header line is printed once the cursor is in place.
	wait_for 10 has_lines "$out" "bus version" 1 ||
	    fail "dumpbus did not start: $(cat "$errf")"
}

# stop_dumpbus SIGNAL: the follower must exit 0.
stop_dumpbus()
{
	kill -"$1" "$dpid"
	rc=0
	wait "$dpid" || rc=$?
	expect_eq "exit status after SIG$1" "$rc" 0
}

mkpcap in.pcap 40
pcap_lines in.pcap > want

# 1. Follow a bus that does not exist yet: dumpbus creates it.
start_dumpbus f.txt f.err -f -p f.pcap bus
[ -f bus ] || fail "bus not created by dumpbus -f"
"$PCAP2BUS" in.pcap bus
wait_for 10 has_lines f.txt packet 40 || fail "40 frames not followed"
"$PCAP2BUS" -b 1 in.pcap bus
wait_for 10 has_lines f.txt packet 80 || fail "80 frames not followed"
stop_dumpbus INT
expect_match "summary" f.err 'shmif_dumpbus: 80 frames read from the bus, 0 lost in 0 overruns'
expect_eq "followed frames" "$(pcap_count f.pcap)" 80
pcap_lines f.pcap | head -n "$(wc -l < want)" > got
cmp -s want got || fail "followed frames differ from the capture"

# 2. Dump what is there, then follow; SIGTERM ends it.
start_dumpbus g.txt g.err -f -p g.pcap bus
expect_eq "frames dumped at start" "$(lines g.txt packet)" 80
"$PCAP2BUS" in.pcap bus
wait_for 10 has_lines g.txt packet 120 || fail "120 frames not shown"
stop_dumpbus TERM
expect_eq "dumped then followed" "$(pcap_count g.pcap)" 120

# 3. -n: only new frames; -c ends it by itself.
start_dumpbus n.txt n.err -n -c 10 -p n.pcap bus
"$PCAP2BUS" in.pcap bus
rc=0
wait "$dpid" || rc=$?
expect_eq "-n -c exit status" "$rc" 0
expect_eq "-n -c frames" "$(pcap_count n.pcap)" 10
pcap_lines in.pcap | head -n "$(pcap_lines n.pcap | wc -l)" > want10
pcap_lines n.pcap > got10
cmp -s want10 got10 || fail "-n did not start with the new frames"

# 4. The reader of the pipe goes away: with frames in flight, and idle.
rc=0
timeout 10 sh -c "'$DUMPBUS' -f -p - bus 2>/dev/null | head -c 100 > /dev/null" ||
    rc=$?
expect_eq "closed pipe while dumping" "$rc" 0
rc=0
timeout 10 sh -c "'$DUMPBUS' -n -p - bus 2>/dev/null | head -c 24 > /dev/null" ||
    rc=$?
expect_eq "closed pipe while idle" "$rc" 0

# 5. Overrun: stop the follower, write 4000 frames (about 3 MB, three
#    laps of the 1 MiB ring), let it go on.  It must say it lost frames,
#    and frames read + lost (an estimate) must be close to 4000.
start_dumpbus o.txt o.err -n -p o.pcap bus
kill -STOP "$dpid"
"$PCAP2BUS" -l 100 in.pcap bus
kill -CONT "$dpid"
wait_for 10 has_lines o.err "shmif_dumpbus: lost" 1 ||
    fail "no loss reported: $(cat o.err)"
expect_match "loss line" o.err '^shmif_dumpbus: lost [1-9][0-9]* frames \(reader overrun\)$'
sleep 0.5
stop_dumpbus INT
read_n=$(sed -n 's/.*: \([0-9]*\) frames read from the bus, \([0-9]*\) lost in \([0-9]*\) overruns$/\1/p' o.err)
lost_n=$(sed -n 's/.*: \([0-9]*\) frames read from the bus, \([0-9]*\) lost in \([0-9]*\) overruns$/\2/p' o.err)
debug "read $read_n lost $lost_n"
[ -n "$read_n" ] && [ -n "$lost_n" ] || fail "no summary: $(cat o.err)"
expect_eq "frames in capture" "$(pcap_count o.pcap)" "$read_n"
total=$((read_n + lost_n))
[ "$total" -ge 3880 ] && [ "$total" -le 4120 ] ||
    fail "read $read_n + lost $lost_n = $total, want 4000 +- 3%"

echo "dumpbus_follow: ok"
