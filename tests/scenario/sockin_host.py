#!/usr/bin/env python3
# sockin_host.py -- host-side peers for the sockin scenario tests.  They
# use the host's own sockets on loopback; the kernel under test reaches
# them (or is reached by them) through sockin.
#
#   tcp-server ADDR PORTFILE IN OUT  listen on ADDR (any port), write the
#                                    port to PORTFILE, accept one
#                                    connection, receive until end of
#                                    stream into OUT, send IN, close
#   tcp-client ADDR PORT IN OUT      connect, send IN, shut the write
#                                    side, receive until end of stream
#                                    into OUT
#   tcp-eof ADDR PORTFILE OUT        accept one connection, wait for
#                                    its end (EOF or reset), write "eof"
#                                    to OUT
#   udp-echo ADDR PORTFILE COUNT     answer COUNT datagrams with
#                                    "echo:" + the datagram
# Every wait is bounded (20 s) so that a broken kernel fails the test
# instead of hanging it.
import os
import socket
import sys

TIMEOUT = 20


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def bound(addr, kind, portfile):
    s = socket.socket(family(addr), kind)
    s.settimeout(TIMEOUT)
    s.bind((addr, 0))
    if kind == socket.SOCK_STREAM:
        s.listen(1)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, portfile)
    return s


def recv_all(c, path):
    with open(path, "wb") as f:
        while True:
            b = c.recv(65536)
            if not b:
                return
            f.write(b)


def send_file(c, path):
    with open(path, "rb") as f:
        c.sendall(f.read())


def tcp_server(addr, portfile, inp, out):
    s = bound(addr, socket.SOCK_STREAM, portfile)
    c, _ = s.accept()
    c.settimeout(TIMEOUT)
    recv_all(c, out)
    send_file(c, inp)
    c.close()


def tcp_client(addr, port, inp, out):
    c = socket.create_connection((addr, int(port)), timeout=TIMEOUT)
    send_file(c, inp)
    c.shutdown(socket.SHUT_WR)
    recv_all(c, out)
    c.close()


def tcp_eof(addr, portfile, out):
    s = bound(addr, socket.SOCK_STREAM, portfile)
    c, _ = s.accept()
    c.settimeout(TIMEOUT)
    try:
        while c.recv(4096):
            pass
    except ConnectionResetError:
        pass
    with open(out, "w") as f:
        f.write("eof\n")


def udp_echo(addr, portfile, count):
    s = bound(addr, socket.SOCK_DGRAM, portfile)
    for _ in range(int(count)):
        data, peer = s.recvfrom(65536)
        s.sendto(b"echo:" + data, peer)


COMMANDS = {
    "tcp-server": tcp_server,
    "tcp-client": tcp_client,
    "tcp-eof": tcp_eof,
    "udp-echo": udp_echo,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit("usage: sockin_host.py %s ..." % "|".join(COMMANDS))
    COMMANDS[sys.argv[1]](*sys.argv[2:])
