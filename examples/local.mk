# Runnable examples.
EXTRA_DIST += examples/demo.sh

# A program embedding the kernel: joins a bus and pings a peer process.
noinst_PROGRAMS += examples/pingpeer
examples_pingpeer_SOURCES = examples/pingpeer.c
examples_pingpeer_LDADD = librumpnet.la
