# SPDX-License-Identifier: MIT
# Sourced by guest scripts after guest-lib.bash: the phone's main shell,
# sway 1.7 on DSI-1, unprivileged with its seat from seatd, offering the
# non-desktop DSI-2 for lease at $XDG_RUNTIME_DIR/wayland-1.
SHELL_USER=nobody
chown $SHELL_USER "$XDG_RUNTIME_DIR"
chgrp video /dev/dri/card0 && chmod 660 /dev/dri/card0
seatd -u $SHELL_USER -l error >"$OUT/seatd.log" 2>&1 &
seatd_pid=$!
wait_for 10 test -S /run/seatd.sock || fail "seatd did not start"
SWAY_CFG=$(mktemp /tmp/sway.XXXXXX)
chmod 644 "$SWAY_CFG"
printf 'xwayland disable\noutput DSI-1 bg #204060 solid_color\n' >"$SWAY_CFG"
MORE_LOGS+=("$OUT/sway.log")
crtc_active() { # pipe: "1" when the pipe is lit
	sed -n "/^crtc\[[0-9]*\]: $1\$/,/active=/s/^[[:space:]]*active=//p" \
		"$DRI/state" | head -n 1
}
pipe_lit() { [ "$(crtc_active "$1")" = 1 ]; }
# Starts sway and waits until it offers DSI-2 and has lit DSI-1 (it can
# offer DSI-2 as it finds it, before its first commit on DSI-1). Sets
# sway_pid.
start_sway() {
	rm -f "$XDG_RUNTIME_DIR"/wayland-1*
	setpriv --reuid=$SHELL_USER --regid=nogroup \
		--groups="$(getent group video | cut -d: -f3)" \
		env -i PATH=/usr/bin:/bin HOME=/tmp XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" \
		WAYLAND_DISPLAY=wayland-1 LIBSEAT_BACKEND=seatd WLR_BACKENDS=drm \
		WLR_RENDERER=pixman sway -d -c "$SWAY_CFG" >>"$OUT/sway.log" 2>&1 &
	sway_pid=$!
	wait_for 60 grep -q "Offering output DSI-2" "$OUT/sway.log" ||
		{ fail "sway did not offer DSI-2 for lease"; return 1; }
	wait_for 10 pipe_lit pipe-0 || { fail "sway did not light DSI-1"; return 1; }
}
stop_seatd() {
	kill $seatd_pid 2>/dev/null
	wait $seatd_pid 2>/dev/null
}
