package io.portcullis.proxy.policy;

import io.netty.util.AttributeKey;
import io.portcullis.policy.http.HttpRequestView;
import io.portcullis.policy.kafka.KafkaRequestView;
import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.policy.resolve.Decision;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.policy.resolve.PolicySnapshot;
import io.portcullis.proxy.context.ConnectionContext;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The policy as one connection sees it. Every call reads the current snapshot, so a policy
 * update applies to the next request on existing connections; the compiled
 * {@link ConnectionRules} are cached per snapshot revision. Confined to the connection's event
 * loop.
 *
 * <p>The source's egress and the destination's ingress are audited when their endpoint (or the
 * node) is in audit mode, as the snapshot says: what they deny is forwarded as {@code AUDIT}.
 *
 * <p>Fail closed: no snapshot means deny; an exception from the rules means {@code ERROR}.
 */
public final class ConnectionPolicy {
    /**
     * Where every protocol handler (HTTP/1.1, HTTP/2, Kafka) finds its connection's policy and
     * context: set by the connection gate on every accepted channel; absent means close.
     */
    public static final AttributeKey<ConnectionPolicy> CHANNEL_ATTRIBUTE = AttributeKey.valueOf("portcullis.connection");

    private final Supplier<PolicySnapshot> policy;
    private final ConnectionContext connection;
    private PolicySnapshot cachedSnapshot;
    private long cachedRevision;
    private ConnectionRules rules;

    public ConnectionPolicy(Supplier<PolicySnapshot> policy, ConnectionContext connection) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    public ConnectionContext connection() {
        return connection;
    }

    /** The L3/L4 verdict under the current snapshot; DENIED when there is none. */
    public L4Verdict l4() {
        ConnectionRules current = rules();
        return current == null ? L4Verdict.DENIED : current.l4();
    }

    public Judgement judge(HttpRequestView request) {
        return judge(rules -> rules.decideHttp(request));
    }

    /** Judges a Kafka request, as {@link #judge(HttpRequestView)} an HTTP one. */
    public Judgement judge(KafkaRequestView request) {
        return judge(rules -> rules.decideKafka(request));
    }

    private Judgement judge(Function<ConnectionRules, Decision> decide) {
        try {
            ConnectionRules current = rules();
            if (current == null) {
                return Judgement.deny("no policy loaded");
            }
            switch (current.l4()) {
                case DENIED:
                    return Judgement.deny("denied by L3/L4 policy");
                case ALLOWED:
                    Decision audited = current.l4Audit();
                    return audited != null ? Judgement.of(audited)
                            : new Judgement(Judgement.Outcome.FORWARD, null, null, "allowed at L3/L4, no L7 rules",
                            List.of());
                default:
                    return Judgement.of(decide.apply(current));
            }
        } catch (RuntimeException e) {
            return new Judgement(Judgement.Outcome.ERROR, null, null, "policy evaluation failed: " + e, List.of());
        }
    }

    /**
     * The compiled rules under the current snapshot (cached per revision), or null when no
     * snapshot is loaded. For protocol handlers that adapt to the rules' shape (which protocol
     * the port speaks, whether Kafka topics must stay visible).
     */
    public ConnectionRules rules() {
        PolicySnapshot snapshot = policy.get();
        if (snapshot == null) {
            return null;
        }
        long revision = snapshot.revision();
        if (snapshot != cachedSnapshot || revision != cachedRevision || rules == null) {
            rules = snapshot.connection(connection.source().identity(), connection.destination().identity(),
                    connection.destination().port(), Protocol.TCP)
                    .withAudit(snapshot.audit(connection.source().endpoint()),
                            snapshot.audit(connection.destination().endpoint()));
            cachedSnapshot = snapshot;
            cachedRevision = revision;
        }
        return rules;
    }
}
