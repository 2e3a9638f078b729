#!/usr/bin/python3
"""Generate tests/unit/frames_ipv6.h: the golden IPv6/ICMPv6/ND/UDP
frames of test_ip6.c, built with scapy.

    /usr/bin/python3 tests/unit/frames_ipv6.py > tests/unit/frames_ipv6.h

Each array carries the scapy expression it came from; scapy computes
every length and checksum.  Hosts: A (the stack under test,
02:00:00:00:00:01, fe80::ff:fe00:1, 2001:db8::1/64), P (a peer, :02,
fe80::ff:fe00:2, 2001:db8::2), R (a router, :03, fe80::ff:fe00:3,
toward 2001:db8:1::/64).  A's fragment identifiers start at 0x2000 and
its hop limit is 64.
"""
import sys

from scapy.all import (Ether, IPv6, ICMPv6EchoRequest, ICMPv6EchoReply,
                       ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS, ICMPv6ND_RA,
                       ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr,
                       ICMPv6NDOptPrefixInfo, ICMPv6DestUnreach,
                       ICMPv6PacketTooBig, ICMPv6TimeExceeded,
                       ICMPv6ParamProblem, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrRouting,
                       IPv6ExtHdrFragment, HBHOptUnknown, PadN, UDP, Raw,
                       fragment6)

A_MAC, P_MAC, R_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"
A, P = "2001:db8::1", "2001:db8::2"
A_LL, P_LL, R_LL = "fe80::ff:fe00:1", "fe80::ff:fe00:2", "fe80::ff:fe00:3"
FAR, NOWHERE = "2001:db8:1::5", "2001:db8:2::5"
A_SNM, P_SNM = "ff02::1:ff00:1", "ff02::1:ff00:2"
SNM_MAC_A, SNM_MAC_P = "33:33:ff:00:00:01", "33:33:ff:00:00:02"
DATA = b"rumpnet echo6 data 0123456789abcdef"

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


def l3(frame):
    """The IPv6 packet inside an Ethernet frame (what an error quotes)."""
    return frame[14:]


E_PA = 'Ether(src=P_MAC, dst=A_MAC)'
E_AP = 'Ether(src=A_MAC, dst=P_MAC)'

# --- neighbour discovery ---------------------------------------------
gen("dad_ns_a", 'Ether(src=A_MAC, dst=SNM_MAC_A)/IPv6(src="::", dst=A_SNM, hlim=255)'
    '/ICMPv6ND_NS(tgt=A)')
gen("dad_ns_ll", 'Ether(src=A_MAC, dst=SNM_MAC_A)/IPv6(src="::", dst=A_SNM, hlim=255)'
    '/ICMPv6ND_NS(tgt=A_LL)')
gen("ns_p_for_a", 'Ether(src=P_MAC, dst=SNM_MAC_A)/IPv6(src=P, dst=A_SNM, hlim=255)'
    '/ICMPv6ND_NS(tgt=A)/ICMPv6NDOptSrcLLAddr(lladdr=P_MAC)')
gen("na_a_to_p", E_AP + '/IPv6(src=A, dst=P, hlim=255)'
    '/ICMPv6ND_NA(R=0, S=1, O=1, tgt=A)/ICMPv6NDOptDstLLAddr(lladdr=A_MAC)')
gen("ns_p_for_a_hlim64", 'Ether(src=P_MAC, dst=SNM_MAC_A)/IPv6(src=P, dst=A_SNM, hlim=64)'
    '/ICMPv6ND_NS(tgt=A)/ICMPv6NDOptSrcLLAddr(lladdr=P_MAC)')
gen("ns_dad_for_a", 'Ether(src=P_MAC, dst=SNM_MAC_A)/IPv6(src="::", dst=A_SNM, hlim=255)'
    '/ICMPv6ND_NS(tgt=A)')
