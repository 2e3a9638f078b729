#!/bin/sh
# overload_bus.sh -- a saturated bus: four TCP transfers at once between
# eight nodes, and a reader that falls a lap behind.
#
#   tx1 .1 -> rx1 .2    tx2 .3 -> rx2 .4    tx3 .5 -> rx3 .6
#   tx4 .7 -> rx4 .8    (tcpxfer, 198.51.100.0/24, all on busy.bus)
#   obs .100 (rump_server): stopped with SIGSTOP while the others send
#   peer .101 (rump_server): the observer pings it afterwards
#
# Every transfer (OVERLOAD_BYTES each, default 8 MB) must arrive whole:
# same length and SHA-256 at both ends.  The stopped observer is lapped
# by the writers; when it runs again it must resync and count the loss
# (net.interfaces.shmif0.shmif.rxoverruns and rxlost, and the interface's
# iqdrops), then answer a ping.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/bus_lib.sh"
BYTES=${OVERLOAD_BYTES:-8000000}
tools_setup

node obs shmif0 busy.bus 198.51.100.100/24
node peer shmif0 busy.bus 198.51.100.101/24
rump_wait_addresses unix://obs || fail "DAD on obs"
rump_wait_addresses unix://peer || fail "DAD on peer"
obspid=$(server_pid obs) || fail "no pid for obs"

for k in 1 2 3 4; do
	xfer_rx rx$k busy.bus 198.51.100.$((2 * k))/24
	eval rxpid$k=\$xfer_pid
done
gen0=$(bus_gen busy.bus)
# Stop it outside the bus lock: a stopped holder is alive, so nobody
# would break its lock.
i=0
while :; do
	kill -STOP "$obspid"
	"$DUMPBUS" -h busy.bus > hdr.txt 2>&1
	grep -q "holder: pid $obspid\$" hdr.txt || break
	kill -CONT "$obspid"
	i=$((i + 1))
	[ $i -gt 100 ] && fail "observer always holds the bus lock"
	sleep 0.01
done
for k in 1 2 3 4; do
	xfer_tx tx$k busy.bus 198.51.100.$((2 * k - 1))/24 \
	    198.51.100.$((2 * k)) "$BYTES"
	eval txpid$k=\$xfer_pid
done

# Keep the observer stopped until the writers lapped it twice over.
i=0
while [ $(($(bus_gen busy.bus) - gen0)) -lt 3 ]; do
	i=$((i + 1))
	[ $i -gt 600 ] && { kill -CONT "$obspid"; fail "bus did not wrap"; }
	sleep 0.05
done
kill -CONT "$obspid"

for k in 1 2 3 4; do
	eval wait \$txpid$k || fail "tx$k failed: $(cat tx$k.err)"
	eval wait \$rxpid$k || fail "rx$k failed: $(cat rx$k.err)"
	xfer_check tx$k rx$k "$BYTES"
done
debug "bus generation $gen0 -> $(bus_gen busy.bus)"

export RUMP_SERVER=unix://obs
expect_status 0 "the lapped observer answers" \
    timeout 20 rump.ping -n -c 1 -w 5 198.51.100.101
overruns=$(sysctl_of obs net.interfaces.shmif0.shmif.rxoverruns)
lost=$(sysctl_of obs net.interfaces.shmif0.shmif.rxlost)
iqdrops=$(sysctl_of obs net.interfaces.shmif0.iqdrops)
debug "observer: $overruns overruns, $lost lost, $iqdrops iqdrops"
[ "$overruns" -ge 1 ] || fail "observer was not lapped (rxoverruns $overruns)"
[ "$lost" -ge 600 ] || fail "observer lost only $lost frames over 3 laps"
[ "$iqdrops" -eq "$lost" ] || fail "iqdrops $iqdrops != rxlost $lost"
exit 0
