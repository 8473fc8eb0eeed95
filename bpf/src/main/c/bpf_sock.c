/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * On the cgroup v2 root: cgroup/connect4 and connect6 for service load balancing for the
 * endpoints' workloads and the node's own processes (those in the host's network namespace; other
 * namespaces are left alone), and for socket-level L3/L4 policy and L7 steering of the endpoints'
 * workloads; cgroup/sendmsg4 and recvmsg4/6 for services used with unconnected UDP sockets;
 * cgroup/getpeername4 and getpeername6 to keep all of it invisible to the application.
 *
 *   sock_connect4  for a TCP/UDP connect(), in order:
 *                  1. service translation (lib/lb.h): a connect to a service frontend VIP:port
 *                     is rewritten to one backend (RANDOM slot, or MAGLEV table entry at the
 *                     hash of the socket cookie: there is no source port yet). A frontend
 *                     without backends fails connect() with ECONNREFUSED. This happens for any
 *                     socket in the host's network namespace, whether or not its cgroup is a
 *                     known endpoint, and for any socket of an endpoint's cgroup.
 *                  2. policy and steering, judged on the (translated) destination, so policy and
 *                     the proxy see the real backend: for a workload of a local endpoint (found
 *                     by its cgroup in portcullis_endpoints_v1) to a peer (found through the
 *                     ipcache), the source's egress entry and, when the peer is a local endpoint
 *                     too, the peer's ingress entry decide. DENY (or no entry) -> EPERM when
 *                     STEER_F_DENY_AT_CONNECT is set, else the connect proceeds and TC drops its
 *                     packets. PROXY on either side -> the destination is rewritten to the proxy
 *                     and the original destination (the backend, for a service) and the source
 *                     identity are stored with the socket for bpf_sockops to re-key. A UDP
 *                     socket under DNS rules (PROXY entries for UDP are only written for those)
 *                     goes to the agent's DNS proxy instead, its original destination recorded
 *                     under its 4-tuple towards the proxy (see steer_datagrams).
 *                  When either step rewrote the destination, the socket's local storage holds
 *                  where it is now connected and what the application asked for
 *                  (portcullis_lb_sock_revnat_v2).
 *
 *   sock_connect6  the same for dual-stack AF_INET6 sockets connecting to an IPv4 peer as
 *                  ::ffff:a.b.c.d, which is how Java, Go and many other runtimes connect by
 *                  default; connect4 never sees those. Other IPv6 destinations pass here and are
 *                  dropped by bpf_lxc, which does not route IPv6 (fail closed).
 *
 *   sock_sendmsg4  for a datagram sent with an address (sendto() on an unconnected UDP socket,
 *                  e.g. most DNS clients) to a service frontend: rewrites the destination to a
 *                  backend and records (portcullis_lb_sock_udp_v2) which backend the socket sends
 *                  that frontend's datagrams to and which frontend that backend stands for. The
 *                  backend is chosen once per socket and frontend, as connect() does, whatever
 *                  the algorithm: the socket's datagrams stick to it while both live (a
 *                  request/answer exchange over several datagrams stays on one backend), and a
 *                  new choice is made only when that backend left the service. A frontend
 *                  without backends fails the send with ECONNREFUSED. Then, for an endpoint's
 *                  socket, a datagram DNS rules apply to goes to the DNS proxy (as connect4 does
 *                  for connected sockets), and the socket's UDP state records that the proxy's
 *                  answers show as coming from the address the datagram was sent to. No policy
 *                  here: TC judges each datagram.
 *                  Dual-stack sockets sending to ::ffff:a.b.c.d come here too: the kernel hands
 *                  those datagrams to udp_sendmsg, and cgroup/sendmsg6 never sees them.
 *
 *   sock_recvmsg4/6  shows the frontend as the source of a datagram from a backend the socket
 *                  sent that frontend's datagrams to (recvfrom()), or, on a connected socket, the
 *                  address connect() asked for; resolvers drop answers from any other source.
 *                  recvmsg6 does the same for dual-stack sockets, which see the source as
 *                  ::ffff:a.b.c.d.
 *
 *   sock_getpeername4/6  when the socket's recorded connected address is still its peer, shows
 *                  the address the application connected to instead (the VIP of a service, the
 *                  original peer of a steered connection).
 *
 * Not covered yet: getsockname() views of translated sockets.
 *
 * Sockets outside an endpoint cgroup (the agent and its proxy among them) are never steered, and
 * a connect to the proxy address itself passes unchanged. The proxy's upstream connects go to
 * backends and endpoints, never to a frontend, so they pass untouched. Running these programs
 * twice on the same call (old and new program during an agent restart) changes nothing, as a
 * backend or the proxy is never a frontend.
 */
