# netstack/netinet TCP fragment (included from inet.mk): the protocol,
# its unit tests, the impaired-link harness, the tcpxfer example, and
# the scenario and benchmark scripts.
libnetstack_la_SOURCES += \
	netstack/netinet/tcp.h \
	netstack/netinet/tcp_var.h \
	netstack/netinet/tcp_fsm.h \
	netstack/netinet/tcp_seq.h \
	netstack/netinet/tcp_subr.c \
	netstack/netinet/tcp_input.c \
	netstack/netinet/tcp_output.c \
	netstack/netinet/tcp_timer.c \
	netstack/netinet/tcp_usrreq.c \
	netstack/netinet/tcp_sack.c \
	netstack/netinet/tcp_cc.c \
	netstack/netinet/tcp_inet6.c

EXTRA_DIST += \
	tests/unit/tcp_link.h \
	tests/unit/test_tcp_fixture.h \
	bench/tcp_bench.sh \
	bench/TCP-REPORT.md

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_tcp tests/unit/test_tcp_link
TESTS += tests/unit/test_tcp tests/unit/test_tcp_link
UNIT_TESTS += tests/unit/test_tcp tests/unit/test_tcp_link
tests_unit_test_tcp_SOURCES = tests/unit/test_tcp.c tests/unit/frametest.c
tests_unit_test_tcp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_tcp_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
tests_unit_test_tcp_link_SOURCES = tests/unit/test_tcp_link.c \
	tests/unit/tcp_link.c tests/unit/frametest.c
tests_unit_test_tcp_link_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_tcp_link_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_tcp6
TESTS += tests/unit/test_tcp6
UNIT_TESTS += tests/unit/test_tcp6
tests_unit_test_tcp6_SOURCES = tests/unit/test_tcp6.c \
	tests/unit/tcp_link.c tests/unit/frametest.c
tests_unit_test_tcp6_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_tcp6_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

# A program embedding the kernel: bulk transfer over a bus, SHA-256.
noinst_PROGRAMS += examples/tcpxfer
examples_tcpxfer_SOURCES = examples/tcpxfer.c examples/exnode.h
examples_tcpxfer_LDADD = librumpnet.la

# Two tcpxfer processes on one bus: 100 MB, SHA-256, valid checksums.
dist_check_SCRIPTS += tests/scenario/tcp_transfer.sh
TESTS += tests/scenario/tcp_transfer.sh

# The same over IPv6, plain and with TSOv6 and checksum offload.
dist_check_SCRIPTS += tests/scenario/tcp6_transfer.sh
TESTS += tests/scenario/tcp6_transfer.sh
