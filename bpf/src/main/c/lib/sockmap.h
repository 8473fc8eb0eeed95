/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Socket-level steering state shared by bpf_sock (connect4), bpf_sockops and bpf_redir (sk_msg):
 *
 *  - portcullis_sockhash_v1: local TCP sockets by 4-tuple, as seen from the socket itself
 *    (sip/sport local, dip/dport remote); bpf_redir looks up the peer by the reversed tuple.
 *  - portcullis_origdst_sk_v1: socket-local storage, written by connect4 when it rewrites a
 *    connection to the proxy (the source port is not chosen yet); freed with the socket, and by
 *    sockops once re-keyed. (v1 was an LRU hash by socket cookie that kept the entries of
 *    sockets that never reached ESTABLISHED.)
 *  - portcullis_origdst_v1: the same facts re-keyed by sockops on ESTABLISHED with the client's
 *    4-tuple (sip/sport = client, dip/dport = proxy); the proxy looks them up for each accepted
 *    connection by (peer address, local address) and deletes the entry once read. sockops
 *    deletes it when the proxy's side of the connection closes (BPF_SOCK_OPS_STATE_CB), so a
 *    connection the proxy never accepted (closed in the backlog, or the proxy gone) leaves
 *    nothing behind either.
 *  - portcullis_endpoints_v1: cgroup id -> the endpoint whose workload runs in that cgroup; how
 *    connect4 knows who connects before the socket has a source address.
 *  - portcullis_steering_v1: one entry, the agent's settings (proxy address, switches).
 *  - portcullis_steer_counters_v1: per-CPU event counters (enum steer_counter).
 *
 * Java mirror: SockKey, OrigDstValue, EndpointValue, SteeringConfig, SteerCounter.
 */
#ifndef PORTCULLIS_SOCKMAP_H
#define PORTCULLIS_SOCKMAP_H

#include "common.h"

#define SOCKHASH_MAX_ENTRIES 65536
#define ORIGDST_MAX_ENTRIES 65536

struct sock_key {
	__be32 sip;   /* network order */
	__be32 dip;   /* network order */
	__be16 sport; /* network order */
	__be16 dport; /* network order */
};

struct origdst_value {
	__be32 addr;           /* original destination address, network order */
	__be16 port;           /* original destination port, network order */
	__u16 pad;
	__u32 src_identity;    /* identity of the connecting endpoint, host order */
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__type(key, struct sock_key);
	__type(value, __u64); /* socket cookie on lookup from user space; a socket fd on update */
	__uint(max_entries, SOCKHASH_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_sockhash_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__type(key, int);
	__type(value, struct origdst_value);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_origdst_sk_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct sock_key);
	__type(value, struct origdst_value);
	__uint(max_entries, ORIGDST_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_origdst_v1 SEC(".maps");

/* Socket-level endpoint entry: the identity and address of the endpoint owning a cgroup. */
struct endpoint_value {
	__u32 identity; /* host order */
	__be32 addr;    /* the endpoint's IPv4 address, network order */
};

#define ENDPOINTS_MAX_ENTRIES 4096

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64); /* cgroup v2 id (the cgroup directory's inode number) */
	__type(value, struct endpoint_value);
	__uint(max_entries, ENDPOINTS_MAX_ENTRIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_endpoints_v1 SEC(".maps");

/* Refuse connects the policy denies with EPERM (otherwise TC drops their packets). */
#define STEER_F_DENY_AT_CONNECT 0x1
/* Pair local sockets in the sockhash and let bpf_redir move bytes between them. */
#define STEER_F_SOCKET_REDIRECT 0x2

struct steering_config {
	__be32 proxy_addr; /* where connect4 sends L7 connections, network order */
	__u32 flags;       /* STEER_F_*, host order */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct steering_config);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_steering_v1 SEC(".maps");

enum steer_counter {
	STEER_CONNECT_PROXIED = 0,  /* connect4 rewrote the destination to the proxy */
	STEER_CONNECT_DENIED = 1,   /* connect4 refused with EPERM */
	STEER_ORIGDST_KEYED = 2,    /* sockops re-keyed an original destination by 4-tuple */
	STEER_SOCK_PAIRED = 3,      /* sockops put a socket into the sockhash */
	STEER_MSG_REDIRECTED = 4,   /* bpf_redir moved a message to the peer socket */
	STEER_MSG_PASSED = 5,       /* bpf_redir left a message to the TCP/IP stack */
	STEER_COUNTER_MAX = 6,      /* array size; not a counter */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, STEER_COUNTER_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_steer_counters_v1 SEC(".maps");

static __always_inline void steer_count(enum steer_counter counter)
{
	__u32 key = counter;
	__u64 *value = bpf_map_lookup_elem(&portcullis_steer_counters_v1, &key);

	/* Per-CPU slot: no other CPU writes it. */
	if (value)
		(*value)++;
}

static __always_inline struct steering_config *steering_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&portcullis_steering_v1, &zero);
}

#endif
