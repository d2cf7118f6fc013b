# kernels: 6.1
# The installed systemd user unit, run by a real systemd user manager in
# the guest beside sway 1.7: it leases DSI-2, starts the clock, restarts
# versod after a crash, stops cleanly, and gives up once the shell is gone.
# The unit's part is kernel-independent: 24 runs the lease on 6.12 too.
. "$(dirname "$0")/lib.sh"
out=$TOP/build/test-logs/versod-unit-$KSERIES
rm -rf "$out"
mkdir -p "$out"
# As a package would install it; the guest copies it into /usr/local.
meson install -C "$BIN" --destdir "$out/root" --no-rebuild --quiet ||
	{ echo "FAIL: meson install"; exit 1; }
vm -W -u -m verso -t 400 -o "$out" -- "$TOP/tests/vm/versod-unit-guest.sh" "$BIN"
