#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs the KMS conformance programs inside a test VM and records one result
# per subtest.
#   tests/kms/run-suite.sh OUTDIR [PROGRAM...]
# KMS_DRIVER selects the driver (verso, vkms). Writes OUTDIR/PROGRAM.log and
# OUTDIR/results ("name pass|fail|skip" lines), prints the results and exits
# non-zero when a subtest failed or a program died.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${KMS_BIN:-$top/build/meson/tests/kms}
out=$1
shift
progs=${*:-kms-atomic kms-flip kms-crc kms-plane kms-writeback kms-props kms-addfb kms-lease kms-setmode kms-auth}
mkdir -p "$out"
: >"$out/results"
status=0
for p in $progs; do
	start=$(date +%s)
	# A hung program fails alone (rc 124) instead of the whole boot.
	timeout -k 5 150 "$bin/$p" >"$out/$p.log" 2>&1
	rc=$?
	# The first verdict after each "[ RUN ]" line; a RUN without a verdict
	# (the program died) and a failed group setup count as failures.
	awk -v prog="$p" -v rc="$rc" '
		/^\[ RUN      \] / { if (cur != "") print cur, "fail"; cur = $4; next }
		/^\[       OK \] / { if (cur == $4) { print cur, "pass"; cur = "" } next }
		/^\[  SKIPPED \] / { if (cur == $4) { print cur, "skip"; cur = "" } next }
		/^\[  FAILED  \] / { if (cur == $4) { print cur, "fail"; cur = "" }
			else if ($4 == "GROUP") print prog "/group-setup", "fail"; next }
		END { if (cur != "") print cur, "fail"
			if (rc > 128 || rc == 124) print prog "/exit", "fail" }
	' "$out/$p.log" >>"$out/results"
	echo "# $p: rc $rc, $(($(date +%s) - start)) s" >&2
done
sort -o "$out/results" "$out/results"
awk '{ n[$2]++; printf "%-64s %s\n", $1, $2 }
	END { printf "# pass %d, fail %d, skip %d\n", n["pass"], n["fail"], n["skip"] }' \
	"$out/results"
grep -q ' fail$' "$out/results" && status=1
exit $status
