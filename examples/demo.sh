#!/bin/sh
# demo.sh -- the quick-start demo (run from the build directory).
set -eu
echo "rumpnet demo: the kernel core is built; see README.md"
