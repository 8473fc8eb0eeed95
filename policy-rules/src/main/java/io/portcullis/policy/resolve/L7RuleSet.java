package io.portcullis.policy.resolve;

import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.GrpcRule;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.KafkaRule;
import io.portcullis.policy.model.PortRule;
import java.util.List;

/**
 * The L7 rules of one port rule that applies to a connection: a request passes a direction when
 * a rule of any of that direction's sets matches it.
 *
 * @param policy the policy the port rule belongs to
 * @param path   where the port rule was written, e.g. {@code ingress[0].toPorts[0]}
 */
public record L7RuleSet(String policy, String path, List<HttpRule> http, List<GrpcRule> grpc, List<KafkaRule> kafka,
                        List<FqdnSelector> dns) {
    public L7RuleSet {
        http = List.copyOf(http);
        grpc = List.copyOf(grpc);
        kafka = List.copyOf(kafka);
        dns = List.copyOf(dns);
    }

    /** A set without DNS rules. */
    public L7RuleSet(String policy, String path, List<HttpRule> http, List<GrpcRule> grpc, List<KafkaRule> kafka) {
        this(policy, path, http, grpc, kafka, List.of());
    }

    static L7RuleSet of(String policy, PortRule rule) {
        return new L7RuleSet(policy, rule.path(), rule.rules().http(), rule.rules().grpc(), rule.rules().kafka(),
                rule.rules().dns());
    }

    /** The rule of this set that allows looking up {@code name}, or null. */
    public FqdnSelector allowingLookup(String name) {
        for (FqdnSelector selector : dns) {
            if (selector.matches(name)) {
                return selector;
            }
        }
        return null;
    }

    /** One line per rule: {@code policy "p" ingress[0].toPorts[0].rules.http[1]: method=GET path=/x}. */
    public List<String> describeRules() {
        List<String> lines = new java.util.ArrayList<>();
        for (HttpRule rule : http) {
            lines.add("policy \"" + policy + "\" " + rule.path() + ": " + rule);
        }
        for (GrpcRule rule : grpc) {
            lines.add("policy \"" + policy + "\" " + rule.path() + ": grpc " + rule);
        }
        for (KafkaRule rule : kafka) {
            lines.add("policy \"" + policy + "\" " + rule.path() + ": kafka " + describe(rule));
        }
        for (FqdnSelector rule : dns) {
            lines.add("policy \"" + policy + "\" " + path + ".rules.dns: " + rule);
        }
        return lines;
    }

    private static String describe(KafkaRule rule) {
        StringBuilder out = new StringBuilder();
        if (rule.apiKeys().isEmpty()) {
            out.append("any API");
        } else {
            java.util.StringJoiner names = new java.util.StringJoiner(", ", "apiKeys=[", "]");
            for (int key : new java.util.TreeSet<>(rule.apiKeys())) {
                names.add(KafkaApiKeys.nameOf(key));
            }
            out.append(names);
        }
        if (rule.apiVersion() >= 0) {
            out.append(" apiVersion=").append(rule.apiVersion());
        }
        if (rule.clientId() != null) {
            out.append(" clientID=").append(rule.clientId());
        }
        if (rule.topic() != null) {
            out.append(" topic=").append(rule.topic());
        }
        return out.toString();
    }
}
