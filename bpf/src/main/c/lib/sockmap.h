/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Socket-level steering state shared by bpf_sock (connect4), bpf_sockops and bpf_redir (sk_msg):
 *
 *  - portcullis_sockhash_v1: local TCP sockets by 4-tuple, as seen from the socket itself
 *    (sip/sport local, dip/dport remote); bpf_redir looks up the peer by the reversed tuple.
 *  - portcullis_origdst_cookie_v1: written by connect4 when it rewrites a connection to the
 *    proxy, keyed by socket cookie because the source port is not chosen yet.
 *  - portcullis_origdst_v1: the same facts re-keyed by sockops on ESTABLISHED with the client's
 *    4-tuple (sip/sport = client, dip/dport = proxy); the proxy looks them up for each accepted
 *    connection by (peer address, local address).
 *
 * Java mirror: SockKey, OrigDstValue.
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
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u64); /* bpf_get_socket_cookie() */
	__type(value, struct origdst_value);
	__uint(max_entries, ORIGDST_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_origdst_cookie_v1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct sock_key);
	__type(value, struct origdst_value);
	__uint(max_entries, ORIGDST_MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} portcullis_origdst_v1 SEC(".maps");

#endif
