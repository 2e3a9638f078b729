#!/bin/sh
# dumpbus_errors.sh -- bad command lines and bad files: a message naming
# the file, exit status 1, never a crash; byte-swapped and version 2
# buses are read; shmif_pcap2bus refuses what is not a bus and skips
# frames that cannot be on one.
. "$(dirname "$0")/dumpbus_lib.sh"

# expect_fail WHAT REGEX COMMAND...: exit status 1, stderr matching.
expect_fail()
{
	what=$1
	re=$2
	shift 2
	rc=0
	"$@" > out 2> err || rc=$?
	expect_eq "$what: exit status" "$rc" 1
	expect_match "$what: message" err "$re"
}

# patch32 FILE OFFSET VALUE: store a native 32-bit integer.
patch32()
{
	python3 -c '
import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2], 0)); f.write(struct.pack("=I", int(sys.argv[3], 0)))
' "$@"
}

mkpcap in.pcap 12
"$PCAP2BUS" in.pcap bus
cp bus bus.orig

# --- command lines
expect_fail "no operand" '^Usage: shmif_dumpbus \[-fhnq\]' "$DUMPBUS"
expect_fail "bad option" '^Usage: shmif_dumpbus ' "$DUMPBUS" -x bus
expect_match "bad option named" err 'unknown option -x'
expect_fail "two captures" 'only one capture file' "$DUMPBUS" -p a -P b bus
expect_fail "zero count" "invalid count \`0'" "$DUMPBUS" -c 0 bus
expect_fail "bad count" "invalid count \`x1'" "$DUMPBUS" -c x1 bus
expect_fail "bad filter" "invalid filter expression \`nosuchproto'" \
    "$DUMPBUS" bus nosuchproto
expect_fail "bad capture path" "Cannot open pcap dump file \`nodir/x.pcap'" \
    "$DUMPBUS" -p nodir/x.pcap bus
expect_fail "p2b no operand" '^Usage: shmif_pcap2bus ' "$PCAP2BUS"
expect_fail "p2b one operand" '^Usage: shmif_pcap2bus ' "$PCAP2BUS" in.pcap
expect_fail "p2b batch" "invalid batch \`0'" "$PCAP2BUS" -b 0 in.pcap bus
expect_fail "p2b sender" "invalid sender id \`12z'" "$PCAP2BUS" -s 12z in.pcap bus
expect_fail "p2b stdin loops" 'cannot loop over standard input' \
    "$PCAP2BUS" -l 2 - bus
cmp -s bus bus.orig || fail "a failed command changed the bus"

# --- files that are not (whole, sane) buses
expect_fail "missing" "Can't open bus file \`nosuch': No such file" \
    "$DUMPBUS" nosuch
printf 'hello, world\n' > notbus
expect_fail "not a bus" "\`notbus' not a shmif bus: bad magic 0x6c6c6568 != 0xca11d054" \
    "$DUMPBUS" notbus
: > empty
expect_fail "empty" "\`empty': truncated bus file: 0 bytes" "$DUMPBUS" empty
head -c 4096 bus > trunc
expect_fail "truncated" "\`trunc': truncated bus file: 4096 bytes, a bus has 1048576" \
    "$DUMPBUS" trunc
cp bus v7 && patch32 v7 4 7
expect_fail "version 7" "\`v7': Unhandled bus version 7, program 3" "$DUMPBUS" v7
cp bus v0 && patch32 v0 4 0
expect_fail "version 0" "\`v0': Unhandled bus version 0, program 3" "$DUMPBUS" v0
cp bus first && patch32 first 16 0x200000
expect_fail "shm_first" "\`first': corrupt bus header: firstoff 0x200000" \
    "$DUMPBUS" first
cp bus last && patch32 last 20 0xfffe0
expect_fail "shm_last" "\`last': corrupt bus header" "$DUMPBUS" last
# The first record header is at data offset 24 = file offset 56.
cp bus giant && patch32 giant 56 0x10000
expect_fail "giant record" "\`giant': record at offset 0x0018: record length above 1514 bytes" \
    "$DUMPBUS" giant
cp bus huge && patch32 huge 56 0xffffffff
expect_fail "huge record" "record length above 1514" "$DUMPBUS" -p x.pcap huge

# --- a bus of the other byte order: read by dumpbus, refused by writers
python3 - bus swapped <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
magic, ver, gen, first, last, lock, spare = struct.unpack_from('=IIQIIII', d)
struct.pack_into('>IIQIIII' if struct.pack('=I', 1)[0] else '<IIQIIII', d, 0,
                 magic, ver, gen, first, last, lock, spare)
