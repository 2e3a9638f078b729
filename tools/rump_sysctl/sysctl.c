/*
 * rump.sysctl -- read and set the sysctl variables of a rump kernel.
 *
 *	rump.sysctl [-nq] name ...
 *	rump.sysctl [-nq] -w name=value ...
 *	rump.sysctl [-nq] -a
 *
 * Output as NetBSD's sysctl(8): "name = value" on read, "name: old ->
 * new" on write, the bare value with -n, nothing with -q (the exit
 * status tells whether every name exists).  A name that is a subtree
 * ("net.inet.ip") prints every variable under it.  Unknown names give
 * NetBSD's "third level name 'x' in 'net.inet.x' is invalid", exit 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rumpnet/rump_syscalls.h>

#include "tools/common/rntool.h"

static const char *const usage_lines[] = {
	"rump.sysctl [-nq] name ...",
	"rump.sysctl [-nq] -w name=value ...",
	"rump.sysctl [-nq] -a",
	NULL
};

#define VALUE_MAX	1024

struct sopts {
	int	nflag, qflag, wflag;
};

/* A value read from the kernel, rendered as text. */
static int
read_value(const char *name, int type, char *out, size_t outlen)
{
	char buf[VALUE_MAX];
	size_t len = sizeof(buf) - 1;
	int error;

	memset(buf, 0, sizeof(buf));
	if ((error = rn_sysctl_get(name, buf, &len)) != 0)
		return error;
	switch (type & RUMP_SYSCTL_TYPEMASK) {
	case RUMP_SYSCTL_TYPE_INT: {
		int32_t v;

		memcpy(&v, buf, sizeof(v));
		snprintf(out, outlen, "%" PRId32, v);
		break;
	}
	case RUMP_SYSCTL_TYPE_QUAD: {
		uint64_t v;

		memcpy(&v, buf, sizeof(v));
		snprintf(out, outlen, "%" PRIu64, v);
		break;
	}
	default:
		buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
		snprintf(out, outlen, "%s", buf);
		break;
	}
	return 0;
}

/* The node's type: 0 and *typep set, or ENOENT if not a leaf. */
static int
node_type(const char *name, int *typep)
{
	char found[RUMP_SYSCTL_NAMEMAX];

	/* The first node at or after "name" under "name" is name itself. */
	if (rump_sys_sysctlnext(name, "", found, sizeof(found), typep) != 0)
		return errno;
	return strcmp(found, name) == 0 ? 0 : ENOENT;
}

/* Does anything live under "name" (a subtree)? */
static int
is_subtree(const char *name)
{
	char found[RUMP_SYSCTL_NAMEMAX];

	return rump_sys_sysctlnext(name, "", found, sizeof(found), NULL) == 0;
}

/* NetBSD's complaint about the first component that does not exist. */
static void
complain_unknown(const char *name)
{
	static const char *const ordinal[] = {
		"top", "second", "third", "fourth", "fifth", "sixth",
		"seventh", "eighth",
	};
	char prefix[RUMP_SYSCTL_NAMEMAX];
	const char *p = name, *end;
	size_t level = 0, n;

	for (;;) {
		end = strchr(p, '.');
		n = end != NULL ? (size_t)(end - name) : strlen(name);
		if (n >= sizeof(prefix))
			break;
		memcpy(prefix, name, n);
		prefix[n] = '\0';
		if (!is_subtree(prefix)) {
			size_t clen = end != NULL ? (size_t)(end - p) :
			    strlen(p);

			fflush(stdout);
			fprintf(stderr, "%s: %s level name '%.*s' in '%s' is "
			    "invalid\n", rn_progname(),
			    level < sizeof(ordinal) / sizeof(ordinal[0]) ?
			    ordinal[level] : "deep", (int)clen, p, name);
			return;
		}
		if (end == NULL)
			break;
		p = end + 1;
		level++;
	}
	rn_warnx("%s: %s", name, rn_strerror(ENOENT));
}

static void
print_one(const char *name, const char *value, const struct sopts *o)
{
	if (o->qflag)
		return;
	if (o->nflag)
		printf("%s\n", value);
	else
		printf("%s = %s\n", name, value);
}

/* Every variable under prefix ("" = all). */
static int
print_tree(const char *prefix, const struct sopts *o)
{
	char name[RUMP_SYSCTL_NAMEMAX] = "", value[VALUE_MAX];
	int type, n = 0;

	while (rump_sys_sysctlnext(prefix, name, name, sizeof(name),
	    &type) == 0) {
		if (read_value(name, type, value, sizeof(value)) != 0)
			continue;
		print_one(name, value, o);
		n++;
	}
	if (errno != ENOENT)
		rn_err(1, "sysctlnext");
	return n;
}

