package io.portcullis.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A prior-knowledge HTTP/2 server recording every stream it sees. Paths starting with
 * {@code /hold} are never answered (their streams stay open); {@code /stall} streams are never
 * read (the request body backs up into flow control); everything else gets {@code 200} with a
 * body describing the request once the request ended, or, when built to answer early, as soon as
 * the request's HEADERS arrive (the request stream then goes on while the response has ended).
 */
public final class H2TestUpstream extends TestServer {
    public record Received(Http2Headers headers, int bodyBytes, boolean ended) {
    }

    public final List<Http2Headers> streams = new CopyOnWriteArrayList<>();
    public final List<Received> completed = new CopyOnWriteArrayList<>();
    public final List<Long> resets = new CopyOnWriteArrayList<>();
    private final boolean answerOnHeaders;

    public H2TestUpstream() {
        this(false);
    }

    public H2TestUpstream(boolean answerOnHeaders) {
        this.answerOnHeaders = answerOnHeaders;
        serve("127.0.0.1", new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(new Http2Settings().initialWindowSize(65535)).build(),
                        new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.config().setAutoRead(false);
                                stream.pipeline().addLast(new StreamHandler());
                            }
                        }));
            }
        });
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private Http2Headers headers;
        private boolean answered;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame && headers == null) {
                    headers = ((Http2HeadersFrame) msg).headers();
                    streams.add(headers);
                    end = ((Http2HeadersFrame) msg).isEndStream();
                } else if (msg instanceof Http2HeadersFrame) {
                    end = true;
                } else if (msg instanceof Http2DataFrame) {
                    ByteBuf content = ((Http2DataFrame) msg).content();
                    content.getBytes(content.readerIndex(), body, content.readableBytes());
                    end = ((Http2DataFrame) msg).isEndStream();
                }
                String path = headers.path().toString();
                if (path.startsWith("/stall")) {
                    return;
                }
                boolean hold = path.startsWith("/hold");
                if (!hold && !answered && (end || answerOnHeaders)) {
                    answered = true;
                    respond(ctx, path);
                }
                if (end) {
                    completed.add(new Received(headers, body.size(), true));
                } else {
                    ctx.read();
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void respond(ChannelHandlerContext ctx, String path) {
            byte[] text = ("upstream saw " + headers.method() + " " + path + " body=" + body.size())
                    .getBytes(StandardCharsets.UTF_8);
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(text), true));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                resets.add(((Http2ResetFrame) evt).errorCode());
            }
        }
    }
}
