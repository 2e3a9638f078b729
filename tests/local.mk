# Tests: unit (Check, in-process), scenario (shell, real processes), fuzz.
EXTRA_DIST += tests/unit/unit.h

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_kern
TESTS += tests/unit/test_kern
UNIT_TESTS += tests/unit/test_kern
tests_unit_test_kern_SOURCES = tests/unit/test_kern.c
tests_unit_test_kern_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_kern_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

# netstack/ must reference no host symbol but rumpuser_* and freestanding
# libc functions.
dist_check_SCRIPTS += tests/check-netstack-symbols.sh
TESTS += tests/check-netstack-symbols.sh

# Scenario tests: real processes on bus files.
EXTRA_DIST += tests/scenario/common.sh
dist_check_SCRIPTS += tests/scenario/two_node.sh
TESTS += tests/scenario/two_node.sh

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_offload
TESTS += tests/unit/test_offload
UNIT_TESTS += tests/unit/test_offload
tests_unit_test_offload_SOURCES = tests/unit/test_offload.c
tests_unit_test_offload_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_offload_LDADD = libnetstack.la librumpuser.la $(CHECK_LIBS)
endif
dist_check_SCRIPTS += tests/scenario/offload_matrix.sh
TESTS += tests/scenario/offload_matrix.sh
dist_check_SCRIPTS += tests/scenario/offload_faults.sh
TESTS += tests/scenario/offload_faults.sh
dist_check_SCRIPTS += tests/scenario/demo.sh
TESTS += tests/scenario/demo.sh
