/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * XDP on the uplink: CIDR prefilter. Drops IPv4 packets whose source address is in the blocked
 * /32 hash or inside a blocked prefix of the LPM trie, counting per entry and per reason.
 *
 * Everything the prefilter cannot judge passes: non-IPv4 frames (ARP, IPv6, VLAN-tagged) and
 * frames too short to hold an Ethernet + IPv4 header. A complete IPv4 header is enough to judge
 * the source, so fragments and packets with a cut-off TCP/UDP header are filtered. The prefilter only removes known-bad
 * sources early; malformed packets are left to the kernel stack, which drops them anyway, and
 * the endpoint's bpf_lxc enforces policy on everything that reaches it.
 */
#include "lib/common.h"
#include "lib/drop.h"
#include "lib/prefilter.h"

SEC("xdp")
int xdp_prefilter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct flow4 flow;
	__u16 eth_proto;
	enum parse_result parsed = parse_ipv4(data, data_end, &flow, &eth_proto);

	/* The source address is all the prefilter needs: fragments and runt L4 headers have it. */
	if (parsed == PARSE_NOT_IPV4 || parsed == PARSE_TRUNCATED)
		return XDP_PASS;

	if (prefilter_match(flow.saddr)) {
		count_drop(DROP_PREFILTER, TRAFFIC_INGRESS, data_end - data);
		return XDP_DROP;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
