#!/usr/bin/python3
"""Generate tests/unit/frames_ipv4.h: the golden IPv4/ICMP/UDP frames of
test_ip.c, test_icmp.c and test_udp.c, built with scapy.

    /usr/bin/python3 tests/unit/frames_ipv4.py > tests/unit/frames_ipv4.h

Each array carries the scapy expression it came from.  Hosts: A (the
stack under test, 02:00:00:00:00:01, 198.51.100.1/24), P (a peer,
:02, 198.51.100.2), R (a router, :03, 198.51.100.3, toward
203.0.113.0/24).  A's datagram ids start at 0x1000 in every test.
"""
import struct
import sys

from scapy.all import Ether, IP, ICMP, UDP, IPOption, fragment, checksum

A_MAC, P_MAC, R_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
A, P, R = "198.51.100.1", "198.51.100.2", "198.51.100.3"
FAR = "203.0.113.5"
ECHO_DATA = b"rumpnet echo data 0123456789abcdef"

out = []


def emit(name, expr, data):
    out.append("/* %s */" % expr.replace("*/", "* /"))
    out.append("static const uint8_t %s[%d] = {" % (name, len(data)))
    for i in range(0, len(data), 12):
        out.append("\t" + " ".join("0x%02x," % b for b in data[i:i + 12]))
    out.append("};")
    out.append("")


def gen(name, expr, **env):
    data = bytes(eval(expr, globals(), env))
    emit(name, expr, data)
    return data


def patch(data, off, new):
    return data[:off] + new + data[off + len(new):]


def fix_ipsum(frame):
    """Recompute the IPv4 header checksum of an Ethernet frame."""
    hl = (frame[14] & 0x0f) * 4
    hdr = patch(frame[14:14 + hl], 10, b"\0\0")
    return patch(frame, 24, struct.pack("!H", checksum(hdr)))


def quote(frame):
    """What an ICMP error quotes: the IP datagram, up to 548 bytes."""
    return bytes(frame[14:])[:548]


E_PA = "Ether(dst=A_MAC, src=P_MAC)"
E_AP = "Ether(dst=P_MAC, src=A_MAC)"
E_AR = "Ether(dst=R_MAC, src=A_MAC)"

# --- echo ---------------------------------------------------------------
echo_req = gen("echo_req", E_PA + "/IP(src=P, dst=A, id=0x4242)/"
               "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("echo_rep", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=0, id=0x1234, seq=1)/ECHO_DATA")
emit("echo_req_badsum", "echo_req with ip_sum 0x1111",
     patch(echo_req, 24, b"\x11\x11"))
small = bytes(eval(E_PA + "/IP(src=P, dst=A, id=0x4243)/"
                   "ICMP(type=8, id=0x1234, seq=2)/b'ping'"))
emit("echo_req_padded", "(" + E_PA + "/IP(src=P, dst=A, id=0x4243)/"
     "ICMP(type=8, id=0x1234, seq=2)/b'ping') + 14 zero bytes of padding",
     small + b"\0" * (60 - len(small)))
gen("echo_rep_small", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=0, id=0x1234, seq=2)/b'ping'")
gen("echo_req_bcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst='198.51.100.255', id=0x4244)/"
    "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("echo_req_lbcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst='255.255.255.255', id=0x4245)/"
    "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("echo_req_linkbcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst=A, id=0x4246)/ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("echo_req_opts", E_PA + "/IP(src=P, dst=A, id=0x4247, "
    "options=[IPOption(b'\\x01\\x01\\x01\\x00')])/"
    "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")

