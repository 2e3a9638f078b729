/*
 * sp_url.h -- server addresses (RUMP_SERVER, rump_server's URL argument):
 *
 *	unix://PATH		a unix socket, PATH relative or absolute
 *	tcp://HOST:PORT[/]	loopback only: HOST is an address in
 *				127.0.0.0/8, "localhost", "0" (taken as
 *				127.0.0.1) or "[::1]"
 *
 * rumpnet never listens beyond the loopback interface, so any other
 * host is refused by the server and the client alike.
 */
#ifndef _TOOLS_LIBRUMPCLIENT_SP_URL_H_
#define _TOOLS_LIBRUMPCLIENT_SP_URL_H_

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

struct sp_url {
	struct sockaddr_storage	u_addr;		/* ready for bind/connect */
	socklen_t		u_addrlen;
	int			u_unix;		/* 1: u_path is a socket file */
	char			u_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/*
 * Parse url into u.  => 0, or -1 with a message ("unknown scheme ...")
 * in err (errlen bytes).
 */
int	sp_url_parse(const char *url, struct sp_url *u, char *err,
	    size_t errlen);

#endif /* _TOOLS_LIBRUMPCLIENT_SP_URL_H_ */
