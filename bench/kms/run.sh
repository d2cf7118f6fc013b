#!/bin/bash
# SPDX-License-Identifier: MIT
# KMS benchmark: vblank period accuracy and flip-to-event latency of verso's
# rear pipe (DSI-2) at 120 Hz and at 60 Hz, side by side with vkms at 60 Hz,
# all on the same 6.1 kernel in the test VM (one boot per driver). Prints a
# table with the verso/vkms ratios and writes it to build/bench/kms.txt.
# Method: bench/README.md. Figures only: no timing is ever enforced.
#
# Environment: BENCH_KMS_SAMPLES (240 vblanks and 240 flips per run).
# Exit status: 0 when every run produced its figures, 1 when one failed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$TOP/build/meson}
OUTDIR=$TOP/build/bench
SAMPLES=${BENCH_KMS_SAMPLES:-240}
BENCH=$BIN/bench/kms/vblank-bench
warn() { echo "bench/kms: $*" >&2; }

if [ -f "$BIN/build.ninja" ]; then
	ninja -C "$BIN" bench/kms/vblank-bench >/dev/null || { warn "build failed"; exit 2; }
fi
[ -x "$BENCH" ] || { warn "missing $BENCH (build first)"; exit 2; }
mkdir -p "$OUTDIR"
raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
# The rear panel's firmware, wherever the VM harness does not point already.
export VM_APPEND="${VM_APPEND:+$VM_APPEND }firmware_class.path=$BIN/firmware"

status=0
"$TOP/tools/vm/vm-run" -k 6.1 -m verso -t 300 -o "$raw" -- sh -c "
	$BENCH -d verso -r 120 -n $SAMPLES >$raw/verso-120 &&
	$BENCH -d verso -r 60 -n $SAMPLES >$raw/verso-60" >&2 ||
	{ warn "verso run failed"; status=1; }
"$TOP/tools/vm/vm-run" -k 6.1 -m vkms -t 300 -o "$raw" -- \
	"$BENCH" -d vkms -r 60 -n "$SAMPLES" >"$raw/vkms-60" ||
	{ warn "vkms run failed"; status=1; }

table() {
	awk '
	FNR == 1 { col++; file[col] = FILENAME }
	{ v[col, $1] = $2; if (!($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 } }
	END {
		printf "%-26s %14s %14s %14s %12s %12s\n", "metric", "verso@120",
			"verso@60", "vkms@60", "v120/vkms", "v60/vkms"
		for (i = 1; i <= nk; i++) {
			k = keys[i]
			if (k == "driver" || k == "connector") continue
			a = v[1, k]; b = v[2, k]; c = v[3, k]
			r1 = r2 = "-"
			if (k != "mode" && c + 0 != 0) {
				r1 = sprintf("%.3f", a / c); r2 = sprintf("%.3f", b / c)
			}
			printf "%-26s %14s %14s %14s %12s %12s\n", k, a, b, c, r1, r2
		}
	}' "$raw/verso-120" "$raw/verso-60" "$raw/vkms-60"
}
{
	echo "KMS vblank/flip benchmark ($(date -u +%F), 6.1 kernel under TCG, $SAMPLES samples)"
	echo "period err: mean vblank timestamp delta per frame against the mode's exact frame time"
	echo "flip latency: CLOCK_MONOTONIC from the page-flip ioctl to its event being read"
	table
} | tee "$OUTDIR/kms.txt"
exit $status
