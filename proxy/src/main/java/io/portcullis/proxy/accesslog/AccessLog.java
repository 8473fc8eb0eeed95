package io.portcullis.proxy.accesslog;

import java.util.List;

/**
 * Where access-log entries go. {@link #log} is called on event-loop threads for every request
 * and response record: implementations must return quickly and never throw.
 */
public interface AccessLog extends AutoCloseable {
    AccessLog DISCARD = entry -> { };

    void log(AccessLogEntry entry);

    /** Flushes and releases resources; the proxy never closes the log it was given. */
    @Override
    default void close() {
    }

    /** All of {@code sinks}, in order. */
    static AccessLog tee(AccessLog... sinks) {
        return new TeeAccessLog(List.of(sinks));
    }
}
