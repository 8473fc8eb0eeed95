package io.portcullis.parsers.kafka;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The topics a request names, in request order without duplicates. A policy that says "every topic
 * must be allowed" has to look at all four parts:
 *
 * <ul>
 *   <li>{@link #names()}: topics named by name.
 *   <li>{@link #ids()}: topics named only by topic ID (Fetch v13+, Produce v13+, Metadata by id,
 *       DeleteTopics v6+, OffsetCommit/OffsetFetch v10). The wire carries no name for them; the
 *       proxy must map IDs to names from the Metadata responses it relays, or deny.
 *   <li>{@link #allTopics()}: the request addresses every topic without naming any (Metadata with
 *       null topics, OffsetFetch of a whole group, ...).
 *   <li>{@link #fetchSession()}: an incremental Fetch (session epoch above 0) lists only the
 *       partitions that changed; the broker also serves every other partition of the fetch session,
 *       which was named by the full Fetch that created it, possibly on another connection. The
 *       proxy must judge those from its own record of the session, or deny.
 *   <li>{@link #extracted()}: false when the API may carry topics but this layer does not extract
 *       them ({@link #UNKNOWN}); a policy with topic conditions must then deny, to fail closed.
 * </ul>
 */
public final class KafkaTopics {
    /** The API carries no topics (ApiVersions, FindCoordinator, JoinGroup, ...). */
    public static final KafkaTopics NONE = new KafkaTopics(Set.of(), Set.of(), false, false, true);
    /** The API may carry topics, but this layer does not extract them. */
    public static final KafkaTopics UNKNOWN = new KafkaTopics(Set.of(), Set.of(), false, false, false);

    private final Set<String> names;
    private final Set<Uuid> ids;
    private final boolean allTopics;
    private final boolean fetchSession;
    private final boolean extracted;

    private KafkaTopics(Set<String> names, Set<Uuid> ids, boolean allTopics, boolean fetchSession,
            boolean extracted) {
        this.names = names;
        this.ids = ids;
        this.allTopics = allTopics;
        this.fetchSession = fetchSession;
        this.extracted = extracted;
    }

    public Set<String> names() {
        return names;
    }

    public Set<Uuid> ids() {
        return ids;
    }

    public boolean allTopics() {
        return allTopics;
    }

    public boolean fetchSession() {
        return fetchSession;
    }

    public boolean extracted() {
        return extracted;
    }

    /** True when the request names no topic in any way (and the API's topics are known). */
    public boolean isEmpty() {
        return extracted && !allTopics && !fetchSession && names.isEmpty() && ids.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KafkaTopics)) {
            return false;
        }
        KafkaTopics other = (KafkaTopics) o;
        return allTopics == other.allTopics && fetchSession == other.fetchSession && extracted == other.extracted
                && names.equals(other.names) && ids.equals(other.ids);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + ids.hashCode() + (allTopics ? 1 : 0) + (fetchSession ? 2 : 0)
                + (extracted ? 4 : 0);
    }

    @Override
    public String toString() {
        if (!extracted) {
            return "KafkaTopics(unknown)";
        }
        return "KafkaTopics(names=" + names + ", ids=" + ids + (allTopics ? ", all topics" : "")
                + (fetchSession ? ", fetch session" : "") + ")";
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects topics while walking a request. */
    static final class Builder {
        private final Set<String> names = new LinkedHashSet<>();
        private final Set<Uuid> ids = new LinkedHashSet<>();
        private boolean allTopics;
        private boolean fetchSession;

        Builder name(String name) {
            names.add(name);
            return this;
        }

        /**
         * A topic entry that may carry a name, an ID or both (an unset ID is the zero UUID, an unset
         * name empty or null). Both are recorded when both are set, and an entry with neither counts
         * as the empty name, so that it can never make a request look topic-free.
         */
        Builder topic(String name, Uuid id) {
            boolean hasId = id != null && !Uuid.ZERO_UUID.equals(id);
            if (name != null && !name.isEmpty() || !hasId) {
                names.add(name == null ? "" : name);
            }
            if (hasId) {
                ids.add(id);
            }
            return this;
        }

        Builder allTopics() {
            allTopics = true;
            return this;
        }

        Builder fetchSession() {
            fetchSession = true;
            return this;
        }

        KafkaTopics build() {
            return new KafkaTopics(Collections.unmodifiableSet(names), Collections.unmodifiableSet(ids), allTopics,
                    fetchSession, true);
        }
    }
}
