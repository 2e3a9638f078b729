# ipv6_lib.sh -- set-up shared by the ipv6_*.sh scenarios (sourced):
# the tools' scenario library, plus rump.ping6 and rump.ndp on PATH and
# a checksum check of every ICMPv6/UDP frame on a bus.
. "$top_srcdir/tests/scenario/tools_lib.sh"

PATH="$top_builddir/tools/rump_ping6:$top_builddir/tools/rump_ndp:$PATH"
export PATH

# v6node NAME IF BUS ADDR/LEN: an IPv6 server unix://NAME, IF on BUS.
v6node()
{
	rump_server_start "unix://$1" netinet6 || fail "cannot start $1"
	rump_server_add_iface "unix://$1" "$2" "$3" || fail "add $2 to $1"
	env RUMP_SERVER="unix://$1" rump.ifconfig "$2" inet6 "$4" ||
	    fail "address $4 on $1"
}

# v6check_sums BUS: every ICMPv6 and UDP checksum on the bus is right
# (tshark's verdicts; nothing marked bad).
v6check_sums()
{
	"$DUMPBUS" -p "$1.pcap" "$1" 2>/dev/null ||
	    fail "cannot dump $1"
	tshark -r "$1.pcap" -o udp.check_checksum:TRUE \
	    -Y 'icmpv6.checksum.status == 0 || udp.checksum.status == 0' \
	    -T fields -e frame.number > "$1.bad" 2>/dev/null ||
	    fail "tshark cannot read $1.pcap"
	[ -s "$1.bad" ] && fail "bad checksums on $1: frames $(cat "$1.bad")"
	tshark -r "$1.pcap" -Y 'icmpv6.checksum.status == 1' \
	    -T fields -e frame.number 2>/dev/null | grep -q . ||
	    fail "no verified ICMPv6 checksum on $1"
}
