/*
 * fuzz_sp.c -- libFuzzer target for the remote system call protocol
 * codec (tools/librumpclient/sp_proto.c), the code rump_server runs on
 * every byte a client sends.
 *
 * The input is taken as one whole frame and parsed as a request, and as
 * a reply to its own operation.  Whatever parses must re-encode to the
 * very same bytes (the encoding is canonical), and every field must lie
 * inside the input and within its limit.  The payload is also decoded
 * against every signature of the table.
 *
 * Build and run (clang with libFuzzer):
 *   make -C _build fuzz-sp            # see tools/server.mk
 *   tests/fuzz/fuzz_sp -max_total_time=60 tests/fuzz/corpus/sp
 * With FUZZ_SP_REPLAY defined it is an ordinary program instead that
 * runs every file of tests/fuzz/corpus/sp (or of its arguments) once.
 */
#include "config.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/librumpclient/sp_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do {						\
	if (!(c))							\
		abort();						\
} while (0)

/* Every field in bounds; every blob readable to its last byte. */
static void
fuzz_check_fields(const char *sig, const struct sp_msg *m,
    const uint8_t *data, size_t size)
{
	volatile uint8_t sink = 0;

	for (unsigned i = 0; sig[i] != '\0'; i++) {
		const struct sp_arg *a = &m->m_args[i];

		if (sig[i] == 'i' || sig[i] == 'u' || sig[i] == 'l')
			continue;
		FUZZ_ASSERT(a->a_len <= SP_MAXPAYLOAD);
		FUZZ_ASSERT((a->a_len == 0) == (a->a_p == NULL));
		if (a->a_len == 0)
			continue;
		FUZZ_ASSERT(a->a_p >= data && a->a_p + a->a_len <= data + size);
		sink ^= a->a_p[0] ^ a->a_p[a->a_len - 1];
		switch (sig[i]) {
		case 'a':
			FUZZ_ASSERT(a->a_len <= SP_MAXADDR);
			break;
		case 'o':
			FUZZ_ASSERT(a->a_len <= SP_MAXOPT);
			break;
		case 'p':
			FUZZ_ASSERT(a->a_len % SP_POLLFDSIZE == 0);
			break;
		case 's':
			FUZZ_ASSERT(a->a_p[a->a_len - 1] == '\0');
			break;
		}
	}
	(void)sink;
}

/* A parsed frame re-encodes to exactly the input. */
static void
fuzz_roundtrip(const char *sig, const struct sp_msg *m,
    const uint8_t *data, size_t size)
{
	struct sp_hdr h = m->m_hdr;
	uint8_t *buf;
	size_t n;

	n = SP_HDRSIZE + sp_args_size(sig, m->m_args);
	FUZZ_ASSERT(n == size);
	buf = malloc(n);
	FUZZ_ASSERT(buf != NULL);
	FUZZ_ASSERT(sp_frame_encode(buf, &h, sig, m->m_args) == n);
	FUZZ_ASSERT(memcmp(buf, data, n) == 0);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sp_opdesc *od;
	struct sp_arg args[SP_MAXARGS];
	struct sp_msg m;
	int rv;

	rv = sp_request_parse(data, size, &m);
	if (rv == 0) {
		od = sp_opdesc(m.m_hdr.h_op);
		FUZZ_ASSERT(od != NULL);
		FUZZ_ASSERT(m.m_hdr.h_len + (size_t)SP_HDRSIZE == size);
		fuzz_check_fields(od->od_req, &m, data, size);
		fuzz_roundtrip(od->od_req, &m, data, size);
	} else {
		FUZZ_ASSERT(rv == ENOSYS || rv == EBADMSG ||
		    (rv < 0 && rv >= -SP_HDR_TOOBIG));
	}

	if (size >= SP_HDRSIZE) {
		struct sp_hdr h;

		(void)sp_hdr_decode(data, size, &h);
		rv = sp_reply_parse(data, size, h.h_op, &m);
		if (rv == 0 && m.m_hdr.h_error == 0) {
			od = sp_opdesc(h.h_op);
			FUZZ_ASSERT(od != NULL);
			fuzz_check_fields(od->od_rep, &m, data, size);
			fuzz_roundtrip(od->od_rep, &m, data, size);
		}
		/* The payload against every signature. */
		for (unsigned op = 0; op < SP_OP_MAX; op++) {
			if ((od = sp_opdesc(op)) == NULL)
				continue;
			if (sp_args_decode(od->od_req, data + SP_HDRSIZE,
			    size - SP_HDRSIZE, args) == 0) {
				memset(&m, 0, sizeof(m));
				memcpy(m.m_args, args, sizeof(args));
				fuzz_check_fields(od->od_req, &m, data, size);
			}
			if (sp_args_decode(od->od_rep, data + SP_HDRSIZE,
			    size - SP_HDRSIZE, args) == 0) {
				memset(&m, 0, sizeof(m));
				memcpy(m.m_args, args, sizeof(args));
				fuzz_check_fields(od->od_rep, &m, data, size);
			}
		}
	}
	return 0;
}

#ifdef FUZZ_SP_REPLAY
#include "tests/fuzz/replay.h"

int
main(int argc, char **argv)
{
	return fuzz_replay_main(argc, argv, "sp");
}
#endif /* FUZZ_SP_REPLAY */
