# server_lib.sh -- helpers for the rump_server scenario tests (sourced
# after common.sh, never run).
#
# server_setup replaces common.sh's exit trap with one that halts every
# server a test started (server_start records its URL) and then runs
# common.sh's cleanup.

RUMP_SERVER_BIN="$top_builddir/tools/rump_server/rump_server"
RUMP_HALT="$top_builddir/tools/rump_halt/rump.halt"
SP_CLIENT="$top_builddir/tests/scenario/sp_client"
BASIC_LIBS="-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif -lrumpdev"
SERVER_URLS=""

server_setup()
{
	scenario_setup
	trap server_cleanup EXIT
}

server_cleanup()
{
	rc=$?
	for url in $SERVER_URLS; do
		RUMP_SERVER=$url "$RUMP_HALT" 2>/dev/null
	done
	(exit $rc)
	scenario_cleanup
}

# server_start URL [options]: start a daemon as scripts do; it must exit
# 0 at once, print nothing, and leave nothing holding our output.
server_start()
{
	url=$1
	shift
	out=$(timeout 20 "$RUMP_SERVER_BIN" $BASIC_LIBS "$@" "$url" 2>&1) ||
	    fail "rump_server $url: exit $?: $out"
	[ -z "$out" ] || fail "rump_server $url printed: $out"
	SERVER_URLS="$SERVER_URLS $url"
}

# server_halt URL: rump.halt, silently.
server_halt()
{
	out=$(RUMP_SERVER=$1 timeout 20 "$RUMP_HALT" 2>&1) ||
	    fail "rump.halt $1: exit $?: $out"
	[ -z "$out" ] || fail "rump.halt $1 printed: $out"
}

# expect_fail MSG-REGEX command...: exit status 1, nothing on stdout,
# a line matching MSG-REGEX on stderr.
expect_fail()
{
	re=$1
	shift
	"$@" > fail.out 2> fail.err
	st=$?
	[ $st -eq 1 ] || fail "$*: exit $st, want 1 ($(cat fail.err))"
	[ ! -s fail.out ] || fail "$*: printed on stdout: $(cat fail.out)"
	grep -Eq "$re" fail.err ||
	    fail "$*: stderr does not match '$re': $(cat fail.err)"
	debug "$*: $(cat fail.err)"
}

# A free-looking TCP port on loopback for this run.
server_tcp_port()
{
	echo $((20000 + $$ % 20000))
}