static int
do_read(const char *name, const struct sopts *o)
{
	char value[VALUE_MAX];
	int type, error;

	if (*name == '\0' || strlen(name) >= RUMP_SYSCTL_NAMEMAX) {
		if (!o->qflag)
			rn_warnx("%s: bad name", name);
		return 1;
	}
	if ((error = node_type(name, &type)) == 0) {
		if ((error = read_value(name, type, value,
		    sizeof(value))) != 0) {
			if (!o->qflag)
				rn_warnc(error, "%s", name);
			return 1;
		}
		print_one(name, value, o);
		return 0;
	}
	if (error == ENOENT && is_subtree(name)) {
		print_tree(name, o);
		return 0;
	}
	if (!o->qflag) {
		if (error == ENOENT)
			complain_unknown(name);
		else
			rn_warnc(error, "%s", name);
	}
	return 1;
}

static int
do_write(const char *arg, const struct sopts *o)
{
	char name[RUMP_SYSCTL_NAMEMAX], old[VALUE_MAX], new[VALUE_MAX];
	const char *eq = strchr(arg, '='), *val;
	int type, error;
	size_t n;

	if (eq == NULL) {
		if (!o->qflag)
			rn_warnx("%s: no value given (use name=value)", arg);
		return 1;
	}
	n = (size_t)(eq - arg);
	if (n == 0 || n >= sizeof(name)) {
		if (!o->qflag)
			rn_warnx("%s: bad name", arg);
		return 1;
	}
	memcpy(name, arg, n);
	name[n] = '\0';
	val = eq + 1;
	if ((error = node_type(name, &type)) != 0) {
		if (!o->qflag) {
			if (error == ENOENT)
				complain_unknown(name);
			else
				rn_warnc(error, "%s", name);
		}
		return 1;
	}
	if ((error = read_value(name, type, old, sizeof(old))) != 0) {
		if (!o->qflag)
			rn_warnc(error, "%s", name);
		return 1;
	}
	switch (type & RUMP_SYSCTL_TYPEMASK) {
	case RUMP_SYSCTL_TYPE_INT: {
		long long v;
		char *end;
		int32_t v32;

		/* A sign, then digits: strtoll's blanks are refused. */
		errno = 0;
		v = strtoll(val, &end, 0);
		if (!((val[0] >= '0' && val[0] <= '9') || ((val[0] == '-' ||
		    val[0] == '+') && val[1] >= '0' && val[1] <= '9')) ||
		    *end != '\0' || errno != 0 || v < INT32_MIN ||
		    v > INT32_MAX) {
			if (!o->qflag)
				rn_warnx("%s: bad integer value '%s'", name,
				    val);
			return 1;
		}
		v32 = (int32_t)v;
		error = rump_sys_sysctlbyname(name, NULL, NULL, &v32,
		    sizeof(v32)) == 0 ? 0 : errno;
		break;
	}
	case RUMP_SYSCTL_TYPE_QUAD: {
		unsigned long v;
		uint64_t v64;

		if (!rn_parse_ulong(val, 0, 0, ~0UL, &v)) {
			if (!o->qflag)
				rn_warnx("%s: bad integer value '%s'", name,
				    val);
			return 1;
		}
		v64 = v;
		error = rump_sys_sysctlbyname(name, NULL, NULL, &v64,
		    sizeof(v64)) == 0 ? 0 : errno;
		break;
	}
	default:
		error = rump_sys_sysctlbyname(name, NULL, NULL, val,
		    strlen(val) + 1) == 0 ? 0 : errno;
		break;
	}
	if (error != 0) {
		if (!o->qflag)
			rn_warnc(error, "%s", name);
		return 1;
	}
	if (o->qflag)
		return 0;
	if (read_value(name, type, new, sizeof(new)) != 0)
		snprintf(new, sizeof(new), "%s", val);
	if (o->nflag)
		printf("%s\n", new);
	else
		printf("%s: %s -> %s\n", name, old, new);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sopts o;
	int ch, aflag = 0, rv = 0, i;

	rn_init("rump.sysctl");
	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, "Aaenqw")) != -1) {
		switch (ch) {
		case 'A':
		case 'a': aflag = 1; break;
		case 'e': break;
		case 'n': o.nflag = 1; break;
		case 'q': o.qflag = 1; break;
		case 'w': o.wflag = 1; break;
		default:
			rn_usage(usage_lines);
		}
	}
	argc -= optind;
	argv += optind;
	if (aflag) {
		if (argc != 0 || o.wflag)
			rn_usage(usage_lines);
		print_tree("", &o);
		return 0;
	}
	if (argc == 0)
		rn_usage(usage_lines);
	for (i = 0; i < argc; i++) {
		if (o.wflag || strchr(argv[i], '=') != NULL)
			rv |= do_write(argv[i], &o);
		else
			rv |= do_read(argv[i], &o);
	}
	return rv;
}
