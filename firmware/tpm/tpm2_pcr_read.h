/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TPM2_PCR_Read for one PCR of the SHA-256 bank, as bytes to hand to a TPM
 * (EFI_TCG2_PROTOCOL.SubmitCommand) and the reply decoded: the UEFI stage
 * reads back the PCR it measured the bundle into, to log its value.
 * Layouts: TPM 2.0 Library, Part 3 (command PCR_Read) and Part 2 (types);
 * every integer is big-endian.
 */
#ifndef FIRMWARE_TPM_TPM2_PCR_READ_H
#define FIRMWARE_TPM_TPM2_PCR_READ_H

#include <stddef.h>
#include <stdint.h>

#define TPM2_SHA256_SIZE        32
#define TPM2_PCR_READ_CMD_SIZE  20
#define TPM2_PCR_COUNT          24   /* PCRs 0..23 of a PC Client TPM */

/*
 * Writes the TPM2_PCR_Read command selecting PCR pcr (< TPM2_PCR_COUNT) of
 * the SHA-256 bank into cmd (TPM2_PCR_READ_CMD_SIZE bytes).
 */
void tpm2_pcr_read_command(uint8_t cmd[TPM2_PCR_READ_CMD_SIZE], unsigned pcr);

/*
 * Decodes the TPM's reply to that command, in a buffer of len bytes (the
 * reply's own size field says how many of them it uses), and copies the
 * PCR's value to digest. Returns 0; -BH_EIO if the TPM reported an error
 * (its response code in *rc); -BH_ENOENT if the reply holds no SHA-256
 * value for pcr (the bank is not active); -BH_EINVAL if the reply is
 * malformed or larger than len.
 */
int tpm2_pcr_read_response(const uint8_t *resp, size_t len, unsigned pcr,
                           uint8_t digest[TPM2_SHA256_SIZE], uint32_t *rc);

#endif
