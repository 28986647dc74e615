#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tests/policy/fuzz/run.sh FUZZDIR SECONDS [FILTER]
#
# Runs each policy fuzzer (FUZZDIR/fuzz_parse, FUZZDIR/fuzz_blob, built by
# mk/policy.mk) for SECONDS and prints "ok - fuzz/NAME" or "not ok -
# fuzz/NAME" (tests/run.py counts these). Each keeps the inputs it finds in
# FUZZDIR/corpus/NAME/ (so later runs start from there) and a crashing
# input in FUZZDIR/artifacts/. Seeds: the golden and bad policies for the
# parser, their compiled blobs (FUZZDIR/seed/blob/) for the validator.
set -uo pipefail

(($# >= 2)) || { echo "usage: run.sh FUZZDIR SECONDS [FILTER]" >&2; exit 2; }
dir=$(realpath "$1")
seconds=$2
filter=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
policy=$(cd "$here/.." && pwd)
failed=0

# run NAME SEEDDIR... : fuzzes with the options in opts[], the writable
# corpus first (libFuzzer adds what it finds to the first folder), then the
# read-only seed folders.
run() {
	local name=$1
	shift
	[[ -z $filter || fuzz/$name == *"$filter"* ]] || return 0
	mkdir -p "$dir/corpus/$name" "$dir/artifacts"
	local log=$dir/$name.log
	"$dir/$name" "${opts[@]}" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	             -artifact_prefix="$dir/artifacts/$name-" "$dir/corpus/$name" "$@" \
	             >"$log" 2>&1
	local status=$?
	local runs
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if ((status == 0)); then
		echo "ok - fuzz/$name ($seconds s, ${runs:-?} inputs)"
	else
		echo "# fuzz/$name failed (status $status); the end of $log:"
		tail -n 40 "$log" | sed 's/^/#   /'
		echo "not ok - fuzz/$name"
		failed=1
	fi
}

opts=(-dict="$here/policy.dict" -max_len=4096)
run fuzz_parse "$policy/golden" "$policy/bad"
opts=(-max_len=4096)
run fuzz_blob "$dir/seed/blob"
exit $failed
