/* SPDX-License-Identifier: GPL-2.0-only */
/* VT-x capabilities, read and logged once at boot (vmx_backend.probe). */
#include "arch/x86/vmx/vmx.h"

#include "arch/x86/vmx/caps.h"
#include "kernel/log.h"

static struct vmx_msrs msrs;
static struct vmx_caps caps;

const char *vmx_probe(void)
{
	char line[LOG_LINE_MAX];

	vmx_read_msrs(&msrs);
	vmx_caps_decode(&msrs, &caps);
	vmx_caps_format(&msrs, &caps, line, sizeof(line));
	kprintf("%s\n", line);
	return vmx_caps_missing(&caps);
}
