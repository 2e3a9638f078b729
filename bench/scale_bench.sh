#!/bin/bash
# scale_bench.sh -- boot N nodes in a linear chain, ping from one end to
# the other, and measure: time per node, total time until the ping
# came back, memory per node, tear-down.  rumpnet nodes (rump_server
# processes on shmif bus files) are configured two ways, with the
# rump.* tools (one process per command) and with rump_server -f FILE
# (one process per node); the same chain is built in the same run from
# Linux network namespaces joined by veth pairs, also two ways (one
# "ip" per command, and "ip -batch" per namespace).  Results go in
# bench/SCALE-REPORT.md.
#
#   bench/scale_bench.sh [BUILDDIR]       (default: $top_builddir or .)
#
# Environment: SIZES (default "1 16 64 255"), RUNS per size (default 3),
# VARIANTS (default "conf conf-par tools netns-batch netns"), BUSDIR
# (default /dev/shm).  Bash is needed for $EPOCHREALTIME (timestamps
# without a fork).
#
# The chain (IPv6; IPv4 has no room for 254 documentation /30s):
#
#   node1 =b1= node2 =b2= ... =b(N-1)= nodeN
#
# Link k joins node k (2001:db8:0:k::1, interface shmif1 or veth "vr")
# and node k+1 (2001:db8:0:k::2, shmif0 or "vl"); k is written in hex.
# Every node forwards and does no duplicate address detection; node
# i > 1 has a default route towards node 1, node i < N-1 a route to the
# last link towards node N.  Node 1 pings 2001:db8:0:(N-1)::2 with hop
# limit 255, and node N answers with hop limit 255 (253 routers lie in
# between for N = 255).  N = 1 is one node with one interface pinging
# its own address (netns: one veth pair inside the namespace).
#
# Each shmif interface holds one inotify instance while the user has
# any left (fs.inotify.max_user_instances, 128 by default) and waits on
# a futex in the bus beyond that (shmif(4)).  As root the script raises
# the limit for the run, so that every interface has inotify, and puts
# it back; INOTIFY_RAISE=0 leaves it, so that the interfaces past the
# limit use the futex.  RUMP_SHMIF_WATCH=futex makes every interface
# use it.  The netns variants need root, "ip" and "ping"; without them
# they are skipped with a message.
set -u

B=${1:-${top_builddir:-.}}
SIZES=${SIZES:-"1 16 64 255"}
RUNS=${RUNS:-3}
VARIANTS=${VARIANTS:-"conf conf-par tools netns-batch netns"}
BUSDIR=${BUSDIR:-/dev/shm}

# Run the real binaries, not libtool's wrapper scripts (a shell each).
tool()
{
	if [ -x "$B/tools/$1/.libs/$2" ]; then
		echo "$B/tools/$1/.libs/$2"
	elif [ -x "$B/tools/$1/$2" ]; then
		echo "$B/tools/$1/$2"
	else
		echo "scale_bench: missing $B/tools/$1/$2: build first" >&2
		exit 1
	fi
}
SERVER=$(tool rump_server rump_server) || exit 1
IFCONFIG=$(tool rump_ifconfig rump.ifconfig) || exit 1
ROUTE=$(tool rump_route rump.route) || exit 1
SYSCTL=$(tool rump_sysctl rump.sysctl) || exit 1
PING6=$(tool rump_ping6 rump.ping6) || exit 1
HALT=$(tool rump_halt rump.halt) || exit 1
if [ -d "$B/.libs" ]; then
	LD_LIBRARY_PATH=$B/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
fi
unset RUMP_SERVER
LIBS="-lrumpnet -lrumpnet_net -lrumpnet_netinet -lrumpnet_netinet6 -lrumpnet_shmif"

work=$(mktemp -d "$BUSDIR/scale-bench.XXXXXX") || exit 1
NSPFX=rn-scale-$$
INOTIFY=/proc/sys/fs/inotify/max_user_instances
inotify_old=$(cat "$INOTIFY")
inotify_set=0

