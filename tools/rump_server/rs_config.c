/*
 * rs_config.c -- rump_server -f FILE: the commands of a configuration
 * file, applied through the public syscall and ioctl API exactly as the
 * rump.* tools would apply them over a connection (rs_config.h).
 *
 * Booting a network of many nodes is dominated by process start-up: a
 * node configured with the tools costs one fork+exec+connect per
 * command.  One file per node makes a node one process start.
 */
#include "config.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rumpnet/rump_net.h"
#include "rumpnet/rump_syscalls.h"
#include "tools/rump_server/rs_config.h"

#define RS_AF_INET	2	/* the kernel's (Linux) numbers */
#define RS_AF_INET6	10
#define RS_SOCK_DGRAM	2
#define RS_MAXWORDS	32

/* One "ifconfig" line, parsed: what to do, in the order applied. */
struct rs_ifcmd {
	const char	*ic_name;
	bool		ic_create;
	const char	*ic_linkstr;
	int		ic_family;	/* 0: no address */
	int		ic_plen;	/* -1: default for the family */
	uint8_t		ic_addr[RUMP_ADDRSIZE];
	int		ic_updown;	/* -1 down, 0 leave, 1 up */
};

static int __attribute__((__format__(__printf__, 3, 4)))
rs_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* An ioctl on a fresh kernel socket: 0, or an errno value. */
static int
rs_ioctl(unsigned long req, void *arg)
{
	int s, rv, error = 0;

	if ((s = rump_sys_socket(RS_AF_INET, RS_SOCK_DGRAM, 0)) < 0)
		return errno;
	rv = rump_sys_ioctl(s, req, arg);
	if (rv != 0)
		error = errno;
	rump_sys_close(s);
	return error;
}

static int
rs_setname(char dst[RUMP_IFNAMSIZ], const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= RUMP_IFNAMSIZ)
		return -1;
	memset(dst, 0, RUMP_IFNAMSIZ);
	memcpy(dst, name, n);
	return 0;
}

/*
 * "ADDR" or "ADDR/LEN" of a family: 0 with *plen -1 when no length is
 * given, or -1.
 */
static int
rs_parse_prefix(const char *s, int family, uint8_t addr[RUMP_ADDRSIZE],
    int *plen)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	int max = family == RS_AF_INET ? 32 : 128;
	char *end;
	long v;

	*plen = -1;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(addr, 0, RUMP_ADDRSIZE);
	if (inet_pton(family == RS_AF_INET ? AF_INET : AF_INET6, buf,
	    addr) != 1)
		return -1;
	if (slash == NULL)
		return 0;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	v = strtol(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return -1;
	*plen = (int)v;
	return 0;
}

/* ----------------------------------------------------------- sysctl */

/* NAME=VALUE: an integer node gets an int32, a string node the text. */
static int
rs_sysctl_one(const char *arg, char *err, size_t errlen)
{
	char name[RUMP_SYSCTL_NAMEMAX], found[RUMP_SYSCTL_NAMEMAX];
	const char *eq = strchr(arg, '='), *val;
	size_t n;
	int type, rv;

	if (eq == NULL || eq == arg ||
	    (n = (size_t)(eq - arg)) >= sizeof(name))
		return rs_err(err, errlen, "sysctl %s: want NAME=VALUE", arg);
	memcpy(name, arg, n);
	name[n] = '\0';
	val = eq + 1;
	/* The first node under a leaf's name is the leaf itself. */
	if (rump_sys_sysctlnext(name, NULL, found, sizeof(found), &type) != 0
	    || strcmp(found, name) != 0)
		return rs_err(err, errlen, "sysctl %s: no such node", name);
	if ((type & RUMP_SYSCTL_TYPEMASK) == RUMP_SYSCTL_TYPE_STRING) {
		rv = rump_sys_sysctlbyname(name, NULL, NULL, val,
		    strlen(val) + 1);
	} else if ((type & RUMP_SYSCTL_TYPEMASK) == RUMP_SYSCTL_TYPE_INT) {
		char *end;
		long long v;
		int32_t v32;

		errno = 0;
		v = strtoll(val, &end, 0);
		if (!((val[0] >= '0' && val[0] <= '9') || (val[0] == '-' &&
		    val[1] >= '0' && val[1] <= '9')) || *end != '\0' ||
		    errno != 0 || v < INT32_MIN || v > INT32_MAX)
			return rs_err(err, errlen, "sysctl %s: bad value '%s'",
			    name, val);
		v32 = (int32_t)v;
		rv = rump_sys_sysctlbyname(name, NULL, NULL, &v32,
		    sizeof(v32));
	} else {
		return rs_err(err, errlen, "sysctl %s: not writable", name);
	}
	if (rv != 0)
		return rs_err(err, errlen, "sysctl %s=%s: %s", name, val,
		    strerror(errno));
	return 0;
}

