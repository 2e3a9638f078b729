#!/bin/sh
# routed_three_node.sh -- a router between two buses, IPv4 and IPv6,
# built by hand with the rump tools.
#
#   [ a ]                          [ r ]                          [ b ]
#   198.51.100.1/24    -- lan0 --  198.51.100.254/24
#   2001:db8:1::1/64               2001:db8:1::fe/64
#                                  203.0.113.254/24   -- lan1 --  203.0.113.1/24
#                                  2001:db8:2::fe/64              2001:db8:2::1/64
#
# a and b send everything off their subnet to r; r forwards in both
# families.  The same network as a topology file: examples/routed.topo
# (rumpnet-topo up examples/routed.topo).
#
# Run from the build directory (or with the programs installed); state
# stays in ./routed_three_node-out/ (EXAMPLE_OUT).
set -eu

top_builddir=${top_builddir:-$(pwd)}
for d in "$top_builddir"/tools/*/; do
	PATH="$d:$PATH"
done
export PATH
out=${EXAMPLE_OUT:-$(pwd)/routed_three_node-out}
mkdir -p "$out"
cd "$out"
rm -f lan0.bus lan1.bus
trap 'for n in a r b; do RUMP_SERVER=unix://$n rump.halt 2>/dev/null || :; done' EXIT

# node NAME: a kernel with IPv6 (-lrumpnet_netinet6).
node()
{
	rump_server -lrumpnet -lrumpnet_net -lrumpnet_netinet \
	    -lrumpnet_netinet6 -lrumpnet_shmif "unix://$1"
}
# iface NODE IF BUS ADDR4 ADDR6: an interface with one address of each.
iface()
{
	RUMP_SERVER=unix://$1 rump.ifconfig "$2" create
	RUMP_SERVER=unix://$1 rump.ifconfig "$2" linkstr "$3"
	RUMP_SERVER=unix://$1 rump.ifconfig "$2" inet "$4"
	RUMP_SERVER=unix://$1 rump.ifconfig "$2" inet6 "$5"
}

echo "== three kernels, four interfaces"
node a
node r
node b
iface a shmif0 lan0.bus 198.51.100.1/24 2001:db8:1::1/64
iface r shmif0 lan0.bus 198.51.100.254/24 2001:db8:1::fe/64
iface r shmif1 lan1.bus 203.0.113.254/24 2001:db8:2::fe/64
iface b shmif0 lan1.bus 203.0.113.1/24 2001:db8:2::1/64

echo "== r forwards (both families)"
RUMP_SERVER=unix://r rump.sysctl -w net.inet.ip.forwarding=1
RUMP_SERVER=unix://r rump.sysctl -w net.inet6.ip6.forwarding=1

echo "== default routes through r; IPv6 addresses must finish DAD first"
for n in a r b; do
	RUMP_SERVER=unix://$n rump.ifconfig -w 10
done
RUMP_SERVER=unix://a rump.route add default 198.51.100.254
RUMP_SERVER=unix://a rump.route add -inet6 default 2001:db8:1::fe
RUMP_SERVER=unix://b rump.route add default 203.0.113.254
RUMP_SERVER=unix://b rump.route add -inet6 default 2001:db8:2::fe
RUMP_SERVER=unix://a rump.netstat -rn

echo "== a pings b across r: IPv4 (b answers with TTL 64, r takes one) ..."
RUMP_SERVER=unix://a rump.ping -c 2 -i 0.2 203.0.113.1
echo "== ... and IPv6"
RUMP_SERVER=unix://a rump.ping6 -c 2 -i 0.2 2001:db8:2::1

echo "== lan1 carried the requests after the router: one less in the IPv4"
echo "   TTL (rump.ping sends 255) and in the IPv6 hop limit (64)"
shmif_dumpbus -p - lan1.bus 2>/dev/null |
    tcpdump -n -v -r - 'icmp[icmptype] == 8 or icmp6[0] == 128' 2>/dev/null |
    grep -E 'ttl 254|hlim 63' | sed 's/^[0-9:.]* //'
