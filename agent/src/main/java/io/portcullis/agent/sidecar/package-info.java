/**
 * The L3/L4 sidecar the agent runs next to the proxy: bpf_lxc on every endpoint's host veth
 * ({@link io.portcullis.agent.sidecar.LxcDatapath}), the XDP CIDR prefilter on the uplink with
 * its persisted block list ({@link io.portcullis.agent.sidecar.UplinkPrefilter}), services in the
 * kernel's load balancer ({@link io.portcullis.agent.sidecar.ServiceDatapath}: config services,
 * API services persisted in the state directory, backends filtered to live endpoints), and
 * readable dumps of the pinned maps for the API ({@link io.portcullis.agent.sidecar.DatapathMaps}).
 *
 * <p>Contract: components converge on the whole view they are given (attach what is missing,
 * detach what went away, replace in place after a restart); closing one leaves programs attached
 * and maps pinned, so enforcement (and load balancing) continues while the agent is away. The
 * uplink they attached to is recorded in the state directory ({@link
 * io.portcullis.agent.sidecar.UplinkRecord}), so that programs on a device the config no longer
 * names are detached at the next start. A service change reaches the kernel before it is saved.
 * The ipcache and policy maps are read here, never written.
 */
package io.portcullis.agent.sidecar;
