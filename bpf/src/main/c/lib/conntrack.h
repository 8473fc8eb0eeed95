/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Connection tracking for bpf_lxc: lets replies of an allowed flow pass without a policy entry of
 * their own, and follows TCP state so that entries of closed connections expire quickly. Keyed
 * by the flow as seen by the endpoint that opened it, plus the direction it was opened in
 * relative to the local endpoint: a flow between two local endpoints has one entry per side.
 *
 * Expiry: an entry is alive while now - last_seen_ns <= its lifetime (enum ct_lifetime, chosen by
 * protocol and flags, as Cilium's defaults). The programs treat an expired entry as absent, so
 * expiry is exact whatever the garbage collection timing; the agent's sweep (Java: CtGc) only
 * reclaims the memory, and the LRU evicts the least recently used entries when the map is full.
 * Java mirror: CtKey, CtValue, CtLifetime.
 */
#ifndef PORTCULLIS_CONNTRACK_H
#define PORTCULLIS_CONNTRACK_H

#include "common.h"
#include "ct_lifetime.h"

#define CT_MAX_ENTRIES 262144

enum ct_direction {
	CT_INGRESS = 0, /* opened towards the local endpoint */
	CT_EGRESS = 1,  /* opened by the local endpoint */
};

struct ct_key {
	__be32 saddr;   /* opener's address, network order */
	__be32 daddr;   /* peer's address, network order */
	__be16 sport;   /* opener's port, network order */
	__be16 dport;   /* peer's port, network order */
	__u8 protocol;  /* IPPROTO_* */
	__u8 direction; /* enum ct_direction */
	__u16 pad;
};

struct ct_value {
	__u64 last_seen_ns; /* bpf_ktime_get_ns() of the last packet, host order */
	__u64 packets;      /* both directions, host order */
	__u64 bytes;        /* both directions, host order */
	__u32 src_identity; /* opener's identity when the flow was created, host order */
	__u16 flags;        /* CT_F_*, host order */
	__be16 proxy_port;  /* network order; set with CT_F_PROXY */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct ct_key);
	__type(value, struct ct_value);
	__uint(max_entries, CT_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_ct_v1 SEC(".maps");

/* The live entry for key, or NULL when there is none or it has expired. */
static __always_inline struct ct_value *ct_lookup(struct ct_key *key, __u64 now)
{
	struct ct_value *value = bpf_map_lookup_elem(&portcullis_ct_v1, key);

	if (value && now - value->last_seen_ns > ct_lifetime_ns(key->protocol, value->flags))
		return NULL;
	return value;
}

/*
 * Accounts one packet to a live entry and follows TCP: a packet other than a bare SYN completes
 * the handshake, FIN closes the sender's half, RST closes both. from_opener: the packet travels
 * in the direction the flow was opened in.
 */
static __always_inline void ct_account(struct ct_value *value, __u8 tcp_flags, int from_opener,
				       __u64 now, __u32 bytes)
{
	__u16 flags = ct_next_flags(value->flags, tcp_flags, from_opener);

	/* Racing CPUs may both write: flags only grow within a flow and the last writer is as good. */
	if (flags != value->flags)
		value->flags = flags;
	value->last_seen_ns = now;
	__sync_fetch_and_add(&value->packets, 1);
	__sync_fetch_and_add(&value->bytes, bytes);
}

/*
 * Accounts an ICMP error related to the flow: counted, but neither its TCP state nor its
 * last_seen_ns moves. An error reports trouble, not progress, and anyone on the path can send
 * one: it must not complete a handshake or keep a dead flow alive (netfilter does the same).
 */
static __always_inline void ct_account_related(struct ct_value *value, __u32 bytes)
{
	__sync_fetch_and_add(&value->packets, 1);
	__sync_fetch_and_add(&value->bytes, bytes);
}

/*
 * Creates (or replaces an expired or closing) entry for a flow the policy allowed. A full map
 * evicts its least recently used entry: creating never fails for lack of room.
 */
static __always_inline void ct_create(struct ct_key *key, __u32 src_identity, __u8 tcp_flags,
				      __u64 now, __u32 bytes, __u16 extra_flags, __be16 proxy_port)
{
	struct ct_value value = {
		.last_seen_ns = now,
		.packets = 1,
		.bytes = bytes,
		.src_identity = src_identity,
		.flags = extra_flags,
		.proxy_port = proxy_port,
	};

	if (key->protocol == IPPROTO_TCP && !is_bare_syn(tcp_flags))
		value.flags |= CT_F_SEEN_NON_SYN;
	bpf_map_update_elem(&portcullis_ct_v1, key, &value, BPF_ANY);
}

#endif
