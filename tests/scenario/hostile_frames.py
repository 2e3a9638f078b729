#!/usr/bin/python3
# hostile_frames.py -- write captures of crafted, hostile frames for
# tests/scenario/hostile_frames.sh, which puts them on a live bus with
# shmif_pcap2bus.
#
#   hostile_frames.py TARGET_MAC OUTDIR [SYNS]
#
# The target is 198.51.100.1 / 2001:db8::1 at TARGET_MAC; the frames
# come from 02:00:00:00:00:99.  One capture per class, so that the
# test can tie each to the counters it must raise:
#   ipv4.pcap     truncated, bad version, bad header length, bad length,
#                 bad checksum, bad options
#   l4.pcap       TCP bad checksum, bad data offset, bad options; UDP bad
#                 length and checksum; ICMP truncated, bad checksum
#   frag4.pcap    overlapping IPv4 fragments, a tiny first fragment and
#                 a fragment rewriting the TCP header (RFC 1858)
#   pod.pcap      a fragment train past 65 535 bytes ("ping of death")
#   ipv6.pcap     payload length past the frame, bad version, hop-by-hop
#                 not first, overlapping fragments (RFC 5722), ICMPv6 bad
#                 checksum
#   synflood.pcap SYNS (default 3000) SYNs to port 5001 from spoofed
#                 203.0.113.0/24 sources and random ports
import os
import random
import struct
import sys

from scapy.layers.inet import in4_chksum
from scapy.all import (ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest,
                       IPOption, IPv6, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, Raw, wrpcap)

SRC_MAC = "02:00:00:00:00:99"
A, P = "198.51.100.1", "198.51.100.99"
A6, P6 = "2001:db8::1", "2001:db8::99"


def ipv4(e):
    good = e / IP(src=P, dst=A, id=1) / ICMP(id=1, seq=1) / Raw(b"x" * 32)
    out = []
    # Truncated: the IP total length says more than the frame holds.
    b = bytearray(bytes(good))
    out.append(bytes(b[:14 + 30]))
    # Bad version (5).
    out.append(e / IP(src=P, dst=A, version=5) / ICMP())
    # Header length 12 bytes (below the minimum 20).
    out.append(e / IP(src=P, dst=A, ihl=3) / ICMP())
    # Total length smaller than the header.
    out.append(e / IP(src=P, dst=A, len=16) / ICMP())
    # Bad header checksum.
    out.append(e / IP(src=P, dst=A, chksum=0x1234) / ICMP())
    # Options: length 0, length past the header, record route with a
    # pointer below 4.
    for opt in (b"\x07\x00\x00\x00", b"\x44\x28\x05\x00",
                b"\x07\x07\x01\x00\x00\x00\x00\x00"):
        out.append(e / IP(src=P, dst=A, options=[IPOption(opt)]) / ICMP())
    return out


def l4(e):
    ip = IP(src=P, dst=A)
    out = []
    out.append(e / ip / TCP(sport=1234, dport=5001, flags="S",
                            chksum=0x1234))
    # Data offset 15 (60 bytes) in a 20-byte segment.
    out.append(e / ip / TCP(sport=1235, dport=5001, flags="S",
                            dataofs=15))
    # Options: zero length, MSS of length 3, window scale past the end
    # (24-byte headers with valid checksums).
    for opts in (b"\x02\x00\x00\x00", b"\x02\x03\x05\x00",
                 b"\x01\x01\x01\x03"):
        hdr = struct.pack(">HHIIBBHHH", 1236, 5001, 7, 0, 6 << 4, 0x02,
                          8192, 0, 0) + opts
        ck = in4_chksum(6, IP(src=P, dst=A), hdr)
        hdr = hdr[:16] + struct.pack(">H", ck) + hdr[18:]
        out.append(e / IP(src=P, dst=A, proto=6) / Raw(hdr))
    # UDP length past the datagram, and below 8.
    out.append(e / ip / UDP(sport=1, dport=7, len=200) / Raw(b"u" * 8))
    out.append(e / ip / UDP(sport=1, dport=7, len=4) / Raw(b"u" * 8))
    out.append(e / ip / UDP(sport=1, dport=7, chksum=0x1234) / Raw(b"u"))
    # ICMP: 4 bytes only, and a bad checksum.
    out.append(e / IP(src=P, dst=A, proto=1) / Raw(b"\x08\x00\x00\x00"))
    out.append(e / ip / ICMP(chksum=0x1234) / Raw(b"i" * 16))
    return out


