package io.portcullis.tests.steering;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which policy variant was in force when: {@code initial} until the first change, and for each
 * change the time it started (nothing can judge by it before) and the time the proxy reported it
 * judges by it. Between the two, either variant may judge a request; outside, only one.
 * {@link #variantsDuring} answers every variant a request that ran from one time to another may
 * have been judged by.
 */
final class PolicyTimeline {
    private record Change(long startMicros, long appliedMicros, String variant) {
    }

    private final String initial;
    private final List<Change> changes = new ArrayList<>();

    PolicyTimeline(String initial) {
        this.initial = initial;
    }

    void changed(long startMicros, long appliedMicros, String variant) {
        changes.add(new Change(startMicros, appliedMicros, variant));
    }

    Set<String> variantsDuring(long fromMicros, long toMicros) {
        Set<String> variants = new HashSet<>();
        String before = initial;
        for (Change change : changes) {
            if (change.startMicros <= toMicros && change.appliedMicros >= fromMicros) {
                variants.add(before);
                variants.add(change.variant);
            }
            if (change.appliedMicros <= fromMicros) {
                before = change.variant;
            } else if (change.startMicros > toMicros) {
                break;
            }
        }
        if (variants.isEmpty()) {
            variants.add(before);
        }
        return variants;
    }

    /**
     * The probes ({@link RestartLoadMain#PROBE_PATHS}: index, from, to, status) whose status no
     * variant in force while they ran would have given: {@code /public/} 200 and {@code /private/}
     * 403 always, {@code /even/} and {@code /odd/} 200 only under their variant.
     */
    List<String> misjudged(JsonNode probes) {
        List<String> wrong = new ArrayList<>();
        for (JsonNode probe : probes) {
            String path = RestartLoadMain.PROBE_PATHS.get(probe.get(0).asInt());
            Set<String> variants = variantsDuring(probe.get(1).asLong(), probe.get(2).asLong());
            int status = probe.get(3).asInt();
            if (variants.stream().noneMatch(variant -> expected(path, variant) == status)) {
                wrong.add(path + " -> " + status + " at " + probe.get(1).asLong() + " under " + variants);
            }
        }
        return wrong;
    }

    private static int expected(String path, String variant) {
        if (path.startsWith("/public/")) {
            return 200;
        }
        return path.startsWith("/" + variant + "/") ? 200 : 403;
    }
}
