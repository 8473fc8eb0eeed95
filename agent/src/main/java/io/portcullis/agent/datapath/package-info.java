/**
 * The seam between the agent and the kernel datapath: components that receive the agent's whole
 * state ({@link io.portcullis.agent.datapath.NodeView}) after every change and reconcile pinned
 * BPF programs and maps to it. {@code datapath: none} has no components; {@code datapath: bpf}
 * has {@link io.portcullis.agent.datapath.SteeringComponent}, which is also a
 * {@link io.portcullis.agent.datapath.TransparentProxy}: the agent gives it a proxy listener whose
 * connections are resolved from the kernel's original-destination map.
 */
package io.portcullis.agent.datapath;
