package io.portcullis.policy.resolve;

import io.portcullis.policy.kafka.KafkaRequestView;
import io.portcullis.policy.model.KafkaRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Kafka rules of one direction, flattened in policy order, and Cilium's matching: a rule
 * without a {@code topic} allows any request its header fields match; otherwise each topic the
 * request names must be some header-matching rule's {@code topic}, and a request naming no topic
 * passes with any header-matching rule. Topics are read only when no topic-free rule decided and
 * a topic rule matches the header, so most requests are judged on their header alone.
 */
final class KafkaRules {
    /** No rule matches the header, or (with topics) no rule has it all. */
    static final int NO_MATCH = -1;
    /** Topic rules match the header but the request's topics cannot be listed. */
    static final int TOPICS_UNKNOWN = -2;
    /** Some topic of the request is named by no header-matching rule. */
    static final int TOPIC_REFUSED = -3;

    private final KafkaRule[] rules;
    private final String[] policies;
    private final boolean namesTopics;

    private KafkaRules(KafkaRule[] rules, String[] policies) {
        this.rules = rules;
        this.policies = policies;
        boolean topics = false;
        for (KafkaRule rule : rules) {
            topics |= rule.topic() != null;
        }
        this.namesTopics = topics;
    }

    static KafkaRules of(DirectionResult side) {
        List<KafkaRule> rules = new ArrayList<>();
        List<String> policies = new ArrayList<>();
        if (side.outcome() == DirectionResult.Outcome.L7) {
            for (L7RuleSet set : side.l7()) {
                for (KafkaRule rule : set.kafka()) {
                    rules.add(rule);
                    policies.add(set.policy());
                }
            }
        }
        return new KafkaRules(rules.toArray(new KafkaRule[0]), policies.toArray(new String[0]));
    }

    int size() {
        return rules.length;
    }

    boolean namesTopics() {
        return namesTopics;
    }

    String policy(int index) {
        return policies[index];
    }

    String rule(int index) {
        return matched(index).toString();
    }

    MatchedRule matched(int index) {
        return new MatchedRule(policies[index], rules[index].path());
    }

    /** The index of the deciding rule, or one of the negative outcomes. */
    int match(KafkaRequestView request) {
        int apiKey = request.apiKey();
        int apiVersion = request.apiVersion();
        String clientId = request.clientId();
        int firstTopicRule = -1;
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matchesHeader(apiKey, apiVersion, clientId)) {
                if (rules[i].topic() == null) {
                    return i;
                }
                if (firstTopicRule < 0) {
                    firstTopicRule = i;
                }
            }
        }
        if (firstTopicRule < 0) {
            return NO_MATCH;
        }
        Set<String> topics = request.topics();
        if (topics == null) {
            return TOPICS_UNKNOWN;
        }
        for (String topic : topics) {
            if (topicRule(topic, firstTopicRule, apiKey, apiVersion, clientId) < 0) {
                return TOPIC_REFUSED;
            }
        }
        // Every topic has a rule (or there is none): credit the first rule that names one of them.
        return topics.isEmpty() ? firstTopicRule
                : topicRule(topics.iterator().next(), firstTopicRule, apiKey, apiVersion, clientId);
    }

    /** For the deny reason: the first topic of {@code request} no header-matching rule names. */
    String refusedTopic(KafkaRequestView request) {
        for (String topic : request.topics()) {
            if (topicRule(topic, 0, request.apiKey(), request.apiVersion(), request.clientId()) < 0) {
                return topic;
            }
        }
        return null;
    }

    private int topicRule(String topic, int from, int apiKey, int apiVersion, String clientId) {
        for (int i = from; i < rules.length; i++) {
            if (topic.equals(rules[i].topic()) && rules[i].matchesHeader(apiKey, apiVersion, clientId)) {
                return i;
            }
        }
        return -1;
    }
}
