# rumpnet.sh -- shell helpers for scripts that build networks of
# rump_server processes on shmif buses (sourced, never run):
#
#	. "$(pkgdatadir)/rumpnet.sh"	# e.g. /usr/local/share/rumpnet
#	rump_server_start unix://r1
#	rump_server_add_iface unix://r1 shmif0 bus1
#	env RUMP_SERVER=unix://r1 rump.ifconfig shmif0 198.51.100.1/24
#	...
#	rump_server_destroy_ifaces
#	rump_server_halt_servers
#
# The helpers keep their state in files of the current directory, so
# that a script's body and its cleanup (possibly separate processes)
# share it: ./.__socks (one server URL a line), ./.__ifaces ("URL IF")
# and ./.__buses (bus files, each once).  Relative socket paths and
# bus names therefore land in the current directory.
#
# Every helper returns 0 on success and non-zero, with a message on
# stderr, on failure; with "set -e" a failing helper ends the script.
# See rumpnet.sh(7).
#
# Settings (environment, with defaults):
#	RUMPNET_LIBS	component flags every server gets
#	RUMPNET_SERVER	the server program (rump_server)
#	RUMPNET_DUMPBUS	the bus dumper (shmif_dumpbus)
#	RUMPNET_TCPDUMP	the pcap reader (tcpdump)
#	DEBUG		1/true/yes: show what the helpers run and dump
#			every server and bus in rump_server_dump_servers

: "${RUMPNET_LIBS:=-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif -lrumpdev}"
: "${RUMPNET_SERVER:=rump_server}"
: "${RUMPNET_DUMPBUS:=shmif_dumpbus}"
: "${RUMPNET_TCPDUMP:=tcpdump}"

rumpnet_debug_on()
{
	case "${DEBUG:-}" in
	1|true|yes) return 0 ;;
	esac
	return 1
}

rumpnet_msg()
{
	echo "rumpnet.sh: $*" >&2
}

# Run a command; on failure say which one failed and return its status.
rumpnet_run()
{
	rumpnet_debug_on && echo "+ $*" >&2
	"$@" || {
		rc=$?
		rumpnet_msg "failed (exit $rc): $*"
		return $rc
	}
}

