package io.portcullis.policy.explain;

import io.portcullis.policy.http.SimpleHttpRequest;
import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.identity.IdentityAllocator;
import io.portcullis.policy.identity.IpCache;
import io.portcullis.policy.identity.Labels;
import io.portcullis.policy.kafka.SimpleKafkaRequest;
import io.portcullis.policy.model.Entity;
import io.portcullis.policy.model.HeaderAction;
import io.portcullis.policy.model.KafkaApiKeys;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.net.Ipv4Cidr;
import io.portcullis.policy.resolve.CompiledConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.DirectionResult;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.L7RuleSet;
import io.portcullis.policy.resolve.MatchedRule;
import io.portcullis.policy.resolve.PolicyCompiler;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers "may this source reach this destination, and why?" from policies alone, without a
 * running agent, using exactly the resolution the proxy uses, for a connection, an HTTP request,
 * a gRPC call or a Kafka request. Addresses are resolved as the ipcache would with only the
 * policies' CIDR prefixes known (no endpoints); endpoints given by labels get their namespace
 * label as the agent gives it; named ports and services are unknown without the agent. A denial
 * that only policies in audit mode make is answered {@code audit}, naming the policy and the rule
 * that would deny: audit is then what lets the request through.
 */
public final class PolicyExplainer {
    private PolicyExplainer() {
    }

    /** @throws IllegalArgumentException when the source or destination cannot be understood */
    public static Explanation explain(List<Policy> policies, ExplainRequest request) {
        IdentityAllocator allocator = new IdentityAllocator();
        IpCache ipCache = IpCache.builder(allocator).cidrs(Policy.cidrPrefixes(policies)).build();
        Identity source = identity(request.source(), request.sourceNamespace(), "source", allocator, ipCache);
        Identity destination = identity(request.destination(), request.destinationNamespace(), "destination",
                allocator, ipCache);
        CompiledConnectionRules rules = PolicyCompiler.compile(policies, 0)
                .connection(source, destination, request.port(), request.protocol());
        Answer answer = new Answer(source, destination, request.protocol().isIcmp()
                ? request.protocol() + " type " + request.port() : request.port() + "/" + request.protocol());
        for (Direction direction : List.of(Direction.EGRESS, Direction.INGRESS)) {
            for (L7RuleSet set : rules.l7RuleSets(direction)) {
                answer.l7Rules.addAll(set.describeRules());
            }
        }
        String asked = describe(request);
        for (DirectionResult side : List.of(rules.egress(), rules.ingress())) {
            answer.directions.add(direction(rules, side, request, asked));
        }
        if (rules.l4() != L4Verdict.L7) {
            Decision decision = rules.connectionDecision();
            String note = asked == null ? "" : "; no L7 rules apply on " + answer.port + ", so the request is not"
                    + " inspected";
            return answer.of(verdict(decision), decision.policy(), decision.reason() + note, asked, List.of());
        }
        if (asked == null) {
            return answer.of("l7", null, "requests on " + answer.port + " are judged by L7 rules; give an HTTP,"
                    + " gRPC or Kafka request to judge one", null, List.of());
        }
        Decision decision = request.kafka() != null ? rules.decideKafka(request.kafka())
                : rules.decideHttp(request.http());
        List<String> actions = new ArrayList<>();
        for (HeaderAction action : decision.headerActions()) {
            actions.add(action.kind() + " " + action.name() + (action.value().isEmpty() ? "" : ": " + action.value()));
        }
        return answer.of(verdict(decision), decision.policy(), decision.reason() + " (" + asked + ")", asked, actions);
    }

    /** {@code allowed}, {@code denied}, or {@code audit} when policy denies and audit mode lets it through. */
    private static String verdict(Decision decision) {
        return decision.allowed() ? "allowed" : decision.forwarded() ? "audit" : "denied";
    }

    /** How one direction judges: what it denies is {@code audit} when that direction is in audit mode. */
    private static String denial(DirectionResult result) {
        return result.audit().audited() ? "audit" : "denied";
    }

