/**
 * The agent's side of the proxy process: the {@link io.portcullis.agent.proxy.ProxyFeed} socket
 * that sends every proxy the agent's state as whole snapshots and receives their confirmations and
 * access-log records ({@link io.portcullis.agent.proxy.AccessLogStream}), and the
 * {@link io.portcullis.agent.proxy.ProxySupervisor} that adopts, starts, restarts and upgrades
 * the proxy. The agent never holds a client connection: it can stop, crash or be upgraded while
 * the proxy keeps enforcing the last snapshot it had.
 */
package io.portcullis.agent.proxy;
