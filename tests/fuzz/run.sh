#!/bin/sh
# SPDX-License-Identifier: MIT
# Fuzz the shared panel firmware parser (kernel/verso_panel_fw.c) with
# libFuzzer, ASan and UBSan for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS]        default 30
#
# Seeds are compiled from firmware/*.panel and tests/fuzz/seeds/*.panel with
# verso-panelc; the growing corpus and any crash reproducer live under
# $FUZZ_OUT (default build/fuzz). Exits 0 on a clean run, 1 on any crash,
# leak, timeout or broken invariant, and 77 (skip) without clang.
#   PANELC   verso-panelc to use (default: build it here)
#   CLANG    compiler with libFuzzer (default: clang)
set -eu

secs=${1:-30}
case $secs in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/build/fuzz}
clang=${CLANG:-clang}

if ! command -v "$clang" >/dev/null 2>&1; then
	echo "fuzz: $clang not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 77
fi
mkdir -p "$out/corpus" "$out/seeds" "$out/artifacts"

# The fuzzer: harness + the parser exactly as the kernel builds it.
"$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror \
	'-D__printf(a,b)=__attribute__((format(printf,a,b)))' \
	-I"$top/kernel" "$here/fuzz-panel-fw.c" "$top/kernel/verso_panel_fw.c" \
	-lz -o "$out/fuzz-panel-fw"

# Seeds, compiled by verso-panelc.
panelc=${PANELC:-}
if [ -z "$panelc" ]; then
	panelc=$out/verso-panelc
	cc -O1 -Wall -Wextra '-D__printf(a,b)=__attribute__((format(printf,a,b)))' \
		-I"$top/kernel" "$top/tools/panelc/panelc.c" \
		"$top/kernel/verso_panel_fw.c" -lconfig -lz -o "$panelc"
fi
for src in "$top"/firmware/*.panel "$here"/seeds/*.panel; do
	"$panelc" -o "$out/seeds/$(basename "$src" .panel).bin" "$src"
done

rm -f "$out"/artifacts/crash-* "$out"/artifacts/leak-* "$out"/artifacts/timeout-* \
	"$out"/artifacts/oom-*
echo "fuzz: ${secs}s over $(ls "$out/seeds" | wc -l) seeds and $(ls "$out/corpus" | wc -l) corpus inputs"
rc=0
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
"$out/fuzz-panel-fw" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	-max_len=4096 -dict="$here/panel-fw.dict" -print_final_stats=1 \
	-artifact_prefix="$out/artifacts/" "$out/corpus" "$out/seeds" \
	>"$out/fuzz.log" 2>&1 || rc=$?

grep -E '^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$out/fuzz.log" || true
if [ "$rc" -ne 0 ] || ls "$out"/artifacts/crash-* "$out"/artifacts/leak-* \
	"$out"/artifacts/timeout-* "$out"/artifacts/oom-* >/dev/null 2>&1; then
	tail -n 40 "$out/fuzz.log" >&2
	echo "fuzz: FAILED (rc $rc); reproducers in $out/artifacts" >&2
	exit 1
fi
echo "fuzz: clean"