gen("na_a_dad_reply", 'Ether(src=A_MAC, dst="33:33:00:00:00:01")'
    '/IPv6(src=A, dst="ff02::1", hlim=255)'
    '/ICMPv6ND_NA(R=0, S=0, O=1, tgt=A)/ICMPv6NDOptDstLLAddr(lladdr=A_MAC)')
gen("ns_a_for_p", 'Ether(src=A_MAC, dst=SNM_MAC_P)/IPv6(src=A, dst=P_SNM, hlim=255)'
    '/ICMPv6ND_NS(tgt=P)/ICMPv6NDOptSrcLLAddr(lladdr=A_MAC)')
gen("ns_a_for_p_unicast", E_AP + '/IPv6(src=A, dst=P, hlim=255)'
    '/ICMPv6ND_NS(tgt=P)/ICMPv6NDOptSrcLLAddr(lladdr=A_MAC)')
gen("na_p_to_a", E_PA + '/IPv6(src=P, dst=A, hlim=255)'
    '/ICMPv6ND_NA(R=0, S=1, O=1, tgt=P)/ICMPv6NDOptDstLLAddr(lladdr=P_MAC)')
gen("na_p_unsolicited_for_a", 'Ether(src=P_MAC, dst="33:33:00:00:00:01")'
    '/IPv6(src=P, dst="ff02::1", hlim=255)'
    '/ICMPv6ND_NA(R=0, S=0, O=1, tgt=A)/ICMPv6NDOptDstLLAddr(lladdr=P_MAC)')
gen("rs_a", 'Ether(src=A_MAC, dst="33:33:00:00:00:02")'
    '/IPv6(src=A_LL, dst="ff02::2", hlim=255)/ICMPv6ND_RS()'
    '/ICMPv6NDOptSrcLLAddr(lladdr=A_MAC)')
gen("rs_p", 'Ether(src=P_MAC, dst="33:33:00:00:00:02")'
    '/IPv6(src=P_LL, dst="ff02::2", hlim=255)/ICMPv6ND_RS()'
    '/ICMPv6NDOptSrcLLAddr(lladdr=P_MAC)')
gen("ra_a", 'Ether(src=A_MAC, dst="33:33:00:00:00:01")'
    '/IPv6(src=A_LL, dst="ff02::1", hlim=255)'
    '/ICMPv6ND_RA(chlim=64, M=0, O=0, prf=0, routerlifetime=1800, reachabletime=0, retranstimer=0)'
    '/ICMPv6NDOptSrcLLAddr(lladdr=A_MAC)'
    '/ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=2592000,'
    ' preferredlifetime=604800, prefix="2001:db8::")')
gen("ra_r", 'Ether(src=R_MAC, dst="33:33:00:00:00:01")'
    '/IPv6(src=R_LL, dst="ff02::1", hlim=255)'
    '/ICMPv6ND_RA(chlim=64, routerlifetime=1800)'
    '/ICMPv6NDOptSrcLLAddr(lladdr=R_MAC)'
    '/ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400,'
    ' preferredlifetime=3600, prefix="2001:db8:5::")')

# --- echo ---------------------------------------------------------------
gen("echo_req", E_PA + '/IPv6(src=P, dst=A)/ICMPv6EchoRequest(id=0x1234, seq=1, data=DATA)')
gen("echo_rep", E_AP + '/IPv6(src=A, dst=P, hlim=64)/ICMPv6EchoReply(id=0x1234, seq=1, data=DATA)')
gen("echo_req_ll", E_PA + '/IPv6(src=P_LL, dst=A_LL)/ICMPv6EchoRequest(id=0x1234, seq=2, data=DATA)')
gen("echo_rep_ll", E_AP + '/IPv6(src=A_LL, dst=P_LL, hlim=64)/ICMPv6EchoReply(id=0x1234, seq=2, data=DATA)')
bad = bytearray(gen("echo_req_badsum_src", E_PA + '/IPv6(src=P, dst=A)/ICMPv6EchoRequest(id=1, seq=1)'))
bad[14 + 40 + 2] ^= 0xff
emit("echo_req_badsum", "echo_req_badsum_src with the ICMPv6 checksum inverted", bytes(bad))
gen("echo_req_hbh_skip", E_PA + '/IPv6(src=P, dst=A)'
    '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x3e, optdata=b"\\0\\0\\0\\0")])'
    '/ICMPv6EchoRequest(id=0x1234, seq=1, data=DATA)')
