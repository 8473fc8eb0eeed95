/**
 * The agent's DNS proxy and what it learns. Queries of endpoints under DNS rules
 * ({@code toPorts[].rules.dns}) are steered here by the kernel (connect4, sendmsg4) over UDP and
 * TCP; each is judged against those rules (a denied name is answered {@code REFUSED}), forwarded to
 * the resolver the client asked for, and its answer is learned before it is released: the A
 * records (through CNAME chains) of names a {@code toFQDNs} selector matches become CIDR
 * identities labelled with those selectors, and the ipcache and policy maps hold them before the
 * client sees the answer, so its first connect to the answer is allowed. Learned addresses expire
 * with their TTL (never sooner than the minimum TTL) plus a grace period, are capped per name and
 * in all, and survive an agent restart in the state directory.
 */
package io.portcullis.agent.dns;