# Halt every server this run started (their sockets are in $work), then
# delete our namespaces and files.
cleanup()
{
	for s in "$work"/run*/n*; do
		[ -S "$s" ] && RUMP_SERVER=unix://$s "$HALT" 2>/dev/null
	done
	netns_delete_all
	[ "$inotify_set" = 1 ] && echo "$inotify_old" > "$INOTIFY"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Timestamps are ${EPOCHREALTIME/./} (µs) inline: $(...) would fork.
hexk() { printf %x "$1"; }

# ------------------------------------------------------------- rumpnet

# conf_lines I N DIR: node I's configuration, as rump_server -f lines.
conf_lines()
{
	local i=$1 n=$2 d=$3 l far
	far=$(hexk $((n - 1)))
	echo "sysctl net.inet6.ip6.dad_count=0 net.inet6.ip6.forwarding=1" \
	    "net.inet6.ip6.hlim=255"
	if [ "$n" -eq 1 ]; then
		echo "ifconfig shmif0 create linkstr $d/b0 inet6 2001:db8:0:1::1/64 up"
		return
	fi
	if [ "$i" -gt 1 ]; then
		l=$(hexk $((i - 1)))
		echo "ifconfig shmif0 create linkstr $d/b$((i - 1))" \
		    "inet6 2001:db8:0:$l::2/64 up"
		echo "route add -inet6 default 2001:db8:0:$l::1"
	fi
	if [ "$i" -lt "$n" ]; then
		l=$(hexk "$i")
		echo "ifconfig shmif1 create linkstr $d/b$i" \
		    "inet6 2001:db8:0:$l::1/64 up"
		[ "$i" -lt $((n - 1)) ] &&
		    echo "route add -inet6 2001:db8:0:$far::/64 2001:db8:0:$l::2"
	fi
	return 0
}

# The same lines as tool command lines (rump.X ARGS), one a line.
tool_lines()
{
	conf_lines "$@" | sed -e "s|^sysctl |$SYSCTL -q -w |" \
	    -e "s|^ifconfig |$IFCONFIG |" -e "s|^route |$ROUTE -q |"
}

# rn_prepare VARIANT N DIR: write every node's commands (not timed).
rn_prepare()
{
	local v=$1 n=$2 d=$3 i
	mkdir -p "$d"
	for i in $(seq 1 "$n"); do
		if [ "$v" = tools ]; then
			tool_lines "$i" "$n" "$d" > "$d/n$i.sh"
		else
			conf_lines "$i" "$n" "$d" > "$d/n$i.conf"
		fi
	done
	: > "$d/pernode"
}

# rn_up VARIANT N DIR: boot the chain; per-node times (µs) in DIR/pernode.
rn_up()
{
	local v=$1 n=$2 d=$3 i t0 t1 line pids
	case $v in
	conf)
		for i in $(seq 1 "$n"); do
			t0=${EPOCHREALTIME/./}
			"$SERVER" -f "$d/n$i.conf" $LIBS "unix://$d/n$i" ||
			    return 1
			t1=${EPOCHREALTIME/./}
			echo $((t1 - t0)) >> "$d/pernode"
		done ;;
	conf-par)
		# Every node at once; each parent returns once configured.
		pids=""
		for i in $(seq 1 "$n"); do
			"$SERVER" -f "$d/n$i.conf" $LIBS "unix://$d/n$i" &
			pids="$pids $!"
		done
		for i in $pids; do
			wait "$i" || return 1
		done ;;
	tools)
		for i in $(seq 1 "$n"); do
			t0=${EPOCHREALTIME/./}
			"$SERVER" $LIBS "unix://$d/n$i" || return 1
			export RUMP_SERVER=unix://$d/n$i
			while read -r line; do
				$line > /dev/null || return 1
			done < "$d/n$i.sh"
			unset RUMP_SERVER
			t1=${EPOCHREALTIME/./}
			echo $((t1 - t0)) >> "$d/pernode"
		done ;;
	esac
}

far_addr()
{
	if [ "$1" -eq 1 ]; then
		echo 2001:db8:0:1::1
	else
		echo "2001:db8:0:$(hexk $(($1 - 1)))::2"
	fi
}

# rn_ping N DIR: one echo from node 1 to the far end must come back.
rn_ping()
{
	RUMP_SERVER=unix://$2/n1 "$PING6" -n -q -c 1 -h 255 -X 10 \
	    "$(far_addr "$1")" > "$2/ping.out" 2>&1 &&
	    grep -q '1 packets received' "$2/ping.out"
}

# rn_mem N DIR: "rss pss uss" in KiB, means over the nodes.
rn_mem()
{
	local pid
	for pid in $(pgrep -f -- "unix://$2/n"); do
		awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 }
		    /^Private_(Clean|Dirty):/ { u += $2 }
		    END { print r, p, u }' "/proc/$pid/smaps_rollup"
	done | awk '{ r += $1; p += $2; u += $3; n++ }
	    END { if (n) printf "%.0f %.0f %.0f %d\n", r / n, p / n, u / n, n }'
}

