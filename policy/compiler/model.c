/* SPDX-License-Identifier: GPL-2.0-only */
/* The model's look-ups, name resolution, and freeing. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

uint64_t policy_machine_memory(const struct policy *p)
{
	return p->machine.given && !p->machine.bad ? p->machine.value : BH_POLICY_MACHINE_DEFAULT;
}

int policy_find_vm(const struct policy *p, const char *name)
{
	for (size_t i = 0; name && i < p->nvms; i++)
		if (p->vms[i].name && strcmp(p->vms[i].name, name) == 0)
			return (int)i;
	return -1;
}

int policy_find_channel(const struct policy *p, const char *name)
{
	for (size_t i = 0; name && i < p->nchannels; i++)
		if (p->channels[i].name && strcmp(p->channels[i].name, name) == 0)
			return (int)i;
	return -1;
}

uint64_t vm_total_memory(const struct vm_decl *vm)
{
	bool monitor = prop_ok(&vm->p, VP_MONITOR) && prop_ok(&vm->monitor.p, MP_MEMORY);
	return vm->memory + (monitor ? vm->monitor.memory : 0);
}

static void resolve_ref(const struct policy *p, struct ref *r)
{
	r->vm = policy_find_vm(p, r->name);
}

/* Each distinct image name once, in order of first use. */
static int image_index(struct policy *p, const char *image)
{
	for (size_t i = 0; i < p->nimages; i++)
		if (strcmp(p->images[i], image) == 0)
			return (int)i;
	char **slot = VEC_PUSH(p->images, p->nimages, p->capimages);
	*slot = xstrndup(image, strlen(image));
	return (int)(p->nimages - 1);
}

void resolve(struct policy *p)
{
	/* A VM's images in the order kernel (or image), initramfs, monitor. */
	for (size_t i = 0; i < p->nvms; i++) {
		struct vm_decl *vm = &p->vms[i];
		vm->image_index = prop_ok(&vm->p, VP_IMAGE) ? image_index(p, vm->image)
		                  : prop_ok(&vm->p, VP_KERNEL) ? image_index(p, vm->kernel) : -1;
		vm->initramfs_index = prop_ok(&vm->p, VP_INITRAMFS) ? image_index(p, vm->initramfs)
		                      : -1;
		vm->monitor.image_index = prop_ok(&vm->p, VP_MONITOR) &&
		                          prop_ok(&vm->monitor.p, MP_IMAGE)
		                          ? image_index(p, vm->monitor.image) : -1;
		for (size_t j = 0; j < vm->nvirtio; j++)
			vm->virtio[j].channel_index = policy_find_channel(p, vm->virtio[j].channel);
	}
	for (size_t i = 0; i < p->nchannels; i++) {
		struct channel_decl *ch = &p->channels[i];
		resolve_ref(p, &ch->end[0]);
		resolve_ref(p, &ch->end[1]);
		resolve_ref(p, &ch->direction.from);
		resolve_ref(p, &ch->direction.to);
		resolve_ref(p, &ch->events.from);
		resolve_ref(p, &ch->events.to);
	}
	for (size_t i = 0; i < p->nlaunches; i++) {
		resolve_ref(p, &p->launches[i].vm);
		for (size_t j = 0; j < p->launches[i].ntargets; j++)
			resolve_ref(p, &p->launches[i].targets[j]);
	}
	for (size_t i = 0; i < p->ndevices; i++)
		resolve_ref(p, &p->devices[i].to);
}

void policy_free(struct policy *p)
{
	for (size_t i = 0; i < p->nvms; i++) {
		struct vm_decl *vm = &p->vms[i];
		free(vm->name);
		free(vm->image);
		free(vm->kernel);
		free(vm->initramfs);
		free(vm->cmdline);
		free(vm->monitor.image);
		for (size_t j = 0; j < vm->nvirtio; j++)
			free(vm->virtio[j].channel);
		free(vm->virtio);
	}
	free(p->vms);
	for (size_t i = 0; i < p->nchannels; i++) {
		struct channel_decl *ch = &p->channels[i];
		free(ch->name);
		free(ch->end[0].name);
		free(ch->end[1].name);
		free(ch->direction.from.name);
		free(ch->direction.to.name);
		free(ch->events.from.name);
		free(ch->events.to.name);
	}
	free(p->channels);
	for (size_t i = 0; i < p->nlaunches; i++) {
		free(p->launches[i].vm.name);
		for (size_t j = 0; j < p->launches[i].ntargets; j++)
			free(p->launches[i].targets[j].name);
		free(p->launches[i].targets);
	}
	free(p->launches);
	for (size_t i = 0; i < p->ndevices; i++) {
		free(p->devices[i].name);
		free(p->devices[i].to.name);
	}
	free(p->devices);
	for (size_t i = 0; i < p->nimages; i++)
		free(p->images[i]);
	free(p->images);
	*p = (struct policy){ 0 };
}
