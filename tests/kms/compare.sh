#!/bin/bash
# SPDX-License-Identifier: MIT
# Compares two runs of tests/kms/run-suite.sh, verso against vkms.
#   tests/kms/compare.sh VERSO_RESULTS VKMS_RESULTS
# Prints one row per subtest (pass/fail/skip, "-" when not run) and fails
# unless verso passes every subtest vkms passes and passes more of them.
set -u
verso=$1 vkms=$2
awk -v V="$verso" -v K="$vkms" '
	FILENAME == V { v[$1] = $2; names[$1] = 1; next }
	FILENAME == K { k[$1] = $2; names[$1] = 1; next }
	END {
		n = 0
		for (t in names) list[++n] = t
		# insertion sort: awk has no portable sort
		for (i = 2; i <= n; i++) {
			x = list[i]
			for (j = i - 1; j >= 1 && list[j] > x; j--) list[j + 1] = list[j]
			list[j + 1] = x
		}
		printf "%-64s %-6s %-6s\n", "subtest", "verso", "vkms"
		bad = 0
		for (i = 1; i <= n; i++) {
			t = list[i]
			a = (t in v) ? v[t] : "-"
			b = (t in k) ? k[t] : "-"
			mark = ""
			if (b == "pass" && a != "pass") { mark = "  <-- regression against vkms"; bad++ }
			else if (a == "pass" && b != "pass") mark = "  (verso only)"
			printf "%-64s %-6s %-6s%s\n", t, a, b, mark
			cv[a]++; ck[b]++
		}
		printf "# verso: pass %d, fail %d, skip %d\n", cv["pass"], cv["fail"], cv["skip"]
		printf "# vkms:  pass %d, fail %d, skip %d\n", ck["pass"], ck["fail"], ck["skip"]
		if (bad) { printf "FAIL: %d subtests pass on vkms but not on verso\n", bad; exit 1 }
		if (cv["pass"] <= ck["pass"]) { print "FAIL: verso passes no more subtests than vkms"; exit 1 }
		print "OK: verso passes every subtest vkms passes, and " cv["pass"] - ck["pass"] " more"
	}
' "$verso" "$vkms"
