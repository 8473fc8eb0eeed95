package io.portcullis.api.feed;

/**
 * Whether anyone follows the access log through the agent ({@code portcullis monitor}): only then
 * does the proxy send its records over the feed, so an unwatched proxy spends nothing on it.
 */
public record Watching(boolean watched) implements FeedMessage {
}
