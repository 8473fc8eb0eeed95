package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.policy.model.CidrRule;
import io.portcullis.policy.model.EndpointSelector;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.FqdnSelector;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.PortRule;
import io.portcullis.policy.model.ServiceSelector;
import io.portcullis.policy.net.Ipv4Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One item of {@code ingress}, {@code egress}, {@code ingressDeny} or {@code egressDeny}, with
 * Cilium's validation and its reasons: one kind of peer per rule ("combining ToEndpoints and
 * ToEntities is not supported yet"), {@code icmps} without {@code toPorts}, known entities, an
 * {@code except} inside its {@code cidr}. IPv6 prefixes load and are reported: the node refuses
 * IPv6 traffic, so they never allow anything.
 */
final class PeerParser {
    /** Cilium's peer kinds per direction, in the order its messages are produced here. */
    private static final List<String> FROM_PEERS = List.of("Endpoints", "CIDR", "CIDRSet", "Entities", "Nodes",
            "Groups");
    private static final List<String> TO_PEERS = List.of("CIDR", "CIDRSet", "Endpoints", "Entities", "Services",
            "Groups", "Nodes", "FQDNs");
    private static final Set<String> CIDR_SET = Set.of("cidr", "except");
    private static final Set<String> CIDR_SET_UNSUPPORTED = Set.of("cidrGroupRef", "cidrGroupSelector");
    private static final Set<String> SERVICE = Set.of("k8sService", "k8sServiceSelector");
    private static final Set<String> SERVICE_NAME = Set.of("serviceName", "namespace");
    private static final Set<String> SERVICE_SELECTOR = Set.of("selector", "namespace");

    private final Findings findings;
    private final SelectorParser selectors;
    private final PortParser ports;
    private final NamespaceScope scope;

    PeerParser(Findings findings, NamespaceScope scope) {
        this.findings = findings;
        this.selectors = new SelectorParser(findings);
        this.ports = new PortParser(findings);
        this.scope = scope;
    }

    /**
     * @param ingress   whether the rule is an ingress (from-) rule
     * @param denyField {@code ingressDeny}/{@code egressDeny} for deny rules, null for allow rules
     * @param subject   the rule's endpointSelector as written, which decides how peers are scoped
     */
    PeerRule peerRule(YamlNode node, boolean ingress, String denyField, EndpointSelector subject) {
        int before = findings.errorCount();
        YamlMap rule = node.asMap();
        String prefix = ingress ? "from" : "to";
        findings.checkKeys(rule, allowed(ingress, denyField != null), unsupported(ingress, denyField != null));
        checkCombinations(rule, prefix, ingress ? FROM_PEERS : TO_PEERS);
        List<EndpointSelector> endpoints = findings.each(rule, prefix + "Endpoints",
                n -> scope.peer(selectors.selector(n), subject));
        List<EndpointSelector> requires = findings.each(rule, prefix + "Requires",
                n -> scope.requirement(selectors.selector(n), subject));
        List<String> ipv6 = new ArrayList<>();
        List<CidrRule> cidrs = new ArrayList<>(findings.each(rule, prefix + "CIDR", n -> prefixOrAddress(n, ipv6)));
        cidrs.addAll(findings.each(rule, prefix + "CIDRSet", n -> cidrSet(n, ipv6)));
        List<Entity> entities = findings.each(rule, prefix + "Entities", PeerParser::entity);
        List<ServiceSelector> services = findings.each(rule, "toServices", this::service);
        List<FqdnSelector> fqdns = findings.each(rule, "toFQDNs", L7Parser::fqdnSelector);
        List<PortRule> toPorts = new ArrayList<>(findings.each(rule, "toPorts", n -> ports.portRule(n, denyField)));
        if (Findings.listSize(rule, "icmps") > 0 && Findings.listSize(rule, "toPorts") > 0) {
            findings.error(rule.require("icmps"), "the ICMPs block may only be present without ToPorts. Define a"
                    + " separate rule to use ToPorts");
        }
        toPorts.addAll(findings.each(rule, "icmps", ports::icmpRule));
        findings.failIfMore(before);
        return new PeerRule(Findings.displayPath(rule), endpoints, requires, cidrs, ipv6, entities, services, fqdns,
                toPorts);
    }

    /** toFQDNs is for allow rules only, as in Cilium: a deny by name would race the lookup it learns from. */
    private static Set<String> allowed(boolean ingress, boolean deny) {
        Set<String> keys = new TreeSet<>(List.of("toPorts", "icmps"));
        String prefix = ingress ? "from" : "to";
        for (String peer : List.of("Endpoints", "Requires", "CIDR", "CIDRSet", "Entities")) {
            keys.add(prefix + peer);
        }
        if (!ingress) {
            keys.add("toServices");
        }
        if (!ingress && !deny) {
            keys.add("toFQDNs");
        }
        return keys;
    }

