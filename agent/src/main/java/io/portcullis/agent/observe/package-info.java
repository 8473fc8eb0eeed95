/**
 * Flows, as Hubble shows them: the proxy's L7 decisions (access-log records) and the kernel's
 * L3/L4 drops and new-flow verdicts (bpf_lxc's ring buffer), as JSON records of one shape, merged
 * into one stream with a bounded history ({@link io.portcullis.agent.observe.FlowHistory}), and
 * the filters {@code portcullis observe} and {@code /v1/observe} apply to it
 * ({@link io.portcullis.agent.observe.FlowFilter}). Nothing here slows traffic: a reader that falls
 * behind loses records and is told how many.
 */
package io.portcullis.agent.observe;
