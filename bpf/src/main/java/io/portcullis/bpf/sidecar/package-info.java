/**
 * The building blocks of the L3/L4 sidecar that the agent drives: bpf_lxc on endpoint veths
 * ({@link io.portcullis.bpf.sidecar.LxcPrograms}), the XDP CIDR prefilter on the uplink
 * ({@link io.portcullis.bpf.sidecar.Prefilter}) and the conntrack sweep
 * ({@link io.portcullis.bpf.sidecar.CtGc}).
 *
 * <p>Contract: every operation is idempotent against what is pinned and attached, so a restarted
 * agent converges by doing the same calls again; attaching replaces the previous program in place
 * (no moment without a filter), and nothing here writes the ipcache or policy maps — their
 * reconciliation from the agent's state is another component's job.
 */
package io.portcullis.bpf.sidecar;
