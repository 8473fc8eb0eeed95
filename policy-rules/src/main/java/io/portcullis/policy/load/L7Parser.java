package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.GrpcRule;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.HeaderMatch;
import io.portcullis.policy.model.HeaderRequirement;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.KafkaRule;
import io.portcullis.policy.model.L7Rules;
import io.portcullis.policy.model.InvalidRegexException;
import io.portcullis.policy.model.WholeValueRegex;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A port rule's {@code rules}: HTTP (regexes compiled here, so a bad one is a load error), Kafka,
 * gRPC (a Portcullis extension) and DNS ({@code matchName}/{@code matchPattern}). One L7 protocol
 * per port rule, as in Cilium (gRPC being HTTP, it mixes with HTTP rules); the generic
 * {@code l7proto} is not supported.
 */
final class L7Parser {
    private static final Set<String> L7 = Set.of("http", "kafka", "grpc", "dns");
    private static final Set<String> L7_UNSUPPORTED = Set.of("l7proto", "l7");
    private static final Set<String> FQDN = Set.of("matchName", "matchPattern");
    private static final Set<String> HTTP = Set.of("method", "path", "host", "headers", "headerMatches");
    private static final Set<String> HEADER_MATCH = Set.of("name", "value", "mismatch");
    private static final Set<String> HEADER_MATCH_UNSUPPORTED = Set.of("secret");
    private static final Set<String> KAFKA = Set.of("role", "apiKey", "apiVersion", "clientID", "topic");
    private static final Set<String> GRPC = Set.of("service", "method");

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,255}");
    private static final Pattern GRPC_SERVICE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern GRPC_METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Findings findings;

    L7Parser(Findings findings) {
        this.findings = findings;
    }

    L7Rules rules(YamlNode node) {
        int before = findings.errorCount();
        YamlMap rules = node.asMap();
        findings.checkKeys(rules, L7, L7_UNSUPPORTED);
        List<HttpRule> http = findings.each(rules, "http", this::httpRule);
        List<KafkaRule> kafka = findings.each(rules, "kafka", this::kafkaRule);
        List<GrpcRule> grpc = findings.each(rules, "grpc", L7Parser::grpcRule);
        List<FqdnSelector> dns = findings.each(rules, "dns", L7Parser::fqdnSelector);
        if (!kafka.isEmpty() && (!http.isEmpty() || !grpc.isEmpty())) {
            findings.error(rules, "multiple L7 protocol rule types specified in single rule: kafka rules cannot be"
                    + " mixed with http or grpc rules on one port");
        }
        if (!dns.isEmpty() && (!http.isEmpty() || !grpc.isEmpty() || !kafka.isEmpty())) {
            findings.error(rules, "multiple L7 protocol rule types specified in single rule: dns rules cannot be"
                    + " mixed with http, grpc or kafka rules on one port");
        }
        findings.failIfMore(before);
        return new L7Rules(http, kafka, grpc, dns);
    }

    /** A {@code toFQDNs} or {@code rules.dns} item: {@code matchName} or {@code matchPattern}. */
    static FqdnSelector fqdnSelector(YamlNode node) {
        YamlMap selector = node.asMap().allowOnly(FQDN);
        if (selector.has("matchName") == selector.has("matchPattern")) {
            throw ConfigException.at(selector, "give matchName or matchPattern, one per item");
        }
        boolean named = selector.has("matchName");
        YamlNode value = selector.require(named ? "matchName" : "matchPattern");
        try {
            return named ? FqdnSelector.name(value.asString()) : FqdnSelector.pattern(value.asString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(value, e.getMessage());
        }
    }

    private HttpRule httpRule(YamlNode node) {
        int before = findings.errorCount();
        YamlMap rule = node.asMap();
        findings.checkKeys(rule, HTTP, Set.of());
        WholeValueRegex method = findings.attempt(() -> regex(rule, "method"));
        WholeValueRegex path = findings.attempt(() -> regex(rule, "path"));
        WholeValueRegex host = findings.attempt(() -> regex(rule, "host"));
        List<HeaderRequirement> headers = findings.each(rule, "headers", L7Parser::headerRequirement);
        List<HeaderMatch> headerMatches = findings.each(rule, "headerMatches", this::headerMatch);
        findings.failIfMore(before);
        return new HttpRule(Findings.displayPath(rule), method, path, host, headers, headerMatches);
    }

    private static WholeValueRegex regex(YamlMap rule, String key) {
        YamlNode node = rule.get(key).orElse(null);
        if (node == null) {
            return null;
        }
        try {
            return WholeValueRegex.compile(node.asString());
        } catch (InvalidRegexException e) {
            throw ConfigException.at(node, "invalid regular expression '" + node.asString() + "': " + e.getMessage());
        }
    }

    private static HeaderRequirement headerRequirement(YamlNode node) {
        String text = node.asString();
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim();
        if (name.isEmpty()) {
            throw ConfigException.at(node, "header '" + text + "' has no name; expected \"Name: value\" or \"Name\"");
        }
        return new HeaderRequirement(name, colon < 0 ? null : text.substring(colon + 1).trim());
    }

    private HeaderMatch headerMatch(YamlNode node) {
        YamlMap match = node.asMap();
        findings.checkKeys(match, HEADER_MATCH, HEADER_MATCH_UNSUPPORTED);
        if (match.keys().contains("secret")) {
            throw Findings.Collected.INSTANCE;
        }
        String name = match.require("name").asString();
        String value = match.string("value").orElse(null);
        HeaderAction.Kind mismatch = null;
        YamlNode mismatchNode = match.get("mismatch").orElse(null);
        if (mismatchNode != null) {
            try {
                mismatch = HeaderAction.Kind.valueOf(mismatchNode.asString());
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(mismatchNode, "unknown mismatch action '" + mismatchNode.asString()
                        + "'; expected one of LOG, ADD, DELETE, REPLACE");
            }
        }
        return new HeaderMatch(name, value, mismatch);
    }

    private KafkaRule kafkaRule(YamlNode node) {
        YamlMap rule = node.asMap().allowOnly(KAFKA);
        if (rule.has("role") && rule.has("apiKey")) {
            throw ConfigException.at(rule, "role and apiKey cannot both be set");
        }
        Set<Integer> apiKeys = Set.of();
        YamlNode role = rule.get("role").orElse(null);
        if (role != null) {
            String name = role.asString().toLowerCase(Locale.ROOT);
            if (name.equals("produce")) {
                apiKeys = KafkaApiKeys.PRODUCE_ROLE;
            } else if (name.equals("consume")) {
                apiKeys = KafkaApiKeys.CONSUME_ROLE;
            } else {
                throw ConfigException.at(role, "unknown role '" + role.asString() + "'; expected produce or consume");
            }
        }
        YamlNode apiKey = rule.get("apiKey").orElse(null);
        if (apiKey != null) {
            OptionalInt key = KafkaApiKeys.byName(apiKey.asString());
            if (key.isEmpty()) {
                throw ConfigException.at(apiKey, "unknown Kafka API key '" + apiKey.asString() + "'");
            }
            apiKeys = Set.of(key.getAsInt());
        }
        int apiVersion = rule.get("apiVersion").map(n -> n.asScalar().asInt(0, Short.MAX_VALUE)).orElse(-1);
        String clientId = rule.string("clientID").orElse(null);
        YamlNode topicNode = rule.get("topic").orElse(null);
        if (topicNode != null && !TOPIC.matcher(topicNode.asString()).matches()) {
            throw ConfigException.at(topicNode, "invalid topic '" + topicNode.asString()
                    + "': up to 255 of a-z, A-Z, 0-9, '.', '_', '-'");
        }
        return new KafkaRule(Findings.displayPath(rule), apiKeys, apiVersion, clientId,
                topicNode == null ? null : topicNode.asString());
    }

    private static GrpcRule grpcRule(YamlNode node) {
        YamlMap rule = node.asMap().allowOnly(GRPC);
        YamlNode service = rule.get("service").orElse(null);
        if (service != null && !GRPC_SERVICE.matcher(service.asString()).matches()) {
            throw ConfigException.at(service, "invalid service '" + service.asString()
                    + "'; expected a fully qualified name such as helloworld.Greeter");
        }
        YamlNode method = rule.get("method").orElse(null);
        if (method != null && !GRPC_METHOD.matcher(method.asString()).matches()) {
            throw ConfigException.at(method, "invalid method '" + method.asString()
                    + "'; expected a method name such as SayHello");
        }
        return new GrpcRule(Findings.displayPath(rule), service == null ? null : service.asString(),
                method == null ? null : method.asString());
    }
}