#include <linux/errno.h>
#include "lib/common.h"
#include "lib/ipcache.h"
#include "lib/lb.h"
#include "lib/policy.h"
#include "lib/sockmap.h"

#define AF_INET 2 /* linux/socket.h, which a BPF target cannot include */
#define CONNECT_REFUSE 0 /* the kernel fails connect() with EPERM, or the errno set by bpf_set_retval */
#define CONNECT_PROCEED 1
#define GETPEERNAME_DONE 1 /* getpeername hooks cannot fail the call */
#define SENDMSG_REFUSE 0 /* the kernel fails the send with EPERM, or the errno set by bpf_set_retval */
#define SENDMSG_PROCEED 1
#define RECVMSG_DONE 1 /* recvmsg hooks cannot fail the call */

enum translation {
	NOT_A_SERVICE,
	TRANSLATED,
	NO_BACKEND,
};

/*
 * Whether services are translated for this socket: for the node's own processes (the host's
 * network namespace) and the endpoints' workloads (found by cgroup, in their own namespaces).
 * Sockets of any other namespace on the node (another runtime's containers, a test's stand-in for
 * the outside world) reach a VIP as the outside world does, through bpf_lb on the uplink.
 */
static __always_inline int translates_services(struct bpf_sock_addr *ctx, struct endpoint_value *local)
{
	return local || bpf_get_netns_cookie(ctx) == bpf_get_netns_cookie(0);
}

/* The local endpoint the calling task's cgroup belongs to, or NULL. */
static __always_inline struct endpoint_value *current_endpoint(void)
{
	__u64 cgroup_id = bpf_get_current_cgroup_id();

	return bpf_map_lookup_elem(&portcullis_endpoints_v1, &cgroup_id);
}

/*
 * Rewrites *daddr and *dport from a service frontend to one of its backends; local is the
 * caller's endpoint (NULL: none). NO_BACKEND only when the service has none (lb_select).
 */
