/**
 * The policy model: CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy as immutable values,
 * validated and with every regex compiled at load time. Each rule remembers the path it was
 * written at ({@code ingress[0].toPorts[0].rules.http[1]}) so decisions and explanations can
 * name it. The matching primitives (selectors, CIDRs, entities, ports, HTTP, gRPC and Kafka
 * rules) live here; combining them into verdicts is {@code io.portcullis.policy.resolve}'s job.
 */
package io.portcullis.policy.model;
