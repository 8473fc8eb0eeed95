/**
 * The node agent: it owns identities, the ipcache and the compiled policy, keeps them current as
 * the policy directory changes, writes them into the kernel datapath and sends them to the proxy
 * process ({@link io.portcullis.agent.proxy}). Policy and ipcache are swapped together as one
 * immutable {@code PolicyState}, so a request is always judged by one consistent revision; a
 * policy file that fails to load never weakens what is in force. The node's and the endpoints'
 * audit modes travel in the same state, to the kernel (ipcache flags) and the proxy (the feed).
 * The agent holds no client connection: stopping it (on SIGTERM) leaves the proxy enforcing the
 * last state it was sent.
 */
package io.portcullis.agent;
