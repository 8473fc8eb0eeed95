package io.portcullis.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Debian's {@code prometheus} server on loopback, scraping the given jobs every second, queried
 * over its HTTP API. Its data lives under the directory given; {@link #close} stops it.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(40);
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** @param jobs job name to {@code host:port} scraped at {@code /metrics} */
    public static PrometheusServer start(Path dir, Map<String, String> jobs) throws IOException, InterruptedException {
        StringBuilder config = new StringBuilder("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                + "scrape_configs:\n");
        jobs.forEach((job, target) -> config.append("  - job_name: ").append(job)
                .append("\n    static_configs: [{targets: [\"").append(target).append("\"]}]\n"));
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        Process process = new ProcessBuilder("prometheus", "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port);
        try {
            server.awaitReady(dir.resolve("prometheus.log"));
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A loopback port nobody listens on at this moment. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus was not ready within " + WAIT);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * An instant query's {@code data} node ({@code resultType}, {@code result}).
     *
     * @throws AssertionError when Prometheus refuses the expression, with its error
     */
    public JsonNode query(String expression) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query="
                + URLEncoder.encode(expression, StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus refused '" + expression + "': " + body.path("error").asText());
        }
        return body.path("data");
    }

    /** The value of a query that yields one series, or NaN when it yields none. */
    public double value(String expression) throws IOException, InterruptedException {
        JsonNode result = query(expression).path("result");
        if (result.size() == 0) {
            return Double.NaN;
        }
        if (result.size() > 1) {
            throw new AssertionError("'" + expression + "' yields " + result.size() + " series: " + result);
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Waits (scrapes come every second) until the query's value satisfies {@code wanted}; returns it. */
    public double await(String expression, Predicate<Double> wanted, String what)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < end) {
            last = value(expression);
            if (!Double.isNaN(last) && wanted.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + ": '" + expression + "' was " + last + " after " + WAIT);
    }

    /**
     * Waits until the expression returns at least one series (a rate needs two scrapes in its
     * window); returns how many. A refused expression fails at once.
     */
    public int awaitSeries(String expression) throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            int series = query(expression).path("result").size();
            if (series > 0) {
                return series;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("'" + expression + "' returned no series within " + WAIT);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
