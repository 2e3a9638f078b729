# Runnable examples.
EXTRA_DIST += examples/demo.sh examples/offload_matrix.sh

# A program embedding the kernel: joins a bus and pings a peer process.
noinst_PROGRAMS += examples/pingpeer
examples_pingpeer_SOURCES = examples/pingpeer.c examples/exnode.h
examples_pingpeer_LDADD = librumpnet.la
