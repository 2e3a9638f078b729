/*
 * sp_proto.h -- the remote system call protocol ("sp") spoken between
 * librumpclient and rump_server.  Both sides include this header; the
 * codec in sp_proto.c is pure C over buffers (no host calls), so the
 * unit tests and the fuzz target exercise exactly what the server runs.
 *
 * Transport: one stream socket per client (unix:// or loopback tcp://,
 * see sp_url.h).  Every message is a frame: a 24-byte header, then
 * h_len bytes of payload.  All integers are little endian.
 *
 *	offset	size	field
 *	0	4	h_magic		SP_MAGIC ("RNSP" on the wire)
 *	4	2	h_version	SP_VERSION
 *	6	2	h_op		SP_OP_*
 *	8	4	h_len		payload bytes (<= SP_MAXPAYLOAD)
 *	12	4	h_reqid		chosen by the client, echoed in the reply
 *	16	4	h_error		reply: 0 or an errno value (Linux); request: 0
 *	20	4	h_flags		SP_F_REPLY in replies; no other bit is defined
 *
 * The client sends one request and waits for its reply: one request is
 * in flight per connection.  The first request must be SP_OP_HELLO.
 *
 * Processes and connections.  A connection serves one kernel process
 * (a descriptor table).  Right after HELLO a client may send
 * SP_OP_SESSION: with cookie 0 it gets a new process and learns the
 * process's cookie and the connection's id; with the cookie of an
 * existing process the connection attaches to it, so that a
 * multi-threaded client runs one connection per thread, all in one
 * process, and calls of different threads run concurrently.  Without
 * SESSION the first call creates a process of the connection's own.
 * SP_OP_FORK makes a child process sharing the caller's open sockets
 * (fork(2)) and returns its cookie; the child program attaches to it
 * with SESSION, and the parent drops an unused one with SP_OP_RELEASE
 * (a child never attached goes away with its parent).
 * SP_OP_INTERRUPT, sent on one connection of a process, makes the call
 * with the given request id on another connection of the same process
 * return EINTR as soon as it blocks (or at once, if it is blocked; a
 * call that already finished is not affected).  A process lives as
 * long as a connection serves it.
 *
 * The payload is the operation's arguments, in the order its signature
 * (sp_optab, below) lists them.  Each signature letter is one field:
 *
 *	i	int32			u	uint32
 *	l	int64
 *	a	blob: socket address	(<= SP_MAXADDR bytes)
 *	o	blob: socket option	(<= SP_MAXOPT bytes)
 *	d	blob: data		(<= SP_MAXDATA bytes)
 *	p	blob: pollfd array	(<= SP_MAXPOLLFD entries of 8 bytes:
 *				 int32 fd, int16 events, int16 revents)
 *	s	blob: string		(0 bytes = NULL pointer; otherwise
 *				 <= SP_MAXSTR bytes, the last one NUL)
 *
 * A blob is a uint32 length followed by that many bytes, unpadded.  A
 * payload must hold exactly its fields: short, long, or over-limit
 * payloads are malformed.  Structures inside blobs (sockaddr, pollfd
 * fields, ioctl arguments, socket options) are the host's (Linux)
 * layouts, as in the local API: client and server share one machine.
 *
 * A reply with h_error != 0 has an empty payload.  Otherwise its
 * payload follows the reply signature.  Malformed requests:
 *   - bad magic, a payload longer than SP_MAXPAYLOAD, a version other
 *     than SP_VERSION, or anything but HELLO first: the server answers
 *     (EBADMSG, EMSGSIZE, EPROTONOSUPPORT, EPROTO) and closes the
 *     connection, since it cannot trust the framing any more;
 *   - a well-framed request with an unknown operation (ENOSYS) or with
 *     fields that do not match the signature (EBADMSG): an error reply,
 *     and the connection stays open.
 */
#ifndef _TOOLS_LIBRUMPCLIENT_SP_PROTO_H_
#define _TOOLS_LIBRUMPCLIENT_SP_PROTO_H_

#include <stddef.h>
#include <stdint.h>

#define SP_MAGIC	0x50534e52u	/* bytes 'R' 'N' 'S' 'P' */
#define SP_VERSION	1
#define SP_HDRSIZE	24

#define SP_MAXDATA	(1024 * 1024)	/* bytes per read/write/send/recv */
#define SP_MAXPAYLOAD	(SP_MAXDATA + 4096)
#define SP_MAXADDR	128		/* sizeof(struct sockaddr_storage) */
#define SP_MAXOPT	4096
#define SP_MAXSTR	4096
#define SP_MAXPOLLFD	1024
#define SP_POLLFDSIZE	8
#define SP_MAXARGS	8		/* fields per signature */

#define SP_F_REPLY	0x1

