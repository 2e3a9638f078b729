#!/bin/sh
# sockin_tcp.sh -- TCP through sockin, both directions, IPv4 and IPv6.
#
#   sockin_client --unix--> rump_server -lrumpnet -lrumpnet_sockin
#                               | host sockets
#   sockin_host.py <--127.0.0.1 / ::1--'
#
# 1. The kernel connects to a host server: 2 MB up, 1.5 MB down, each
#    checked with SHA-256; the same over ::1.
# 2. A kernel listener accepts a host client's connection (python, then
#    nc), data both ways.
#    rump.netstat -an lists the listener.
# 3. A client killed while blocked in recv: the server closes its
#    socket (the host peer sees the end) and goes on serving.
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
. "$top_srcdir/tests/scenario/sockin_lib.sh"

sockin_setup

# port_ready FILE: FILE holds a whole "port N" line (newline written).
port_ready()
{
	grep -Eq '^port [0-9]+$' "$1" &&
	    [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]
}
head -c 2000000 /dev/urandom > up.bin
head -c 1500000 /dev/urandom > down.bin

# 1. Kernel to host server.
for addr in 127.0.0.1 ::1; do
	rm -f port got_up.bin got_down.bin
	host_peer tcp-server "$addr" port down.bin got_up.bin
	wait_for_file port
	client tcp "$addr" "$(cat port)" up.bin got_down.bin ||
	    fail "tcp to $addr: $(cat client.err)"
	wait "$HOST_PID" || fail "host server on $addr: exit $?"
	same_sha up.bin got_up.bin
	same_sha down.bin got_down.bin
done

# 2. Host client to a kernel listener.
for addr in 127.0.0.1 ::1; do
	rm -f got_up.bin got_down.bin
	timeout 30 "$SOCKIN_CLIENT" serve "$addr" 0 down.bin got_up.bin \
	    > serve.out 2> serve.err &
	spid=$!
	i=0
	until port_ready serve.out; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "listener on $addr: $(cat serve.err)"
		sleep 0.05
	done
	port=$(sed -n 's/^port //p' serve.out)
	# rump.netstat lists the listener with the host socket's address.
	"$top_builddir/tools/rump_netstat/rump.netstat" -an > netstat.txt ||
	    fail "rump.netstat -an"
	grep -Eq "^tcp6? +0 +0  $(echo "$addr" | sed 's/\./\\./g')\.$port +\*\.\* +LISTEN\$" \
	    netstat.txt || { cat netstat.txt >&2; fail "listener on $addr:$port not listed"; }
	timeout 30 python3 "$SOCKIN_HOST" tcp-client "$addr" "$port" up.bin \
	    got_down.bin || fail "host client to $addr: exit $?"
	wait $spid || fail "listener on $addr: $(cat serve.err)"
	same_sha up.bin got_up.bin
	same_sha down.bin got_down.bin
done
[ "$(sockin_stat accepted)" -ge 2 ] ||
    fail "accepted counter: $(sockin_stat accepted)"

# nc (OpenBSD netcat) as the host client, when installed: -N shuts the
# write side at the end of its input.
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-N.*[Ss]hutdown'; then
	timeout 30 "$SOCKIN_CLIENT" serve 127.0.0.1 0 down.bin got_up.bin \
	    > serve.out 2> serve.err &
	spid=$!
	i=0
	until port_ready serve.out; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "listener for nc: $(cat serve.err)"
		sleep 0.05
	done
	timeout 30 nc -N 127.0.0.1 "$(sed -n 's/^port //p' serve.out)" \
	    < up.bin > got_down.bin || fail "nc: exit $?"
	wait $spid || fail "listener for nc: $(cat serve.err)"
	same_sha up.bin got_up.bin
	same_sha down.bin got_down.bin
fi

# 3. A client dies in the middle of a blocking recv.
rm -f port eof.out
host_peer tcp-eof 127.0.0.1 port eof.out
wait_for_file port
: > hold.out
"$SOCKIN_CLIENT" hold 127.0.0.1 "$(cat port)" > hold.out 2>&1 &
hpid=$!
i=0
until grep -q '^holding$' hold.out; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "hold client: $(cat hold.out)"
	sleep 0.05
done
kill -9 $hpid
wait $hpid 2>/dev/null
wait "$HOST_PID" || fail "host peer did not see the end of the connection"
grep -q '^eof$' eof.out || fail "host peer: no eof"
# The server goes on serving.
rm -f port
host_peer tcp-server 127.0.0.1 port down.bin got_up.bin
wait_for_file port
client tcp 127.0.0.1 "$(cat port)" up.bin got_down.bin ||
    fail "tcp after the abort: $(cat client.err)"
wait "$HOST_PID" || fail "host server: exit $?"
same_sha down.bin got_down.bin
exit 0
