package io.portcullis.policy.model;

import java.util.Objects;

/**
 * What to do with a request header whose {@code headerMatches} entry did not match, as Cilium's
 * {@code mismatch}: only log it, add it, delete it or replace its value.
 */
public record HeaderAction(Kind kind, String name, String value) {
    public enum Kind { LOG, ADD, DELETE, REPLACE }

    public HeaderAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
