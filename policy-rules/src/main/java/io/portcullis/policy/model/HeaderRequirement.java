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
        return HeaderRequirement.satisfied(request.headers(name), value);
    }

    /** Presence when {@code value} is null, else some value equal to it. */
    static boolean satisfied(List<String> present, String value) {
        if (value == null) {
            return !present.isEmpty();
        }
        for (int i = 0; i < present.size(); i++) {
            if (value.equals(present.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return value == null ? name : name + ": " + value;
    }
}
