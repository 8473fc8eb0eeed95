/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Test-only programs for the attach paths whose production programs are not written yet:
 * a connect4 hook that refuses one port (so a test can observe it), and a pass-through sk_msg
 * verdict on a private SOCKHASH.
 */
#include "lib/common.h"

/* Connections to this port from the test's cgroup are refused with EPERM. */
#define DENIED_PORT 9

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} test_sockhash SEC(".maps");

SEC("cgroup/connect4")
int test_connect4(struct bpf_sock_addr *ctx)
{
	return ctx->user_port == bpf_htons(DENIED_PORT) ? 0 : 1;
}

SEC("sk_msg")
int test_sk_msg(struct sk_msg_md *msg)
{
	return SK_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