/* Operations.  Values are part of the protocol: append only. */
enum sp_op {
	SP_OP_HELLO = 1,	/* "us": version, program name / "us" */
	SP_OP_HALT,		/* "" / "": reply after the kernel halted */
	SP_OP_SOCKET,
	SP_OP_BIND,
	SP_OP_LISTEN,
	SP_OP_ACCEPT4,
	SP_OP_CONNECT,
	SP_OP_SHUTDOWN,
	SP_OP_CLOSE,
	SP_OP_SENDTO,		/* also send, sendmsg (data gathered) */
	SP_OP_RECVFROM,		/* also recv */
	SP_OP_RECVMSG,		/* data scattered by the client */
	SP_OP_READ,		/* also readv */
	SP_OP_WRITE,		/* also writev */
	SP_OP_POLL,
	SP_OP_GETSOCKOPT,
	SP_OP_SETSOCKOPT,
	SP_OP_GETSOCKNAME,
	SP_OP_GETPEERNAME,
	SP_OP_IOCTL,
	SP_OP_FCNTL,
	SP_OP_DUP,
	SP_OP_DUP2,
	SP_OP_DUP3,
	SP_OP_SYSCTLBYNAME,
	SP_OP_SYSCTLNEXT,
	SP_OP_SESSION,		/* "l" cookie (0: new) / "lu" cookie, id */
	SP_OP_FORK,		/* "" / "l": the child's cookie */
	SP_OP_RELEASE,		/* "l": a child cookie never attached / "" */
	SP_OP_INTERRUPT,	/* "uu": connection id, request id / "" */
	SP_OP_MAX
};

/* SP_OP_SYSCTLBYNAME flags: which pointers the caller passed. */
#define SP_SYSCTL_OLDP		0x1
#define SP_SYSCTL_OLDLENP	0x2
#define SP_SYSCTL_NEWP		0x4
/* SP_OP_SYSCTLNEXT flags. */
#define SP_SYSCTL_TYPEP		0x1

struct sp_hdr {
	uint32_t	h_magic;
	uint16_t	h_version;
	uint16_t	h_op;
	uint32_t	h_len;
	uint32_t	h_reqid;
	int32_t		h_error;
	uint32_t	h_flags;
};

/* One decoded field: a_v for i/u/l, a_p/a_len for blobs. */
struct sp_arg {
	int64_t		 a_v;
	const uint8_t	*a_p;		/* points into the frame; NULL: none */
	uint32_t	 a_len;
};

/* An operation: its name and request/reply signatures. */
struct sp_opdesc {
	const char	*od_name;
	const char	*od_req;
	const char	*od_rep;
};

/* A parsed frame. */
struct sp_msg {
	struct sp_hdr	m_hdr;
	unsigned	m_nargs;
	struct sp_arg	m_args[SP_MAXARGS];
};

/* Header decode results (besides 0). */
#define SP_HDR_SHORT	1	/* fewer than SP_HDRSIZE bytes */
#define SP_HDR_MAGIC	2
#define SP_HDR_VERSION	3
#define SP_HDR_TOOBIG	4	/* h_len > SP_MAXPAYLOAD */

/* The operation's description, or NULL for an unknown one. */
const struct sp_opdesc *sp_opdesc(unsigned op);

void	sp_hdr_encode(uint8_t *buf, const struct sp_hdr *h);
/*
 * Decode and check the first SP_HDRSIZE bytes of buf (len available).
 * => 0, or SP_HDR_*: *h is filled whenever len >= SP_HDRSIZE.
 */
int	sp_hdr_decode(const uint8_t *buf, size_t len, struct sp_hdr *h);

/*
 * Decode a payload against a signature: fills args[0 .. strlen(sig)-1].
 * Blob pointers point into p.  => 0, or EBADMSG (short, long, or a
 * field over its limit).
 */
int	sp_args_decode(const char *sig, const uint8_t *p, size_t len,
	    struct sp_arg *args);
/* Bytes sp_args_encode writes (blob lengths are not checked). */
size_t	sp_args_size(const char *sig, const struct sp_arg *args);
void	sp_args_encode(const char *sig, const struct sp_arg *args,
	    uint8_t *p);

/*
 * Parse a whole request frame (header and exactly h_len bytes).
 * => 0; SP_HDR_* errors as negative values (-SP_HDR_MAGIC ...: the
 * framing is broken); ENOSYS (unknown operation) or EBADMSG (payload
 * does not match the signature, length mismatch, reply flag set).
 * m->m_hdr is valid unless the result is negative.
 */
int	sp_request_parse(const uint8_t *frame, size_t len, struct sp_msg *m);
/*
 * Parse a whole reply frame to a request of operation op: as above,
 * with the reply signature; a reply with h_error set has no fields.
 */
int	sp_reply_parse(const uint8_t *frame, size_t len, unsigned op,
	    struct sp_msg *m);

/*
 * Build a frame: header h (h_len is computed) and the fields of sig.
 * => the frame's size; buf must hold SP_HDRSIZE + sp_args_size().
 */
size_t	sp_frame_encode(uint8_t *buf, struct sp_hdr *h, const char *sig,
	    const struct sp_arg *args);

#endif /* _TOOLS_LIBRUMPCLIENT_SP_PROTO_H_ */
