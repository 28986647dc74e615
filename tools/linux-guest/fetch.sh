#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches the Debian packages a Linux guest is built from, without
# installing them: the kernel image package that linux-image-amd64 depends
# on today, and busybox-static. Usage:
#
#     tools/linux-guest/fetch.sh DIR
#
# Leaves in DIR the .deb files as apt-get download names them, plus two
# links the build reads: DIR/linux-image.deb and DIR/busybox-static.deb.
# The kernel version is never written down anywhere: it is whatever the
# metapackage's candidate version depends on when this runs (remove DIR to
# pick up a newer one). Only apt's own sources are used.
set -euo pipefail
dir=${1:?usage: fetch.sh DIR}
mkdir -p "$dir"
cd "$dir"

# "Depends: linux-image-6.1.0-57-amd64 (= 6.1.192-3)" -> the package name.
kernel=$(apt-cache show --no-all-versions linux-image-amd64 |
         sed -n 's/^Depends: *\(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
if [[ -z $kernel ]]; then
	echo "fetch.sh: cannot tell which kernel linux-image-amd64 depends on" >&2
	echo "fetch.sh: is apt set up (apt-get update)?" >&2
	exit 1
fi

# apt-get download drops privileges to _apt, which cannot write to a
# directory it does not own; fetch into a directory it can, then move.
fetch() {
	local pkg=$1 link=$2 tmp
	tmp=$(mktemp -d)
	chmod 0777 "$tmp"
	(cd "$tmp" && apt-get download -q "$pkg" >&2)
	local deb
	deb=$(find "$tmp" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
	[[ -n $deb ]] || { echo "fetch.sh: apt-get download $pkg gave no .deb" >&2; exit 1; }
	mv "$deb" .
	rmdir "$tmp"
	ln -sfn "$(basename "$deb")" "$link"
	echo "fetch.sh: $link -> $(basename "$deb")"
}

fetch "$kernel" linux-image.deb
fetch busybox-static busybox-static.deb
