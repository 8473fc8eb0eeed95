package io.portcullis.policy.model;

import java.util.Objects;
import java.util.Set;

/**
 * One {@code rules.kafka} item. Fields written must all hold; {@code role} and {@code apiKey}
 * are exclusive ways of naming the allowed API keys.
 *
 * @param path       where it was written, e.g. {@code ingress[0].toPorts[0].rules.kafka[1]}
 * @param apiKeys    the allowed API keys; empty means any
 * @param apiVersion the allowed API version, or -1 for any
 * @param clientId   the exact client id required, or null for any
 * @param topic      the exact topic required, or null for any
 */
public record KafkaRule(String path, Set<Integer> apiKeys, int apiVersion, String clientId, String topic) {
    public KafkaRule {
        Objects.requireNonNull(path, "path");
        apiKeys = Set.copyOf(apiKeys);
    }

    /**
     * Whether a request with this API key, version and client may touch {@code requestTopic}
     * (null when the request names no topic). A request naming several topics passes only if
     * every topic is allowed by some rule: call this once per topic.
     */
    public boolean allows(int requestApiKey, int requestApiVersion, String requestClientId, String requestTopic) {
        return matchesHeader(requestApiKey, requestApiVersion, requestClientId)
                && (topic == null || topic.equals(requestTopic));
    }

    /** Whether the fields every request header carries (API key, version, client id) satisfy this rule. */
    public boolean matchesHeader(int requestApiKey, int requestApiVersion, String requestClientId) {
        return (apiKeys.isEmpty() || apiKeys.contains(requestApiKey))
                && (apiVersion < 0 || apiVersion == requestApiVersion)
                && (clientId == null || clientId.equals(requestClientId));
    }
}
