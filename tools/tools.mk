# The rump.* configuration tools (rump.ifconfig, rump.ping, rump.route,
# rump.netstat, rump.arp, rump.sysctl), their shared code, man pages,
# the shell helper library rumpnet.sh and the scenario tests.  The tools
# reach the server named by RUMP_SERVER through librumpclient and use
# only the public API.  Paths are relative to the top directory.

noinst_LTLIBRARIES += librntool.la
librntool_la_SOURCES = \
	tools/common/rntool.c \
	tools/common/rntool.h \
	tools/common/rnflags.c \
	tools/common/rnflags.h \
	tools/common/rnroute.c \
	tools/common/rnroute.h
RNTOOL_LDADD = librntool.la librumpclient.la

bin_PROGRAMS += tools/rump_ifconfig/rump.ifconfig
tools_rump_ifconfig_rump_ifconfig_SOURCES = tools/rump_ifconfig/ifconfig.c
tools_rump_ifconfig_rump_ifconfig_LDADD = $(RNTOOL_LDADD)

bin_PROGRAMS += tools/rump_ping/rump.ping
tools_rump_ping_rump_ping_SOURCES = tools/rump_ping/ping.c
tools_rump_ping_rump_ping_LDADD = $(RNTOOL_LDADD)

bin_PROGRAMS += tools/rump_route/rump.route
tools_rump_route_rump_route_SOURCES = tools/rump_route/route.c
tools_rump_route_rump_route_LDADD = $(RNTOOL_LDADD)

bin_PROGRAMS += tools/rump_netstat/rump.netstat
tools_rump_netstat_rump_netstat_SOURCES = tools/rump_netstat/netstat.c
tools_rump_netstat_rump_netstat_LDADD = $(RNTOOL_LDADD)

bin_PROGRAMS += tools/rump_arp/rump.arp
tools_rump_arp_rump_arp_SOURCES = tools/rump_arp/arp.c
tools_rump_arp_rump_arp_LDADD = $(RNTOOL_LDADD)

bin_PROGRAMS += tools/rump_sysctl/rump.sysctl
tools_rump_sysctl_rump_sysctl_SOURCES = tools/rump_sysctl/sysctl.c
tools_rump_sysctl_rump_sysctl_LDADD = $(RNTOOL_LDADD)

dist_man_MANS += man/rump.ifconfig.8 man/rump.ping.8 man/rump.route.8 \
	man/rump.netstat.1 man/rump.arp.8 man/rump.sysctl.8 man/rumpnet.sh.7

# The shell helper library for users' scripts.
dist_pkgdata_DATA = tools/rumpnet.sh

# Scenario tests: real servers on bus files, driven by the tools.
TOOLS_SCENARIO_TESTS = \
	tests/scenario/tools_ping.sh \
	tests/scenario/tools_forward.sh \
	tests/scenario/tools_route.sh \
	tests/scenario/tools_arp.sh \
	tests/scenario/ipv4_dad.sh \
	tests/scenario/icmp_redirect.sh \
	tests/scenario/tools_route_monitor.sh \
	tests/scenario/tools_mtu.sh \
	tests/scenario/tools_ifconfig.sh \
	tests/scenario/tools_sysctl.sh \
	tests/scenario/tools_cmdline.sh \
	tests/scenario/tools_inet6.sh
TESTS += $(TOOLS_SCENARIO_TESTS)
dist_check_SCRIPTS += $(TOOLS_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/tools_lib.sh

# Unit test of the shared code (parsing, flag names, netstat names).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_tools_common
TESTS += tests/unit/test_tools_common
UNIT_TESTS += tests/unit/test_tools_common
tests_unit_test_tools_common_SOURCES = tests/unit/test_tools_common.c
tests_unit_test_tools_common_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_tools_common_LDADD = $(RNTOOL_LDADD) $(CHECK_LIBS)
endif

# A client that holds a known set of sockets for tools_netstat.sh.
check_PROGRAMS += tests/scenario/sock_holder
tests_scenario_sock_holder_SOURCES = tests/scenario/sock_holder.c
tests_scenario_sock_holder_LDADD = librumpclient.la
dist_check_SCRIPTS += tests/scenario/tools_netstat.sh
TESTS += tests/scenario/tools_netstat.sh
