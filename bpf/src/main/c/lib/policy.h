/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * L3/L4 policy: one node-wide LPM trie keyed by (local identity, remote identity, direction,
 * protocol, destination port), where the "port" of ICMP is the message type (v2; v1 had no ICMP
 * types). The LPM prefix length expresses the wildcards:
 *
 *   prefixlen  72          local + remote + direction match, any protocol, any port
 *   prefixlen  80          ... + this protocol, any port
 *   prefixlen  80 + n      ... + the first n bits of the port: a power-of-two aligned port block,
 *                          so a port range [from, to] is written as a few blocks (Java: PolicyKey)
 *   prefixlen  96          ... + this exact port
 *
 * A remote identity of 0 (IDENTITY_UNKNOWN) in the key means "any peer". Lookup runs for the
 * peer's identity and for "any"; a DENY from either wins, otherwise the peer-specific entry is
 * preferred. No match at all is a drop: once an endpoint is selected it is default-deny, and the
 * agent writes an allow-all entry (prefixlen 72, remote 0) for directions no policy selects.
 * Java mirror: PolicyKey, PolicyValue.
 */
#ifndef PORTCULLIS_POLICY_H
#define PORTCULLIS_POLICY_H

#include "common.h"

#define POLICY_MAX_ENTRIES 65536

/* Prefix length covering local_id, remote_id and direction: the part that never wildcards. */
#define POLICY_PREFIX_FIXED 72
#define POLICY_PREFIX_FULL 96

enum policy_direction {
	POLICY_INGRESS = 0, /* traffic into the local endpoint */
	POLICY_EGRESS = 1,  /* traffic out of the local endpoint */
};

enum policy_verdict {
	POLICY_ALLOW = 1,
	POLICY_DENY = 2,
	POLICY_PROXY = 3, /* allowed at L3/L4, L7 rules apply: only via the proxy on proxy_port */
	POLICY_AUDIT = 4, /* denied only by policies in audit mode: forwarded, counted as audited */
};

struct policy_key {
	__u32 prefixlen; /* LPM prefix length over the fields below, host order */
	__u32 local_id;  /* identity of the endpoint the policy belongs to, host order */
	__u32 remote_id; /* peer identity, 0 = any peer, host order */
	__u8 direction;  /* enum policy_direction */
	__u8 protocol;   /* IPPROTO_*, only matched when prefixlen >= 80 */
	__be16 dport;    /* destination port (ICMP: message type), network order so port blocks are bit prefixes */
};

struct policy_value {
	__u8 verdict;      /* enum policy_verdict */
	__u8 pad;
	__be16 proxy_port; /* network order; set for POLICY_PROXY */
	__u32 rule_id;     /* opaque to BPF: lets the agent say which rule matched, host order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct policy_key);
	__type(value, struct policy_value);
	__uint(max_entries, POLICY_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_policy_v2 SEC(".maps");

/*
 * Returns the entry that decides the flow, or NULL when nothing matches (default deny).
 */
static __always_inline struct policy_value *policy_lookup(__u32 local_id, __u32 remote_id,
							  enum policy_direction direction,
							  __u8 protocol, __be16 dport)
{
	struct policy_key key = {
		.prefixlen = POLICY_PREFIX_FULL,
		.local_id = local_id,
		.remote_id = remote_id,
		.direction = direction,
		.protocol = protocol,
		.dport = dport,
	};
	struct policy_value *specific, *any;

	specific = bpf_map_lookup_elem(&portcullis_policy_v2, &key);
	key.remote_id = IDENTITY_UNKNOWN;
	any = bpf_map_lookup_elem(&portcullis_policy_v2, &key);

	if (any && any->verdict == POLICY_DENY)
		return any;
	return specific ? specific : any;
}

/*
 * Whether a flow the entry does not allow is let through as audit: the entry says AUDIT, or it
 * denies (or nothing matches) and the endpoint whose policy it is, or the whole node, is in audit
 * mode (endpoint_audit: IPCACHE_F_AUDIT on the endpoint). Cilium's policy audit mode.
 */
static __always_inline int policy_audited(struct policy_value *verdict, int endpoint_audit)
{
	if (verdict && verdict->verdict == POLICY_AUDIT)
		return 1;
	return endpoint_audit && (!verdict || verdict->verdict == POLICY_DENY);
}

#endif
