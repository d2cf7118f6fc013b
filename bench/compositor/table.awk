#!/usr/bin/awk -f
# SPDX-License-Identifier: MIT
# Formats bench/compositor/run.sh's figures. First file: "COMP METRIC VALUE"
# lines, one per round; second file: key=value words from the VM run, and
# its unprivileged DRM part as "drmrec COMP METRIC VALUE" lines (one per
# round; kept as metric drm_METRIC), "drmfloor VARIANT US" lines (one per
# round) and "drmnote=TEXT" lines.
# Variables: comps (list, versod first), rounds, secs, idle.

function median(s,    a, n, i, j, t) {
	n = split(s, a, " ")
	if (n == 0)
		return ""
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	# Strings (a size @ rate) have no mean: the lower middle one.
	return n % 2 ? a[(n + 1) / 2] : a[1] ~ /[x@]/ ? a[n / 2] : \
		(a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(v) {
	if (v == "")
		return "-"
	if (v ~ /[x@]/)
		return v
	return v + 0 >= 100 ? sprintf("%.0f", v) : v + 0 >= 10 ? \
		sprintf("%.1f", v) : sprintf("%.3g", v)
}
# The best (lowest) peer's median of m, or "".
function best_peer(m,    i, best, v) {
	best = ""
	for (i = 2; i <= nc; i++) {
		v = med[c[i], m]
		if (v != "" && (best == "" || v + 0 < best + 0))
			best = v
	}
	return best
}
# versod / best peer.
function ratio(m,    best) {
	best = best_peer(m)
	if (best == "" || med["versod", m] == "")
		return ""
	if (best + 0 == 0)
		return med["versod", m] + 0 == 0 ? "1.00" : "inf"
	return sprintf("%.2f", med["versod", m] / best)
}
function row(label, m, with_ratio,    i, line) {
	line = sprintf("%-40s", label)
	for (i = 1; i <= nc; i++)
		line = line sprintf(" %11s", fmt(med[c[i], m]))
	if (with_ratio)
		line = line sprintf(" %11s", ratio(m) == "" ? "-" : ratio(m))
	print line
	R[m] = ratio(m)
}
# CPU time and context switches per frame of the three loads; P: "" for
# headless, "drm_" for the DRM block.
function frame_rows(p) {
	row("CPU ms/frame, fullscreen, full damage", p "cpu_full", 1)
	row("CPU ms/frame, 250x250 window", p "cpu_window", 1)
	row("CPU ms/frame, fullscreen, 32x32 damage", p "cpu_region", 1)
	if (p == "") {
		row("instr/frame (callgrind), full damage", "ir_full", 1)
		row("instr/frame (callgrind), 250x250 window", "ir_window", 1)
		row("instr/frame (callgrind), 32x32 damage", "ir_region", 1)
	}
	row("context switches/frame, full damage", p "ctx_full", 1)
	row("context switches/frame, 250x250 window", p "ctx_window", 1)
	row("context switches/frame, 32x32 damage", p "ctx_region", 1)
}

function target(text, ok) {
	printf "  [%s] %s\n", ok, text
}
function metnot(r, limit) {
	if (r == "" || r == "inf")
		return r == "inf" ? "not met" : "n/a"
	return r + 0 <= limit ? "met" : "not met"
}

FNR == NR {
	vals[$1, $2] = vals[$1, $2] " " $3
	next
}
$1 == "drmrec" {
	vals[$2, "drm_" $3] = vals[$2, "drm_" $3] " " $4
	next
}
$1 == "drmfloor" {
	floorv[$2] = floorv[$2] " " $3
	next
}
/^drmnote=/ {
	sub(/^drmnote=/, "")
	# Once each, however many rounds said it.
	if (!($0 in noted)) {
		noted[$0] = 1
		notes[++nnotes] = $0
	}
	next
}
{
	for (i = 1; i <= NF; i++)
		if (split($i, kv, "=") == 2)
			vm[kv[1]] = kv[2]
		else if ($i !~ /=/ && prev != "")
			vm[prev] = vm[prev] " " $i
	if (NF && $NF ~ /=/)
		prev = ""
}
/^drm_mode=/ { sub(/^drm_mode=/, ""); vm["drm_mode"] = $0 }

END {
	nc = split(comps, c, " ")
	for (k in vals) {
		split(k, p, SUBSEP)
		med[p[1], p[2]] = median(vals[k])
	}
	printf "Compositor benchmark: median of %d interleaved rounds, headless backend,\n", rounds
	printf "pixman renderer, all compositors as an unprivileged user; %s s per load.\n\n", secs
	head = sprintf("%-40s", "metric (lower is better)")
	for (i = 1; i <= nc; i++)
		head = head sprintf(" %11s", c[i])
	print head sprintf(" %11s", "versod/best")
	frame_rows("")
	row(sprintf("idle CPU ms/s (static client, %d s)", idle), "idle_cpu", 1)
	row("peak RSS MiB (VmHWM)", "rss_mib", 1)
	row("startup to first frame, ms", "startup_ms", 1)
	print ""
	print "context (not compared):"
	row("client frames/s, full damage", "fps_full", 0)
	row("client frames/s, 32x32 damage", "fps_region", 0)
	row("client size @ frame rate", "mode", 0)
	row("idle wakeups/s (headless timer)", "idle_wakeups", 0)

	print ""
	drm_ok = vm["drm_exit"] == "0" && vm["drm_error"] == "" && vm["drm_lat_n"] + 0 > 0
	if (drm_ok) {
		printf "versod alone on DRM (%s in the VM, pixman, root; read through versoctl):\n", \
			vm["drm_driver"] == "vkms" ? "vkms, verso.ko lit nothing" : "verso.ko"
		printf "  output                               %s\n", vm["drm_mode"]
		printf "  commit-to-present latency (wl_shm)   mean %s us, p50 %s us, p99 %s us (%s frames, clock %s)\n", \
			vm["drm_lat_mean_us"], vm["drm_lat_p50_us"], vm["drm_lat_p99_us"], \
			vm["drm_lat_n"], vm["drm_lat_clock"]
		printf "  presented interval (wl_shm)          %s us\n", vm["drm_shm_interval_us"]
		printf "  wl_shm frames scanned out            %s of %s (composited %s)\n", \
			vm["drm_shm_scanout"], vm["drm_shm_scanout"] + vm["drm_shm_composited"], \
			vm["drm_shm_composited"]
		printf "  idle, %s s with a static client      %s context switches, %s commits, %s dispatches (incl. versoctl's own)\n", \
			vm["drm_idle_seconds"], vm["drm_idle_ctxt"], vm["drm_idle_commits"], \
			vm["drm_idle_wakeups"]
		if (vm["drm_dmabuf_error"] != "") {
			e = vm["drm_dmabuf_error"]; gsub(/_/, " ", e)
			printf "  dmabuf client                        not run: %s\n", e
		} else
			printf "  dmabuf client (GLES2, kms_swrast)    %s of %s client presents zero-copy; versod: %s frames scanned out, %s composited (map and exit)\n", \
				vm["drm_dmabuf_zero_copy"], vm["drm_dmabuf_presented"], \
				vm["drm_dmabuf_scanout"], vm["drm_dmabuf_composited"]
		if (vm["drm_dmabuf_strace_frames"] + 0 > 0)
			printf "  atomic ioctls per scanned-out frame  %.2f (%s in %s frames, strace; test-only ones included)\n", \
				vm["drm_dmabuf_strace_atomic"] / vm["drm_dmabuf_strace_frames"], \
				vm["drm_dmabuf_strace_atomic"], vm["drm_dmabuf_strace_frames"]
	} else
		print "versod on DRM: not run (BENCH_VM=0), or the VM run failed (see stderr)"

	drm_peers = vm["drm_peers_exit"] == "0"
	if (drm_peers) {
		print ""
		printf "Compositors on DRM (%s %s in the VM, QEMU TCG): median of %d interleaved\n", \
			vm["drm_driver"] == "vkms" ? "vkms" : "verso.ko", \
			vm["drm_peers_output"], vm["drm_peers_rounds"]
		printf "rounds, pixman renderer (wl_shm is never scanned out: every frame is\n"
		printf "composited), all compositors as an unprivileged user on a seatd seat;\n"
		printf "%s s per load. Guest CPU time under TCG (emulated, and shared with the\n", \
			vm["drm_peers_secs"]
		printf "host's other work): compare ratios, not values with the headless block.\n\n"
		print head sprintf(" %11s", "versod/best")
		frame_rows("drm_")
		row(sprintf("idle CPU ms/s (static client, %d s)", idle), "drm_idle_cpu", 1)
		row("idle wakeups/s (context switches)", "drm_idle_wakeups", 1)
		row("commit-to-present mean, us (wl_shm)", "drm_lat_mean", 1)
		row("commit-to-present p99, us (wl_shm)", "drm_lat_p99", 1)
		print ""
		print "context (not compared):"
		row("kernel share of CPU %, full damage", "drm_sys_full", 0)
		row("kernel share of CPU %, 32x32 damage", "drm_sys_region", 0)
		row("client frames/s, full damage", "drm_fps_full", 0)
		row("client frames/s, 32x32 damage", "drm_fps_region", 0)
		row("client frames per load, full damage", "drm_frames_full", 0)
		row("client size @ frame rate", "drm_mode", 0)
		if (floorv["floor_client"] != "")
			printf "  no compositor (bench/kms/flip-floor), CPU ms/frame: a flip %s, with\n" \
				"  the client round trip %s, and with wlroots' test commit and damage blobs %s\n", \
				fmt(median(floorv["floor_flip"]) / 1000), \
				fmt(median(floorv["floor_client"]) / 1000), \
				fmt(median(floorv["floor_wlr"]) / 1000)
		print "  DSI-1 is disabled in sway's and phoc's configs; cage 0.1.4 cannot name an"
		print "  output and runs with -m last (the last connected one, DSI-2); phoc's"
		print "  DPI-derived scale (1.5) is set to 1 with wlr-randr after it starts."
		for (i = 1; i <= nnotes; i++)
			printf "  note: %s\n", notes[i]
	} else if (drm_ok)
		print "\nCompositors on DRM, unprivileged: not run or incomplete (see stderr)"

	print ""
	print "Targets (issue 4 item 9; informational, never enforced):"
	print "  on headless (direct scanout: mostly the event-loop floor):"
	target("CPU per frame <= best peer, fullscreen full damage (ratio " R["cpu_full"] ")", metnot(R["cpu_full"], 1))
	target("CPU per frame <= best peer, 250x250 window (ratio " R["cpu_window"] ")", metnot(R["cpu_window"], 1))
	target("CPU per frame <= 1/4 of best peer, small region (ratio " R["cpu_region"] ")", metnot(R["cpu_region"], 0.25))
	if (R["ir_full"] != "") {
		print "  same, by callgrind instructions per frame (user space only; not the target's metric):"
		target("full damage (ratio " R["ir_full"] ")", metnot(R["ir_full"], 1))
		target("250x250 window (ratio " R["ir_window"] ")", metnot(R["ir_window"], 1))
		target("small region <= 1/4 (ratio " R["ir_region"] ")", metnot(R["ir_region"], 0.25))
	}
	if (drm_peers) {
		print "  on DRM (every frame composited; the small-region target is judged here):"
		target("CPU per frame <= best peer, full damage (ratio " R["drm_cpu_full"] ")", metnot(R["drm_cpu_full"], 1))
		target("CPU per frame <= best peer, 250x250 window (ratio " R["drm_cpu_window"] ")", metnot(R["drm_cpu_window"], 1))
		target("CPU per frame <= 1/4 of best peer, small region (ratio " R["drm_cpu_region"] ")", metnot(R["drm_cpu_region"], 0.25))
		best = best_peer("drm_cpu_region")
		if (floorv["floor_client"] != "" && best + 0 > 0)
			printf "      floor with no compositor (a flip and the client round trip): %s ms,\n" \
				"      %.2f of the best peer's 32x32 frame (above 0.25: no compositor can meet it here)\n", \
				fmt(median(floorv["floor_client"]) / 1000), \
				median(floorv["floor_client"]) / 1000 / best
	} else {
		print "  on DRM:"
		target("CPU per frame <= 1/4 of best peer, small region (not measured)", "n/a")
	}
	if (drm_ok)
		target("0 idle wakeups on DRM (" vm["drm_idle_ctxt"] " in " vm["drm_idle_seconds"] " s)", \
			vm["drm_idle_ctxt"] + 0 == 0 ? "met" : "not met")
	else
		target("0 idle wakeups on DRM (not measured)", "n/a")
	# The client's own frames: versod's counters also hold the frames
	# around the client's map and exit, which show no client buffer.
	if (drm_ok && vm["drm_dmabuf_presented"] != "") {
		pr = vm["drm_dmabuf_presented"] + 0
		target("100% scanout, fullscreen dmabuf client (" vm["drm_dmabuf_zero_copy"] "/" pr " presents zero-copy)", \
			pr > 0 && vm["drm_dmabuf_zero_copy"] + 0 == pr ? "met" : "not met")
	} else
		target("100% scanout, fullscreen dmabuf client (not measured: no linux-dmabuf in the VM run)", "n/a")
}
