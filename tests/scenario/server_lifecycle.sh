#!/bin/sh
# server_lifecycle.sh -- rump_server as scripts use it: start (daemon,
# silent, ready at once), the socket file, a second server refused,
# stop by rump.halt and by SIGTERM, stale sockets, tcp://.
set -u
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
server_setup

# Start with a relative unix:// path; the daemon must not keep our
# stdout/stderr pipe open (server_start waits for EOF on it).
server_start unix://node1
[ -S node1 ] || fail "no socket file node1"
mode=$(stat -c %a node1)
[ "$mode" = 600 ] || fail "socket mode $mode, want 600"
# Ready at once: a client works right away.
RUMP_SERVER=unix://node1 "$SP_CLIENT" init || fail "client cannot connect"

# A second server on the same URL is refused, and leaves the first alone.
expect_fail 'unix://node1: Address already in use' \
    "$RUMP_SERVER_BIN" $BASIC_LIBS unix://node1
RUMP_SERVER=unix://node1 "$SP_CLIENT" init || fail "first server gone"

# rump.halt: silent, and the socket file is gone when it returns.
server_halt unix://node1
[ -e node1 ] && fail "node1 still exists after rump.halt"
expect_fail 'rumpclient: cannot connect to unix://node1' \
    env RUMP_SERVER=unix://node1 "$RUMP_HALT"

# A path in a subdirectory, -l with a separate argument.
mkdir sub
server_start unix://sub/node2 -l rumpnet_netinet6 -l librumpnet_virtif.so
RUMP_SERVER=unix://sub/node2 "$SP_CLIENT" init || fail "sub/node2"
server_halt unix://sub/node2
[ -e sub/node2 ] && fail "sub/node2 still exists after rump.halt"

# SIGTERM on a foreground (-s) server: exit 0, socket removed.
"$RUMP_SERVER_BIN" -s unix://node3 > fg.out 2> fg.err &
pid=$!
wait_for_socket()
{
	i=0
	while [ ! -S "$1" ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "timed out waiting for $1"
		sleep 0.05
	done
}
wait_for_socket node3
RUMP_SERVER=unix://node3 "$SP_CLIENT" init || fail "node3"
kill -TERM $pid
wait $pid
st=$?
[ $st -eq 0 ] || fail "server exit status $st after SIGTERM"
[ -e node3 ] && fail "node3 still exists after SIGTERM"
[ -s fg.out ] || [ -s fg.err ] && fail "-s server printed: $(cat fg.out fg.err)"

# SIGINT too, with a client connected and blocked in the kernel.
"$RUMP_SERVER_BIN" -s unix://node4 2> fg.err &
pid=$!
wait_for_socket node4
RUMP_SERVER=unix://node4 "$SP_CLIENT" hold 5555 > hold.out 2>&1 &
hpid=$!
i=0
until grep -q '^fd ' hold.out; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "hold client did not start"
	sleep 0.05
done
kill -INT $pid
wait $pid || fail "server exit status $? after SIGINT"
wait $hpid && fail "blocked client did not notice the halt"
grep -q 'lost the connection' hold.out ||
    fail "blocked client: $(cat hold.out)"
[ -e node4 ] && fail "node4 still exists after SIGINT"

# A stale socket file (no server behind it) is replaced.
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.bind("node5")'
[ -S node5 ] || fail "could not make a stale socket"
server_start unix://node5
RUMP_SERVER=unix://node5 "$SP_CLIENT" init || fail "node5"
server_halt unix://node5

# rump.halt while another client is blocked in the kernel: it returns
# once that client is gone and the socket file removed.
server_start unix://node6
RUMP_SERVER=unix://node6 "$SP_CLIENT" hold 5556 > hold6.out 2>&1 &
hpid=$!
i=0
until grep -q '^fd ' hold6.out; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "hold client did not start"
	sleep 0.05
done
server_halt unix://node6
[ -e node6 ] && fail "node6 still exists after rump.halt"
wait $hpid && fail "blocked client did not notice the halt"

# tcp:// on loopback.
port=$(server_tcp_port)
server_start tcp://127.0.0.1:$port
RUMP_SERVER=tcp://127.0.0.1:$port "$SP_CLIENT" udp 5000 > udp.out ||
    fail "udp over tcp://"
grep -q '^udp ok$' udp.out || fail "udp: $(cat udp.out)"
expect_fail 'Address already in use' \
    "$RUMP_SERVER_BIN" tcp://127.0.0.1:$port
server_halt tcp://127.0.0.1:$port
SERVER_URLS=""
exit 0
