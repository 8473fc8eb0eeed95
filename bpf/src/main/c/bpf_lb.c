/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * North-south service load balancing on the uplink (TC, direct action):
 *
 *   lb_ingress  TC ingress: an IPv4 TCP/UDP packet to a service frontend (VIP:port, lib/lb.h) is
 *               DNATed to a backend, L3 and L4 checksums fixed incrementally, and handed on
 *               (TC_ACT_OK) for the host to route to the backend's endpoint. A flow keeps its
 *               backend through the forward entry of portcullis_lb_ct_v1 unless that backend left
 *               the service (its id is gone, or names another address now): then a new one is
 *               chosen. RANDOM picks a random
 *               slot, MAGLEV the table entry at the flow's hash. A frontend without backends
 *               drops (DROP_NO_SERVICE_BACKEND).
 *   lb_egress   TC egress: a reply from backend:port to a tracked client (reverse entry) is
 *               SNATed back to VIP:port, so the client sees the address it connected to.
 *
 * Everything else passes untouched: non-IPv4 (ARP, IPv6), non-TCP/UDP, and IPv4 to anything but
 * a frontend. IPv4 packets whose headers are cut off are dropped on ingress as invalid
 * (DROP_INVALID_PACKET): the VIP cannot be told apart and the host's stack would discard them
 * anyway; headers outside the linear part of the skb are pulled in first.
 *
 * Fragments: the first fragment of a datagram to a frontend records its ports (lib/fragments.h)
 * and is translated like any packet; later fragments take the ports from it and get the same
 * address rewrite (L3 only: they carry no L4 header, and the first fragment's L4 checksum update
 * covers the whole datagram). A later fragment whose first one was not seen passes untouched: it
 * cannot be told from a fragment to a non-service address.
 *
 * Checksums use bpf_l3_csum_replace / bpf_l4_csum_replace (BPF_F_PSEUDO_HDR for addresses), which
 * handle CHECKSUM_PARTIAL skbs (the pseudo-header sum only) as well as complete checksums; a UDP
 * datagram without checksum (0) keeps none (BPF_F_MARK_MANGLED_0).
 */
#include "lib/common.h"
#include "lib/drop.h"
#include "lib/fragments.h"
#include "lib/lb.h"

#define IP_CSUM_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, check))
#define IP_SADDR_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, saddr))
#define IP_DADDR_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, daddr))
#define TCP_CSUM_OFF 16
#define UDP_CSUM_OFF 6
/* Ethernet, the longest IPv4 header and a TCP header: all a translation reads or writes. */
#define LB_HEADERS_MAX (ETH_HLEN + 60 + 20)

static __always_inline enum parse_result parse(struct __sk_buff *skb, struct flow4 *flow, __u16 *eth_proto)
{
	enum parse_result result;
	__u32 linear;

	result = parse_ipv4((void *)(long)skb->data, (void *)(long)skb->data_end, flow, eth_proto);
	if (result != PARSE_TRUNCATED && result != PARSE_L4_TRUNCATED)
		return result;
	linear = skb->data_end - skb->data;
	if (skb->len <= linear)
		return result;
	/* Headers beyond the linear part (a paged or GRO skb): pull them in and look again. */
	if (bpf_skb_pull_data(skb, skb->len < LB_HEADERS_MAX ? skb->len : LB_HEADERS_MAX))
		return result;
	return parse_ipv4((void *)(long)skb->data, (void *)(long)skb->data_end, flow, eth_proto);
}

/* What a translation makes of a packet. */
enum lb_packet_kind {
	LB_FLOW,      /* an IPv4 TCP or UDP packet; a later fragment has its first one's ports */
	LB_PASS,      /* nothing to translate: not IPv4, not TCP/UDP, or a fragment whose first was not seen */
	LB_TRUNCATED, /* an IPv4 packet whose headers are cut off */
};

static __always_inline enum lb_packet_kind lb_packet(struct __sk_buff *skb, struct flow4 *flow, int *fragment)
{
	__u16 eth_proto;

	switch (parse(skb, flow, &eth_proto)) {
	case PARSE_OK:
		break;
	case PARSE_NOT_IPV4:
		return LB_PASS;
	case PARSE_FRAGMENT:
		if (!frag_recall(flow))
			return LB_PASS;
		*fragment = 1;
		break;
	case PARSE_TRUNCATED:
	case PARSE_L4_TRUNCATED:
		return LB_TRUNCATED;
	}
	return flow->protocol == IPPROTO_TCP || flow->protocol == IPPROTO_UDP ? LB_FLOW : LB_PASS;
}

