#!/bin/sh
# hijack_calls.sh -- every call of librumphijack's table, exercised on
# rump descriptors by the test programs of tests/hijack/:
#
#   hj_sock hj_fd hj_poll hj_proc hj_sig (host processes, LD_PRELOAD)
#        |  sockets in node1
#   node1 198.51.100.1 (rump_server) -- bus.bus
#
# Each program reports "ok NAME" per call it saw work; every name of
# tools/librumphijack/hijack_calls.def must be reported.  The fortified
# programs must really call the C library's checked entry points.
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/hijack_lib.sh"
hijack_setup 1

for t in hj_sock hj_fd hj_poll hj_proc hj_sig; do
	hijacked 1 timeout 120 "$HJTEST/$t" > "$t.out" 2> "$t.err" ||
	    fail "$t: exit $?: $(cat "$t.err")"
	[ ! -s "$t.err" ] || fail "$t said: $(cat "$t.err")"
	debug "$t: $(tr '\n' ' ' < "$t.out")"
done
cat hj_*.out | sed -n 's/^ok //p' | sort -u > done.txt

sed -n 's/^HJ_\(FDW*\|OWN\)([^,]*, *\([a-z_0-9]*\),.*/\2/p' \
    "$top_srcdir/tools/librumphijack/hijack_calls.def" | sort -u > table.txt
[ "$(wc -l < table.txt)" -eq "$(grep -c '^HJ_' \
    "$top_srcdir/tools/librumphijack/hijack_calls.def")" ] ||
    fail "cannot read the call table"
missing=$(comm -23 table.txt done.txt | tr '\n' ' ')
[ -z "$missing" ] || fail "calls without a passing test: $missing"

if command -v nm >/dev/null 2>&1; then
	for s in __read_chk __recv_chk __recvfrom_chk; do
		nm "$HJTEST/hj_sock" | grep -q "U $s" ||
		    fail "hj_sock does not call $s"
	done
	for s in __poll_chk __ppoll_chk; do
		nm "$HJTEST/hj_poll" | grep -q "U $s" ||
		    fail "hj_poll does not call $s"
	done
fi
exit 0