static __always_inline enum translation translate_service(struct bpf_sock_addr *ctx, struct endpoint_value *local,
							   __be32 *daddr, __be16 *dport)
{
	struct lb_service_key key = { .vip = *daddr, .dport = *dport, .protocol = ctx->protocol };
	struct lb_service_value *service;
	struct lb_backend *backend;
	__u32 backend_id;

	if (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP)
		return NOT_A_SERVICE;
	service = bpf_map_lookup_elem(&portcullis_lb_services_v1, &key);
	if (!service || !translates_services(ctx, local))
		return NOT_A_SERVICE;
	backend = lb_select(&key, service, lb_cookie_hash(bpf_get_socket_cookie(ctx)), &backend_id);
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
 * A UDP socket of endpoint local whose datagrams to daddr:dport go to the DNS proxy on
 * *proxy_port (the only PROXY entries the agent writes for UDP are those of DNS rules): its
 * original destination and the endpoint's identity are recorded under the client's 4-tuple
 * towards the proxy (portcullis_origdst_v1), where the DNS proxy reads them for each datagram.
 * A socket without a port yet (connect() before any send) is bound to an ephemeral one first, as
 * the connect would. Without the record the proxy could not serve the datagrams: the steering is
 * dropped (*proxy_port = 0, CONNECT_REFUSE), and TC drops them as not proxied (fail closed).
 */
static __always_inline int steer_datagrams(struct bpf_sock_addr *ctx, struct steering_config *config,
					   struct endpoint_value *local, __be32 daddr, __be16 dport,
					   __be16 *proxy_port, int may_bind)
{
	struct origdst_value orig = { .addr = daddr, .port = dport, .src_identity = local->identity };
	struct sockaddr_in any = { .sin_family = AF_INET };
	struct sock_key key = { .sip = local->addr, .dip = config->proxy_addr, .dport = *proxy_port };
	struct bpf_sock *sk = ctx->sk;

	if (!sk)
		goto unrecorded;
	if (sk->src_port == 0 && may_bind &&
	    bpf_bind(ctx, (struct sockaddr *)&any, sizeof(any)) != 0)
		goto unrecorded;
	key.sport = bpf_htons((__u16)sk->src_port);
	if (key.sport == 0 || bpf_map_update_elem(&portcullis_origdst_v1, &key, &orig, BPF_ANY) != 0)
		goto unrecorded;
	steer_count(STEER_CONNECT_PROXIED);
	return CONNECT_PROCEED;
unrecorded:
	*proxy_port = 0;
	return CONNECT_REFUSE;
}

/*
 * The decision for a connect to daddr:dport by a task of endpoint local (NULL: none). Returns
 * CONNECT_REFUSE or CONNECT_PROCEED; when the connection must go to the proxy, *proxy_port is set
 * (network order) and the original destination is stored with the socket (TCP) or under the
 * client's 4-tuple (UDP). may_bind: the hook may bind the socket (connect, not sendmsg).
 */
static __always_inline int steer_connect(struct bpf_sock_addr *ctx, struct steering_config *config,
					 struct endpoint_value *local, __be32 daddr, __be16 dport,
					 __be16 *proxy_port, int may_bind)
{
	struct ipcache_value *peer;
	struct policy_value *egress, *ingress = 0;
	struct origdst_value *orig;
	__u8 protocol = ctx->protocol;
	__u32 remote_id;
	int peer_local;

	*proxy_port = 0;
	if (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP)
		return CONNECT_PROCEED;
	/* The proxy (the node's pool address) and the workload's own loopback are not peers. */
	if (daddr == config->proxy_addr || (bpf_ntohl(daddr) >> 24) == 127)
		return CONNECT_PROCEED;

	if (!local || daddr == local->addr)
		return CONNECT_PROCEED;

	peer = ipcache_lookup(daddr);
	remote_id = peer ? peer->identity : IDENTITY_WORLD;
	peer_local = peer && (peer->flags & IPCACHE_F_LOCAL_ENDPOINT);

	egress = policy_lookup(local->identity, remote_id, POLICY_EGRESS, protocol, dport);
	if (peer_local)
		ingress = policy_lookup(remote_id, local->identity, POLICY_INGRESS, protocol, dport);

	/* In audit mode a connect policy would refuse proceeds: bpf_lxc forwards and counts it. */
	if ((is_deny(egress) && !policy_audited(egress, ipcache_audits(local->addr))) ||
	    (peer_local && is_deny(ingress) &&
	     !policy_audited(ingress, peer->flags & IPCACHE_F_AUDIT))) {
		if (!(config->flags & STEER_F_DENY_AT_CONNECT))
			return CONNECT_PROCEED;
		steer_count(STEER_CONNECT_DENIED);
		return CONNECT_REFUSE;
	}

	if (egress && egress->verdict == POLICY_PROXY)
		*proxy_port = egress->proxy_port;
	else if (ingress && ingress->verdict == POLICY_PROXY)
		*proxy_port = ingress->proxy_port;
	else
		return CONNECT_PROCEED;
	if (protocol != IPPROTO_TCP)
		return steer_datagrams(ctx, config, local, daddr, dport, proxy_port, may_bind);

	/* Without the original destination the proxy could not serve it: refuse rather than leak. */
	orig = bpf_sk_storage_get(&portcullis_origdst_sk_v1, ctx->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!orig)
		return CONNECT_REFUSE;
	orig->addr = daddr;
	orig->port = dport;
	orig->src_identity = local->identity;
	steer_count(STEER_CONNECT_PROXIED);
	return CONNECT_PROCEED;
}

/*
 * The whole connect decision for daddr:dport (network order); on CONNECT_PROCEED they hold where
 * the socket connects.
 */
static __always_inline int decide_connect(struct bpf_sock_addr *ctx, __be32 *daddr, __be16 *dport)
{
	__be32 shown_addr = *daddr;
	__be16 shown_port = *dport;
	struct endpoint_value *local = current_endpoint();
	struct lb_sock_revnat *revnat;
	struct steering_config *config;
	enum translation translation;
	__be16 proxy_port = 0;

	translation = translate_service(ctx, local, daddr, dport);
	if (translation == NO_BACKEND) {
		/* Allowed for cgroup sock_addr programs since 5.18: connect() fails with this errno. */
		bpf_set_retval(-ECONNREFUSED);
		return CONNECT_REFUSE;
	}
	config = steering_config();
	if (config) {
		if (steer_connect(ctx, config, local, *daddr, *dport, &proxy_port, 1) == CONNECT_REFUSE)
			return CONNECT_REFUSE;
		if (proxy_port) {
			*daddr = config->proxy_addr;
			*dport = proxy_port;
		}
	}
	if (translation == TRANSLATED || proxy_port) {
		revnat = bpf_sk_storage_get(&portcullis_lb_sock_revnat_v2, ctx->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		/* Best effort: without the entry getpeername() shows the real peer, nothing breaks. */
		if (revnat) {
			revnat->connected_addr = *daddr;
			revnat->connected_port = *dport;
			revnat->shown_addr = shown_addr;
			revnat->shown_port = shown_port;
		}
	} else if (ctx->protocol == IPPROTO_UDP) {
		/*
		 * A UDP socket connecting again, elsewhere: the earlier translation no longer applies. (The
		 * same destination is the second of two programs seeing one connect: keep it.) Only UDP
		 * sockets connect more than once; this runs on every untranslated connect of the node.
		 */
		revnat = bpf_sk_storage_get(&portcullis_lb_sock_revnat_v2, ctx->sk, 0, 0);
		if (revnat && (revnat->connected_addr != *daddr || revnat->connected_port != *dport))
			bpf_sk_storage_delete(&portcullis_lb_sock_revnat_v2, ctx->sk);
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
	struct lb_sock_revnat *revnat = bpf_sk_storage_get(&portcullis_lb_sock_revnat_v2, ctx->sk, 0, 0);

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

/* The slot of the frontend addr:port in the socket's state, or NULL. */
static __always_inline struct lb_sock_udp_slot *udp_frontend_slot(struct lb_sock_udp *state, __be32 addr, __be16 port)
{
	for (int i = 0; i < LB_SOCK_UDP_SLOTS; i++) {
		if (state->slots[i].frontend_addr == addr && state->slots[i].frontend_port == port)
			return &state->slots[i];
	}
	return 0;
}

/* The slot for a new frontend: a free one, else the one at the frontend's hash (it chooses anew). */
static __always_inline struct lb_sock_udp_slot *udp_free_slot(struct lb_sock_udp *state, __be32 addr, __be16 port)
{
	for (int i = 0; i < LB_SOCK_UDP_SLOTS; i++) {
		if (state->slots[i].frontend_addr == 0)
			return &state->slots[i];
	}
	return &state->slots[lb_hash_round(addr, port) % LB_SOCK_UDP_SLOTS];
}

/*
 * The backend for a datagram of this socket to the frontend key->vip:dport: the one it sent to
 * before while that backend is still in the maps with the same address (ids belong to one
 * service and are freed when a backend leaves it), else a new choice, recorded in the socket's
 * state (state NULL: the state could not be created, the choice is not recorded).
 */
static __always_inline struct lb_backend *datagram_backend(struct bpf_sock_addr *ctx, struct lb_service_key *key,
							   struct lb_service_value *service,
							   struct lb_sock_udp *state)
{
	struct lb_sock_udp_slot *slot = state ? udp_frontend_slot(state, key->vip, key->dport) : 0;
	struct lb_backend *backend;
	__u32 backend_id;

	if (slot) {
		backend = lb_backend(slot->backend_id);
		if (backend && backend->addr == slot->backend_addr && backend->port == slot->backend_port) {
			slot->last_send = ++state->sends;
			return backend;
		}
	}
	backend = lb_select(key, service, lb_cookie_hash(bpf_get_socket_cookie(ctx)), &backend_id);
	if (!backend || !state)
		return backend;
	if (!slot)
		slot = udp_free_slot(state, key->vip, key->dport);
	slot->frontend_addr = key->vip;
	slot->frontend_port = key->dport;
	slot->backend_addr = backend->addr;
	slot->backend_port = backend->port;
	slot->backend_id = backend_id;
	slot->last_send = ++state->sends;
	return backend;
}

/* Rewrites *daddr and *dport of a datagram to a UDP service frontend to the socket's backend. */
static __always_inline enum translation translate_datagram(struct bpf_sock_addr *ctx, __be32 *daddr,
							    __be16 *dport)
{
	struct lb_service_key key = { .vip = *daddr, .dport = *dport, .protocol = IPPROTO_UDP };
	struct lb_service_value *service;
	struct lb_sock_udp *state;
	struct lb_backend *backend;

	if (ctx->protocol != IPPROTO_UDP)
		return NOT_A_SERVICE;
	service = bpf_map_lookup_elem(&portcullis_lb_services_v1, &key);
	if (!service || !translates_services(ctx, current_endpoint()))
		return NOT_A_SERVICE;
	if (service->count == 0)
		return NO_BACKEND;
	/*
	 * Best effort: without the state each datagram chooses again, and recvfrom() shows the
	 * backend, so the application may drop the answer and send again.
	 */
	state = bpf_sk_storage_get(&portcullis_lb_sock_udp_v2, ctx->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	backend = datagram_backend(ctx, &key, service, state);
	if (!backend)
		return NO_BACKEND;
	*daddr = backend->addr;
	*dport = backend->port;
	return TRANSLATED;
}

static __always_inline int refuse_datagram(void)
{
	/* Allowed for sendmsg programs (unlike recvmsg and getpeername): the send fails with this errno. */
	bpf_set_retval(-ECONNREFUSED);
	return SENDMSG_REFUSE;
}

/*
 * A datagram of an endpoint's unconnected UDP socket that DNS rules send to the DNS proxy:
 * rewrites *daddr:*dport to the proxy and records, in the socket's UDP state, that the proxy's
 * answers show as coming from the address the application sent to (what recvmsg4 shows). A
 * datagram policy denies is left alone here: TC judges and drops it.
 */
static __always_inline void steer_datagram(struct bpf_sock_addr *ctx, __be32 *daddr, __be16 *dport)
{
	struct endpoint_value *local = current_endpoint();
	struct steering_config *config = steering_config();
	struct lb_sock_udp_slot *slot;
	struct lb_sock_udp *state;
	__be16 proxy_port = 0;

	if (!local || !config || ctx->protocol != IPPROTO_UDP)
		return;
	steer_connect(ctx, config, local, *daddr, *dport, &proxy_port, 0);
	if (!proxy_port)
		return;
	state = bpf_sk_storage_get(&portcullis_lb_sock_udp_v2, ctx->sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (state) {
		slot = udp_frontend_slot(state, ctx->user_ip4, (__be16)ctx->user_port);
		if (!slot)
			slot = udp_free_slot(state, ctx->user_ip4, (__be16)ctx->user_port);
		slot->frontend_addr = ctx->user_ip4;
		slot->frontend_port = (__be16)ctx->user_port;
		slot->backend_addr = config->proxy_addr;
		slot->backend_port = proxy_port;
		slot->backend_id = 0;
		slot->last_send = ++state->sends;
	}
	*daddr = config->proxy_addr;
	*dport = proxy_port;
}

SEC("cgroup/sendmsg4")
int sock_sendmsg4(struct bpf_sock_addr *ctx)
{
	__be32 daddr = ctx->user_ip4;
	__be16 dport = (__be16)ctx->user_port;
	enum translation translation = translate_datagram(ctx, &daddr, &dport);

	if (translation == NO_BACKEND)
		return refuse_datagram();
	steer_datagram(ctx, &daddr, &dport);
	if (daddr != ctx->user_ip4 || dport != (__be16)ctx->user_port) {
		ctx->user_ip4 = daddr;
		ctx->user_port = dport;
	}
	return SENDMSG_PROCEED;
}

/*
 * What recvfrom() shows as the source src_addr:src_port of a datagram: the frontend the socket
 * sent to when src is the backend that frontend's datagrams went to; on a connected socket, the
 * address connect() asked for when src is where it was connected. Returns 0 when src shows as it is.
 */
static __always_inline int shown_source(struct bpf_sock_addr *ctx, __be32 *src_addr, __be16 *src_port)
{
	struct lb_sock_udp *state = bpf_sk_storage_get(&portcullis_lb_sock_udp_v2, ctx->sk, 0, 0);
	struct lb_sock_udp_slot *frontend = 0;
	struct lb_sock_revnat *connected;

	if (state) {
		/* Of the frontends whose datagrams went to src, the one the socket sent to last. */
		for (int i = 0; i < LB_SOCK_UDP_SLOTS; i++) {
			struct lb_sock_udp_slot *slot = &state->slots[i];

			if (slot->frontend_addr && slot->backend_addr == *src_addr && slot->backend_port == *src_port
			    && (!frontend || (__s32)(slot->last_send - frontend->last_send) > 0))
				frontend = slot;
		}
	}
	if (frontend) {
		*src_addr = frontend->frontend_addr;
		*src_port = frontend->frontend_port;
		return 1;
	}
	connected = shown_peer(ctx, *src_addr, *src_port);
	if (!connected)
		return 0;
	*src_addr = connected->shown_addr;
	*src_port = connected->shown_port;
	return 1;
}

SEC("cgroup/recvmsg4")
int sock_recvmsg4(struct bpf_sock_addr *ctx)
{
	__be32 src_addr = ctx->user_ip4;
	__be16 src_port = (__be16)ctx->user_port;

	if (shown_source(ctx, &src_addr, &src_port)) {
		ctx->user_ip4 = src_addr;
		ctx->user_port = src_port;
	}
	return RECVMSG_DONE;
}

SEC("cgroup/recvmsg6")
int sock_recvmsg6(struct bpf_sock_addr *ctx)
{
	__be32 src_addr;
	__be16 src_port;

	if (!is_v4_mapped(ctx))
		return RECVMSG_DONE;
	src_addr = ctx->user_ip6[3];
	src_port = (__be16)ctx->user_port;
	if (shown_source(ctx, &src_addr, &src_port)) {
		ctx->user_ip6[3] = src_addr;
		ctx->user_port = src_port;
	}
	return RECVMSG_DONE;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
