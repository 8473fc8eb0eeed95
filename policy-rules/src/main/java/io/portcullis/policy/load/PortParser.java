package io.portcullis.policy.load;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.config.yaml.YamlMap;
import io.portcullis.config.yaml.YamlNode;
import io.portcullis.config.yaml.YamlScalar;
import io.portcullis.policy.model.IcmpTypes;
import io.portcullis.policy.model.L7Rules;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.PortRange;
import io.portcullis.policy.model.PortRule;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code toPorts} items (numbered and named ports, L7 rules) and {@code icmps} items, with the
 * checks Cilium's validation makes and its reasons: at most 40 ports or ICMP types, L7 rules on
 * explicit TCP ports other than 0 only, one L7 protocol per port rule, known ICMP families and
 * type names.
 */
final class PortParser {
    static final int MAX_PORTS = 40;
    static final int MAX_ICMP_FIELDS = 40;

    private static final Set<String> PORT_RULE = Set.of("ports", "rules");
    private static final Set<String> PORT_RULE_UNSUPPORTED = Set.of("listener", "originatingTLS",
            "terminatingTLS", "serverNames");
    private static final Set<String> PORT = Set.of("port", "endPort", "protocol");
    private static final Set<String> ICMP_RULE = Set.of("fields");
    private static final Set<String> ICMP_FIELD = Set.of("type", "family");

    private final Findings findings;
    private final L7Parser l7;

    PortParser(Findings findings) {
        this.findings = findings;
        this.l7 = new L7Parser(findings);
    }

    /** @param denyField {@code ingressDeny}/{@code egressDeny} for deny rules, null for allow rules */
    PortRule portRule(YamlNode node, String denyField) {
        int before = findings.errorCount();
        YamlMap rule = node.asMap();
        findings.checkKeys(rule, PORT_RULE, PORT_RULE_UNSUPPORTED);
        List<PortRange> ports = findings.each(rule, "ports", PortParser::portRange);
        if (Findings.listSize(rule, "ports") > MAX_PORTS) {
            findings.error(rule.require("ports"), "too many ports, the max is " + MAX_PORTS);
        }
        L7Rules rules = L7Rules.NONE;
        YamlNode rulesNode = rule.get("rules").orElse(null);
        if (rulesNode != null && denyField != null) {
            findings.error(rulesNode, "L7 rules are not allowed in " + denyField + ": deny rules are L3/L4 only");
        } else if (rulesNode != null) {
            rules = findings.attempt(() -> l7.rules(rulesNode));
            if (rules != null && !rules.isEmpty()) {
                checkL7Ports(rulesNode, ports, !rules.dns().isEmpty());
            }
        }
        findings.failIfMore(before);
        return new PortRule(Findings.displayPath(rule), ports, rules);
    }

    /** @param dns the rules are DNS rules, which apply to UDP and TCP (and ANY, which stands for both) */
    private void checkL7Ports(YamlNode rulesNode, List<PortRange> ports, boolean dns) {
        for (PortRange range : ports) {
            if (dns && range.protocol() == Protocol.SCTP) {
                findings.error(rulesNode, "DNS rules apply to UDP and TCP, not SCTP; write protocol: UDP, TCP or ANY"
                        + " on port " + range);
            } else if (!dns && range.protocol() != Protocol.TCP) {
                findings.error(rulesNode, "L7 rules can only apply to TCP (not " + range.protocol()
                        + ") except for DNS rules; write protocol: TCP on port " + range);
            } else if (!range.isNamed() && range.port() == 0) {
                findings.error(rulesNode, "L7 rules can not be used when a port is 0");
            }
        }
    }

    private static PortRange portRange(YamlNode node) {
        YamlMap range = node.asMap().allowOnly(PORT);
        YamlScalar portNode = range.require("port").asScalar();
        Protocol protocol = protocol(range.get("protocol").orElse(null));
        String text = portNode.text().trim();
        if (text.chars().anyMatch(Character::isLetter)) {
            String name = text.toLowerCase(Locale.ROOT);
            if (!NamedPort.NAME.matcher(name).matches()) {
                throw ConfigException.at(portNode, "unable to parse port '" + text + "': a port name is 1-15 of"
                        + " a-z, 0-9 and '-', with a letter, no '--', and no '-' at either end (such as http-8080)");
            }
            if (range.has("endPort")) {
                throw ConfigException.at(range.require("endPort"), "endPort needs a numbered port, not '" + text + "'");
            }
            return new PortRange(0, 0, name, protocol);
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
        return new PortRange(port, endPort, protocol);
    }

    private static Protocol protocol(YamlNode node) {
        if (node == null) {
            return Protocol.ANY;
        }
        String text = node.asString().toUpperCase(Locale.ROOT);
        for (Protocol protocol : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.ANY)) {
            if (protocol.name().equals(text)) {
                return protocol;
            }
        }
        throw ConfigException.at(node, "invalid protocol \"" + node.asString() + "\", must be { tcp | udp | sctp | any }"
                + (text.startsWith("ICMP") ? "; ICMP is written as icmps: [{fields: [{type: 8}]}]" : ""));
    }

    /** One {@code icmps} item: its fields as ICMP or ICMPv6 "ports" (the message types). */
    PortRule icmpRule(YamlNode node) {
        YamlMap rule = node.asMap().allowOnly(ICMP_RULE);
        if (Findings.listSize(rule, "fields") > MAX_ICMP_FIELDS) {
            throw ConfigException.at(rule.require("fields"), "too many types, the max is " + MAX_ICMP_FIELDS);
        }
        int before = findings.errorCount();
        List<PortRange> types = findings.each(rule, "fields", PortParser::icmpField);
        findings.failIfMore(before);
        return new PortRule(Findings.displayPath(rule), types, L7Rules.NONE);
    }

    private static PortRange icmpField(YamlNode node) {
        YamlMap field = node.asMap().allowOnly(ICMP_FIELD);
        String family = field.string("family").orElse("IPv4");
        Protocol protocol;
        if (family.equals("IPv4")) {
            protocol = Protocol.ICMP;
        } else if (family.equals("IPv6")) {
            protocol = Protocol.ICMPV6;
        } else {
            throw ConfigException.at(field.require("family"), "wrong family: " + family + "; expected IPv4 or IPv6");
        }
        YamlScalar type = field.require("type").asScalar();
        String text = type.text().trim();
        if (text.chars().allMatch(Character::isDigit)) {
            return PortRange.icmpType(protocol, type.asInt(0, 255));
        }
        OptionalInt named = IcmpTypes.byName(protocol, text);
        if (named.isEmpty()) {
            throw ConfigException.at(type, "ICMP type " + text + " not found in " + family);
        }
        return PortRange.icmpType(protocol, named.getAsInt());
    }
}
