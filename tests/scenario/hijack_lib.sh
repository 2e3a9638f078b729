# hijack_lib.sh -- set-up for the librumphijack scenarios (sourced after
# tools_lib.sh).
#
#   node1 (rump_server)                       node2 (rump_server)
#   shmif0 198.51.100.1 ------ bus.bus ------ shmif0 198.51.100.2
#
# Programs run on the host with LD_PRELOAD=librumphijack.so and
# RUMP_SERVER pointing at a node: their sockets are that node's.

HIJACK_LIB="$top_builddir/.libs/librumphijack.so"
HJTEST="$top_builddir/tests/hijack"

# hijack_setup N: tools_setup, then N nodes (1 or 2) on one bus.
hijack_setup()
{
	tools_setup
	[ -f "$HIJACK_LIB" ] || fail "$HIJACK_LIB is not built"
	for _i in $(seq 1 "$1"); do
		rump_server_start "unix://$WORKDIR/node$_i" netinet6 ||
		    fail "cannot start node$_i"
		rump_server_add_iface "unix://$WORKDIR/node$_i" shmif0 \
		    "$WORKDIR/bus.bus" || fail "node$_i: shmif0"
		env RUMP_SERVER="unix://$WORKDIR/node$_i" rump.ifconfig shmif0 \
		    inet "198.51.100.$_i/24" || fail "node$_i: address"
	done
}

# hijacked N CMD...: run CMD with its sockets on node N.
hijacked()
{
	_n=$1
	shift
	env RUMP_SERVER="unix://$WORKDIR/node$_n" LD_PRELOAD="$HIJACK_LIB" \
	    "$@"
}

# bus_tcp_frames PORT: TCP frames to or from PORT on the bus.
bus_tcp_frames()
{
	"$DUMPBUS" -p - "$WORKDIR/bus.bus" 2>/dev/null |
	    tcpdump -n -r - "tcp port $1" 2>/dev/null | wc -l
}

# wait_line FILE REGEX: until a line of FILE (a server's log saying it
# listens) matches.
wait_line()
{
	for _t in $(seq 1 100); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$1" >&2
	fail "no line of $1 matches '$2'"
}
