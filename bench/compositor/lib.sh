# SPDX-License-Identifier: MIT
# Sourced by run.sh (host) and vm-peers.sh (guest): what both do with a
# compositor started in the background as PID.

# Stops the compositor PID, TERM then KILL after STOP_TRIES x 50 ms; its
# own children (cage's placeholder, a startup client) go too, by id.
stop() {
	local kids
	[ -n "$PID" ] || return 0
	kids=$(pgrep -P $PID)
	kill -TERM $PID 2>/dev/null
	for _ in $(seq ${STOP_TRIES:-60}); do
		kill -0 $PID 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL $PID 2>/dev/null
	{ wait $PID; } 2>/dev/null
	[ -n "$kids" ] && kill -KILL $kids 2>/dev/null
	PID=
	return 0
}
