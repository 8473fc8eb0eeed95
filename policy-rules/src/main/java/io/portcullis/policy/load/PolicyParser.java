package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlScalar;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicyKind;
import io.portcullis.policy.model.PolicySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one YAML document into a {@link Policy}: apiVersion, kind, metadata (the namespace
 * that scopes a CiliumNetworkPolicy), and each rule ({@code spec}, {@code specs}) with Cilium's
 * rule-level validation. Selectors, peers, ports and L7 rules have parsers of their own; all
 * share the file's {@link Findings}, so every error of a file is reported at once. Fields that
 * carry no policy (a description outside the rule, {@code spec.log}) load with a warning; any
 * other unknown field is an error, so that a typo never widens what is allowed.
 */
final class PolicyParser {
    static final String API_VERSION = "cilium.io/v2";

    private static final Set<String> ROOT = Set.of("apiVersion", "kind", "metadata", "spec", "specs", "description");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations", "description");
    private static final Set<String> SPEC = Set.of("endpointSelector", "ingress", "egress", "ingressDeny",
            "egressDeny", "description", "labels", "enableDefaultDeny", "log");
    private static final Set<String> SPEC_UNSUPPORTED = Set.of("nodeSelector");
    private static final Set<String> DEFAULT_DENY = Set.of("ingress", "egress");
    private static final Set<String> RULE_LABEL = Set.of("key", "value", "source");

    private final Findings findings;
    private final SelectorParser selectors;

    PolicyParser(Findings findings) {
        this.findings = findings;
        this.selectors = new SelectorParser(findings);
    }

    /** The policy of {@code document}, or null when it has errors (then recorded in the findings). */
    Policy parse(YamlNode document) {
        int before = findings.errorCount();
        YamlMap root = findings.attempt(document::asMap);
        if (root == null) {
            return null;
        }
        findings.checkKeys(root, ROOT, Set.of());
        root.get("description").ifPresent(n -> findings.warn(n, "ignored: a description here carries no policy"
                + " (spec.description is the rule's own)"));
        findings.attempt(() -> checkApiVersion(root.require("apiVersion")));
        PolicyKind kind = findings.attempt(() -> kind(root.require("kind")));
        YamlMap metadata = findings.attempt(() -> root.require("metadata").asMap());
        YamlScalar name = metadata == null ? null : findings.attempt(() -> metadataName(metadata));
        String namespace = metadata == null || kind == null ? null : findings.attempt(() -> namespace(metadata, kind));
        Boolean audit = metadata == null ? Boolean.FALSE : findings.attempt(() -> audit(metadata));
        if (!root.has("spec") && !root.has("specs")) {
            findings.error(new ConfigException(root.location(), "spec", "is required (or specs)"));
        }
        // Rules are checked even when the header is broken, so that one run reports everything.
        NamespaceScope scope = new NamespaceScope(namespace);
        List<PolicySpec> specs = new ArrayList<>();
        root.get("spec").ifPresent(spec -> {
            PolicySpec parsed = findings.attempt(() -> spec(spec, scope));
            if (parsed != null) {
                specs.add(parsed);
            }
        });
        specs.addAll(findings.each(root, "specs", n -> spec(n, scope)));
        if (findings.errorCount() > before) {
            return null;
        }
        return new Policy(name.text(), kind, namespace, name.location(), specs, audit);
    }

    private YamlScalar metadataName(YamlMap metadata) {
        findings.checkKeys(metadata, METADATA, Set.of());
        metadata.get("description").ifPresent(n -> findings.warn(n, "ignored: metadata.description carries no policy"));
        YamlScalar name = metadata.require("name").asScalar();
        if (name.text().isBlank()) {
            throw ConfigException.at(name, "must not be empty");
        }
        return name;
    }

    /** A CiliumNetworkPolicy's namespace ({@code default} when not written); null when clusterwide. */
    private String namespace(YamlMap metadata, PolicyKind kind) {
        YamlNode written = metadata.get("namespace").orElse(null);
        if (!kind.namespaced()) {
            if (written != null) {
                findings.warn(written, "ignored: a CiliumClusterwideNetworkPolicy is not namespaced and selects in"
                        + " every namespace");
            }
            return null;
        }
        if (written == null) {
            return Labels.DEFAULT_NAMESPACE;
        }
        try {
            return Labels.checkNamespace(written.asString());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(written, e.getMessage());
        }
    }

