#!/bin/sh
# hijack_http.sh -- curl fetching from python3's http.server, both
# unmodified and both hijacked:
#
#   curl (sockets in node1)  198.51.100.1 -- bus.bus -- 198.51.100.2
#                                      python3 -m http.server (node2)
#
# http.server runs a thread per request (concurrent calls on one kernel
# process) and polls; curl polls its rump socket together with host
# descriptors of its own.  The file must arrive intact, twice, and the
# server's log must show node1's address as the client.  Then Ctrl-C
# must stop a hijacked Python program waiting in accept().
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/hijack_lib.sh"
require curl
require python3
require sha256sum
hijack_setup 2

mkdir www
head -c 3000000 /dev/urandom > www/blob
(cd www && hijacked 2 timeout 60 python3 -u -m http.server \
    --bind 198.51.100.2 8080 > ../http.log 2>&1) &
SCENARIO_PIDS="$SCENARIO_PIDS $!"
wait_line http.log "Serving HTTP on 198.51.100.2"

for i in 1 2; do
	hijacked 1 timeout 30 curl -sS -o "got$i" \
	    http://198.51.100.2:8080/blob || fail "curl: exit $?"
	[ "$(sha256sum < www/blob)" = "$(sha256sum < "got$i")" ] ||
	    fail "fetch $i: SHA-256 differs ($(wc -c < "got$i") bytes)"
done
grep -q '^198.51.100.1 .*"GET /blob HTTP/1.1" 200' http.log ||
    fail "http.server did not log node1 as the client: $(cat http.log)"
[ "$(bus_tcp_frames 8080)" -gt 100 ] ||
    fail "the transfer did not cross the bus"

# Ctrl-C stops a hijacked Python program blocked in accept(): Python's
# handler has no SA_RESTART, so the call fails with EINTR and the
# handler's KeyboardInterrupt is raised.  (SIGINT is ignored in a
# background job of a script, so the program installs the handler.)
cat > waiter.py <<'EOF2'
import signal, socket, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
s = socket.socket()
s.bind(("198.51.100.2", 8081))
s.listen()
print("listening", flush=True)
try:
    s.accept()
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(3)
EOF2
env RUMP_SERVER="unix://$WORKDIR/node2" LD_PRELOAD="$HIJACK_LIB" \
    python3 -u waiter.py > waiter.log 2>&1 &
wpid=$!
SCENARIO_PIDS="$SCENARIO_PIDS $wpid"
wait_line waiter.log "^listening"
sleep 0.3	# into accept()
kill -INT "$wpid"
i=0
while kill -0 "$wpid" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		kill -9 "$wpid"
		fail "SIGINT did not stop a Python program blocked in accept()"
	fi
	sleep 0.1
done
wait "$wpid"
st=$?
[ "$st" -eq 3 ] && grep -q '^interrupted$' waiter.log ||
    fail "the waiter ended with status $st: $(cat waiter.log)"
exit 0
