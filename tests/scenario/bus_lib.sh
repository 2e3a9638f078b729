# bus_lib.sh -- helpers for the bus fault and overload scenarios
# (sourced after tools_lib.sh, never run).

TCPXFER="$top_builddir/examples/tcpxfer"

# server_pid NAME: the pid of the daemon serving unix://NAME that was
# started from this test's directory (rump_server has no pid file).
server_pid()
{
	for _p in /proc/[0-9]*; do
		[ "$(readlink "$_p/cwd" 2>/dev/null)" = "$WORKDIR" ] || continue
		tr '\0' ' ' < "$_p/cmdline" 2>/dev/null |
		    grep -q "rump_server .*unix://$1 *\$" || continue
		echo "${_p#/proc/}"
		return 0
	done
	return 1
}

# xfer_rx NAME BUS ADDR [PORT]: a tcpxfer receiver in the background,
# waited for until it listens; its pid is in xfer_pid.
xfer_rx()
{
	"$TCPXFER" -t 60 -p "${4:-5001}" "$2" "$3" > "$1.out" 2> "$1.err" &
	xfer_pid=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $xfer_pid"
	_i=0
	until grep -q "^listening" "$1.out" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt 400 ] && fail "$1 did not start: $(cat "$1.err")"
		sleep 0.05
	done
}

# xfer_tx NAME BUS ADDR PEER BYTES [PORT]: a tcpxfer sender in the
# background; its pid is in xfer_pid.
xfer_tx()
{
	"$TCPXFER" -t 60 -p "${6:-5001}" -n "$5" "$2" "$3" "$4" \
	    > "$1.out" 2> "$1.err" &
	xfer_pid=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $xfer_pid"
}

# xfer_check TX RX BYTES: both ended well with the same length and hash.
xfer_check()
{
	_s=$(sed -n 's/^sent \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' "$1.out")
	_r=$(sed -n 's/^received \([0-9]*\) bytes sha256 \([0-9a-f]*\)$/\1 \2/p' "$2.out")
	[ -n "$_s" ] || fail "$1 printed no hash: $(cat "$1.out" "$1.err")"
	[ "$_s" = "$_r" ] || fail "$1 sent '$_s' but $2 received '$_r'"
	[ "${_s%% *}" = "$3" ] || fail "$1 sent ${_s%% *} of $3 bytes"
}

# sysctl_of NAME VAR: a counter of server unix://NAME.
sysctl_of()
{
	env RUMP_SERVER="unix://$1" rump.sysctl -n "$2" ||
	    fail "sysctl $2 on $1"
}

# bus_gen BUS: the bus's generation (times writers wrapped the ring).
bus_gen()
{
	"$DUMPBUS" -h "$1" 2>/dev/null |
	    sed -n 's/.*generation: \([0-9]*\),.*/\1/p'
}
