#!/bin/sh
# demo.sh -- the README's demo (examples/demo.sh) keeps working: three
# nodes, two buses, a router; pings cross it, 20 MB of TCP arrive intact.
set -u
. "$top_srcdir/tests/scenario/common.sh"
require tcpdump
scenario_setup
DEMO_OUT=$WORKDIR/out sh "$top_srcdir/examples/demo.sh" > demo.txt 2>&1 ||
    { cat demo.txt >&2; fail "demo failed"; }
debug "$(cat demo.txt)"
grep -q '^3 packets transmitted, 3 received$' demo.txt || fail "pings"
grep -q 'icmp_seq=0 ttl=63' demo.txt || fail "no TTL 63 across the router"
sent=$(sed -n 's/^sent 20000000 bytes sha256 //p' demo.txt)
got=$(sed -n 's/^received 20000000 bytes sha256 //p' demo.txt)
[ -n "$sent" ] && [ "$sent" = "$got" ] || fail "TCP stream differs"
grep -q 'offload.tx_tsov4_segs = [1-9]' demo.txt || fail "TSO not used"
if grep -q '^tshark:' demo.txt; then
	grep -q ' 0 frames with a bad TCP checksum, 0 frames over 1514' \
	    demo.txt || fail "bad frames in the capture"
fi
exit 0
