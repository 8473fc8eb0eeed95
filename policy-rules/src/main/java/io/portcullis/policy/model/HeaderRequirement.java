package io.portcullis.policy.model;

import io.portcullis.policy.http.HttpRequestView;
import java.util.List;
import java.util.Objects;

/** One {@code headers} item: {@code "Name: value"} (some value equals it) or {@code "Name"} (present). */
public record HeaderRequirement(String name, String value) {
    public HeaderRequirement {
        Objects.requireNonNull(name, "name");
    }

    public boolean matches(HttpRequestView request) {
        return HeaderRequirement.satisfied(name, request.headers(name), value);
    }

    /**
     * Presence when {@code value} is null, else the field's one combined value equal to it:
     * repeated copies are one list (RFC 9110 §5.3), joined with "," as Envoy matches them, and
     * {@code cookie} crumbs with "; " (RFC 9113 §8.2.3). So no copy satisfies a rule on its own
     * while the upstream may read another: {@code X: a} is not matched by copies {@code a} and {@code b}.
     */
    static boolean satisfied(String name, List<String> present, String value) {
        if (present.isEmpty()) {
            return false;
        }
        if (value == null) {
            return true;
        }
        if (present.size() == 1) {
            return value.equals(present.get(0));
        }
        return value.equals(String.join("cookie".equalsIgnoreCase(name) ? "; " : ",", present));
    }

    @Override
    public String toString() {
        return value == null ? name : name + ": " + value;
    }
}
