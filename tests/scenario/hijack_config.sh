#!/bin/sh
# hijack_config.sh -- what RUMPHIJACK selects, and the messages when the
# hijack cannot take effect:
#
#   python3 (LD_PRELOAD) -- node1 198.51.100.1 (rump_server)
#
# A socket is a rump one when the host sees a /dev/null placeholder for
# it (rumphijack(3)).
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/hijack_lib.sh"
require python3
hijack_setup 1

# kinds: for AF_INET, AF_INET6, AF_UNIX: "rump" or "host".
cat > kinds.py <<'PY'
import os, socket, stat
out = []
for af in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
    s = socket.socket(af, socket.SOCK_DGRAM)
    out.append("rump" if stat.S_ISCHR(os.fstat(s.fileno()).st_mode)
               else "host")
    s.close()
print(" ".join(out))
PY

# expect_kinds RUMPHIJACK-VALUE "WANT"
expect_kinds()
{
	got=$(hijacked 1 env ${1:+RUMPHIJACK="$1"} python3 kinds.py 2> k.err) ||
	    fail "RUMPHIJACK='$1': exit $? $(cat k.err)"
	[ "$got" = "$2" ] || fail "RUMPHIJACK='$1': $got, want $2"
	[ ! -s k.err ] || fail "RUMPHIJACK='$1' said: $(cat k.err)"
}

expect_kinds "" "rump rump host"			# all:nolocal
expect_kinds "socket=all:nolocal" "rump rump host"
expect_kinds "socket=inet" "rump host host"
expect_kinds "socket=inet6" "host rump host"
expect_kinds "socket=inet:inet6,path=/rump" "rump rump host"
expect_kinds "socket=none" "host host host"

# A bad specification: refused with a message, the program not run.
expect_status 1 "bad RUMPHIJACK" hijacked 1 env RUMPHIJACK=socket=inet9 \
    python3 kinds.py
expect_line "bad family" "rumphijack: RUMPHIJACK: unknown socket family 'inet9'" err.txt
expect_line "refusal" "rumphijack: refusing" err.txt
[ ! -s out.txt ] || fail "the program ran with a bad RUMPHIJACK"

# No RUMP_SERVER: said loudly, and the host's sockets are used.
expect_status 0 "RUMP_SERVER unset" env -u RUMP_SERVER \
    LD_PRELOAD="$HIJACK_LIB" python3 kinds.py
expect_line "unset" "rumphijack: RUMP_SERVER is not set: nothing is hijacked" err.txt
expect_line "host sockets" "^host host host$" out.txt

# An unreachable server: said loudly, and hijacked sockets fail
# instead of quietly using the host.
expect_status 1 "unreachable" env RUMP_SERVER="unix://$WORKDIR/none" \
    LD_PRELOAD="$HIJACK_LIB" python3 kinds.py
expect_line "unreachable" "rumphijack: cannot reach unix://$WORKDIR/none \\(No such file or directory\\)" err.txt
expect_line "the socket call failed" "FileNotFoundError" err.txt

# verbose says where the sockets go.
expect_status 0 "verbose" hijacked 1 env RUMPHIJACK=verbose python3 kinds.py
expect_line "verbose" "rumphijack: python3: sockets \\(all:nolocal\\) in the kernel at unix://$WORKDIR/node1" err.txt
# The rumphijack command: the same, with checks before the program runs.
RH="$top_builddir/tools/librumphijack/rumphijack"
export RUMPHIJACK_LIB="$HIJACK_LIB"
expect_status 0 "rumphijack -s" "$RH" -s "unix://$WORKDIR/node1" \
    -c socket=inet python3 kinds.py
expect_line "rumphijack -c" "^rump host host$" out.txt
expect_status 1 "rumphijack without a server" env -u RUMP_SERVER "$RH" \
    python3 kinds.py
expect_line "no server" "rumphijack: RUMP_SERVER is not set" err.txt
[ ! -s out.txt ] || fail "rumphijack ran the program without a server"
# A statically linked program would quietly use the host: refused.
static=""
for p in /sbin/ldconfig /usr/sbin/ldconfig; do
	if [ -x "$p" ] && command -v readelf >/dev/null &&
	    ! readelf -l "$p" | grep -q INTERP; then
		static=$p
		break
	fi
done
if [ -n "$static" ]; then
	expect_status 1 "static program" "$RH" -s "unix://$WORKDIR/node1" \
	    "$static" -p
	expect_line "static" "rumphijack: $static is statically linked" \
	    err.txt
	[ ! -s out.txt ] || fail "rumphijack ran a static program"
else
	debug "no statically linked program to try"
fi
exit 0
