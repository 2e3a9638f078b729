#!/bin/sh
# hostile_frames.sh -- crafted frames on a live bus are dropped and
# counted, and the node keeps serving.
#
#   [ unix://n1 ] 198.51.100.1/24, 2001:db8::1/64, TCP port 5001 open
#        |
#   lan.bus <-- shmif_pcap2bus <-- captures made by hostile_frames.py
#        |
#   [ unix://n3 ] 198.51.100.3/24 (pings n1)    tcpxfer .2 (connects)
#
# Classes of frames (see hostile_frames.py): malformed IPv4 (lengths,
# version, checksum, options), malformed TCP/UDP/ICMP (checksums, header
# and option lengths), IPv4 fragments that overlap or rewrite a TCP
# header, a fragment train past 65 535 bytes, malformed IPv6 (lengths, version, header order, overlapping
# fragments per RFC 5722, checksum), and a flood of HOSTILE_SYNS SYNs
# (default 3000) from spoofed addresses to the open port.  After each
# class the counters that must catch it have to have grown; at the end
# n1 still answers pings and accepts a legitimate TCP connection.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
. "$top_srcdir/tests/scenario/bus_lib.sh"
PCAP2BUS="$top_builddir/tools/shmif_pcap2bus/shmif_pcap2bus"
LISTEN="$top_builddir/tests/scenario/hostile_listen"
PY=/usr/bin/python3
SYNS=${HOSTILE_SYNS:-3000}
tools_setup
"$PY" -c 'import scapy.all' 2>/dev/null || {
	echo "SKIP: scapy for $PY is not installed" >&2
	exit 77
}

rump_server_start unix://n1 netinet6 || fail "cannot start n1"
rump_server_add_iface unix://n1 shmif0 lan.bus || fail "shmif0 on n1"
export RUMP_SERVER=unix://n1
rump.ifconfig shmif0 198.51.100.1/24 || fail "IPv4 address on n1"
rump.ifconfig shmif0 inet6 2001:db8::1/64 || fail "IPv6 address on n1"
node n3 shmif0 lan.bus 198.51.100.3/24
rump_wait_addresses unix://n1 || fail "DAD on n1"
rump_wait_addresses unix://n3 || fail "DAD on n3"
mac=$(get_macaddr unix://n1 shmif0)
[ -n "$mac" ] || fail "no MAC address for n1"
"$PY" "$top_srcdir/tests/scenario/hostile_frames.py" "$mac" . "$SYNS" ||
    fail "cannot make the captures"

"$LISTEN" 5001 > listen.out 2> listen.err &
SCENARIO_PIDS="$SCENARIO_PIDS $!"
i=0
until grep -q "^listening" listen.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "listener did not start: $(cat listen.err)"
	sleep 0.05
done

C="ip.stats.tooshort ip.stats.badvers ip.stats.badhlen ip.stats.badlen
ip.stats.badsum ip.stats.badoptions ip.stats.fragoverlap ip.stats.badfrags ip.stats.toolong
tcp.stats.rcvbadsum tcp.stats.rcvbadoff tcp.stats.synrecv_overflow
tcp.stats.synrecv_dropped udp.stats.badlen udp.stats.badsum
udp.stats.hdrops icmp.stats.tooshort icmp.stats.checksum"
C6="ip6.stats.tooshort ip6.stats.badvers ip6.stats.hbhnotfirst
ip6.stats.fragoverlap icmp6.stats.checksum"

# snap FILE: every counter above, "name value" a line.
snap()
{
	: > "$1"
	for c in $C; do
		echo "$c $(sysctl_of n1 net.inet.$c)" >> "$1"
	done
	for c in $C6; do
		echo "$c $(sysctl_of n1 net.inet6.$c)" >> "$1"
	done
}

# grew BEFORE AFTER NAME...: each named counter increased.
grew()
{
	_b=$1
	_a=$2
	shift 2
	for _c in "$@"; do
		_x=$(awk -v c="$_c" '$1 == c { print $2 }' "$_b")
		_y=$(awk -v c="$_c" '$1 == c { print $2 }' "$_a")
		[ -n "$_x" ] && [ -n "$_y" ] || fail "no counter $_c"
		[ "$_y" -gt "$_x" ] || fail "$_c did not grow ($_x -> $_y)"
		debug "$_c: $_x -> $_y"
	done
}

# play NAME: put NAME.pcap on the bus and let n1 read it.
play()
{
	"$PCAP2BUS" -t "$1.pcap" lan.bus 2> p2b.err ||
	    fail "shmif_pcap2bus $1: $(cat p2b.err)"
	sleep 0.3
	# Whatever came before, n1 serves.
	env RUMP_SERVER=unix://n3 timeout 20 rump.ping -n -c 1 -w 5 \
	    198.51.100.1 > ping.out 2>&1 || fail "no ping after $1: $(cat ping.out)"
}

snap s0
play ipv4
snap s1
grew s0 s1 ip.stats.tooshort ip.stats.badvers ip.stats.badhlen \
    ip.stats.badlen ip.stats.badsum ip.stats.badoptions
play l4
snap s2
grew s1 s2 tcp.stats.rcvbadsum tcp.stats.rcvbadoff udp.stats.badlen \
    udp.stats.badsum icmp.stats.tooshort icmp.stats.checksum
play frag4
snap s3
grew s2 s3 ip.stats.fragoverlap ip.stats.badfrags
play pod
snap s3b
grew s3 s3b ip.stats.toolong
play ipv6
snap s4
grew s3b s4 ip6.stats.tooshort ip6.stats.badvers ip6.stats.hbhnotfirst \
    ip6.stats.fragoverlap icmp6.stats.checksum
play synflood
snap s5
grew s4 s5 tcp.stats.synrecv_dropped

# A legitimate connection right after the flood is accepted.
"$TCPXFER" -t 30 -n 200000 lan.bus 198.51.100.2/24 198.51.100.1 \
    > tx.out 2> tx.err || fail "legitimate connection failed: $(cat tx.err)"
i=0
until grep -q "^received 200000 bytes" listen.out 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 200 ] && fail "listener got: $(cat listen.out listen.err)"
	sleep 0.05
done
expect_status 0 "n1 pings n3 at the end" \
    timeout 20 rump.ping -n -c 2 -w 5 198.51.100.3
# The drops are visible to rump.netstat -s too.
rump.netstat -s > netstat.txt 2>&1 || fail "rump.netstat -s: $(cat netstat.txt)"
expect_line "netstat shows bad checksums" '[1-9][0-9]* bad header checksums' netstat.txt
exit 0
