/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cgroup/connect4 and cgroup/connect6 on the endpoints' cgroup tree: east-west service load
 * balancing, socket-level L3/L4 policy and L7 steering; cgroup/getpeername4 and getpeername6 to
 * keep all of it invisible to the application.
 *
 *   sock_connect4  for a TCP/UDP connect() from a socket in the attached cgroup tree, in order:
 *                  1. service translation (lib/lb.h): a connect to a service frontend VIP:port
 *                     is rewritten to one backend (RANDOM slot, or MAGLEV table entry at the
 *                     hash of the socket cookie: there is no source port yet). A frontend
 *                     without backends fails connect() with ECONNREFUSED. This happens for any
 *                     socket in the tree, whether or not its cgroup is a known endpoint.
 *                  2. policy and steering, judged on the (translated) destination, so policy and
 *                     the proxy see the real backend: for a workload of a local endpoint (found
 *                     by its cgroup in portcullis_endpoints_v1) to a peer (found through the
 *                     ipcache), the source's egress entry and, when the peer is a local endpoint
 *                     too, the peer's ingress entry decide. DENY (or no entry) -> EPERM when
 *                     STEER_F_DENY_AT_CONNECT is set, else the connect proceeds and TC drops its
 *                     packets. PROXY on either side -> the destination is rewritten to the proxy
 *                     and the original destination (the backend, for a service) and the source
 *                     identity are stored by socket cookie for bpf_sockops to re-key.
 *                  When either step rewrote the destination, the socket's cookie maps to where it
 *                  is now connected and what the application asked for
 *                  (portcullis_lb_sock_revnat_v1).
 *
 *   sock_connect6  the same for dual-stack AF_INET6 sockets connecting to an IPv4 peer as
 *                  ::ffff:a.b.c.d, which is how Java, Go and many other runtimes connect by
 *                  default; connect4 never sees those. Other IPv6 destinations pass here and are
 *                  dropped by bpf_lxc, which does not route IPv6 (fail closed).
 *
 *   sock_getpeername4/6  when the socket's recorded connected address is still its peer, shows
 *                  the address the application connected to instead (the VIP of a service, the
 *                  original peer of a steered connection).
 *
 * Not covered yet: UDP datagrams sent with sendto() to a VIP on an unconnected socket (that needs
 * cgroup/sendmsg4 and recvmsg4), and getsockname()/recvfrom() views of translated sockets.
 *
 * Sockets outside an endpoint cgroup (the agent and its proxy among them) are never touched, and
 * a connect to the proxy address itself passes unchanged: running this program twice on the same
 * connect (old and new program during an agent restart) changes nothing, as a backend or the
 * proxy is never a frontend.
 */
#include <linux/errno.h>
#include "lib/common.h"
#include "lib/ipcache.h"
#include "lib/lb.h"
#include "lib/policy.h"
#include "lib/sockmap.h"

#define CONNECT_REFUSE 0 /* the kernel fails connect() with EPERM, or the errno set by bpf_set_retval */
#define CONNECT_PROCEED 1
#define GETPEERNAME_DONE 1 /* getpeername hooks cannot fail the call */

enum translation {
	NOT_A_SERVICE,
	TRANSLATED,
	NO_BACKEND,
};

/*
 * Rewrites *daddr and *dport from a service frontend to one of its backends. A backend id that is
 * missing (the maps mid-update) counts as no backend: the application retries a refused connect.
 */
static __always_inline enum translation translate_service(struct bpf_sock_addr *ctx, __be32 *daddr,
							   __be16 *dport)
{
	struct lb_service_key key = { .vip = *daddr, .dport = *dport, .protocol = ctx->protocol };
	struct lb_service_value *service;
	struct lb_backend *backend;
	__u32 backend_id;

	if (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP)
		return NOT_A_SERVICE;
	service = bpf_map_lookup_elem(&portcullis_lb_services_v1, &key);
	if (!service)
		return NOT_A_SERVICE;
	backend_id = lb_select(&key, service, lb_cookie_hash(bpf_get_socket_cookie(ctx)));
	backend = backend_id ? lb_backend(backend_id) : 0;
	if (!backend)
		return NO_BACKEND;
	*daddr = backend->addr;
	*dport = backend->port;
	return TRANSLATED;
}

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

/*
 * The whole connect decision for daddr:dport (network order); on CONNECT_PROCEED they hold where
 * the socket connects.
 */