    /**
     * The {@value Policy#AUDIT_ANNOTATION} annotation: {@code "true"} or {@code "false"}, anything
     * else an error (never taken as on). Other annotations carry no policy and are not read.
     */
    private static boolean audit(YamlMap metadata) {
        YamlNode annotations = metadata.get("annotations").orElse(null);
        if (annotations == null || annotations instanceof YamlScalar scalar && scalar.isNull()) {
            return false;
        }
        YamlNode value = annotations.asMap().get(Policy.AUDIT_ANNOTATION).orElse(null);
        if (value == null) {
            return false;
        }
        String text = value.asString();
        if (!text.equals("true") && !text.equals("false")) {
            throw ConfigException.at(value, "expected \"true\" or \"false\", found '" + text + "'");
        }
        return text.equals("true");
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

    private PolicySpec spec(YamlNode node, NamespaceScope scope) {
        int before = findings.errorCount();
        YamlMap spec = node.asMap();
        findings.checkKeys(spec, SPEC, SPEC_UNSUPPORTED);
        spec.get("log").ifPresent(n -> findings.warn(n, "ignored: every L7 decision is in the access log, and"
                + " L3/L4 drops are counted and streamed by 'portcullis observe'"));
        EndpointSelector written = null;
        if (spec.has("endpointSelector")) {
            written = findings.attempt(() -> selectors.selector(spec.require("endpointSelector")));
        } else if (!spec.keys().contains("nodeSelector")) {
            findings.error(new ConfigException(spec.location(), Findings.child(spec, "endpointSelector"),
                    "rule must have one of EndpointSelector or NodeSelector"));
        }
        if (Findings.listSize(spec, "ingress") + Findings.listSize(spec, "ingressDeny")
                + Findings.listSize(spec, "egress") + Findings.listSize(spec, "egressDeny") == 0) {
            findings.error(spec, "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny");
        }
        // Without a selector the rule fails, but its peers are still checked.
        EndpointSelector subject = written == null ? new EndpointSelector(Map.of(), List.of()) : written;
        String foreign = scope.foreignNamespace(subject);
        if (foreign != null) {
            findings.warn(spec.require("endpointSelector"), "a CiliumNetworkPolicy selects in its own namespace"
                    + " only: the match on namespace '" + foreign + "' is replaced by the policy's");
        }
        PeerParser peers = new PeerParser(findings, scope);
        List<PeerRule> ingress = findings.each(spec, "ingress", n -> peers.peerRule(n, true, null, subject));
        List<PeerRule> egress = findings.each(spec, "egress", n -> peers.peerRule(n, false, null, subject));
        List<PeerRule> ingressDeny = findings.each(spec, "ingressDeny",
                n -> peers.peerRule(n, true, "ingressDeny", subject));
        List<PeerRule> egressDeny = findings.each(spec, "egressDeny",
                n -> peers.peerRule(n, false, "egressDeny", subject));
        Map<String, Boolean> defaultDeny = findings.attempt(() -> defaultDeny(spec));
        String description = findings.attempt(() -> spec.string("description").orElse(null));
        Labels labels = findings.attempt(() -> ruleLabels(spec));
        findings.failIfMore(before);
        return new PolicySpec(scope.subject(subject), ingress, egress, ingressDeny, egressDeny,
                defaultDeny.getOrDefault("ingress", Findings.listSize(spec, "ingress")
                        + Findings.listSize(spec, "ingressDeny") > 0),
                defaultDeny.getOrDefault("egress", Findings.listSize(spec, "egress")
                        + Findings.listSize(spec, "egressDeny") > 0),
                description, labels);
    }

    /** {@code enableDefaultDeny} as written; a direction not written keeps Cilium's default. */
    private static Map<String, Boolean> defaultDeny(YamlMap spec) {
        Map<String, Boolean> written = new LinkedHashMap<>();
        YamlNode node = spec.get("enableDefaultDeny").orElse(null);
        if (node != null) {
            YamlMap directions = node.asMap().allowOnly(DEFAULT_DENY);
            for (String direction : DEFAULT_DENY) {
                directions.get(direction).ifPresent(value -> written.put(direction, value.asScalar().asBoolean()));
            }
        }
        return written;
    }

    /** Cilium's {@code spec.labels}: a list of {@code {key, value, source}}. */
    private static Labels ruleLabels(YamlMap spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (YamlNode item : spec.list("labels")) {
            YamlMap label = item.asMap().allowOnly(RULE_LABEL);
            String key = label.require("key").asString();
            labels.put(label.string("source").map(source -> source + ":" + key).orElse(key),
                    label.string("value").orElse(""));
        }
        try {
            return new Labels(labels);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(spec.require("labels"), e.getMessage());
        }
    }
}
