#!/bin/sh
# server_hostile.sh -- malformed and hostile clients (a Python script
# speaking the wire protocol of tools/librumpclient/sp_proto.h by hand)
# while a well-behaved client keeps working: every bad request gets an
# error reply or a closed connection, the server never crashes or
# hangs, and answers normally afterwards.
set -u
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
require python3
server_setup
server_start unix://node1
export RUMP_SERVER=unix://node1

# The good client: UDP round trips on lo0 for as long as the attack runs.
(
	while [ ! -e attack.done ]; do
		"$SP_CLIENT" loop 200 > good.out 2>&1 || { echo FAILED; exit 1; }
	done
	echo GOOD
) > good.log 2>&1 &
gpid=$!

cat > hostile.py <<'PYEOF'
import os, random, socket, struct, sys, time

MAGIC, VERSION, HDR = 0x50534e52, 1, 24
OP = dict(HELLO=1, SOCKET=3, BIND=4, CLOSE=9, SENDTO=10, RECVFROM=11,
          POLL=15, GETSOCKOPT=16, IOCTL=20, SYSCTLBYNAME=25)
ENOSYS, EBADMSG, EMSGSIZE, EPROTONOSUPPORT, EPROTO = 38, 74, 90, 93, 71
EINVAL, EAGAIN, ENOTTY, EBADF = 22, 11, 25, 9
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
path = sys.argv[1]

def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    return s

def frame(op, payload=b"", reqid=7, version=VERSION, magic=MAGIC,
          length=None, flags=0, error=0):
    n = len(payload) if length is None else length
    return struct.pack("<IHHIIiI", magic, version, op, n, reqid, error,
                       flags) + payload

def i32(v): return struct.pack("<i", v)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def i64(v): return struct.pack("<q", v)
def blob(b): return u32(len(b)) + b

