#!/bin/sh
# sockin_errors.sh -- sockin's error answers and component rules.
#
# 1. A host port nobody listens on: ECONNREFUSED for a blocking
#    connect, and as SO_ERROR after a non-blocking one.
# 2. -lrumpnet_sockin with -lrumpnet_netinet(6): refused with a message.
# 3. Without -lrumpnet_sockin the kernel's own stack serves sockets: a
#    host listener is out of its reach; with sockin it is reachable.
# 4. A server out of host descriptors: EMFILE for socket(), and it
#    recovers once sockets are closed.
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
. "$top_srcdir/tests/scenario/sockin_lib.sh"

sockin_setup

# A port that was free a moment ago.
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# 1. Refused.
client connect 127.0.0.1 "$dead" && fail "connect to a dead port worked"
grep -q 'connect: Connection refused' client.err ||
    fail "connect: $(cat client.err)"
client nbconnect 127.0.0.1 "$dead" || fail "nbconnect: $(cat client.err)"
grep -qx 'so_error Connection refused' client.out ||
    fail "nbconnect: $(cat client.out)"
client nbconnect ::1 "$dead" || fail "nbconnect ::1: $(cat client.err)"
grep -qx 'so_error Connection refused' client.out ||
    fail "nbconnect ::1: $(cat client.out)"

# 2. Both stacks named.
for other in -lrumpnet_netinet -lrumpnet_netinet6; do
	expect_fail 'cannot be combined with -l rumpnet_netinet' \
	    "$RUMP_SERVER_BIN" -lrumpnet -lrumpnet_sockin $other \
	    "unix://$WORKDIR/both.sock"
	[ ! -e both.sock ] || fail "socket left behind"
done

# 3. A host listener, tried from a kernel with its own stack, then
# from the sockin kernel.
rm -f port
host_peer tcp-eof 127.0.0.1 port eof.out
wait_for_file port
own="unix://$WORKDIR/own.sock"
server_start "$own"
RUMP_SERVER=$own client connect 127.0.0.1 "$(cat port)" &&
    fail "the kernel's own stack reached a host listener"
grep -q 'Connection refused' client.err || fail "own: $(cat client.err)"
client connect 127.0.0.1 "$(cat port)" || fail "sockin: $(cat client.err)"
wait "$HOST_PID" || fail "host peer: exit $?"

# 4. Out of host descriptors: a server with a low limit.
few="unix://$WORKDIR/few.sock"
out=$( (ulimit -n 40 && exec timeout 20 "$RUMP_SERVER_BIN" $SOCKIN_LIBS \
    "$few") 2>&1) || fail "rump_server (ulimit): $out"
SERVER_URLS="$SERVER_URLS $few"
RUMP_SERVER=$few client emfile 200 || fail "emfile: $(cat client.err)"
grep -qx 'opened [0-9]*: Too many open files' client.out ||
    fail "emfile: $(cat client.out)"
grep -qx 'recovered' client.out || fail "emfile: $(cat client.out)"
[ "$(RUMP_SERVER=$few sockin_stat openfail)" -ge 1 ] ||
    fail "EMFILE did not come from the host"
exit 0
