#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The include walls between the programs (docs/design.md, "The trusted
# computing base"): each program is compiled with exactly the flags the build
# gives it, and must reach what it is meant to and nothing of the kernel.
#
#   include_walls.sh CC 'GUEST_CFLAGS' 'POLICY_CFLAGS'
#
# Prints one "ok - X" / "not ok - X" line per case, like tests/lib/check.h.
cc=$1 guest_flags=$2 policy_flags=$3
failed=0

# compiles HEADER with FLAGS; WANT is "builds" or "fails"
check() {
	name=$1 flags=$2 header=$3 want=$4
	case " $flags " in   # no dependency file from a compile of stdin
	*" -MMD "*|*" -MD "*) flags="$flags -MF /dev/null" ;;
	esac
	if printf '#include %s\n' "$header" | $cc $flags -fsyntax-only -x c - 2>/dev/null; then
		got=builds
	else
		got=fails
	fi
	if [ "$got" = "$want" ]; then
		echo "ok - include_walls:$name"
	else
		echo "not ok - include_walls:$name ($header $got, expected it $want)"
		failed=1
	fi
}

check guest_sees_the_runtime          "$guest_flags"  '<bulkhead/runtime.h>' builds
check guest_sees_common_lib           "$guest_flags"  '"lib/names.h"'        builds
check guest_cannot_include_kernel_vm  "$guest_flags"  '"kernel/vm.h"'        fails
check guest_cannot_include_arch       "$guest_flags"  '"arch/x86/cpu.h"'     fails
check compiler_sees_the_blob_reader   "$policy_flags" '"policy/blob.h"'      builds
check compiler_cannot_include_kernel  "$policy_flags" '"kernel/policy.h"'    fails
exit $failed