    private static Set<String> unsupported(boolean ingress, boolean deny) {
        Set<String> keys = new TreeSet<>(ingress ? List.of("fromGroups", "fromNodes") : List.of("toGroups", "toNodes"));
        if (!deny) {
            keys.add("authentication");
        }
        return keys;
    }

    private void checkCombinations(YamlMap rule, String prefix, List<String> peers) {
        List<String> present = new ArrayList<>();
        for (String peer : peers) {
            if (Findings.listSize(rule, prefix + peer) > 0) {
                present.add(Character.toUpperCase(prefix.charAt(0)) + prefix.substring(1) + peer);
            }
        }
        if (present.size() > 1) {
            findings.error(rule, "combining " + present.get(0) + " and " + present.get(1) + " is not supported yet;"
                    + " write a separate rule for each");
        }
    }

    /** A {@code fromCIDR}/{@code toCIDR} item: a prefix or a bare address; IPv6 is set aside (null). */
    private CidrRule prefixOrAddress(YamlNode node, List<String> ipv6) {
        String text = node.asString().trim();
        if (text.indexOf(':') >= 0) {
            ipv6.add(ipv6Prefix(node, text));
            return null;
        }
        try {
            return new CidrRule(Ipv4Cidr.parse(text), List.of());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, "unable to parse CIDR: " + e.getMessage());
        }
    }

    private CidrRule cidrSet(YamlNode node, List<String> ipv6) {
        YamlMap set = node.asMap();
        findings.checkKeys(set, CIDR_SET, CIDR_SET_UNSUPPORTED);
        if (set.keys().stream().anyMatch(CIDR_SET_UNSUPPORTED::contains)) {
            throw Findings.Collected.INSTANCE;
        }
        YamlNode cidrNode = set.require("cidr");
        String text = cidrNode.asString().trim();
        if (text.indexOf('/') < 0) {
            throw ConfigException.at(cidrNode, "unable to parse CIDRRule \"" + text + "\": write a prefix such as "
                    + text + "/32");
        }
        boolean v6 = text.indexOf(':') >= 0;
        Ipv4Cidr cidr = v6 ? null : prefix(cidrNode, text);
        List<Ipv4Cidr> except = new ArrayList<>();
        for (YamlNode item : set.list("except")) {
            String excepted = item.asString().trim();
            if (v6 != (excepted.indexOf(':') >= 0) || (!v6 && !cidr.contains(prefix(item, excepted)))) {
                throw ConfigException.at(item, "allow CIDR prefix " + text + " does not contain exclude CIDR prefix "
                        + excepted);
            }
            if (v6) {
                ipv6Prefix(item, excepted);
            } else {
                except.add(prefix(item, excepted));
            }
        }
        if (v6) {
            ipv6.add(ipv6Prefix(cidrNode, text));
            return null;
        }
        return new CidrRule(cidr, except);
    }

    private static Ipv4Cidr prefix(YamlNode node, String text) {
        try {
            return Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(node, "unable to parse CIDRRule \"" + text + "\": " + e.getMessage());
        }
    }

    /** Checks an IPv6 prefix or address and warns that it is never allowed on this node. */
    private String ipv6Prefix(YamlNode node, String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean valid;
        try {
            valid = InetAddress.getByName(address) instanceof Inet6Address && (slash < 0
                    || text.substring(slash + 1).matches("[0-9]{1,3}") && Integer.parseInt(text.substring(slash + 1)) <= 128);
        } catch (UnknownHostException e) {
            valid = false;
        }
        if (!valid) {
            throw ConfigException.at(node, "unable to parse CIDR '" + text + "'");
        }
        findings.warn(node, "IPv6 prefix " + text + " is loaded but allows nothing: this node refuses all IPv6"
                + " traffic (fail closed) until IPv6 is supported; the rule's IPv4 parts are enforced");
        return text;
    }

    private static Entity entity(YamlNode node) {
        return Entity.named(node.asString()).orElseThrow(() -> {
            Set<String> names = new TreeSet<>();
            for (Entity entity : Entity.values()) {
                names.add(entity.wire());
            }
            return ConfigException.at(node, "unsupported entity: " + node.asString() + "; expected one of " + names);
        });
    }

    private ServiceSelector service(YamlNode node) {
        YamlMap service = node.asMap().allowOnly(SERVICE);
        if (service.has("k8sService") == service.has("k8sServiceSelector")) {
            throw ConfigException.at(service, "give k8sService (a service by name) or k8sServiceSelector (services"
                    + " by labels), one per item");
        }
        if (service.has("k8sService")) {
            YamlMap named = service.require("k8sService").asMap().allowOnly(SERVICE_NAME);
            return new ServiceSelector(named.require("serviceName").asString(),
                    named.string("namespace").orElse(null), null);
        }
        YamlMap selected = service.require("k8sServiceSelector").asMap().allowOnly(SERVICE_SELECTOR);
        return new ServiceSelector(null, selected.string("namespace").orElse(null),
                selectors.selector(selected.require("selector")));
    }
}
