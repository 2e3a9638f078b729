#!/bin/sh
# quickstart.sh -- set up a fresh Debian 12 machine, build rumpnet, and
# run either the demo or the whole test suite.
#
#   ./quickstart.sh demo     install packages, build, run examples/demo.sh
#   ./quickstart.sh check    install packages, build, run make check
#
# Needs root (or sudo) only to install missing Debian packages.
set -eu

what=${1:-demo}
case $what in
demo|check) ;;
*) echo "usage: $0 demo|check" >&2; exit 2 ;;
esac

cd "$(dirname "$0")"

# Build and test dependencies (Debian package names).
pkgs="build-essential autoconf automake libtool pkg-config libpcap-dev
check tcpdump tshark python3 python3-scapy iproute2 netcat-openbsd curl
iperf3 graphviz iputils-ping"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "quickstart: installing$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	# tshark asks whether non-root users may capture; answer no.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
	    $SUDO debconf-set-selections
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $missing
fi

[ -x configure ] || autoreconf -fi
mkdir -p _build
cd _build
[ -f Makefile ] || ../configure --enable-werror
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs"

if [ "$what" = demo ]; then
	exec ../examples/demo.sh
fi
make -j"$jobs" check
