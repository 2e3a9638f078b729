#!/bin/sh
# server_client.sh -- librumpclient programs against one server: UDP on
# lo0 inside the server, interface configuration by ioctl, sysctl, error
# paths, fork; every client is its own kernel process (own descriptor
# table) whose sockets close when it goes away, even mid-call.
#
#   sp_client ... --unix://node1--> [ rump_server: lo0, shmif0 -- lan.bus ]
set -u
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
server_setup
server_start unix://node1
export RUMP_SERVER=unix://node1

run()
{
	"$SP_CLIENT" "$@" > run.out 2> run.err ||
	    fail "sp_client $*: $(cat run.out run.err)"
	[ -s run.err ] && fail "sp_client $* wrote on stderr: $(cat run.err)"
	debug "sp_client $*: $(cat run.out)"
}

run udp 5000
grep -q '^udp ok$' run.out || fail "udp"

# ioctl: shmif0 created on a bus in the server's directory, addressed,
# up: UP|BROADCAST|RUNNING|SIMPLEX|MULTICAST.
run ifconfig lan.bus
grep -q '^shmif0 flags=0x8843$' run.out || fail "ifconfig: $(cat run.out)"
[ -s lan.bus ] || fail "the server did not create lan.bus"

# sysctl: written by one client, read by another (one kernel).
run sysctl net.inet.ip.ttl 33
grep -q '^net.inet.ip.ttl = 33$' run.out || fail "sysctl write"
run sysctl net.inet.ip.ttl
grep -q '^net.inet.ip.ttl = 33$' run.out || fail "sysctl readback"
run sysctlwalk net.inet.ip
grep -q '^net.inet.ip.ttl$' run.out || fail "sysctlnext walk"
grep -q '^net.interfaces' run.out && fail "sysctlnext left its prefix"

run errors
grep -q '^errors ok$' run.out || fail "errors"
run fork
grep -q '^fork ok$' run.out || fail "fork"

# Separate descriptor tables: a client holding a socket (fd 0, blocked
# in recvfrom) and another client both get fd 0.
"$SP_CLIENT" hold 6000 > hold.out 2>&1 &
hpid=$!
i=0
until grep -q '^fd ' hold.out; do
	i=$((i + 1)); [ $i -gt 200 ] && fail "hold client did not start"
	sleep 0.05
done
grep -q '^fd 0$' hold.out || fail "holder: $(cat hold.out)"
run bind 6001
grep -q '^fd 0$' run.out || fail "second client: $(cat run.out)"
# The port is taken while the holder lives ...
"$SP_CLIENT" bind 6000 > run.out 2>&1 && fail "port 6000 bound twice"
grep -q 'Address already in use' run.out || fail "bind: $(cat run.out)"
# ... and free once it is killed in the middle of its call.
kill $hpid
wait $hpid 2>/dev/null
i=0
until "$SP_CLIENT" bind 6000 > run.out 2>&1; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "port 6000 still bound after the client died"
	sleep 0.05
done
debug "port free after $i retries"

# A client that exits without closing: its sockets go too.
run bind 6002
run bind 6002
exit 0
