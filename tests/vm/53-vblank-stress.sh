# kernels: 6.1 6.12
# Vblank enable/disable racing the vblank timer. With drm.vblankoffdelay=-1
# the DRM core switches vblanks off as soon as the last reference goes, so the
# four processes of kms_vblank/query-forked and wait-forked make it call
# disable_vblank thousands of times while the timer fires. A disable_vblank
# that waits for the timer callback (which takes the core's vblank lock that
# disable_vblank runs under) hangs both guest CPUs without a message; before
# the fix this hung 6.1 in the first iteration. -W: no warnings either.
. "$(dirname "$0")/lib.sh"
iterations=${VBLANK_STRESS_ITERATIONS:-10}
vm -W -m verso -p drm.vblankoffdelay=-1 -t 400 -- sh -c '
	n=$1
	for i in $(seq "$n"); do
		if ! KMS_FILTER="kms_vblank/*-forked" timeout 60 "$2" >/tmp/flip.log 2>&1; then
			cat /tmp/flip.log
			echo "FAIL: iteration $i"
			exit 1
		fi
	done
	echo "PASS: $n iterations of kms_vblank/*-forked with vblankoffdelay=-1"
' sh "$iterations" "$BIN/tests/kms/kms-flip"
