/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * sock_ops on the cgroup v2 root: sees every TCP socket of the node, the proxy's included.
 *
 *   On ACTIVE_ESTABLISHED of a connection bpf_sock rewrote to the proxy, the original destination
 *   stored with the client's socket moves to portcullis_origdst_v1 under the client's 4-tuple,
 *   which is what the proxy sees as the accepted connection's peer and local address. (The
 *   client's side runs this before it sends the final ACK, so the entry exists before the proxy
 *   can accept.) The proxy deletes the entry when it reads it after accept; for a connection it
 *   never accepts (closed in the backlog, or the proxy gone), the proxy's side of it asks for
 *   state callbacks on PASSIVE_ESTABLISHED, and the entry goes when that socket reaches TCP_CLOSE.
 *
 *   With STEER_F_SOCKET_REDIRECT, each established socket whose both ends are local (endpoint
 *   addresses or the proxy address) goes into portcullis_sockhash_v1 under its own 4-tuple, so
 *   bpf_redir can hand its messages straight to the peer socket.
 */
#include "lib/common.h"
#include "lib/ipcache.h"
#include "lib/sockmap.h"

#define AF_INET 2
#define AF_INET6 10

/*
 * IPv4 connections only, but the proxy's sockets are dual-stack AF_INET6 ones: an IPv4 peer shows
 * as ::ffff:a.b.c.d there, and the ip4 fields of the context hold the IPv4 addresses.
 */
static __always_inline int is_ipv4(struct bpf_sock_ops *ops)
{
	if (ops->family == AF_INET)
		return 1;
	return ops->family == AF_INET6 && ops->remote_ip6[0] == 0 && ops->remote_ip6[1] == 0 &&
	       ops->remote_ip6[2] == bpf_htonl(0xFFFF);
}

static __always_inline int is_local(__be32 addr, struct steering_config *config)
{
	struct ipcache_value *entry;

	if (addr == config->proxy_addr)
		return 1;
	entry = ipcache_lookup(addr);
	return entry && (entry->flags & IPCACHE_F_LOCAL_ENDPOINT);
}

static __always_inline void sock_key_of(struct bpf_sock_ops *ops, struct sock_key *key)
{
	key->sip = ops->local_ip4;
	key->dip = ops->remote_ip4;
	/* local_port is host order; remote_port holds the network-order port in its upper half. */
	key->sport = bpf_htons((__u16)ops->local_port);
	key->dport = (__be16)(ops->remote_port >> 16);
}

static __always_inline void rekey_origdst(struct bpf_sock_ops *ops, struct sock_key *key)
{
	struct bpf_sock *sk = ops->sk;
	struct origdst_value *orig;

	if (!sk)
		return;
	orig = bpf_sk_storage_get(&portcullis_origdst_sk_v1, sk, 0, 0);
	if (!orig)
		return;
	if (bpf_map_update_elem(&portcullis_origdst_v1, key, orig, BPF_ANY) == 0)
		steer_count(STEER_ORIGDST_KEYED);
	bpf_sk_storage_delete(&portcullis_origdst_sk_v1, sk);
}

/* The client's 4-tuple of a connection seen from the proxy's side (the origdst_v1 key). */
static __always_inline void client_key_of(struct bpf_sock_ops *ops, struct sock_key *key)
{
	/* Volatile: the verifier refuses the one 8-byte context load clang would merge these into. */
	key->sip = *(volatile __u32 *)&ops->remote_ip4;
	key->dip = *(volatile __u32 *)&ops->local_ip4;
	key->sport = (__be16)(ops->remote_port >> 16);
	key->dport = bpf_htons((__u16)ops->local_port);
}

/* The proxy's side of a steered connection: have its close reported (see origdst_closed). */
static __always_inline void watch_proxy_side(struct bpf_sock_ops *ops)
{
	struct sock_key client = {};

	client_key_of(ops, &client);
	if (bpf_map_lookup_elem(&portcullis_origdst_v1, &client))
		bpf_sock_ops_cb_flags_set(ops, ops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
}

/* A watched proxy-side socket closed: its connection's original destination goes with it. */
static __always_inline void origdst_closed(struct bpf_sock_ops *ops)
{
	struct sock_key client = {};

	if (ops->args[1] != BPF_TCP_CLOSE)
		return;
	client_key_of(ops, &client);
	bpf_map_delete_elem(&portcullis_origdst_v1, &client);
}

SEC("sockops")
int sockops_established(struct bpf_sock_ops *ops)
{
	struct steering_config *config;
	struct sock_key key = {};

	if (!is_ipv4(ops))
		return 1;
	if (ops->op == BPF_SOCK_OPS_STATE_CB) {
		origdst_closed(ops);
		return 1;
	}
	if (ops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB && ops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	sock_key_of(ops, &key);
	if (ops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB)
		rekey_origdst(ops, &key);
	else
		watch_proxy_side(ops);

	config = steering_config();
	if (!config || !(config->flags & STEER_F_SOCKET_REDIRECT))
		return 1;
	if (!is_local(key.sip, config) || !is_local(key.dip, config))
		return 1;
	if (bpf_sock_hash_update(ops, &portcullis_sockhash_v1, &key, BPF_ANY) == 0)
		steer_count(STEER_SOCK_PAIRED);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