gen("echo_req_rh_segleft0", E_PA + '/IPv6(src=P, dst=A)'
    '/IPv6ExtHdrRouting(type=0, segleft=0, addresses=[FAR])'
    '/ICMPv6EchoRequest(id=0x1234, seq=1, data=DATA)')
gen("echo_req_atomic", E_PA + '/IPv6(src=P, dst=A)'
    '/IPv6ExtHdrFragment(offset=0, m=0, id=0x77)'
    '/ICMPv6EchoRequest(id=0x1234, seq=1, data=DATA)')

# --- input validation ------------------------------------------------------
bv = bytearray(bytes(eval(E_PA + '/IPv6(src=P, dst=A)/ICMPv6EchoRequest(id=1, seq=1)')))
bv[14] = 0x40 | (bv[14] & 0x0f)
emit("ip6_badvers", "echo request with version 4 in the IPv6 header", bytes(bv))
pl = bytearray(bytes(eval(E_PA + '/IPv6(src=P, dst=A)/ICMPv6EchoRequest(id=1, seq=1)')))
pl[18:20] = (200).to_bytes(2, "big")
emit("ip6_plen_long", "echo request with payload length 200 (frame has 8)", bytes(pl))
gen("ip6_short", 'Ether(src=P_MAC, dst=A_MAC, type=0x86dd)/Raw(b"\\x60" + b"\\0" * 30)')
gen("ip6_src_mcast", E_PA + '/IPv6(src="ff02::1", dst=A)/ICMPv6EchoRequest()')
gen("ip6_dst_loopback", E_PA + '/IPv6(src=P, dst="::1")/ICMPv6EchoRequest()')
gen("ip6_nonext", E_PA + '/IPv6(src=P, dst=A, nh=59)/Raw(b"\\0" * 8)')
hbh80 = gen("hbh_opt_icmp", E_PA + '/IPv6(src=P, dst=A)'
            '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x80, optdata=b"\\0\\0\\0\\0")])'
            '/ICMPv6EchoRequest(id=1, seq=1)')
gen("hbh_opt_icmp_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=2, ptr=42)/Raw(q)',
    q=l3(hbh80))
gen("hbh_opt_discard", E_PA + '/IPv6(src=P, dst=A)'
    '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x40, optdata=b"\\0\\0\\0\\0")])'
    '/ICMPv6EchoRequest(id=1, seq=1)')
gen("hbh_opt_icmp_mcast", 'Ether(src=P_MAC, dst="33:33:00:00:00:01")/IPv6(src=P, dst="ff02::1")'
    '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0xc0, optdata=b"\\0\\0\\0\\0")])'
    '/ICMPv6EchoRequest(id=1, seq=1)')
mc80 = gen("hbh_opt_forceicmp_mcast", 'Ether(src=P_MAC, dst="33:33:00:00:00:01")/IPv6(src=P, dst="ff02::1")'
            '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x80, optdata=b"\\0\\0\\0\\0")])'
            '/ICMPv6EchoRequest(id=1, seq=1)')
gen("hbh_opt_forceicmp_mcast_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=2, ptr=42)/Raw(q)',
    q=l3(mc80))
hbhbad = gen("hbh_opt_overrun", E_PA + '/IPv6(src=P, dst=A)'
             '/IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x1e, optlen=9, optdata=b"\\0\\0\\0\\0")])'
             '/ICMPv6EchoRequest(id=1, seq=1)')
gen("hbh_opt_overrun_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=0, ptr=43)/Raw(q)',
    q=l3(hbhbad))
