/**
 * The policies as L3/L4 table entries for a kernel datapath: for every local identity, every peer
 * identity and both directions, the verdict (allow, deny, or L7 via the proxy) per protocol and
 * port span (for ICMP, per message type). {@link io.portcullis.policy.export.PolicyExport} produces entries that, read with
 * longest-match semantics (a port span beats "every port" of its protocol, which beats "every
 * protocol"), give exactly what {@link io.portcullis.policy.resolve.PolicyEvaluator} decides for
 * any port. Pure computation: no kernel, no BPF.
 */
package io.portcullis.policy.export;
