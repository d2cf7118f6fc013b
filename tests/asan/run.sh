#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs one headless test (or the unit tests) on the AddressSanitizer and
# UndefinedBehaviorSanitizer build in build/asan, then fails on what the
# sanitizers logged: a memory error or undefined behaviour in any verso
# binary, or a leak in versod (the one process that runs for days; test
# clients that exit mid-protocol may leave memory to the kernel).
#   tests/asan/run.sh unit | HEADLESS-TEST-NAME
set -u
cd "$(dirname "$0")/../.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
supp=$PWD/tests/asan/lsan.supp
# exitcode=0: the test's own verdict stays the test's; the logs are read
# below. log_exe_name tells versod's reports from a client's.
export ASAN_OPTIONS="log_path=$logs/asan:log_exe_name=1:detect_leaks=1:exitcode=0"
export LSAN_OPTIONS="suppressions=$supp:exitcode=0"
export UBSAN_OPTIONS="print_stacktrace=1:log_path=$logs/ubsan:log_exe_name=1"

if [ "$1" = unit ]; then
	# The fuzz smoke tests set their own sanitizer options and
	# suppressions; the rest fail by exit status (ASan and LSan exit
	# non-zero, UBSan halts).
	unset ASAN_OPTIONS LSAN_OPTIONS
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		meson test -C build/asan --suite unit --print-errorlogs
else
	VERSO_BUILD=$PWD/build/asan bash "tests/headless/$1.sh"
fi
rc=$?

bad=0
for f in "$logs"/*; do
	[ -e "$f" ] || continue
	exe=$(basename "$f" | cut -d. -f2)
	if grep -q -e "ERROR: AddressSanitizer" -e "runtime error" "$f" ||
			{ [ "$exe" = versod ] && grep -q "ERROR: LeakSanitizer" "$f"; }; then
		echo "--- sanitizer report from $exe"
		cat "$f"
		bad=1
	fi
done
[ $rc = 0 ] || exit $rc
exit $bad
