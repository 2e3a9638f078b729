#!/bin/sh
# extcap_tshark.sh -- tshark captures a bus through shmif_extcap, found
# in the personal extcap folder ($XDG_CONFIG_HOME/wireshark/extcap):
# the bus is listed by "tshark -D", a live capture sees the three echo
# requests and replies of a ping between two servers, and a capture
# filter given to tshark reaches the bus.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/extcap_lib.sh"
require tshark
extcap_setup
mkdir -p xdg/wireshark/extcap
ln -s "$EXTCAP" xdg/wireshark/extcap/shmif_extcap
XDG_CONFIG_HOME=$WORKDIR/xdg
export XDG_CONFIG_HOME

expect_status 0 "tshark -D" tshark -D
expect_line "bus listed" \
    "^[0-9]+\\. shmif-lan \\(rumpnet shmif bus $WORKDIR/buses/lan\\.bus\\)" \
    out.txt

# capture NAME [tshark options]: 3 pings while tshark captures for 4 s.
capture()
{
	_name=$1
	shift
	tshark -i shmif-lan -a duration:4 -w "$_name.pcapng" "$@" \
	    > "$_name.out" 2>&1 &
	_t=$!
	SCENARIO_PIDS="$SCENARIO_PIDS $_t"
	_i=0
	until grep -q "^Capturing on" "$_name.out"; do
		_i=$((_i + 1))
		[ $_i -gt 100 ] && fail "tshark did not start: $(cat "$_name.out")"
		sleep 0.1
	done
	sleep 0.5
	env RUMP_SERVER=unix://a rump.ping -n -c 3 -i 0.2 198.51.100.2 \
	    > /dev/null || fail "ping"
	wait $_t || fail "tshark failed: $(cat "$_name.out")"
	tshark -r "$_name.pcapng" > "$_name.txt" 2>/dev/null
	debug "$(cat "$_name.txt")"
}

capture all
# shmif_dumpbus's closing report is not passed off as an error.
expect_no_line "no extcap error" 'Error by extcap' all.out
for t in 8 0; do
	n=$(tshark -r all.pcapng -Y "icmp.type == $t" 2>/dev/null | wc -l)
	[ "$n" -eq 3 ] || { cat all.txt >&2; fail "$n ICMP type $t frames"; }
done
# The capture filter: ARP is kept out (ARP entries are fresh again
# after a flush).
env RUMP_SERVER=unix://a rump.arp -d -a > /dev/null 2>&1
capture filtered -f icmp
n=$(wc -l < filtered.txt)
[ "$n" -eq 6 ] || { cat filtered.txt >&2; fail "$n frames with -f icmp"; }
expect_no_line "no ARP" 'ARP' filtered.txt
exit 0
