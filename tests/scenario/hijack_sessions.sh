#!/bin/sh
# hijack_sessions.sh -- the protocol under librumphijack, spoken by hand
# (Python) to one rump_server: several connections serving one kernel
# process (SESSION), calls of one interrupted from another
# (INTERRUPT), forked processes (FORK, RELEASE), and processes living
# exactly as long as a connection (or, for an unattached child, its
# parent) keeps them.  See tools/librumpclient/sp_proto.h.
set -u
. "$top_srcdir/tests/scenario/common.sh"
. "$top_srcdir/tests/scenario/server_lib.sh"
require python3
server_setup
server_start unix://node1

cat > sessions.py <<'PYEOF'
import socket, struct, sys, time

MAGIC, VERSION, HDR = 0x50534e52, 1, 24
HELLO, CLOSE, RECVFROM, SOCKET, POLL, FCNTL = 1, 9, 11, 3, 15, 21
SESSION, FORK, RELEASE, INTERRUPT = 27, 28, 29, 30
ENOENT, ESRCH, EINTR, EBADF, EISCONN = 2, 3, 4, 9, 106
path = sys.argv[1]

def i32(v): return struct.pack("<i", v)
def u32(v): return struct.pack("<I", v & 0xffffffff)
def i64(v): return struct.pack("<q", v)
def blob(b): return u32(len(b)) + b

class Conn:
    def __init__(self, cookie=None):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.reqid = 0
        err, body = self.call(HELLO, u32(VERSION) + blob(b"sessions\0"))
        assert err == 0, err
        if cookie is not None:
            self.err, body = self.call(SESSION, i64(cookie))
            if self.err == 0:
                self.cookie, self.id = struct.unpack("<qI", body)
    def send(self, op, payload=b""):
        self.reqid += 1
        self.s.sendall(struct.pack("<IHHIIiI", MAGIC, VERSION, op,
                                   len(payload), self.reqid, 0, 0) + payload)
        return self.reqid
    def readn(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            assert c, "connection closed"
            b += c
        return b
    def reply(self):
        magic, ver, op, n, reqid, err, flags = struct.unpack(
            "<IHHIIiI", self.readn(HDR))
        assert reqid == self.reqid, (reqid, self.reqid)
        return err, self.readn(n)
    def call(self, op, payload=b""):
        self.send(op, payload)
        return self.reply()
    def close(self):
        self.s.close()

def check(what, got, want):
    if got != want:
        print("FAIL: %s: %r, want %r" % (what, got, want))
        sys.exit(1)

def fcntl_getfl(c, fd):
    return c.call(FCNTL, i32(fd) + i32(3) + i64(0))[0]

# One process, two connections.
a = Conn(0)
check("new session", a.err, 0)
check("second SESSION", a.call(SESSION, i64(0))[0], EISCONN)
b = Conn(a.cookie)
check("attach", (b.err, b.cookie), (0, a.cookie))
assert b.id != a.id
err, body = a.call(SOCKET, i32(2) + i32(2) + i32(0))
check("socket", err, 0)
fd = struct.unpack("<q", body)[0]
check("shared table", fcntl_getfl(b, fd), 0)

# A blocked call of a, interrupted from b; b meanwhile works.
t0 = time.time()
r = a.send(RECVFROM, i32(fd) + u32(100) + i32(0) + u32(0))
time.sleep(0.2)
check("b while a blocks", fcntl_getfl(b, fd), 0)
check("interrupt", b.call(INTERRUPT, u32(a.id) + u32(r))[0], 0)
check("interrupted recv", a.reply()[0], EINTR)
assert time.time() - t0 < 5

# An interrupt that comes first fails the call when it starts; one for
# a finished call changes nothing.
check("early", b.call(INTERRUPT, u32(a.id) + u32(a.reqid + 1))[0], 0)
check("pre-interrupted", a.call(RECVFROM, i32(fd) + u32(100) + i32(0) +
                                u32(0))[0], EINTR)
check("late", b.call(INTERRUPT, u32(a.id) + u32(a.reqid))[0], 0)
t0 = time.time()
check("poll after a late interrupt", a.call(POLL, blob(i32(fd) +
      struct.pack("<hh", 1, 0)) + i32(300))[0], 0)
assert time.time() - t0 >= 0.25, "the late interrupt hit the next call"

# Another process can neither interrupt nor guess its way in.
d = Conn(0)
check("foreign interrupt", d.call(INTERRUPT, u32(a.id) + u32(1))[0], ESRCH)
check("unknown cookie", Conn(0x1234567).err, ENOENT)

# fork: the child shares the socket; closing its copy keeps ours.
err, body = a.call(FORK)
check("fork", err, 0)
f = Conn(struct.unpack("<q", body)[0])
check("attach child", f.err, 0)
assert f.cookie != a.cookie
check("child has the socket", fcntl_getfl(f, fd), 0)
check("child closes", f.call(CLOSE, i32(fd))[0], 0)
check("parent keeps", fcntl_getfl(a, fd), 0)
check("not shared back", fcntl_getfl(f, fd), EBADF)

# A child dropped by its parent, or left unattached, is gone.
err, body = a.call(FORK)
g = struct.unpack("<q", body)[0]
check("release", a.call(RELEASE, i64(g))[0], 0)
check("released child", Conn(g).err, ENOENT)
check("release unknown", b.call(RELEASE, i64(g))[0], ENOENT)

# The process lives while a connection serves it.
a.close()
time.sleep(0.2)
check("after a left", fcntl_getfl(b, fd), 0)
err, body = b.call(FORK)
h = struct.unpack("<q", body)[0]
b.close()
for i in range(50):
    time.sleep(0.1)
    if Conn(a.cookie).err == ENOENT:
        break
check("process gone", Conn(a.cookie).err, ENOENT)
check("its pending child gone", Conn(h).err, ENOENT)
print("OK")
PYEOF

python3 sessions.py "$WORKDIR/node1" > py.out 2>&1 ||
    fail "$(cat py.out)"
grep -qx OK py.out || fail "$(cat py.out)"
exit 0
