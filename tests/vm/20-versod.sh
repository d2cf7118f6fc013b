# kernels: 6.1 6.12
# versod on verso.ko: only DSI-2 lit at 976x596@120, presentation from
# vblank-driven page flips, zero commits while idle, writeback screenshot.
. "$(dirname "$0")/lib.sh"
vm -W -m verso -t 300 -- "$TOP/tests/vm/versod-guest.sh" "$BIN"
