# virtif_lib.sh -- set-up for the virt interface scenarios (sourced
# after nothing else; it sources tools_lib.sh).
#
# Each test gets a network namespace of its own, rn-virt-PID: its
# rump_server runs inside it (ip netns exec), so the host tap the
# server creates, and every frame on it, stay in the namespace.  The
# rump.* tools run outside and reach the server by its unix socket.
# The cleanup halts the servers, kills whatever is left in the
# namespace (only processes this test started live there) and deletes
# the namespace, whatever the outcome.
#
# Skips (exit 77) without /dev/net/tun or without the right to create
# a namespace (not root).

. "$top_srcdir/tests/scenario/tools_lib.sh"

VIRTIF_TCP="$top_builddir/tests/scenario/virtif_tcp"
VIRTIF_NS=rn-virt-$$
RUMPNET_LIBS="-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpdev"
RUMP_SERVER_PROG="$top_builddir/tools/rump_server/rump_server"

# rumpnet.sh's rump_server_start runs "$RUMPNET_SERVER": this one starts
# the server inside the namespace.
virtif_ns_server()
{
	ip netns exec "$VIRTIF_NS" "$RUMP_SERVER_PROG" "$@"
}
RUMPNET_SERVER=virtif_ns_server

# Run a command inside the namespace.
nsexec()
{
	ip netns exec "$VIRTIF_NS" "$@"
}

virtif_cleanup()
{
	rc=$?
	if [ $rc -ne 0 ] || [ "$DEBUG" = 1 ]; then
		rump_server_dump_servers >&2 2>/dev/null
		nsexec ip -s link show >&2 2>/dev/null
	fi
	rump_server_halt_servers
	for pid in $SCENARIO_PIDS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $(ip netns pids "$VIRTIF_NS" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
	ip netns del "$VIRTIF_NS" 2>/dev/null
	(exit $rc)
	scenario_cleanup
}

virtif_setup()
{
	if [ ! -c /dev/net/tun ]; then
		echo "SKIP: /dev/net/tun is missing (no tun/tap support)" >&2
		exit 77
	fi
	require ip
	require tcpdump
	require tshark
	tools_setup
	if ! ip netns add "$VIRTIF_NS" 2> netns.err; then
		echo "SKIP: cannot create a network namespace" \
		    "(needs root): $(cat netns.err)" >&2
		trap - EXIT
		cd / && rm -rf "$WORKDIR"
		exit 77
	fi
	trap virtif_cleanup EXIT
	nsexec ip link set lo up || fail "lo up in $VIRTIF_NS"
	PATH="$top_builddir/tests/scenario:$PATH"
}

# virtif_node URL TAP NET [VAR=VALUE...]: a server at URL in the
# namespace (IPv4 and IPv6) with virt0 attached to host tap TAP
# (created by the server) and addressed NET.2/24; the tap gets
# NET.1/24 and goes up.  The settings go into the server's environment.
virtif_node()
{
	_url=$1 _tap=$2 _net=$3
	shift 3
	(for _kv in "$@"; do export "${_kv?}"; done
	    rump_server_start "$_url" virtif netinet6) ||
	    fail "cannot start server $_url"
	rump_server_add_iface "$_url" virt0 "$_tap" || fail "virt0 on $_tap"
	env RUMP_SERVER="$_url" rump.ifconfig virt0 "$_net.2/24" ||
	    fail "address on virt0"
	nsexec ip addr add "$_net.1/24" dev "$_tap" || fail "address on $_tap"
	nsexec ip link set "$_tap" up || fail "$_tap up"
}

# Capture on a tap in the namespace until capture_stop; full frames,
# a 16 MiB kernel buffer so that a busy machine loses fewer.
# ip netns exec execs tcpdump, so $! is tcpdump itself.  It is stopped
# with SIGTERM: a background job of a script ignores SIGINT.
capture_start()
{
	ip netns exec "$VIRTIF_NS" tcpdump -n -U --immediate-mode -B 16384 \
	    -i "$1" -w "$2" 2> "$2.err" &
	CAPTURE_PID=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $CAPTURE_PID"
	i=0
	until grep -q "listening on" "$2.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "tcpdump did not start: $(cat "$2.err")"
		sleep 0.05
	done
}

capture_stop()
{
	sleep 0.2
	kill -TERM "$CAPTURE_PID"
	wait "$CAPTURE_PID" 2>/dev/null
}

# sysctl_value NAME: the integer value of NAME on $RUMP_SERVER.
sysctl_value()
{
	rump.sysctl -n "$1" 2>/dev/null || fail "sysctl $1"
}
