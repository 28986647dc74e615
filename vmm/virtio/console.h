/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-console (virtio 1.x §5.3, device ID 3) over a channel: one port,
 * no VIRTIO_CONSOLE_F_MULTIPORT, so receiveq 0 and transmitq 1 are the
 * port's. What the guest writes (hvc0) goes to the channel as messages of
 * console bytes, in order, as many bytes per message as the channel's
 * ring takes; the channel's messages are a byte stream into the guest's
 * receive buffers, a message split over buffers when it does not fit one.
 * A native VM or the CLI at the other end reads and writes the same
 * channel with bulkhead/ring.h. Driven as chan_device.h says.
 *
 * Configuration space (§5.3.4): cols and rows 0 (no VIRTIO_CONSOLE_F_SIZE:
 * the driver does not read them), max_nr_ports 1.
 */
#ifndef VMM_VIRTIO_CONSOLE_H
#define VMM_VIRTIO_CONSOLE_H

#include "virtio/chan_device.h"

#define VIRTIO_ID_CONSOLE       3u

/*
 * Sets d up as a virtio console over guest memory mem and channel end
 * port (both must outlive d). Returns 0 (it cannot fail with a valid
 * port; the error is chan_device_init's).
 */
int virtio_console_init(struct chan_device *d, const struct guest_memory *mem,
                        struct chan_port *port);

#endif