notfirst = gen("hbh_not_first", E_PA + '/IPv6(src=P, dst=A)/IPv6ExtHdrDestOpt()'
               '/IPv6ExtHdrHopByHop()/ICMPv6EchoRequest(id=1, seq=1)')
gen("hbh_not_first_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=1, ptr=40)/Raw(q)',
    q=l3(notfirst))
rh0 = gen("rthdr0", E_PA + '/IPv6(src=P, dst=A)/IPv6ExtHdrRouting(type=0, segleft=1, addresses=[FAR])'
          '/ICMPv6EchoRequest(id=1, seq=1)')
gen("rthdr0_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=0, ptr=42)/Raw(q)',
    q=l3(rh0))
gen("toomany", E_PA + '/IPv6(src=P, dst=A)' + '/IPv6ExtHdrDestOpt()' * 11 +
    '/ICMPv6EchoRequest(id=1, seq=1)')
nop = gen("noproto", E_PA + '/IPv6(src=P, dst=A, nh=253)/Raw(b"abcdefgh")')
gen("noproto_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=1, ptr=6)/Raw(q)',
    q=l3(nop))
gen("noproto_mcast", 'Ether(src=P_MAC, dst="33:33:00:00:00:01")/IPv6(src=P, dst="ff02::1", nh=253)'
    '/Raw(b"abcdefgh")')
err_in = gen("unreach_in", E_PA + '/IPv6(src=P, dst=A)/ICMPv6DestUnreach(code=3)/Raw(q)',
             q=l3(bytes(eval(E_AP + '/IPv6(src=A, dst=P)/UDP(sport=1, dport=2)'))))

# --- UDP ---------------------------------------------------------------
udpc = gen("udp_closed", E_PA + '/IPv6(src=P, dst=A)/UDP(sport=5000, dport=9)/Raw(b"hello6")')
gen("udp_closed_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6DestUnreach(code=4)/Raw(q)',
    q=l3(udpc))
u0 = bytearray(udpc)
u0[14 + 40 + 6:14 + 40 + 8] = b"\0\0"
emit("udp_nosum", "udp_closed with a zero UDP checksum", bytes(u0))
u1 = bytearray(udpc)
u1[14 + 40 + 6] ^= 0x55
emit("udp_badsum", "udp_closed with a wrong UDP checksum", bytes(u1))
gen("udp_to_7777", E_PA + '/IPv6(src=P, dst=A)/UDP(sport=5000, dport=7777)/Raw(b"hello6")')
gen("udp_from_7777", E_AP + '/IPv6(src=A, dst=P, hlim=64)/UDP(sport=7777, dport=5000)/Raw(b"reply6")')
gen("udp_mcast_closed", 'Ether(src=P_MAC, dst="33:33:00:00:00:01")/IPv6(src=P, dst="ff02::1")'
    '/UDP(sport=5000, dport=9)/Raw(b"hello6")')

# --- fragments -----------------------------------------------------------
big = Ether(src=P_MAC, dst=A_MAC)/IPv6(src=P, dst=A)/IPv6ExtHdrFragment(id=0x1111)/ \
    ICMPv6EchoRequest(id=0x4321, seq=7, data=bytes(range(256)) * 7)
frags = fragment6(big[IPv6], 1280)
for i, f in enumerate(frags):
    emit("frag_in_%d" % i, "fragment6(IPv6(src=P, dst=A)/IPv6ExtHdrFragment(id=0x1111)/"
         "ICMPv6EchoRequest(id=0x4321, seq=7, data=bytes(range(256)) * 7), 1280)[%d]" % i,
         bytes(Ether(src=P_MAC, dst=A_MAC)/f))
out.append("#define FRAG_IN_COUNT %d" % len(frags))
out.append("")
rep = IPv6(src=A, dst=P, hlim=64)/IPv6ExtHdrFragment(id=0x2000)/ \
    ICMPv6EchoReply(id=0x4321, seq=7, data=bytes(range(256)) * 7)
