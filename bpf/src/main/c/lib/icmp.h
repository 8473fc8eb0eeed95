/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ICMP errors related to tracked flows, for bpf_lxc. Destination unreachable (fragmentation
 * needed included, which path-MTU discovery depends on), time exceeded and parameter problem
 * quote the IPv4 header and first 8 bytes of the packet they report on (RFC 792). Policy allows
 * flows, not the ICMP errors about them, so judging such an error as a new ICMP flow would drop
 * it: PMTU discovery breaks and clients hang instead of seeing "unreachable". As netfilter's and
 * Cilium's RELATED state, an error whose quoted packet belongs to a live conntrack entry of the
 * local endpoint is part of that flow; any other error is judged by policy like any ICMP packet.
 *
 * Reads go through bpf_skb_load_bytes: the quote may lie beyond the linear head of a real skb,
 * and "truncated" must mean the packet ends early, not that its tail sits in page fragments.
 */
#ifndef PORTCULLIS_ICMP_H
#define PORTCULLIS_ICMP_H

#include "common.h"
#include "conntrack.h"

/* ICMP types that quote the offending packet (RFC 792); linux/icmp.h pulls in libc headers. */
#define ICMP_TYPE_DEST_UNREACH 3
#define ICMP_TYPE_TIME_EXCEEDED 11
#define ICMP_TYPE_PARAMETER_PROBLEM 12

/* Type, code, checksum and 4 type-specific bytes precede the quote in every ICMP error. */
#define ICMP_ERROR_HEADER_LEN 8
/* The quote's L4 bytes that RFC 792 guarantees: the TCP/UDP ports, an echo's id and sequence. */
#define ICMP_QUOTED_L4_LEN 8

enum icmp_quote {
	ICMP_QUOTE_NONE = 0,  /* not an ICMP error with a usable quote: judge the packet as usual */
	ICMP_QUOTE_OK,        /* an ICMP error; the quoted packet's flow was filled in */
	ICMP_QUOTE_TRUNCATED, /* an ICMP error whose quoted header (or its IHL) or 8 L4 bytes are cut short */
};

static __always_inline int icmp_is_error(__u8 type)
{
	return type == ICMP_TYPE_DEST_UNREACH || type == ICMP_TYPE_TIME_EXCEEDED ||
	       type == ICMP_TYPE_PARAMETER_PROBLEM;
}

/*
 * For an unfragmented (or first-fragment) IPv4 ICMP error in skb, whose outer headers parse_ipv4
 * gave as flow, fills quoted with the flow of the packet it quotes: addresses, protocol, and the
 * ports as parse_ipv4 gives them (TCP/UDP ports, zero otherwise, so a quoted echo keys conntrack
 * as the echo did). A quoted non-first fragment carries no ports to key conntrack with: no quote.
 */
static __always_inline enum icmp_quote icmp_quoted_flow(struct __sk_buff *skb, const struct flow4 *flow,
							struct flow4 *quoted)
{
	struct iphdr outer, inner;
	__be16 ports[ICMP_QUOTED_L4_LEN / sizeof(__be16)];
	__u32 icmp_off, inner_off, l4_off, inner_ihl;
	__u8 type;

	/* Every packet comes here: the others must not pay for the loads below. */
	if (flow->protocol != IPPROTO_ICMP)
		return ICMP_QUOTE_NONE;
	if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr), &outer, sizeof(outer)) < 0)
		return ICMP_QUOTE_NONE;
	if (outer.ihl < 5 || outer.protocol != IPPROTO_ICMP || (bpf_ntohs(outer.frag_off) & IP_OFFSET))
		return ICMP_QUOTE_NONE;
	icmp_off = sizeof(struct ethhdr) + outer.ihl * 4;
	if (bpf_skb_load_bytes(skb, icmp_off, &type, sizeof(type)) < 0 || !icmp_is_error(type))
		return ICMP_QUOTE_NONE;

	inner_off = icmp_off + ICMP_ERROR_HEADER_LEN;
	if (bpf_skb_load_bytes(skb, inner_off, &inner, sizeof(inner)) < 0)
		return ICMP_QUOTE_TRUNCATED;
	inner_ihl = inner.ihl * 4;
	if (inner_ihl < sizeof(inner))
		return ICMP_QUOTE_TRUNCATED;
	if (bpf_ntohs(inner.frag_off) & IP_OFFSET)
		return ICMP_QUOTE_NONE;
	l4_off = inner_off + inner_ihl;
	/* Bytes past the outer datagram's own length are link-layer padding, not quote. */
	if (l4_off + ICMP_QUOTED_L4_LEN > sizeof(struct ethhdr) + bpf_ntohs(outer.tot_len) ||
	    bpf_skb_load_bytes(skb, l4_off, ports, sizeof(ports)) < 0)
		return ICMP_QUOTE_TRUNCATED;

	quoted->saddr = inner.saddr;
	quoted->daddr = inner.daddr;
	quoted->protocol = inner.protocol;
	if (inner.protocol == IPPROTO_TCP || inner.protocol == IPPROTO_UDP) {
		quoted->sport = ports[0];
		quoted->dport = ports[1];
	} else {
		quoted->sport = 0;
		quoted->dport = 0;
	}
	return ICMP_QUOTE_OK;
}

/*
 * The live conntrack entry of the local endpoint (local_addr) that the quoted packet belongs to,
 * or NULL. quoted_direction: how the quoted packet travelled relative to the endpoint (CT_EGRESS
 * when it sent it: the error travels to the endpoint). The quoted packet either went the way its
 * flow was opened (the entry is keyed as the quote), or was a reply (keyed reversed, opened the
 * other way): an error to the endpoint may concern a flow it opened or one opened towards it,
 * and likewise for an error it sends. The endpoint must be the quote's own side: flows between
 * two local endpoints have an entry per side, and the other side's must not vouch for it.
 */
static __always_inline struct ct_value *icmp_related_entry(const struct flow4 *quoted, __be32 local_addr,
							   enum ct_direction quoted_direction, __u64 now)
{
	struct ct_key key = {};
	struct ct_value *entry;

	if ((quoted_direction == CT_EGRESS ? quoted->saddr : quoted->daddr) != local_addr)
		return NULL;

	key.saddr = quoted->saddr;
	key.daddr = quoted->daddr;
	key.sport = quoted->sport;
	key.dport = quoted->dport;
	key.protocol = quoted->protocol;
	key.direction = quoted_direction;
	entry = ct_lookup(&key, now);
	if (entry)
		return entry;

	key.saddr = quoted->daddr;
	key.daddr = quoted->saddr;
	key.sport = quoted->dport;
	key.dport = quoted->sport;
	key.direction = quoted_direction == CT_EGRESS ? CT_INGRESS : CT_EGRESS;
	return ct_lookup(&key, now);
}

#endif
