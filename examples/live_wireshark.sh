#!/bin/sh
# live_wireshark.sh -- watch a bus live while two nodes talk on it.
#
#   [ unix://left ] 198.51.100.1 ---- live.bus ---- 198.51.100.2 [ unix://right ]
#
# The left node pings the right one five times a second.  The bus file
# is in the bus directory (RUMPNET_BUSDIR, set here to ./live-out/buses),
# so the Wireshark extcap program shmif_extcap(1), once installed
# ("make install", or a link in ~/.config/wireshark/extcap), lists it as
# the capture interface "shmif-live".  Three ways to watch:
#
#   LIVE_TOOL=wireshark   Wireshark, on shmif-live if the extcap is
#                         installed, else on a pipe from shmif_dumpbus:
#                           shmif_dumpbus -f -p - BUS | wireshark -k -i -
#   LIVE_TOOL=tshark      the same with tshark, in this terminal
#   (default)             wireshark when there is a display, else tshark
#
# LIVE_SECONDS (default 10) is how long the capture runs.  Run from the
# build directory (or with the programs installed).
set -eu

top_builddir=${top_builddir:-$(pwd)}
for d in "$top_builddir"/tools/*/; do
	PATH="$d:$PATH"
done
export PATH
out=${EXAMPLE_OUT:-$(pwd)/live-out}
secs=${LIVE_SECONDS:-10}
mkdir -p "$out/buses"
cd "$out"
RUMPNET_BUSDIR=$out/buses
export RUMPNET_BUSDIR
bus=$RUMPNET_BUSDIR/live.bus
rm -f "$bus"
pinger=
trap '[ -z "$pinger" ] || kill $pinger 2>/dev/null || :
      for n in left right; do RUMP_SERVER=unix://$n rump.halt 2>/dev/null || :; done' EXIT

tool=${LIVE_TOOL:-}
if [ -z "$tool" ]; then
	tool=tshark
	if { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } &&
	    command -v wireshark >/dev/null 2>&1; then
		tool=wireshark
	fi
fi
command -v "$tool" >/dev/null 2>&1 || {
	echo "live_wireshark.sh: $tool is not installed" >&2
	exit 1
}

echo "== two nodes on $bus"
for n in left right; do
	rump_server -lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif \
	    "unix://$n"
	RUMP_SERVER=unix://$n rump.ifconfig shmif0 create
	RUMP_SERVER=unix://$n rump.ifconfig shmif0 linkstr "$bus"
done
RUMP_SERVER=unix://left rump.ifconfig shmif0 inet 198.51.100.1/24
RUMP_SERVER=unix://right rump.ifconfig shmif0 inet 198.51.100.2/24

# Pings for as long as the capture runs (and a little longer).
RUMP_SERVER=unix://left rump.ping -q -i 0.2 -c $((secs * 5 + 10)) \
    198.51.100.2 > ping.txt 2>&1 &
pinger=$!

if "$tool" -D 2>/dev/null | grep -q ' shmif-live '; then
	echo "== $tool on the extcap interface shmif-live, $secs s"
	case $tool in
	wireshark) wireshark -k -i shmif-live -a "duration:$secs" ;;
	*) tshark -i shmif-live -a "duration:$secs" -w live.pcapng 2>/dev/null
	   tshark -r live.pcapng ;;
	esac
else
	echo "== $tool on a pipe from shmif_dumpbus -f, $secs s"
	echo "   (install the extcap to get the interface shmif-live)"
	case $tool in
	wireshark)
		shmif_dumpbus -f -n -q -p - "$bus" |
		    wireshark -k -i - -a "duration:$secs" ;;
	*)
		shmif_dumpbus -f -n -q -p - "$bus" |
		    tshark -i - -a "duration:$secs" -w live.pcapng 2>/dev/null
		tshark -r live.pcapng ;;
	esac
fi
