# kernels: 6.1
# versod power on verso.ko: idle -> adaptive sync, zero idle wakeups, blank
# after the configured timeout (CRTC off), wake, SetPower and
# wlr-output-power-management, backlight through sysfs.
. "$(dirname "$0")/lib.sh"
# The rear panel driver loads its description from firmware.
export VM_APPEND="${VM_APPEND:-} firmware_class.path=$BIN/firmware"
vm -W -m verso -t 300 -- "$TOP/tests/vm/versod-power-guest.sh" "$BIN"
