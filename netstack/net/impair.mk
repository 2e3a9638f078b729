# Link impairment (net/if_impair.[ch]): seeded loss, delay, duplication,
# reordering and corruption per Ethernet interface, and its unit test.
libnetstack_la_SOURCES += \
	netstack/net/if_impair.h \
	netstack/net/if_impair.c

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_impair
TESTS += tests/unit/test_impair
UNIT_TESTS += tests/unit/test_impair
tests_unit_test_impair_SOURCES = tests/unit/test_impair.c \
	tests/unit/test_net_fakeif.c
tests_unit_test_impair_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_impair_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

# Real processes: seeded loss, delay, and TCP through every impairment.
dist_check_SCRIPTS += tests/scenario/impair.sh
TESTS += tests/scenario/impair.sh
