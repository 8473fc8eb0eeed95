/**
 * The seam between the agent and the kernel datapath: components that receive the agent's whole
 * state ({@link io.portcullis.agent.datapath.NodeView}) after every change and reconcile pinned
 * BPF programs and maps to it. {@code datapath: none} has no components; {@code datapath: bpf}
 * has {@link io.portcullis.agent.datapath.SteeringComponent} (and the sidecar's TC, XDP and
 * load-balancer components).
 */
package io.portcullis.agent.datapath;
