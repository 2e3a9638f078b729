# Benchmarks and their reports.

# Scale: N nodes in a chain booted and pinged end to end, against Linux
# network namespaces with veth pairs (bench/SCALE-REPORT.md).  Nodes are
# configured either with the rump.* tools or with rump_server -f FILE,
# whose command interpreter lives with the server.
tools_rump_server_rump_server_SOURCES += \
	tools/rump_server/rs_config.c \
	tools/rump_server/rs_config.h
EXTRA_DIST += bench/scale_bench.sh bench/SCALE-REPORT.md
TESTS += tests/scenario/scale_chain.sh
dist_check_SCRIPTS += tests/scenario/scale_chain.sh

# Unit test: configuration lines against a kernel in the test process.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_rs_config
TESTS += tests/unit/test_rs_config
UNIT_TESTS += tests/unit/test_rs_config
tests_unit_test_rs_config_SOURCES = tests/unit/test_rs_config.c \
	tools/rump_server/rs_config.c
tests_unit_test_rs_config_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_rs_config_LDADD = librumpnet.la $(CHECK_LIBS)
endif
