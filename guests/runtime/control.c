/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wrappers for the control calls (contracts: bulkhead/control.h,
 * docs/hypercalls.md). Apart from hypercall.c, the only file of the
 * runtime that makes VMCALLs.
 */
#include <bulkhead/control.h>
#include <bulkhead/runtime.h>

#include "vmcall.h"

int64_t bh_vm_launch(const char *template_name, const char *name)
{
	return vmcall2(BH_HC_VM_LAUNCH, (uintptr_t)template_name, (uintptr_t)name);
}

int64_t bh_vm_stop(const char *name)
{
	return vmcall1(BH_HC_VM_STOP, (uintptr_t)name);
}

int64_t bh_vm_list(struct bh_vm_stat *buf, size_t max)
{
	return vmcall2(BH_HC_VM_LIST, (uintptr_t)buf, max);
}

int64_t bh_log_read(uint64_t *cursor, char *buf, size_t len)
{
	return vmcall3(BH_HC_LOG_READ, (uintptr_t)cursor, (uintptr_t)buf, len);
}

int64_t bh_stats(struct bh_sys_stats *out)
{
	return vmcall1(BH_HC_STATS, (uintptr_t)out);
}

int64_t bh_console_read(char *buf, size_t len)
{
	return vmcall2(BH_HC_CONSOLE_READ, (uintptr_t)buf, len);
}

int64_t bh_console_attach(const char *name)
{
	return vmcall1(BH_HC_CONSOLE_ATTACH, (uintptr_t)name);
}

int64_t bh_console_send(const char *buf, size_t len)
{
	return vmcall2(BH_HC_CONSOLE_SEND, (uintptr_t)buf, len);
}

int64_t bh_images(struct bh_image_info *buf, size_t max)
{
	return vmcall2(BH_HC_IMAGES, (uintptr_t)buf, max);
}

int64_t bh_channels(struct bh_channel_stat *buf, size_t max)
{
	return vmcall2(BH_HC_CHANNELS, (uintptr_t)buf, max);
}

int64_t bh_shutdown(void)
{
	bh_flush();
	return vmcall0(BH_HC_SHUTDOWN);
}