rn_down()
{
	local i
	for i in $(seq 1 "$1"); do
		RUMP_SERVER=unix://$2/n$i "$HALT" || return 1
	done
}

# ----------------------------------------------------------- Linux netns

HAVE_NETNS=0
if [ "$(id -u)" = 0 ] && command -v ip > /dev/null &&
    command -v ping > /dev/null && command -v nsenter > /dev/null; then
	HAVE_NETNS=1
fi

netns_delete_all()
{
	local ns
	[ "$HAVE_NETNS" = 1 ] || return 0
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' |
	    grep "^$NSPFX-"); do
		ip netns del "$ns" 2>/dev/null
	done
}

# Namespace I's sysctls: forward, no DAD, hop limit 255 (far end).
ns_sysctl()
{
	nsenter --net="/run/netns/$NSPFX-$1" sysctl -q -w \
	    net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.all.hop_limit=255 \
	    net.ipv6.conf.default.hop_limit=255 > /dev/null
}

# ns_cmds I N: "ip" commands (without "ip -n NS") configuring node I
# once every namespace exists; node I creates the veth pair to I+1.
ns_cmds()
{
	local i=$1 n=$2 l far
	far=$(hexk $((n - 1)))
	echo "link set lo up"
	if [ "$n" -eq 1 ]; then
		echo "link add vr type veth peer name vl"
		echo "addr add 2001:db8:0:1::1/64 dev vr nodad"
		echo "link set vr up"
		echo "link set vl up"
		return
	fi
	if [ "$i" -lt "$n" ]; then
		echo "link add vr type veth peer name vl netns $NSPFX-$((i + 1))"
		echo "addr add 2001:db8:0:$(hexk "$i")::1/64 dev vr nodad"
		echo "link set vr up"
		[ "$i" -lt $((n - 1)) ] &&
		    echo "route add 2001:db8:0:$far::/64 via 2001:db8:0:$(hexk "$i")::2"
	fi
	if [ "$i" -gt 1 ]; then
		l=$(hexk $((i - 1)))
		echo "addr add 2001:db8:0:$l::2/64 dev vl nodad"
		echo "link set vl up"
		echo "route add ::/0 via 2001:db8:0:$l::1"
	fi
	return 0
}

# netns_up VARIANT N: all namespaces and their sysctls first (a veth end
# needs its peer's namespace, and must be born without DAD), then each
# node's links, addresses and routes in order.  Node I's
# "l" end is made by node I-1, so node I's own lines come after.
netns_up()
{
	local v=$1 n=$2 i line
	if [ "$v" = netns-batch ]; then
		for i in $(seq 1 "$n"); do
			echo "netns add $NSPFX-$i"
		done | ip -batch - || return 1
		for i in $(seq 1 "$n"); do
			ns_sysctl "$i" || return 1
		done
		for i in $(seq 1 "$n"); do
			ip -n "$NSPFX-$i" -batch "$work/ns$i.cmds" || return 1
		done
	else
		for i in $(seq 1 "$n"); do
			ip netns add "$NSPFX-$i" || return 1
			ns_sysctl "$i" || return 1
		done
		for i in $(seq 1 "$n"); do
			while read -r line; do
				ip -n "$NSPFX-$i" $line || return 1
			done < "$work/ns$i.cmds"
		done
	fi
}

netns_ping()
{
	ip netns exec "$NSPFX-1" ping -6 -n -q -c 1 -t 255 -W 10 \
	    "$(far_addr "$1")" > "$work/nsping.out" 2>&1 &&
	    grep -q ' 1 received' "$work/nsping.out"
}

netns_down()
{
	local i
	if [ "$2" = netns-batch ]; then
		for i in $(seq 1 "$1"); do
			echo "netns del $NSPFX-$i"
		done | ip -batch -
		return
	fi
	for i in $(seq 1 "$1"); do
		ip netns del "$NSPFX-$i" || return 1
	done
}

# Kernel memory in use, KiB: MemTotal - MemAvailable.
mem_used()
{
	awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
	    END { print t - a }' /proc/meminfo
}

# ------------------------------------------------------------------ runs

median()
{
	sort -n | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "-"; exit }
	    if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }

