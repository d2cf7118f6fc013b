# kernels: 6.1 6.12
# The KMS conformance suite (tests/kms/kms-*: IGT-style subtests, see
# tests/kms/README.md) on verso, in one boot, failing on kernel warnings.
# Per-program logs, the results table and the guest console:
# build/test-logs/kms-suite-SERIES/.
. "$(dirname "$0")/lib.sh"
out=$TOP/build/test-logs/kms-suite-$KSERIES
rm -rf "$out"
mkdir -p "$out"
# The rear panel's firmware blob, built into the meson tree.
export VM_APPEND="${VM_APPEND:+$VM_APPEND }firmware_class.path=$BIN/firmware"
# The console of every run is kept, so that a hung guest (vm-run prints only
# its tail) can be read in full. A timeout is a failure: not retried.
export VM_CONSOLE_LOG=$out/console.log
rc=0
vm -W -m verso -t 420 -o "$out" -- "$TOP/tests/kms/run-suite.sh" "$out" || rc=$?
[ $rc != 124 ] || echo "FAIL: kms-suite: the guest timed out (hung?); console in $VM_CONSOLE_LOG" >&2
exit $rc
