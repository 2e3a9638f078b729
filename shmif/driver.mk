# shmif/driver.mk -- the shmif interface (kernel half) and its public
# creation call.  Host-independent like netstack/: it is checked by
# tests/check-netstack-symbols.sh.
noinst_LTLIBRARIES += libshmifkern.la
libshmifkern_la_SOURCES = \
	shmif/if_shmif.c \
	shmif/if_shmif.h
# The public creation call sits with the other public entry points.
librumpnet_la_SOURCES += shmif/shmif_pub.c
rumpnetinclude_HEADERS += include/rumpnet/rump_shmif.h
librumpnet_la_LIBADD += libshmifkern.la libshmifbus.la

if HAVE_CHECK
check_PROGRAMS += tests/unit/test_shmif_if
TESTS += tests/unit/test_shmif_if
UNIT_TESTS += tests/unit/test_shmif_if
tests_unit_test_shmif_if_SOURCES = tests/unit/test_shmif_if.c
tests_unit_test_shmif_if_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_shmif_if_LDADD = libshmifkern.la libshmifbus.la \
	libnetstack.la librumpuser.la $(CHECK_LIBS)
endif

# Process hypercalls for the bus lock's holder record.
librumpuser_la_SOURCES += rumpuser/rumpuser_proc.c rumpuser/rumpuser_proc.h
