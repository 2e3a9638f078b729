# tests/fuzz/fuzz.mk -- the frame-input and capture fuzz targets, the
# replay of every corpus in make check, and the libFuzzer builds.
# (fuzz_bus is built by shmif/local.mk, fuzz_sp by tools/server.mk.)

# Replays: ordinary programs that run each corpus once (any compiler,
# and under the sanitizers with the unit tests).
check_PROGRAMS += tests/fuzz/fuzz_frame_replay tests/fuzz/fuzz_pcap_replay
TESTS += tests/fuzz/fuzz_frame_replay tests/fuzz/fuzz_pcap_replay
UNIT_TESTS += tests/fuzz/fuzz_frame_replay tests/fuzz/fuzz_pcap_replay
tests_fuzz_fuzz_frame_replay_SOURCES = tests/fuzz/fuzz_frame.c \
	tests/fuzz/replay.h
tests_fuzz_fuzz_frame_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_FRAME_REPLAY
tests_fuzz_fuzz_frame_replay_LDADD = libnetstack.la librumpuser.la
tests_fuzz_fuzz_pcap_replay_SOURCES = tests/fuzz/fuzz_pcap.c \
	tools/shmif_pcap2bus/capture.c tools/shmif_pcap2bus/capture.h \
	tests/fuzz/replay.h
tests_fuzz_fuzz_pcap_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_PCAP_REPLAY
tests_fuzz_fuzz_pcap_replay_LDADD = libshmifbus.la $(PCAP_LIBS)
EXTRA_DIST += tests/fuzz/corpus/frame tests/fuzz/corpus/pcap \
	tests/fuzz/mkcorpus.py

# libFuzzer builds.  fuzz_frame and fuzz_pcap link the build's own
# libraries, so they need a build configured for it:
#   ../configure CC=clang \
#       CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" \
#       LDFLAGS="-fsanitize=address,undefined"
#   make fuzzers                 # all four targets
#   make fuzz-run [FUZZ_TIME=30] # each for FUZZ_TIME seconds
# fuzz-run mutates scratch corpora seeded from tests/fuzz/corpus/<name>
# and stops at the first crash, leaving the input as
# tests/fuzz/crash-<name>-*: fix the bug, then add the input (small) to
# the seed directory so make check replays it from then on.
FUZZ_TIME = 30
FUZZ_TARGETS = bus sp frame pcap
FUZZ_LINK = -fsanitize=fuzzer
FUZZ_COMPILE = $(CC) $(DEFS) -I. $(AM_CPPFLAGS) $(CPPFLAGS) -std=gnu11 \
	$(CFLAGS) $(FUZZ_LINK)
tests/fuzz/fuzz_frame: $(srcdir)/tests/fuzz/fuzz_frame.c libnetstack.la \
    librumpuser.la
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_COMPILE) -o $@ $(srcdir)/tests/fuzz/fuzz_frame.c \
	    .libs/libnetstack.a .libs/librumpuser.a $(LDFLAGS) -lpthread
tests/fuzz/fuzz_pcap: $(srcdir)/tests/fuzz/fuzz_pcap.c \
    $(srcdir)/tools/shmif_pcap2bus/capture.c libshmifbus.la
	@$(MKDIR_P) tests/fuzz
	$(FUZZ_COMPILE) -o $@ $(srcdir)/tests/fuzz/fuzz_pcap.c \
	    $(srcdir)/tools/shmif_pcap2bus/capture.c .libs/libshmifbus.a \
	    $(LDFLAGS) $(PCAP_LIBS)
fuzz-frame: tests/fuzz/fuzz_frame
fuzz-pcap: tests/fuzz/fuzz_pcap
fuzzers: fuzz-bus fuzz-sp fuzz-frame fuzz-pcap
fuzz-run: fuzzers
	@for t in $(FUZZ_TARGETS); do \
	    $(MKDIR_P) tests/fuzz/corpus-$$t-work || exit 1; \
	    echo "fuzz_$$t: $(FUZZ_TIME) s"; \
	    ./tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) \
	        -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
	        -artifact_prefix=tests/fuzz/crash-$$t- \
	        tests/fuzz/corpus-$$t-work $(srcdir)/tests/fuzz/corpus/$$t \
	        2> tests/fuzz/fuzz_$$t.log || { \
	        tail -50 tests/fuzz/fuzz_$$t.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units' tests/fuzz/fuzz_$$t.log; \
	done
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/fuzz_frame tests/fuzz/fuzz_pcap \
	    tests/fuzz/corpus-frame-work tests/fuzz/corpus-pcap-work \
	    tests/fuzz/fuzz_*.log
.PHONY: fuzz-frame fuzz-pcap fuzzers fuzz-run clean-fuzz