# No wrap on this bus: records chain from data offset 24 to shm_last.
swap = '>' if struct.pack('=I', 1)[0] else '<'
off = 24
while True:
    ln, sec, usec, pad, snd = struct.unpack_from('=IIIIQ', d, 32 + off)
    struct.pack_into(swap + 'IIIIQ', d, 32 + off, ln, sec, usec, pad, snd)
    if off == last:
        break
    off += 24 + ln
open(sys.argv[2], 'wb').write(d)
EOF
"$DUMPBUS" -p native.pcap bus > native.txt
"$DUMPBUS" -p swapped.pcap swapped > swapped.txt
cmp -s native.txt swapped.txt || fail "swapped bus text differs"
pcap_lines native.pcap > want
pcap_lines swapped.pcap > got
cmp -s want got || fail "swapped bus frames differ"
cp swapped swapped.orig
expect_fail "write swapped" "\`swapped' is a shmif bus of the other byte order" \
    "$PCAP2BUS" in.pcap swapped
expect_fail "follow swapped" "other byte order" "$DUMPBUS" -f swapped
cmp -s swapped swapped.orig || fail "swapped bus modified"

# --- a version 2 bus (12-byte record headers, no sender): phantom record
# at 0, headers at 12 and 12 + 12 + 60 = 84.
python3 - v2bus <<'EOF'
import struct, sys
d = bytearray(1 << 20)
struct.pack_into('=IIQIIII', d, 0, 0xCA11D054, 2, 0, 0xFFFE0, 84, 0, 0)
fr = bytes.fromhex('ffffffffffffb2a0000000010806') + bytes(46)
struct.pack_into('=III', d, 32 + 12, 60, 5, 6)
d[32 + 24:32 + 84] = fr
struct.pack_into('=III', d, 32 + 84, 60, 7, 8)
d[32 + 96:32 + 156] = fr
open(sys.argv[1], 'wb').write(d)
EOF
"$DUMPBUS" -p v2.pcap v2bus > v2.txt
expect_match "v2 header" v2.txt '^bus version 2, lock: 0, generation: 0, firstoff: 0xfffe0, lastoff: 0x0054$'
expect_match "v2 packet 0" v2.txt '^packet 0, offset 0x0018, length 0x003c, ts 5/000006$'
expect_match "v2 packet 1" v2.txt '^packet 1, offset 0x0060, length 0x003c, ts 7/000008$'
expect_eq "v2 frames" "$(pcap_count v2.pcap)" 2
cp v2bus v2.orig
expect_fail "write v2" "\`v2bus': bus version 2, this program handles 3" \
    "$PCAP2BUS" in.pcap v2bus
cmp -s v2bus v2.orig || fail "v2 bus modified"

# --- shmif_pcap2bus refusals and skips
cp notbus notbus.orig
expect_fail "p2b not a bus" "\`notbus' not a shmif bus: bad magic" \
    "$PCAP2BUS" in.pcap notbus
cmp -s notbus notbus.orig || fail "pcap2bus changed a file that is no bus"
expect_fail "p2b missing capture" "Can't read capture \`nosuch.pcap'" \
    "$PCAP2BUS" nosuch.pcap newbus
# A raw-IP capture (link type 101) cannot go on an Ethernet bus.
python3 -c '
import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
' raw.pcap
expect_fail "p2b link type" "\`raw.pcap': link type RAW, a shmif bus carries Ethernet" \
    "$PCAP2BUS" raw.pcap newbus

# 30 frames; counting from 1 as tcpdump and Wireshark do, frames 10, 20
# and 30 have 1600 bytes and frames 11 and 21 have 10: 5 skipped.
mkpcap odd.pcap 30 0 10
rc=0
"$PCAP2BUS" odd.pcap oddbus 2> err || rc=$?
expect_eq "p2b skips: exit status" "$rc" 0
expect_match "p2b skip warning" err "\`odd.pcap': frame 10 is 1600 bytes, outside 14..1514, skipped"
expect_match "p2b skip short" err "frame 11 is 10 bytes, outside 14..1514, skipped"
expect_match "p2b skip total" err 'skipped 5 frames outside 14..1514 bytes'
"$DUMPBUS" -p odd_out.pcap oddbus > /dev/null
expect_eq "frames on the bus" "$(pcap_count odd_out.pcap)" 25

echo "dumpbus_errors: ok"
