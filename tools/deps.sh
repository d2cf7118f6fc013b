#!/bin/sh
# SPDX-License-Identifier: MIT
# Install every Debian package verso needs to build, test and demo.
# Idempotent: quiet and fast when everything is already present.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkgs=$(grep -v '^#' "$here/deps.txt" | tr '\n' ' ')

# The 6.12 LTS kernel comes from bookworm-backports. Add that suite by
# copying the machine's own Debian entry, so no archive host is hard-coded.
bp=/etc/apt/sources.list.d/verso-backports.sources
if [ ! -e "$bp" ]; then
	src=$(grep -l '^Suites:.*bookworm' /etc/apt/sources.list.d/*.sources 2>/dev/null |
	      head -n 1 || true)
	if [ -z "$src" ]; then
		echo "deps: no deb822 Debian source found to copy for backports" >&2
		exit 1
	fi
	awk 'BEGIN { RS = ""; ORS = "\n" }
	     /Suites:[^\n]*bookworm( |\n|$)/ && !/security/ { print; exit }' "$src" |
		sed -e 's/^Suites:.*/Suites: bookworm-backports/' -e '/^#/d' > "$bp.tmp"
	mv "$bp.tmp" "$bp"
	updated=
else
	updated=1
fi

missing() {
	for p in $pkgs "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q 'install ok installed' || echo "$p"
	done
}

[ -n "${updated:-}" ] || apt-get update -qq
# Newest 6.12 LTS headers from backports (only the kernel packages are used).
bpk=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' 2>/dev/null |
      awk '{print $1}' | sort -V | tail -n 1)
if [ -z "$bpk" ]; then
	apt-get update -qq
	bpk=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9.]+\+deb12-amd64$' |
	      awk '{print $1}' | sort -V | tail -n 1)
fi
todo=$(missing $bpk)
[ -z "$todo" ] && exit 0
echo "deps: installing $todo"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo \
	>/tmp/verso-deps.log 2>&1 || {
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $todo \
		>/tmp/verso-deps.log 2>&1 || { tail -n 30 /tmp/verso-deps.log >&2; exit 1; }
}
