#!/bin/sh
# hijack_nc.sh -- netcat-openbsd, unmodified, over two rump kernels:
#
#   nc (host process,        node1 198.51.100.1 -- bus.bus --
#   sockets in node1)        node2 198.51.100.2    nc -l (sockets in node2)
#
# 2 MB each way, checked with SHA-256; the bytes must have crossed the
# bus (tcpdump of the bus shows the port), and nc's stdin/stdout are
# host descriptors polled together with the rump socket.
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
exit 0
