# The examples of doc/TUTORIAL.md: commented scripts, a topology file,
# the minimal embedding program, and the test that runs them.
noinst_PROGRAMS += examples/minimal
examples_minimal_SOURCES = examples/minimal.c
examples_minimal_LDADD = librumpnet.la

GUIDE_EXAMPLES = \
	examples/two_node_lan.sh \
	examples/routed_three_node.sh \
	examples/offload_ab.sh \
	examples/live_wireshark.sh \
	examples/bus64.sh \
	examples/impairment.sh
EXTRA_DIST += $(GUIDE_EXAMPLES) doc/TUTORIAL.md doc/routed.png

dist_check_SCRIPTS += tests/scenario/examples_guide.sh
TESTS += tests/scenario/examples_guide.sh
