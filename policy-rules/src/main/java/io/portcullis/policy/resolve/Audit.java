package io.portcullis.policy.resolve;

/**
 * Why a denial is forwarded rather than enforced, as Cilium's policy audit mode does, from the
 * narrowest switch to the widest. A direction whose denial is audited still reports what it
 * would deny and by which rule; only the enforcement is lifted.
 */
public enum Audit {
    /** Enforced: a denial is a denial. */
    NONE,
    /**
     * The denial comes from policies annotated {@code portcullis.io/audit: "true"} alone: the
     * other policies allow it.
     */
    POLICY,
    /** The endpoint whose rules deny is in audit mode ({@code endpoint config NAME audit=on}). */
    ENDPOINT,
    /** The node is in audit mode ({@code policyAuditMode: true} in the agent's configuration). */
    NODE;

    public boolean audited() {
        return this != NONE;
    }

    /**
     * Why the denial by {@code direction}'s rules is forwarded, e.g. {@code the destination
     * endpoint is in audit mode}.
     *
     * @param policy the policy in audit mode whose rules deny, for {@link #POLICY}
     */
    public String describe(String policy, Direction direction) {
        return switch (this) {
            case NONE -> "";
            case POLICY -> "policy \"" + policy + "\" is in audit mode (annotation portcullis.io/audit)";
            case ENDPOINT -> "the " + (direction == Direction.EGRESS ? "source" : "destination")
                    + " endpoint is in audit mode";
            case NODE -> "the node is in audit mode (policyAuditMode)";
        };
    }
}
