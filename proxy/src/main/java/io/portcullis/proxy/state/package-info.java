/**
 * The agent's state as the proxy holds it: each feed snapshot becomes one immutable
 * {@link io.portcullis.proxy.state.ProxyState} (compiled policy, ipcache, identities of the same
 * generation), swapped atomically in {@link io.portcullis.proxy.state.CurrentState}. While the
 * agent is away the last state stays in force; before the first one the proxy accepts nothing.
 */
package io.portcullis.proxy.state;
