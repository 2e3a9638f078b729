#!/bin/sh
# server_components.sh -- rump_server's -l components decide what the
# kernel runs: the basic IPv4 set (-lrumpnet -lrumpnet_net
# -lrumpnet_netinet -lrumpnet_shmif -lrumpdev) has no IPv6, so not a
# single IPv6 frame reaches the bus and IPv6 requests fail cleanly;
# adding -lrumpnet_netinet6 brings IPv6 (link-local address, DAD);
# a server without any -l runs everything.
#
#   [ unix://a ] shmif0 198.51.100.1/24 --- v4.bus --- 198.51.100.2/24 shmif0 [ unix://b ]
#   [ unix://c ] shmif0 198.51.100.3/24 --- v6.bus       (with netinet6)
#   [ unix://d ]                                        (no -l at all)
set -u
RUMPNET_LIBS="-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_shmif -lrumpdev"
. "$top_srcdir/tests/scenario/tools_lib.sh"
PATH="$top_builddir/tools/rump_ping6:$PATH"
tools_setup

# Every frame on a bus as plain "tcpdump -n" lines (IPv6 ones say IP6).
bus_lines()
{
	shmif_dumpbus -p - "$1" 2>/dev/null | tcpdump -n -r - 2>/dev/null
}

# Two IPv4-only nodes; one ping so the bus carries traffic.
node a shmif0 v4.bus 198.51.100.1/24
node b shmif0 v4.bus 198.51.100.2/24
export RUMP_SERVER=unix://a
expect_status 0 "ping b" rump.ping -c 1 -w 5 198.51.100.2
sleep 1		# longer than any DAD start-up delay
bus_lines v4.bus > v4.txt
expect_line "IPv4 traffic" 'ICMP echo reply' v4.txt
expect_no_line "IPv6 frame without netinet6" 'IP6' v4.txt

# IPv6 requests fail with a message, and the server keeps serving.
expect_status 1 "no net.inet6 sysctl" rump.sysctl -q net.inet6.ip6.forwarding
[ -s out.txt ] && fail "rump.sysctl -q printed: $(cat out.txt)"
expect_status 1 "inet6 address" rump.ifconfig shmif0 inet6 2001:db8::1/64
expect_line "inet6 refused" 'inet6: not supported by this kernel' err.txt
expect_status 0 "no link-local" rump.ifconfig shmif0
expect_no_line "no link-local" 'inet6' out.txt
expect_status 1 "ping6" rump.ping6 -c 1 ::1
expect_line "ping6 refused" '[Aa]ddress family not supported' err.txt
expect_status 0 "still serving" rump.ping -c 1 -w 5 198.51.100.2
expect_status 0 "still serving" rump.sysctl -q net.inet.ip.forwarding

# With netinet6 added: a link-local address, DAD on the bus.
rump_server_start unix://c netinet6 || fail "start c"
rump_server_add_iface unix://c shmif0 v6.bus || fail "c shmif0"
export RUMP_SERVER=unix://c
expect_silent "c address" rump.ifconfig shmif0 inet 198.51.100.3/24
expect_silent "c DAD" rump.ifconfig -w 10
ll=$(get_linklocal_addr unix://c shmif0)
echo "$ll" | grep -Eq '^fe80::[0-9a-f:]+$' || fail "c link-local address '$ll'"
expect_status 0 "c sysctl" rump.sysctl -q net.inet6.ip6.forwarding
bus_lines v6.bus > v6.txt
expect_line "c DAD" "IP6 :: > ff02::1:ff.*neighbor solicitation, who has $ll" v6.txt

# No -l at all: everything, IPv6 included.
(RUMPNET_LIBS=""; rump_server_start unix://d) || fail "start d"
expect_status 0 "d sysctl" env RUMP_SERVER=unix://d \
    rump.sysctl -q net.inet6.ip6.forwarding

exit 0
