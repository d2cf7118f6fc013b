# kernels: 6.1
# versod on a panel without adaptive sync (VERSOD_NO_VRR=1 on verso.ko):
# idle switches to the slowest mode, and a new card, a slide or a client
# that starts drawing switch back to 120 Hz at once.
. "$(dirname "$0")/lib.sh"
export VM_APPEND="${VM_APPEND:-} firmware_class.path=$BIN/firmware"
vm -W -m verso -t 300 -- "$TOP/tests/vm/versod-modes-guest.sh" "$BIN"
