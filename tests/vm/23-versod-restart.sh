# kernels: 6.1
# A crash of versod leaves verso.ko usable: a new versod lights DSI-2 again
# and shows its client, read back through writeback.
. "$(dirname "$0")/lib.sh"
vm -W -m verso -t 300 -- "$TOP/tests/vm/versod-restart-guest.sh" "$BIN"
