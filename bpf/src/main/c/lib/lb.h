/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Service load balancing, shared by bpf_lb (north-south, TC on the uplink) and bpf_sock
 * (east-west, at connect()). Laid out as Cilium's lb4 maps:
 *
 *  - portcullis_lb_services_v1: (VIP, port, protocol, slot) -> lb_service_value. Slot 0 is the
 *    service's master entry (backend count, service id, algorithm); slots 1..count hold the
 *    backend ids. The agent grows a service by writing backends, then slots, then the master's
 *    count; it shrinks one by writing the master first, then deleting slots, then backends. A
 *    reader that looked the master (or the Maglev table) up just before a shrink may still follow
 *    it to a slot or backend that is gone: lb_select then reads the master again (see there).
 *  - portcullis_lb_backends_v1: backend id -> address, port. Ids belong to one service (the same
 *    address behind two services has two ids), so "the backend is gone" is exact per service.
 *  - portcullis_lb_maglev_v1: service id -> the Maglev lookup table of a MAGLEV service
 *    (backend ids), computed by the agent (Java: io.portcullis.bpf.lb.Maglev).
 *  - portcullis_lb_ct_v1: north-south flows: the forward entry (client -> VIP) keeps the chosen
 *    backend, the reverse entry (backend -> client) the frontend to restore on replies. Expiry
 *    as lib/conntrack.h: an entry past its lifetime counts as absent.
 *  - portcullis_lb_sock_revnat_v2: socket-local storage of east-west sockets: what connect() was
 *    translated to and what the application asked for, so getpeername() shows the latter.
 *  - portcullis_lb_sock_udp_v2: socket-local storage of unconnected UDP sockets that sendto() a
 *    frontend: up to LB_SOCK_UDP_SLOTS (frontend, backend) pairs, the backend the socket sends
 *    that frontend's datagrams to and the frontend recvfrom() shows as the source of its answers
 *    (of two frontends with the same backend, the one the socket sent to last).
 *  Both are BPF_MAP_TYPE_SK_STORAGE (v1 were LRU hashes by socket cookie): the kernel frees a
 *  socket's entry with the socket, so nothing outlives it and nothing accumulates.
 *
 * Java mirrors: io.portcullis.bpf.maps.Lb*.
 */
#ifndef PORTCULLIS_LB_H
#define PORTCULLIS_LB_H

#include "common.h"
#include "ct_lifetime.h"

#define LB_SERVICES_MAX_ENTRIES 65536
#define LB_BACKENDS_MAX_ENTRIES 65536
#define LB_MAGLEV_MAX_ENTRIES 4096
#define LB_CT_MAX_ENTRIES 262144
/* Frontends one UDP socket keeps its backend for; a resolver uses one or two. */
#define LB_SOCK_UDP_SLOTS 4

/*
 * Slots of a Maglev table. Prime, so that every backend's permutation (offset + j * skip mod M,
 * skip in 1..M-1) visits every slot; 1021 is the largest prime whose table of u32 ids fits one
 * 4 KiB page, and keeps the imbalance between backends within a few percent up to ~20 backends
 * per service (the paper asks M >> N).
 */
#define LB_MAGLEV_SIZE 1021

enum lb_algorithm {
	LB_ALG_RANDOM = 0, /* a uniformly random slot per new flow */
	LB_ALG_MAGLEV = 1, /* consistent hashing: the same flow hash always maps to the same backend */
};

struct lb_service_key {
	__be32 vip;    /* network order */
	__be16 dport;  /* network order */
	__u16 slot;    /* 0 = master, 1..count = backend slots; host order */
	__u8 protocol; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 pad[3];
};

struct lb_service_value {
	__u32 backend_id; /* slots 1..count: the backend; 0 in the master; host order */
	__u32 count;      /* master: number of backend slots (0 = the service refuses); host order */
	__u16 service_id; /* host order; the same in the master and all its slots */
	__u8 algorithm;   /* enum lb_algorithm */
	__u8 pad;
};

