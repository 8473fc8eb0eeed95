/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * TCP state flags and entry lifetimes shared by the two connection trackers: bpf_lxc's
 * (conntrack.h) and the north-south load balancer's (lb.h). An entry is alive while
 * now - last_seen_ns <= ct_lifetime_ns(protocol, flags). Java mirror: CtValue flags, CtLifetime.
 */
#ifndef PORTCULLIS_CT_LIFETIME_H
#define PORTCULLIS_CT_LIFETIME_H

#include "common.h"

#define CT_F_SEEN_NON_SYN 0x1 /* the handshake completed */
#define CT_F_TX_CLOSING 0x2   /* FIN or RST seen from the opener */
#define CT_F_RX_CLOSING 0x4   /* FIN or RST seen from the peer */
#define CT_F_PROXY 0x8        /* the flow was redirected to the proxy */

/* Seconds an entry lives after its last packet. */
enum ct_lifetime {
	CT_LIFETIME_TCP_SYN = 60,       /* TCP before the handshake completed */
	CT_LIFETIME_TCP = 21600,        /* established TCP */
	CT_LIFETIME_TCP_CLOSING = 10,   /* FIN both ways, or RST */
	CT_LIFETIME_NON_TCP = 60,       /* UDP, ICMP, ... */
};

static __always_inline __u64 ct_lifetime_ns(__u8 protocol, __u16 flags)
{
	__u64 seconds;

	if (protocol != IPPROTO_TCP)
		seconds = CT_LIFETIME_NON_TCP;
	else if ((flags & (CT_F_TX_CLOSING | CT_F_RX_CLOSING)) == (CT_F_TX_CLOSING | CT_F_RX_CLOSING))
		seconds = CT_LIFETIME_TCP_CLOSING;
	else if (flags & CT_F_SEEN_NON_SYN)
		seconds = CT_LIFETIME_TCP;
	else
		seconds = CT_LIFETIME_TCP_SYN;
	return seconds * 1000000000ULL;
}

/* A SYN without ACK: the first packet of a TCP handshake. */
static __always_inline int is_bare_syn(__u8 tcp_flags)
{
	return (tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN;
}

/*
 * The flags after one more packet: a packet other than a bare SYN completes the handshake, FIN
 * closes the sender's half, RST closes both. from_opener: the packet travels in the direction
 * the flow was opened in.
 */
static __always_inline __u16 ct_next_flags(__u16 flags, __u8 tcp_flags, int from_opener)
{
	if (!is_bare_syn(tcp_flags))
		flags |= CT_F_SEEN_NON_SYN;
	if (tcp_flags & TCP_FLAG_RST)
		flags |= CT_F_TX_CLOSING | CT_F_RX_CLOSING;
	else if (tcp_flags & TCP_FLAG_FIN)
		flags |= from_opener ? CT_F_TX_CLOSING : CT_F_RX_CLOSING;
	return flags;
}

#endif
