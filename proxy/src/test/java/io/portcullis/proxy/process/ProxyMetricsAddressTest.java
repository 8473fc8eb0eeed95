package io.portcullis.proxy.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyMetricsAddressTest {
    @TempDir
    Path dir;

    @Test
    void aTakenProxyMetricsAddressStopsTheProxyAtStartNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.createDirectories(dir.resolve("policies"));
            Path config = Files.writeString(dir.resolve("agent.yaml"), """
                    policyDir: policies
                    apiSocket: run/agent.sock
                    listeners: [{port: 0, upstream: "127.0.0.1:9"}]
                    metrics: {proxyListen: "127.0.0.1:%d"}
                    """.formatted(taken.getLocalPort()));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream original = System.err;
            int exit;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                exit = ProxyMain.run("--config", config.toString());
            } finally {
                System.setErr(original);
            }

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("metrics.proxyListen: cannot serve metrics on "
                    + "127.0.0.1:" + taken.getLocalPort());
        }
    }
}
