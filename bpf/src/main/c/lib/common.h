/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Common includes, constants and packet-parsing helpers for every Portcullis BPF program.
 *
 * Byte order convention for all shared structs (mirrored in io.portcullis.bpf.maps):
 * fields named *addr, *ip, *port and proxy_port are in NETWORK byte order (big-endian), exactly
 * as they appear on the wire or in socket contexts; every other multi-byte field (identities,
 * prefix lengths, counters) is in HOST byte order. Padding is always explicit and must be zero.
 */
#ifndef PORTCULLIS_COMMON_H
#define PORTCULLIS_COMMON_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Reserved identities, numbered as in Cilium so operators can read them the same way. */
#define IDENTITY_UNKNOWN 0
#define IDENTITY_HOST 1
#define IDENTITY_WORLD 2

/*
 * skb->mark carried by the proxy's upstream sockets (SO_MARK), laid out as Cilium's identity
 * marks: bits 8..11 hold the magic nibble, bits 16..31 the low 16 bits of the original source's
 * identity and bits 0..7 its high 8 bits (24-bit identities). A proxy mark without an identity
 * (all zero outside the magic) means "judge by the packet's source address".
 * Java mirror: io.portcullis.bpf.maps.ProxyMark.
 */
#define MARK_MAGIC_MASK 0x0F00
#define MARK_MAGIC_PROXY 0x0A00

static __always_inline int mark_is_proxy(__u32 mark)
{
	return (mark & MARK_MAGIC_MASK) == MARK_MAGIC_PROXY;
}

static __always_inline __u32 mark_identity(__u32 mark)
{
	return (mark >> 16) | ((mark & 0xFF) << 16);
}

/* IPv4 "more fragments" flag and fragment offset mask, host order after bpf_ntohs(). */
#define IP_MF 0x2000
#define IP_OFFSET 0x1FFF

/* TCP flags (byte 13 of the TCP header). */
#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10

/*
 * The L3/L4 facts a program decides on, filled by parse_ipv4(). Ports are zero for protocols
 * without ports (ICMP, ...): conntrack keys an ICMP flow (an echo and its reply) without its
 * message type, and policy reads the type from icmp_type instead (see flow_policy_port()).
 */
struct flow4 {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 protocol;
	__u8 tcp_flags;  /* TCP_FLAG_*; zero for other protocols */
	__u8 first_fragment; /* offset 0 with "more fragments": later fragments carry no ports */
	__u8 icmp_type;  /* ICMP message type; zero for other protocols */
	__be16 ip_id;    /* IPv4 identification, network order: ties fragments to their datagram */
	__u16 ip_len;    /* bytes of the IPv4 datagram (header + payload), host order */
};

enum parse_result {
	PARSE_OK = 0,
	PARSE_NOT_IPV4,   /* not an IPv4 frame: the caller decides what to do with it */
	PARSE_TRUNCATED,  /* the packet ends inside the Ethernet or IPv4 header */
	PARSE_L4_TRUNCATED, /* IPv4 header complete (addresses valid), TCP/UDP ports cut off */
	PARSE_FRAGMENT,   /* a non-first IPv4 fragment (addresses valid): it carries no L4 header */
};

/*
 * Parses Ethernet + IPv4 (+ TCP/UDP ports) between data and data_end. Written once for XDP and TC:
 * both hand the program a linear [data, data_end) window that the verifier bounds-checks.
 */
static __always_inline enum parse_result parse_ipv4(void *data, void *data_end, struct flow4 *flow,
						    __u16 *eth_proto)
{
	struct ethhdr *eth = data;
	struct iphdr *ip;
	__u32 ihl;

	if ((void *)(eth + 1) > data_end)
		return PARSE_TRUNCATED;
	*eth_proto = bpf_ntohs(eth->h_proto);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return PARSE_NOT_IPV4;

	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return PARSE_TRUNCATED;
	ihl = ip->ihl * 4;
	if (ihl < sizeof(*ip) || (void *)ip + ihl > data_end)
		return PARSE_TRUNCATED;

	flow->saddr = ip->saddr;
	flow->daddr = ip->daddr;
	flow->protocol = ip->protocol;
	flow->sport = 0;
	flow->dport = 0;
	flow->tcp_flags = 0;
	flow->icmp_type = 0;
	flow->ip_id = ip->id;
	flow->ip_len = bpf_ntohs(ip->tot_len);
	flow->first_fragment = (bpf_ntohs(ip->frag_off) & (IP_MF | IP_OFFSET)) == IP_MF;

	if (bpf_ntohs(ip->frag_off) & IP_OFFSET)
		return PARSE_FRAGMENT;

	if (ip->protocol == IPPROTO_TCP) {
		/* The whole fixed TCP header: ports, and the flags conntrack follows. */
		__u8 *tcp = (void *)ip + ihl;

		if ((void *)(tcp + 20) > data_end)
			return PARSE_L4_TRUNCATED;
		flow->sport = *(__be16 *)tcp;
		flow->dport = *(__be16 *)(tcp + 2);
		flow->tcp_flags = tcp[13];
	} else if (ip->protocol == IPPROTO_UDP) {
		__be16 *ports = (void *)ip + ihl;

		if ((void *)(ports + 2) > data_end)
			return PARSE_L4_TRUNCATED;
		flow->sport = ports[0];
		flow->dport = ports[1];
	} else if (ip->protocol == IPPROTO_ICMP) {
		__u8 *icmp = (void *)ip + ihl;

		if ((void *)(icmp + 1) > data_end)
			return PARSE_L4_TRUNCATED;
		flow->icmp_type = icmp[0];
	}
	return PARSE_OK;
}

/*
 * The "port" policy is looked up with, network order: the destination port, or for ICMP the
 * message type, as Cilium keys ICMP policy (an icmps field is a port rule of protocol ICMP).
 */
static __always_inline __be16 flow_policy_port(const struct flow4 *flow)
{
	return flow->protocol == IPPROTO_ICMP ? bpf_htons(flow->icmp_type) : flow->dport;
}

#endif
