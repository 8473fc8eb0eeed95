package io.portcullis.policy.explain;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.CompiledConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.DirectionResult;
import io.portcullis.policy.resolve.HeaderAction;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.L7RuleSet;
import io.portcullis.policy.resolve.MatchedRule;
import io.portcullis.policy.resolve.PolicyCompiler;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers "may this source reach this destination, and why?" from policies alone, without a
 * running agent, using exactly the resolution the proxy uses. Addresses are resolved as the
 * ipcache would with only the policies' CIDR prefixes known (no endpoints).
 */
public final class PolicyExplainer {
    private PolicyExplainer() {
    }

    /** @throws IllegalArgumentException when the source or destination cannot be understood */
    public static Explanation explain(List<Policy> policies, ExplainRequest request) {
        IdentityAllocator allocator = new IdentityAllocator();
        IpCache ipCache = IpCache.builder(allocator).cidrs(Policy.cidrPrefixes(policies)).build();
        Identity source = identity(request.source(), "source", allocator, ipCache);
        Identity destination = identity(request.destination(), "destination", allocator, ipCache);
        CompiledConnectionRules rules = PolicyCompiler.compile(policies, 0)
                .connection(source, destination, request.port(), request.protocol());
        String port = request.port() + "/" + request.protocol();
        List<String> l7Rules = new ArrayList<>();
        for (Direction direction : List.of(Direction.EGRESS, Direction.INGRESS)) {
            for (L7RuleSet set : rules.l7RuleSets(direction)) {
                l7Rules.addAll(set.describeRules());
            }
        }
        SimpleHttpRequest http = request.httpMethod() == null ? null
                : new SimpleHttpRequest(request.httpMethod(), request.httpPath(), request.headers());
        List<DirectionExplanation> directions = List.of(
                direction(rules, rules.egress(), http), direction(rules, rules.ingress(), http));

        if (rules.l4() != L4Verdict.L7) {
            Decision decision = rules.connectionDecision();
            String note = http == null ? "" : "; no L7 rules apply on " + port + ", so the request is not inspected";
            return new Explanation(decision.allowed() ? "allowed" : "denied", decision.policy(),
                    decision.reason() + note, source.describe(), destination.describe(), port, directions,
                    l7Rules, List.of());
        }
        if (http == null) {
            return new Explanation("l7", null, "requests on " + port + " are judged by L7 rules; give an HTTP "
                    + "request to judge one", source.describe(), destination.describe(), port, directions,
                    l7Rules, List.of());
        }
        Decision decision = rules.decideHttp(http);
        List<String> actions = new ArrayList<>();
        for (HeaderAction action : decision.headerActions()) {
            actions.add(action.kind() + " " + action.name() + (action.value().isEmpty() ? "" : ": " + action.value()));
        }
        return new Explanation(decision.allowed() ? "allowed" : "denied", decision.policy(),
                decision.reason() + " (" + http.method() + " " + http.path() + ")", source.describe(),
                destination.describe(), port, directions, l7Rules, actions);
    }

    private static DirectionExplanation direction(CompiledConnectionRules rules, DirectionResult result,
                                                  SimpleHttpRequest http) {
        String direction = result.direction().wire();
        boolean enforced = result.outcome() != DirectionResult.Outcome.NOT_SELECTED;
        String subject = result.subject().describe();
        if (result.outcome() != DirectionResult.Outcome.L7) {
            return new DirectionExplanation(direction, subject, enforced,
                    result.verdict() == L4Verdict.DENIED ? "denied" : "allowed", result.policy(), result.rule(),
                    result.reason());
        }
        if (http == null) {
            return new DirectionExplanation(direction, subject, true, "l7", result.policy(), result.rule(),
                    result.reason());
        }
        MatchedRule matched = rules.matchingHttpRule(result.direction(), http);
        String request = http.method() + " " + http.path();
        if (matched == null) {
            return new DirectionExplanation(direction, subject, true, "denied", result.policy(), result.rule(),
                    "no L7 rule matches " + request + "; " + result.reason());
        }
        return new DirectionExplanation(direction, subject, true, "allowed", matched.policy(), matched.path(),
                request + " matches " + matched);
    }

    /** Labels, a reserved entity, an IPv4 address (looked up as the ipcache would) or a CIDR. */
    static Identity identity(String text, String role, IdentityAllocator allocator, IpCache ipCache) {
        String value = text.trim();
        String reservedName = value.startsWith(Labels.RESERVED_PREFIX)
                ? value.substring(Labels.RESERVED_PREFIX.length()) : value;
        if (Identity.reservedNamed(reservedName).isPresent()) {
            return Identity.reservedNamed(reservedName).get();
        }
        if (Entity.named(value).isPresent()) {
            throw new IllegalArgumentException(role + " '" + value + "' is a group of identities; name one: labels"
                    + " such as app=web, a reserved entity such as world or host, an IPv4 address or a CIDR");
        }
        if (!value.isEmpty() && Character.isDigit(value.charAt(0)) && value.indexOf('=') < 0) {
            if (value.indexOf('/') >= 0) {
                return allocator.allocateCidr(Ipv4Cidr.parse(value));
            }
            return ipCache.lookup(Ipv4Cidr.parseAddress(value)).identity();
        }
        Labels labels = Labels.parse(value);
        if (labels.values().isEmpty()) {
            throw new IllegalArgumentException(role + " is empty; give labels such as app=web, an entity or an IP");
        }
        return allocator.allocate(labels);
    }
}