rfr = fragment6(rep, 1500)
for i, f in enumerate(rfr):
    emit("frag_out_%d" % i, "fragment6(IPv6(src=A, dst=P, hlim=64)/IPv6ExtHdrFragment(id=0x2000)/"
         "ICMPv6EchoReply(id=0x4321, seq=7, data=bytes(range(256)) * 7), 1500)[%d]" % i,
         bytes(Ether(src=A_MAC, dst=P_MAC)/f))
out.append("#define FRAG_OUT_COUNT %d" % len(rfr))
out.append("")
# An overlapping fragment: the second one starts 8 bytes early.
f1 = frags[1].copy()
f1[IPv6ExtHdrFragment].offset -= 1
emit("frag_overlap", "frag_in_1 with its offset 8 bytes earlier",
     bytes(Ether(src=P_MAC, dst=A_MAC)/IPv6(bytes(f1))))
gen("frag_timeout_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6TimeExceeded(code=1)/Raw(q)',
    q=bytes(frags[0])[:1280 - 48])
oddf = gen("frag_odd", E_PA + '/IPv6(src=P, dst=A)/IPv6ExtHdrFragment(id=5, m=1, offset=0)'
           '/Raw(b"0123456789")')
gen("frag_odd_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6ParamProblem(code=0, ptr=4)/Raw(q)',
    q=l3(oddf))

# --- forwarding ---------------------------------------------------------
gen("fwd_in", E_PA + '/IPv6(src=P, dst=FAR, hlim=64)/UDP(sport=1000, dport=2000)/Raw(b"through")')
gen("fwd_out", 'Ether(src=A_MAC, dst=R_MAC)/IPv6(src=P, dst=FAR, hlim=63)'
    '/UDP(sport=1000, dport=2000)/Raw(b"through")')
h1 = gen("fwd_hlim1", E_PA + '/IPv6(src=P, dst=FAR, hlim=1)/UDP(sport=1000, dport=2000)/Raw(b"through")')
gen("fwd_hlim1_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6TimeExceeded(code=0)/Raw(q)', q=l3(h1))
nr = gen("fwd_noroute", E_PA + '/IPv6(src=P, dst=NOWHERE)/UDP(sport=1000, dport=2000)/Raw(b"through")')
gen("fwd_noroute_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6DestUnreach(code=0)/Raw(q)', q=l3(nr))
tb = gen("fwd_big", E_PA + '/IPv6(src=P, dst=FAR)/UDP(sport=1000, dport=2000)/Raw(b"B" * 1300)')
gen("fwd_big_err", E_AP + '/IPv6(src=A, dst=P)/ICMPv6PacketTooBig(mtu=1280)/Raw(q)',
    q=l3(tb)[:1280 - 48])
gen("ptb_for_far", E_PA + '/IPv6(src=P, dst=A)/ICMPv6PacketTooBig(mtu=1300)/Raw(q)',
    q=bytes(IPv6(src=A, dst=FAR)/UDP(sport=1, dport=2)/Raw(b"x" * 1400)))
gen("ptb_tiny", E_PA + '/IPv6(src=P, dst=A)/ICMPv6PacketTooBig(mtu=600)/Raw(q)',
    q=bytes(IPv6(src=A, dst=NOWHERE)/UDP(sport=1, dport=2)/Raw(b"x" * 1400)))

sys.stdout.write("/*\n * frames_ipv6.h -- generated by frames_ipv6.py (scapy); do not edit.\n */\n")
sys.stdout.write("#ifndef _TESTS_UNIT_FRAMES_IPV6_H_\n#define _TESTS_UNIT_FRAMES_IPV6_H_\n\n#include <stdint.h>\n\n")
sys.stdout.write("\n".join(out))
sys.stdout.write("\n#endif /* _TESTS_UNIT_FRAMES_IPV6_H_ */\n")