/* One direction of a flow as a key of portcullis_lb_ct_v1 (padding zeroed). */
static __always_inline struct lb_ct_key lb_ct_key_of(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport,
						     __u8 protocol, enum lb_ct_direction direction)
{
	struct lb_ct_key key = {
		.saddr = saddr,
		.daddr = daddr,
		.sport = sport,
		.dport = dport,
		.protocol = protocol,
		.direction = direction,
	};

	return key;
}

/* The live entry for key, or NULL when there is none or it has expired. */
static __always_inline struct lb_ct_value *lb_ct_lookup(struct lb_ct_key *key, __u64 now)
{
	struct lb_ct_value *value = bpf_map_lookup_elem(&portcullis_lb_ct_v1, key);

	if (value && now - value->last_seen_ns > ct_lifetime_ns(key->protocol, value->flags))
		return NULL;
	return value;
}

static __always_inline void lb_ct_touch(struct lb_ct_value *value, __u8 tcp_flags, int from_client, __u64 now)
{
	__u16 flags = ct_next_flags(value->flags, tcp_flags, from_client);

	/* Racing CPUs may both write: flags only grow within a flow and the last writer is as good. */
	if (flags != value->flags)
		value->flags = flags;
	value->last_seen_ns = now;
}

/* How stale the other direction's last_seen_ns may get before a packet refreshes it. */
#define LB_CT_OTHER_REFRESH_NS 1000000000ULL

/*
 * Both entries of a flow carry the same value; each direction also keeps the other's entry alive,
 * created when absent. To spare a second write per packet (a cache line bouncing between CPUs),
 * the other entry is written only when its TCP state changes or its last_seen_ns is more than
 * LB_CT_OTHER_REFRESH_NS old. Expiry stays right to within that second: an entry's own
 * direction refreshes it on every packet, and a flow seen only the other way lets it lapse at
 * most a second before its lifetime (CT_LIFETIME_*: 10 s at the shortest) would end.
 */
static __always_inline void lb_ct_touch_other(struct lb_ct_key *key, struct lb_ct_value *template,
					      __u8 tcp_flags, int from_client, __u64 now)
{
	struct lb_ct_value *other = bpf_map_lookup_elem(&portcullis_lb_ct_v1, key);

	if (!other)
		bpf_map_update_elem(&portcullis_lb_ct_v1, key, template, BPF_ANY);
	else if (ct_next_flags(other->flags, tcp_flags, from_client) != other->flags ||
		 now - other->last_seen_ns > LB_CT_OTHER_REFRESH_NS)
		lb_ct_touch(other, tcp_flags, from_client, now);
}

static __always_inline int l4_offset(struct __sk_buff *skb)
{
	__u8 version_ihl;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &version_ihl, 1))
		return -1;
	return ETH_HLEN + (version_ihl & 0xF) * 4;
}

/* Which side of the packet a translation rewrites. */
enum nat_side {
	NAT_SOURCE,      /* the reply from the backend: source back to VIP:port */
	NAT_DESTINATION, /* the packet to the frontend: destination to backend:port */
};

/*
 * Rewrites the destination or source address (side) from old_addr to new_addr and, unless the
 * packet is a later fragment (no L4 header), the matching port, with both checksums fixed.
 * Returns 0, or -1 when the skb refused a write.
 */
static __always_inline int nat(struct __sk_buff *skb, __u8 protocol, int fragment, enum nat_side side, __be32 old_addr,
			       __be32 new_addr, __be16 old_port, __be16 new_port)
{
	__u64 l4_flags = protocol == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;
	int l4_off, csum_off;

	if (!fragment) {
		l4_off = l4_offset(skb);
		if (l4_off < 0)
			return -1;
		csum_off = l4_off + (protocol == IPPROTO_TCP ? TCP_CSUM_OFF : UDP_CSUM_OFF);
		if (bpf_l4_csum_replace(skb, csum_off, old_addr, new_addr, l4_flags | BPF_F_PSEUDO_HDR | sizeof(new_addr)))
			return -1;
		if (bpf_l4_csum_replace(skb, csum_off, old_port, new_port, l4_flags | sizeof(new_port)))
			return -1;
		if (bpf_skb_store_bytes(skb, l4_off + (side == NAT_DESTINATION ? 2 : 0), &new_port, sizeof(new_port), 0))
			return -1;
	}
	if (bpf_l3_csum_replace(skb, IP_CSUM_OFF, old_addr, new_addr, sizeof(new_addr)))
		return -1;
	if (bpf_skb_store_bytes(skb, side == NAT_DESTINATION ? IP_DADDR_OFF : IP_SADDR_OFF, &new_addr, sizeof(new_addr), 0))
		return -1;
	return 0;
}