# What ping on A sends through a raw ICMP socket, and P's answer.
gen("raw_echo_out", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("echo_rep_from_p", E_PA + "/IP(src=P, dst=A, id=0x4250)/"
    "ICMP(type=0, id=0x1234, seq=1)/ECHO_DATA")

# --- malformed IPv4 -----------------------------------------------------
emit("ip_toosmall", "echo_req cut 19 bytes into the IP header",
     echo_req[:14 + 19])
gen("ip_badvers", E_PA + "/IP(version=6, src=P, dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
gen("ip_badhlen_small", E_PA + "/IP(ihl=4, src=P, dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
emit("ip_badhlen_big", "echo_req cut to a 40-byte datagram claiming "
     "ihl=15 (ip_len 40)",
     fix_ipsum(patch(patch(echo_req[:14 + 40], 14, b"\x4f"), 16,
                     struct.pack("!H", 40))))
gen("ip_badlen", E_PA + "/IP(len=10, src=P, dst=A)/ICMP(type=8)/ECHO_DATA")
gen("ip_tooshort", E_PA + "/IP(len=200, src=P, dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
gen("ip_src_loopback", E_PA + "/IP(src='127.0.0.1', dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
gen("ip_src_multicast", E_PA + "/IP(src='224.0.0.5', dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
gen("ip_src_bcast", E_PA + "/IP(src='198.51.100.255', dst=A)/"
    "ICMP(type=8)/ECHO_DATA")
gen("ip_dst_loopback", E_PA + "/IP(src=P, dst='127.0.0.1')/"
    "ICMP(type=8)/ECHO_DATA")
# Record route with a zero length octet: bad octet at header offset 21.
badopt = gen("ip_badopt", E_PA + "/IP(src=P, dst=A, id=0x4248, "
             "options=[IPOption(b'\\x07\\x00\\x04\\x00')])/"
             "ICMP(type=8, id=0x1234, seq=1)/ECHO_DATA")
gen("ip_badopt_paramprob", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=12, code=0, ptr=21)/quote(badopt)", badopt=badopt)
noproto = gen("ip_noproto", E_PA + "/IP(src=P, dst=A, id=0x4249, "
              "proto=253)/b'12345678'")
gen("ip_noproto_bcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst='198.51.100.255', proto=253)/b'12345678'")
gen("ip_noproto_src0", E_PA + "/IP(src='0.0.0.0', dst=A, proto=253)/"
    "b'12345678'")
gen("ip_noproto_unreach", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=2)/quote(noproto)", noproto=noproto)

# --- ICMP input ---------------------------------------------------------
emit("icmp_badsum", "echo_req with icmp_cksum 0x2222",
     patch(echo_req, 14 + 20 + 2, b"\x22\x22"))
gen("icmp_short", E_PA + "/IP(src=P, dst=A, proto=1)/b'\\x08\\x00\\xf7\\xff'")
sent = bytes(IP(src=A, dst=P, id=0x0777) / UDP(sport=5000, dport=6000) /
             b"probe")
gen("icmp_unreach_badcode", E_PA + "/IP(src=P, dst=A)/"
    "ICMP(type=3, code=20)/sent", sent=sent)
gen("icmp_unreach_badlen", E_PA + "/IP(src=P, dst=A)/"
    "ICMP(type=3, code=3)/sent[:10]", sent=sent)
gen("icmp_unreach_port", E_PA + "/IP(src=P, dst=A)/"
    "ICMP(type=3, code=3)/sent", sent=sent)
gen("icmp_unknown", E_PA + "/IP(src=P, dst=A)/ICMP(type=42)/b'abcd'")

# --- UDP ----------------------------------------------------------------
udp_closed = gen("udp_closed", E_PA + "/IP(src=P, dst=A, id=0x5000)/"
                 "UDP(sport=40000, dport=9999)/b'hello rumpnet'")
gen("udp_closed_unreach", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=3)/quote(udp_closed)", udp_closed=udp_closed)
gen("udp_badsum", E_PA + "/IP(src=P, dst=A, id=0x5001)/"
    "UDP(sport=40000, dport=9999, chksum=0x1234)/b'hello rumpnet'")
udp_nosum = gen("udp_nosum", E_PA + "/IP(src=P, dst=A, id=0x5002)/"
                "UDP(sport=40000, dport=9999, chksum=0)/b'hello rumpnet'")
gen("udp_nosum_unreach", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=3)/quote(udp_nosum)", udp_nosum=udp_nosum)
gen("udp_badlen_big", E_PA + "/IP(src=P, dst=A)/"
    "UDP(sport=40000, dport=9999, len=100)/b'hello rumpnet'")
gen("udp_badlen_small", E_PA + "/IP(src=P, dst=A)/"
    "UDP(sport=40000, dport=9999, len=4)/b'hello rumpnet'")
gen("udp_short", E_PA + "/IP(src=P, dst=A, proto=17)/b'\\x9c\\x40\\x27\\x0f'")
gen("udp_bcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst='198.51.100.255')/UDP(sport=40000, dport=9999)/b'hi'")
gen("udp_lbcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst='255.255.255.255')/UDP(sport=40000, dport=9999)/b'hi'")
gen("udp_mcast", "Ether(dst='01:00:5e:00:00:fb', src=P_MAC)/"
    "IP(src=P, dst='224.0.0.251', ttl=1)/UDP(sport=5353, dport=5353)/b'hi'")
gen("udp_to_open", E_PA + "/IP(src=P, dst=A, id=0x5003)/"
    "UDP(sport=40000, dport=7777)/b'to an open port'")
gen("udp_small_out", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "UDP(sport=5000, dport=6000)/b'offload'")
big = bytes(i % 251 for i in range(3000))
bigdg = IP(src=A, dst=P, id=0x1000) / UDP(sport=5000, dport=6000) / big
for i, f in enumerate(fragment(bigdg, fragsize=1480)):
    emit("udp_frag%d" % (i + 1),
         "fragment(IP(src=A, dst=P, id=0x1000)/UDP(sport=5000, dport=6000)/"
         "bytes(i %% 251 for i in range(3000)), fragsize=1480)[%d] in "
         "Ether(dst=P_MAC, src=A_MAC)" % i,
         bytes(Ether(dst=P_MAC, src=A_MAC) / f))

# --- forwarding ---------------------------------------------------------
fwd_in = gen("fwd_in", E_PA + "/IP(src=P, dst=FAR, id=0x6000)/"
             "UDP(sport=40000, dport=53)/b'forward me'")
gen("fwd_out", E_AR + "/IP(src=P, dst=FAR, id=0x6000, ttl=63)/"
    "UDP(sport=40000, dport=53)/b'forward me'")
gen("fwd_netunreach", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=0)/quote(fwd_in)", fwd_in=fwd_in)
gen("fwd_hostunreach", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=1)/quote(fwd_in)", fwd_in=fwd_in)
ttl1 = gen("fwd_ttl1", E_PA + "/IP(src=P, dst=FAR, id=0x6001, ttl=1)/"
           "UDP(sport=40000, dport=53)/b'forward me'")
gen("fwd_timxceed", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=11, code=0)/quote(ttl1)", ttl1=ttl1)
gen("fwd_ttl1_icmperr", E_PA + "/IP(src=P, dst=FAR, ttl=1)/"
    "ICMP(type=3, code=3)/sent", sent=sent)
gen("fwd_ttl1_frag", E_PA + "/IP(src=P, dst=FAR, ttl=1, frag=185)/"
    "b'a later fragment'")
gen("fwd_linkbcast", "Ether(dst=BCAST_MAC, src=P_MAC)/"
    "IP(src=P, dst=FAR)/UDP(sport=40000, dport=53)/b'x'")
payload = bytes(i % 253 for i in range(1400))
bigdf = gen("fwd_big_df", E_PA + "/IP(src=P, dst=FAR, id=0x6002, "
            "flags='DF')/UDP(sport=40000, dport=53)/payload",
            payload=payload)
gen("fwd_needfrag", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=3, code=4, nexthopmtu=1280)/quote(bigdf)", bigdf=bigdf)
gen("fwd_big", E_PA + "/IP(src=P, dst=FAR, id=0x6003)/"
    "UDP(sport=40000, dport=53)/payload", payload=payload)
fw = IP(src=P, dst=FAR, id=0x6003, ttl=63) / UDP(sport=40000, dport=53) / payload
for i, f in enumerate(fragment(fw, fragsize=1256)):
    emit("fwd_big_frag%d" % (i + 1),
         "fragment(IP(src=P, dst=FAR, id=0x6003, ttl=63)/UDP(sport=40000, "
         "dport=53)/bytes(i %% 253 for i in range(1400)), fragsize=1256)[%d]"
         " in Ether(dst=R_MAC, src=A_MAC)" % i,
         bytes(Ether(dst=R_MAC, src=A_MAC) / f))

# --- reassembly ---------------------------------------------------------
rdata = bytes(range(100))
rdg = IP(src=P, dst=A, id=0x7777) / ICMP(type=8, id=0x4321, seq=7) / rdata
rfr = fragment(rdg, fragsize=48)
for i, f in enumerate(rfr):
    emit("reass_f%d" % (i + 1),
         "fragment(IP(src=P, dst=A, id=0x7777)/ICMP(type=8, id=0x4321, "
         "seq=7)/bytes(range(100)), fragsize=48)[%d] in "
         "Ether(dst=A_MAC, src=P_MAC)" % i,
         bytes(Ether(dst=A_MAC, src=P_MAC) / f))
gen("reass_reply", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=0, id=0x4321, seq=7)/bytes(range(100))")
ov = IP(bytes(rfr[1]))
ov.frag = 5          # bytes 40..87: overlaps the first fragment
del ov.chksum
emit("reass_f2_overlap", "reass_f2 moved to offset 40 (frag=5)",
     bytes(Ether(dst=A_MAC, src=P_MAC) / ov))
f1 = bytes(Ether(dst=A_MAC, src=P_MAC) / rfr[0])
gen("reass_timxceed", E_AP + "/IP(src=A, dst=P, id=0x1000)/"
    "ICMP(type=11, code=1)/quote(f1)", f1=f1)
rdg2 = IP(src=P, dst=A, id=0x7778) / ICMP(type=8, id=0x4321, seq=8) / rdata
for i, f in enumerate(fragment(rdg2, fragsize=48)):
    emit("reass2_f%d" % (i + 1),
         "fragment(IP(src=P, dst=A, id=0x7778)/ICMP(type=8, id=0x4321, "
         "seq=8)/bytes(range(100)), fragsize=48)[%d] in "
         "Ether(dst=A_MAC, src=P_MAC)" % i,
         bytes(Ether(dst=A_MAC, src=P_MAC) / f))

sys.stdout.write("""/*
 * frames_ipv4.h -- golden frames for the IPv4, ICMP and UDP unit tests.
 * Generated by tests/unit/frames_ipv4.py with scapy; do not edit.
 * A = 02:00:00:00:00:01 198.51.100.1 (the stack under test),
 * P = :02 198.51.100.2 (peer), R = :03 198.51.100.3 (router).
 */
#ifndef _TESTS_UNIT_FRAMES_IPV4_H_
#define _TESTS_UNIT_FRAMES_IPV4_H_

#include <stdint.h>

""")
sys.stdout.write("\n".join(out))
sys.stdout.write("#endif /* _TESTS_UNIT_FRAMES_IPV4_H_ */\n")