# rump_server_start SOCK [COMPONENT...]
# Start a server at SOCK with the basic components plus -lrumpnet_X
# for each extra word X, and record it.  The basic components give no
# IPv6: a server that needs it is started as "rump_server_start SOCK
# netinet6".
rump_server_start()
{
	[ $# -ge 1 ] || { rumpnet_msg "usage: rump_server_start SOCK [comp...]"; return 2; }
	_sock=$1
	shift
	_libs=$RUMPNET_LIBS
	for _c in "$@"; do
		_libs="$_libs -lrumpnet_$_c"
	done
	# shellcheck disable=SC2086 # the flags are words
	rumpnet_run "$RUMPNET_SERVER" $_libs "$_sock" || return 1
	echo "$_sock" >> ./.__socks
	if rumpnet_debug_on; then
		for _n in net.inet.arp.debug net.inet6.icmp6.nd6_debug; do
			if env RUMP_SERVER="$_sock" rump.sysctl -q "$_n"; then
				env RUMP_SERVER="$_sock" rump.sysctl -q -w "$_n=1"
			fi
		done
	fi
	return 0
}

# rump_server_add_iface SOCK IF [BUS]
# Create IF on the server and, if BUS is given, attach it to the bus.
rump_server_add_iface()
{
	[ $# -ge 2 ] || { rumpnet_msg "usage: rump_server_add_iface SOCK IF [BUS]"; return 2; }
	_sock=$1 _if=$2 _bus=${3:-}
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" create ||
	    return 1
	if [ -n "$_bus" ]; then
		rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" \
		    linkstr "$_bus" || return 1
	fi
	echo "$_sock $_if" >> ./.__ifaces
	if [ -n "$_bus" ]; then
		touch ./.__buses
		grep -qxF -- "$_bus" ./.__buses || echo "$_bus" >> ./.__buses
	fi
	return 0
}

# rump_server_destroy_ifaces
# Show every server's state (each tool must succeed), then destroy the
# recorded interfaces that still exist.
rump_server_destroy_ifaces()
{
	_rc=0
	[ -f ./.__socks ] || return 0
	while read -r _sock; do
		for _cmd in "rump.ifconfig" "rump.netstat -nr" "rump.arp -na"; do
			# shellcheck disable=SC2086
			if rumpnet_debug_on; then
				env RUMP_SERVER="$_sock" $_cmd </dev/null >&2 ||
				    _rc=1
			else
				env RUMP_SERVER="$_sock" $_cmd </dev/null \
				    >/dev/null || _rc=1
			fi
		done
	done < ./.__socks
	[ -f ./.__ifaces ] || return $_rc
	while read -r _sock _if; do
		if env RUMP_SERVER="$_sock" rump.ifconfig -l </dev/null |
		    tr ' ' '\n' | grep -qxF -- "$_if"; then
			rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig \
			    "$_if" destroy </dev/null || _rc=1
		fi
	done < ./.__ifaces
	while read -r _sock; do
		env RUMP_SERVER="$_sock" rump.ifconfig </dev/null >/dev/null ||
		    _rc=1
	done < ./.__socks
	return $_rc
}

# rump_server_halt_servers (alias: rump_server_cleanup)
# Halt every recorded server; safe to call twice and after failures.
rump_server_halt_servers()
{
	_rc=0
	[ -f ./.__socks ] || return 0
	while read -r _sock; do
		env RUMP_SERVER="$_sock" rump.halt </dev/null 2>/dev/null ||
		    _rc=1
	done < ./.__socks
	rm -f ./.__socks ./.__ifaces
	return $_rc
}

rump_server_cleanup()
{
	rump_server_halt_servers
}

# rump_bus_dump BUS: every frame on the bus as "tcpdump -n -e" lines.
rump_bus_dump()
{
	"$RUMPNET_DUMPBUS" -p - "$1" 2>/dev/null |
	    "$RUMPNET_TCPDUMP" -n -e -r - 2>/dev/null
}

# rump_server_dump_servers: each server's state and each bus, on stdout.
rump_server_dump_servers()
{
	if [ -f ./.__socks ]; then
		while read -r _sock; do
			echo "### $_sock"
			env RUMP_SERVER="$_sock" rump.ifconfig -av </dev/null
			env RUMP_SERVER="$_sock" rump.netstat -nr </dev/null
			env RUMP_SERVER="$_sock" rump.arp -na </dev/null
		done < ./.__socks
	fi
	if [ -f ./.__buses ]; then
		while read -r _bus; do
			echo "### bus $_bus"
			rump_bus_dump "$_bus" </dev/null
		done < ./.__buses
	fi
	return 0
}

# extract_new_packets BUS
# The frames that arrived on BUS since the previous call for BUS (all
# of them the first time), as tcpdump lines.
extract_new_packets()
{
	[ $# -eq 1 ] || { rumpnet_msg "usage: extract_new_packets BUS"; return 2; }
	_old=./.__old.$(echo "$1" | tr '/' '_')
	[ -f "$_old" ] || : > "$_old"
	rump_bus_dump "$1" > ./.__new
	diff "$_old" ./.__new | sed -n 's/^> //p'
	mv -f ./.__new "$_old"
}

# Quote the characters of an address that are special in a regex.
rumpnet_re()
{
	printf '%s' "$1" | sed 's/[.[\*^$+?(){}|]/\\&/g'
}

# check_route DST GW FLAGS IF
# "rump.netstat -rn" (of $RUMP_SERVER) has the row; an empty GW, FLAGS
# or IF matches anything.
check_route()
{
	_dst=$(rumpnet_re "$1")
	_gw=$(rumpnet_re "${2:-}")
	_fl=$(rumpnet_re "${3:-}")
	_ifn=$(rumpnet_re "${4:-}")
	_re="^$_dst +${_gw:-.+} +${_fl:-.+} +- +- +.+ +${_ifn:-.+}\$"
	if rump.netstat -rn | grep -Eq -- "$_re"; then
		return 0
	fi
	rumpnet_msg "no route '$1 ${2:-*} ${3:-*} ${4:-*}' in:"
	rump.netstat -rn >&2
	return 1
}

check_route_flags()
{
	check_route "$1" "" "$2" ""
}

check_route_gw()
{
	check_route "$1" "$2" "" ""
}

# check_route_no_entry DST: no row of "rump.netstat -rn" starts with DST.
check_route_no_entry()
{
	_dst=$(rumpnet_re "$1")
	if rump.netstat -rn | grep -Eq -- "^$_dst +"; then
		rumpnet_msg "unexpected route to $1:"
		rump.netstat -rn | grep -E -- "^$_dst +" >&2
		return 1
	fi
	return 0
}

# get_macaddr SOCK IF: the link address of IF.
get_macaddr()
{
	env RUMP_SERVER="$1" rump.ifconfig "$2" |
	    awk '/address/ { print $2; exit }'
}

# get_linklocal_addr SOCK IF: the fe80:: address of IF, without the
# zone and prefix length.
get_linklocal_addr()
{
	env RUMP_SERVER="$1" rump.ifconfig "$2" inet6 2>/dev/null |
	    awk '/fe80/ { print $2; exit }' | sed -e 's/%.*//' -e 's,/.*,,'
}

# test_create_destroy_common SOCK IF [with_addr]
# Create and destroy IF in the usual sequences: alone; up, down; up.
# With "true" as third argument, also with an IPv4 address and (if the
# kernel has IPv6) an IPv6 address before up.  IF must be able to come
# up on its own (lo1, not a shmif without a bus).
test_create_destroy_common()
{
	[ $# -ge 2 ] || { rumpnet_msg "usage: test_create_destroy_common SOCK IF [true]"; return 2; }
	_sock=$1 _if=$2 _addr=${3:-false}
	for _seq in "" "up down" "up"; do
		rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" \
		    create || return 1
		for _w in $_seq; do
			rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig \
			    "$_if" "$_w" || return 1
		done
		rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" \
		    destroy || return 1
	done
	[ "$_addr" = true ] || return 0
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" create &&
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" \
	    inet 198.51.100.1/24 &&
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" up &&
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" destroy ||
	    return 1
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" create ||
	    return 1
	if env RUMP_SERVER="$_sock" rump.ifconfig "$_if" inet6 2001:db8::1 \
	    2>/dev/null; then
		rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" up ||
		    return 1
	fi
	rumpnet_run env RUMP_SERVER="$_sock" rump.ifconfig "$_if" destroy
}

# rump_wait_addresses SOCK [SECS]: wait until no address of the server
# is tentative (duplicate address detection done); default 10 s.
rump_wait_addresses()
{
	rumpnet_run env RUMP_SERVER="$1" rump.ifconfig -w "${2:-10}"
}

# rump_wait_for CMD...: retry CMD every 0.1 s for up to
# $RUMPNET_WAIT_SECS (default 10) seconds until it succeeds.
rump_wait_for()
{
	_tries=$(( ${RUMPNET_WAIT_SECS:-10} * 10 ))
	while ! "$@" >/dev/null 2>&1; do
		_tries=$((_tries - 1))
		if [ "$_tries" -le 0 ]; then
			rumpnet_msg "timed out waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
	return 0
}
