# Benchmarks and their reports.

# Scale: N nodes in a chain booted and pinged end to end, against Linux
# network namespaces with veth pairs (bench/SCALE-REPORT.md).  Nodes are
# configured either with the rump.* tools or with rump_server -c FILE,
# whose command interpreter lives with the server.
tools_rump_server_rump_server_SOURCES += \
	tools/rump_server/rs_config.c \
	tools/rump_server/rs_config.h
EXTRA_DIST += bench/scale_bench.sh bench/SCALE-REPORT.md
TESTS += tests/scenario/scale_chain.sh
dist_check_SCRIPTS += tests/scenario/scale_chain.sh
