#!/bin/sh
# topo_errors.sh -- rumpnet-topo rejects bad topology files with the
# file, the line and what is wrong (exit 2), before starting anything,
# and bad command lines with the usage (exit 2).
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
PATH="$top_builddir/tools:$PATH"
RUMPNET_SH=$top_srcdir/tools/rumpnet.sh
export PATH RUMPNET_SH
tools_setup
RUMPNET_BUSDIR=$WORKDIR/state
export RUMPNET_BUSDIR

# bad LINE REGEX: the file bad.topo, given on stdin, fails at LINE.
bad()
{
	cat > bad.topo
	expect_status 2 "bad file (line $1)" rumpnet-topo up bad.topo
	expect_line "message" "^bad\\.topo:$1: $2" err.txt
	[ ! -e "$RUMPNET_BUSDIR/bad" ] || fail "state created for a bad file"
}

printf 'bus a\nfrobnicate\n' | bad 2 "unknown keyword 'frobnicate'"
printf 'bus a\nbus a\n' | bad 2 "bus 'a' defined twice"
printf 'bus a b\n' | bad 1 'usage: bus NAME'
printf 'bus a/b\n' | bad 1 "bad bus name 'a/b'"
printf 'bus a\nnode n b=198.51.100.1/24\n' | bad 2 "node n: unknown bus 'b'"
printf 'bus a\nnode n a=198.51.100.1\n' | bad 2 "node n: bad address '198.51.100.1'"
printf 'bus a\nnode n a=198.51.100.300/24\n' | bad 2 "node n: bad address"
printf 'bus a\nnode n a=2001:db8::1/129\n' | bad 2 "node n: bad address"
printf 'bus a\nnode n\n' | bad 2 'node n has no interface'
printf 'bus a\nnode n-1 a=198.51.100.1/24\n' | bad 2 "bad node name 'n-1'"
printf 'bus a\nnode n a=198.51.100.1/24\nnode n a=198.51.100.2/24\n' |
    bad 3 "node 'n' defined twice"
printf 'bus a\nnode n a=198.51.100.1/24 route default\n' |
    bad 2 'route needs a destination and a gateway'
printf 'bus a\nnode n a=198.51.100.1/24 route 2001:db8::/32 198.51.100.2\n' |
    bad 2 'route 2001:db8::/32 via 198.51.100.2 mixes IPv4 and IPv6'
printf 'bus a\nnode n a=198.51.100.1/24 fast\n' | bad 2 "node n: unknown word 'fast'"
printf '# empty\nbus a\n' | bad 2 'no node in the file'
printf 'bus a\nbus b\nnode n a=198.51.100.1/24\nimpair n b loss=1\n' |
    bad 4 "impair: node n has no interface on bus 'b'"
printf 'bus a\nnode n a=198.51.100.1/24\nimpair n a speed=1\n' |
    bad 3 "impair: unknown knob 'speed'"
printf 'bus a\nnode n a=198.51.100.1/24\nimpair n a loss=x\n' |
    bad 3 "impair: bad value in 'loss=x'"
# A continued line is reported where it ends.
printf 'bus a\nnode n \\\n  a=198.51.100.1/24 \\\n  bogus\n' |
    bad 4 "node n: unknown word 'bogus'"

expect_status 2 "missing file" rumpnet-topo up nonexistent.topo
expect_line "says so" 'nonexistent.topo: cannot read the file' err.txt
expect_status 2 "no command" rumpnet-topo
expect_line "usage" '^usage: rumpnet-topo up FILE' err.txt
expect_status 2 "unknown command" rumpnet-topo frob x.topo
printf 'bus a\nnode n a=198.51.100.1/24\n' > ok.topo
expect_status 2 "dot with a stray word" rumpnet-topo dot ok.topo -x
expect_status 1 "run before up" rumpnet-topo run ok.topo n true
expect_line "not up" 'ok is not up' err.txt
expect_status 1 "run on an unknown node" rumpnet-topo run ok.topo m true
expect_line "no node" "no node 'm'" err.txt
expect_status 1 "dot to an unknown format" rumpnet-topo dot ok.topo -o x.jpg
expect_line "format" 'must end in' err.txt
exit 0
