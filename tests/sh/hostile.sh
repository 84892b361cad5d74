#!/bin/sh
# hostile.sh: the hostile-input corpus (tests/hostile/), its fast cases; `make
# test-hostile` runs them all. See tests/hostile/run.sh for what each case
# must do.
cd "$(dirname "$0")/../.." || exit 2
exec sh tests/hostile/run.sh
