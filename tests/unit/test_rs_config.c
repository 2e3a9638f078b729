/*
 * test_rs_config.c -- rump_server -f FILE (tools/rump_server/rs_config.c)
 * against a kernel booted in this process: good lines change the
 * kernel as the tools would, every bad line fails with a reason and
 * changes nothing, and file errors name the file and the line.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rumpnet/rump.h"
#include "rumpnet/rump_net.h"
#include "rumpnet/rump_syscalls.h"
#include "tools/rump_server/rs_config.h"
#include "tests/unit/unit.h"

static char dir[] = "/tmp/rumpnet-rscfg-XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(rump_init(), 0);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/rumpnet-rscfg-XXXXXX");
}

/* Apply one line (a copy: it is modified); => 0 or -1, reason in err. */
static int
line(const char *text, char *err, size_t errlen)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", text);
	err[0] = '\0';
	return rs_config_line(buf, err, errlen);
}

static int32_t
sysctl_int(const char *name)
{
	int32_t v = -1;
	size_t len = sizeof(v);

	ck_assert_int_eq(rump_sys_sysctlbyname(name, &v, &len, NULL, 0), 0);
	return v;
}

static int
ctl(unsigned long req, void *arg)
{
	int s = rump_sys_socket(2, 2, 0), rv;

	ck_assert_int_ge(s, 0);
	rv = rump_sys_ioctl(s, req, arg);
	rump_sys_close(s);
	return rv;
}

