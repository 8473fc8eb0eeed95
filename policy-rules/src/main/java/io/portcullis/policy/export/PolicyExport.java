package io.portcullis.policy.export;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.PeerRule;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.PolicySpec;
import io.portcullis.policy.model.PortNames;
import io.portcullis.policy.model.PortRange;
import io.portcullis.policy.model.PortRule;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.DirectionResult;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicyEvaluator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Flattens policies into {@link L4Entry} rows for (local identity, remote identity, direction).
 *
 * <p>Ports are not enumerated: the port numbers written in the policies (and the ports endpoints
 * declare for named ports) cut 0..65535 into spans on which every rule's coverage is constant, so
 * evaluating one port per span is exact. Evaluating {@link #UNNAMED_PORT} gives the verdict of
 * every port no rule names: that is the protocol's "every port" entry, and only spans that differ
 * from it get entries of their own. Likewise a protocol whose "every port" verdict equals the
 * every-protocol entry (evaluated with {@link Protocol#ANY}, which only port-less rules cover)
 * gets none. For ICMP the "port" is the message type, as in the kernel's policy key.
 */
public final class PolicyExport {
    /** The protocols that get port-level entries; others are covered by the every-protocol entry. */
    static final List<Protocol> PORT_PROTOCOLS = List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP, Protocol.ICMP);
    /** A port no rule names: no numbered range covers it, wildcards do. */
    static final int UNNAMED_PORT = -1;

    private final PolicyEvaluator evaluator;
    private final List<Policy> policies;

    public PolicyExport(PolicyEvaluator evaluator) {
        this.evaluator = evaluator;
        this.policies = evaluator.policies();
    }

    /**
     * Entries for every local identity towards every remote identity, both directions. Identity 0
     * ({@link Identity#UNKNOWN}) is skipped as a remote: tables use it as "any peer".
     */
    public List<L4Entry> export(Collection<Identity> locals, Collection<Identity> remotes) {
        List<L4Entry> entries = new ArrayList<>();
        for (Direction direction : Direction.values()) {
            List<List<int[]>> spans = new ArrayList<>();
            for (Protocol protocol : PORT_PROTOCOLS) {
                spans.add(spans(direction, protocol));
            }
            for (Identity local : locals) {
                for (Identity remote : remotes) {
                    if (remote.id() != Identity.UNKNOWN.id()) {
                        pair(direction, local, remote, spans, entries);
                    }
                }
            }
        }
        return entries;
    }

    private void pair(Direction direction, Identity local, Identity remote, List<List<int[]>> spans,
                      List<L4Entry> out) {
        DirectionResult any = evaluator.evaluate(direction, local, remote, UNNAMED_PORT, Protocol.ANY);
        out.add(entry(local, remote, direction, Protocol.ANY, 0, L4Entry.MAX_PORT, any));
        for (int p = 0; p < PORT_PROTOCOLS.size(); p++) {
            Protocol protocol = PORT_PROTOCOLS.get(p);
            DirectionResult wildcard = evaluator.evaluate(direction, local, remote, UNNAMED_PORT, protocol);
            if (!same(wildcard, any)) {
                out.add(entry(local, remote, direction, protocol, 0, L4Entry.MAX_PORT, wildcard));
            }
            L4Entry open = null;
            for (int[] span : spans.get(p)) {
                DirectionResult result = evaluator.evaluate(direction, local, remote, span[0], protocol);
                if (same(result, wildcard)) {
                    open = flush(open, out);
                } else if (open != null && open.toPort() + 1 == span[0] && open.verdict() == result.verdict()
                        && open.audit() == audit(result) && open.dns() == result.judgesDns()
                        && Objects.equals(open.policy(), result.policy())) {
                    open = new L4Entry(open.localId(), open.remoteId(), direction, protocol, open.fromPort(), span[1],
                            open.verdict(), open.policy(), open.audit(), open.dns());
                } else {
                    flush(open, out);
                    open = entry(local, remote, direction, protocol, span[0], span[1], result);
                }
            }
            flush(open, out);
        }
    }

    private static L4Entry flush(L4Entry open, List<L4Entry> out) {
        if (open != null) {
            out.add(open);
        }
        return null;
    }

    private static boolean same(DirectionResult a, DirectionResult b) {
        return a.verdict() == b.verdict() && audit(a) == audit(b) && a.judgesDns() == b.judgesDns();
    }

    /** Whether the kernel forwards the direction's L3/L4 denial as audit (only policies in audit mode deny it). */
    private static boolean audit(DirectionResult result) {
        return result.verdict() == L4Verdict.DENIED && result.audit().audited();
    }

    private static L4Entry entry(Identity local, Identity remote, Direction direction, Protocol protocol, int from,
                                 int to, DirectionResult result) {
        return new L4Entry(local.id(), remote.id(), direction, protocol, from, to, result.verdict(), result.policy(),
                audit(result), result.judgesDns());
    }

    /**
     * The spans of ports named by some rule of {@code direction} for {@code protocol}, cut where
     * any rule's coverage starts or ends, in order; a named port contributes every port an
     * endpoint declares, each its own span. Ports no rule names are not included.
     */
    List<int[]> spans(Direction direction, Protocol protocol) {
        List<PortRange> ranges = new ArrayList<>();
        boolean named = false;
        for (Policy policy : policies) {
            for (PolicySpec spec : policy.specs()) {
                List<PeerRule> rules = new ArrayList<>(direction == Direction.INGRESS ? spec.ingress() : spec.egress());
                rules.addAll(direction == Direction.INGRESS ? spec.ingressDeny() : spec.egressDeny());
                for (PeerRule rule : rules) {
                    for (PortRule portRule : rule.toPorts()) {
                        for (PortRange range : portRule.ports()) {
                            if (!range.protocol().covers(protocol) || range.isWildcard()) {
                                continue;
                            }
                            if (range.isNamed()) {
                                named = true;
                            } else {
                                ranges.add(range);
                            }
                        }
                    }
                }
            }
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        TreeSet<Integer> namedPorts = new TreeSet<>(named ? evaluator.context().namedPorts().ports() : Set.of());
        for (PortRange range : ranges) {
            cuts.add(range.port());
            cuts.add(Math.max(range.port(), range.endPort()) + 1);
        }
        for (int port : namedPorts) {
            cuts.add(port);
            cuts.add(port + 1);
        }
        List<int[]> spans = new ArrayList<>();
        Integer start = cuts.isEmpty() ? null : cuts.first();
        while (start != null) {
            Integer next = cuts.higher(start);
            if (next == null) {
                break;
            }
            int from = start;
            if (namedPorts.contains(from) || ranges.stream().anyMatch(r -> r.covers(from, protocol, PortNames.NONE))) {
                spans.add(new int[] {from, next - 1});
            }
            start = next;
        }
        return spans;
    }
}
