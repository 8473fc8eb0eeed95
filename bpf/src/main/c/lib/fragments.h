/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * IPv4 fragment tracking for bpf_lxc: only the first fragment of a datagram carries the ports
 * (for ICMP: the message type, kept in dport), so it records them here and the later fragments
 * of the same datagram (same addresses, protocol and IP id) are judged with them. A later fragment that arrives before its first one,
 * or after the entry was evicted, cannot be judged and is dropped (DROP_FRAGMENT); the sender's
 * IP layer retransmits the whole datagram. v2: ICMP entries carry the type. Java mirror: FragKey,
 * FragPorts.
 */
#ifndef PORTCULLIS_FRAGMENTS_H
#define PORTCULLIS_FRAGMENTS_H

#include "common.h"

#define FRAG_MAX_ENTRIES 8192

struct frag_key {
	__be32 saddr;  /* network order */
	__be32 daddr;  /* network order */
	__be16 ip_id;  /* IPv4 identification, network order */
	__u8 protocol; /* IPPROTO_* */
	__u8 pad;
};

struct frag_ports {
	__be16 sport; /* network order */
	__be16 dport; /* network order; for ICMP the message type */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct frag_key);
	__type(value, struct frag_ports);
	__uint(max_entries, FRAG_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_frag_v2 SEC(".maps");

static __always_inline void frag_key_of(struct frag_key *key, const struct flow4 *flow)
{
	key->saddr = flow->saddr;
	key->daddr = flow->daddr;
	key->ip_id = flow->ip_id;
	key->protocol = flow->protocol;
	key->pad = 0;
}

/* The first fragment (offset 0, more to come) remembers the datagram's ports or ICMP type. */
static __always_inline void frag_remember(const struct flow4 *flow)
{
	struct frag_key key;
	struct frag_ports ports = {
		.sport = flow->sport,
		.dport = flow->protocol == IPPROTO_ICMP ? bpf_htons(flow->icmp_type) : flow->dport,
	};

	frag_key_of(&key, flow);
	bpf_map_update_elem(&portcullis_frag_v2, &key, &ports, BPF_ANY);
}

/* Fills the ports of a later fragment from its first one; 0 when they are unknown. */
static __always_inline int frag_recall(struct flow4 *flow)
{
	struct frag_key key;
	struct frag_ports *ports;

	frag_key_of(&key, flow);
	ports = bpf_map_lookup_elem(&portcullis_frag_v2, &key);
	if (!ports)
		return 0;
	if (flow->protocol == IPPROTO_ICMP) {
		flow->icmp_type = (__u8)bpf_ntohs(ports->dport);
		return 1;
	}
	flow->sport = ports->sport;
	flow->dport = ports->dport;
	return 1;
}

#endif
