/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TC programs on the host side of each endpoint's veth pair: L3/L4 policy.
 *
 *   lxc_from_endpoint  TC ingress of the host veth: packets the endpoint sends (its egress)
 *   lxc_to_endpoint    TC egress of the host veth: packets sent to the endpoint (its ingress)
 *
 * Pipeline per IPv4 packet: parse -> identities from the ipcache (local endpoint must be known,
 * unknown peers are "world") -> [conntrack: replies of tracked flows skip policy — next step,
 * lib/conntrack.h] -> policy lookup -> verdict. ARP passes so neighbours resolve; other L3
 * protocols (IPv6 included, until it is enforced) are dropped: fail closed.
 */
#include "lib/common.h"
#include "lib/drop.h"
#include "lib/ipcache.h"
#include "lib/policy.h"

static __always_inline int drop(struct __sk_buff *skb, enum drop_reason reason)
{
	count_drop(reason, skb->len);
	return TC_ACT_SHOT;
}

static __always_inline int enforce(struct __sk_buff *skb, enum policy_direction direction)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ipcache_value *local;
	struct policy_value *verdict;
	struct flow4 flow;
	__u16 eth_proto;
	__u32 remote_id;
	__be32 local_addr, remote_addr;

	/* No default: -Wall (-Wswitch) then flags a new parse result that is not handled here. */
	switch (parse_ipv4(data, data_end, &flow, &eth_proto)) {
	case PARSE_OK:
		break;
	case PARSE_NOT_IPV4:
		return eth_proto == ETH_P_ARP ? TC_ACT_OK : drop(skb, DROP_UNSUPPORTED_L3);
	case PARSE_FRAGMENT:
		return drop(skb, DROP_FRAGMENT);
	case PARSE_TRUNCATED:
	case PARSE_L4_TRUNCATED:
		return drop(skb, DROP_INVALID_PACKET);
	}

	if (direction == POLICY_EGRESS) {
		local_addr = flow.saddr;
		remote_addr = flow.daddr;
	} else {
		local_addr = flow.daddr;
		remote_addr = flow.saddr;
	}

	/* The endpoint's own address must be a local endpoint: anything else is spoofed or stray. */
	local = ipcache_lookup(local_addr);
	if (!local || !(local->flags & IPCACHE_F_LOCAL_ENDPOINT))
		return drop(skb, DROP_UNKNOWN_ENDPOINT);

	/* The proxy already enforced both the source's egress and this endpoint's ingress rules. */
	if (direction == POLICY_INGRESS && (skb->mark & MARK_MAGIC_MASK) == MARK_MAGIC_PROXY)
		return TC_ACT_OK;

	remote_id = remote_identity(remote_addr);
	verdict = policy_lookup(local->identity, remote_id, direction, flow.protocol, flow.dport);
	if (!verdict || verdict->verdict == POLICY_DENY)
		return drop(skb, DROP_POLICY_DENIED);
	/*
	 * L7 flows reach the peer only through the proxy: bpf_sock rewrites the connection to the
	 * proxy, so a packet still addressed to the original peer bypassed it.
	 */
	if (verdict->verdict == POLICY_PROXY)
		return drop(skb, DROP_PROXY_REQUIRED);
	if (verdict->verdict == POLICY_ALLOW)
		return TC_ACT_OK;
	return drop(skb, DROP_POLICY_DENIED);
}

SEC("tc")
int lxc_from_endpoint(struct __sk_buff *skb)
{
	return enforce(skb, POLICY_EGRESS);
}

SEC("tc")
int lxc_to_endpoint(struct __sk_buff *skb)
{
	return enforce(skb, POLICY_INGRESS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
