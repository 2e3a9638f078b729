# virtif/virtif.mk -- the virt interface (a host tap device): the
# kernel half, its hypercalls, its public creation call, man page and
# tests.  Paths are relative to the top directory.

# Hypercalls: /dev/net/tun, in a file of their own.
librumpuser_la_SOURCES += rumpuser/rumpuser_tap.c rumpuser/rumpuser_tap.h

# The kernel half is host-independent like netstack/: it is checked by
# tests/check-netstack-symbols.sh.
noinst_LTLIBRARIES += libvirtifkern.la
libvirtifkern_la_SOURCES = \
	virtif/if_virt.c \
	virtif/if_virt.h
# The public creation call sits with the other public entry points.
librumpnet_la_SOURCES += virtif/virtif_pub.c
rumpnetinclude_HEADERS += include/rumpnet/rump_virtif.h
librumpnet_la_LIBADD += libvirtifkern.la

dist_man_MANS += man/virt.4

# Scenario tests: a server in a network namespace of the test's own,
# its virt0 on a host tap, against the Linux stack (ping, nc).
check_PROGRAMS += tests/scenario/virtif_tcp
tests_scenario_virtif_tcp_SOURCES = tests/scenario/virtif_tcp.c
tests_scenario_virtif_tcp_LDADD = librumpclient.la
VIRTIF_SCENARIO_TESTS = \
	tests/scenario/virtif_ping.sh \
	tests/scenario/virtif_tcp.sh
TESTS += $(VIRTIF_SCENARIO_TESTS)
dist_check_SCRIPTS += $(VIRTIF_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/virtif_lib.sh

# Unit test: the driver against a fake host half (the test defines the
# rumpuser_tap_* calls over a SOCK_SEQPACKET pair).
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_virtif
TESTS += tests/unit/test_virtif
UNIT_TESTS += tests/unit/test_virtif
tests_unit_test_virtif_SOURCES = tests/unit/test_virtif.c \
	virtif/virtif_pub.c netstack/kern/rump.c
tests_unit_test_virtif_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_virtif_LDADD = libvirtifkern.la libnetstack.la \
	librumpuser.la $(CHECK_LIBS)
endif
