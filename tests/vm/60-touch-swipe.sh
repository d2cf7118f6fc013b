# kernels: 6.1
# Touch on verso.ko: a uinput touchscreen (evdev, udevd in the guest) reaches versod
# through libinput; a swipe switches cards, an edge grip does not, a tap
# reaches the client as wl_touch, and palms (contact size from the evdev
# node) are kept from it.
. "$(dirname "$0")/lib.sh"
BIN=${VERSO_BUILD:-$BIN}
vm -W -u -m verso -m uinput -m evdev -t 300 -- "$TOP/tests/vm/touch-guest.sh" "$BIN"
