/**
 * Endpoints the agent plumbs itself, as a CNI plugin would: a network namespace, a veth pair into
 * the host, an address from the configured pool and a cgroup v2 directory per workload. State
 * lives in one JSON file per endpoint under the agent's state directory, so a restarted agent
 * re-adopts them without touching running workloads. The pool prefix is blackholed on the host:
 * an invented address never leaves the machine. An endpoint's options ({@code endpoint config}:
 * audit mode) are part of its record and read strictly by
 * {@link io.portcullis.agent.endpoint.EndpointOptions}.
 */
package io.portcullis.agent.endpoint;