def readn(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            return None
        b += c
    return b

def reply(s):
    h = readn(s, HDR)
    if h is None:
        return None
    magic, ver, op, n, reqid, err, flags = struct.unpack("<IHHIIiI", h)
    assert magic == MAGIC and flags == 1, "bad reply header"
    body = readn(s, n)
    assert body is not None, "truncated reply"
    return op, reqid, err, body

def closed(s):
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True

def hello(s):
    s.sendall(frame(OP["HELLO"], u32(VERSION) + blob(b"hostile\0")))
    r = reply(s)
    assert r and r[2] == 0, "hello failed: %r" % (r,)

def expect(s, err, what):
    r = reply(s)
    assert r is not None, "%s: connection closed, want errno %d" % (what, err)
    assert r[2] == err, "%s: errno %d, want %d" % (what, r[2], err)
    return r

checks = 0
def check(name, fn):
    global checks
    fn()
    checks += 1

def bad_magic():
    s = conn(); s.sendall(os.urandom(24) + b"garbage")
    r = reply_or_close(s); assert closed(s)
def reply_or_close(s):
    try:
        return reply(s)
    except AssertionError:
        return None
def huge_length():
    s = conn(); s.sendall(frame(OP["HELLO"], length=0xffffffff))
    expect(s, EMSGSIZE, "huge length"); assert closed(s)
def bad_version():
    s = conn(); s.sendall(frame(OP["HELLO"], u32(VERSION) + blob(b"x\0"),
                                version=99))
    expect(s, EPROTONOSUPPORT, "version"); assert closed(s)
def truncated():
    s = conn(); s.sendall(frame(OP["HELLO"], b"\0" * 10, length=100))
    s.close()
def truncated_header():
    s = conn(); s.sendall(frame(OP["HELLO"])[:10]); s.close()
def before_hello():
    s = conn(); s.sendall(frame(OP["SOCKET"], i32(2) + i32(2) + i32(0)))
    expect(s, EPROTO, "before hello"); assert closed(s)
def bad_requests():
    s = conn(); hello(s)
    s.sendall(frame(999)); expect(s, ENOSYS, "unknown op")
    s.sendall(frame(0)); expect(s, ENOSYS, "op 0")
    s.sendall(frame(OP["SOCKET"], b"\1\2")); expect(s, EBADMSG, "short")
    s.sendall(frame(OP["SOCKET"], i32(2) * 4)); expect(s, EBADMSG, "long")
    s.sendall(frame(OP["BIND"], i32(0) + u32(1000) + b"x" * 10))
    expect(s, EBADMSG, "blob length past the end")
    s.sendall(frame(OP["BIND"], i32(0) + blob(b"x" * 200)))
    expect(s, EBADMSG, "address over 128 bytes")
    s.sendall(frame(OP["SYSCTLBYNAME"], blob(b"net.inet.ip.ttl") + u32(4) +
                    u32(3) + blob(b""))); expect(s, EBADMSG, "unterminated")
    s.sendall(frame(OP["POLL"], blob(b"x" * 12) + i32(0)))
    expect(s, EBADMSG, "pollfd blob not a multiple of 8")
    s.sendall(frame(OP["SOCKET"], i32(2) * 3, flags=1))
    expect(s, EBADMSG, "reply flag in a request")
    # Still usable: a non-blocking UDP socket (SOCK_NONBLOCK 0x800).
    s.sendall(frame(OP["SOCKET"], i32(2) + i32(2 | 0x800) + i32(0)))
    r = expect(s, 0, "socket"); fd = struct.unpack("<q", r[3])[0]
    # A receive asking for 4 GiB: clamped, and nothing there.
    s.sendall(frame(OP["RECVFROM"], i32(fd) + u32(0xffffffff) + i32(0) +
                    u32(1))); expect(s, EAGAIN, "recv 4 GiB")
    s.sendall(frame(OP["GETSOCKOPT"], i32(fd) + i32(1) + i32(3) +
                    u32(0xffffffff))); expect(s, 0, "getsockopt huge len")
    s.sendall(frame(OP["IOCTL"], i32(fd) + i64(0x5421) + blob(b"\1")))
    expect(s, EINVAL, "FIONBIO with 1 byte")
    s.sendall(frame(OP["IOCTL"], i32(fd) + i64(0x1234) + blob(b"")))
    expect(s, ENOTTY, "unknown ioctl")
    # RUMP_SIOCGIFINFO (_IOWR 'R' 4, 200 bytes) with a wrong size.
    s.sendall(frame(OP["IOCTL"], i32(fd) + i64(0xc0c85204) + blob(b"\0" * 8)))
    expect(s, EINVAL, "ioctl argument of the wrong size")
    s.sendall(frame(OP["POLL"], blob(struct.pack("<ihh", 12345, 1, 0) * 1024)
                    + i32(0))); expect(s, 0, "poll 1024 bad fds")
    s.sendall(frame(OP["CLOSE"], i32(-5))); expect(s, EBADF, "close -5")
    s.sendall(frame(OP["SENDTO"], i32(fd) + blob(b"") + i32(0) +
                    blob(b"\0" * 128))); r = reply(s); assert r[2] != 0
    s.close()
def pipelined():
    # Requests sent without waiting: answered in order, or the
    # connection closed; never a crash.
    s = conn(); hello(s)
    s.sendall(b"".join(frame(OP["CLOSE"], i32(-1), reqid=i)
                       for i in range(100)))
    for i in range(100):
        r = reply(s); assert r is not None and r[1] == i
    s.close()
def abandon_midcall():
    # A blocking receive, then the client vanishes.
    s = conn(); hello(s)
    s.sendall(frame(OP["SOCKET"], i32(2) + i32(2) + i32(0)))
    fd = struct.unpack("<q", reply(s)[3])[0]
    s.sendall(frame(OP["RECVFROM"], i32(fd) + u32(100) + i32(0) + u32(0)))
    time.sleep(0.05); s.close()
def many_connections():
    socks = [conn() for _ in range(64)]
    for i, s in enumerate(socks):
        if i % 2:
            hello(s)
    for s in socks:
        s.close()
def slow_header():
    s = conn(); s.sendall(frame(OP["HELLO"])[:5]); time.sleep(0.5); s.close()
def random_frames():
    for _ in range(300):
        s = conn()
        if rng.random() < 0.7:
            hello(s)
        for _ in range(rng.randint(1, 5)):
            op = rng.choice(list(OP.values()) + [rng.randint(0, 70000) & 0xffff])
            if op == 2:
                op = 999        # HALT would end the test early
            body = os.urandom(rng.randint(0, 64))
            length = None if rng.random() < 0.9 else rng.randint(0, 2**32 - 1)
            try:
                s.sendall(frame(op, body, length=length, reqid=rng.randint(0, 9)))
                if length is not None:
                    break
                if op == OP["RECVFROM"] or op == OP["POLL"]:
                    break       # may legitimately block
                if reply_or_close(s) is None:
                    break
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
        s.close()

for name in ["bad_magic", "huge_length", "bad_version", "truncated",
             "truncated_header", "before_hello", "bad_requests", "pipelined",
             "abandon_midcall", "many_connections", "slow_header",
             "random_frames"]:
    check(name, globals()[name])
print("hostile ok: %d checks" % checks)
PYEOF

python3 hostile.py node1 "$$" > hostile.out 2>&1
st=$?
touch attack.done
wait $gpid
debug "$(cat hostile.out)"
[ $st -eq 0 ] || fail "hostile client: $(cat hostile.out)"
grep -q '^GOOD$' good.log || fail "good client failed: $(cat good.log good.out)"

# The server still answers, and took its time for nothing.
"$SP_CLIENT" udp 5000 > udp.out 2>&1 || fail "after the attack: $(cat udp.out)"
"$SP_CLIENT" errors > err.out 2>&1 || fail "after the attack: $(cat err.out)"
exit 0
