package io.portcullis.api.feed;

import java.util.List;

/** Access-log records the proxy wrote, each one JSON object as it appears in the access log. */
public record AccessLogRecords(List<String> records) implements FeedMessage {
    public AccessLogRecords {
        records = List.copyOf(records);
    }
}
