/*
 * sp_proto.c -- encoding and decoding of the remote system call
 * protocol (sp_proto.h).  Pure functions over caller-supplied buffers:
 * every length read from the peer is checked against what is left of
 * the buffer and against its field's limit before use.
 */
#include "config.h"
#include <errno.h>
#include <string.h>

#include "tools/librumpclient/sp_proto.h"

/* Request and reply signatures, indexed by operation. */
static const struct sp_opdesc sp_optab[SP_OP_MAX] = {
	[SP_OP_HELLO] =		{ "hello",	"us",	"us" },
	[SP_OP_HALT] =		{ "halt",	"",	"" },
	[SP_OP_SOCKET] =	{ "socket",	"iii",	"l" },
	[SP_OP_BIND] =		{ "bind",	"ia",	"" },
	[SP_OP_LISTEN] =	{ "listen",	"ii",	"" },
	/* fd, flags, want address / fd, address, its full length */
	[SP_OP_ACCEPT4] =	{ "accept4",	"iiu",	"lau" },
	[SP_OP_CONNECT] =	{ "connect",	"ia",	"" },
	[SP_OP_SHUTDOWN] =	{ "shutdown",	"ii",	"" },
	[SP_OP_CLOSE] =		{ "close",	"i",	"" },
	/* fd, data, flags, destination (empty: none) / bytes sent */
	[SP_OP_SENDTO] =	{ "sendto",	"idia",	"l" },
	/* fd, bytes wanted, flags, want address / n, data, from, fromlen */
	[SP_OP_RECVFROM] =	{ "recvfrom",	"iuiu",	"ldau" },
	/* as recvfrom, plus msg_flags out */
	[SP_OP_RECVMSG] =	{ "recvmsg",	"iuiu",	"ldaui" },
	[SP_OP_READ] =		{ "read",	"iu",	"ld" },
	[SP_OP_WRITE] =		{ "write",	"id",	"l" },
	/* pollfds, timeout / ready count, pollfds with revents */
	[SP_OP_POLL] =		{ "poll",	"pi",	"lp" },
	/* fd, level, name, bytes available / value, its length */
	[SP_OP_GETSOCKOPT] =	{ "getsockopt",	"iiiu",	"ou" },
	[SP_OP_SETSOCKOPT] =	{ "setsockopt",	"iiio",	"" },
	/* fd, want address / address, its full length */
	[SP_OP_GETSOCKNAME] =	{ "getsockname", "iu",	"au" },
	[SP_OP_GETPEERNAME] =	{ "getpeername", "iu",	"au" },
	/* fd, request, argument in / argument out */
	[SP_OP_IOCTL] =		{ "ioctl",	"ild",	"d" },
	[SP_OP_FCNTL] =		{ "fcntl",	"iil",	"l" },
	[SP_OP_DUP] =		{ "dup",	"i",	"l" },
	[SP_OP_DUP2] =		{ "dup2",	"ii",	"l" },
	[SP_OP_DUP3] =		{ "dup3",	"iii",	"l" },
	/*
	 * name, old bytes available, SP_SYSCTL_*, new value / the call's
	 * errno, old value, oldlen: ENOMEM comes with the size needed, so
	 * the error travels as a field, not in h_error.
	 */
	[SP_OP_SYSCTLBYNAME] =	{ "sysctlbyname", "suud", "idl" },
	/* prefix, previous, name bytes available, flags / name, type */
	[SP_OP_SYSCTLNEXT] =	{ "sysctlnext",	"ssuu",	"si" },
	/* process cookie (0: a new process) / its cookie, connection id */
	[SP_OP_SESSION] =	{ "session",	"l",	"lu" },
	/* / the child process's cookie */
	[SP_OP_FORK] =		{ "fork",	"",	"l" },
	[SP_OP_RELEASE] =	{ "release",	"l",	"" },
	/* connection id, request id of the call to interrupt */
	[SP_OP_INTERRUPT] =	{ "interrupt",	"uu",	"" },
};

const struct sp_opdesc *
sp_opdesc(unsigned op)
{
	if (op >= SP_OP_MAX || sp_optab[op].od_name == NULL)
		return NULL;
	return &sp_optab[op];
}

static void
sp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
sp_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
sp_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t
sp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
sp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t
sp_get64(const uint8_t *p)
{
	return (uint64_t)sp_get32(p) | ((uint64_t)sp_get32(p + 4) << 32);
}

void
sp_hdr_encode(uint8_t *buf, const struct sp_hdr *h)
{
	sp_put32(buf + 0, h->h_magic);
	sp_put16(buf + 4, h->h_version);
	sp_put16(buf + 6, h->h_op);
	sp_put32(buf + 8, h->h_len);
	sp_put32(buf + 12, h->h_reqid);
	sp_put32(buf + 16, (uint32_t)h->h_error);
	sp_put32(buf + 20, h->h_flags);
}

int
sp_hdr_decode(const uint8_t *buf, size_t len, struct sp_hdr *h)
{
	if (len < SP_HDRSIZE)
		return SP_HDR_SHORT;
	h->h_magic = sp_get32(buf + 0);
	h->h_version = sp_get16(buf + 4);
	h->h_op = sp_get16(buf + 6);
	h->h_len = sp_get32(buf + 8);
	h->h_reqid = sp_get32(buf + 12);
	h->h_error = (int32_t)sp_get32(buf + 16);
	h->h_flags = sp_get32(buf + 20);
	if (h->h_magic != SP_MAGIC)
		return SP_HDR_MAGIC;
	if (h->h_version != SP_VERSION)
		return SP_HDR_VERSION;
	if (h->h_len > SP_MAXPAYLOAD)
		return SP_HDR_TOOBIG;
	return 0;
}

