/**
 * Connections the kernel steered to the proxy ({@code datapath: bpf}): who opened them and where
 * they were going come from the pinned original-destination map, read by the proxy itself, so it
 * keeps resolving connections while the agent is away. A connection without an entry was not
 * steered and is refused (fail closed).
 */
package io.portcullis.proxy.transparent;