START_TEST(test_good_lines)
{
	char err[256], text[256];
	struct rump_ifaddrreq ifra;
	struct rump_rtreq rtr;
	struct rump_ifreq ifr;

	ck_assert_int_eq(line("sysctl net.inet6.ip6.forwarding=1 "
	    "net.inet6.ip6.hlim=200 kern.hostname=node7", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.forwarding"), 1);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.hlim"), 200);
	ck_assert_int_eq(line("  # a comment", err, sizeof(err)), 0);
	ck_assert_int_eq(line("", err, sizeof(err)), 0);

	snprintf(text, sizeof(text), "ifconfig shmif0 create linkstr %s/b1 "
	    "inet6 2001:db8:0:1::1/64 up", dir);
	ck_assert_int_eq(line(text, err, sizeof(err)), 0);
	ck_assert_int_eq(line("ifconfig shmif0 inet 198.51.100.1/24", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(access(strcat(strcpy(text, dir), "/b1"), F_OK), 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "shmif0");
	ck_assert_int_eq(ctl(RUMP_SIOCGIFFLAGS, &ifr), 0);
	ck_assert(ifr.ifr_value & RUMP_IFF_UP);

	/* lo0 lists its address first. */
	for (uint32_t i = 0;; i++) {
		memset(&ifra, 0, sizeof(ifra));
		ifra.ifra_family = 2;
		ifra.ifra_index = i;
		ck_assert_int_eq(ctl(RUMP_SIOCGIFADDR, &ifra), 0);
		if (strcmp(ifra.ifra_name, "shmif0") == 0)
			break;
	}
	ck_assert_uint_eq(ifra.ifra_plen, 24);
	ck_assert_mem_eq(ifra.ifra_addr, "\xc6\x33\x64\x01", 4);

	/* Routes through the gateways on the new links. */
	ck_assert_int_eq(line("route add -inet6 default 2001:db8:0:1::2",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(line("route add 203.0.113.0/24 198.51.100.9", err,
	    sizeof(err)), 0);
	ck_assert_int_eq(line("route add -inet 203.0.113.77 198.51.100.9", err,
	    sizeof(err)), 0);
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = 2;
	memcpy(rtr.rtr_dst, "\xcb\x00\x71\x05", 4);
	ck_assert_int_eq(ctl(RUMP_SIOCGETRT, &rtr), 0);
	ck_assert_uint_eq(rtr.rtr_plen, 24);
	ck_assert(rtr.rtr_flags & RUMP_RTF_GATEWAY);
	ck_assert(rtr.rtr_flags & RUMP_RTF_STATIC);
	ck_assert_mem_eq(rtr.rtr_gateway, "\xc6\x33\x64\x09", 4);
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = 2;
	memcpy(rtr.rtr_dst, "\xcb\x00\x71\x4d", 4);
	ck_assert_int_eq(ctl(RUMP_SIOCGETRT, &rtr), 0);
	ck_assert_uint_eq(rtr.rtr_plen, 32);
	memset(&rtr, 0, sizeof(rtr));
	rtr.rtr_family = 10;
	memcpy(rtr.rtr_dst, "\x20\x01\x0d\xb8\xff", 5);
	ck_assert_int_eq(ctl(RUMP_SIOCGETRT, &rtr), 0);
	ck_assert_uint_eq(rtr.rtr_plen, 0);

	ck_assert_int_eq(line("ifconfig shmif0 down", err, sizeof(err)), 0);
	ck_assert_int_eq(ctl(RUMP_SIOCGIFFLAGS, &ifr), 0);
	ck_assert(!(ifr.ifr_value & RUMP_IFF_UP));

	/* Leave no interface for the next test (CK_FORK=no). */
	{
		struct rump_ifname ifn;

		memset(&ifn, 0, sizeof(ifn));
		strcpy(ifn.ifn_name, "shmif0");
		ck_assert_int_eq(ctl(RUMP_SIOCIFDESTROY, &ifn), 0);
	}
}
END_TEST

/* Each bad line fails, with a reason matching the expected prefix. */
static const struct {
	const char	*line;
	const char	*reason;
} bad_lines[] = {
	{ "ping 2001:db8::1", "unknown command 'ping'" },
	{ "sysctl", "sysctl: want NAME=VALUE" },
	{ "sysctl net.inet6.ip6.hlim", "sysctl net.inet6.ip6.hlim: want NAME=VALUE" },
	{ "sysctl =3", "sysctl =3: want NAME=VALUE" },
	{ "sysctl net.inet6.ip6.nosuch=1", "sysctl net.inet6.ip6.nosuch: no such node" },
	{ "sysctl net.inet6=1", "sysctl net.inet6: no such node" },
	{ "sysctl net.inet6.ip6.hlim=12x", "sysctl net.inet6.ip6.hlim: bad value '12x'" },
	{ "sysctl net.inet6.ip6.hlim=", "sysctl net.inet6.ip6.hlim: bad value ''" },
	{ "sysctl net.inet6.ip6.hlim=99999999999", "sysctl net.inet6.ip6.hlim: bad value" },
	{ "sysctl net.inet6.ip6.hlim=256", "sysctl net.inet6.ip6.hlim=256: Invalid argument" },
	{ "sysctl net.inet.ip.stats.badsum=0", "sysctl net.inet.ip.stats.badsum: not writable" },
	{ "ifconfig", "ifconfig: want IF and a command" },
	{ "ifconfig shmif0", "ifconfig: want IF and a command" },
	{ "ifconfig shmif0123456789abcdef create", "ifconfig shmif0123456789abcdef: bad interface name" },
	{ "ifconfig shmif0 create bogus", "ifconfig shmif0: unknown or repeated keyword" },
	{ "ifconfig shmif0 linkstr", "ifconfig shmif0: unknown or repeated keyword" },
	{ "ifconfig shmif0 inet6 2001:db8::1/129", "inet6 2001:db8::1/129: bad address" },
	{ "ifconfig shmif0 inet 198.51.100.1/33", "inet 198.51.100.1/33: bad address" },
	{ "ifconfig shmif0 inet 198.51.100.256", "inet 198.51.100.256: bad address" },
	{ "ifconfig shmif0 inet 198.51.100.1/", "inet 198.51.100.1/: bad address" },
	{ "ifconfig shmif0 inet 198.51.100.1/-1", "inet 198.51.100.1/-1: bad address" },
	{ "ifconfig shmif0 inet 2001:db8::1", "inet 2001:db8::1: bad address" },
	{ "ifconfig shmif0 inet6 1.2.3.4 inet6 ::1", "inet6 1.2.3.4: bad address" },
	{ "ifconfig shmif9 up", "ifconfig shmif9 up: No such device" },
	{ "ifconfig nosuch0 create", "ifconfig nosuch0 create: " },
	{ "route", "route: only 'route add' is supported" },
	{ "route delete default 198.51.100.1", "route: only 'route add' is supported" },
	{ "route add default", "route add: want [-inet|-inet6] DEST GATEWAY" },
	{ "route add -inet6 default", "route add: want [-inet|-inet6] DEST GATEWAY" },
	{ "route add default 198.51.100.1 extra", "route add: want" },
	{ "route add 300.0.0.0/8 198.51.100.1", "route add 300.0.0.0/8: bad destination" },
	{ "route add default 198.51.100.1/32", "route add: bad gateway 198.51.100.1/32" },
	{ "route add -inet6 default 198.51.100.1", "route add: bad gateway 198.51.100.1" },
	{ "route add default 198.51.100.1", "route add default 198.51.100.1: Network is unreachable" },
};

START_TEST(test_bad_line)
{
	char err[256];

	ck_assert_int_eq(line(bad_lines[_i].line, err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, bad_lines[_i].reason,
	    strlen(bad_lines[_i].reason)) == 0, "'%s': got '%s', want '%s'",
	    bad_lines[_i].line, err, bad_lines[_i].reason);
	/* Nothing was half done: no interface was created. */
	{
		struct rump_ifinfo ifi;

		memset(&ifi, 0, sizeof(ifi));
		ifi.ifi_query = RUMP_IFQ_NAME;
		strcpy(ifi.ifi_name, "shmif0");
		ck_assert_int_eq(ctl(RUMP_SIOCGIFINFO, &ifi), -1);
	}
}
END_TEST

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void
write_str(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

START_TEST(test_files)
{
	char path[128], err[256], want[256], *big;
	static const char nul[] = "sysctl net.inet6.ip6.hlim=9\n"
	    "sysctl net.inet6.ip6.hlim=7\0 trailing\n";
	size_t n = RS_CONFIG_LINEMAX + 1;

	snprintf(path, sizeof(path), "%s/c.conf", dir);
	/* Comments, blank lines, no final newline, CR LF. */
	write_str(path, "# node\n\nsysctl net.inet6.ip6.hlim=42\r\n"
	    "  sysctl net.inet6.ip6.forwarding=1");
	ck_assert_int_eq(rs_config_file(path, err, sizeof(err)), 0);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.hlim"), 42);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.forwarding"), 1);

	/* The first bad line stops the file; earlier lines stay applied. */
	write_str(path, "sysctl net.inet6.ip6.hlim=43\n\nfoo\n"
	    "sysctl net.inet6.ip6.hlim=44\n");
	ck_assert_int_eq(rs_config_file(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: unknown command 'foo' (sysctl, "
	    "ifconfig, route)", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.hlim"), 43);

	/* A NUL byte is refused, not silently cut. */
	write_file(path, nul, sizeof(nul) - 1);
	ck_assert_int_eq(rs_config_file(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: NUL byte", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(sysctl_int("net.inet6.ip6.hlim"), 9);

	/* One byte over the longest line. */
	big = malloc(n + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	big[n] = '\n';
	write_file(path, big, n + 1);
	free(big);
	ck_assert_int_eq(rs_config_file(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: line too long", path);
	ck_assert_str_eq(err, want);

	snprintf(path, sizeof(path), "%s/nosuch.conf", dir);
	ck_assert_int_eq(rs_config_file(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
}
END_TEST

static Suite *
rs_config_suite(void)
{
	Suite *s = suite_create("rs_config");
	TCase *tc = tcase_create("lines");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_good_lines);
	tcase_add_loop_test(tc, test_bad_line, 0,
	    sizeof(bad_lines) / sizeof(bad_lines[0]));
	tcase_add_test(tc, test_files);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(rs_config_suite());
}
