package io.portcullis.proxy.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.portcullis.config.KafkaConfig;
import io.portcullis.parsers.kafka.KafkaFrameDecoder;
import io.portcullis.policy.resolve.ConnectionRules;
import io.portcullis.policy.resolve.L4Verdict;
import io.portcullis.proxy.accesslog.AccessLog;
import io.portcullis.proxy.policy.ConnectionPolicy;
import io.portcullis.proxy.server.ProtocolBranch;

/**
 * Kafka: a request starts with its 4-byte big-endian size, so the first byte of any frame the
 * broker accepts (at most 100 MiB) is 0x00 to 0x06, and a negative size starts at 0x80. The branch
 * takes every first byte that cannot start HTTP (controls other than CR and LF, and 0x7F and up);
 * the frame decoder then refuses sizes that are negative or too large, so all non-HTTP input is
 * judged, and closed if it is not Kafka, with a Kafka log line.
 *
 * <p>The policy chooses the protocol too: Kafka on a port whose L7 rules are not Kafka rules is
 * refused, as is HTTP on a port whose L7 rules are Kafka rules only ({@link #refusingOnKafkaPorts}).
 * A port without L7 rules (L3/L4 allowed) takes either; its Kafka requests are still framed,
 * checked and logged.
 */
public final class KafkaBranch implements ProtocolBranch {
    private final KafkaConnector connector;
    private final AccessLog accessLog;
    private final KafkaConfig config;

    public KafkaBranch(KafkaConnector connector, AccessLog accessLog, KafkaConfig config) {
        this.connector = connector;
        this.accessLog = accessLog;
        this.config = config;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Match match(ByteBuf prefix) {
        int b = prefix.getUnsignedByte(prefix.readerIndex());
        return b < 0x20 && b != '\r' && b != '\n' || b >= 0x7f ? Match.YES : Match.NO;
    }

    @Override
    public void install(Channel channel) {
        ConnectionRules rules = rules(channel);
        if (rules != null && rules.l4() == L4Verdict.L7 && !rules.kafkaPort()) {
            channel.pipeline().addLast("refused", new ProtocolRefusal("kafka", accessLog,
                    "Kafka on a port whose L7 rules are not Kafka rules"));
            return;
        }
        channel.pipeline().addLast("kafkaDecoder", new KafkaFrameDecoder())
                .addLast("kafka", new KafkaProxyHandler(connector, accessLog, config.maxReadResponseBytes()));
    }

    /**
     * {@code http} (an HTTP/1.1 or HTTP/2 branch) as it is, except on connections whose L7 rules are
     * Kafka rules only: those are logged and closed instead of being answered in HTTP.
     */
    public static ProtocolBranch refusingOnKafkaPorts(ProtocolBranch http, AccessLog accessLog) {
        return new ProtocolBranch() {
            @Override
            public String name() {
                return http.name();
            }

            @Override
            public Match match(ByteBuf prefix) {
                return http.match(prefix);
            }

            @Override
            public void install(Channel channel) {
                ConnectionRules rules = rules(channel);
                if (rules != null && rules.kafkaPort() && !rules.httpPort()) {
                    channel.pipeline().addLast("refused", new ProtocolRefusal("http", accessLog,
                            "HTTP on a port whose L7 rules are Kafka rules"));
                } else {
                    http.install(channel);
                }
            }
        };
    }

    /** Null when there is no policy: the handlers then deny every request themselves. */
    private static ConnectionRules rules(Channel channel) {
        ConnectionPolicy policy = channel.attr(ConnectionPolicy.CHANNEL_ATTRIBUTE).get();
        return policy == null ? null : policy.rules();
    }
}
