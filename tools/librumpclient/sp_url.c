/*
 * sp_url.c -- parsing server URLs (see sp_url.h) through a table of
 * schemes.
 */
#include "config.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/librumpclient/sp_url.h"

static int
sp_url_unix(const char *rest, struct sp_url *u, char *err, size_t errlen)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&u->u_addr;
	size_t n = strlen(rest);

	if (n == 0) {
		snprintf(err, errlen, "unix:// needs a socket path");
		return -1;
	}
	if (n >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "socket path too long (%zu bytes, "
		    "at most %zu): %s", n, sizeof(sun->sun_path) - 1, rest);
		return -1;
	}
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, rest, n + 1);
	memcpy(u->u_path, rest, n + 1);
	u->u_addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    n + 1);
	u->u_unix = 1;
	return 0;
}

static int
sp_url_tcp(const char *rest, struct sp_url *u, char *err, size_t errlen)
{
	char host[64];
	const char *colon, *hs = rest, *he;
	unsigned long port;
	char *end;
	size_t hl;

	if (rest[0] == '[') {
		hs = rest + 1;
		if ((he = strchr(hs, ']')) == NULL || he[1] != ':') {
			snprintf(err, errlen, "bad tcp address "
			    "(want tcp://[::1]:PORT): tcp://%s", rest);
			return -1;
		}
		colon = he + 1;
	} else {
		if ((colon = strrchr(rest, ':')) == NULL) {
			snprintf(err, errlen, "tcp URL without a port "
			    "(want tcp://127.0.0.1:PORT): tcp://%s", rest);
			return -1;
		}
		he = colon;
	}
	hl = (size_t)(he - hs);
	if (hl == 0 || hl >= sizeof(host)) {
		snprintf(err, errlen, "bad host in tcp://%s", rest);
		return -1;
	}
	memcpy(host, hs, hl);
	host[hl] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || port == 0 || port > 65535 ||
	    (*end != '\0' && strcmp(end, "/") != 0)) {
		snprintf(err, errlen, "bad port (1-65535) in tcp://%s", rest);
		return -1;
	}
	memset(&u->u_addr, 0, sizeof(u->u_addr));
	if (rest[0] == '[') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&u->u_addr;

		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1 ||
		    !IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr)) {
			snprintf(err, errlen, "%s is not the loopback "
			    "address ::1: rump_server listens on loopback "
			    "only", host);
			return -1;
		}
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		u->u_addrlen = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&u->u_addr;

		if (strcmp(host, "0") == 0 || strcmp(host, "localhost") == 0)
			strcpy(host, "127.0.0.1");
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
			snprintf(err, errlen, "bad IPv4 address in tcp://%s "
			    "(want 127.0.0.1)", rest);
			return -1;
		}
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127) {
			snprintf(err, errlen, "%s is not a loopback address: "
			    "rump_server listens on 127.0.0.0/8 only", host);
			return -1;
		}
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		u->u_addrlen = sizeof(*sin);
	}
	u->u_unix = 0;
	u->u_path[0] = '\0';
	return 0;
}

static const struct {
	const char	*s_prefix;
	int		(*s_parse)(const char *, struct sp_url *, char *,
			    size_t);
} sp_schemes[] = {
	{ "unix://", sp_url_unix },
	{ "tcp://", sp_url_tcp },
};

int
sp_url_parse(const char *url, struct sp_url *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < sizeof(sp_schemes) / sizeof(sp_schemes[0]);
	    i++) {
		size_t n = strlen(sp_schemes[i].s_prefix);

		if (strncmp(url, sp_schemes[i].s_prefix, n) == 0)
			return sp_schemes[i].s_parse(url + n, u, err, errlen);
	}
	snprintf(err, errlen, "unknown URL scheme (want unix://PATH or "
	    "tcp://127.0.0.1:PORT): %s", url);
	return -1;
}
