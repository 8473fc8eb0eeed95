package io.portcullis.proxy.kafka;

import io.portcullis.parsers.kafka.KafkaProtocolException;
import io.portcullis.parsers.kafka.KafkaRequestFrame;
import io.portcullis.parsers.kafka.KafkaTopics;
import io.portcullis.policy.kafka.KafkaRequestView;
import java.util.List;
import java.util.Set;

/**
 * A request frame as the policy sees it. The header fields are read from the already parsed
 * header; {@link #topics()} decodes the body, and is only called by the policy when a topic rule
 * has to look (see {@code KafkaRules}). A body that does not parse is remembered as
 * {@link #failure()} (the handler then closes the connection) rather than thrown through the
 * policy, which would turn bad input into a policy error.
 */
final class FrameView implements KafkaRequestView {
    private final KafkaRequestFrame frame;
    private KafkaTopics topics;
    private KafkaProtocolException failure;

    FrameView(KafkaRequestFrame frame) {
        this.frame = frame;
    }

    @Override
    public int apiKey() {
        return frame.apiKey().id;
    }

    @Override
    public int apiVersion() {
        return frame.apiVersion();
    }

    @Override
    public String clientId() {
        return frame.clientId();
    }

    /** Null (unknowable) for all-topics requests, topic IDs, fetch sessions and unextracted APIs. */
    @Override
    public Set<String> topics() {
        if (topics == null && failure == null) {
            try {
                topics = frame.topics();
            } catch (KafkaProtocolException e) {
                failure = e;
            }
        }
        if (topics == null || !topics.extracted() || topics.allTopics() || topics.fetchSession()
                || !topics.ids().isEmpty()) {
            return null;
        }
        return topics.names();
    }

    /** The body failed to parse while the policy read it. */
    KafkaProtocolException failure() {
        return failure;
    }

    /**
     * For the access log: the topic names when the body was decoded, else null. A denied request
     * is decoded here if the policy did not need to (an API key it does not allow): its answer is
     * built from the body anyway, and the operator needs to see which topics were refused.
     */
    List<String> loggedTopics(boolean denied) {
        if (denied) {
            topics();
        }
        return topics == null ? null : List.copyOf(topics.names());
    }
}
