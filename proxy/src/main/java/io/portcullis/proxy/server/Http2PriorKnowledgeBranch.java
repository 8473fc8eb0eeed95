package io.portcullis.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.portcullis.proxy.http2.Http2Installer;

/** HTTP/2 with prior knowledge: the connection starts with the client preface {@code PRI * HTTP/2.0…}. */
final class Http2PriorKnowledgeBranch implements ProtocolBranch {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final Http2Installer installer;

    Http2PriorKnowledgeBranch(Http2Installer installer) {
        this.installer = installer;
    }

    @Override
    public String name() {
        return "http2";
    }

    @Override
    public Match match(ByteBuf prefix) {
        int n = Math.min(prefix.readableBytes(), PREFACE.readableBytes());
        for (int i = 0; i < n; i++) {
            if (prefix.getByte(prefix.readerIndex() + i) != PREFACE.getByte(PREFACE.readerIndex() + i)) {
                return Match.NO;
            }
        }
        return n == PREFACE.readableBytes() ? Match.YES : Match.NEED_MORE;
    }

    @Override
    public void install(Channel channel) {
        installer.install(channel);
    }
}
