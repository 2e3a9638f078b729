# tools_lib.sh -- set-up for the rump.* tool scenarios (sourced).
#
# Puts the built tools first on PATH, sources common.sh and the
# installed helper library tools/rumpnet.sh, and arranges for every
# server to be halted when the script exits, whatever the outcome.

. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tools/rumpnet.sh"

for _d in rump_server rump_halt rump_ifconfig rump_ping rump_route \
    rump_netstat rump_arp rump_sysctl shmif_dumpbus; do
	PATH="$top_builddir/tools/$_d:$PATH"
done
export PATH
RUMPNET_DUMPBUS=$DUMPBUS
unset RUMP_SERVER

tools_cleanup()
{
	rc=$?
	if [ $rc -ne 0 ] || [ "$DEBUG" = 1 ]; then
		rump_server_dump_servers >&2 2>/dev/null
	fi
	rump_server_halt_servers
	(exit $rc)
	scenario_cleanup
}

tools_setup()
{
	require tcpdump
	scenario_setup
	trap tools_cleanup EXIT
}

# expect_line "DESCRIPTION" REGEX FILE: FILE has a line matching REGEX.
expect_line()
{
	grep -Eq -- "$2" "$3" || {
		echo "--- $3:" >&2
		cat "$3" >&2
		fail "$1: no line matches '$2'"
	}
}

# expect_no_line "DESCRIPTION" REGEX FILE
expect_no_line()
{
	if grep -Eq -- "$2" "$3"; then
		echo "--- $3:" >&2
		cat "$3" >&2
		fail "$1: a line matches '$2'"
	fi
}

# expect_status N "DESCRIPTION" CMD...: CMD exits with N; its stdout
# and stderr are kept in out.txt and err.txt.
expect_status()
{
	_want=$1
	_what=$2
	shift 2
	"$@" > out.txt 2> err.txt
	_got=$?
	if [ "$_got" -ne "$_want" ]; then
		cat out.txt err.txt >&2
		fail "$_what: exit $_got, expected $_want ($*)"
	fi
}

# expect_silent "DESCRIPTION" CMD...: CMD succeeds and prints nothing.
expect_silent()
{
	_desc=$1
	shift
	expect_status 0 "$_desc" "$@"
	if [ -s out.txt ] || [ -s err.txt ]; then
		cat out.txt err.txt >&2
		fail "$_desc: unexpected output"
	fi
}

# node NAME IF BUS ADDR/LEN: a server unix://NAME with IF on BUS.
node()
{
	rump_server_start "unix://$1" || fail "cannot start server $1"
	rump_server_add_iface "unix://$1" "$2" "$3" || fail "add $2 to $1"
	env RUMP_SERVER="unix://$1" rump.ifconfig "$2" "$4" ||
	    fail "address $4 on $1"
}
