package io.portcullis.policy.resolve;

import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.kafka.KafkaRequestView;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.HttpRequestMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one (source, destination, port, protocol): the source's egress and the
 * destination's ingress, both enforced in one pass. Every decision that does not depend on the
 * request's headers is built once (lazily for allow pairs) and reused, so judging a request
 * compiles nothing and allocates nothing beyond what header actions need.
 */
public final class CompiledConnectionRules implements ConnectionRules {
    private final DirectionResult egress;
    private final DirectionResult ingress;
    private final L4Verdict l4;
    /** Decision for every request when the connection is not judged at L7; null when it is. */
    private final Decision l4Decision;
    private final HttpRequestMatcher[] egressRules;
    private final String[] egressPolicies;
    private final HttpRequestMatcher[] ingressRules;
    private final String[] ingressPolicies;
    private final Decision egressRefusal;
    private final Decision ingressRefusal;
    /** Allow decisions by (egress rule + 1, ingress rule + 1); -1 means that side has no L7. */
    private final Decision[] allowDecisions;
    private final KafkaRules egressKafka;
    private final KafkaRules ingressKafka;
    private final Decision[] kafkaAllowDecisions;

    CompiledConnectionRules(DirectionResult egress, DirectionResult ingress) {
        this.egress = egress;
        this.ingress = ingress;
        this.l4 = combine(egress.verdict(), ingress.verdict());
        this.l4Decision = l4 == L4Verdict.L7 ? null : l4Decision(egress, ingress, l4);
        List<HttpRequestMatcher> rules = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        flatten(egress, rules, policies);
        this.egressRules = rules.toArray(new HttpRequestMatcher[0]);
        this.egressPolicies = policies.toArray(new String[0]);
        rules.clear();
        policies.clear();
        flatten(ingress, rules, policies);
        this.ingressRules = rules.toArray(new HttpRequestMatcher[0]);
        this.ingressPolicies = policies.toArray(new String[0]);
        this.egressRefusal = refusal(egress);
        this.ingressRefusal = refusal(ingress);
        this.allowDecisions = new Decision[(egressRules.length + 1) * (ingressRules.length + 1)];
        this.egressKafka = KafkaRules.of(egress);
        this.ingressKafka = KafkaRules.of(ingress);
        this.kafkaAllowDecisions = new Decision[(egressKafka.size() + 1) * (ingressKafka.size() + 1)];
    }

    @Override
    public L4Verdict l4() {
        return l4;
    }

    public DirectionResult egress() {
        return egress;
    }

    public DirectionResult ingress() {
        return ingress;
    }

    @Override
    public List<L7RuleSet> l7RuleSets(Direction direction) {
        DirectionResult side = direction == Direction.EGRESS ? egress : ingress;
        return side.outcome() == DirectionResult.Outcome.L7 ? side.l7() : List.of();
    }

    @Override
    public Decision decideHttp(HttpRequestView request) {
        if (l4Decision != null) {
            return l4Decision;
        }
        int e = -1;
        if (egress.outcome() == DirectionResult.Outcome.L7) {
            e = firstMatch(egressRules, request);
            if (e < 0) {
                return egressRefusal;
            }
        }
        int i = -1;
        if (ingress.outcome() == DirectionResult.Outcome.L7) {
            i = firstMatch(ingressRules, request);
            if (i < 0) {
                return ingressRefusal;
            }
        }
        Decision allowed = allowDecision(e, i);
        boolean egressActions = e >= 0 && egressRules[e].hasMismatchActions();
        boolean ingressActions = i >= 0 && ingressRules[i].hasMismatchActions();
        if (!egressActions && !ingressActions) {
            return allowed;
        }
        List<HeaderAction> actions = new ArrayList<>(2);
        if (egressActions) {
            egressRules[e].collectHeaderActions(request, actions);
        }
        if (ingressActions) {
            ingressRules[i].collectHeaderActions(request, actions);
        }
        return actions.isEmpty() ? allowed
                : new Decision(true, allowed.policy(), allowed.observationPoint(), allowed.reason(), actions);
    }

    @Override
    public Decision decideKafka(KafkaRequestView request) {
        if (l4Decision != null) {
            return l4Decision;
        }
        int e = -1;
        if (egress.outcome() == DirectionResult.Outcome.L7) {
            e = egressKafka.match(request);
            if (e < 0) {
                return kafkaRefusal(egress, egressKafka, e, request);
            }
        }
        int i = -1;
        if (ingress.outcome() == DirectionResult.Outcome.L7) {
            i = ingressKafka.match(request);
            if (i < 0) {
                return kafkaRefusal(ingress, ingressKafka, i, request);
            }
        }
        int slot = (e + 1) * (ingressKafka.size() + 1) + (i + 1);
        Decision decision = kafkaAllowDecisions[slot];
        if (decision == null) {
            // Racy but safe, as allowDecision().
            decision = kafkaAllowDecision(e, i);
            kafkaAllowDecisions[slot] = decision;
        }
        return decision;
    }

    @Override
    public boolean kafkaPort() {
        return l4 == L4Verdict.L7 && (egress.outcome() != DirectionResult.Outcome.L7 || egressKafka.size() > 0)
                && (ingress.outcome() != DirectionResult.Outcome.L7 || ingressKafka.size() > 0);
    }

    @Override
    public boolean httpPort() {
        return l4 == L4Verdict.L7 && (egress.outcome() != DirectionResult.Outcome.L7 || egressRules.length > 0)
                && (ingress.outcome() != DirectionResult.Outcome.L7 || ingressRules.length > 0);
    }

    @Override
    public boolean kafkaTopicRules() {
        return egressKafka.namesTopics() || ingressKafka.namesTopics();
    }

