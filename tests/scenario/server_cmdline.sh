#!/bin/sh
# server_cmdline.sh -- command lines rump_server must refuse: exit 1, a
# message naming the problem, nothing on stdout, no socket left behind.
set -u
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
server_setup

S=$RUMP_SERVER_BIN
expect_fail 'unknown component -l rumpnet_bogus' $S -lrumpnet_bogus unix://n1
expect_fail 'unknown component -l rumpfs_ffs' $S -l rumpfs_ffs unix://n1
[ -e n1 ] && fail "socket created despite a bad component"
expect_fail '^usage: rump_server' $S
expect_fail '^usage: rump_server' $S -x unix://n1
expect_fail '^usage: rump_server' $S unix://n1 unix://n2
expect_fail 'unknown URL scheme' $S foo://n1
expect_fail 'unknown URL scheme' $S n1
expect_fail 'unix:// needs a socket path' $S unix://
expect_fail 'socket path too long' \
    $S unix://$(printf 'x%.0s' $(seq 1 120))
expect_fail 'unix://nodir/n1: No such file or directory' $S unix://nodir/n1
touch plainfile
expect_fail 'plainfile exists and is not a socket' $S unix://plainfile
# Loopback only, and a real port.
expect_fail '198.51.100.1 is not a loopback address' \
    $S tcp://198.51.100.1:3755
expect_fail 'not the loopback address' $S 'tcp://[2001:db8::1]:3755'
expect_fail 'tcp URL without a port' $S tcp://127.0.0.1
expect_fail 'bad port' $S tcp://127.0.0.1:0
expect_fail 'bad port' $S tcp://127.0.0.1:65536
expect_fail 'bad port' $S tcp://127.0.0.1:12x
expect_fail 'bad IPv4 address' $S tcp://localhostx:3755
# NetBSD's -c ncpu and -r total_ram are checked, -m and -d refused.
expect_fail '\-c x: not a number of CPUs' $S -c x unix://n1
expect_fail '\-c 0: not a number of CPUs' $S -c 0 unix://n1
expect_fail '\-r 12q: not a memory size' $S -r 12q unix://n1
expect_fail '\-m rumpfs_ffs.kmod: this kernel has no loadable modules' \
    $S -m rumpfs_ffs.kmod unix://n1
expect_fail '\-d key=/dk,hostpath=img: this kernel has no block devices' \
    $S -d key=/dk,hostpath=img unix://n1
expect_fail '\-f nosuch.conf: No such file' $S -f nosuch.conf unix://n1
# The same checks in the foreground.
expect_fail 'unknown URL scheme' $S -s foo://n1
ls | grep -qv -e '^fail\.' -e '^plainfile$' && fail "left files: $(ls)"
# Accepted: NetBSD scripts pass -c and -r.
out=$($S -c 2 -r 64m unix://ok 2>&1) || fail "-c 2 -r 64m: $out"
[ -z "$out" ] || fail "-c 2 -r 64m printed: $out"
RUMP_SERVER=unix://ok "$RUMP_HALT" || fail "halt after -c 2 -r 64m"
# Clients refuse bad RUMP_SERVER values too, with one message.
expect_fail 'rumpclient: RUMP_SERVER: .* is not a loopback address' \
    env RUMP_SERVER=tcp://198.51.100.1:3755 "$RUMP_HALT"
expect_fail 'rumpclient: RUMP_SERVER is not set' env -u RUMP_SERVER \
    "$RUMP_HALT"
exit 0
