#!/bin/sh
# hijack_nc.sh -- netcat-openbsd, unmodified, over two rump kernels:
#
#   nc (host process,        node1 198.51.100.1 -- bus.bus --
#   sockets in node1)        node2 198.51.100.2    nc -l (sockets in node2)
#
# 2 MB each way, checked with SHA-256; the bytes must have crossed the
# bus (tcpdump of the bus shows the port), and nc's stdin/stdout are
# host descriptors polled together with the rump socket.  Then node2's
# interface is destroyed in the middle of a transfer: the server goes
# on, and works again once the interface is back.
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/hijack_lib.sh"
require nc
require sha256sum
hijack_setup 2

head -c 2000000 /dev/urandom > a.dat
head -c 2000000 /dev/urandom > b.dat

# transfer FROM-NODE TO-NODE PORT FILE
transfer()
{
	: > "l$3.err"
	hijacked "$2" timeout 30 nc -lvN "198.51.100.$2" "$3" > "got$3" \
	    2> "l$3.err" &
	_l=$!
	wait_line "l$3.err" "Listening"
	hijacked "$1" timeout 30 nc -N "198.51.100.$2" "$3" < "$4" ||
	    fail "nc node$1 -> node$2: exit $?"
	wait $_l || fail "nc -l on node$2: exit $? ($(cat "l$3.err"))"
	[ "$(sha256sum < "$4")" = "$(sha256sum < "got$3")" ] ||
	    fail "node$1 -> node$2: SHA-256 differs ($(wc -c < "got$3") bytes)"
	[ "$(bus_tcp_frames "$3")" -gt 100 ] ||
	    fail "node$1 -> node$2: the transfer did not cross the bus"
	debug "node$1 -> node$2: $(wc -c < "got$3") bytes, SHA-256 ok"
}

transfer 1 2 5001 a.dat
transfer 2 1 5002 b.dat

# node2's interface destroyed under a transfer: nc is stuck (its peer
# is gone) and is killed; node2's server lives on, and once shmif0 is
# back a new transfer works.
hijacked 2 timeout 60 nc -lN 198.51.100.2 5003 > /dev/null 2> l5003.err &
lpid=$!
sleep 0.5
hijacked 1 timeout 60 nc -N 198.51.100.2 5003 < /dev/zero 2> c5003.err &
cpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $lpid $cpid"
sleep 0.3
export RUMP_SERVER="unix://$WORKDIR/node2"
n0=$(rump.ifconfig -v shmif0 | sed -n 's/.*input: \([0-9]*\) packets.*/\1/p')
sleep 0.2
n1=$(rump.ifconfig -v shmif0 | sed -n 's/.*input: \([0-9]*\) packets.*/\1/p')
[ "$n1" -gt "$n0" ] || fail "no transfer going on ($n0 -> $n1 packets)"
expect_silent "destroy under traffic" rump.ifconfig shmif0 destroy
kill "$lpid" "$cpid" 2>/dev/null
wait "$lpid" "$cpid" 2>/dev/null
rump.ifconfig -l > if.txt || fail "node2 no longer answers"
expect_no_line "shmif0 gone" shmif0 if.txt
rump_server_add_iface "unix://$WORKDIR/node2" shmif0 "$WORKDIR/bus.bus" ||
    fail "shmif0 again"
expect_silent "address again" rump.ifconfig shmif0 inet 198.51.100.2/24
unset RUMP_SERVER
transfer 1 2 5004 a.dat
exit 0
