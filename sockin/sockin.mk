# sockin/sockin.mk -- the sockin component: PF_INET/PF_INET6 sockets
# served by host sockets.  The kernel half is host-independent like
# netstack/ (tests/check-netstack-symbols.sh checks it); its host calls
# are rumpuser/rumpuser_sock.[ch].
noinst_LTLIBRARIES += libsockinkern.la
libsockinkern_la_SOURCES = sockin/sockin.c
librumpuser_la_SOURCES += rumpuser/rumpuser_sock.c rumpuser/rumpuser_sock.h
librumpnet_la_LIBADD += libsockinkern.la

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_sockin
TESTS += tests/unit/test_sockin
UNIT_TESTS += tests/unit/test_sockin
# The module list refers to sockin weakly, so the test builds it (and
# the default kernel's files, for rump_init_components) into itself.
tests_unit_test_sockin_SOURCES = tests/unit/test_sockin.c sockin/sockin.c \
	netstack/kern/rump.c netstack/kern/rump_syscalls.c
tests_unit_test_sockin_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sockin_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

# Scenario tests: a rump_server with sockin against host sockets on
# loopback, driven by a small librumpclient program.
check_PROGRAMS += tests/scenario/sockin_client
tests_scenario_sockin_client_SOURCES = tests/scenario/sockin_client.c
tests_scenario_sockin_client_LDADD = librumpclient.la
SOCKIN_SCENARIO_TESTS = \
	tests/scenario/sockin_tcp.sh \
	tests/scenario/sockin_udp.sh \
	tests/scenario/sockin_errors.sh
TESTS += $(SOCKIN_SCENARIO_TESTS)
dist_check_SCRIPTS += $(SOCKIN_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/sockin_lib.sh tests/scenario/sockin_host.py
