/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * TC programs on the host side of each endpoint's veth pair: L3/L4 policy with connection tracking.
 *
 *   lxc_from_endpoint  TC ingress of the host veth: packets the endpoint sends (its egress)
 *   lxc_to_endpoint    TC egress of the host veth: packets sent to the endpoint (its ingress)
 *
 * Pipeline per IPv4 packet: parse (later fragments take their ports from the first one) ->
 * the local endpoint must be known -> conntrack: an ICMP error about a tracked flow of the
 * endpoint (RELATED), and a reply of a tracked flow, pass without policy -> policy lookup for the
 * packet's direction (ICMP by message type, so an echo request is judged as type 8 and its reply
 * passes as a reply) -> verdict -> the allowed flow is tracked. In audit mode (the endpoint's or
 * the node's switch, or an AUDIT entry from policies in audit mode) a flow policy would drop is
 * tracked and forwarded as an allowed one, and each such packet is counted as audited.
 *
 * As in Cilium, only replies (and ICMP errors about tracked flows) skip policy: packets in the
 * direction a flow was opened in are judged on every packet, so a policy change reaches
 * established flows at once (a removed allow stops them, an added deny too). Conntrack is what
 * lets the replies through without a reverse policy, and what the flow listing and TCP-state
 * expiry rest on.
 *
 * ICMP errors (destination unreachable, fragmentation needed among them, time exceeded,
 * parameter problem) are judged by the packet they quote (lib/icmp.h): quoting a live flow of the
 * endpoint, whichever side opened it, they pass in either direction, so path-MTU discovery works
 * and clients see "unreachable" instead of hanging; they are counted on the flow without
 * refreshing it. A quote cut short is dropped as invalid; an error about no tracked flow, and
 * every other ICMP message, is judged by policy like any packet.
 *
 * ARP passes so neighbours resolve; other L3 protocols (IPv6 included, until it is enforced) are
 * dropped: fail closed.
 *
 * Every drop, and the verdict on every new flow, is reported to the agent as a flow event
 * (lib/flow_events.h), rate-limited per CPU.
 */
#include "lib/common.h"
#include "lib/conntrack.h"
#include "lib/drop.h"
#include "lib/flow_events.h"
#include "lib/fragments.h"
#include "lib/icmp.h"
#include "lib/ipcache.h"
#include "lib/policy.h"

static __always_inline int enforce(struct __sk_buff *skb, enum policy_direction direction)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ipcache_value *local;
	struct policy_value *verdict;
	struct ct_value *entry;
	struct ct_key key = {};
	struct flow_decision decision = {};
	struct flow4 flow = {}, quoted;
	__u16 eth_proto, ct_flags = 0;
	__u32 remote_id, opener_id;
	__be32 local_addr, remote_addr;
	__u64 now;
	int proxied, audited;

	/* No default: -Wall (-Wswitch) then flags a new parse result that is not handled here. */
	switch (parse_ipv4(data, data_end, &flow, &eth_proto)) {
	case PARSE_OK:
		if (flow.first_fragment)
			frag_remember(&flow);
		break;
	case PARSE_NOT_IPV4:
		return eth_proto == ETH_P_ARP ? forward(skb, direction)
					      : drop_reported(skb, &flow, DROP_UNSUPPORTED_L3, direction, &decision);
	case PARSE_FRAGMENT:
		if (!frag_recall(&flow))
			return drop_reported(skb, &flow, DROP_FRAGMENT, direction, &decision);
		break;
	case PARSE_TRUNCATED:
	case PARSE_L4_TRUNCATED:
		return drop_reported(skb, &flow, DROP_INVALID_PACKET, direction, &decision);
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
		return drop_reported(skb, &flow, DROP_UNKNOWN_ENDPOINT, direction, &decision);
	decision.local_id = local->identity;

	now = bpf_ktime_get_ns();

	/* An error to the endpoint quotes a packet it sent, an error from it one it received. */
	switch (icmp_quoted_flow(skb, &flow, &quoted)) {
	case ICMP_QUOTE_NONE:
		break;
	case ICMP_QUOTE_TRUNCATED:
		return drop_reported(skb, &flow, DROP_INVALID_PACKET, direction, &decision);
	case ICMP_QUOTE_OK:
		entry = icmp_related_entry(&quoted, local_addr,
					   direction == POLICY_EGRESS ? CT_INGRESS : CT_EGRESS, now);
		if (entry) {
			ct_account_related(entry, skb->len);
			return forward(skb, direction);
		}
		break;
	}

	/* A reply: this packet reversed is a flow opened in the other direction. */
	key.saddr = flow.daddr;
	key.daddr = flow.saddr;
	key.sport = flow.dport;
	key.dport = flow.sport;
	key.protocol = flow.protocol;
	key.direction = direction == POLICY_EGRESS ? CT_INGRESS : CT_EGRESS;
	entry = ct_lookup(&key, now);
	if (entry) {
		ct_account(entry, flow.tcp_flags, 0, now, skb->len);
		return forward(skb, direction);
	}

	/*
	 * The proxy's upstream connections carry its mark: they are judged as the original source
	 * (its identity rides in the mark) and may use a PROXY verdict, the proxy having enforced L7.
	 * Only the host side can set a mark: crossing the veth from an endpoint scrubs it.
	 */
	proxied = direction == POLICY_INGRESS && mark_is_proxy(skb->mark);
	if (proxied && mark_identity(skb->mark) != IDENTITY_UNKNOWN)
		remote_id = mark_identity(skb->mark);
	else
		remote_id = remote_identity(remote_addr);
	decision.remote_id = remote_id;
	if (proxied)
		decision.flags |= FLOW_F_PROXIED;

	verdict = policy_lookup(local->identity, remote_id, direction, flow.protocol, flow_policy_port(&flow));
	/* Audit mode: what policy would drop is tracked and forwarded as if allowed, and counted. */
	audited = policy_audited(verdict, local->flags & IPCACHE_F_AUDIT);
	if (verdict)
		decision.rule_id = verdict->rule_id;
	if (!audited) {
		if (!verdict || verdict->verdict == POLICY_DENY)
			return drop_reported(skb, &flow, DROP_POLICY_DENIED, direction, &decision);
		/*
		 * L7 flows reach the peer only through the proxy: bpf_sock rewrites the connection to
		 * the proxy, so a packet still addressed to the original peer bypassed it.
		 */
		if (verdict->verdict == POLICY_PROXY && !proxied)
			return drop_reported(skb, &flow, DROP_PROXY_REQUIRED, direction, &decision);
		if (verdict->verdict != POLICY_ALLOW && verdict->verdict != POLICY_PROXY)
			return drop_reported(skb, &flow, DROP_POLICY_DENIED, direction, &decision);
	}

	key.saddr = flow.saddr;
	key.daddr = flow.daddr;
	key.sport = flow.sport;
	key.dport = flow.dport;
	key.direction = direction == POLICY_EGRESS ? CT_EGRESS : CT_INGRESS;
	entry = ct_lookup(&key, now);
	/* A new SYN on a closing entry reuses the 4-tuple for a new connection: start afresh. */
	if (entry && !(is_bare_syn(flow.tcp_flags) &&
		       (entry->flags & (CT_F_TX_CLOSING | CT_F_RX_CLOSING)))) {
		ct_account(entry, flow.tcp_flags, 1, now, skb->len);
		return audited ? forward_audited(skb, direction) : forward(skb, direction);
	}
	opener_id = direction == POLICY_EGRESS ? local->identity : remote_id;
	if (proxied)
		ct_flags |= CT_F_PROXY;
	ct_create(&key, opener_id, flow.tcp_flags, now, skb->len, ct_flags,
		  verdict && verdict->verdict == POLICY_PROXY ? verdict->proxy_port : 0);
	flow_report(skb, &flow, direction, audited ? FLOW_AUDIT : FLOW_FORWARDED, 0, &decision);
	return audited ? forward_audited(skb, direction) : forward(skb, direction);
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
