#!/bin/sh
# dumpbus_basic.sh -- a capture put on a bus with shmif_pcap2bus comes
# back out of shmif_dumpbus unchanged, as text, pcap and pcapng, with -h,
# -c and a filter expression.
#
#   in.pcap --shmif_pcap2bus--> [ bus ] --shmif_dumpbus -p/-P--> tcpdump
#
. "$(dirname "$0")/dumpbus_lib.sh"

# 40 frames: 8 ARP, 32 UDP; 18..1417 bytes of payload.
mkpcap in.pcap 40
"$PCAP2BUS" -s 0x1122334455667788 in.pcap bus
expect_eq "bus size" "$(wc -c < bus | tr -d ' ')" 1048576

# Text: the header line, then one line per frame.  The first record
# header is at data offset 24 (after the phantom record at 0), so the
# first frame's data is at 48 = 0x30; it is ARP, 42 = 0x2a bytes.
"$DUMPBUS" bus > text
expect_match "header line" text \
    '^bus version 3, lock: 0, generation: 0, firstoff: 0xfffe0, lastoff: 0x[0-9a-f]{4,}$'
expect_eq "text lines" "$(wc -l < text | tr -d ' ')" 41
expect_match "first frame" text \
    '^packet 0, offset 0x0030, length 0x002a, ts 1000/000000$'
expect_match "last frame" text '^packet 39, offset 0x[0-9a-f]+, length 0x[0-9a-f]{4}, ts 1039/039000$'

# -h: the header line alone.
"$DUMPBUS" -h bus > hdr
expect_eq "-h lines" "$(wc -l < hdr | tr -d ' ')" 1
head -n 1 text > h1
cmp -s hdr h1 || fail "-h header differs"

# pcap to a file: byte-for-byte the same frames and timestamps.
"$DUMPBUS" -p out.pcap bus > text2
cmp -s text text2 || fail "text differs when writing a pcap file"
pcap_lines in.pcap > want
pcap_lines out.pcap > got
cmp -s want got || fail "frames differ after the bus round trip"
expect_eq "frames in pcap" "$(pcap_count out.pcap)" 40

# pcap to stdout: text on stderr, capture readable by tcpdump -r -.
"$DUMPBUS" -p - bus 2> text3 | tcpdump -nn -e -xx -r - 2>/dev/null > got2
cmp -s want got2 || fail "pcap on stdout differs"
cmp -s text text3 || fail "text not on stderr with -p -"

# -c: stop after 3 frames.
"$DUMPBUS" -c 3 -p c.pcap bus > ctext
expect_eq "-c frames" "$(pcap_count c.pcap)" 3
expect_eq "-c lines" "$(wc -l < ctext | tr -d ' ')" 4

# Filter expression (several words): the ARP frames only, then UDP.
"$DUMPBUS" -p arp.pcap bus arp or icmp > atext
expect_eq "arp frames" "$(pcap_count arp.pcap)" 8
expect_eq "arp lines" "$(grep -c '^packet' atext)" 8
pcap_lines in.pcap arp > want_arp
pcap_lines arp.pcap > got_arp
cmp -s want_arp got_arp || fail "filtered frames differ"
"$DUMPBUS" -c 5 -p - bus 'udp and dst host 203.0.113.2' 2>/dev/null > udp.pcap
expect_eq "udp frames with -c" "$(pcap_count udp.pcap udp)" 5

# pcapng: same frames; one interface named after the sender.
"$DUMPBUS" -q -P out.pcapng bus > qtext
expect_eq "-q output" "$(wc -c < qtext | tr -d ' ')" 0
pcap_lines out.pcapng > gotng
cmp -s want gotng || fail "pcapng frames differ"
# Interface Description Block: type 1, if_name option (code 2).
python3 - out.pcapng <<'EOF' || fail "pcapng structure"
import struct, sys
data = open(sys.argv[1], 'rb').read()
off, names, epbs = 0, [], 0
while off < len(data):
    btype, blen = struct.unpack_from('<II', data, off)
    assert blen % 4 == 0 and blen >= 12, blen
    assert struct.unpack_from('<I', data, off + blen - 4)[0] == blen
    if btype == 1:
        o = off + 16
        while True:
            code, olen = struct.unpack_from('<HH', data, o)
            if code == 0:
                break
            if code == 2:
                names.append(data[o + 4:o + 4 + olen].decode())
            o += 4 + (olen + 3) // 4 * 4
    elif btype == 6:
        epbs += 1
    off += blen
assert names == ['sender 0x1122334455667788'], names
assert epbs == 40, epbs
EOF

# Two senders on one bus: two interfaces in the pcapng.
"$PCAP2BUS" -s 7 in.pcap bus
"$DUMPBUS" -q -P two.pcapng bus
expect_eq "two senders" "$(python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read(); o = n = 0
while o < len(d):
    t, l = struct.unpack_from("<II", d, o); n += t == 1; o += l
print(n)' two.pcapng)" 2
expect_eq "frames of both" "$(pcap_count two.pcapng)" 80

echo "dumpbus_basic: ok"
