/*
 * rumpclient_int.h -- librumpclient's call machinery, shared by its
 * connection code (rumpclient.c) and the rump_sys_* wrappers
 * (rumpclient_sys.c).
 */
#ifndef _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_
#define _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_

#include <stdint.h>

#include "tools/librumpclient/sp_proto.h"

/*
 * Run operation op with request fields args (per its signature) on the
 * server, connecting first if needed.  => 0 and the reply's fields in
 * *rep, pointing into *bufp (free() it); or an errno value: the
 * server's answer, or a connection failure (then *bufp is NULL).
 */
int	rc_call(unsigned op, const struct sp_arg *args, struct sp_msg *rep,
	    uint8_t **bufp);

#endif /* _TOOLS_LIBRUMPCLIENT_RUMPCLIENT_INT_H_ */
