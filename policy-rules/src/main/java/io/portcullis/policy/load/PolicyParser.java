package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlList;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlScalar;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.CidrRule;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.GrpcRule;
import io.portcullis.policy.model.HeaderMatch;
import io.portcullis.policy.model.HeaderRequirement;
import io.portcullis.policy.model.HttpRule;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.KafkaRule;
import io.portcullis.policy.model.L7Rules;
import io.portcullis.policy.model.LabelRequirement;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicyKind;
import io.portcullis.policy.model.PolicySpec;
import io.portcullis.policy.model.PortRange;
import io.portcullis.policy.model.PortRule;
import io.portcullis.policy.model.WholeValueRegex;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.HeaderAction;
import io.portcullis.policy.resolve.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one YAML document into a {@link Policy}, collecting every error it can find instead of
 * stopping at the first: each field is parsed on its own, and a broken field only discards the
 * document, not the rest of the checking. One parser per file; not thread-safe.
 */
final class PolicyParser {
    static final String API_VERSION = "cilium.io/v2";

    private static final Set<String> ROOT = Set.of("apiVersion", "kind", "metadata", "spec", "specs");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");
    private static final Set<String> SPEC = Set.of("endpointSelector", "ingress", "egress", "ingressDeny",
            "egressDeny", "description", "labels");
    private static final Set<String> SPEC_UNSUPPORTED = Set.of("nodeSelector", "enableDefaultDeny");
    private static final Set<String> INGRESS = Set.of("fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities",
            "toPorts");
    private static final Set<String> INGRESS_UNSUPPORTED = Set.of("fromRequires", "fromGroups", "fromNodes",
            "icmps", "authentication");
    private static final Set<String> EGRESS = Set.of("toEndpoints", "toCIDR", "toCIDRSet", "toEntities", "toPorts");
    private static final Set<String> EGRESS_UNSUPPORTED = Set.of("toRequires", "toServices", "toFQDNs", "toGroups",
            "toNodes", "icmps", "authentication");
    private static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION = Set.of("key", "operator", "values");
    private static final Set<String> CIDR_SET = Set.of("cidr", "except");
    private static final Set<String> CIDR_SET_UNSUPPORTED = Set.of("cidrGroupRef", "cidrGroupSelector");
    private static final Set<String> PORT_RULE = Set.of("ports", "rules");
    private static final Set<String> PORT_RULE_UNSUPPORTED = Set.of("listener", "originatingTLS",
            "terminatingTLS", "serverNames");
    private static final Set<String> PORT = Set.of("port", "endPort", "protocol");
    private static final Set<String> L7 = Set.of("http", "kafka", "grpc");
    private static final Set<String> L7_UNSUPPORTED = Set.of("dns", "l7proto", "l7");
    private static final Set<String> HTTP = Set.of("method", "path", "host", "headers", "headerMatches");
    private static final Set<String> HEADER_MATCH = Set.of("name", "value", "mismatch");
    private static final Set<String> HEADER_MATCH_UNSUPPORTED = Set.of("secret");
    private static final Set<String> KAFKA = Set.of("role", "apiKey", "apiVersion", "clientID", "topic");
    private static final Set<String> GRPC = Set.of("service", "method");
    private static final Set<String> RULE_LABEL = Set.of("key", "value", "source");

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,255}");
    private static final Pattern GRPC_SERVICE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern GRPC_METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<ConfigException> errors = new ArrayList<>();

    List<ConfigException> errors() {
        return errors;
    }

    /** The policy of {@code document}, or null when it has errors (then recorded in {@link #errors}). */
    Policy parse(YamlNode document) {
        int before = errors.size();
        YamlMap root = attempt(document::asMap);
        if (root == null) {
            return null;
        }
        checkKeys(root, ROOT, Set.of());
        attempt(() -> checkApiVersion(root.require("apiVersion")));
        PolicyKind kind = attempt(() -> kind(root.require("kind")));
        YamlMap metadata = attempt(() -> root.require("metadata").asMap());
        YamlScalar name = metadata == null ? null : attempt(() -> metadataName(metadata));
        String namespace = metadata == null ? null : attempt(() -> metadata.string("namespace").orElse(null));
        List<PolicySpec> specs = new ArrayList<>();
        if (!root.has("spec") && !root.has("specs")) {
            errors.add(new ConfigException(root.location(), "spec", "is required (or specs)"));
        }
        root.get("spec").ifPresent(spec -> addIfParsed(specs, attempt(() -> spec(spec))));
        specs.addAll(each(root, "specs", this::spec));
        if (errors.size() > before) {
            return null;
        }
        return new Policy(name.text(), kind, namespace, name.location(), specs);
    }

    private YamlScalar metadataName(YamlMap metadata) {
        checkKeys(metadata, METADATA, Set.of());
        YamlScalar name = metadata.require("name").asScalar();
        if (name.text().isBlank()) {
            throw ConfigException.at(name, "must not be empty");
        }
        return name;
    }

    private static Void checkApiVersion(YamlNode node) {
        if (!API_VERSION.equals(node.asString())) {
            throw ConfigException.at(node, "unsupported apiVersion '" + node.asString() + "'; expected " + API_VERSION);
        }
        return null;
    }

    private static PolicyKind kind(YamlNode node) {
        for (PolicyKind kind : PolicyKind.values()) {
            if (kind.wire().equals(node.asString())) {
                return kind;
            }
        }
        throw ConfigException.at(node, "unsupported kind '" + node.asString()
                + "'; expected CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy");
    }

    private PolicySpec spec(YamlNode node) {
        int before = errors.size();
        YamlMap spec = node.asMap();
        checkKeys(spec, SPEC, SPEC_UNSUPPORTED);
        EndpointSelector selector = null;
        if (spec.has("endpointSelector")) {
            selector = attempt(() -> selector(spec.require("endpointSelector")));
        } else if (!spec.keys().contains("nodeSelector")) {
            errors.add(new ConfigException(spec.location(), child(spec, "endpointSelector"), "is required"));
        }
        List<PeerRule> ingress = each(spec, "ingress", n -> peerRule(n, "from", INGRESS, INGRESS_UNSUPPORTED, null));
        List<PeerRule> egress = each(spec, "egress", n -> peerRule(n, "to", EGRESS, EGRESS_UNSUPPORTED, null));
        List<PeerRule> ingressDeny = each(spec, "ingressDeny",
                n -> peerRule(n, "from", INGRESS, INGRESS_UNSUPPORTED, "ingressDeny"));
        List<PeerRule> egressDeny = each(spec, "egressDeny",
                n -> peerRule(n, "to", EGRESS, EGRESS_UNSUPPORTED, "egressDeny"));
        String description = attempt(() -> spec.string("description").orElse(null));
        Labels labels = attempt(() -> ruleLabels(spec));
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new PolicySpec(selector, ingress, egress, ingressDeny, egressDeny, description, labels);
    }

    /** Cilium's {@code spec.labels}: a list of {@code {key, value, source}}. */
    private Labels ruleLabels(YamlMap spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (YamlNode item : spec.list("labels")) {
            YamlMap label = item.asMap().allowOnly(RULE_LABEL);
            labels.put(label.require("key").asString(), label.string("value").orElse(""));
        }
        return new Labels(labels);
    }

    /** @param denyField {@code ingressDeny}/{@code egressDeny} for deny rules, null for allow rules */
    private PeerRule peerRule(YamlNode node, String prefix, Set<String> allowed, Set<String> unsupported,
                              String denyField) {
        int before = errors.size();
        YamlMap rule = node.asMap();
        checkKeys(rule, allowed, unsupported);
        List<EndpointSelector> endpoints = each(rule, prefix + "Endpoints", this::selector);
        List<CidrRule> cidrs = new ArrayList<>(each(rule, prefix + "CIDR", n -> new CidrRule(cidr(n), List.of())));
        cidrs.addAll(each(rule, prefix + "CIDRSet", this::cidrSet));
        List<Entity> entities = each(rule, prefix + "Entities", PolicyParser::entity);
        List<PortRule> toPorts = each(rule, "toPorts", n -> portRule(n, denyField));
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new PeerRule(displayPath(rule), endpoints, cidrs, entities, toPorts);
    }

    private EndpointSelector selector(YamlNode node) {
        int before = errors.size();
        YamlMap selector = node.asMap();
        checkKeys(selector, SELECTOR, Set.of());
        Map<String, String> matchLabels = new LinkedHashMap<>();
        YamlMap labels = selector.has("matchLabels") ? attempt(() -> selector.require("matchLabels").asMap()) : null;
        if (labels != null) {
            for (String key : labels.keys()) {
                String value = attempt(() -> labels.get(key).map(YamlNode::asString).orElse(""));
                matchLabels.put(key, value);
            }
        }
        List<LabelRequirement> expressions = each(selector, "matchExpressions", this::requirement);
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new EndpointSelector(matchLabels, expressions);
    }

    private LabelRequirement requirement(YamlNode node) {
        YamlMap expression = node.asMap().allowOnly(EXPRESSION);
        String key = expression.require("key").asString();
        YamlNode operatorNode = expression.require("operator");
        LabelRequirement.Operator operator = null;
        for (LabelRequirement.Operator candidate : LabelRequirement.Operator.values()) {
            if (candidate.wire().equals(operatorNode.asString())) {
                operator = candidate;
            }
        }
        if (operator == null) {
            throw ConfigException.at(operatorNode, "unknown operator '" + operatorNode.asString()
                    + "'; expected one of In, NotIn, Exists, DoesNotExist");
        }
        List<String> values = new ArrayList<>();
        for (YamlNode value : expression.list("values")) {
            values.add(value.asString());
        }
        boolean needsValues = operator == LabelRequirement.Operator.IN || operator == LabelRequirement.Operator.NOT_IN;
        if (needsValues && values.isEmpty()) {
            throw new ConfigException(expression.location(), child(expression, "values"),
                    "operator " + operator.wire() + " requires at least one value");
        }
        if (!needsValues && !values.isEmpty()) {
            throw ConfigException.at(expression.require("values"), "operator " + operator.wire() + " takes no values");
        }
        return new LabelRequirement(key, operator, values);
    }

    private static Ipv4Cidr cidr(YamlNode node) {
        try {
            return Ipv4Cidr.parse(node.asString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, e.getMessage());
        }
    }

    private CidrRule cidrSet(YamlNode node) {
        YamlMap set = node.asMap();
        checkKeys(set, CIDR_SET, CIDR_SET_UNSUPPORTED);
        Ipv4Cidr cidr = cidr(set.require("cidr"));
        List<Ipv4Cidr> except = each(set, "except", n -> {
            Ipv4Cidr excluded = cidr(n);
            if (!cidr.contains(excluded)) {
                throw ConfigException.at(n, "except " + excluded + " is not inside cidr " + cidr);
            }
            return excluded;
        });
        return new CidrRule(cidr, except);
    }

    private static Entity entity(YamlNode node) {
        return Entity.named(node.asString()).orElseThrow(() -> {
            Set<String> names = new TreeSet<>();
            for (Entity entity : Entity.values()) {
                names.add(entity.wire());
            }
            return ConfigException.at(node, "unknown entity '" + node.asString() + "'; expected one of " + names);
        });
    }

    private PortRule portRule(YamlNode node, String denyField) {
        int before = errors.size();
        YamlMap rule = node.asMap();
        checkKeys(rule, PORT_RULE, PORT_RULE_UNSUPPORTED);
        List<PortRange> ports = each(rule, "ports", PolicyParser::portRange);
        L7Rules l7 = L7Rules.NONE;
        YamlNode rulesNode = rule.get("rules").orElse(null);
        if (rulesNode != null && denyField != null) {
            errors.add(ConfigException.at(rulesNode, "L7 rules are not allowed in " + denyField
                    + ": deny rules are L3/L4 only"));
        } else if (rulesNode != null) {
            l7 = attempt(() -> l7Rules(rulesNode));
            if (l7 != null && !l7.isEmpty()) {
                for (PortRange range : ports) {
                    if (range.protocol() == Protocol.UDP || range.protocol() == Protocol.SCTP) {
                        errors.add(ConfigException.at(rulesNode, "L7 rules apply only to TCP, not to port "
                                + range));
                    }
                }
            }
        }
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new PortRule(displayPath(rule), ports, l7);
    }

    private static PortRange portRange(YamlNode node) {
        YamlMap range = node.asMap().allowOnly(PORT);
        YamlScalar portNode = range.require("port").asScalar();
        if (portNode.text().chars().anyMatch(Character::isLetter)) {
            throw ConfigException.at(portNode, "named ports are not supported; use the port number instead of '"
                    + portNode.text() + "'");
        }
        int port = portNode.asInt(0, 65535);
        int endPort = 0;
        YamlNode endPortNode = range.get("endPort").orElse(null);
        if (endPortNode != null) {
            endPort = endPortNode.asScalar().asInt(0, 65535);
            if (port == 0 && endPort != 0) {
                throw ConfigException.at(endPortNode, "endPort needs a non-zero port");
            }
            if (endPort != 0 && endPort < port) {
                throw ConfigException.at(endPortNode, "endPort " + endPort + " is less than port " + port);
            }
        }
        Protocol protocol = Protocol.ANY;
        YamlNode protocolNode = range.get("protocol").orElse(null);
        if (protocolNode != null) {
            try {
                protocol = Protocol.valueOf(protocolNode.asString().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(protocolNode, "unknown protocol '" + protocolNode.asString()
                        + "'; expected one of TCP, UDP, SCTP, ANY");
            }
        }
        return new PortRange(port, endPort, protocol);
    }

    private L7Rules l7Rules(YamlNode node) {
        int before = errors.size();
        YamlMap rules = node.asMap();
        checkKeys(rules, L7, L7_UNSUPPORTED);
        List<HttpRule> http = each(rules, "http", this::httpRule);
        List<KafkaRule> kafka = each(rules, "kafka", this::kafkaRule);
        List<GrpcRule> grpc = each(rules, "grpc", PolicyParser::grpcRule);
        if (!kafka.isEmpty() && (!http.isEmpty() || !grpc.isEmpty())) {
            errors.add(ConfigException.at(rules, "kafka rules cannot be mixed with http or grpc rules on one port"));
        }
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new L7Rules(http, kafka, grpc);
    }

    private HttpRule httpRule(YamlNode node) {
        int before = errors.size();
        YamlMap rule = node.asMap();
        checkKeys(rule, HTTP, Set.of());
        WholeValueRegex method = attempt(() -> regex(rule, "method"));
        WholeValueRegex path = attempt(() -> regex(rule, "path"));
        WholeValueRegex host = attempt(() -> regex(rule, "host"));
        List<HeaderRequirement> headers = each(rule, "headers", PolicyParser::headerRequirement);
        List<HeaderMatch> headerMatches = each(rule, "headerMatches", this::headerMatch);
        if (errors.size() > before) {
            throw Collected.INSTANCE;
        }
        return new HttpRule(displayPath(rule), method, path, host, headers, headerMatches);
    }

    private static WholeValueRegex regex(YamlMap rule, String key) {
        YamlNode node = rule.get(key).orElse(null);
        if (node == null) {
            return null;
        }
        try {
            return WholeValueRegex.compile(node.asString());
        } catch (PatternSyntaxException e) {
            throw ConfigException.at(node, "invalid regular expression '" + node.asString() + "': "
                    + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
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
        checkKeys(match, HEADER_MATCH, HEADER_MATCH_UNSUPPORTED);
        if (match.keys().contains("secret")) {
            throw Collected.INSTANCE;
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
        return new KafkaRule(displayPath(rule), apiKeys, apiVersion, clientId,
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
        return new GrpcRule(displayPath(rule), service == null ? null : service.asString(),
                method == null ? null : method.asString());
    }

    /** Records an error for every unknown key; known-but-unsupported Cilium fields get their own message. */
    private void checkKeys(YamlMap map, Set<String> allowed, Set<String> unsupported) {
        for (String key : map.keys()) {
            if (unsupported.contains(key)) {
                errors.add(new ConfigException(map.keyLocation(key), child(map, key), unsupportedMessage(key)));
            }
        }
        Set<String> known = new TreeSet<>(allowed);
        known.addAll(unsupported);
        for (ConfigException unknown : map.unknownKeys(known)) {
            errors.add(new ConfigException(unknown.location(), unknown.field(),
                    "unknown field; expected one of " + new TreeSet<>(allowed)));
        }
    }

    private static String unsupportedMessage(String key) {
        switch (key) {
            case "nodeSelector":
                return "is not supported: Portcullis enforces policy on endpoints only; use endpointSelector";
            case "secret":
                return "is not supported: header values from secrets are not available; write the value";
            default:
                return "is not supported by Portcullis";
        }
    }

    /** Parses every item of the list under {@code key}; a failed item is recorded and left out. */
    private <T> List<T> each(YamlMap map, String key, Function<YamlNode, T> parse) {
        List<T> parsed = new ArrayList<>();
        YamlList list = map.has(key) ? attempt(() -> map.require(key).asList()) : null;
        if (list != null) {
            for (YamlNode item : list.items()) {
                addIfParsed(parsed, attempt(() -> parse.apply(item)));
            }
        }
        return parsed;
    }

    private <T> T attempt(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (Collected alreadyRecorded) {
            return null;
        } catch (ConfigException e) {
            errors.add(e);
            return null;
        }
    }

    private static <T> void addIfParsed(List<T> list, T item) {
        if (item != null) {
            list.add(item);
        }
    }

    private static String child(YamlMap map, String key) {
        return map.path().isEmpty() ? key : map.path() + "." + key;
    }

    /** The path as shown in decisions: {@code ingress[0]} for {@code spec.ingress[0]}. */
    private static String displayPath(YamlNode node) {
        return node.path().startsWith("spec.") ? node.path().substring("spec.".length()) : node.path();
    }

    /** Signals that a part failed and its errors are already recorded; carries no message. */
    private static final class Collected extends RuntimeException {
        static final Collected INSTANCE = new Collected();

        private Collected() {
            super(null, null, false, false);
        }
    }
}
