/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ipcache: IPv4 prefix -> security identity, longest prefix wins. The agent writes one /32 per
 * endpoint and any CIDR identities; a miss means "world". Java mirror: IpcacheKey, IpcacheValue.
 */
#ifndef PORTCULLIS_IPCACHE_H
#define PORTCULLIS_IPCACHE_H

#include "common.h"

#define IPCACHE_MAX_ENTRIES 262144

struct ipcache_key {
	__u32 prefixlen; /* LPM prefix length in bits (0..32), host order */
	__be32 addr;     /* IPv4 address, network order */
};

struct ipcache_value {
	__u32 identity; /* security identity, host order */
	__u32 flags;    /* IPCACHE_F_*, host order */
};

/* The prefix is an endpoint on this node (its host veth carries bpf_lxc). */
#define IPCACHE_F_LOCAL_ENDPOINT 0x1
/* That endpoint's policy is in audit mode (its own switch or the node's): denials are forwarded. */
#define IPCACHE_F_AUDIT 0x2

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipcache_key);
	__type(value, struct ipcache_value);
	__uint(max_entries, IPCACHE_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* required for LPM tries */
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_ipcache_v1 SEC(".maps");

/* Returns the ipcache entry covering addr, or NULL when no prefix covers it. */
static __always_inline struct ipcache_value *ipcache_lookup(__be32 addr)
{
	struct ipcache_key key = { .prefixlen = 32, .addr = addr };

	return bpf_map_lookup_elem(&portcullis_ipcache_v1, &key);
}

/* Whether the endpoint at addr is in audit mode. */
static __always_inline int ipcache_audits(__be32 addr)
{
	struct ipcache_value *value = ipcache_lookup(addr);

	return value && (value->flags & IPCACHE_F_AUDIT);
}

/* Identity of a remote peer: unknown addresses are the "world". */
static __always_inline __u32 remote_identity(__be32 addr)
{
	struct ipcache_value *value = ipcache_lookup(addr);

	return value ? value->identity : IDENTITY_WORLD;
}

#endif
