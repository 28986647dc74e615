/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error numbers shared by the kernel, the runtime and the tools. Functions
 * return 0 or a positive value on success and a negated code on failure
 * (-BH_EINVAL), as Linux does; the values are Linux's so logs read alike.
 */
#ifndef BULKHEAD_ERRNO_H
#define BULKHEAD_ERRNO_H

#define BH_EPERM    1   /* operation not permitted by policy */
#define BH_ENOENT   2   /* no such object */
#define BH_EIO      5   /* device or firmware failure */
#define BH_E2BIG    7   /* argument too large */
#define BH_EAGAIN  11   /* not now: try again in a moment */
#define BH_ENOMEM  12   /* out of memory */
#define BH_EFAULT  14   /* bad guest or table address */
#define BH_EBUSY   16   /* resource in use */
#define BH_ENODEV  19   /* no such device (no IOMMU) */
#define BH_EEXIST  17   /* already exists */
#define BH_EINVAL  22   /* invalid argument */
#define BH_ENOSPC  28   /* no room left */
#define BH_EPIPE   32   /* the other end is gone */
#define BH_ERANGE  34   /* value out of range */
#define BH_ENOSYS  38   /* no such call */
#define BH_ENODATA 61   /* no data available */
#define BH_ETIMEDOUT 110 /* wait timed out */
#define BH_EDQUOT  122  /* a policy quota would be exceeded */

#endif
