#!/bin/sh
# sync_convergence_2.sh - the convergence test with a second fixed seed.
SEED=2
export SEED
exec bash "${top_srcdir:-.}/tests/sync_convergence.sh"
