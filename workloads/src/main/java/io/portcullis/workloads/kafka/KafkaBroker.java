package io.portcullis.workloads.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) running inside the
 * calling JVM: a test's own, or {@link KafkaBrokerMain}'s inside an endpoint.
 *
 * <p>Clients reach it at {@link #bootstrap()} ({@code 127.0.0.1:<free port>}, listener
 * {@code PLAINTEXT}). By default it advertises that address; {@link #advertisedListener(String, int)}
 * makes it advertise another one (the proxy's), so that clients which bootstrap through the proxy
 * keep going through it after their first Metadata response. The fixture's own {@link #admin()}
 * and inter-broker traffic use a separate {@code INTERNAL} listener that always advertises the real
 * address, so they work whatever is advertised and never pass through the proxy. A third listener
 * serves the KRaft controller. Everything lives in a temporary directory that {@link #close()}
 * deletes. Topics are never created implicitly: use {@link #createTopic(String, int)}.
 *
 * <pre>{@code
 * try (KafkaBroker broker = new KafkaBroker().start()) {
 *     broker.createTopic("orders", 1);
 *     // producer/consumer with bootstrap.servers = broker.bootstrap()
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
    /** Kafka logs through slf4j, bound to java.util.logging in this module; its INFO is hundreds of lines. */
    private static final List<Logger> QUIETED = Stream.of("kafka", "org.apache.kafka", "state.change.logger")
            .map(Logger::getLogger)
            .peek(logger -> logger.setLevel(Level.WARNING))
            .toList();

    private static final int NODE_ID = 1;

    private final Map<String, String> overrides = new LinkedHashMap<>();
    private String host = "127.0.0.1";
    private int requestedPort;
    private String advertisedHost;
    private int advertisedPort;
    private Path directory;
    private int port;
    private int internalPort;
    private KafkaRaftServer server;
    private Admin admin;

    /** Advertise {@code host:port} to clients instead of the broker's own address. Call before {@link #start()}. */
    public KafkaBroker advertisedListener(String host, int port) {
        requireNotStarted();
        this.advertisedHost = host;
        this.advertisedPort = port;
        return this;
    }

    /**
     * Listen for clients on {@code host:port} (port 0: a free one) instead of a free port on
     * 127.0.0.1, e.g. an endpoint's address inside its network namespace. Call before {@link #start()}.
     */
    public KafkaBroker listenOn(String host, int port) {
        requireNotStarted();
        this.host = host;
        this.requestedPort = port;
        return this;
    }

    /** Set any broker property, overriding the fixture's defaults. Call before {@link #start()}. */
    public KafkaBroker config(String key, String value) {
        requireNotStarted();
        overrides.put(key, value);
        return this;
    }

    /**
     * Formats a fresh log directory and starts the broker; returns once it accepts clients. A
     * {@link #close()} from another thread (a shutdown hook) waits until the start is over.
     */
    public synchronized KafkaBroker start() {
        requireNotStarted();
        // A fatal broker error calls Exit, which would otherwise end the whole test JVM.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker exited (" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            throw new IllegalStateException("Kafka broker halted (" + status + "): " + message);
        });
        try {
            directory = Files.createTempDirectory("portcullis-kafka-");
            port = requestedPort == 0 ? freePort() : requestedPort;
            internalPort = freePort();
            int controllerPort = freePort();
            Properties properties = properties(controllerPort);
            format(properties);
            server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
            server.startup();
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, host + ":" + internalPort));
            admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("Kafka broker did not start", e);
        }
    }

    /** The broker's real address, {@code host:port}, whatever it advertises. */
    public String bootstrap() {
        return host + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Creates a topic with replication factor 1 and waits until it exists. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    /** An Admin client on the internal listener, owned by the fixture (do not close it). */
    public Admin admin() {
        return admin;
    }

    /** Stops the broker and deletes its directory. Safe to call more than once, or after a failed start. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (directory != null) {
            deleteRecursively(directory);
            directory = null;
        }
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
    }

    private Properties properties(int controllerPort) {
        String advertised = advertisedHost == null ? bootstrap() : advertisedHost + ":" + advertisedPort;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        String internal = host + ":" + internalPort;
        p.put("listeners", "PLAINTEXT://" + bootstrap() + ",INTERNAL://" + internal
                + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + advertised + ",INTERNAL://" + internal);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("log.dirs", directory.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("log.segment.bytes", String.valueOf(1024 * 1024));
        // Single node: internal topics with one replica, and few partitions so they are created fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.putAll(overrides);
        return p;
    }

    /** What {@code kafka-storage.sh format} does: write meta.properties and the bootstrap metadata. */
    private void format(Properties properties) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(directory.toString()))
                .setMetadataLogDirectory(directory.toString())
                .setControllerListenerName(properties.getProperty("controller.listener.names"))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    private void requireNotStarted() {
        if (server != null) {
            throw new IllegalStateException("broker already started");
        }
    }

    private int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
