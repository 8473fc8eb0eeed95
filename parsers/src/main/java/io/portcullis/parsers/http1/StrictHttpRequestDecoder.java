package io.portcullis.parsers.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Netty's {@link HttpRequestDecoder} with strict settings, preceded by a {@link HeadScanner} pass
 * over every request head. Each head is handed to Netty only once it is complete and valid, so
 * Netty never unfolds, trims or guesses. Bodies are not scanned: Netty frames them (Content-Length
 * or chunked) and emits {@link io.netty.handler.codec.http.HttpContent}s as usual.
 *
 * <p>After the first failure (ours or Netty's) the decoder emits one message whose
 * {@link DecoderResult} is the failure (cause mappable with {@link Rejections#of}) and discards all
 * further input: the connection cannot be resynchronised and must be answered and closed.
 *
 * <p>Semantic checks on the decoded head (framing headers, Host, request target) are done by
 * {@link Http1RequestValidator}.
 */
public final class StrictHttpRequestDecoder extends HttpRequestDecoder {
    /** Headroom so that our own limit checks (exact statuses) fire before Netty's. */
    private static final int NETTY_LIMIT_HEADROOM = 1024;

    private final HeadScanner scanner;
    private boolean atMessageStart = true;
    private boolean failed;

    public StrictHttpRequestDecoder(int maxInitialLineLength, int maxHeaderSize, int maxChunkSize) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxInitialLineLength + NETTY_LIMIT_HEADROOM)
                .setMaxHeaderSize(maxHeaderSize + NETTY_LIMIT_HEADROOM)
                .setMaxChunkSize(maxChunkSize)
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setChunkedSupported(true)
                .setAllowPartialChunks(true));
        this.scanner = new HeadScanner(maxInitialLineLength, maxHeaderSize);
    }

    /** True when bytes of a next, not yet complete, request are buffered. */
    public boolean hasBufferedInput() {
        return actualReadableBytes() > 0;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (atMessageStart) {
            int headLength;
            try {
                headLength = scanner.scan(in);
            } catch (BadRequestException e) {
                failed = true;
                in.skipBytes(in.readableBytes());
                out.add(invalidRequest(e));
                return;
            }
            if (headLength < 0) {
                return;
            }
            scanner.reset();
            atMessageStart = false;
        }
        int before = out.size();
        // Netty decodes at most one head per call and a head only at a message start (tests pin
        // this), so every head Netty parses has just been scanned.
        super.decode(ctx, in, out);
        for (int i = before; i < out.size(); i++) {
            Object message = out.get(i);
            if (message instanceof DecoderResultProvider
                    && ((DecoderResultProvider) message).decoderResult().isFailure()) {
                failed = true;
            }
            if (message instanceof LastHttpContent) {
                atMessageStart = true;
            }
        }
    }

    private static DefaultFullHttpRequest invalidRequest(BadRequestException cause) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request");
        request.setDecoderResult(DecoderResult.failure(cause));
        return request;
    }
}
