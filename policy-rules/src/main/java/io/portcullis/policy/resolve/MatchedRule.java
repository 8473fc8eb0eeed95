package io.portcullis.policy.resolve;

/** The L7 rule a request matched: its policy and where it was written. */
public record MatchedRule(String policy, String path) {
    /** {@code policy "api" ingress[0].toPorts[0].rules.http[1]}. */
    @Override
    public String toString() {
        return "policy \"" + policy + "\" " + path;
    }
}
