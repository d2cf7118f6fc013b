# kernels: 6.1 6.12
# Direct scanout on verso.ko: a dmabuf client at 120 Hz with zero copies,
# versod counting >= 95% scanned-out frames, and the driver's atomic state
# showing the client's own GEM object on the rear primary plane.
. "$(dirname "$0")/lib.sh"
# The rear panel driver loads its description from firmware.
export VM_APPEND="${VM_APPEND:-} firmware_class.path=$BIN/firmware"
vm -W -m verso -t 300 -- "$TOP/tests/vm/versod-scanout-guest.sh" "$BIN"
