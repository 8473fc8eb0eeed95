package io.portcullis.policy.resolve;

import io.portcullis.policy.model.Policy;
import java.util.List;

/** Builds the {@link PolicySnapshot} the proxy swaps in on every policy change. */
public final class PolicyCompiler {
    private PolicyCompiler() {
    }

    /**
     * Compiles {@code policies} (already validated, regexes compiled) into a snapshot. Selection
     * works from identities' labels, so identities allocated later are judged correctly too.
     *
     * @param context the named ports and services rules refer to
     */
    public static CompiledPolicySnapshot compile(List<Policy> policies, long revision, PolicyContext context) {
        return new CompiledPolicySnapshot(policies, revision, context);
    }

    /** Compiles without named ports or services, as {@code policy explain} and tests do. */
    public static CompiledPolicySnapshot compile(List<Policy> policies, long revision) {
        return compile(policies, revision, PolicyContext.NONE);
    }
}
