# kernels: 6.1 6.12
# Proximity on verso.ko: the real iio-sensor-proxy on a system bus polls a
# test IIO proximity sensor (tests/iio/verso_test_prox.ko); versod claims it
# while lit, drops taps while it is covered, releases it on blank unless
# covered (a pocket), wakes on a double tap out of the pocket, and follows
# the service leaving and coming back.
. "$(dirname "$0")/lib.sh"
BIN=${VERSO_BUILD:-$BIN}
vm -W -u -m verso -m uinput -m evdev -m verso_test_prox -t 300 -- \
	"$TOP/tests/vm/proximity-guest.sh" "$BIN"
