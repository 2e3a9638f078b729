#!/bin/sh
# extcap_queries.sh -- shmif_extcap answers Wireshark's queries: the
# interfaces (bus directory, its subdirectories, RUMPNET_BUSES; files
# that are not buses left out), the link type, the configuration with
# the bus as default, filter validation; errors for unknown interfaces
# and bad use; and a capture into a file, read back with tcpdump.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/extcap_lib.sh"
extcap_setup
V=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")

# Interfaces: the generic one, then the buses in name order.
rump_server_add_iface unix://a shmif1 other.bus || fail "shmif1 on a"
RUMPNET_BUSES=$WORKDIR/other.bus:$WORKDIR/missing.bus
export RUMPNET_BUSES
expect_status 0 "interfaces" "$EXTCAP" --extcap-interfaces
cat > want.txt <<END
extcap {version=$V}{help=man:shmif_extcap(1)}
interface {value=shmif}{display=rumpnet shmif bus (choose the file in the options)}
interface {value=shmif-lan}{display=rumpnet shmif bus $WORKDIR/buses/lan.bus}
interface {value=shmif-sub-x}{display=rumpnet shmif bus $WORKDIR/buses/sub/x.bus}
interface {value=shmif-other}{display=rumpnet shmif bus $WORKDIR/other.bus}
END
diff want.txt out.txt >&2 || fail "--extcap-interfaces output differs"
unset RUMPNET_BUSES

expect_status 0 "version" "$EXTCAP" --extcap-version=4.0
expect_line "version line" "^extcap \\{version=$V\\}" out.txt

expect_status 0 "dlts" "$EXTCAP" --extcap-interface shmif-lan --extcap-dlts
echo 'dlt {number=1}{name=EN10MB}{display=Ethernet}' > want.txt
diff want.txt out.txt >&2 || fail "--extcap-dlts output differs"

expect_status 0 "config" "$EXTCAP" --extcap-interface shmif-lan \
    --extcap-config
expect_line "bus argument with default" \
    "^arg \\{number=0\\}\\{call=--bus\\}\\{display=Bus file\\}\\{type=fileselect\\}.*\\{default=$WORKDIR/buses/lan\\.bus\\}" \
    out.txt
expect_line "filter argument" '^arg \{number=1\}\{call=--filter\}.*\{type=string\}' out.txt
expect_line "history argument" '^arg \{number=2\}\{call=--history\}.*\{type=boolflag\}' out.txt
expect_status 0 "config of the generic interface" "$EXTCAP" \
    --extcap-interface shmif --extcap-config
expect_no_line "no default bus" 'default=/' out.txt

expect_status 1 "dlts of an unknown interface" "$EXTCAP" \
    --extcap-interface shmif-junk --extcap-dlts
expect_line "says so" "unknown interface 'shmif-junk'" err.txt
expect_status 1 "a bogus option" "$EXTCAP" --bogus
expect_line "usage" '^Usage: shmif_extcap' err.txt

# Filter validation: nothing for a good filter, the error for a bad one.
expect_silent "good filter" "$EXTCAP" --extcap-interface shmif-lan \
    --extcap-capture-filter 'icmp or arp'
expect_status 0 "bad filter" "$EXTCAP" --extcap-interface shmif-lan \
    --extcap-capture-filter 'icmp and'
expect_line "filter error on stdout" 'syntax error' out.txt

# Capture errors.
expect_status 1 "capture without fifo" "$EXTCAP" --extcap-interface \
    shmif-lan --capture
expect_line "needs --fifo" 'needs --fifo' err.txt
expect_status 1 "generic interface without a bus" "$EXTCAP" \
    --extcap-interface shmif --capture --fifo x.pcap
expect_line "no bus" 'no bus file' err.txt
expect_status 1 "not a bus" "$EXTCAP" --extcap-interface shmif \
    --capture --fifo x.pcap --bus buses/junk.bus
expect_line "not a bus message" 'not a shmif bus file' err.txt
expect_status 1 "bad bus filter" "$EXTCAP" --extcap-interface shmif-lan \
    --capture --fifo x.pcap --filter 'icmp and'

# A capture into a plain file (the fifo's place), with the filter
# options of both kinds: only ICMP echo requests.
"$EXTCAP" --extcap-interface shmif-lan --capture --fifo cap.pcap \
    --filter icmp --extcap-capture-filter 'icmp[icmptype] == 8' \
    2> cap.err &
cap=$!
SCENARIO_PIDS="$SCENARIO_PIDS $cap"
sleep 0.5
env RUMP_SERVER=unix://a rump.ping -n -c 3 -i 0.1 198.51.100.2 > /dev/null ||
    fail "ping"
sleep 0.3
kill -TERM $cap
wait $cap || fail "capture ended with $?: $(cat cap.err)"
tcpdump -n -r cap.pcap 2>/dev/null > cap.txt
n=$(grep -c 'ICMP echo request' cap.txt)
[ "$n" -eq 3 ] || { cat cap.txt >&2; fail "$n echo requests captured"; }
expect_no_line "the filter kept replies out" 'echo reply' cap.txt
expect_no_line "and ARP" 'ARP' cap.txt
exit 0