SEC("tc")
int lb_ingress(struct __sk_buff *skb)
{
	struct lb_service_key service_key = {};
	struct lb_service_value *service;
	struct lb_ct_key forward, reverse;
	struct lb_ct_value *entry, created = {};
	struct lb_backend *backend = 0;
	struct flow4 flow;
	__u32 backend_id;
	int fragment = 0;
	__u64 now;

	/* No default: -Wall (-Wswitch) then flags a new kind that is not handled here. */
	switch (lb_packet(skb, &flow, &fragment)) {
	case LB_FLOW:
		break;
	case LB_PASS:
		return TC_ACT_OK;
	case LB_TRUNCATED:
		return drop(skb, DROP_INVALID_PACKET, TRAFFIC_INGRESS);
	}
	service_key.vip = flow.daddr;
	service_key.dport = flow.dport;
	service_key.protocol = flow.protocol;
	service = bpf_map_lookup_elem(&portcullis_lb_services_v1, &service_key);
	if (!service)
		return TC_ACT_OK;
	if (flow.first_fragment)
		frag_remember(&flow);
	if (service->count == 0)
		return drop(skb, DROP_NO_SERVICE_BACKEND, TRAFFIC_INGRESS);

	now = bpf_ktime_get_ns();
	forward = lb_ct_key_of(flow.saddr, flow.daddr, flow.sport, flow.dport, flow.protocol, LB_CT_FORWARD);
	entry = lb_ct_lookup(&forward, now);
	/* A new SYN on a closing entry reuses the 4-tuple for a new connection: choose afresh. */
	if (entry && entry->service_id == service->service_id &&
	    !(is_bare_syn(flow.tcp_flags) && (entry->flags & (CT_F_TX_CLOSING | CT_F_RX_CLOSING))))
		backend = lb_backend(entry->backend_id);
	/* The id may have been freed and handed to another backend since: only the same one keeps the flow. */
	if (backend && (backend->addr != entry->backend_addr || backend->port != entry->backend_port))
		backend = 0;
	if (backend && entry) {
		lb_ct_touch(entry, flow.tcp_flags, 1, now);
		created = *entry;
	} else {
		backend = lb_select(&service_key, service,
				    lb_flow_hash(flow.saddr, flow.daddr, flow.sport, flow.dport, flow.protocol),
				    &backend_id);
		if (!backend)
			return drop(skb, DROP_NO_SERVICE_BACKEND, TRAFFIC_INGRESS);
		created.last_seen_ns = now;
		created.backend_id = backend_id;
		created.service_id = service->service_id;
		created.flags = flow.protocol == IPPROTO_TCP ? ct_next_flags(0, flow.tcp_flags, 1) : 0;
		created.vip = flow.daddr;
		created.vport = flow.dport;
		created.backend_addr = backend->addr;
		created.backend_port = backend->port;
		bpf_map_update_elem(&portcullis_lb_ct_v1, &forward, &created, BPF_ANY);
	}
	reverse = lb_ct_key_of(backend->addr, flow.saddr, backend->port, flow.sport, flow.protocol, LB_CT_REVERSE);
	lb_ct_touch_other(&reverse, &created, flow.tcp_flags, 1, now);

	if (nat(skb, flow.protocol, fragment, NAT_DESTINATION, flow.daddr, backend->addr, flow.dport, backend->port))
		return drop(skb, DROP_INVALID_PACKET, TRAFFIC_INGRESS);
	return TC_ACT_OK;
}

SEC("tc")
int lb_egress(struct __sk_buff *skb)
{
	struct lb_ct_key reverse, forward;
	struct lb_ct_value *entry, reply;
	struct flow4 flow;
	int fragment = 0;
	__u64 now;

	/* A reply cut short cannot be told from other traffic: it passes, as everything not translated. */
	if (lb_packet(skb, &flow, &fragment) != LB_FLOW)
		return TC_ACT_OK;
	now = bpf_ktime_get_ns();
	reverse = lb_ct_key_of(flow.saddr, flow.daddr, flow.sport, flow.dport, flow.protocol, LB_CT_REVERSE);
	entry = lb_ct_lookup(&reverse, now);
	if (!entry)
		return TC_ACT_OK;
	if (flow.first_fragment)
		frag_remember(&flow);
	lb_ct_touch(entry, flow.tcp_flags, 0, now);
	reply = *entry;

	forward = lb_ct_key_of(flow.daddr, reply.vip, flow.dport, reply.vport, flow.protocol, LB_CT_FORWARD);
	lb_ct_touch_other(&forward, &reply, flow.tcp_flags, 0, now);

	if (nat(skb, flow.protocol, fragment, NAT_SOURCE, flow.saddr, reply.vip, flow.sport, reply.vport))
		return drop(skb, DROP_INVALID_PACKET, TRAFFIC_EGRESS);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
