#!/usr/bin/python3
# mkcorpus.py -- write the seed corpora of the frame and capture fuzz
# targets (tests/fuzz/corpus/frame, tests/fuzz/corpus/pcap) with scapy.
#
#   /usr/bin/python3 tests/fuzz/mkcorpus.py [topdir]
#
# Frame seeds follow fuzz_frame.c's input format: a control byte, then
# frames as a 2-byte big-endian length and the bytes.  The node under
# test is 02:00:00:00:00:01, 198.51.100.1, 2001:db8::1; sockets listen
# on port 7.  Seeds are small on purpose: the fuzzer grows them.  The
# files named by a SHA-1 are inputs the fuzzers found (libFuzzer's
# -merge=1 kept only those that add coverage); make check replays them
# all.
import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest,
                       ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPOption,
                       IPv6, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, Raw, wrpcap, PcapNgWriter)

A_MAC, P_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
A, P = "198.51.100.1", "198.51.100.2"
A6, P6 = "2001:db8::1", "2001:db8::2"
E = Ether(dst=A_MAC, src=P_MAC)
TCPOPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
           ("WScale", 7), ("NOP", None)]


def seed(*frames, ctl=0):
    out = bytes([ctl])
    for f in frames:
        b = bytes(f)
        out += struct.pack(">H", len(b)) + b
    return out


def frag4(payload, ident, pieces):
    """IPv4 fragments of an ICMP echo: pieces = [(offset8, length, mf)]."""
    out = []
    for off, ln, mf in pieces:
        out.append(E / IP(src=P, dst=A, id=ident, proto=1, frag=off,
                          flags="MF" if mf else 0) /
                   Raw(payload[off * 8:off * 8 + ln]))
    return out


