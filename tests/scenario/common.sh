# common.sh -- helpers for scenario tests (sourced, never run).
#
# Scenario tests run real processes on real bus files in a private
# temporary directory, and check what went over the wire with tcpdump.
# Set DEBUG=1 to keep the directory and see diagnostics.

: "${top_builddir:=$(pwd)}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
DEBUG=${DEBUG:-0}

PINGPEER="$top_builddir/examples/pingpeer"
DUMPBUS="$top_builddir/tools/shmif_dumpbus/shmif_dumpbus"

SCENARIO_PIDS=""

scenario_setup()
{
	WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/rumpnet-scenario.XXXXXX")
	trap scenario_cleanup EXIT
	trap 'exit 1' INT TERM
	cd "$WORKDIR"
}

scenario_cleanup()
{
	rc=$?
	for pid in $SCENARIO_PIDS; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$DEBUG" = 1 ] || [ $rc -ne 0 ]; then
		for bus in "$WORKDIR"/*.bus; do
			[ -f "$bus" ] || continue
			echo "--- $bus" >&2
			"$DUMPBUS" -p - "$bus" 2>/dev/null | tcpdump -n -e -r - 2>/dev/null >&2
		done
	fi
	if [ "$DEBUG" = 1 ]; then
		echo "scenario: kept $WORKDIR" >&2
	else
		rm -rf "$WORKDIR"
	fi
	exit $rc
}

# Run a command in the background; it is killed at cleanup.
background()
{
	"$@" &
	SCENARIO_PIDS="$SCENARIO_PIDS $!"
}

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

debug()
{
	[ "$DEBUG" = 1 ] && echo "$*" >&2
	return 0
}

# Skip (exit 77, automake's SKIP) when a program is missing.
require()
{
	command -v "$1" >/dev/null 2>&1 || {
		echo "SKIP: $1 is not installed" >&2
		exit 77
	}
}

# tcpdump rendering of every frame on a bus (stable across dumps).
bus_tcpdump()
{
	"$DUMPBUS" -p - "$1" 2>/dev/null | tcpdump -n -e -vv -r - 2>/dev/null
}

# Wait until a file exists and is non-empty (bus created by a node).
wait_for_file()
{
	i=0
	while [ ! -s "$1" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "timed out waiting for $1"
		sleep 0.05
	done
}
