# kernels: 6.1 6.12
# The module unloads cleanly after a client used it, with no kernel warnings.
. "$(dirname "$0")/lib.sh"
vm -W -m verso -t 180 -- sh -c "
	$BIN/tests/kms/kms-basic >/dev/null || exit 1
	rmmod verso || exit 1
	test ! -e /sys/module/verso || { echo 'verso still loaded'; exit 1; }
	! dmesg | grep -E 'WARNING|BUG:|leak|Call Trace'
"
