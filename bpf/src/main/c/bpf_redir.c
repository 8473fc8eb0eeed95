/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * sk_msg on portcullis_sockhash_v1: moves each message a paired socket sends straight into the
 * receive queue of its peer socket (the reversed 4-tuple), skipping the TCP/IP stack.
 *
 * Policy: a message to or from the proxy was judged by connect4 and is judged per request by the
 * proxy, so it is redirected. Between two endpoints it is redirected only when the L3/L4 policy
 * map says ALLOW for the connection (checked from either side's view, so replies qualify too);
 * anything else, and any peer missing from the sockhash, takes the normal stack, where TC policy
 * applies. Redirect never lets through what the stack would drop.
 */
#include "lib/common.h"
#include "lib/ipcache.h"
#include "lib/policy.h"
#include "lib/sockmap.h"

static __always_inline int allowed(__u32 src_id, __u32 dst_id, __be16 dport)
{
	struct policy_value *egress = policy_lookup(src_id, dst_id, POLICY_EGRESS, IPPROTO_TCP, dport);
	struct policy_value *ingress;

	if (!egress || egress->verdict != POLICY_ALLOW)
		return 0;
	ingress = policy_lookup(dst_id, src_id, POLICY_INGRESS, IPPROTO_TCP, dport);
	return ingress && ingress->verdict == POLICY_ALLOW;
}

static __always_inline int may_redirect(struct sk_msg_md *msg, struct steering_config *config,
					__be16 local_port, __be16 remote_port)
{
	__u32 local_id, remote_id;

	if (msg->local_ip4 == config->proxy_addr || msg->remote_ip4 == config->proxy_addr)
		return 1;
	local_id = remote_identity(msg->local_ip4);
	remote_id = remote_identity(msg->remote_ip4);
	/* Sent by the connection's client (to the server's port), or by its server (a reply). */
	return allowed(local_id, remote_id, remote_port) || allowed(remote_id, local_id, local_port);
}

SEC("sk_msg")
int redir_msg(struct sk_msg_md *msg)
{
	struct steering_config *config = steering_config();
	__be16 local_port = bpf_htons((__u16)msg->local_port);
	__be16 remote_port = (__be16)(msg->remote_port >> 16);
	struct sock_key peer = {
		.sip = msg->remote_ip4,
		.dip = msg->local_ip4,
		.sport = remote_port,
		.dport = local_port,
	};

	if (!config || !(config->flags & STEER_F_SOCKET_REDIRECT) || !may_redirect(msg, config, local_port, remote_port)) {
		steer_count(STEER_MSG_PASSED);
		return SK_PASS;
	}
	/* On a miss the helper returns SK_DROP and sets no target: SK_PASS then means "the stack". */
	if (bpf_msg_redirect_hash(msg, &portcullis_sockhash_v1, &peer, BPF_F_INGRESS) == SK_PASS)
		steer_count(STEER_MSG_REDIRECTED);
	else
		steer_count(STEER_MSG_PASSED);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
