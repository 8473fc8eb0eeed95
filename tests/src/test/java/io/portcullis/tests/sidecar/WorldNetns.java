package io.portcullis.tests.sidecar;

import io.portcullis.tests.support.ProcessRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A "world" network namespace behind a veth uplink of the host. The world's invented range is
 * blackholed on the host as a whole; only the addresses given get a route through the uplink,
 * so nothing addressed elsewhere in the range leaves the host. {@link #close} removes the
 * namespace (and with it the veth and anything attached to it) and the routes, also after a
 * half-made setup.
 */
public final class WorldNetns implements AutoCloseable {
    public final String name = "pcw-" + UUID.randomUUID().toString().substring(0, 8);
    /** The host side of the veth: the node's uplink. */
    public final String uplink = "pcup" + name.substring(4, 10);
    private final String range;
    private final String hostAddress;
    private final List<String> routes = new ArrayList<>();

    /**
     * @param range       the world's invented prefix, blackholed on the host
     * @param hostAddress the host's address on the uplink, inside range
     * @param worldIps    the world's addresses, all on its eth0
     */
    public WorldNetns(String range, String hostAddress, String... worldIps) throws IOException, InterruptedException {
        this.range = range;
        this.hostAddress = hostAddress;
        try {
            run("ip", "route", "replace", "blackhole", range);
            run("ip", "netns", "add", name);
            run("ip", "link", "add", uplink, "type", "veth", "peer", "name", "eth0", "netns", name);
            run("ip", "addr", "add", hostAddress + "/32", "dev", uplink);
            run("ip", "link", "set", uplink, "up");
            run("ip", "-n", name, "link", "set", "lo", "up");
            run("ip", "-n", name, "link", "set", "eth0", "up");
            run("ip", "-n", name, "route", "add", hostAddress + "/32", "dev", "eth0");
            for (String ip : worldIps) {
                run("ip", "-n", name, "addr", "add", ip + "/32", "dev", "eth0");
                run("ip", "route", "add", ip + "/32", "dev", uplink);
                routes.add(ip);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public String hostAddress() {
        return hostAddress;
    }

    /** Runs a command inside the world. */
    public ProcessRunner.Result exec(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(List.of(command));
        return ProcessRunner.run(argv);
    }

    /** HTTP status code of a GET from the world with the given source address ("000": no answer). */
    String curlFrom(String source, String url) throws IOException, InterruptedException {
        return exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", "--interface", source, url)
                .stdout().trim();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String ip : routes) {
            ProcessRunner.run(List.of("ip", "route", "del", ip + "/32", "dev", uplink));
        }
        ProcessRunner.run(List.of("ip", "link", "del", uplink));
        ProcessRunner.run(List.of("ip", "netns", "del", name));
        ProcessRunner.run(List.of("ip", "route", "del", "blackhole", range));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        ProcessRunner.Result result = ProcessRunner.run(List.of(command));
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + result.exitCode() + ": " + result.stderr());
        }
    }
}
