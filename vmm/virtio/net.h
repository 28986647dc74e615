/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net (virtio 1.x §5.1, device ID 1) over a channel: one receive
 * and one transmit queue, and every Ethernet frame one channel message
 * (the frame alone, from the destination MAC on; no FCS). Two Linux VMs
 * with a virtio-net device on the same channel are one Ethernet link; a
 * native VM at the other end reads and writes frames with bulkhead/ring.h.
 * Driven as chan_device.h says.
 *
 * Offered: VIRTIO_F_VERSION_1 (the transport's), VIRTIO_NET_F_MAC (a
 * fixed, locally administered address), VIRTIO_NET_F_STATUS (link up
 * until virtio_net_set_link says otherwise), VIRTIO_NET_F_MTU (1500), and
 * the ring's EVENT_IDX and INDIRECT_DESC. No offloads (no CSUM, no GSO, no
 * MRG_RXBUF), so every frame is whole and checksummed by the guest's
 * stack, and the per-frame header is struct virtio_net_hdr_v1 (12 bytes
 * with VERSION_1, §5.1.6): stripped from what the guest transmits, and
 * written before every received frame as all zero but num_buffers = 1
 * (§5.1.6.4: without MRG_RXBUF the device must set it to 1).
 *
 * Frames from 14 bytes (an Ethernet header) to VIRTIO_NET_FRAME_MAX pass;
 * anything else either way, and a received frame larger than the guest's
 * receive buffers, is dropped and counted (chan_device_stats). A frame
 * larger than the channel's largest message would be dropped too, but
 * none is: the smallest channel (4 KiB, 1788-byte messages each way)
 * carries the largest frame.
 */
#ifndef VMM_VIRTIO_NET_H
#define VMM_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio/chan_device.h"

#define VIRTIO_ID_NET           1u

#define VIRTIO_NET_F_MTU        (1ull << 3)
#define VIRTIO_NET_F_MAC        (1ull << 5)
#define VIRTIO_NET_F_STATUS     (1ull << 16)
#define VIRTIO_NET_S_LINK_UP    1u

#define VIRTIO_NET_HDR_LEN      12u     /* struct virtio_net_hdr_v1 */
#define VIRTIO_NET_MTU          1500u
#define VIRTIO_NET_ETH_HLEN     14u
/* The largest frame: the MTU, the Ethernet header and one VLAN tag, as
 * Linux sizes its receive buffers without offloads. */
#define VIRTIO_NET_FRAME_MAX    (VIRTIO_NET_MTU + VIRTIO_NET_ETH_HLEN + 4u)

/* Configuration space (§5.1.4): mac[6], status le16, max_virtqueue_pairs
 * le16, mtu le16. */
#define VIRTIO_NET_CONFIG_MAC     0u
#define VIRTIO_NET_CONFIG_STATUS  6u
#define VIRTIO_NET_CONFIG_PAIRS   8u
#define VIRTIO_NET_CONFIG_MTU     10u
#define VIRTIO_NET_CONFIG_SIZE    12u

/*
 * A locally administered unicast MAC address derived from seed (len
 * bytes, for instance the VM's name) and index (which of the VM's
 * virtio-net devices): the same inputs give the same address on every
 * boot, and different VMs or devices different ones (but for a hash
 * collision in 46 bits).
 */
void virtio_net_mac_from_seed(const void *seed, size_t len, uint32_t index,
                              uint8_t mac[6]);

/*
 * Sets d up as a virtio-net device with address mac over guest memory
 * mem and channel end port (both must outlive d), link up. Returns 0 (the
 * error would be chan_device_init's).
 */
int virtio_net_init(struct chan_device *d, const struct guest_memory *mem,
                    struct chan_port *port, const uint8_t mac[6]);

/* Sets the link state the driver sees (for instance down once the
 * channel's peer is gone) and tells it with a configuration interrupt if
 * it changed. */
void virtio_net_set_link(struct chan_device *d, bool up);

#endif
