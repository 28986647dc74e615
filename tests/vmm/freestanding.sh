#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The monitor's code is freestanding (docs/style.md, rule 1): each file
# under vmm/ must compile with the guests' flags and no C library headers
# at all (only the compiler's own: stddef.h, stdint.h, stdbool.h), and
# every symbol it needs must come from vmm/ itself or common/lib/. The
# exceptions are the files in runtime_users, the glue to the hypercalls,
# which may also use the guest runtime (guests/runtime/) vmm.elf is
# linked with.
#
#   freestanding.sh CC 'GUEST_CFLAGS'
#
# Prints one "ok - X" / "not ok - X" line per file, like tests/lib/check.h.
runtime_users="vmm/main.c"
cc=$1 flags="$2 -Ivmm -nostdinc -isystem $($1 -print-file-name=include)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0

compile() {   # SRC OBJ
	$cc $flags -MF /dev/null -c "$1" -o "$2" 2>"$tmp/err"
}

# What vmm/ and common/lib/ define between them.
i=0
for src in common/lib/*.c $(find vmm -name '*.c' | sort); do
	i=$((i + 1))
	compile "$src" "$tmp/$i.o" && nm --defined-only "$tmp/$i.o" | awk '{ print $3 }'
done | sort -u > "$tmp/defined"

# What the guest runtime adds, for runtime_users only.
for src in guests/runtime/*.c; do
	i=$((i + 1))
	compile "$src" "$tmp/$i.o" && nm --defined-only "$tmp/$i.o" | awk '{ print $3 }'
done | sort -u - "$tmp/defined" > "$tmp/defined_main"

for src in $(find vmm -name '*.c' | sort); do
	name=$(echo "$src" | sed 's|/|_|g; s|\.c$||')
	if ! compile "$src" "$tmp/one.o"; then
		echo "not ok - freestanding:$name (does not compile without the C library:"
		sed 's/^/#   /' "$tmp/err"
		echo "#   )"
		failed=1
		continue
	fi
	defined="$tmp/defined"
	case " $runtime_users " in *" $src "*) defined="$tmp/defined_main" ;; esac
	missing=$(nm -u "$tmp/one.o" | awk '{ print $2 }' | sort -u | comm -23 - "$defined")
	if [ -n "$missing" ]; then
		echo "not ok - freestanding:$name (needs $(echo $missing), defined in neither vmm/ nor common/lib/)"
		failed=1
	else
		echo "ok - freestanding:$name"
	fi
done
exit $failed
