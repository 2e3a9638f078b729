# extcap_lib.sh -- set-up shared by the shmif_extcap scenarios (sourced
# after tools_lib.sh): a bus directory with two servers pinging on
# buses/lan.bus, a second bus in a subdirectory, and a file that is
# not a bus.

EXTCAP="$top_builddir/tools/shmif_extcap/shmif_extcap"
[ -x "$EXTCAP" ] || fail "missing $EXTCAP"
RUMPNET_DUMPBUS=$DUMPBUS
export RUMPNET_DUMPBUS

extcap_setup()
{
	tools_setup
	mkdir -p buses/sub
	RUMPNET_BUSDIR=$WORKDIR/buses
	export RUMPNET_BUSDIR
	unset RUMPNET_BUSES XDG_RUNTIME_DIR
	node a shmif0 buses/lan.bus 198.51.100.1/24
	node b shmif0 buses/lan.bus 198.51.100.2/24
	rump_server_add_iface unix://b shmif1 buses/sub/x.bus ||
	    fail "shmif1 on b"
	echo "not a bus" > buses/junk.bus
	rump_wait_addresses unix://a || fail "DAD on a"
	rump_wait_addresses unix://b || fail "DAD on b"
}
