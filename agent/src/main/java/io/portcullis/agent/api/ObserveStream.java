package io.portcullis.agent.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.portcullis.agent.observe.FlowFilter;
import io.portcullis.agent.observe.FlowHistory;
import io.portcullis.agent.observe.FlowHistory.Subscription;
import io.portcullis.agent.observe.FlowRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/observe}: the flow stream (L7 records and the kernel's flows) as chunked JSON
 * lines. Query: the {@link FlowFilter} filters, {@code since} (an RFC 3339 instant) and {@code last}
 * (the last N matching records kept) select from the history, {@code follow=true} keeps streaming
 * live records until the client goes away; without {@code follow} the stream ends after the
 * history. {@code /v1/monitor} is {@code /v1/observe?follow=true} without history. A watcher that
 * cannot keep up loses records (traffic is never slowed down for it), and is told how many with a
 * {@code {"lost": n}} line once it catches up, as Hubble does. Bad parameters answer 400.
 */
final class ObserveStream {
    static final String PATH = "/v1/observe";
    static final String MONITOR_PATH = "/v1/monitor";

    private final FlowHistory history;

    ObserveStream(FlowHistory history) {
        this.history = history;
    }

    void attach(Channel channel, String path, Map<String, List<String>> query) {
        FlowFilter filter;
        Instant since;
        int last;
        boolean follow;
        try {
            filter = FlowFilter.of(query);
            since = query.containsKey("since") ? Instant.parse(query.get("since").get(0)) : null;
            last = query.containsKey("last") ? Integer.parseInt(query.get("last").get(0)) : -1;
            if (query.containsKey("last") && last < 0) {
                throw new IllegalArgumentException("last " + last + ": expected a number of flows, 0 or more");
            }
            follow = path.equals(MONITOR_PATH) || "true".equals(first(query, "follow"));
            if (path.equals(MONITOR_PATH)) {
                last = 0;
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            reject(channel, e.getMessage());
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(head);
        AtomicLong lost = new AtomicLong();
        int limit = last;
        Subscription subscription = history.replayAndSubscribe(records -> {
            List<FlowRecord> selected = records.stream().filter(filter)
                    .filter(r -> since == null || r.time() != null && !r.time().isBefore(since)).toList();
            int from = limit < 0 ? 0 : Math.max(0, selected.size() - limit);
            StringBuilder replay = new StringBuilder();
            for (FlowRecord record : selected.subList(from, selected.size())) {
                replay.append(record.json()).append('\n');
            }
            if (!replay.isEmpty()) {
                channel.writeAndFlush(new DefaultHttpContent(utf8(replay.toString())));
            }
        }, !follow ? null : record -> {
            if (!filter.test(record)) {
                return;
            }
            if (!channel.isWritable()) {
                lost.incrementAndGet();
                return;
            }
            String line = record.json() + "\n";
            long missed = lost.getAndSet(0);
            if (missed > 0) {
                line = "{\"lost\":" + missed + "}\n" + line;
            }
            channel.writeAndFlush(new DefaultHttpContent(utf8(line)));
        });
        if (follow) {
            channel.closeFuture().addListener(f -> subscription.close());
        } else {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void reject(Channel channel, String message) {
        byte[] json = ApiHandler.JSON.createObjectNode().put("error", message).toString()
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