    /** The rule of {@code direction} that {@code request} matches first; null when none does or
     * the direction has no L7 rules for this connection. */
    public MatchedRule matchingHttpRule(Direction direction, HttpRequestView request) {
        boolean isEgress = direction == Direction.EGRESS;
        DirectionResult side = isEgress ? egress : ingress;
        if (side.outcome() != DirectionResult.Outcome.L7) {
            return null;
        }
        HttpRequestMatcher[] rules = isEgress ? egressRules : ingressRules;
        int index = firstMatch(rules, request);
        return index < 0 ? null : new MatchedRule((isEgress ? egressPolicies : ingressPolicies)[index],
                rules[index].path());
    }

    /** The Kafka rule of {@code direction} that allows {@code request}; null when none does or the
     * direction has no L7 rules for this connection. */
    public MatchedRule matchingKafkaRule(Direction direction, KafkaRequestView request) {
        boolean isEgress = direction == Direction.EGRESS;
        if ((isEgress ? egress : ingress).outcome() != DirectionResult.Outcome.L7) {
            return null;
        }
        KafkaRules rules = isEgress ? egressKafka : ingressKafka;
        int index = rules.match(request);
        return index < 0 ? null : rules.matched(index);
    }

    /** The decision for the connection as a whole when it is not judged at L7; null when it is. */
    public Decision connectionDecision() {
        return l4Decision;
    }

    private static int firstMatch(HttpRequestMatcher[] rules, HttpRequestView request) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(request)) {
                return i;
            }
        }
        return -1;
    }

    /** Racy but safe: decisions are immutable, and two threads at worst build equal ones. */
    private Decision allowDecision(int e, int i) {
        int slot = (e + 1) * (ingressRules.length + 1) + (i + 1);
        Decision decision = allowDecisions[slot];
        if (decision == null) {
            decision = buildAllowDecision(e, i);
            allowDecisions[slot] = decision;
        }
        return decision;
    }

    private Decision buildAllowDecision(int e, int i) {
        if (e >= 0) {
            String reason = "allowed by " + ruleName(egressPolicies, egressRules, e)
                    + (i >= 0 ? " and " + ruleName(ingressPolicies, ingressRules, i) : "");
            return new Decision(true, egressPolicies[e], Direction.EGRESS, reason, List.of());
        }
        return new Decision(true, ingressPolicies[i], Direction.INGRESS,
                "allowed by " + ruleName(ingressPolicies, ingressRules, i), List.of());
    }

    private Decision kafkaAllowDecision(int e, int i) {
        if (e >= 0) {
            String reason = "allowed by " + egressKafka.rule(e) + (i >= 0 ? " and " + ingressKafka.rule(i) : "");
            return new Decision(true, egressKafka.policy(e), Direction.EGRESS, reason, List.of());
        }
        return new Decision(true, ingressKafka.policy(i), Direction.INGRESS, "allowed by " + ingressKafka.rule(i),
                List.of());
    }

    private Decision kafkaRefusal(DirectionResult side, KafkaRules rules, int outcome, KafkaRequestView request) {
        String sets = DirectionVerdicts.describe(side.l7());
        String reason;
        if (outcome == KafkaRules.TOPICS_UNKNOWN) {
            reason = "the request's topics cannot be listed (all topics, topic IDs or an API whose topics are not "
                    + "read) and every matching Kafka rule of " + sets + " names a topic";
        } else if (outcome == KafkaRules.TOPIC_REFUSED) {
            reason = "no Kafka rule of " + sets + " allows topic \"" + rules.refusedTopic(request) + "\"";
        } else {
            reason = "no Kafka rule of " + sets + " matches the request";
        }
        return new Decision(false, side.policy(), side.direction(), reason, List.of());
    }

    private static String ruleName(String[] policies, HttpRequestMatcher[] rules, int index) {
        return new MatchedRule(policies[index], rules[index].path()).toString();
    }

    private static L4Verdict combine(L4Verdict a, L4Verdict b) {
        if (a == L4Verdict.DENIED || b == L4Verdict.DENIED) {
            return L4Verdict.DENIED;
        }
        return a == L4Verdict.L7 || b == L4Verdict.L7 ? L4Verdict.L7 : L4Verdict.ALLOWED;
    }

    private static Decision l4Decision(DirectionResult egress, DirectionResult ingress, L4Verdict l4) {
        if (l4 == L4Verdict.DENIED) {
            DirectionResult refusing = egress.verdict() == L4Verdict.DENIED ? egress : ingress;
            return new Decision(false, refusing.policy(), refusing.direction(), refusing.reason(), List.of());
        }
        DirectionResult deciding = egress.outcome() == DirectionResult.Outcome.ALLOWED
                || ingress.outcome() != DirectionResult.Outcome.ALLOWED ? egress : ingress;
        return new Decision(true, deciding.policy(), deciding.direction(),
                egress.reason() + "; " + ingress.reason(), List.of());
    }

    private static Decision refusal(DirectionResult side) {
        if (side.outcome() != DirectionResult.Outcome.L7) {
            return null;
        }
        return new Decision(false, side.policy(), side.direction(), "no L7 rule of "
                + DirectionVerdicts.describe(side.l7()) + " matches the request", List.of());
    }

    private static void flatten(DirectionResult side, List<HttpRequestMatcher> rules, List<String> policies) {
        if (side.outcome() != DirectionResult.Outcome.L7) {
            return;
        }
        for (L7RuleSet set : side.l7()) {
            for (HttpRequestMatcher rule : set.http()) {
                rules.add(rule);
                policies.add(set.policy());
            }
            for (HttpRequestMatcher rule : set.grpc()) {
                rules.add(rule);
                policies.add(set.policy());
            }
        }
    }
}
