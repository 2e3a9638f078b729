# Runnable examples.
EXTRA_DIST += examples/demo.sh
