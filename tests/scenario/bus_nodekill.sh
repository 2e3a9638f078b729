#!/bin/sh
# bus_nodekill.sh -- nodes killed with SIGKILL in the middle of TCP
# transfers leave the others working, and a node restarted with the same
# address rejoins.
#
#   tx1 .1 -> rx1 .2     tx2 .3 -> rx2 .4     (tcpxfer, must complete)
#   victim .5 -> vrx .6  (tcpxfer, the sender killed mid-transfer,
#                         NODEKILL_ROUNDS times, each with a new receiver)
#   then .5 again as unix://again (rump_server): pings .2 and .6
#   all on 198.51.100.0/24, kill.bus
#
# A node is killed whenever it happens to be -- reading or writing the
# bus, maybe holding its lock: the other nodes break a dead holder's
# lock (bus_lockbreak.sh tests that on purpose).  Both long transfers must
# arrive whole (length and SHA-256), and the restarted node, with a new
# MAC address, must be reachable at the old IPv4 address.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/bus_lib.sh"
BYTES=${NODEKILL_BYTES:-30000000}
ROUNDS=${NODEKILL_ROUNDS:-4}
tools_setup

xfer_rx rx1 kill.bus 198.51.100.2/24
rxpid1=$xfer_pid
xfer_rx rx2 kill.bus 198.51.100.4/24
rxpid2=$xfer_pid
xfer_tx tx1 kill.bus 198.51.100.1/24 198.51.100.2 "$BYTES"
txpid1=$xfer_pid
xfer_tx tx2 kill.bus 198.51.100.3/24 198.51.100.4 "$BYTES"
txpid2=$xfer_pid

r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	port=$((5100 + r))
	xfer_rx vrx kill.bus 198.51.100.6/24 $port
	vrxpid=$xfer_pid
	xfer_tx victim kill.bus 198.51.100.5/24 198.51.100.6 1000000000 $port
	vpid=$xfer_pid
	# Let it get going: the receiver has data, the sender is busy.
	sleep 0.3
	kill -KILL $vpid
	wait $vpid 2>/dev/null
	if [ $r -lt "$ROUNDS" ]; then
		kill -KILL $vrxpid
		wait $vrxpid 2>/dev/null
	fi
done

kill -0 $txpid1 2>/dev/null && kill -0 $txpid2 2>/dev/null ||
    debug "a long transfer ended before the last kill"
for k in 1 2; do
	eval wait \$txpid$k || fail "tx$k failed: $(cat tx$k.err)"
	eval wait \$rxpid$k || fail "rx$k failed: $(cat rx$k.err)"
	xfer_check tx$k rx$k "$BYTES"
done

# The last victim's receiver is still up, its connection half dead; the
# other receivers have exited.  Restart .5 as a server: new MAC, old
# address.  It must reach the receiver (which learns the new MAC from
# its ARP request) and a fresh node.
node again shmif0 kill.bus 198.51.100.5/24
node fresh shmif0 kill.bus 198.51.100.7/24
rump_wait_addresses unix://again || fail "DAD on again"
rump_wait_addresses unix://fresh || fail "DAD on fresh"
export RUMP_SERVER=unix://again
expect_status 0 "restarted node pings a new node" \
    timeout 20 rump.ping -n -c 2 -w 5 198.51.100.7
expect_status 0 "restarted node pings the old peer" \
    timeout 20 rump.ping -n -c 2 -w 5 198.51.100.6
kill -KILL $vrxpid
wait $vrxpid 2>/dev/null
exit 0