struct lb_backend {
	__be32 addr;   /* network order */
	__be16 port;   /* network order */
	__u8 protocol; /* IPPROTO_* of the service it belongs to */
	__u8 pad;
};

struct lb_maglev_table {
	__u32 backend_ids[LB_MAGLEV_SIZE]; /* host order */
};

enum lb_ct_direction {
	LB_CT_FORWARD = 0, /* client -> VIP, keyed as received */
	LB_CT_REVERSE = 1, /* backend -> client, keyed as the reply leaves */
};

struct lb_ct_key {
	__be32 saddr;   /* network order */
	__be32 daddr;   /* network order */
	__be16 sport;   /* network order */
	__be16 dport;   /* network order */
	__u8 protocol;  /* IPPROTO_* */
	__u8 direction; /* enum lb_ct_direction */
	__u16 pad;
};

/*
 * Both entries of a flow carry the same value. The backend's address and port are kept besides
 * its id: an id freed and handed to another backend (of any service) must not capture the flow,
 * so the flow stays only while the id still names the same address and port.
 */
struct lb_ct_value {
	__u64 last_seen_ns;   /* bpf_ktime_get_ns() of the last packet either way, host order */
	__u32 backend_id;     /* the chosen backend, host order */
	__u16 service_id;     /* host order */
	__u16 flags;          /* CT_F_* TCP state, host order */
	__be32 vip;           /* the frontend replies are rewritten to, network order */
	__be16 vport;         /* network order */
	__be16 backend_port;  /* the chosen backend's port, network order */
	__be32 backend_addr;  /* the chosen backend's address, network order */
	__u32 pad;
};

struct lb_sock_revnat {
	__be32 connected_addr; /* where connect() went after translation/steering, network order */
	__be32 shown_addr;     /* what the application connected to, network order */
	__be16 connected_port; /* network order */
	__be16 shown_port;     /* network order */
};

/* One frontend an unconnected UDP socket sent to; an all-zero slot is free. */
struct lb_sock_udp_slot {
	__be32 frontend_addr; /* network order */
	__be32 backend_addr;  /* network order */
	__be16 frontend_port; /* network order */
	__be16 backend_port;  /* network order */
	__u32 backend_id;     /* to tell whether the backend is still there; host order */
	__u32 last_send;      /* lb_sock_udp.sends at the socket's latest datagram to this frontend */
};

