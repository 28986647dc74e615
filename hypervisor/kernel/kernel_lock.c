/* SPDX-License-Identifier: GPL-2.0-only */
/* The kernel lock's one instance (kernel_lock.h). */
#include "kernel/kernel_lock.h"

struct ticket_lock kernel_lock_word;
