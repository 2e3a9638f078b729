# librumphijack: LD_PRELOAD library running a program's sockets in a
# rump kernel (rumphijack(3)).  It carries its own copy of the client
# code (built from librumpclient's sources with hidden symbols), so it
# exports only the calls of hijack_calls.def.  Paths are relative to the
# top directory.

lib_LTLIBRARIES += librumphijack.la
librumphijack_la_SOURCES = \
	tools/librumphijack/hijack.c \
	tools/librumphijack/hijack.h \
	tools/librumphijack/hijack_calls.def \
	tools/librumphijack/hijack_poll.c \
	tools/librumphijack/hijack_proc.c \
	tools/librumpclient/rumpclient.c \
	tools/librumpclient/rumpclient_int.h \
	tools/librumpclient/rumpclient_sys.c \
	tools/librumpclient/sp_proto.c \
	tools/librumpclient/sp_url.c
librumphijack_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
librumphijack_la_LIBADD = -ldl -lpthread
librumphijack_la_LDFLAGS = -module -avoid-version -shared

dist_man_MANS += man/rumphijack.3

# Test programs, run under LD_PRELOAD by tests/scenario/hijack_*.sh;
# built fortified so that the C library's checked entry points are
# exercised too.
HJTEST_CFLAGS = $(AM_CFLAGS) -O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
HJTEST_LDADD = -lpthread
check_PROGRAMS += tests/hijack/hj_sock tests/hijack/hj_fd \
	tests/hijack/hj_poll tests/hijack/hj_proc tests/hijack/hj_sig
tests_hijack_hj_sock_SOURCES = tests/hijack/hj_sock.c tests/hijack/hjtest.h
tests_hijack_hj_sock_CFLAGS = $(HJTEST_CFLAGS)
tests_hijack_hj_fd_SOURCES = tests/hijack/hj_fd.c tests/hijack/hjtest.h
tests_hijack_hj_fd_CFLAGS = $(HJTEST_CFLAGS)
tests_hijack_hj_poll_SOURCES = tests/hijack/hj_poll.c tests/hijack/hjtest.h
tests_hijack_hj_poll_CFLAGS = $(HJTEST_CFLAGS)
tests_hijack_hj_poll_LDADD = $(HJTEST_LDADD)
tests_hijack_hj_proc_SOURCES = tests/hijack/hj_proc.c tests/hijack/hjtest.h
tests_hijack_hj_proc_CFLAGS = $(HJTEST_CFLAGS)
tests_hijack_hj_sig_SOURCES = tests/hijack/hj_sig.c tests/hijack/hjtest.h
tests_hijack_hj_sig_CFLAGS = $(HJTEST_CFLAGS)
tests_hijack_hj_sig_LDADD = $(HJTEST_LDADD)

HIJACK_SCENARIO_TESTS = \
	tests/scenario/hijack_calls.sh \
	tests/scenario/hijack_config.sh \
	tests/scenario/hijack_nc.sh \
	tests/scenario/hijack_http.sh \
	tests/scenario/hijack_iperf3.sh \
	tests/scenario/hijack_sessions.sh
TESTS += $(HIJACK_SCENARIO_TESTS)
dist_check_SCRIPTS += $(HIJACK_SCENARIO_TESTS)
EXTRA_DIST += tests/scenario/hijack_lib.sh

# iperf3 through the hijack library, against Linux veth.
EXTRA_DIST += bench/hijack_bench.sh bench/HIJACK-REPORT.md

# The rumphijack command: LD_PRELOAD with checks.
bin_SCRIPTS += tools/librumphijack/rumphijack
CLEANFILES += tools/librumphijack/rumphijack
EXTRA_DIST += tools/librumphijack/rumphijack.in
tools/librumphijack/rumphijack: $(srcdir)/tools/librumphijack/rumphijack.in Makefile
	@$(MKDIR_P) tools/librumphijack
	sed -e 's|@libdir[@]|$(libdir)|g' \
	    $(srcdir)/tools/librumphijack/rumphijack.in > $@.tmp
	chmod +x $@.tmp
	mv $@.tmp $@
