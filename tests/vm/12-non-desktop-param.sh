# kernels: 6.1
# rear_non_desktop=0 turns the rear connector into a desktop output.
. "$(dirname "$0")/lib.sh"
vm -W -m verso -p verso.rear_non_desktop=0 -t 180 \
	-e KMS_EXPECT_NON_DESKTOP=0 -- "$BIN/tests/kms/kms-basic"