    private static DirectionExplanation direction(CompiledConnectionRules rules, DirectionResult result,
                                                  ExplainRequest request, String asked) {
        String direction = result.direction().wire();
        boolean enforced = result.outcome() != DirectionResult.Outcome.NOT_SELECTED;
        String subject = result.subject().describe();
        if (result.outcome() != DirectionResult.Outcome.L7) {
            return new DirectionExplanation(direction, subject, enforced,
                    result.verdict() == L4Verdict.DENIED ? denial(result) : "allowed", result.policy(), result.rule(),
                    result.reason());
        }
        if (asked == null) {
            return new DirectionExplanation(direction, subject, true, "l7", result.policy(), result.rule(),
                    result.reason());
        }
        MatchedRule matched = request.kafka() != null ? rules.matchingKafkaRule(result.direction(), request.kafka())
                : rules.matchingHttpRule(result.direction(), request.http());
        if (matched == null) {
            return new DirectionExplanation(direction, subject, true, denial(result), result.policy(), result.rule(),
                    "no L7 rule matches " + asked + "; " + result.reason());
        }
        return new DirectionExplanation(direction, subject, true, "allowed", matched.policy(), matched.path(),
                asked + " matches " + matched);
    }

    /** The request as the explanation names it, or null when none was given. */
    private static String describe(ExplainRequest request) {
        SimpleKafkaRequest kafka = request.kafka();
        if (kafka != null) {
            return "Kafka " + KafkaApiKeys.nameOf(kafka.apiKey()) + " v" + kafka.apiVersion()
                    + (kafka.clientId() == null ? "" : " clientID=" + kafka.clientId())
                    + (kafka.topics() == null ? " (topics not listed)" : " topics " + kafka.topics());
        }
        SimpleHttpRequest http = request.http();
        if (http == null) {
            return null;
        }
        return request.grpc() ? "gRPC " + http.path().substring(1) : http.method() + " " + http.path();
    }

    /**
     * Labels (in {@code namespace}, {@code default} when null), a reserved entity, an IPv4
     * address (looked up as the ipcache would) or a CIDR.
     */
    static Identity identity(String text, String namespace, String role, IdentityAllocator allocator,
                             IpCache ipCache) {
        String value = text.trim();
        String reservedName = value.startsWith(Labels.RESERVED_PREFIX)
                ? value.substring(Labels.RESERVED_PREFIX.length()) : value;
        Identity found = null;
        if (Identity.reservedNamed(reservedName).isPresent()) {
            found = Identity.reservedNamed(reservedName).get();
        } else if (Entity.named(value).isPresent()) {
            throw new IllegalArgumentException(role + " '" + value + "' is a group of identities; name one: labels"
                    + " such as app=web, a reserved entity such as world or host, an IPv4 address or a CIDR");
        } else if (!value.isEmpty() && Character.isDigit(value.charAt(0)) && value.indexOf('=') < 0) {
            found = value.indexOf('/') >= 0 ? allocator.allocateCidr(Ipv4Cidr.parse(value))
                    : ipCache.lookup(Ipv4Cidr.parseAddress(value)).identity();
        }
        if (found != null) {
            if (namespace != null) {
                throw new IllegalArgumentException("a namespace belongs to a " + role + " given by labels, not to '"
                        + value + "'");
            }
            return found;
        }
        if (Labels.parseMap(value).isEmpty()) {
            throw new IllegalArgumentException(role + " is empty; give labels such as app=web, an entity or an IP");
        }
        return allocator.allocate(Labels.ofEndpoint(namespace == null ? Labels.DEFAULT_NAMESPACE : namespace,
                Labels.parseMap(value)));
    }

    /** The parts every explanation shares, gathered as the question is answered. */
    private static final class Answer {
        final Identity source;
        final Identity destination;
        final String port;
        final List<DirectionExplanation> directions = new ArrayList<>();
        final List<String> l7Rules = new ArrayList<>();

        Answer(Identity source, Identity destination, String port) {
            this.source = source;
            this.destination = destination;
            this.port = port;
        }

        Explanation of(String verdict, String policy, String reason, String request, List<String> headerActions) {
            return new Explanation(verdict, policy, reason, source.describe(), source.namespace().orElse(null),
                    destination.describe(), destination.namespace().orElse(null), port, request, directions,
                    l7Rules, headerActions);
        }
    }
}
