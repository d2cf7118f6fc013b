# kernels: 6.1 6.12
# The KMS conformance suite (tests/kms/kms-*: IGT-style subtests, see
# tests/kms/README.md) on verso, in one boot, failing on kernel warnings.
# Per-program logs and the results table: build/test-logs/kms-suite-SERIES/.
. "$(dirname "$0")/lib.sh"
out=$TOP/build/test-logs/kms-suite-$KSERIES
rm -rf "$out"
mkdir -p "$out"
# The rear panel's firmware blob, built into the meson tree.
export VM_APPEND="${VM_APPEND:+$VM_APPEND }firmware_class.path=$BIN/firmware"
vm -W -m verso -t 420 -o "$out" -- "$TOP/tests/kms/run-suite.sh" "$out"
