#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/policy/run.sh TOOL [FILTER]
#
# The policy compiler's file-driven tests. TOOL is build/host/bulkhead-policy.
# Prints one "ok - NAME" or "not ok - NAME" line per case, the reasons for
# a failure on "#" lines before it (tests/run.py counts and shows them), and
# exits 1 if any case failed. FILTER runs only the cases whose name holds it.
#
#   golden/NAME   golden/NAME.policy compiles; `dump` of its blob is exactly
#                 NAME.dump; its stderr (warnings) is exactly NAME.stderr, or
#                 empty if there is none
#   roundtrip/NAME  the dump compiles back to a blob that dumps the same,
#                 but for comments (source lines, size, CRC)
#   bad/NAME      `check bad/NAME.policy` exits 1 and prints exactly
#                 bad/NAME.err; `compile` exits 1 and writes no blob
#   example/NAME  policy/examples/NAME.policy, and the example at the top
#                 of docs/policy.md, compile without a word; an example
#                 with a golden copy (golden/NAME.policy) is identical to it
#   covered/CHECK every check `TOOL rules` lists is named on a "# covers:"
#                 line of some golden or bad policy
#
# The tool runs inside the policy's folder on its base name, so expected
# messages read "NAME.policy:LINE:COL: ..." wherever the tree is.
# UPDATE=1 rewrites the expected files from the tool's output instead of
# comparing (then review the diff).
set -uo pipefail
export LC_ALL=C

(($# >= 1)) || { echo "usage: run.sh TOOL [FILTER]" >&2; exit 2; }
tool=$(realpath "$1")
filter=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=1; }
# Shows a file (or stdin) as diagnostics.
show() { sed 's/^/#   /' "$@"; }
wanted() { [[ -z $filter || $1 == *"$filter"* ]]; }

# expect NAME EXPECTED ACTUAL: compare (or, with UPDATE=1, update) a file.
expect() {
	if [[ ${UPDATE:-} == 1 ]]; then
		if [[ -s $3 || -e $2 ]]; then cp "$3" "$2"; fi
		return 0
	fi
	local want=$2
	[[ -e $want ]] || want=/dev/null
	if ! cmp -s "$want" "$3"; then
		echo "# $1: output differs from ${2#"$root"/}:"
		diff -u "$want" "$3" | show
		return 1
	fi
}

# ---- golden ---------------------------------------------------------------
for src in "$here"/golden/*.policy; do
	base=$(basename "$src" .policy)
	name=golden/$base
	wanted "$name" || continue
	good=1
	(cd "$here/golden" && "$tool" compile "$base.policy" -o "$tmp/blob") 2>"$tmp/stderr"
	status=$?
	if ((status != 0)); then
		echo "# $name: compile exited with $status:"
		show "$tmp/stderr"
		not_ok "$name"
		continue
	fi
	expect "$name" "$here/golden/$base.stderr" "$tmp/stderr" || good=0
	if ! "$tool" dump "$tmp/blob" >"$tmp/dump" 2>"$tmp/dump.err"; then
		echo "# $name: dump failed:"
		show "$tmp/dump.err"
		good=0
	fi
	expect "$name" "$here/golden/$base.dump" "$tmp/dump" || good=0
	((good)) && ok "$name" || not_ok "$name"

	name=roundtrip/$base
	# The dump is policy text: it must compile to what it describes.
	strip() { sed -e 's/ *#.*$//' -e '/^$/d' "$1"; }
	if "$tool" compile "$tmp/dump" -o "$tmp/blob2" 2>"$tmp/stderr2" &&
	   "$tool" dump "$tmp/blob2" >"$tmp/dump2" &&
	   cmp -s <(strip "$tmp/dump") <(strip "$tmp/dump2"); then
		ok "$name"
	else
		echo "# $name: the dump does not compile back to the same policy:"
		show "$tmp/stderr2"
		[[ -e $tmp/dump2 ]] && diff -u <(strip "$tmp/dump") <(strip "$tmp/dump2") | show
		not_ok "$name"
	fi
	rm -f "$tmp/dump2" "$tmp/blob2"
done

# ---- bad ------------------------------------------------------------------
for src in "$here"/bad/*.policy; do
	base=$(basename "$src" .policy)
	name=bad/$base
	wanted "$name" || continue
	good=1
	(cd "$here/bad" && "$tool" check "$base.policy") >"$tmp/stdout" 2>"$tmp/stderr"
	status=$?
	if ((status != 1)); then
		echo "# $name: check exited with $status, not 1"
		good=0
	fi
	if [[ -s $tmp/stdout ]]; then
		echo "# $name: check printed on stdout:"
		show "$tmp/stdout"
		good=0
	fi
	if [[ ${UPDATE:-} != 1 && ! -e $here/bad/$base.err ]]; then
		echo "# $name: bad/$base.err is missing"
		good=0
	fi
	expect "$name" "$here/bad/$base.err" "$tmp/stderr" || good=0
	rm -f "$tmp/out.bin"
	(cd "$here/bad" && "$tool" compile "$base.policy" -o "$tmp/out.bin") 2>/dev/null
	status=$?
	if ((status != 1)) || [[ -e $tmp/out.bin ]]; then
		echo "# $name: compile exited with $status and $([[ -e $tmp/out.bin ]] && echo wrote || echo did not write) a blob"
		good=0
	fi
	((good)) && ok "$name" || not_ok "$name"
done

# ---- examples ---------------------------------------------------------------
for src in "$root"/policy/examples/*.policy; do
	name=example/$(basename "$src" .policy)
	wanted "$name" || continue
	golden=$here/golden/$(basename "$src")
	if ! "$tool" compile "$src" -o "$tmp/ex.bin" >"$tmp/out" 2>&1 || [[ -s $tmp/out ]]; then
		show "$tmp/out"
		not_ok "$name"
	elif [[ -e $golden ]] && ! cmp -s "$src" "$golden"; then
		# The shipped system's dump is pinned by its golden copy.
		echo "# $name: differs from ${golden#"$root"/}; update the golden copy and its dump"
		not_ok "$name"
	else
		ok "$name"
	fi
done

# The first example of the language's documentation compiles too.
name=example/docs-policy-md
if wanted "$name"; then
	awk '/^# Default Bulkhead system$/ { on = 1 } on && /^```$/ { exit } on' "$root/docs/policy.md" \
		>"$tmp/docs.policy"
	if [[ -s $tmp/docs.policy ]] && "$tool" compile "$tmp/docs.policy" -o "$tmp/docs.bin" >"$tmp/out" 2>&1 &&
	   [[ ! -s $tmp/out ]]; then
		ok "$name"
	else
		echo "# $name: the example in docs/policy.md does not compile cleanly:"
		show "$tmp/out"
		not_ok "$name"
	fi
fi

# ---- every check is covered ---------------------------------------------------
covers=$(cat "$here"/golden/*.policy "$here"/bad/*.policy | sed -n 's/^# covers: //p' | tr ' ' '\n')
while read -r check _; do
	name=covered/$check
	wanted "$name" || continue
	if grep -qx -- "$check" <<<"$covers"; then
		ok "$name"
	else
		echo "# $name: no golden or bad policy has '# covers: $check'"
		not_ok "$name"
	fi
done < <("$tool" rules)

exit $failed
