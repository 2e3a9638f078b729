# shmif: the bus format library, its tools (shmif_dumpbus,
# shmif_pcap2bus), their man pages, tests, fuzz target and benchmark.
# Paths are relative to the top directory.

# The bus format alone: pure C over a mapped buffer, no host calls, so
# the kernel driver, the tools and the tests share it.
noinst_LTLIBRARIES += libshmifbus.la
libshmifbus_la_SOURCES = shmif/shmif_bus.c shmif/shmif_bus.h

# Host-side helpers shared by the tools and the benchmark.
SHMIF_TOOL_SOURCES = \
	tools/shmif_dumpbus/busfile.c \
	tools/shmif_dumpbus/busfile.h

bin_PROGRAMS += tools/shmif_dumpbus/shmif_dumpbus
tools_shmif_dumpbus_shmif_dumpbus_SOURCES = \
	tools/shmif_dumpbus/shmif_dumpbus.c \
	tools/shmif_dumpbus/dumpbus_out.c \
	tools/shmif_dumpbus/dumpbus_out.h \
	$(SHMIF_TOOL_SOURCES)
tools_shmif_dumpbus_shmif_dumpbus_LDADD = libshmifbus.la librumpuser.la \
	$(PCAP_LIBS)

bin_PROGRAMS += tools/shmif_pcap2bus/shmif_pcap2bus
tools_shmif_pcap2bus_shmif_pcap2bus_SOURCES = \
	tools/shmif_pcap2bus/shmif_pcap2bus.c \
	tools/shmif_pcap2bus/capture.c \
	tools/shmif_pcap2bus/capture.h \
	$(SHMIF_TOOL_SOURCES)
tools_shmif_pcap2bus_shmif_pcap2bus_LDADD = libshmifbus.la librumpuser.la \
	$(PCAP_LIBS)

dist_man_MANS += man/shmif_dumpbus.1 man/shmif_pcap2bus.1

# Unit test of the format library.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_shmif_bus
TESTS += tests/unit/test_shmif_bus
UNIT_TESTS += tests/unit/test_shmif_bus
tests_unit_test_shmif_bus_SOURCES = tests/unit/test_shmif_bus.c
tests_unit_test_shmif_bus_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_shmif_bus_LDADD = libshmifbus.la librumpuser.la $(CHECK_LIBS)
endif

# Scenario tests: the tools as a user runs them.
SHMIF_SCENARIO_TESTS = \
	tests/scenario/dumpbus_basic.sh \
	tests/scenario/dumpbus_errors.sh \
	tests/scenario/dumpbus_follow.sh
TESTS += $(SHMIF_SCENARIO_TESTS)
dist_check_SCRIPTS += $(SHMIF_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/dumpbus_lib.sh

# The fuzz target's seeds, replayed as an ordinary test (any compiler,
# and under the sanitizers with the unit tests).
check_PROGRAMS += tests/fuzz/fuzz_bus_replay
TESTS += tests/fuzz/fuzz_bus_replay
UNIT_TESTS += tests/fuzz/fuzz_bus_replay
tests_fuzz_fuzz_bus_replay_SOURCES = tests/fuzz/fuzz_bus.c tests/fuzz/replay.h
tests_fuzz_fuzz_bus_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_BUS_REPLAY
tests_fuzz_fuzz_bus_replay_LDADD = libshmifbus.la
EXTRA_DIST += tests/fuzz/corpus/bus

# The libFuzzer build needs clang; it is built on request only:
#   make fuzz-bus [SHMIF_FUZZ_CC=clang-14]
#   make fuzz-bus-run [SHMIF_FUZZ_TIME=60]
# fuzz-bus-run mutates a scratch corpus seeded from tests/fuzz/corpus/bus;
# copy inputs worth keeping (small ones) back into the seed directory.
SHMIF_FUZZ_CC = clang
SHMIF_FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined
SHMIF_FUZZ_TIME = 60
tests/fuzz/fuzz_bus: $(srcdir)/tests/fuzz/fuzz_bus.c \
    $(srcdir)/shmif/shmif_bus.c $(srcdir)/shmif/shmif_bus.h
	@$(MKDIR_P) tests/fuzz
	$(SHMIF_FUZZ_CC) $(SHMIF_FUZZ_CFLAGS) -I$(top_srcdir) -o $@ \
	    $(srcdir)/tests/fuzz/fuzz_bus.c $(srcdir)/shmif/shmif_bus.c
fuzz-bus: tests/fuzz/fuzz_bus
fuzz-bus-run: tests/fuzz/fuzz_bus
	@$(MKDIR_P) tests/fuzz/corpus-bus-work
	./tests/fuzz/fuzz_bus -max_total_time=$(SHMIF_FUZZ_TIME) \
	    -rss_limit_mb=4096 tests/fuzz/corpus-bus-work \
	    $(srcdir)/tests/fuzz/corpus/bus
clean-local: clean-shmif-fuzz
clean-shmif-fuzz:
	rm -rf tests/fuzz/fuzz_bus tests/fuzz/corpus-bus-work
.PHONY: fuzz-bus fuzz-bus-run clean-shmif-fuzz

# Benchmark: bench/bus_bench.sh runs it with the tools; results and how
# to read them in bench/BUS-REPORT.md.
noinst_PROGRAMS += bench/bus_bench
bench_bus_bench_SOURCES = bench/bus_bench.c $(SHMIF_TOOL_SOURCES)
bench_bus_bench_LDADD = libshmifbus.la librumpuser.la
EXTRA_DIST += bench/bus_bench.sh bench/BUS-REPORT.md

# Bus faults: a lock holder killed with the lock held (bus_lockhold is
# the holder), nodes killed mid-transfer, a saturated bus of 8 nodes.
check_PROGRAMS += tests/scenario/bus_lockhold
tests_scenario_bus_lockhold_SOURCES = tests/scenario/bus_lockhold.c \
	$(SHMIF_TOOL_SOURCES)
tests_scenario_bus_lockhold_LDADD = libshmifbus.la librumpuser.la
SHMIF_FAULT_TESTS = \
	tests/scenario/bus_lockbreak.sh \
	tests/scenario/overload_bus.sh \
	tests/scenario/bus_nodekill.sh \
	tests/scenario/bus_watch.sh \
	tests/scenario/hostile_frames.sh
TESTS += $(SHMIF_FAULT_TESTS)
dist_check_SCRIPTS += $(SHMIF_FAULT_TESTS)
EXTRA_DIST += tests/scenario/bus_lib.sh tests/scenario/hostile_frames.py
check_PROGRAMS += tests/scenario/hostile_listen
tests_scenario_hostile_listen_SOURCES = tests/scenario/hostile_listen.c
tests_scenario_hostile_listen_LDADD = librumpclient.la
