/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of EFI_TCG2_PROTOCOL (TCG EFI Protocol Specification, TPM 2.0
 * family) the UEFI stage uses, which gnu-efi does not declare: measuring a
 * buffer into a PCR with an event-log entry, finding the event log, and
 * passing a command to the TPM. Functions the stage never calls are kept as opaque slots so that the
 * table's layout matches the specification.
 */
#ifndef FIRMWARE_EFI_TCG2_H
#define FIRMWARE_EFI_TCG2_H

#include <efi.h>

#define EFI_TCG2_PROTOCOL_GUID \
	{ 0x607f766c, 0x7455, 0x42be, { 0x93, 0x0b, 0xe4, 0xd7, 0x6d, 0xb2, 0x72, 0x0f } }

#define EFI_TCG2_EVENT_HEADER_VERSION 1

/* The crypto-agile log format (TCG_PCR_EVENT2 entries). */
#define EFI_TCG2_EVENT_LOG_FORMAT_TCG_2 0x00000002

/* TCG PC Client Platform Firmware Profile: an event of the OS loader. */
#define EV_IPL 0x0000000d

/* Packed: the specification gives these byte layouts exactly. */
typedef struct {
	UINT32 HeaderSize;     /* sizeof(EFI_TCG2_EVENT_HEADER) */
	UINT16 HeaderVersion;  /* EFI_TCG2_EVENT_HEADER_VERSION */
	UINT32 PCRIndex;
	UINT32 EventType;
} __attribute__((packed)) EFI_TCG2_EVENT_HEADER;

typedef struct {
	UINT32                Size;   /* of the whole structure, Event included */
	EFI_TCG2_EVENT_HEADER Header;
	UINT8                 Event[];
} __attribute__((packed)) EFI_TCG2_EVENT;

typedef struct _EFI_TCG2_PROTOCOL EFI_TCG2_PROTOCOL;

/* First and last entry of the log; FALSE/TRUE: whether entries were lost. */
typedef EFI_STATUS (EFIAPI *EFI_TCG2_GET_EVENT_LOG)(
	EFI_TCG2_PROTOCOL *This, UINT32 EventLogFormat,
	EFI_PHYSICAL_ADDRESS *EventLogLocation, EFI_PHYSICAL_ADDRESS *EventLogLastEntry,
	BOOLEAN *EventLogTruncated);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_HASH_LOG_EXTEND_EVENT)(
	EFI_TCG2_PROTOCOL *This, UINT64 Flags, EFI_PHYSICAL_ADDRESS DataToHash,
	UINT64 DataToHashLen, EFI_TCG2_EVENT *EfiTcgEvent);

typedef EFI_STATUS (EFIAPI *EFI_TCG2_SUBMIT_COMMAND)(
	EFI_TCG2_PROTOCOL *This, UINT32 InputParameterBlockSize,
	UINT8 *InputParameterBlock, UINT32 OutputParameterBlockSize,
	UINT8 *OutputParameterBlock);

struct _EFI_TCG2_PROTOCOL {
	void                          *GetCapability;
	EFI_TCG2_GET_EVENT_LOG         GetEventLog;
	EFI_TCG2_HASH_LOG_EXTEND_EVENT HashLogExtendEvent;
	EFI_TCG2_SUBMIT_COMMAND        SubmitCommand;
	void                          *GetActivePcrBanks;
	void                          *SetActivePcrBanks;
	void                          *GetResultOfSetActivePcrBanks;
};

#endif
