#!/bin/sh
# tools_sysctl.sh -- rump.sysctl: read ("name = value"), -n, -q as an
# existence test, -w ("name: old -> new"), -q -w (silent), subtrees,
# -a, and NetBSD's wording for names that do not exist.
#
#   [ unix://s ]   (no interfaces needed)
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
tools_setup

rump_server_start unix://s || fail "start"
export RUMP_SERVER=unix://s

expect_status 0 "read" rump.sysctl net.inet.ip.ttl
expect_line "name = value" '^net\.inet\.ip\.ttl = 64$' out.txt
expect_status 0 "-n" rump.sysctl -n net.inet.ip.ttl
expect_line "bare value" '^64$' out.txt
expect_silent "-q existing" rump.sysctl -q net.inet.ip.ttl
expect_status 1 "-q missing" rump.sysctl -q net.inet.ip.nosuchthing
[ -s out.txt ] || [ -s err.txt ] && fail "-q printed something"

# Writes: the change is reported and sticks; -q -w and -w -q are silent.
expect_status 0 "-w" rump.sysctl -w net.inet.ip.ttl=32
expect_line "old -> new" '^net\.inet\.ip\.ttl: 64 -> 32$' out.txt
expect_status 0 "read back" rump.sysctl -n net.inet.ip.ttl
expect_line "32" '^32$' out.txt
expect_silent "-q -w" rump.sysctl -q -w net.inet.ip.ttl=40
expect_silent "-w -q" rump.sysctl -w -q net.inet.ip.ttl=41
expect_status 0 "read back" rump.sysctl net.inet.ip.ttl
expect_line "41" '^net\.inet\.ip\.ttl = 41$' out.txt
expect_status 0 "-n -w" rump.sysctl -n -w net.inet.ip.ttl=64
expect_line "new value" '^64$' out.txt
expect_status 0 "string" rump.sysctl kern.hostname
expect_line "string value" '^kern\.hostname = .+$' out.txt

# A subtree prints every variable under it, -a the whole tree.
expect_status 0 "subtree" rump.sysctl net.inet.ip
expect_line "forwarding" '^net\.inet\.ip\.forwarding = [01]$' out.txt
expect_line "counters" '^net\.inet\.ip\.stats\.total = [0-9]+$' out.txt
expect_no_line "only the subtree" '^kern\.' out.txt
expect_status 0 "-a" rump.sysctl -a
expect_line "kern" '^kern\.hostname = ' out.txt
expect_line "net" '^net\.inet\.ip\.ttl = 64$' out.txt
n=$(grep -c ' = ' out.txt)
[ "$n" -ge 20 ] || fail "-a printed only $n variables"

# Errors: NetBSD's wording, exit status 1.
expect_status 1 "unknown third level" rump.sysctl net.inet.nosuch
expect_line "wording" "^rump\\.sysctl: third level name 'nosuch' in 'net\\.inet\\.nosuch' is invalid\$" err.txt
expect_status 1 "unknown top level" rump.sysctl nosuch.thing
expect_line "wording" "^rump\\.sysctl: top level name 'nosuch' in 'nosuch\\.thing' is invalid\$" err.txt
expect_status 1 "write a counter" rump.sysctl -w net.inet.ip.stats.total=0
expect_line "read-only" '^rump\.sysctl: net\.inet\.ip\.stats\.total: Operation not permitted$' err.txt
expect_status 1 "out of bounds" rump.sysctl -w net.inet.ip.ttl=1000
expect_line "invalid" 'Invalid argument' err.txt
expect_status 1 "not a number" rump.sysctl -w net.inet.ip.ttl=12abc
expect_line "bad value" "bad integer value '12abc'" err.txt
expect_status 1 "no value" rump.sysctl -w net.inet.ip.ttl
expect_status 1 "no name" rump.sysctl
expect_line "usage" '^usage: rump\.sysctl' err.txt
expect_status 0 "unchanged" rump.sysctl -n net.inet.ip.ttl
expect_line "still 64" '^64$' out.txt
exit 0