static int
rs_cmd_sysctl(int argc, char **argv, char *err, size_t errlen)
{
	if (argc < 2)
		return rs_err(err, errlen, "sysctl: want NAME=VALUE ...");
	for (int i = 1; i < argc; i++)
		if (rs_sysctl_one(argv[i], err, errlen) != 0)
			return -1;
	return 0;
}

/* --------------------------------------------------------- ifconfig */

static int
rs_ifconfig_parse(int argc, char **argv, struct rs_ifcmd *c, char *err,
    size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->ic_plen = -1;
	if (argc < 3)
		return rs_err(err, errlen, "ifconfig: want IF and a command");
	c->ic_name = argv[1];
	if (strlen(c->ic_name) == 0 || strlen(c->ic_name) >= RUMP_IFNAMSIZ)
		return rs_err(err, errlen, "ifconfig %s: bad interface name",
		    c->ic_name);
	for (int i = 2; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "create") == 0) {
			c->ic_create = true;
		} else if (strcmp(w, "up") == 0) {
			c->ic_updown = 1;
		} else if (strcmp(w, "down") == 0) {
			c->ic_updown = -1;
		} else if (strcmp(w, "linkstr") == 0 && i + 1 < argc &&
		    c->ic_linkstr == NULL) {
			c->ic_linkstr = argv[++i];
			if (strlen(c->ic_linkstr) >= RUMP_LINKSTR_MAX)
				return rs_err(err, errlen, "linkstr: path too "
				    "long");
		} else if ((strcmp(w, "inet") == 0 || strcmp(w, "inet6") == 0)
		    && i + 1 < argc && c->ic_family == 0) {
			c->ic_family = w[4] == '6' ? RS_AF_INET6 : RS_AF_INET;
			if (rs_parse_prefix(argv[++i], c->ic_family,
			    c->ic_addr, &c->ic_plen) != 0)
				return rs_err(err, errlen, "%s %s: bad address",
				    w, argv[i]);
		} else {
			return rs_err(err, errlen, "ifconfig %s: unknown or "
			    "repeated keyword, or missing argument: '%s'",
			    c->ic_name, w);
		}
	}
	return 0;
}

static int
rs_set_updown(const char *name, int updown)
{
	struct rump_ifreq ifr;
	int error;

	memset(&ifr, 0, sizeof(ifr));
	(void)rs_setname(ifr.ifr_name, name);
	if ((error = rs_ioctl(RUMP_SIOCGIFFLAGS, &ifr)) != 0)
		return error;
	if (updown > 0)
		ifr.ifr_value |= RUMP_IFF_UP;
	else
		ifr.ifr_value &= ~(uint32_t)RUMP_IFF_UP;
	return rs_ioctl(RUMP_SIOCSIFFLAGS, &ifr);
}

static int
rs_set_linkstr(const char *name, const char *path)
{
	struct rump_linkstr *ls;
	int error;

	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		return ENOMEM;
	(void)rs_setname(ls->ls_name, name);
	memcpy(ls->ls_path, path, strlen(path));
	ls->ls_len = (uint32_t)strlen(path) + 1;
	error = rs_ioctl(RUMP_SIOCSLINKSTR, ls);
	free(ls);
	return error;
}

/* The primary address of the family, as "ifconfig IF inet6 A/L" sets. */
static int
rs_set_addr(const struct rs_ifcmd *c)
{
	struct rump_ifaddrreq ifra;
	int plen = c->ic_plen;

	if (plen < 0)
		plen = c->ic_family == RS_AF_INET ? 32 : 64;
	memset(&ifra, 0, sizeof(ifra));
	(void)rs_setname(ifra.ifra_name, c->ic_name);
	ifra.ifra_family = (uint16_t)c->ic_family;
	ifra.ifra_plen = (uint8_t)plen;
	memcpy(ifra.ifra_addr, c->ic_addr, sizeof(ifra.ifra_addr));
	if (c->ic_family == RS_AF_INET6) {
		ifra.ifra_pltime = RUMP_ND6_INFINITE;
		ifra.ifra_vltime = RUMP_ND6_INFINITE;
	}
	return rs_ioctl(RUMP_SIOCAIFADDR, &ifra);
}

static int
rs_cmd_ifconfig(int argc, char **argv, char *err, size_t errlen)
{
	struct rs_ifcmd c;
	struct rump_ifname ifn;
	int error;

	if (rs_ifconfig_parse(argc, argv, &c, err, errlen) != 0)
		return -1;
	if (c.ic_create) {
		memset(&ifn, 0, sizeof(ifn));
		(void)rs_setname(ifn.ifn_name, c.ic_name);
		if ((error = rs_ioctl(RUMP_SIOCIFCREATE, &ifn)) != 0)
			return rs_err(err, errlen, "ifconfig %s create: %s",
			    c.ic_name, strerror(error));
	}
	if (c.ic_linkstr != NULL &&
	    (error = rs_set_linkstr(c.ic_name, c.ic_linkstr)) != 0)
		return rs_err(err, errlen, "ifconfig %s linkstr %s: %s",
		    c.ic_name, c.ic_linkstr, strerror(error));
	if (c.ic_family != 0 && (error = rs_set_addr(&c)) != 0)
		return rs_err(err, errlen, "ifconfig %s %s: %s", c.ic_name,
		    c.ic_family == RS_AF_INET ? "inet" : "inet6",
		    strerror(error));
	if (c.ic_updown != 0 &&
	    (error = rs_set_updown(c.ic_name, c.ic_updown)) != 0)
		return rs_err(err, errlen, "ifconfig %s %s: %s", c.ic_name,
		    c.ic_updown > 0 ? "up" : "down", strerror(error));
	return 0;
}

