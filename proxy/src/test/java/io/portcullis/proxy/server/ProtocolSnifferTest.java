package io.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class ProtocolSnifferTest {
    /** Records what reached the installed pipeline. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final StringBuilder bytes = new StringBuilder();
        boolean active;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.append(((ByteBuf) msg).toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(msg);
        }
    }

    private final List<String> installed = new ArrayList<>();
    private final Sink sink = new Sink();

    private ProtocolBranch branch(String name, String prefix) {
        return new ProtocolBranch() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Match match(ByteBuf in) {
                int n = Math.min(in.readableBytes(), prefix.length());
                for (int i = 0; i < n; i++) {
                    if (in.getByte(in.readerIndex() + i) != prefix.charAt(i)) {
                        return Match.NO;
                    }
                }
                return n == prefix.length() ? Match.YES : Match.NEED_MORE;
            }

            @Override
            public void install(Channel channel) {
                installed.add(name);
                channel.pipeline().addLast(sink);
            }
        };
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ProtocolSniffer(List.of(branch("h2", "PRI *"), branch("http1", "G")),
                Duration.ofSeconds(5)));
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void firstMatchingBranchGetsTheConnectionAndEveryByte() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("PR"));
        assertThat(installed).isEmpty();   // still a prefix of the preface: wait
        ch.writeInbound(ascii("I * HTTP/2.0"));

        assertThat(installed).containsExactly("h2");
        assertThat(sink.active).isTrue();
        assertThat(sink.bytes.toString()).isEqualTo("PRI * HTTP/2.0");
        assertThat(ch.pipeline().get(ProtocolSniffer.class)).isNull();
        ch.writeInbound(ascii("more"));
        assertThat(sink.bytes.toString()).endsWith("more");
    }

    @Test
    void laterBranchIsAskedWhenEarlierOnesRefuse() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("GET / HTTP/1.1\r\n"));
        assertThat(installed).containsExactly("http1");
        assertThat(sink.bytes.toString()).isEqualTo("GET / HTTP/1.1\r\n");
    }

    @Test
    void bytesNoBranchAcceptsCloseTheConnection() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 42, 0, 3}));   // a Kafka request
        assertThat(installed).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void silenceTimesOut() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new ProtocolSniffer(List.of(branch("h2", "PRI")),
                Duration.ofMillis(20)));
        Thread.sleep(50);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }
}