# one_run VARIANT N R: prints a result line.
one_run()
{
	local v=$1 n=$2 r=$3 d=$work/run$r-$v-$n t0 t1 t2 t3 m0 m1 mem per warm ping i
	case $v in
	netns*)
		for i in $(seq 1 "$n"); do
			ns_cmds "$i" "$n" > "$work/ns$i.cmds"
		done
		m0=$(mem_used)
		t0=${EPOCHREALTIME/./}
		netns_up "$v" "$n" || { echo "$v N=$n: set-up failed"; netns_delete_all; return 1; }
		t1=${EPOCHREALTIME/./}
		netns_ping "$n" || { echo "$v N=$n: no reply:"; cat "$work/nsping.out"; netns_delete_all; return 1; }
		t2=${EPOCHREALTIME/./}
		ping=$((t2 - t1))
		netns_ping "$n" || { echo "$v N=$n: no second reply"; netns_delete_all; return 1; }
		warm=$((${EPOCHREALTIME/./} - t2))
		m1=$(mem_used)
		t2=${EPOCHREALTIME/./}
		netns_down "$n" "$v"
		t3=${EPOCHREALTIME/./}
		mem="system $(((m1 - m0) / n)) KiB/node"
		per="-" ;;
	*)
		rn_prepare "$v" "$n" "$d"
		m0=$(mem_used)
		t0=${EPOCHREALTIME/./}
		rn_up "$v" "$n" "$d" || { echo "$v N=$n: set-up failed"; return 1; }
		t1=${EPOCHREALTIME/./}
		rn_ping "$n" "$d" || { echo "$v N=$n: no reply:"; cat "$d/ping.out"; return 1; }
		t2=${EPOCHREALTIME/./}
		ping=$((t2 - t1))
		rn_ping "$n" "$d" || { echo "$v N=$n: no second reply"; return 1; }
		warm=$((${EPOCHREALTIME/./} - t2))
		m1=$(mem_used)
		set -- $(rn_mem "$n" "$d")
		mem="rss $1 pss $2 uss $3 KiB/node (of $4); system $(((m1 - m0) / n)) KiB/node"
		[ "$4" = "$n" ] || echo "warning: found $4 of $n servers"
		t2=${EPOCHREALTIME/./}
		rn_down "$n" "$d" || echo "warning: halt failed"
		t3=${EPOCHREALTIME/./}
		per=$(median < "$d/pernode")
		[ "$per" = "-" ] || per="$(ms "$per") ms"
		rm -rf "$d" ;;
	esac
	printf '%-11s N=%-3d run %d: up %8s ms (%s ms/node) ping %6s ms total %8s ms; node median %s; 2nd ping %s ms; down %s ms; %s\n' \
	    "$v" "$n" "$r" "$(ms $((t1 - t0)))" \
	    "$(awk -v u=$((t1 - t0)) -v n="$n" 'BEGIN { printf "%.2f", u / n / 1000 }')" \
	    "$(ms "$ping")" "$(ms $((t1 - t0 + ping)))" "$per" \
	    "$(ms "$warm")" "$(ms $((t3 - t2)))" "$mem"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -r); $(nproc) vCPUs;" \
    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //');" \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# sizes: $SIZES; runs: $RUNS; variants: $VARIANTS; buses in $BUSDIR"

maxn=0
for n in $SIZES; do [ "$n" -gt "$maxn" ] && maxn=$n; done
need=$((2 * maxn + 64))
echo "# RUMP_SHMIF_WATCH=${RUMP_SHMIF_WATCH:-auto}"
if [ "$inotify_old" -lt "$need" ]; then
	if [ "$(id -u)" = 0 ] && [ "${INOTIFY_RAISE:-1}" = 1 ]; then
		echo "# fs.inotify.max_user_instances $inotify_old -> $need for this run"
		echo "$need" > "$INOTIFY" && inotify_set=1
	else
		echo "# fs.inotify.max_user_instances is $inotify_old: interfaces" \
		    "past it wait on the bus futex"
	fi
fi
[ "$HAVE_NETNS" = 1 ] ||
    echo "# netns variants skipped: need root, ip, nsenter and ping"

# Baseline: a process start from this shell (fork + exec + wait).
for i in $(seq 1 50); do
	t0=${EPOCHREALTIME/./}; /bin/true; t1=${EPOCHREALTIME/./}; echo $((t1 - t0))
done > "$work/true.us"
echo "# /bin/true from this shell: median $(ms "$(median < "$work/true.us")") ms"

rc=0
for n in $SIZES; do
	for v in $VARIANTS; do
		case $v in netns*) [ "$HAVE_NETNS" = 1 ] || continue ;; esac
		for r in $(seq 1 "$RUNS"); do
			one_run "$v" "$n" "$r" || rc=1
		done
	done
done
exit $rc