def frames():
    icmp = bytes(ICMP(type=8, id=1, seq=1) / Raw(b"x" * 48))
    icmp6 = bytes(IPv6(src=P6, dst=A6) / ICMPv6EchoRequest(data=b"y" * 40))
    icmp6 = icmp6[40:]
    yield "echo4", seed(E / IP(src=P, dst=A) / ICMP() / Raw(b"ping"))
    yield "arp", seed(Ether(dst="ff:ff:ff:ff:ff:ff", src=P_MAC) /
                      ARP(op=1, hwsrc=P_MAC, psrc=P, pdst=A))
    yield "syn4", seed(E / IP(src=P, dst=A) /
                       TCP(sport=40000, dport=7, flags="S", seq=1000,
                           options=TCPOPTS), ctl=0x13)
    yield "syn6", seed(E / IPv6(src=P6, dst=A6) /
                       TCP(sport=40000, dport=7, flags="S", seq=1000,
                           options=TCPOPTS), ctl=0x13)
    yield "synack_rst4", seed(
        E / IP(src=P, dst=A) / TCP(sport=40001, dport=7, flags="S"),
        E / IP(src=P, dst=A) / TCP(sport=40001, dport=7, flags="A",
                                   seq=1, ack=1),
        E / IP(src=P, dst=A) / TCP(sport=40001, dport=7, flags="R",
                                   seq=1), ctl=0x31)
    yield "tcp_data_closed4", seed(E / IP(src=P, dst=A) /
                                   TCP(sport=40002, dport=9, flags="PA") /
                                   Raw(b"data"))
    yield "udp4", seed(E / IP(src=P, dst=A) / UDP(sport=5000, dport=7) /
                       Raw(b"hello"), ctl=0x40)
    yield "udp6", seed(E / IPv6(src=P6, dst=A6) / UDP(sport=5000, dport=7) /
                       Raw(b"hello"), ctl=0x40)
    yield "udp4_closed", seed(E / IP(src=P, dst=A) /
                              UDP(sport=5000, dport=9) / Raw(b"x"))
    yield "ipopts4", seed(E / IP(src=P, dst=A, options=[
        IPOption(b"\x07\x07\x04" + b"\x00" * 4),          # record route
        IPOption(b"\x44\x0c\x05\x00" + b"\x00" * 8),      # timestamp
    ]) / ICMP() / Raw(b"opts"))
    yield "lsrr4", seed(E / IP(src=P, dst=A, options=[
        IPOption(b"\x83\x07\x04\xc6\x33\x64\x03")]) / ICMP())
    yield "frag4", seed(*frag4(icmp, 7, [(0, 24, True), (3, 24, True),
                                          (6, 8, False)]), ctl=0x01)
    yield "frag4_overlap", seed(*frag4(icmp, 8, [(0, 24, True),
                                                  (2, 24, True),
                                                  (5, 16, False)]),
                                ctl=0x07)
    yield "frag6_overlap", seed(
        E / IPv6(src=P6, dst=A6) / IPv6ExtHdrFragment(nh=58, offset=0, m=1,
                                                      id=9) / Raw(icmp6[:24]),
        E / IPv6(src=P6, dst=A6) / IPv6ExtHdrFragment(nh=58, offset=2, m=0,
                                                      id=9) / Raw(icmp6[16:]),
        ctl=0x07)
    yield "frag6", seed(
        E / IPv6(src=P6, dst=A6) / IPv6ExtHdrFragment(nh=58, offset=0, m=1,
                                                      id=10) / Raw(icmp6[:24]),
        E / IPv6(src=P6, dst=A6) / IPv6ExtHdrFragment(nh=58, offset=3, m=0,
                                                      id=10) / Raw(icmp6[24:]))
    yield "hbh6", seed(E / IPv6(src=P6, dst=A6) / IPv6ExtHdrHopByHop() /
                       ICMPv6EchoRequest())
    yield "rthdr6", seed(E / IPv6(src=P6, dst=A6) /
                         IPv6ExtHdrRouting(type=0, addresses=[P6],
                                           segleft=1) /
                         ICMPv6EchoRequest())
    yield "ns6", seed(Ether(dst="33:33:ff:00:00:01", src=P_MAC) /
                      IPv6(src=P6, dst="ff02::1:ff00:1", hlim=255) /
                      ICMPv6ND_NS(tgt=A6) / ICMPv6NDOptSrcLLAddr(lladdr=P_MAC))
    yield "icmp_unreach4", seed(E / IP(src=P, dst=A) /
                                ICMP(type=3, code=3) /
                                IP(src=A, dst=P) / UDP(sport=7, dport=5000))
    yield "short", seed(b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"
                        b"\x08\x00\x45\x00")


def pcaps(d):
    pkts = [E / IP(src=P, dst=A) / ICMP() / Raw(b"a"),
            E / IP(src=P, dst=A) / UDP(dport=7) / Raw(b"b" * 100),
            E / IPv6(src=P6, dst=A6) / ICMPv6EchoRequest()]
    wrpcap(os.path.join(d, "three.pcap"), pkts)
    with PcapNgWriter(os.path.join(d, "two.pcapng")) as w:
        for p in pkts[:2]:
            w.write(p)
    # A record captured shorter than on the wire, and a 1600-byte frame.
    raw = bytes(pkts[0])
    hdr = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
    rec1 = struct.pack("<IIII", 1, 0, 20, len(raw)) + raw[:20]
    big = raw + b"\x00" * (1600 - len(raw))
    rec2 = struct.pack("<IIII", 2, 0, len(big), len(big)) + big
    rec3 = struct.pack("<IIII", 3, 0, 10, 10) + raw[:10]
    with open(os.path.join(d, "badrecs.pcap"), "wb") as f:
        f.write(hdr + rec1 + rec2 + rec3)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    fd = os.path.join(top, "tests/fuzz/corpus/frame")
    pd = os.path.join(top, "tests/fuzz/corpus/pcap")
    os.makedirs(fd, exist_ok=True)
    os.makedirs(pd, exist_ok=True)
    for name, data in frames():
        with open(os.path.join(fd, name), "wb") as f:
            f.write(data)
    pcaps(pd)


if __name__ == "__main__":
    main()
