# dumpbus_lib.sh -- helpers for the shmif_dumpbus / shmif_pcap2bus
# scenario tests (sourced, not run).  Each test gets a temporary
# directory, removed on exit, and the tools from $top_builddir.
#
# Frames use documentation addresses only: 198.51.100.0/24 and
# 203.0.113.0/24, MACs b2:a0:..

set -eu

top_builddir=${top_builddir:-$(cd "$(dirname "$0")/../.." && pwd)}
DUMPBUS=$top_builddir/tools/shmif_dumpbus/shmif_dumpbus
PCAP2BUS=$top_builddir/tools/shmif_pcap2bus/shmif_pcap2bus

for tool in "$DUMPBUS" "$PCAP2BUS"; do
	if [ ! -x "$tool" ]; then
		echo "missing $tool (build it first)" >&2
		exit 99
	fi
done
command -v python3 >/dev/null || { echo "python3 needed" >&2; exit 77; }
command -v tcpdump >/dev/null || { echo "tcpdump needed" >&2; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dumpbus.XXXXXX")
bgpids=""
cleanup()
{
	for p in $bgpids; do
		kill "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"

debug()
{
	if [ "${DEBUG:-0}" = 1 ]; then
		echo "DEBUG: $*" >&2
	fi
}

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	debug "$1 = $2"
}

# expect_match WHAT FILE REGEX
expect_match()
{
	grep -Eq -- "$3" "$2" || {
		sed 's/^/  | /' "$2" >&2
		fail "$1: no line matches '$3'"
	}
}

# mkpcap FILE COUNT [SEED [BIGEVERY]]: a classic pcap of COUNT Ethernet
# frames: every 5th an ARP request, the others IPv4/UDP 198.51.100.1 ->
# 203.0.113.2 with 18..1417 bytes of payload (frames of 60..1459 bytes,
# ARP 42).  With BIGEVERY = n, every n-th frame instead is a 1600-byte
# frame and every (n+1)-th a 10-byte one, both impossible on a bus.
mkpcap()
{
	python3 - "$@" <<'EOF'
import struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

SRC = bytes([198, 51, 100, 1])
DST = bytes([203, 0, 113, 2])
MAC1 = bytes.fromhex('b2a000000001')
MAC2 = bytes.fromhex('b2a000000002')

def udp(i, plen):
    payload = bytes((i + k) & 0xff for k in range(plen))
    u = struct.pack('!HHHH', 40000 + i % 100, 9999, 8 + plen, 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), i & 0xffff,
                     0, 64, 17, 0, SRC, DST)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return MAC2 + MAC1 + b'\x08\x00' + ip + u

def arp(i):
    a = struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, 1, MAC1, SRC,
                    b'\0' * 6, bytes([198, 51, 100, 2 + i % 200]))
    return b'\xff' * 6 + MAC1 + b'\x08\x06' + a

path, count = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
big = int(sys.argv[4]) if len(sys.argv) > 4 else 0
with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(count):
        if big and i % big == big - 1:
            fr = MAC2 + MAC1 + b'\x88\xb5' + bytes(1600 - 14)
        elif big and i % big == 0 and i > 0:
            fr = (MAC2 + MAC1)[:10]
        elif i % 5 == 0:
            fr = arp(i)
        else:
            fr = udp(i, (i * 37 + seed * 11) % 1400 + 18)
        f.write(struct.pack('<IIII', 1000 + i, (i * 1000) % 1000000,
                            len(fr), len(fr)))
        f.write(fr)
EOF
}

# pcap_lines FILE [FILTER...]: tcpdump's rendering, with packet bytes.
pcap_lines()
{
	f=$1
	shift
	tcpdump -nn -e -xx -r "$f" "$@" 2>/dev/null
}

# pcap_count FILE [FILTER...]
pcap_count()
{
	f=$1
	shift
	tcpdump -nn -r "$f" "$@" 2>/dev/null | wc -l | tr -d ' '
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for()
{
	limit=$1
	shift
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -lt $((limit * 20)) ] || return 1
		sleep 0.05
	done
}
