/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cgroup/connect4 and cgroup/connect6 on the endpoints' cgroup tree: socket-level L3/L4 policy
 * and L7 steering.
 *
 *   sock_connect4  for a TCP/UDP connect() by a workload of a local endpoint (found by its cgroup
 *                  in portcullis_endpoints_v1) to a peer (found through the ipcache): the source's
 *                  egress entry and, when the peer is a local endpoint too, the peer's ingress
 *                  entry decide. DENY (or no entry) -> EPERM when STEER_F_DENY_AT_CONNECT is set,
 *                  else the connect proceeds and TC drops its packets. PROXY on either side ->
 *                  the destination is rewritten to the proxy and the original destination and
 *                  the source identity are stored by socket cookie for bpf_sockops to re-key.
 *
 *   sock_connect6  the same for dual-stack AF_INET6 sockets connecting to an IPv4 peer as
 *                  ::ffff:a.b.c.d, which is how Java, Go and many other runtimes connect by
 *                  default; connect4 never sees those. Other IPv6 destinations pass here and are
 *                  dropped by bpf_lxc, which does not route IPv6 (fail closed).
 *
 * Sockets outside an endpoint cgroup (the agent and its proxy among them) are never touched, and
 * a connect to the proxy address itself passes unchanged: running this program twice on the same
 * connect (old and new program during an agent restart) changes nothing.
 */
#include "lib/common.h"
#include "lib/ipcache.h"
#include "lib/policy.h"
#include "lib/sockmap.h"

#define CONNECT_REFUSE 0 /* the kernel fails connect() with EPERM */
#define CONNECT_PROCEED 1

static __always_inline int is_deny(struct policy_value *verdict)
{
	return !verdict || verdict->verdict == POLICY_DENY;
}

/*
 * The decision for a connect to daddr:dport. Returns CONNECT_REFUSE or CONNECT_PROCEED; when the
 * connection must go to the proxy, *proxy_port is set (network order) and the original
 * destination is stored by socket cookie.
 */
static __always_inline int steer_connect(struct bpf_sock_addr *ctx, struct steering_config *config,
					 __be32 daddr, __be16 dport, __be16 *proxy_port)
{
	struct endpoint_value *local;
	struct ipcache_value *peer;
	struct policy_value *egress, *ingress = 0;
	struct origdst_value orig = {};
	__u8 protocol = ctx->protocol;
	__u64 cgroup_id, cookie;
	__u32 remote_id;
	int peer_local;

	*proxy_port = 0;
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return CONNECT_PROCEED;
	/* The proxy (the node's pool address) and the workload's own loopback are not peers. */
	if (daddr == config->proxy_addr || (bpf_ntohl(daddr) >> 24) == 127)
		return CONNECT_PROCEED;

	cgroup_id = bpf_get_current_cgroup_id();
	local = bpf_map_lookup_elem(&portcullis_endpoints_v1, &cgroup_id);
	if (!local || daddr == local->addr)
		return CONNECT_PROCEED;

	peer = ipcache_lookup(daddr);
	remote_id = peer ? peer->identity : IDENTITY_WORLD;
	peer_local = peer && (peer->flags & IPCACHE_F_LOCAL_ENDPOINT);

	egress = policy_lookup(local->identity, remote_id, POLICY_EGRESS, protocol, dport);
	if (peer_local)
		ingress = policy_lookup(remote_id, local->identity, POLICY_INGRESS, protocol, dport);

	if (is_deny(egress) || (peer_local && is_deny(ingress))) {
		if (!(config->flags & STEER_F_DENY_AT_CONNECT))
			return CONNECT_PROCEED;
		steer_count(STEER_CONNECT_DENIED);
		return CONNECT_REFUSE;
	}

	if (egress->verdict == POLICY_PROXY)
		*proxy_port = egress->proxy_port;
	else if (ingress && ingress->verdict == POLICY_PROXY)
		*proxy_port = ingress->proxy_port;
	else
		return CONNECT_PROCEED;
	if (protocol != IPPROTO_TCP) {
		*proxy_port = 0;
		return CONNECT_PROCEED; /* L7 rules are TCP only; the agent never writes PROXY for UDP */
	}

	orig.addr = daddr;
	orig.port = dport;
	orig.src_identity = local->identity;
	cookie = bpf_get_socket_cookie(ctx);
	/* Without the original destination the proxy could not serve it: refuse rather than leak. */
	if (bpf_map_update_elem(&portcullis_origdst_cookie_v1, &cookie, &orig, BPF_ANY))
		return CONNECT_REFUSE;
	steer_count(STEER_CONNECT_PROXIED);
	return CONNECT_PROCEED;
}

SEC("cgroup/connect4")
int sock_connect4(struct bpf_sock_addr *ctx)
{
	struct steering_config *config = steering_config();
	__be16 proxy_port;
	int verdict;

	if (!config)
		return CONNECT_PROCEED;
	verdict = steer_connect(ctx, config, ctx->user_ip4, (__be16)ctx->user_port, &proxy_port);
	if (verdict == CONNECT_PROCEED && proxy_port) {
		ctx->user_ip4 = config->proxy_addr;
		ctx->user_port = proxy_port;
	}
	return verdict;
}

SEC("cgroup/connect6")
int sock_connect6(struct bpf_sock_addr *ctx)
{
	struct steering_config *config = steering_config();
	__be16 proxy_port;
	int verdict;

	if (!config || ctx->user_ip6[0] != 0 || ctx->user_ip6[1] != 0 ||
	    ctx->user_ip6[2] != bpf_htonl(0x0000ffff))
		return CONNECT_PROCEED;
	verdict = steer_connect(ctx, config, ctx->user_ip6[3], (__be16)ctx->user_port, &proxy_port);
	if (verdict == CONNECT_PROCEED && proxy_port) {
		ctx->user_ip6[3] = config->proxy_addr;
		ctx->user_port = proxy_port;
	}
	return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
