/**
 * The policy model: CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy as immutable values,
 * validated and with every regex compiled at load time. Each rule remembers the path it was
 * written at ({@code ingress[0].toPorts[0].rules.http[1]}) so decisions and explanations can
 * name it. The matching primitives (selectors on source-qualified label keys, CIDRs, entities,
 * ports with ICMP types and named ports, services, HTTP, gRPC and Kafka rules) live here, as do
 * the protocol and header-action vocabulary; combining them into verdicts is
 * {@code io.portcullis.policy.resolve}'s job, and nothing here depends on it. Selectors are stored
 * as Cilium scopes them: a namespaced policy's selectors already carry its namespace. A policy
 * annotated {@code portcullis.io/audit: "true"} is marked for audit mode; what that means is
 * resolution's.
 */
package io.portcullis.policy.model;
