# kernels: 6.1 6.12
# The kms_vblank subtests with drm.vblankoffdelay=-1: the DRM core switches
# vblanks off as soon as the last reference goes, so every query or wait of
# the idle and forked variants switches them on and off again (thousands of
# times in all, four processes at once in the forked ones) while the vblank
# timer fires. Two things are checked:
# - no hang: a disable_vblank that waits for the timer callback (which takes
#   the core's vblank lock that disable_vblank runs under) hangs both guest
#   CPUs without a message; before that fix this hung 6.1 at once;
# - the frame grid holds across vblank off/on: query-idle and wait-idle
#   require timestamps a whole number of frames apart, which fails if the
#   timer starts a new grid on every enable.
# -W: no kernel warnings either.
. "$(dirname "$0")/lib.sh"
iterations=${VBLANK_STRESS_ITERATIONS:-4}
vm -W -m verso -p drm.vblankoffdelay=-1 -t 200 -- sh -c '
	n=$1
	for i in $(seq "$n"); do
		if ! KMS_FILTER="kms_vblank/*" timeout 60 "$2" >/tmp/vblank.log 2>&1; then
			cat /tmp/vblank.log
			echo "FAIL: iteration $i"
			exit 1
		fi
	done
	ran=$(grep -c "^\[ RUN      \]" /tmp/vblank.log)
	ok=$(grep -c "^\[       OK \]" /tmp/vblank.log)
	if [ "$ran" = 0 ] || [ "$ok" != "$ran" ]; then
		cat /tmp/vblank.log
		echo "FAIL: $ok of $ran subtests passed"
		exit 1
	fi
	echo "PASS: $n iterations of the $ok kms_vblank subtests with vblankoffdelay=-1"
' sh "$iterations" "$BIN/tests/kms/kms-flip"
