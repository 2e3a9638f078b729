# Remote use: rump_server, librumpclient, rump.halt, the protocol they
# share (tools/librumpclient/sp_proto.h), their man pages and tests.
# Paths are relative to the top directory.

# The wire protocol codec and URL parser, shared by both sides.
noinst_LTLIBRARIES += libsp.la
libsp_la_SOURCES = \
	tools/librumpclient/sp_proto.c \
	tools/librumpclient/sp_proto.h \
	tools/librumpclient/sp_url.c \
	tools/librumpclient/sp_url.h

# Aborting a client's kernel process from another thread.
libnetstack_la_SOURCES += netstack/kern/sp_kern.c netstack/kern/sp_kern.h

# librumpclient exports the rump_sys_* calls and rumpclient_* only.
lib_LTLIBRARIES += librumpclient.la
librumpclient_la_SOURCES = \
	tools/librumpclient/rumpclient.c \
	tools/librumpclient/rumpclient_int.h \
	tools/librumpclient/rumpclient_sys.c
librumpclient_la_LIBADD = libsp.la
librumpclient_la_LDFLAGS = -version-info 0:0:0 \
	-export-symbols-regex '^(rump_sys_|rumpclient_)'
rumpnetinclude_HEADERS += include/rumpnet/rumpclient.h

bin_PROGRAMS += tools/rump_server/rump_server
tools_rump_server_rump_server_SOURCES = \
	tools/rump_server/rump_server.c \
	tools/rump_server/sp_server.c \
	tools/rump_server/sp_server.h \
	tools/rump_server/sp_exec.c \
	tools/rump_server/sp_exec.h
tools_rump_server_rump_server_LDADD = libsp.la librumpnet.la

bin_PROGRAMS += tools/rump_halt/rump.halt
tools_rump_halt_rump_halt_SOURCES = tools/rump_halt/rump_halt.c
tools_rump_halt_rump_halt_LDADD = librumpclient.la

dist_man_MANS += man/rump_server.1 man/rump.halt.1 man/rumpclient.3

# Unit test: the codec, URLs, and every operation run through the
# server's executor against an in-process kernel.
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_sp
TESTS += tests/unit/test_sp
UNIT_TESTS += tests/unit/test_sp
tests_unit_test_sp_SOURCES = tests/unit/test_sp.c \
	tools/rump_server/sp_exec.c \
	netstack/kern/rump.c netstack/kern/rump_syscalls.c
tests_unit_test_sp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sp_LDADD = libsp.la libnetstack.la librumpuser.la \
	$(CHECK_LIBS)
endif

# Scenario tests: real servers, a test client linked with librumpclient
# and a hostile one written in Python.
check_PROGRAMS += tests/scenario/sp_client
tests_scenario_sp_client_SOURCES = tests/scenario/sp_client.c
tests_scenario_sp_client_LDADD = librumpclient.la
SERVER_SCENARIO_TESTS = \
	tests/scenario/server_lifecycle.sh \
	tests/scenario/server_cmdline.sh \
	tests/scenario/server_client.sh \
	tests/scenario/server_hostile.sh \
	tests/scenario/server_components.sh
TESTS += $(SERVER_SCENARIO_TESTS)
dist_check_SCRIPTS += $(SERVER_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/server_lib.sh

# The fuzz target's seeds, replayed as an ordinary test.
check_PROGRAMS += tests/fuzz/fuzz_sp_replay
TESTS += tests/fuzz/fuzz_sp_replay
UNIT_TESTS += tests/fuzz/fuzz_sp_replay
tests_fuzz_fuzz_sp_replay_SOURCES = tests/fuzz/fuzz_sp.c tests/fuzz/replay.h
tests_fuzz_fuzz_sp_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SP_REPLAY
tests_fuzz_fuzz_sp_replay_LDADD = libsp.la
EXTRA_DIST += tests/fuzz/corpus/sp

# The libFuzzer build (clang), on request only:
#   make fuzz-sp [SP_FUZZ_CC=clang-14]
#   make fuzz-sp-run [SP_FUZZ_TIME=60]
SP_FUZZ_CC = clang
SP_FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined
SP_FUZZ_TIME = 60
tests/fuzz/fuzz_sp: $(srcdir)/tests/fuzz/fuzz_sp.c \
    $(srcdir)/tools/librumpclient/sp_proto.c \
    $(srcdir)/tools/librumpclient/sp_proto.h
	@$(MKDIR_P) tests/fuzz
	$(SP_FUZZ_CC) $(SP_FUZZ_CFLAGS) -I$(top_srcdir) -I$(top_builddir) -o $@ \
	    $(srcdir)/tests/fuzz/fuzz_sp.c \
	    $(srcdir)/tools/librumpclient/sp_proto.c
fuzz-sp: tests/fuzz/fuzz_sp
fuzz-sp-run: tests/fuzz/fuzz_sp
	@$(MKDIR_P) tests/fuzz/corpus-sp-work
	./tests/fuzz/fuzz_sp -max_total_time=$(SP_FUZZ_TIME) \
	    -rss_limit_mb=4096 tests/fuzz/corpus-sp-work \
	    $(srcdir)/tests/fuzz/corpus/sp
clean-local: clean-sp-fuzz
clean-sp-fuzz:
	rm -rf tests/fuzz/fuzz_sp tests/fuzz/corpus-sp-work
.PHONY: fuzz-sp fuzz-sp-run clean-sp-fuzz
