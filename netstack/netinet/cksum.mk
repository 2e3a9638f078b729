# netstack/netinet/cksum.mk -- the Internet checksum (included from the
# top-level Makefile.am through netstack/local.mk; paths are relative to
# the top directory).
#
# in_cksum.c is a library of its own so that its hot loop gets its own
# flags: -O2, and loops aligned to 64 bytes so that the loop's speed does
# not depend on where the linker puts it (bench/CKSUM-REPORT.md).  The
# user's CFLAGS come after these and win (a sanitizer build's -O1, say).
# libnetstack.la takes the objects in through its LIBADD.
noinst_LTLIBRARIES += libcksum.la
libcksum_la_SOURCES = \
	netstack/netinet/in_cksum.h \
	netstack/netinet/in_cksum.c
libcksum_la_CFLAGS = $(AM_CFLAGS) -O2 -falign-loops=64

# Throughput against plain loops and memcpy (bench/CKSUM-REPORT.md).
noinst_PROGRAMS += bench/cksum_bench
bench_cksum_bench_SOURCES = bench/cksum_bench.c
bench_cksum_bench_CFLAGS = $(AM_CFLAGS) -O2 -falign-loops=64
bench_cksum_bench_LDADD = libcksum.la
EXTRA_DIST += bench/CKSUM-REPORT.md

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_cksum
TESTS += tests/unit/test_cksum
UNIT_TESTS += tests/unit/test_cksum
tests_unit_test_cksum_SOURCES = tests/unit/test_cksum.c
tests_unit_test_cksum_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_cksum_LDADD = libcksum.la $(CHECK_LIBS)
endif
