package io.portcullis.proxy.server;

import io.portcullis.proxy.testing.FakePolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections the proxy cannot resolve (on the transparent port: no steered original destination)
 * are closed, and a flood of them writes a bounded number of operator log lines.
 */
class UnresolvedConnectionLogTest {
    private final Logger gateLogger = Logger.getLogger(ConnectionGate.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        gateLogger.removeHandler(capture);
        proxy.close();
    }

    @Test
    void aFloodOfUnresolvableConnectionsIsClosedAndLoggedBoundedly() throws Exception {
        gateLogger.addHandler(capture);
        proxy = ProxyServer.builder().eventLoopThreads(1).policy(FakePolicy::l7).accessLog(e -> { })
                .listener(new InetSocketAddress("127.0.0.1", 0), channel -> {
                    throw new IllegalStateException("no original destination: not a steered connection");
                }).build();
        proxy.start();
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", proxy.boundPort(0)); InputStream in = s.getInputStream()) {
                s.setSoTimeout(2000);
                assertThat(in.read()).as("closed by the proxy").isEqualTo(-1);
            }
        }
        assertThat(records).hasSizeBetween(1, 2);
        assertThat(records.get(0).getMessage()).contains("cannot resolve");
    }
}