def frag4(e):
    out = []
    payload = bytes(ICMP(type=8, id=2, seq=2) / Raw(b"f" * 56))
    # Overlapping: 0-23, then 16-39, then the rest.
    for off, ln, mf in ((0, 24, 1), (2, 24, 1), (5, 32, 0)):
        out.append(e / IP(src=P, dst=A, id=0x4242, proto=1, frag=off,
                          flags="MF" if mf else 0) /
                   Raw(payload[off * 8:off * 8 + ln]))
    # RFC 1858: a tiny first fragment of 8 bytes of TCP header, then a
    # fragment at offset 1 rewriting the flags to SYN.
    tcp = bytes(TCP(sport=4444, dport=5001, flags="A"))
    out.append(e / IP(src=P, dst=A, id=0x4343, proto=6, flags="MF") /
               Raw(tcp[:8]))
    out.append(e / IP(src=P, dst=A, id=0x4343, proto=6, frag=1) /
               Raw(tcp[8:]))
    return out


def pod(e):
    # "Ping of death": fragments of one echo request whose last would
    # end at 66 600 bytes, past the 65 535 an IPv4 datagram can have.
    out = []
    for i in range(45):
        out.append(e / IP(src=P, dst=A, id=0x4444, proto=1, frag=i * 185,
                          flags="MF" if i < 44 else 0) /
                   Raw(b"p" * 1480))
    return out


def ipv6(e):
    out = []
    good = e / IPv6(src=P6, dst=A6) / ICMPv6EchoRequest(data=b"y" * 32)
    b = bytes(good)
    out.append(b[:14 + 40 + 8])			# plen past the frame
    out.append(e / IPv6(src=P6, dst=A6, version=4) / ICMPv6EchoRequest())
    out.append(e / IPv6(src=P6, dst=A6) / IPv6ExtHdrDestOpt() /
               IPv6ExtHdrHopByHop() / ICMPv6EchoRequest())
    icmp6 = bytes(IPv6(src=P6, dst=A6) /
                  ICMPv6EchoRequest(id=3, data=b"z" * 48))[40:]
    # RFC 5722: overlapping fragments make the whole datagram go.
    out.append(e / IPv6(src=P6, dst=A6) /
               IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=77) /
               Raw(icmp6[:32]))
    out.append(e / IPv6(src=P6, dst=A6) /
               IPv6ExtHdrFragment(nh=58, offset=2, m=0, id=77) /
               Raw(icmp6[16:]))
    out.append(e / IPv6(src=P6, dst=A6) /
               ICMPv6EchoRequest(cksum=0x1234, data=b"c" * 8))
    return out


def synflood(e, n):
    rnd = random.Random(5001)
    out = []
    for i in range(n):
        src = "203.0.113.%d" % rnd.randrange(1, 255)
        out.append(e / IP(src=src, dst=A, id=i & 0xffff) /
                   TCP(sport=rnd.randrange(1024, 65535), dport=5001,
                       flags="S", seq=rnd.randrange(0, 1 << 32),
                       options=[("MSS", 1460)]))
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: hostile_frames.py TARGET_MAC OUTDIR [SYNS]")
    e = Ether(dst=sys.argv[1], src=SRC_MAC)
    d = sys.argv[2]
    syns = int(sys.argv[3]) if len(sys.argv) == 4 else 3000
    for name, frames in (("ipv4", ipv4(e)), ("l4", l4(e)),
                         ("frag4", frag4(e)), ("pod", pod(e)),
                         ("ipv6", ipv6(e)),
                         ("synflood", synflood(e, syns))):
        wrpcap(os.path.join(d, name + ".pcap"),
               [Ether(bytes(f)) if isinstance(f, bytes) else f
                for f in frames])


if __name__ == "__main__":
    main()
