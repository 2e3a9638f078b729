#!/bin/sh
# sockin_udp.sh -- UDP through sockin: a kernel socket sends to a host
# echo server on 127.0.0.1 and ::1 and gets the answer back, with the
# server's port as its source.
#
#   sockin_client --unix--> rump_server -lrumpnet -lrumpnet_sockin
#                               | host UDP sockets
#   sockin_host.py udp-echo <---'
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
. "$top_srcdir/tests/scenario/sockin_lib.sh"

sockin_setup
for addr in 127.0.0.1 ::1; do
	rm -f port
	host_peer udp-echo "$addr" port 2
	wait_for_file port
	p=$(cat port)
	for msg in hello "two words"; do
		client udp "$addr" "$p" "$msg" ||
		    fail "udp to $addr: $(cat client.err)"
		grep -qx "reply echo:$msg from $p" client.out ||
		    fail "udp to $addr: $(cat client.out)"
	done
	wait "$HOST_PID" || fail "echo server on $addr: exit $?"
done
[ "$(sockin_stat rxdgrams)" -ge 4 ] ||
    fail "rxdgrams counter: $(sockin_stat rxdgrams)"
[ "$(sockin_stat txdgrams)" -ge 4 ] ||
    fail "txdgrams counter: $(sockin_stat txdgrams)"
exit 0
