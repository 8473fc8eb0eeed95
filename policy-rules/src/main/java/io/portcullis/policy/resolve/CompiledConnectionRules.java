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
    /** What egress denies, when the connection is judged at L7: its L7 refusal, or its audited L4 denial. */
    private final Decision egressRefusal;
    private final Decision ingressRefusal;
    /** Allow decisions by (egress rule + 1, ingress rule + 1); -1 means that side has no L7. */
    private final Decision[] allowDecisions;
    private final KafkaRules egressKafka;
    private final KafkaRules ingressKafka;
    private final Decision[] kafkaAllowDecisions;
    /**
     * This connection's rules under endpoint or node audit switches, by (egress, ingress) switch;
     * made on first use, as most connections never see one.
     */
    private CompiledConnectionRules[] audited;

    CompiledConnectionRules(DirectionResult egress, DirectionResult ingress) {
        this.egress = egress;
        this.ingress = ingress;
        this.l4 = combine(egress, ingress);
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

    @Override
    public Decision l4Audit() {
        return l4Decision != null && l4Decision.audit().audited() ? l4Decision : null;
    }

    @Override
    public CompiledConnectionRules withAudit(Audit egressSwitch, Audit ingressSwitch) {
        DirectionResult e = egress.audited(egressSwitch);
        DirectionResult i = ingress.audited(ingressSwitch);
        if (e == egress && i == ingress) {
            return this;
        }
        // Racy but safe, as allowDecision(): at worst two threads build equal rules (final fields).
        CompiledConnectionRules[] variants = audited;
        if (variants == null) {
            variants = new CompiledConnectionRules[Audit.values().length * Audit.values().length];
            audited = variants;
        }
        int slot = egressSwitch.ordinal() * Audit.values().length + ingressSwitch.ordinal();
        CompiledConnectionRules rules = variants[slot];
        if (rules == null) {
            rules = new CompiledConnectionRules(e, i);
            variants[slot] = rules;
        }
        return rules;
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
        int e = egress.outcome() == DirectionResult.Outcome.L7 ? firstMatch(egressRules, request) : -1;
        int i = ingress.outcome() == DirectionResult.Outcome.L7 ? firstMatch(ingressRules, request) : -1;
        Decision refused = refusal(egress, e, egressRefusal, ingress, i, ingressRefusal);
        if (refused != null) {
            return refused;
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
        int e = egress.outcome() == DirectionResult.Outcome.L7 ? egressKafka.match(request) : -1;
        int i = ingress.outcome() == DirectionResult.Outcome.L7 ? ingressKafka.match(request) : -1;
        Decision refused = refusal(egress, e, kafkaDenial(egress, egressKafka, e, request, egressRefusal),
                ingress, i, kafkaDenial(ingress, ingressKafka, i, request, ingressRefusal));
        if (refused != null) {
            return refused;
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

    /**
     * The denial of a request judged at L7, or null when it passes: an enforced refusal of either
     * direction first, else an audited one (the request goes upstream, reported as audit).
     *
     * @param e the index of egress's matching rule, negative when none matched
     * @param egressDenial what egress denies, when it does (null when not judging at L7 or matched)
     */
    private static Decision refusal(DirectionResult egress, int e, Decision egressDenial, DirectionResult ingress,
                                    int i, Decision ingressDenial) {
        Decision egressRefused = refused(egress, e, egressDenial);
        Decision ingressRefused = refused(ingress, i, ingressDenial);
        if (egressRefused != null && !egressRefused.audit().audited()) {
            return egressRefused;
        }
        if (ingressRefused != null && !ingressRefused.audit().audited()) {
            return ingressRefused;
        }
        return egressRefused != null ? egressRefused : ingressRefused;
    }

    /** What {@code side} denies of this request: its L7 refusal, its audited L4 denial, or null. */
    private static Decision refused(DirectionResult side, int match, Decision denial) {
        if (side.outcome() == DirectionResult.Outcome.L7) {
            return match < 0 ? denial : null;
        }
        return side.verdict() == L4Verdict.DENIED ? denial : null;
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

    /** What {@code side} denies of a Kafka request: its refusal when its rules judge it and none matched. */
    private Decision kafkaDenial(DirectionResult side, KafkaRules rules, int match, KafkaRequestView request,
                                 Decision l4Refusal) {
        if (side.outcome() != DirectionResult.Outcome.L7) {
            return l4Refusal;
        }
        return match < 0 ? kafkaRefusal(side, rules, match, request) : null;
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
        return Decision.denial(side, reason);
    }

    private static String ruleName(String[] policies, HttpRequestMatcher[] rules, int index) {
        return new MatchedRule(policies[index], rules[index].path()).toString();
    }

    /** An enforced denial of either direction denies; an audited one lets the connection through. */
    private static L4Verdict combine(DirectionResult egress, DirectionResult ingress) {
        if (egress.enforcesDenial() || ingress.enforcesDenial()) {
            return L4Verdict.DENIED;
        }
        return egress.verdict() == L4Verdict.L7 || ingress.verdict() == L4Verdict.L7 ? L4Verdict.L7
                : L4Verdict.ALLOWED;
    }

    private static Decision l4Decision(DirectionResult egress, DirectionResult ingress, L4Verdict l4) {
        if (l4 == L4Verdict.DENIED) {
            DirectionResult refusing = egress.enforcesDenial() ? egress : ingress;
            return Decision.denial(refusing, refusing.reason());
        }
        DirectionResult audited = egress.verdict() == L4Verdict.DENIED ? egress
                : ingress.verdict() == L4Verdict.DENIED ? ingress : null;
        if (audited != null) {
            return Decision.denial(audited, audited.reason());
        }
        DirectionResult deciding = egress.outcome() == DirectionResult.Outcome.ALLOWED
                || ingress.outcome() != DirectionResult.Outcome.ALLOWED ? egress : ingress;
        return new Decision(true, deciding.policy(), deciding.direction(),
                egress.reason() + "; " + ingress.reason(), List.of());
    }

    /** What {@code side} denies of every request it does not allow, or null when it denies none. */
    private static Decision refusal(DirectionResult side) {
        if (side.outcome() == DirectionResult.Outcome.L7) {
            return Decision.denial(side, "no L7 rule of " + DirectionVerdicts.describe(side.l7())
                    + " matches the request");
        }
        return side.verdict() == L4Verdict.DENIED ? Decision.denial(side, side.reason()) : null;
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
