# sockin_lib.sh -- helpers for the sockin scenario tests (sourced after
# common.sh and server_lib.sh, never run).
#
#   rump client (sockin_client) --unix socket--> rump_server -lrumpnet_sockin
#                                                   | host sockets
#   host peer (sockin_host.py) <----loopback-------'

SOCKIN_CLIENT="$top_builddir/tests/scenario/sockin_client"
SOCKIN_HOST="$top_srcdir/tests/scenario/sockin_host.py"
RUMP_SYSCTL="$top_builddir/tools/rump_sysctl/rump.sysctl"
SOCKIN_LIBS="-lrumpnet -lrumpnet_sockin"

# sockin_setup: scenario directory, cleanup trap, a sockin server at
# $SOCKIN_URL for the client calls.
sockin_setup()
{
	require python3
	server_setup
	SOCKIN_URL="unix://$WORKDIR/sockin.sock"
	BASIC_LIBS=$SOCKIN_LIBS server_start "$SOCKIN_URL"
	RUMP_SERVER=$SOCKIN_URL
	export RUMP_SERVER
}

# host_peer ARGS...: start sockin_host.py in the background.
host_peer()
{
	background timeout 30 python3 "$SOCKIN_HOST" "$@"
	HOST_PID=$!
}

# client ARGS...: sockin_client, bounded; output in client.out.
client()
{
	timeout 30 "$SOCKIN_CLIENT" "$@" > client.out 2> client.err
}

# The value of a net.sockin.stats counter of the server.
sockin_stat()
{
	"$RUMP_SYSCTL" -n "net.sockin.stats.$1"
}

# Fail unless two files have the same SHA-256.
same_sha()
{
	a=$(sha256sum < "$1" | cut -d' ' -f1)
	b=$(sha256sum < "$2" | cut -d' ' -f1)
	[ "$a" = "$b" ] || fail "$1 and $2 differ ($a, $b)"
	debug "$1 = $2: $a"
}
