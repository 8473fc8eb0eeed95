/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Drop reasons and the per-CPU drop counter array shared by every program (pinned by name, so
 * XDP and TC objects count into the same map). io.portcullis.bpf.maps.DropReason mirrors the
 * reason numbers; keep both in step. The map's size is DROP_REASON_MAX, so a new reason bumps its
 * _vN name: libbpf refuses to reuse a pinned map of another size.
 *
 * portcullis_traffic_v2 counts the same drops per direction, and beside them the packets the
 * endpoint programs let through (TRAFFIC_FORWARDED, the unused reason 0) and, among those, the
 * packets policy would have dropped that audit mode let through (TRAFFIC_AUDITED, the slot after
 * the last reason): index direction * TRAFFIC_SLOTS + slot, direction as enum policy_direction
 * (the prefilter and the load balancer's ingress program count as ingress, its egress program as
 * egress). v2 since the audit slot grew it.
 */
#ifndef PORTCULLIS_DROP_H
#define PORTCULLIS_DROP_H

#include "common.h"

enum drop_reason {
	DROP_PREFILTER = 1,        /* source address blocked by the XDP CIDR prefilter */
	DROP_POLICY_DENIED = 2,    /* no policy entry allows the flow, or a deny entry matched */
	DROP_PROXY_REQUIRED = 3,   /* L7 policy applies but the packet did not pass the proxy */
	DROP_UNKNOWN_ENDPOINT = 4, /* the local endpoint's address is not in the ipcache */
	DROP_INVALID_PACKET = 5,   /* truncated or malformed L3/L4 header */
	DROP_UNSUPPORTED_L3 = 6,   /* neither IPv4 nor ARP (IPv6 is not enforced yet: fail closed) */
	DROP_FRAGMENT = 7,         /* non-first IPv4 fragment: no ports to check policy against */
	DROP_NO_SERVICE_BACKEND = 8, /* to a service frontend that has no backend */
	DROP_REASON_MAX = 9,       /* array size; not a reason */
};

/* Reason 0 of portcullis_traffic_v2: forwarded, not dropped. */
#define TRAFFIC_FORWARDED 0
/* Forwarded although policy denies: the endpoint, node or denying policies are in audit mode. */
#define TRAFFIC_AUDITED DROP_REASON_MAX
#define TRAFFIC_SLOTS (DROP_REASON_MAX + 1)
#define TRAFFIC_INGRESS 0
#define TRAFFIC_EGRESS 1

struct drop_counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct drop_counter);
	__uint(max_entries, DROP_REASON_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_drops_v2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct drop_counter);
	__uint(max_entries, 2 * TRAFFIC_SLOTS);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_traffic_v2 SEC(".maps");

static __always_inline void add_to(void *map, __u32 key, __u64 bytes)
{
	struct drop_counter *counter = bpf_map_lookup_elem(map, &key);

	/* Per-CPU slot: no other CPU writes it, so plain increments are safe. */
	if (counter) {
		counter->packets++;
		counter->bytes += bytes;
	}
}

/* direction: TRAFFIC_INGRESS or TRAFFIC_EGRESS (enum policy_direction's numbers). */
static __always_inline void count_drop(enum drop_reason reason, __u32 direction, __u64 bytes)
{
	add_to(&portcullis_drops_v2, reason, bytes);
	add_to(&portcullis_traffic_v2, direction * TRAFFIC_SLOTS + reason, bytes);
}

static __always_inline void count_forward(__u32 direction, __u64 bytes)
{
	add_to(&portcullis_traffic_v2, direction * TRAFFIC_SLOTS + TRAFFIC_FORWARDED, bytes);
}

static __always_inline int forward(struct __sk_buff *skb, __u32 direction)
{
	count_forward(direction, skb->len);
	return TC_ACT_OK;
}

/* A packet policy denies, let through by audit mode: counted as forwarded and as audited. */
static __always_inline int forward_audited(struct __sk_buff *skb, __u32 direction)
{
	add_to(&portcullis_traffic_v2, direction * TRAFFIC_SLOTS + TRAFFIC_AUDITED, skb->len);
	return forward(skb, direction);
}

/* A TC program's drop: counted under its reason and direction, then the packet is shot. */
static __always_inline int drop(struct __sk_buff *skb, enum drop_reason reason, __u32 direction)
{
	count_drop(reason, direction, skb->len);
	return TC_ACT_SHOT;
}

#endif
