/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * CIDR prefilter run by bpf_xdp on the uplink: a hash of blocked /32 source addresses (one probe,
 * cheapest for long block lists of single hosts) and an LPM trie of blocked prefixes. Each entry
 * counts the packets it dropped. Java mirror: PrefilterHashKey, PrefilterLpmKey, PrefilterValue.
 */
#ifndef PORTCULLIS_PREFILTER_H
#define PORTCULLIS_PREFILTER_H

#include "common.h"

#define PREFILTER_HASH_MAX_ENTRIES 262144
#define PREFILTER_LPM_MAX_ENTRIES 262144

struct prefilter_hash_key {
	__be32 addr; /* blocked source address, network order */
};

struct prefilter_lpm_key {
	__u32 prefixlen; /* LPM prefix length in bits (0..32), host order */
	__be32 addr;     /* prefix address, network order */
};

struct prefilter_value {
	__u64 drops; /* packets dropped by this entry, updated atomically by every CPU */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct prefilter_hash_key);
	__type(value, struct prefilter_value);
	__uint(max_entries, PREFILTER_HASH_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_prefilter_hash_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct prefilter_lpm_key);
	__type(value, struct prefilter_value);
	__uint(max_entries, PREFILTER_LPM_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_prefilter_lpm_v1 SEC(".maps");

/* Returns the entry blocking saddr (counting the drop in it), or NULL when saddr may pass. */
static __always_inline struct prefilter_value *prefilter_match(__be32 saddr)
{
	struct prefilter_hash_key hkey = { .addr = saddr };
	struct prefilter_lpm_key lkey = { .prefixlen = 32, .addr = saddr };
	struct prefilter_value *value;

	value = bpf_map_lookup_elem(&portcullis_prefilter_hash_v1, &hkey);
	if (!value)
		value = bpf_map_lookup_elem(&portcullis_prefilter_lpm_v1, &lkey);
	if (value)
		__sync_fetch_and_add(&value->drops, 1);
	return value;
}

#endif
