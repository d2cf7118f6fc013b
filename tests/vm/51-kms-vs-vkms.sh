# kernels: 6.1
# The KMS conformance suite on verso and on vkms (writeback, overlay and
# cursor enabled), same 6.1 kernel: prints the subtest x driver table and
# fails unless verso passes every subtest vkms passes, and more.
# Results: build/test-logs/kms-vs-vkms/{verso,vkms}/ and table.txt.
. "$(dirname "$0")/lib.sh"
out=$TOP/build/test-logs/kms-vs-vkms
rm -rf "$out"
mkdir -p "$out/verso" "$out/vkms"
export VM_APPEND="${VM_APPEND:+$VM_APPEND }firmware_class.path=$BIN/firmware"
# Each run may fail subtests: the comparison below is the verdict. vkms,
# the reference, runs without -W: its own warnings are not ours to judge.
# The verso run of 50-kms-suite.sh on this kernel is reused when it is newer
# than the module and every suite program (run-all runs 50 first): one boot
# less. Otherwise verso runs here.
rc_verso=0
prev=$TOP/build/test-logs/kms-suite-$KSERIES
ko=$(ls "$TOP"/build/kernel/linux-headers-"$KSERIES".*/verso.ko 2>/dev/null | head -n 1)
if [ -s "$prev/results" ] && [ -n "$ko" ] && [ "$prev/results" -nt "$ko" ] &&
	[ -z "$(find "$BIN/tests/kms" "$TOP/tests/kms" -maxdepth 1 -type f \
		-newer "$prev/results" 2>/dev/null)" ]; then
	echo "# verso: reusing $prev/results"
	cp "$prev"/* "$out/verso/"
	grep -q ' fail$' "$out/verso/results" && rc_verso=1
else
	VM_CONSOLE_LOG=$out/verso/console.log vm -W -m verso -t 600 -o "$out/verso" -- \
		"$TOP/tests/kms/run-suite.sh" "$out/verso" >/dev/null || rc_verso=$?
fi
# A verso timeout is a failure (below), never retried.
[ "$rc_verso" != 124 ] || die "verso: the guest timed out (hung?); console in $out/verso/console.log"
run_vkms() {
	VM_CONSOLE_LOG=$out/vkms/console.log vm -m vkms -p vkms.enable_writeback=1 \
		-p vkms.enable_overlay=1 -p vkms.enable_cursor=1 -e KMS_DRIVER=vkms \
		-t 600 -o "$out/vkms" -- "$TOP/tests/kms/run-suite.sh" "$out/vkms" >/dev/null
}
rc_vkms=0
run_vkms || rc_vkms=$?
# vkms on 6.1 calls hrtimer_cancel() in vkms_disable_vblank(), under the
# vblank core's vblank_time_lock, while its timer callback may be waiting
# for that lock: a known upstream vkms bug that can hang the guest. Its
# runs are the reference, not under test: one timeout is retried.
if [ "$rc_vkms" = 124 ]; then
	mv "$out/vkms/console.log" "$out/vkms/console-timeout.log"
	echo "# vkms: the guest timed out, most likely vkms's own vblank deadlock" \
		"(hrtimer_cancel in vkms_disable_vblank, a known upstream bug);" \
		"console in $out/vkms/console-timeout.log; running vkms once more"
	rc_vkms=0
	run_vkms || rc_vkms=$?
fi
echo "# verso run: rc $rc_verso, vkms run: rc $rc_vkms"
# 0/1 are the suite's verdicts; anything else (timeout, warnings, harness)
# means a run did not complete.
case $rc_verso in 0 | 1) ;; *) die "verso run did not complete (rc $rc_verso)" ;; esac
case $rc_vkms in 0 | 1) ;; *) die "vkms run did not complete (rc $rc_vkms)" ;; esac
rc=0
"$TOP/tests/kms/compare.sh" "$out/verso/results" "$out/vkms/results" \
	>"$out/table.txt" || rc=$?
cat "$out/table.txt"
exit $rc
