package io.portcullis.policy.resolve;

import io.portcullis.policy.identity.Identity;
import io.portcullis.policy.model.Policy;
import io.portcullis.policy.model.Protocol;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable revision of the policies. Connection rules are computed on first use per
 * (source, destination, port, protocol) and cached; the cache is bounded so a port scan cannot
 * grow it without limit (past the bound, rules are computed each time, still correctly).
 * Identities are keyed by number: within one snapshot a number must always carry the same labels.
 */
public final class CompiledPolicySnapshot implements PolicySnapshot {
    static final int CACHE_LIMIT = 65_536;

    private final long revision;
    private final PolicyEvaluator evaluator;
    private final ConcurrentHashMap<ConnectionKey, CompiledConnectionRules> cache = new ConcurrentHashMap<>();

    CompiledPolicySnapshot(List<Policy> policies, long revision, PolicyContext context) {
        this.revision = revision;
        this.evaluator = new PolicyEvaluator(policies, context);
    }

    @Override
    public long revision() {
        return revision;
    }

    public List<Policy> policies() {
        return evaluator.policies();
    }

    @Override
    public Audit audit(String endpoint) {
        return evaluator.context().auditModes().of(endpoint);
    }

    /** The evaluator connections are judged with, for exporting the same verdicts to the kernel. */
    public PolicyEvaluator evaluator() {
        return evaluator;
    }

    /**
     * @param port     the destination port, or the ICMP type
     * @param protocol a connection's concrete protocol: not ANY
     */
    @Override
    public CompiledConnectionRules connection(Identity source, Identity destination, int port, Protocol protocol) {
        if (protocol == Protocol.ANY) {
            throw new IllegalArgumentException("a connection's protocol is concrete, not ANY");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range [0, 65535]");
        }
        ConnectionKey key = new ConnectionKey(source.id(), destination.id(), port, protocol);
        CompiledConnectionRules rules = cache.get(key);
        if (rules != null) {
            return rules;
        }
        rules = new CompiledConnectionRules(evaluator.evaluate(Direction.EGRESS, source, destination, port, protocol),
                evaluator.evaluate(Direction.INGRESS, destination, source, port, protocol));
        if (cache.size() < CACHE_LIMIT) {
            CompiledConnectionRules raced = cache.putIfAbsent(key, rules);
            return raced == null ? rules : raced;
        }
        return rules;
    }
}
