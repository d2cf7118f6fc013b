# kernels: 6.1 6.12
# sway drives the main display (DSI-1) and offers the non-desktop DSI-2 for
# lease; versod leases it and drives it at 120 Hz at the same time. The
# lease comes back after versod exits, and a lost lessor stops versod.
# The rear touchscreen (uinput, on its own udev seat) reaches versod's
# client, is never opened by sway, and is taken again when plugged in again.
. "$(dirname "$0")/lib.sh"
vm -W -u -m verso -m uinput -m evdev -t 400 -- "$TOP/tests/vm/versod-lease-guest.sh" "$BIN"
