#!/bin/sh
# SPDX-License-Identifier: MIT
# Fuzzes versod's config parser (config.c over libconfig) with libFuzzer,
# ASan and UBSan for a bounded time.
#
#   compositor/core/fuzz-config.sh [SECONDS]      default 60
#
# Seeds are tests/data/config/*.conf; the corpus and any reproducer go to
# $FUZZ_OUT (default build/fuzz-config). Exit status: 0 clean, 1 crash, leak,
# timeout or failed assertion, 2 usage, 77 (skip) without clang/libFuzzer.
#   CLANG    compiler with libFuzzer (default: clang)
set -eu

secs=${1:-60}
case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/build/fuzz-config}
clang=${CLANG:-clang}

if ! command -v "$clang" >/dev/null 2>&1; then
	echo "fuzz-config: $clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 77
fi
mkdir -p "$out/corpus" "$out/artifacts"

if ! "$clang" -std=c11 -g -O1 -D_POSIX_C_SOURCE=200809L \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter \
		-Wno-missing-field-initializers \
		"$here/fuzz-config.c" "$here/config.c" "$here/touch-filter.c" \
		"$here/gesture.c" "$here/carousel.c" "$here/frame-sched.c" \
		-lconfig -lm -o "$out/fuzz-config" 2>"$out/build.log"; then
	if grep -q -e 'libclang_rt.fuzzer' -e 'cannot find -lconfig' "$out/build.log"; then
		cat "$out/build.log" >&2
		echo "fuzz-config: missing libclang-rt-14-dev or libconfig-dev" >&2
		exit 77
	fi
	cat "$out/build.log" >&2
	exit 1
fi

rm -f "$out"/artifacts/crash-* "$out"/artifacts/leak-* \
	"$out"/artifacts/timeout-* "$out"/artifacts/oom-*
echo "fuzz-config: ${secs}s, seeds from tests/data/config, corpus $(ls "$out/corpus" | wc -l)"
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/fuzz-config.supp:print_suppressions=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$out/fuzz-config" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	-max_len=4096 -dict="$here/fuzz-config.dict" -print_final_stats=1 \
	-artifact_prefix="$out/artifacts/" "$out/corpus" "$top/tests/data/config" \
	>"$out/fuzz.log" 2>&1 || rc=$?

grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' \
	"$out/fuzz.log" || true
if [ "$rc" -ne 0 ] || ls "$out"/artifacts/crash-* "$out"/artifacts/leak-* \
		"$out"/artifacts/timeout-* >/dev/null 2>&1; then
	tail -n 40 "$out/fuzz.log" >&2
	echo "fuzz-config: FAILED (rc $rc), reproducers in $out/artifacts" >&2
	exit 1
fi
echo "fuzz-config: clean, corpus now $(ls "$out/corpus" | wc -l) inputs"
