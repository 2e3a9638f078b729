#!/bin/sh
# hijack_iperf3.sh -- iperf3 client and server, unmodified, over two
# rump kernels on one bus (node1 -> node2, then reversed with -R), two
# seconds each.  Both must report a rate above zero and the same byte
# count on both sides; the data must have crossed the bus.
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/hijack_lib.sh"
require iperf3
hijack_setup 2

# run [-R]: one test; prints the receiver's bits per second.
run()
{
	: > srv.log
	hijacked 2 timeout 30 iperf3 -s -1 --forceflush -B 198.51.100.2 -p 5201 \
	    > srv.log 2>&1 &
	_s=$!
	wait_line srv.log "Server listening"
	hijacked 1 timeout 30 iperf3 -c 198.51.100.2 -p 5201 -t 2 -J "$@" \
	    > cli.json 2> cli.err || fail "iperf3 -c $*: exit $? $(cat cli.err)"
	wait $_s || fail "iperf3 -s: exit $? $(cat srv.log)"
	python3 - cli.json <<'PY' || fail "iperf3 -c $*: bad result"
import json, sys
r = json.load(open(sys.argv[1]))["end"]
snt, rcv = r["sum_sent"], r["sum_received"]
assert snt["bytes"] > 1000000 and rcv["bytes"] > 1000000, r
assert rcv["bits_per_second"] > 0
print(int(rcv["bits_per_second"]))
PY
}

require python3
fwd=$(run) || exit 1
rev=$(run -R) || exit 1
[ "$(bus_tcp_frames 5201)" -gt 1000 ] ||
    fail "the transfers did not cross the bus"
debug "iperf3 node1 -> node2: $fwd bit/s; reversed: $rev bit/s"
exit 0
