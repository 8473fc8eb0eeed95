package io.portcullis.api.feed;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message on the feed socket, tagged by its {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = Snapshot.class, name = "snapshot"),
        @JsonSubTypes.Type(value = Applied.class, name = "applied"),
        @JsonSubTypes.Type(value = AccessLogRecords.class, name = "accessLog"),
        @JsonSubTypes.Type(value = Watching.class, name = "watching")})
public sealed interface FeedMessage permits Hello, Snapshot, Applied, AccessLogRecords, Watching {
}
