/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Test-only program the verifier must reject (packet read without a bounds check), to prove that
 * a load failure carries the verifier log in BpfException.
 */
#include "lib/common.h"

SEC("xdp")
int unchecked_read(struct xdp_md *ctx)
{
	return *(__u8 *)(long)ctx->data;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
