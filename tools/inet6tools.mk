# The IPv6 tools: rump.ping6 and rump.ndp, clients of a rump kernel
# through librumpclient, with the shared code of tools/common.  Paths
# are relative to the top directory.
bin_PROGRAMS += tools/rump_ping6/rump.ping6
tools_rump_ping6_rump_ping6_SOURCES = tools/rump_ping6/ping6.c
tools_rump_ping6_rump_ping6_LDADD = librntool.la librumpclient.la

bin_PROGRAMS += tools/rump_ndp/rump.ndp
tools_rump_ndp_rump_ndp_SOURCES = tools/rump_ndp/ndp.c
tools_rump_ndp_rump_ndp_LDADD = librntool.la librumpclient.la

dist_man_MANS += man/rump.ping6.8 man/rump.ndp.8

# Scenario tests: real IPv6 servers on bus files (tools_lib.sh).
IPV6_SCENARIO_TESTS = \
	tests/scenario/ipv6_ping.sh \
	tests/scenario/ipv6_dad.sh \
	tests/scenario/ipv6_forward.sh
TESTS += $(IPV6_SCENARIO_TESTS)
dist_check_SCRIPTS += $(IPV6_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/ipv6_lib.sh