/* ------------------------------------------------------------ route */

/* route add [-inet|-inet6] DEST[/LEN]|default GATEWAY */
static int
rs_cmd_route(int argc, char **argv, char *err, size_t errlen)
{
	struct rump_rtreq rtr;
	int family = RS_AF_INET, plen, gwplen, i = 2, error;
	uint8_t gw[RUMP_ADDRSIZE];

	if (argc < 2 || strcmp(argv[1], "add") != 0)
		return rs_err(err, errlen, "route: only 'route add' is "
		    "supported");
	if (i < argc && (strcmp(argv[i], "-inet") == 0 ||
	    strcmp(argv[i], "-inet6") == 0)) {
		family = argv[i][5] == '6' ? RS_AF_INET6 : RS_AF_INET;
		i++;
	}
	if (argc - i != 2)
		return rs_err(err, errlen, "route add: want [-inet|-inet6] "
		    "DEST GATEWAY");
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = (uint16_t)family;
	if (strcmp(argv[i], "default") == 0) {
		plen = 0;
	} else if (rs_parse_prefix(argv[i], family, rtr.rtr_dst,
	    &plen) != 0) {
		return rs_err(err, errlen, "route add %s: bad destination",
		    argv[i]);
	} else if (plen < 0) {
		plen = family == RS_AF_INET ? 32 : 128;
	}
	if (rs_parse_prefix(argv[i + 1], family, gw, &gwplen) != 0 ||
	    gwplen != -1)
		return rs_err(err, errlen, "route add: bad gateway %s",
		    argv[i + 1]);
	rtr.rtr_plen = (uint8_t)plen;
	memcpy(rtr.rtr_gateway, gw, sizeof(gw));
	rtr.rtr_flags = RUMP_RTF_STATIC | RUMP_RTF_GATEWAY;
	if ((error = rs_ioctl(RUMP_SIOCADDRT, &rtr)) != 0)
		return rs_err(err, errlen, "route add %s %s: %s", argv[i],
		    argv[i + 1], strerror(error));
	return 0;
}

/* ------------------------------------------------------------ lines */

/* The commands, by their first word. */
static const struct rs_cmd {
	const char	*rc_name;
	int		(*rc_fn)(int, char **, char *, size_t);
} rs_cmds[] = {
	{ "sysctl", rs_cmd_sysctl },
	{ "ifconfig", rs_cmd_ifconfig },
	{ "route", rs_cmd_route },
};

int
rs_config_line(char *line, char *err, size_t errlen)
{
	char *argv[RS_MAXWORDS], *save = NULL, *w;
	int argc = 0;

	for (w = strtok_r(line, " \t\r", &save); w != NULL;
	    w = strtok_r(NULL, " \t\r", &save)) {
		if (argc == RS_MAXWORDS)
			return rs_err(err, errlen, "too many words");
		argv[argc++] = w;
	}
	if (argc == 0 || argv[0][0] == '#')
		return 0;
	for (size_t i = 0; i < sizeof(rs_cmds) / sizeof(rs_cmds[0]); i++)
		if (strcmp(argv[0], rs_cmds[i].rc_name) == 0)
			return (*rs_cmds[i].rc_fn)(argc, argv, err, errlen);
	return rs_err(err, errlen, "unknown command '%s' (sysctl, ifconfig, "
	    "route)", argv[0]);
}

int
rs_config_file(const char *path, char *err, size_t errlen)
{
	char *line = NULL, why[512];
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	FILE *f;
	int rv = 0;

	if ((f = fopen(path, "r")) == NULL)
		return rs_err(err, errlen, "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > RS_CONFIG_LINEMAX) {
			rv = rs_err(err, errlen, "%s:%u: line too long",
			    path, lineno);
			break;
		}
		if (strlen(line) != (size_t)n) {
			rv = rs_err(err, errlen, "%s:%u: NUL byte", path,
			    lineno);
			break;
		}
		if (rs_config_line(line, why, sizeof(why)) != 0) {
			rv = rs_err(err, errlen, "%s:%u: %s", path, lineno,
			    why);
			break;
		}
	}
	if (rv == 0 && ferror(f))
		rv = rs_err(err, errlen, "%s: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return rv;
}
