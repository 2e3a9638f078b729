# rumpnet-topo: the topology runner (a shell program on rumpnet.sh), its
# manual page, and its tests.
bin_SCRIPTS += tools/rumpnet-topo
CLEANFILES += tools/rumpnet-topo
EXTRA_DIST += tools/rumpnet-topo.in examples/routed.topo
tools/rumpnet-topo: $(srcdir)/tools/rumpnet-topo.in Makefile
	@$(MKDIR_P) tools
	$(AM_V_GEN)sed -e 's,@pkgdatadir@,$(pkgdatadir),g' \
	    $(srcdir)/tools/rumpnet-topo.in > $@.tmp && \
	    chmod +x $@.tmp && mv -f $@.tmp $@
dist_man_MANS += man/rumpnet-topo.1

TOPO_TESTS = tests/scenario/topo_run.sh tests/scenario/topo_errors.sh
TESTS += $(TOPO_TESTS)
dist_check_SCRIPTS += $(TOPO_TESTS)
check_SCRIPTS += tools/rumpnet-topo
