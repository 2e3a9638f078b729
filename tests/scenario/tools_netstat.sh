#!/bin/sh
# tools_netstat.sh -- rump.netstat's socket list: NetBSD's columns,
# TCP states, queue sizes, wildcard "*" addresses, the "servers" rule
# (-a shows listeners and wildcard-bound sockets), -f, and sockets
# gone once their client has exited.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

rump_server_start unix://a netinet6 || fail "cannot start server a"
rump_server_add_iface unix://a shmif0 lan.bus || fail "add shmif0"
env RUMP_SERVER=unix://a rump.ifconfig shmif0 198.51.100.1/24 ||
    fail "address on a"
rump_wait_addresses unix://a || fail "DAD on a"
export RUMP_SERVER=unix://a
holder="$top_builddir/tests/scenario/sock_holder"

# Nothing open yet: no sections at all.
expect_status 0 "netstat -an, no sockets" rump.netstat -an
expect_no_line "empty" 'tcp|udp' out.txt

mkfifo hold.fifo
"$holder" < hold.fifo > holder.out 2> holder.err &
holder_pid=$!
exec 7> hold.fifo
i=0
until grep -q ready holder.out; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat holder.err >&2; fail "sock_holder not ready"; }
	kill -0 $holder_pid 2>/dev/null ||
	    { cat holder.err >&2; fail "sock_holder died"; }
	sleep 0.05
done

expect_status 0 "netstat -an" rump.netstat -an
expect_line "v4 title" '^Active Internet connections \(including servers\)$' out.txt
expect_line "v4 header" '^Proto Recv-Q Send-Q  Local Address          Foreign Address        State$' out.txt
expect_line "listener" '^tcp        0      0  \*\.7001                 \*\.\*                    LISTEN$' out.txt
expect_line "client" '^tcp        0      0  127\.0\.0\.1\.[0-9]+ +127\.0\.0\.1\.7001 +ESTABLISHED$' out.txt
expect_line "server, 5 unread" '^tcp        5      0  127\.0\.0\.1\.7001 +127\.0\.0\.1\.[0-9]+ +ESTABLISHED$' out.txt
expect_line "half-closed client" '^tcp +0 +0  127\.0\.0\.1\.[0-9]+ +127\.0\.0\.1\.7001 +FIN_WAIT_2$' out.txt
expect_line "half-closed server" '^tcp +0 +0  127\.0\.0\.1\.7001 +127\.0\.0\.1\.[0-9]+ +CLOSE_WAIT$' out.txt
expect_line "udp bound" '^udp        0      0  198\.51\.100\.1\.7003 +\*\.\* *$' out.txt
expect_line "udp wildcard" '^udp        0      0  \*\.7004 +\*\.\* *$' out.txt
expect_line "v6 title" '^Active Internet6 connections \(including servers\)$' out.txt
expect_line "v6 header" '^Proto Recv-Q Send-Q  Local Address          Foreign Address        \(state\)$' out.txt
expect_line "v6 listener" '^tcp6       0      0  \*\.7002                 \*\.\*                    LISTEN$' out.txt
# TCP lines come before UDP lines within a section.
last_tcp=$(grep -n '^tcp ' out.txt | tail -1 | cut -d: -f1)
first_udp=$(grep -n '^udp ' out.txt | head -1 | cut -d: -f1)
[ "$last_tcp" -lt "$first_udp" ] || fail "tcp lines before udp lines"

# Without -a: no servers (wildcard local address), connections stay.
expect_status 0 "netstat -n" rump.netstat -n
expect_line "title without -a" '^Active Internet connections$' out.txt
expect_no_line "no listener" '\*\.7001' out.txt
expect_no_line "no wildcard udp" '\*\.7004' out.txt
expect_line "bound udp stays" '198\.51\.100\.1\.7003' out.txt
expect_line "connection stays" 'ESTABLISHED$' out.txt
expect_no_line "no v6 section (only a listener)" 'Internet6' out.txt

# -f selects one family.
expect_status 0 "netstat -an -f inet6" rump.netstat -an -f inet6
expect_no_line "inet6 only" '^(tcp|udp) ' out.txt
expect_line "v6 listener" '^tcp6 .*\*\.7002 ' out.txt
expect_status 0 "netstat -an -f inet" rump.netstat -an -f inet
expect_no_line "inet only" '^tcp6|Internet6' out.txt

# The client goes away: its listeners and datagram sockets go with it.
exec 7>&-
wait $holder_pid || fail "sock_holder exit status"
i=0
while rump.netstat -an | grep -Eq '\*\.7001 |\*\.7004 |\*\.7002 '; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "sockets of an exited client still listed"
	sleep 0.05
done

# Bad family: a usage-style error, exit 1.
expect_status 1 "bad family" rump.netstat -an -f appletalk
expect_line "message" '^rump\.netstat: appletalk: unknown address family$' err.txt
exit 0
