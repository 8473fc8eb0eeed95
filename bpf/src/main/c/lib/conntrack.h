/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Connection tracking for bpf_lxc: lets replies of an allowed flow pass without a policy entry of
 * their own and keeps established flows alive across policy updates. Keyed by the flow as seen by
 * the endpoint that opened it. Java mirror: CtKey, CtValue.
 */
#ifndef PORTCULLIS_CONNTRACK_H
#define PORTCULLIS_CONNTRACK_H

#include "common.h"

#define CT_MAX_ENTRIES 262144

enum ct_direction {
	CT_INGRESS = 0, /* opened towards the local endpoint */
	CT_EGRESS = 1,  /* opened by the local endpoint */
};

#define CT_F_SEEN_NON_SYN 0x1 /* the handshake completed */
#define CT_F_TX_CLOSING 0x2   /* FIN or RST seen from the opener */
#define CT_F_RX_CLOSING 0x4   /* FIN or RST seen from the peer */
#define CT_F_PROXY 0x8        /* the flow was redirected to the proxy */

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

#endif
