#!/bin/bash
# SPDX-License-Identifier: MIT
# Misbehaving clients (a protocol error, a short stride, a pool that shrinks
# under the compositor, a 1 GiB buffer, a disconnect mid-frame, surfaces
# whose role object is gone but which keep a popup or an idle inhibitor,
# an overlay asking for sizes and margins near 2^31, an overlay that never
# acks its configure, a title that is not UTF-8)
# are dealt with one by one; versod keeps running and keeps showing the
# good client.
. "$(dirname "$0")/lib.bash"
shows() { # colour: waits up to 5 s for the screen to show it
	for _ in $(seq 25); do
		ctl screenshot "$OUT/s.png" >/dev/null 2>&1 &&
			"$BIN/tools/verso-capture/verso-pngcheck" -s 976x596 "$1" \
				"$OUT/s.png" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

start_versod
"$BIN/tools/present-probe/present-probe" --static --solid 208040 --duration 120 \
	>/dev/null &
good=$!
shows 208040 || fail "good client not shown"

for mode in role-twice bad-stride shrink huge disconnect popup-orphan \
	inhibit-orphan inhibit-orphan-layer layer-huge layer-no-ack \
	subsurface-orphan; do
	result=$(timeout 20 "$BIN/tests/clients/bad-client" $mode 2>&1)
	echo "$mode: $result" | tail -n 1
	# libwayland only requires stride >= width, so a too-short stride is
	# not a protocol error: versod must simply survive it.
	case $mode in
	role-twice)
		case $result in
		*"protocol error"*) ;;
		*) fail "$mode: the client was not disconnected" ;;
		esac ;;
	layer-huge)
		# Sizes and margins near 2^31 get the output's size at most.
		case $result in
		*"configured 976x596"*) ;;
		*) fail "$mode: not configured to the output's size" ;;
		esac ;;
	layer-no-ack)
		# 10000 commits without an ack: one configure, not a queue
		# growing in versod with every commit.
		case $result in
		*"configures 1"$'\n'*) ;;
		*) fail "$mode: $(echo "$result" | grep configures)" ;;
		esac ;;
	esac
	kill -0 $pid 2>/dev/null || { fail "versod died on '$mode'"; break; }
	shows 208040 || fail "after '$mode' the good client is not shown"
done

# A title that is not UTF-8, or holds a noncharacter sd-bus refuses, must
# not break ListCards for everybody: the card is listed, untitled, beside
# the good client.
listed() { [ "$(ctl cards 2>"$OUT/cards.err" | wc -l)" = 2 ]; }
for mode in bad-title nonchar-title; do
	"$BIN/tests/clients/bad-client" $mode >/dev/null 2>&1 &
	bad=$!
	for _ in $(seq 25); do listed && break; sleep 0.1; done
	listed || fail "ListCards with a $mode title: $(cat "$OUT/cards.err")"
	wait $bad
done

kill $good 2>/dev/null
wait $good 2>/dev/null
finish
