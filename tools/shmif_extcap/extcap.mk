# shmif_extcap: the Wireshark extcap program (every bus file a capture
# interface), installed into Wireshark's extcap folder (configure
# --with-extcapdir), its manual page and tests.
EXTCAP_PROG = tools/shmif_extcap/shmif_extcap
if INSTALL_EXTCAP
extcap_PROGRAMS = $(EXTCAP_PROG)
else
noinst_PROGRAMS += $(EXTCAP_PROG)
endif
tools_shmif_extcap_shmif_extcap_SOURCES = tools/shmif_extcap/shmif_extcap.c
tools_shmif_extcap_shmif_extcap_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSHMIF_DUMPBUS_PATH='"$(bindir)/shmif_dumpbus"'
tools_shmif_extcap_shmif_extcap_LDADD = $(PCAP_LIBS)
dist_man_MANS += man/shmif_extcap.1

# distcheck installs under its own prefix, never into Wireshark's folder.
AM_DISTCHECK_CONFIGURE_FLAGS = --with-extcapdir='$${libdir}/wireshark/extcap'

EXTCAP_TESTS = tests/scenario/extcap_queries.sh tests/scenario/extcap_tshark.sh
EXTRA_DIST += tests/scenario/extcap_lib.sh
TESTS += $(EXTCAP_TESTS)
dist_check_SCRIPTS += $(EXTCAP_TESTS)
