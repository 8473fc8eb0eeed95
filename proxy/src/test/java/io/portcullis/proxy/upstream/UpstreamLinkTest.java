package io.portcullis.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream life cycle on an embedded channel whose connect the test completes. */
class UpstreamLinkTest {
    private final List<String> events = new ArrayList<>();
    private final List<EmbeddedChannel> opened = new ArrayList<>();
    private ChannelPromise connect;

    private final UpstreamLink<ByteBuf> link = new UpstreamLink<>(new UpstreamLink.Owner<>() {
        @Override
        public ChannelFuture open() {
            EmbeddedChannel channel = new EmbeddedChannel();
            opened.add(channel);
            connect = channel.newPromise();
            events.add("open");
            return connect;
        }

        @Override
        public void write(Channel upstream, ByteBuf message) {
            events.add("write " + message.toString(StandardCharsets.US_ASCII));
            message.release();
        }

        @Override
        public void connected(Channel upstream) {
            events.add("connected");
        }

        @Override
        public void connectFailed(Throwable cause) {
            events.add("failed " + cause.getMessage());
        }
    });

    @AfterEach
    void close() {
        opened.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void whatIsSentBeforeTheConnectGoesOutInOrderOnceItCompletes() {
        link.open();
        link.send(text("a"));
        link.send(text("b"));
        assertThat(link.connected()).isFalse();
        assertThat(link.writable()).as("the client is not read before the upstream can take it").isFalse();
        assertThat(events).containsExactly("open");

        connect.setSuccess();
        link.send(text("c"));

        assertThat(events).containsExactly("open", "write a", "write b", "connected", "write c");
        assertThat(link.connected()).isTrue();
        assertThat(link.writable()).isTrue();
        assertThat(link.is(opened.get(0))).isTrue();
    }

    @Test
    void openingTwiceKeepsTheConnectionThereIs() {
        link.open();
        link.open();

        assertThat(opened).hasSize(1);
    }

    @Test
    void aFailedConnectReleasesWhatWaitedAndClosesTheLink() {
        link.open();
        ByteBuf waiting = text("a");
        link.send(waiting);

        connect.setFailure(new IOException("refused"));

        assertThat(waiting.refCnt()).isZero();
        assertThat(events).containsExactly("open", "failed refused");
        assertThat(link.isOpen()).isFalse();
    }

    @Test
    void closingReleasesWhatWaitedAndALateConnectIsIgnored() {
        link.open();
        ByteBuf waiting = text("a");
        link.send(waiting);
        EmbeddedChannel first = opened.get(0);

        link.close();
        connect.setSuccess();

        assertThat(waiting.refCnt()).isZero();
        assertThat(first.isOpen()).isFalse();
        assertThat(link.is(first)).as("events of a closed connection are stale").isFalse();
        assertThat(events).containsExactly("open");
    }

    @Test
    void aMessageSentWithNoConnectionIsReleased() {
        ByteBuf nowhere = text("a");

        link.send(nowhere);

        assertThat(nowhere.refCnt()).isZero();
        assertThat(opened).isEmpty();
    }

    @Test
    void aNewConnectionAfterACloseIsAnotherChannel() {
        link.open();
        connect.setSuccess();
        link.close();

        link.open();

        assertThat(opened).hasSize(2);
        assertThat(link.is(opened.get(0))).isFalse();
        assertThat(link.is(opened.get(1))).isTrue();
        assertThat(link.connected()).isFalse();
    }
}
