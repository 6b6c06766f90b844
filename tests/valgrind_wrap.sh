#!/bin/sh
# valgrind_wrap.sh - run the binary under valgrind memcheck for make
# check-valgrind: an error, or a leak that is definitely lost, exits 99.
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --track-origins=no "${GUANQING_REAL:?}" "$@"
