#!/bin/sh
# scale_chain.sh -- sixteen nodes in a line, fifteen buses, one ping6
# from one end to the other through fourteen routers:
#
#   n1 =b1= n2 =b2= n3 ... n15 =b15= n16
#
# Link k is 2001:db8:0:k::/64 (k in hex): n(k) is ::1 on shmif1, n(k+1)
# ::2 on shmif0.  Every node forwards, skips DAD and answers with hop
# limit 255; n2..n16 route default towards n1, n1..n14 route the last
# link towards n16.  Odd nodes are configured by rump_server -f FILE,
# even ones by the rump.* tools with the same commands, so both paths
# have to build working routers.  tcpdump checks that the echo really
# crossed every router (hop limit 255 - 14 = 241 at the far end, and
# the same for the reply at the near end).  Bad -f files fail with the
# file and line and leave no server behind.
set -u
. "$top_srcdir/tests/scenario/ipv6_lib.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
tools_setup

N=16
LIBS="$RUMPNET_LIBS -lrumpnet_netinet6"
hexk() { printf %x "$1"; }
far=$(hexk $((N - 1)))

# conf I: node I's commands, one a line, in rump_server -f syntax.
conf()
{
	echo "sysctl net.inet6.ip6.dad_count=0 net.inet6.ip6.forwarding=1" \
	    "net.inet6.ip6.hlim=255"
	if [ "$1" -gt 1 ]; then
		l=$(hexk $(($1 - 1)))
		echo "ifconfig shmif0 create linkstr b$(($1 - 1)).bus" \
		    "inet6 2001:db8:0:$l::2/64 up"
		echo "route add -inet6 default 2001:db8:0:$l::1"
	fi
	if [ "$1" -lt $N ]; then
		l=$(hexk "$1")
		echo "ifconfig shmif1 create linkstr b$1.bus" \
		    "inet6 2001:db8:0:$l::1/64 up"
		if [ "$1" -lt $((N - 1)) ]; then
			echo "route add -inet6 2001:db8:0:$far::/64" \
			    "2001:db8:0:$l::2"
		fi
	fi
}

i=1
while [ $i -le $N ]; do
	conf $i > n$i.conf
	if [ $((i % 2)) -eq 1 ]; then
		expect_silent "n$i -f" rump_server -f n$i.conf $LIBS unix://n$i
		echo unix://n$i >> ./.__socks
	else
		rump_server_start unix://n$i netinet6 || fail "start n$i"
		sed -e 's/^sysctl /rump.sysctl -q -w /' \
		    -e 's/^ifconfig /rump.ifconfig /' \
		    -e 's/^route /rump.route -q /' n$i.conf > n$i.sh
		while read -r line; do
			# shellcheck disable=SC2086 # a command line
			RUMP_SERVER=unix://n$i $line > /dev/null ||
			    fail "n$i: $line"
		done < n$i.sh
	fi
	i=$((i + 1))
done

# Both paths give the same state: node 3 (-f) and node 4 (tools) have
# the same sysctls, and the same routes once their left link is called
# L and their right link R.
for i in 3 4; do
	RUMP_SERVER=unix://n$i rump.sysctl net.inet6.ip6.forwarding \
	    net.inet6.ip6.hlim net.inet6.ip6.dad_count > sysctl$i.txt
	RUMP_SERVER=unix://n$i rump.netstat -rn -f inet6 |
	    awk '/^(2001|default)/ { print $1, $2, $3 }' |
	    sed -e "s/2001:db8:0:$((i - 1))::/L::/g" \
	    -e "s/2001:db8:0:$i::/R::/g" > routes$i.txt
done
cmp -s sysctl3.txt sysctl4.txt ||
    fail "sysctls differ: $(cat sysctl3.txt sysctl4.txt)"
expect_line "forwarding on" '^net.inet6.ip6.forwarding = 1$' sysctl3.txt
expect_line "default route" '^default L::1 UGS$' routes3.txt
expect_line "far route" "^2001:db8:0:$far::/64 R::2 UGS\$" routes3.txt
cmp -s routes3.txt routes4.txt ||
    fail "routes differ: $(cat routes3.txt) / $(cat routes4.txt)"

expect_status 0 "ping6 end to end" env RUMP_SERVER=unix://n1 \
    rump.ping6 -n -c 1 -h 255 -X 10 2001:db8:0:$far::2
expect_line "reply" "^64 bytes from 2001:db8:0:$far::2" out.txt

# Fourteen routers: hop limit 241 for the request on the last bus and
# for the reply on the first.
"$DUMPBUS" -p - b$((N - 1)).bus 2>/dev/null | tcpdump -n -v -r - \
    > last.txt 2>/dev/null
expect_line "request at the far end" \
    "hlim 241,.*2001:db8:0:1::1 > 2001:db8:0:$far::2: .*echo request" last.txt
"$DUMPBUS" -p - b1.bus 2>/dev/null | tcpdump -n -v -r - > first.txt 2>/dev/null
expect_line "reply at the near end" \
    "hlim 241,.*2001:db8:0:$far::2 > 2001:db8:0:1::1: .*echo reply" first.txt

# Bad files: exit 1, "FILE:LINE: reason", no socket, no server.
printf 'sysctl net.inet6.ip6.forwarding=1\n\n# fine so far\nifconfig shmif0 create bogus\n' > bad1.conf
expect_fail '^rump_server: -f bad1.conf:4: ifconfig shmif0: unknown' \
    rump_server -f bad1.conf $LIBS unix://bad1
printf 'route add -inet6 default 2001:db8::1\n' > bad2.conf
expect_fail '^rump_server: -f bad2.conf:1: route add default 2001:db8::1: .*unreachable' \
    rump_server -f bad2.conf $LIBS unix://bad2
printf 'sysctl net.inet6.ip6.nosuch=1\n' > bad3.conf
expect_fail '^rump_server: -f bad3.conf:1: sysctl net.inet6.ip6.nosuch: no such node' \
    rump_server -f bad3.conf $LIBS unix://bad3
printf 'sysctl net.inet6.ip6.hlim=12x\n' > bad4.conf
expect_fail "^rump_server: -f bad4.conf:1: sysctl net.inet6.ip6.hlim: bad value '12x'" \
    rump_server -f bad4.conf $LIBS unix://bad4
printf 'ifconfig shmif0 create\nifconfig shmif0 inet6 2001:db8::1/129\n' > bad5.conf
expect_fail '^rump_server: -f bad5.conf:2: inet6 2001:db8::1/129: bad address' \
    rump_server -f bad5.conf $LIBS unix://bad5
printf 'ping 2001:db8::1\n' > bad6.conf
expect_fail "^rump_server: -f bad6.conf:1: unknown command 'ping'" \
    rump_server -f bad6.conf $LIBS unix://bad6
expect_fail '^rump_server: -f nosuch.conf: No such file' \
    rump_server -f nosuch.conf $LIBS unix://bad7
for i in 1 2 3 4 5 6 7; do
	[ ! -e bad$i ] || fail "bad$i: socket left behind"
done

rump_server_destroy_ifaces || fail "destroy interfaces"
exit 0