static __always_inline int decide_connect(struct bpf_sock_addr *ctx, __be32 *daddr, __be16 *dport)
{
	struct lb_sock_revnat revnat = { .shown_addr = *daddr, .shown_port = *dport };
	struct steering_config *config;
	enum translation translation;
	__be16 proxy_port = 0;
	__u64 cookie;

	translation = translate_service(ctx, daddr, dport);
	if (translation == NO_BACKEND) {
		/* Allowed for cgroup sock_addr programs since 5.18: connect() fails with this errno. */
		bpf_set_retval(-ECONNREFUSED);
		return CONNECT_REFUSE;
	}
	config = steering_config();
	if (config) {
		if (steer_connect(ctx, config, *daddr, *dport, &proxy_port) == CONNECT_REFUSE)
			return CONNECT_REFUSE;
		if (proxy_port) {
			*daddr = config->proxy_addr;
			*dport = proxy_port;
		}
	}
	cookie = bpf_get_socket_cookie(ctx);
	if (translation == TRANSLATED || proxy_port) {
		revnat.connected_addr = *daddr;
		revnat.connected_port = *dport;
		/* Best effort: without the entry getpeername() shows the real peer, nothing breaks. */
		bpf_map_update_elem(&portcullis_lb_sock_revnat_v1, &cookie, &revnat, BPF_ANY);
	} else {
		struct lb_sock_revnat *earlier = bpf_map_lookup_elem(&portcullis_lb_sock_revnat_v1, &cookie);

		/*
		 * A UDP socket connecting again, elsewhere: the earlier translation no longer applies. (The
		 * same destination is the second of two programs seeing one connect: keep it.)
		 */
		if (earlier && (earlier->connected_addr != *daddr || earlier->connected_port != *dport))
			bpf_map_delete_elem(&portcullis_lb_sock_revnat_v1, &cookie);
	}
	return CONNECT_PROCEED;
}

SEC("cgroup/connect4")
int sock_connect4(struct bpf_sock_addr *ctx)
{
	__be32 daddr = ctx->user_ip4;
	__be16 dport = (__be16)ctx->user_port;

	if (decide_connect(ctx, &daddr, &dport) == CONNECT_REFUSE)
		return CONNECT_REFUSE;
	if (daddr != ctx->user_ip4 || dport != (__be16)ctx->user_port) {
		ctx->user_ip4 = daddr;
		ctx->user_port = dport;
	}
	return CONNECT_PROCEED;
}

static __always_inline int is_v4_mapped(struct bpf_sock_addr *ctx)
{
	return ctx->user_ip6[0] == 0 && ctx->user_ip6[1] == 0 && ctx->user_ip6[2] == bpf_htonl(0x0000ffff);
}

SEC("cgroup/connect6")
int sock_connect6(struct bpf_sock_addr *ctx)
{
	__be32 daddr;
	__be16 dport;

	if (!is_v4_mapped(ctx))
		return CONNECT_PROCEED;
	daddr = ctx->user_ip6[3];
	dport = (__be16)ctx->user_port;
	if (decide_connect(ctx, &daddr, &dport) == CONNECT_REFUSE)
		return CONNECT_REFUSE;
	if (daddr != ctx->user_ip6[3] || dport != (__be16)ctx->user_port) {
		ctx->user_ip6[3] = daddr;
		ctx->user_port = dport;
	}
	return CONNECT_PROCEED;
}

/* What the application connected to, when peer_addr:peer_port is still where connect() sent it. */
static __always_inline struct lb_sock_revnat *shown_peer(struct bpf_sock_addr *ctx, __be32 peer_addr,
							 __be16 peer_port)
{
	__u64 cookie = bpf_get_socket_cookie(ctx);
	struct lb_sock_revnat *revnat = bpf_map_lookup_elem(&portcullis_lb_sock_revnat_v1, &cookie);

	if (!revnat || revnat->connected_addr != peer_addr || revnat->connected_port != peer_port)
		return 0;
	return revnat;
}

SEC("cgroup/getpeername4")
int sock_getpeername4(struct bpf_sock_addr *ctx)
{
	struct lb_sock_revnat *revnat = shown_peer(ctx, ctx->user_ip4, (__be16)ctx->user_port);

	if (revnat) {
		ctx->user_ip4 = revnat->shown_addr;
		ctx->user_port = revnat->shown_port;
	}
	return GETPEERNAME_DONE;
}

SEC("cgroup/getpeername6")
int sock_getpeername6(struct bpf_sock_addr *ctx)
{
	struct lb_sock_revnat *revnat;

	if (!is_v4_mapped(ctx))
		return GETPEERNAME_DONE;
	revnat = shown_peer(ctx, ctx->user_ip6[3], (__be16)ctx->user_port);
	if (revnat) {
		ctx->user_ip6[3] = revnat->shown_addr;
		ctx->user_port = revnat->shown_port;
	}
	return GETPEERNAME_DONE;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
