# kernels: 6.1
# The palm rule without read access to the touchscreen: versod runs as an
# unprivileged user on a seatd seat, as on a phone whose user is not in the
# input group, and the node is root's. libinput gets it from seatd, and the
# contact sizes are polled on that fd: palms stay from the client, taps
# reach it.
. "$(dirname "$0")/lib.sh"
BIN=${VERSO_BUILD:-$BIN}
vm -W -u -m verso -m uinput -m evdev -t 300 -- "$TOP/tests/vm/touch-seat-guest.sh" "$BIN"
