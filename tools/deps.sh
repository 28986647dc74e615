#!/usr/bin/env bash
# Installs the Debian packages listed in mk/packages.txt that are missing.
# As root it runs apt-get; otherwise it prints the command and fails, so
# `make run` / `make test` stop with a clear next step instead of half-working.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t wanted < <(grep -Ev '^[[:space:]]*(#|$)' "$here/mk/packages.txt")
missing=()
for p in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[[ $status == ii* ]] || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "deps: missing Debian packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
	echo "deps: run as root:  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
