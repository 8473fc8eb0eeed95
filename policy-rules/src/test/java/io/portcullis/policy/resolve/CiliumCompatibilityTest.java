package io.portcullis.policy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.config.yaml.ConfigException;
import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.load.LoadResult;
import io.portcullis.policy.load.PolicyLoader;
import io.portcullis.policy.model.NamedPort;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.net.Ipv4Cidr;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility suite: one directory per case under {@code cilium-compat/}, each a
 * {@code policy.yaml} modelled on an example of Cilium's documentation, whose header comment
 * names the example and states, one line each, what Cilium does with it:
 * <pre>
 * # endpoint: NAMESPACE/LABELS [ports=NAME=PORT/PROTO,...]   endpoints declaring named ports
 * # service: NAMESPACE/NAME [labels=K=V,...] backends=IP,...  services toServices may name
 * # expect: allowed|denied|l7 FROM -> TO PORT/PROTO          the connection's verdict
 * # expect: allowed|denied FROM -> TO PORT/TCP http METHOD PATH   an HTTP request's verdict
 * # expect: refused TEXT                                      the file is refused with TEXT
 * # expect: warning TEXT                                      the file loads with warning TEXT
 * </pre>
 * FROM and TO are {@code NAMESPACE/LABELS}, {@code world}, {@code host} or an IPv4 address; for
 * ICMP the port is the message type.
 */
class CiliumCompatibilityTest {
    private static final Pattern CONNECTION = Pattern.compile(
            "(allowed|denied|l7) (\\S+) -> (\\S+) (\\d+)/([A-Za-z0-9]+)(?: http (\\S+) (\\S+))?");

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(CiliumCompatibilityTest.class.getResource("/cilium-compat").toURI());
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).sorted().forEach(cases::add);
        }
        assertThat(cases).hasSizeGreaterThan(20);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cilium(Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        String text = Files.readString(file);
        List<String> header = header(text);
        assertThat(header).as("the case names the example it is modelled on")
                .anyMatch(line -> line.startsWith("Modelled on: Cilium documentation"));
        List<String> expectations = values(header, "expect");
        assertThat(expectations).as("the case states what Cilium does").isNotEmpty();
        LoadResult loaded = PolicyLoader.parse(file.toString(), text);
        List<String> refused = withVerb(expectations, "refused");
        if (!refused.isEmpty()) {
            assertThat(loaded.policies()).isEmpty();
            for (String reason : refused) {
                assertThat(messages(loaded.errors())).anyMatch(message -> message.contains(reason));
            }
            return;
        }
        assertThat(messages(loaded.errors())).isEmpty();
        List<String> warnings = withVerb(expectations, "warning");
        assertThat(loaded.warnings()).hasSize(warnings.size());
        for (String warning : warnings) {
            assertThat(messages(loaded.warnings())).anyMatch(message -> message.contains(warning));
        }
        Node node = new Node(loaded.policies(), values(header, "endpoint"), values(header, "service"));
        for (String expectation : expectations) {
            if (!expectation.startsWith("warning ")) {
                assertThat(node.verdict(expectation)).as(expectation).isEqualTo(expectation.split(" ")[0]);
            }
        }
    }

    /** The comment lines before the first document, without {@code # }. */
    private static List<String> header(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                break;
            }
            lines.add(line.replaceFirst("^#\\s?", ""));
        }
        return lines;
    }

    private static List<String> values(List<String> header, String key) {
        List<String> values = new ArrayList<>();
        for (String line : header) {
            if (line.startsWith(key + ": ")) {
                values.add(line.substring(key.length() + 2).trim());
            }
        }
        return values;
    }

    private static List<String> withVerb(List<String> expectations, String verb) {
        List<String> texts = new ArrayList<>();
        for (String expectation : expectations) {
            if (expectation.startsWith(verb + " ")) {
                texts.add(expectation.substring(verb.length() + 1));
            }
        }
        return texts;
    }

    private static List<String> messages(List<ConfigException> findings) {
        return findings.stream().map(ConfigException::getMessage).toList();
    }

    /** The node a case describes: its endpoints' named ports, its services, and the policies compiled with them. */
    private static final class Node {
        private final IdentityAllocator identities = new IdentityAllocator();
        private final IpCache ipCache;
        private final CompiledPolicySnapshot snapshot;

        Node(List<Policy> policies, List<String> endpoints, List<String> services) {
            NamedPorts.Builder ports = NamedPorts.builder();
            for (String endpoint : endpoints) {
                String[] parts = endpoint.split(" ");
                List<NamedPort> declared = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    for (String port : parts[i].substring("ports=".length()).split(",")) {
                        declared.add(NamedPort.parse(port));
                    }
                }
                ports.add(endpoint(parts[0]), declared);
            }
            List<ServiceEntry> entries = new ArrayList<>();
            for (String service : services) {
                entries.add(service(service));
            }
            Set<Ipv4Cidr> prefixes = new TreeSet<>(Policy.cidrPrefixes(policies));
            prefixes.addAll(PolicyContext.backendPrefixes(policies, entries));
            this.ipCache = IpCache.builder(identities).cidrs(prefixes).build();
            this.snapshot = PolicyCompiler.compile(policies, 1, PolicyContext.of(ports.build(), entries, ipCache));
        }

        String verdict(String expectation) {
            Matcher m = CONNECTION.matcher(expectation);
            assertThat(m.matches()).as("expectation '%s' is written as the suite documents", expectation).isTrue();
            CompiledConnectionRules rules = snapshot.connection(side(m.group(2)), side(m.group(3)),
                    Integer.parseInt(m.group(4)), Protocol.valueOf(m.group(5).toUpperCase(Locale.ROOT)));
            if (m.group(6) != null) {
                return rules.decideHttp(new SimpleHttpRequest(m.group(6), m.group(7))).allowed() ? "allowed" : "denied";
            }
            switch (rules.l4()) {
                case ALLOWED:
                    return "allowed";
                case L7:
                    return "l7";
                default:
                    return "denied";
            }
        }

        private Identity side(String text) {
            if (Identity.reservedNamed(text).isPresent()) {
                return Identity.reservedNamed(text).get();
            }
            if (Ipv4Cidr.isAddress(text)) {
                return ipCache.lookup(text).identity();
            }
            return endpoint(text);
        }

        private Identity endpoint(String text) {
            int slash = text.indexOf('/');
            return identities.allocate(Labels.ofEndpoint(text.substring(0, slash),
                    Labels.parseMap(text.substring(slash + 1))));
        }

        private static ServiceEntry service(String text) {
            String[] parts = text.split(" ");
            int slash = parts[0].indexOf('/');
            Map<String, String> labels = Map.of();
            List<Ipv4Cidr> backends = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                if (parts[i].startsWith("labels=")) {
                    labels = Labels.parseMap(parts[i].substring("labels=".length()));
                } else {
                    for (String ip : parts[i].substring("backends=".length()).split(",")) {
                        backends.add(Ipv4Cidr.parse(ip));
                    }
                }
            }
            return new ServiceEntry(parts[0].substring(slash + 1), parts[0].substring(0, slash), new Labels(labels),
                    backends);
        }
    }
}
