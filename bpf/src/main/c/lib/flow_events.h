/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Flow events: bpf_lxc reports every drop and the verdict on every new flow (forwarded, or let
 * through by audit mode) to the agent through a BPF ring buffer, as Hubble's monitor does.
 *
 * A flood must not overwhelm the agent: each CPU spends from a token bucket of
 * FLOW_EVENTS_BURST events refilled at FLOW_EVENTS_PER_SEC, and an event without a token is not
 * reported but counted (FLOW_LOST_RATE_LIMIT); an event the ring buffer has no room for (the agent
 * reads too slowly) is counted too (FLOW_LOST_RING_FULL). Drops and verdicts share the bucket, so
 * a drop flood is capped like any other. The counters and the bucket are per-CPU: no atomics.
 *
 * Java mirrors: io.portcullis.bpf.maps.FlowEvent (struct flow_event), FlowVerdict, FlowLost.
 */
#ifndef PORTCULLIS_FLOW_EVENTS_H
#define PORTCULLIS_FLOW_EVENTS_H

#include "common.h"
#include "drop.h"

#define FLOW_EVENTS_PER_SEC 2000
#define FLOW_EVENTS_BURST 1000
#define FLOW_EVENTS_NS_PER_TOKEN (1000000000ULL / FLOW_EVENTS_PER_SEC)
/* 512 KiB: more than the burst of every CPU of a small node between two reads of the agent. */
#define FLOW_EVENTS_RING_BYTES (512 * 1024)

enum flow_verdict {
	FLOW_FORWARDED = 1, /* a new flow policy allows */
	FLOW_DROPPED = 2,   /* a dropped packet; reason says why */
	FLOW_AUDIT = 3,     /* a new flow policy denies, forwarded by audit mode */
};

enum flow_lost {
	FLOW_LOST_RATE_LIMIT = 0, /* no token left: not reported */
	FLOW_LOST_RING_FULL = 1,  /* bpf_ringbuf_output failed: the ring buffer was full */
	FLOW_LOST_MAX = 2,        /* array size; not a counter */
};

/* The packet came from the proxy's upstream socket (its mark), judged as the original source. */
#define FLOW_F_PROXIED 0x1

struct flow_event {
	__u64 time_ns;      /* bpf_ktime_get_ns(): CLOCK_MONOTONIC, host order */
	__be32 saddr;       /* network order */
	__be32 daddr;       /* network order */
	__be16 sport;       /* network order; zero for protocols without ports */
	__be16 dport;       /* network order; zero for protocols without ports */
	__u8 protocol;      /* IPPROTO_*; zero when the packet was not IPv4 */
	__u8 verdict;       /* enum flow_verdict */
	__u8 reason;        /* enum drop_reason for FLOW_DROPPED, zero otherwise */
	__u8 direction;     /* enum policy_direction, from the local endpoint's side */
	__u32 src_identity; /* host order; zero when not known (dropped before the lookup) */
	__u32 dst_identity; /* host order; zero likewise */
	__u32 ifindex;      /* the host veth the program runs on, host order */
	__u32 length;       /* packet bytes, host order */
	__u8 tcp_flags;     /* TCP_FLAG_*; zero for other protocols */
	__u8 icmp_type;     /* ICMP message type; zero for other protocols */
	__u8 flags;         /* FLOW_F_* */
	__u8 pad;
	__u32 rule_id;      /* policy_value.rule_id of the deciding entry; zero when none, host order */
};

struct flow_budget {
	__u64 last_ns; /* when tokens were last refilled */
	__u64 tokens;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, FLOW_EVENTS_RING_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_flow_events_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct flow_budget);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_flow_budget_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, FLOW_LOST_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_flow_lost_v1 SEC(".maps");

/* The facts of one decision beside the packet's: who is on either side, and which entry decided. */
struct flow_decision {
	__u32 local_id;
	__u32 remote_id;
	__u32 rule_id;
	__u8 flags;
};

static __always_inline void flow_lost(__u32 counter)
{
	__u64 *count = bpf_map_lookup_elem(&portcullis_flow_lost_v1, &counter);

	if (count)
		(*count)++;
}

/* Takes a token from this CPU's bucket, refilling it for the time passed; 0 when none is left. */
static __always_inline int flow_budget_take(__u64 now)
{
	__u32 zero = 0;
	struct flow_budget *budget = bpf_map_lookup_elem(&portcullis_flow_budget_v1, &zero);
	__u64 earned;

	if (!budget)
		return 0;
	if (budget->tokens < FLOW_EVENTS_BURST) {
		earned = (now - budget->last_ns) / FLOW_EVENTS_NS_PER_TOKEN;
		if (earned >= FLOW_EVENTS_BURST - budget->tokens) {
			budget->tokens = FLOW_EVENTS_BURST;
			budget->last_ns = now;
		} else if (earned) {
			budget->tokens += earned;
			budget->last_ns += earned * FLOW_EVENTS_NS_PER_TOKEN;
		}
	} else {
		budget->last_ns = now;
	}
	if (!budget->tokens)
		return 0;
	budget->tokens--;
	return 1;
}

static __always_inline void flow_report(struct __sk_buff *skb, const struct flow4 *flow, __u32 direction,
					__u8 verdict, __u8 reason, const struct flow_decision *decision)
{
	__u64 now = bpf_ktime_get_ns();
	struct flow_event event = {
		.time_ns = now,
		.saddr = flow->saddr,
		.daddr = flow->daddr,
		.sport = flow->sport,
		.dport = flow->dport,
		.protocol = flow->protocol,
		.verdict = verdict,
		.reason = reason,
		.direction = direction,
		.ifindex = skb->ifindex,
		.length = skb->len,
		.tcp_flags = flow->tcp_flags,
		.icmp_type = flow->icmp_type,
		.flags = decision->flags,
		.rule_id = decision->rule_id,
	};

	if (!flow_budget_take(now)) {
		flow_lost(FLOW_LOST_RATE_LIMIT);
		return;
	}
	if (direction == TRAFFIC_EGRESS) {
		event.src_identity = decision->local_id;
		event.dst_identity = decision->remote_id;
	} else {
		event.src_identity = decision->remote_id;
		event.dst_identity = decision->local_id;
	}
	if (bpf_ringbuf_output(&portcullis_flow_events_v1, &event, sizeof(event), 0))
		flow_lost(FLOW_LOST_RING_FULL);
}

/* drop() that reports the drop as a flow event first. */
static __always_inline int drop_reported(struct __sk_buff *skb, const struct flow4 *flow, enum drop_reason reason,
					 __u32 direction, const struct flow_decision *decision)
{
	flow_report(skb, flow, direction, FLOW_DROPPED, reason, decision);
	return drop(skb, reason, direction);
}

#endif
