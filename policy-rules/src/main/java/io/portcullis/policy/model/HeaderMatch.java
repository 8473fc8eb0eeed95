package io.portcullis.policy.model;

import io.portcullis.policy.http.HttpRequestView;
import java.util.Objects;

/**
 * One {@code headerMatches} item. Without {@code mismatch} a request lacking the header (or the
 * value) fails the rule; with it, the rule still matches and the action is applied instead.
 *
 * @param value    the exact value required, or null for presence only
 * @param mismatch what to do when the header does not match, or null to fail the rule
 */
public record HeaderMatch(String name, String value, HeaderAction.Kind mismatch) {
    public HeaderMatch {
        Objects.requireNonNull(name, "name");
    }

    public boolean matches(HttpRequestView request) {
        return HeaderRequirement.satisfied(name, request.headers(name), value);
    }

    /** The action to take when the header does not match; only valid when {@code mismatch} is set. */
    public HeaderAction action() {
        return new HeaderAction(mismatch, name, value == null ? "" : value);
    }

    @Override
    public String toString() {
        return name + (value == null ? "" : ": " + value) + (mismatch == null ? "" : " (mismatch " + mismatch + ")");
    }
}
