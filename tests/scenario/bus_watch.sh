#!/bin/sh
# bus_watch.sh -- how a node hears that the bus was written when it has
# no inotify instance (fs.inotify.max_user_instances is per user, 128 by
# default): its shmif interfaces wait on a futex in the bus instead, and
# every writer of ours wakes both kinds of watcher.
#
#   unix://n1  shmif0 198.51.100.1  RUMP_SHMIF_WATCH=futex    \
#   unix://n2  shmif0 198.51.100.2  inotify                    lan.bus
#   unix://n3  shmif0 198.51.100.3  inotify (the user's only) /
#              shmif1 203.0.113.3   futex: none left ----------\ lan2.bus
#   unix://n4  shmif0 203.0.113.4   futex: none left ----------/
#
# n3 and n4 run in user namespaces of their own whose inotify limit is
# 1 and 0 (/proc/sys/user/max_inotify_instances): the fallback is the
# real one, with its message.  Then a writer that wakes no futex (a
# NetBSD node; shmif_pcap2bus with RUMP_SHMIF_WATCH=inotify) sends n1 an
# echo request: n1 answers it all the same, after its safety-net
# timeout, and counts the late wakeup.
set -u
. "$top_srcdir/tests/scenario/tools_lib.sh"
PY=/usr/bin/python3		# Debian's, with python3-scapy
"$PY" -c 'import scapy.all' 2>/dev/null || {
	echo "SKIP: scapy for $PY is not installed" >&2
	exit 77
}
tools_setup
RUMP_SERVER_PROG="$top_builddir/tools/rump_server/rump_server"
PCAP2BUS="$top_builddir/tools/shmif_pcap2bus/shmif_pcap2bus"

# shmif_counter URL IF NAME: a driver counter of IF on the server at URL.
shmif_counter()
{
	env RUMP_SERVER="$1" rump.sysctl -n "net.interfaces.$2.shmif.$3" ||
	    fail "sysctl $2.shmif.$3 on $1"
}

# expect_watch URL IF futex|inotify: IF waited on the futex and heard
# every frame at once -- our writers wake it (a frame arriving just as
# a 1 s wait times out is counted late too: one is allowed) -- or IF
# never waited on the futex.
expect_watch()
{
	_waits=$(shmif_counter "$1" "$2" futexwaits)
	if [ "$3" = inotify ]; then
		[ "$_waits" -eq 0 ] ||
		    fail "$1 $2 has inotify, yet waited on the futex"
		return 0
	fi
	[ "$_waits" -gt 0 ] || fail "$1 $2 never waited on the futex"
	_late=$(shmif_counter "$1" "$2" futexlate)
	[ "$_late" -le 1 ] ||
	    fail "$1 $2 heard $_late frames only at its timeout"
}

# ping_ok URL DEST: three echoes answered.
ping_ok()
{
	expect_status 0 "ping $2 from $1" env RUMP_SERVER="$1" \
	    rump.ping -n -c 3 -i 0.1 -w 5 "$2"
	expect_line "ping $2 from $1" \
	    '^3 packets transmitted, 3 packets received' out.txt
}

# 1. Asked for: n1's watch is a futex; n2's is inotify.
(export RUMP_SHMIF_WATCH=futex; node n1 shmif0 lan.bus 198.51.100.1/24)
node n2 shmif0 lan.bus 198.51.100.2/24
ping_ok unix://n1 198.51.100.2
ping_ok unix://n2 198.51.100.1
expect_watch unix://n1 shmif0 futex
expect_watch unix://n2 shmif0 inotify

# 2. Really out of inotify instances, in user namespaces with limits of
# their own.  The server keeps its stderr (-v) for the message.
# (rumpnet.sh runs "$RUMPNET_SERVER" ARGS: the limit is in USERNS_LIMIT.)
userns_server()
{
	unshare -U -r sh -c 'echo "$0" > /proc/sys/user/max_inotify_instances &&
	    exec "$@"' "$USERNS_LIMIT" "$RUMP_SERVER_PROG" -v "$@" \
	    2>> "userns.err"
}
if ! unshare -U -r sh -c 'echo 0 > /proc/sys/user/max_inotify_instances' \
    2> unshare.err; then
	echo "bus_watch: no user namespace with an inotify limit" \
	    "($(cat unshare.err)); the fallback is tested as asked for only" >&2
else
	RUMPNET_SERVER=userns_server USERNS_LIMIT=1
	node n3 shmif0 lan.bus 198.51.100.3/24
	rump_server_add_iface unix://n3 shmif1 lan2.bus ||
	    fail "shmif1 on n3"
	env RUMP_SERVER=unix://n3 rump.ifconfig shmif1 203.0.113.3/24 ||
	    fail "address on n3 shmif1"
	USERNS_LIMIT=0
	node n4 shmif0 lan2.bus 203.0.113.4/24
	RUMPNET_SERVER=rump_server
	ping_ok unix://n2 198.51.100.3
	ping_ok unix://n4 203.0.113.3
	ping_ok unix://n3 203.0.113.4
	expect_watch unix://n3 shmif0 inotify
	expect_watch unix://n3 shmif1 futex
	expect_watch unix://n4 shmif0 futex
	expect_line "the fallback is told" \
	    'no inotify instance left .*max_user_instances' userns.err
	n=$(grep -c 'no inotify' userns.err)
	[ "$n" -eq 2 ] || fail "the fallback told $n times, want once a node"
fi

# 3. A writer that wakes no futex.  n1 learns of its frame by the
# timeout of its wait (1 s) and counts it late; then, for a while, it
# waits briefly.  The frame is an echo request from n2's addresses, with
# an identifier of its own, and its answer must reach the bus.
mac1=$(get_macaddr unix://n1 shmif0) || fail "MAC of n1"
mac2=$(get_macaddr unix://n2 shmif0) || fail "MAC of n2"
"$PY" - "$mac1" "$mac2" <<'EOF' || fail "cannot write echo.pcap"
import sys
from scapy.all import Ether, IP, ICMP, Raw, wrpcap
dst, src = sys.argv[1], sys.argv[2]
wrpcap("echo.pcap", [Ether(dst=dst, src=src) /
                     IP(src="198.51.100.2", dst="198.51.100.1") /
                     ICMP(id=0x4242, seq=7) / Raw(b"netbsd-writer")])
EOF
late0=$(shmif_counter unix://n1 shmif0 futexlate)
sleep 1.2	# n1 is in a long wait by now, whatever came before
extract_new_packets lan.bus > /dev/null
RUMP_SHMIF_WATCH=inotify "$PCAP2BUS" echo.pcap lan.bus ||
    fail "shmif_pcap2bus"
i=0
until extract_new_packets lan.bus > new.txt 2>/dev/null &&
    grep -q '198.51.100.1 > 198.51.100.2: ICMP echo reply, id 16962, seq 7' \
    new.txt; do
	i=$((i + 1))
	[ $i -gt 50 ] && fail "no answer to the frame from the NetBSD-like writer"
	sleep 0.1
done
late=$(shmif_counter unix://n1 shmif0 futexlate)
[ "$late" -gt "$late0" ] ||
    fail "n1 did not notice a frame nobody woke it for ($late0 -> $late)"
exit 0
