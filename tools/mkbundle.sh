#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# mkbundle.sh OUTDIR CMDLINE [FILE...]
#
# Makes OUTDIR the boot bundle, i.e. exactly what tools/mkefi.sh packs into
# the application (firmware/bundle/manifest.h, docs/bundle.md):
#   cmdline    CMDLINE plus a newline
#   FILE...    copies of the extra files, under their base names
#   MANIFEST   sha256sum(1) lines "<64 hex>  <name>" for every other file,
#              sorted by name (C locale)
#
# Idempotent: a file whose content is already right is left alone (so its
# mtime does not change and make sees nothing new), and files in OUTDIR that
# are no longer part of the bundle are removed.
set -euo pipefail
export LC_ALL=C

die() { echo "mkbundle: $*" >&2; exit 1; }

(($# >= 2)) || die "usage: mkbundle.sh OUTDIR CMDLINE [FILE...]"
out=$1
cmdline=$2
shift 2

# The UEFI stage accepts names of 1..47 bytes of [A-Za-z0-9._-], not starting
# with '.' (manifest.h); refuse anything else here rather than at boot.
valid_name() { [[ $1 =~ ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,46}$ ]]; }

declare -A wanted=([cmdline]=1)
for f in "$@"; do
	[[ -f $f ]] || die "$f: not a regular file"
	name=$(basename -- "$f")
	valid_name "$name" || die "$f: '$name' is not a valid bundle name (1..47 of [A-Za-z0-9._-], no leading '.')"
	[[ $name != MANIFEST ]] || die "$f: MANIFEST is generated, not copied"
	[[ -z ${wanted[$name]:-} ]] || die "$f: a bundle file named '$name' is already given"
	wanted[$name]=1
done

mkdir -p -- "$out"

# Writes stdin to $out/$1 unless the file already holds exactly those bytes.
# The new content goes to a temp file first so a crash never leaves half a file.
put() {
	local dst=$out/$1 tmp
	tmp=$(mktemp "$out/.tmp.XXXXXX")
	cat >"$tmp"
	if [[ -f $dst ]] && cmp -s -- "$tmp" "$dst"; then
		rm -f -- "$tmp"
	else
		chmod 644 -- "$tmp"
		mv -f -- "$tmp" "$dst"
	fi
}

# Drop stale entries (files from an earlier bundle, leftover temp files).
for path in "$out"/* "$out"/.[!.]*; do
	[[ -e $path || -L $path ]] || continue
	name=${path##*/}
	[[ $name == MANIFEST || -n ${wanted[$name]:-} ]] || rm -rf -- "$path"
done

printf '%s\n' "$cmdline" | put cmdline
for f in "$@"; do
	put "$(basename -- "$f")" <"$f"
done

# sha256sum run inside OUTDIR prints exactly "<hex>  <name>"; the names were
# validated above, so it never escapes them with a leading backslash.
(cd -- "$out" && printf '%s\n' "${!wanted[@]}" | sort | xargs -d '\n' sha256sum --) | put MANIFEST