/* Is len acceptable for a blob of this kind (and its bytes)? */
static int
sp_blob_ok(char kind, const uint8_t *p, uint32_t len)
{
	switch (kind) {
	case 'a':
		return len <= SP_MAXADDR;
	case 'o':
		return len <= SP_MAXOPT;
	case 'd':
		return len <= SP_MAXDATA;
	case 'p':
		return len <= SP_MAXPOLLFD * SP_POLLFDSIZE &&
		    len % SP_POLLFDSIZE == 0;
	case 's':
		return len == 0 || (len <= SP_MAXSTR && p[len - 1] == '\0');
	}
	return 0;
}

int
sp_args_decode(const char *sig, const uint8_t *p, size_t len,
    struct sp_arg *args)
{
	size_t off = 0;
	uint32_t blen;

	for (unsigned i = 0; sig[i] != '\0'; i++) {
		struct sp_arg *a = &args[i];

		if (i >= SP_MAXARGS)
			return EBADMSG;
		memset(a, 0, sizeof(*a));
		switch (sig[i]) {
		case 'i':
			if (len - off < 4)
				return EBADMSG;
			a->a_v = (int32_t)sp_get32(p + off);
			off += 4;
			break;
		case 'u':
			if (len - off < 4)
				return EBADMSG;
			a->a_v = sp_get32(p + off);
			off += 4;
			break;
		case 'l':
			if (len - off < 8)
				return EBADMSG;
			a->a_v = (int64_t)sp_get64(p + off);
			off += 8;
			break;
		default:
			if (len - off < 4)
				return EBADMSG;
			blen = sp_get32(p + off);
			off += 4;
			if (blen > len - off)
				return EBADMSG;
			if (!sp_blob_ok(sig[i], p + off, blen))
				return EBADMSG;
			a->a_p = blen > 0 ? p + off : NULL;
			a->a_len = blen;
			off += blen;
			break;
		}
	}
	return off == len ? 0 : EBADMSG;
}

size_t
sp_args_size(const char *sig, const struct sp_arg *args)
{
	size_t n = 0;

	for (unsigned i = 0; sig[i] != '\0'; i++) {
		switch (sig[i]) {
		case 'i':
		case 'u':
			n += 4;
			break;
		case 'l':
			n += 8;
			break;
		default:
			n += 4 + (size_t)args[i].a_len;
			break;
		}
	}
	return n;
}

void
sp_args_encode(const char *sig, const struct sp_arg *args, uint8_t *p)
{
	for (unsigned i = 0; sig[i] != '\0'; i++) {
		const struct sp_arg *a = &args[i];

		switch (sig[i]) {
		case 'i':
		case 'u':
			sp_put32(p, (uint32_t)a->a_v);
			p += 4;
			break;
		case 'l':
			sp_put64(p, (uint64_t)a->a_v);
			p += 8;
			break;
		default:
			sp_put32(p, a->a_len);
			p += 4;
			if (a->a_len > 0)
				memcpy(p, a->a_p, a->a_len);
			p += a->a_len;
			break;
		}
	}
}

size_t
sp_frame_encode(uint8_t *buf, struct sp_hdr *h, const char *sig,
    const struct sp_arg *args)
{
	size_t n = sp_args_size(sig, args);

	h->h_len = (uint32_t)n;
	sp_hdr_encode(buf, h);
	sp_args_encode(sig, args, buf + SP_HDRSIZE);
	return SP_HDRSIZE + n;
}

/* Common part of request and reply parsing: header and length. */
static int
sp_frame_parse(const uint8_t *frame, size_t len, struct sp_msg *m)
{
	int rv;

	memset(m, 0, sizeof(*m));
	if ((rv = sp_hdr_decode(frame, len, &m->m_hdr)) != 0)
		return -rv;
	if (m->m_hdr.h_len != len - SP_HDRSIZE)
		return EBADMSG;
	return 0;
}

int
sp_request_parse(const uint8_t *frame, size_t len, struct sp_msg *m)
{
	const struct sp_opdesc *od;
	int rv;

	if ((rv = sp_frame_parse(frame, len, m)) != 0)
		return rv;
	if (m->m_hdr.h_flags != 0 || m->m_hdr.h_error != 0)
		return EBADMSG;
	if ((od = sp_opdesc(m->m_hdr.h_op)) == NULL)
		return ENOSYS;
	m->m_nargs = (unsigned)strlen(od->od_req);
	return sp_args_decode(od->od_req, frame + SP_HDRSIZE,
	    len - SP_HDRSIZE, m->m_args);
}

int
sp_reply_parse(const uint8_t *frame, size_t len, unsigned op,
    struct sp_msg *m)
{
	const struct sp_opdesc *od;
	int rv;

	if ((rv = sp_frame_parse(frame, len, m)) != 0)
		return rv;
	if (m->m_hdr.h_flags != SP_F_REPLY || m->m_hdr.h_op != op ||
	    (od = sp_opdesc(op)) == NULL)
		return EBADMSG;
	if (m->m_hdr.h_error != 0)
		return m->m_hdr.h_len == 0 ? 0 : EBADMSG;
	m->m_nargs = (unsigned)strlen(od->od_rep);
	return sp_args_decode(od->od_rep, frame + SP_HDRSIZE,
	    len - SP_HDRSIZE, m->m_args);
}