struct lb_sock_udp {
	__u32 sends; /* datagrams the socket sent to frontends, to order the slots by their latest */
	__u32 pad;
	struct lb_sock_udp_slot slots[LB_SOCK_UDP_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct lb_service_key);
	__type(value, struct lb_service_value);
	__uint(max_entries, LB_SERVICES_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_services_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct lb_backend);
	__uint(max_entries, LB_BACKENDS_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_backends_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct lb_maglev_table);
	__uint(max_entries, LB_MAGLEV_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_maglev_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct lb_ct_key);
	__type(value, struct lb_ct_value);
	__uint(max_entries, LB_CT_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_ct_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__type(key, int);
	__type(value, struct lb_sock_revnat);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_sock_revnat_v2 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__type(key, int);
	__type(value, struct lb_sock_udp);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_lb_sock_udp_v2 SEC(".maps");

static __always_inline __u32 lb_rol32(__u32 word, int shift)
{
	return (word << shift) | (word >> (32 - shift));
}

/* One MurmurHash3 (x86_32) round. Java mirror: io.portcullis.bpf.lb.FlowHash. */
static __always_inline __u32 lb_hash_round(__u32 hash, __u32 word)
{
	word *= 0xcc9e2d51;
	word = lb_rol32(word, 15);
	word *= 0x1b873593;
	hash ^= word;
	hash = lb_rol32(hash, 13);
	return hash * 5 + 0xe6546b64;
}

/* MurmurHash3's finaliser over the given length in bytes. */
static __always_inline __u32 lb_hash_final(__u32 hash, __u32 length)
{
	hash ^= length;
	hash ^= hash >> 16;
	hash *= 0x85ebca6b;
	hash ^= hash >> 13;
	hash *= 0xc2b2ae35;
	return hash ^ (hash >> 16);
}

/*
 * The Maglev hash of a north-south flow: MurmurHash3 over the words saddr, daddr, (sport << 16 |
 * dport) and protocol, each as the host reads the network-order fields.
 */
static __always_inline __u32 lb_flow_hash(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, __u8 protocol)
{
	__u32 hash = 0;

	hash = lb_hash_round(hash, saddr);
	hash = lb_hash_round(hash, daddr);
	hash = lb_hash_round(hash, ((__u32)sport << 16) | dport);
	hash = lb_hash_round(hash, protocol);
	return lb_hash_final(hash, 16);
}

/* The Maglev hash of a socket (east-west: no source port yet at connect()): its cookie. */
static __always_inline __u32 lb_cookie_hash(__u64 cookie)
{
	__u32 hash = 0;

	hash = lb_hash_round(hash, (__u32)cookie);
	hash = lb_hash_round(hash, (__u32)(cookie >> 32));
	return lb_hash_final(hash, 8);
}

static __always_inline struct lb_backend *lb_backend(__u32 backend_id)
{
	return bpf_map_lookup_elem(&portcullis_lb_backends_v1, &backend_id);
}

/*
 * The backend of a random slot 1..count of the service at key (slot 0), its id in *backend_id;
 * NULL when the service has no slot or that slot or its backend is gone.
 */
static __always_inline struct lb_backend *lb_random_slot(struct lb_service_key *key, __u32 count,
							 __u32 *backend_id)
{
	struct lb_service_value *slot;

	if (count == 0)
		return 0;
	key->slot = (bpf_get_prandom_u32() % count) + 1;
	slot = bpf_map_lookup_elem(&portcullis_lb_services_v1, key);
	key->slot = 0;
	if (!slot)
		return 0;
	*backend_id = slot->backend_id;
	return lb_backend(slot->backend_id);
}

/*
 * The backend for a new flow of the service at key (slot 0), whose master is service, its id in
 * *backend_id: a random slot for RANDOM, the table entry at hash for MAGLEV.
 *
 * The master (or table) in hand may predate a shrink the agent is writing (master, then slots,
 * then backends): the chosen slot or backend may be gone while others remain. Then the master is
 * read again and a random slot of it tried once (MAGLEV too: a flow without its table entry is
 * better spread than refused). NULL only when the service has no backend left, or the maps
 * changed twice under one packet.
 */
static __always_inline struct lb_backend *lb_select(struct lb_service_key *key, struct lb_service_value *service,
						    __u32 hash, __u32 *backend_id)
{
	struct lb_backend *backend = 0;

	if (service->algorithm == LB_ALG_MAGLEV) {
		__u32 service_id = service->service_id;
		struct lb_maglev_table *table = bpf_map_lookup_elem(&portcullis_lb_maglev_v1, &service_id);
		__u32 index = hash % LB_MAGLEV_SIZE;

		/* clang turns the modulo into multiplications the verifier cannot bound: bound it again,
		 * behind a barrier so the compiler keeps the check. */
		asm volatile("" : "+r"(index));
		if (table && index < LB_MAGLEV_SIZE) {
			*backend_id = table->backend_ids[index];
			backend = lb_backend(*backend_id);
		}
	} else {
		backend = lb_random_slot(key, service->count, backend_id);
	}
	if (backend)
		return backend;
	service = bpf_map_lookup_elem(&portcullis_lb_services_v1, key);
	if (!service)
		return 0;
	return lb_random_slot(key, service->count, backend_id);
}

#endif
