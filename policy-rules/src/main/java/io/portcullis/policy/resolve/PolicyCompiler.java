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
     */
    public static CompiledPolicySnapshot compile(List<Policy> policies, long revision) {
        return new CompiledPolicySnapshot(policies, revision);
    }
}
