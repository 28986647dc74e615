/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console over a channel (contract in console.h): the device's
 * identity and configuration; the data path is chan_device.c's byte
 * stream.
 */
#include "virtio/console.h"

/* Configuration space layout (§5.3.4): cols le16, rows le16,
 * max_nr_ports le32. (emerg_wr follows only with F_EMERG_WRITE.) */
#define CONFIG_MAX_NR_PORTS 4
#define CONFIG_SIZE         8

static const struct chan_device_kind console_kind = {
	.device_id = VIRTIO_ID_CONSOLE,
	.features = VIRTIO_RING_F_EVENT_IDX | VIRTIO_RING_F_INDIRECT_DESC,
	.frame_max = 0,   /* a byte stream */
};

int virtio_console_init(struct chan_device *d, const struct guest_memory *mem,
                        struct chan_port *port)
{
	uint8_t config[CONFIG_SIZE] = { 0 };
	config[CONFIG_MAX_NR_PORTS] = 1;
	return chan_device_init(d, &console_kind, mem, port, config, sizeof config);
}
