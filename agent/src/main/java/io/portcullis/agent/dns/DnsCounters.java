package io.portcullis.agent.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the DNS proxy did, counted since the agent started; for {@code status} and tests. */
public final class DnsCounters {
    final AtomicLong allowed = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    /** Messages that do not parse as one DNS query (truncated, garbage, no question), dropped. */
    final AtomicLong malformed = new AtomicLong();
    /** Queries without a recorded original destination (not steered by the kernel), dropped. */
    final AtomicLong unsteered = new AtomicLong();
    /** Queries the resolver did not answer (in time, or with a parseable answer). */
    final AtomicLong upstreamFailed = new AtomicLong();
    /** Queries dropped because the proxy was at its limit of queries in flight. */
    final AtomicLong overloaded = new AtomicLong();

    /** Counter name -> value, in a fixed order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("allowed", allowed.get());
        values.put("refused", refused.get());
        values.put("malformed", malformed.get());
        values.put("unsteered", unsteered.get());
        values.put("upstreamFailed", upstreamFailed.get());
        values.put("overloaded", overloaded.get());
        return values;
    }
}
