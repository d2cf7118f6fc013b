#!/bin/bash
# SPDX-License-Identifier: MIT
# Guest half of 23-versod-restart.sh. Usage: versod-restart-guest.sh BINDIR
. "$(dirname "$0")/guest-lib.bash"
# Starts versod with a solid-colour client; waits until it is shown.
start() { # colour
	start_versod -s "$PROBE --static --solid $1 --duration 300" &&
		expect_screen "$1" "$1" 60
}
start 3366cc || fail "first versod never showed its client"
# A crash: no cleanup, the DRM fd closes with the process.
kill -KILL $pid
wait $pid 2>/dev/null
echo "versod killed with SIGKILL"
start cc6633 || fail "a new versod did not light DSI-2 again"
[ "$(stat output)" = DSI-2 ] || fail "output is not DSI-2"
stop_versod
exit $status
