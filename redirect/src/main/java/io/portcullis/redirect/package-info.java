/**
 * Socket-level steering and service translation: the connect4/6, sendmsg4, recvmsg4/6,
 * getpeername4/6, sock_ops and sk_msg programs ({@code bpf_sock}, {@code bpf_sockops},
 * {@code bpf_redir}), the maps they decide by, and the lookups the proxy needs for the connections
 * they steer.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link io.portcullis.redirect.SocketSteering#install} loads the programs, re-adopts the
 *       maps pinned under the pin root and attaches: connect4/6 (service translation, policy,
 *       steering), sendmsg4 and recvmsg4/6 (services over unconnected UDP sockets) and
 *       getpeername4/6 (showing the address connect() asked for) on the cgroup v2 root, so the
 *       node's own processes reach services too (only sockets of endpoint cgroups are judged by
 *       policy and steered: the agent and its proxy never are); sock_ops on the root as well (so
 *       the proxy's sockets can be paired), sk_msg on the sockhash. A program attached by an
 *       earlier agent is replaced attach-first, so no connect ever runs without steering.</li>
 *   <li>{@link io.portcullis.redirect.SocketSteering#reconcile} writes the policy, ipcache and
 *       endpoint maps as a diff: new and changed entries first (each update is atomic), stale
 *       ones last, so no entry is ever missing in between.</li>
 *   <li>{@link io.portcullis.redirect.OriginalDestinations} is the proxy's read of where each
 *       steered connection was going and who opened it.</li>
 *   <li>{@link io.portcullis.redirect.SocketSteering#close} leaves everything attached and
 *       pinned: while the agent is away, L7 connections go to a proxy port nobody listens on and
 *       are still steered to the proxy, which runs apart and keeps judging with the policy it last
 *       had (and when no proxy listens, they are refused: fail closed); L3/L4 decisions stay in
 *       force.
 *       {@link io.portcullis.redirect.Uninstaller} removes it all.</li>
 * </ul>
 */
package io.portcullis.redirect;
