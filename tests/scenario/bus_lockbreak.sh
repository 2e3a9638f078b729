#!/bin/sh
# bus_lockbreak.sh -- a process killed while it holds the bus lock does
# not wedge the bus: the next waiter finds the recorded holder gone and
# takes the lock over, and traffic goes on.
#
#   [ unix://n1 ]                      [ unix://n2 ]
#   shmif0 198.51.100.1/24 --- lan.bus --- shmif0 198.51.100.2/24
#                                 |
#                  bus_lockhold (takes the lock, is SIGKILLed)
#
# While n1 pings n2 in the background, LOCKBREAK_ROUNDS times: a holder
# takes the lock (every other one also leaves a half-written record in
# the ring), shmif_dumpbus shows it as holder, it is killed with SIGKILL,
# and a ping must get through within seconds.  At the end the nodes'
# lockbreaks counters add up to the number of kills (each dead lock is
# broken exactly once), the background ping lost little, and the bus
# walks cleanly with no trace of the half-written records.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
LOCKHOLD="$top_builddir/tests/scenario/bus_lockhold"
ROUNDS=${LOCKBREAK_ROUNDS:-20}
tools_setup

node n1 shmif0 lan.bus 198.51.100.1/24
node n2 shmif0 lan.bus 198.51.100.2/24
rump_wait_addresses unix://n1 || fail "DAD on n1"
rump_wait_addresses unix://n2 || fail "DAD on n2"
export RUMP_SERVER=unix://n1
expect_status 0 "first ping" rump.ping -n -c 1 -w 3 198.51.100.2

# Background traffic across every kill.
rump.ping -n -q -i 0.05 -c 100000 198.51.100.2 > bg.txt 2>&1 &
bgpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $bgpid"

breaks_total()
{
	t=0
	for n in n1 n2; do
		v=$(env RUMP_SERVER=unix://$n rump.sysctl -n \
		    net.interfaces.shmif0.shmif.lockbreaks) ||
		    fail "lockbreaks on $n"
		t=$((t + v))
	done
	echo $t
}

badrec()
{
	env RUMP_SERVER=unix://$1 rump.sysctl -n \
	    net.interfaces.shmif0.shmif.rxbadrec || fail "rxbadrec on $1"
}

bad1=$(badrec n1)
bad2=$(badrec n2)
before=$(breaks_total)
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	opt=
	[ $((r % 2)) -eq 0 ] && opt=-w
	"$LOCKHOLD" $opt lan.bus > hold.txt 2> hold.err &
	hpid=$!
	i=0
	until grep -q "^locked $hpid$" hold.txt 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "round $r: holder did not lock: $(cat hold.err)"
		sleep 0.02
	done
	"$DUMPBUS" -h lan.bus > hdr.txt 2>&1 || fail "dumpbus -h: $(cat hdr.txt)"
	expect_line "round $r: holder shown" "lock: 1, .*holder: pid $hpid\$" hdr.txt
	kill -KILL $hpid
	wait $hpid 2>/dev/null
	# A ping within a few seconds: the lock was broken.
	expect_status 0 "round $r: ping after the kill" \
	    timeout 20 rump.ping -n -c 1 -w 5 198.51.100.2
done
after=$(breaks_total)
debug "lockbreaks: $before -> $after over $ROUNDS kills"
[ $((after - before)) -eq "$ROUNDS" ] ||
    fail "lockbreaks grew by $((after - before)), want $ROUNDS"

kill -INT $bgpid
wait $bgpid
debug "$(cat bg.txt)"
expect_line "background ping summary" 'packets transmitted' bg.txt
sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1/p' bg.txt)
rcvd=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\2/p' bg.txt)
[ "$rcvd" -gt 0 ] || fail "background ping got nothing: $(cat bg.txt)"
# Each kill may cost a probe or two while the lock is broken.
[ $((sent - rcvd)) -le $((ROUNDS * 2 + 5)) ] ||
    fail "background ping lost $((sent - rcvd)) of $sent"

# The bus is consistent: it walks from first to last, and no reader
# ever saw a half-written record (its bytes are 0xee, sender 0xdead...).
"$DUMPBUS" -h lan.bus > hdr.txt 2>&1 || fail "dumpbus -h: $(cat hdr.txt)"
expect_line "lock free at the end" 'lock: 0,' hdr.txt
expect_no_line "no holder at the end" 'holder' hdr.txt
"$DUMPBUS" -p walk.pcap lan.bus > walk.txt 2>&1 || fail "bus walk: $(cat walk.txt)"
tcpdump -n -e -r walk.pcap 2>/dev/null > walk.tcpdump
expect_no_line "no half-written frame on the bus" 'ee:ee:ee:ee:ee:ee' walk.tcpdump
[ "$(badrec n1)" = "$bad1" ] || fail "n1 read bad records: $bad1 -> $(badrec n1)"
[ "$(badrec n2)" = "$bad2" ] || fail "n2 read bad records: $bad2 -> $(badrec n2)"
exit 0
