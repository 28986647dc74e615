/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-net over a channel (contract in net.h): the device's identity,
 * configuration and frame rules; the data path is chan_device.c's.
 */
#include "lib/sha256.h"
#include "lib/string.h"
#include "virtio/net.h"

/* struct virtio_net_hdr_v1 as the device writes it before a received
 * frame: no checksum or GSO information, num_buffers (le16 at offset
 * 10) = 1. */
static const uint8_t rx_hdr[VIRTIO_NET_HDR_LEN] = { [10] = 1 };

static const struct chan_device_kind net_kind = {
	.device_id = VIRTIO_ID_NET,
	.features = VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | VIRTIO_NET_F_MTU |
	            VIRTIO_RING_F_EVENT_IDX | VIRTIO_RING_F_INDIRECT_DESC,
	.hdr_len = VIRTIO_NET_HDR_LEN,
	.rx_hdr = rx_hdr,
	.frame_min = VIRTIO_NET_ETH_HLEN,
	.frame_max = VIRTIO_NET_FRAME_MAX,
};

void virtio_net_mac_from_seed(const void *seed, size_t len, uint32_t index,
                              uint8_t mac[6])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	uint8_t idx[4] = { (uint8_t)index, (uint8_t)(index >> 8),
	                   (uint8_t)(index >> 16), (uint8_t)(index >> 24) };
	sha256_init(&ctx);
	sha256_update(&ctx, seed, len);
	sha256_update(&ctx, idx, sizeof idx);
	sha256_final(&ctx, digest);
	memcpy(mac, digest, 6);
	/* First octet: bit 0 clear (unicast), bit 1 set (locally
	 * administered, IEEE 802 §8.2.2): never a vendor's address. */
	mac[0] = (uint8_t)((mac[0] & ~1u) | 2u);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

int virtio_net_init(struct chan_device *d, const struct guest_memory *mem,
                    struct chan_port *port, const uint8_t mac[6])
{
	uint8_t config[VIRTIO_NET_CONFIG_SIZE] = { 0 };
	memcpy(config + VIRTIO_NET_CONFIG_MAC, mac, 6);
	put_le16(config + VIRTIO_NET_CONFIG_STATUS, VIRTIO_NET_S_LINK_UP);
	put_le16(config + VIRTIO_NET_CONFIG_PAIRS, 1);
	put_le16(config + VIRTIO_NET_CONFIG_MTU, VIRTIO_NET_MTU);
	return chan_device_init(d, &net_kind, mem, port, config, sizeof config);
}

void virtio_net_set_link(struct chan_device *d, bool up)
{
	uint8_t *status = d->config + VIRTIO_NET_CONFIG_STATUS;
	uint16_t want = up ? VIRTIO_NET_S_LINK_UP : 0;
	if ((status[0] | status[1] << 8) == want)
		return;
	put_le16(status, want);
	chan_device_config_changed(d);
}
