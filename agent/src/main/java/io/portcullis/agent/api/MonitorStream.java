package io.portcullis.agent.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.agent.proxy.AccessLogStream;
import io.portcullis.agent.proxy.AccessLogStream.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /v1/monitor}: the access log as a never-ending chunked stream of JSON lines. A
 * watcher that cannot keep up loses records (the proxy is never slowed down for it), and is told
 * how many with a {@code {"lost": n}} line once it catches up, as Hubble does.
 */
final class MonitorStream {
    static final String PATH = "/v1/monitor";

    private final AccessLogStream subscribers;

    MonitorStream(AccessLogStream subscribers) {
        this.subscribers = subscribers;
    }

    void attach(Channel channel) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.writeAndFlush(head);
        AtomicLong lost = new AtomicLong();
        Subscription subscription = subscribers.subscribe(record -> {
            if (!channel.isWritable()) {
                lost.incrementAndGet();
                return;
            }
            String line = record + "\n";
            long missed = lost.getAndSet(0);
            if (missed > 0) {
                line = "{\"lost\":" + missed + "}\n" + line;
            }
            ByteBuf bytes = Unpooled.copiedBuffer(line, StandardCharsets.UTF_8);
            channel.writeAndFlush(new DefaultHttpContent(bytes));
        });
        channel.closeFuture().addListener(f -> subscription.close());
    }
}
