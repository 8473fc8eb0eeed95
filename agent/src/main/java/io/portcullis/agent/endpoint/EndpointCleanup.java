package io.portcullis.agent.endpoint;

import io.portcullis.bpf.Cgroup2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes every trace of agent-made endpoints from the host, whether or not the agent's state
 * still records them: network namespaces {@code pc-*}, host veths {@code pc} + 10 hex digits, the
 * cgroup tree {@code <cgroup2>/portcullis}, the pool's blackhole route and host address, and the
 * endpoint and identity state. For {@code portcullis uninstall}, with the agent stopped.
 */
public final class EndpointCleanup {
    private static final Pattern HOST_VETH = Pattern.compile("pc[0-9a-f]{10}");

    private EndpointCleanup() {
    }

    /** Returns one line per thing removed. */
    public static List<String> removeAll(Path stateDir, String pool) throws IOException {
        List<String> removed = new ArrayList<>();
        for (String line : HostCommands.ip("netns", "list").split("\n")) {
            String name = line.trim().split(" ")[0];
            if (name.startsWith("pc-")) {
                HostCommands.ipQuietly("netns", "del", name);
                removed.add("deleted netns " + name);
            }
        }
        for (String line : HostCommands.ip("-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1) {
                String name = fields[1].split("@")[0];
                if (HOST_VETH.matcher(name).matches()) {
                    HostCommands.ipQuietly("link", "del", name);
                    removed.add("deleted veth " + name);
                }
            }
        }
        Path cgroups = Cgroup2.mountPoint().resolve("portcullis");
        if (Files.isDirectory(cgroups)) {
            removeCgroupTree(cgroups);
            removed.add("removed cgroups under " + cgroups);
        }
        IpPool addresses = new IpPool(pool);
        if (HostCommands.ip("route", "show", "type", "blackhole", pool).contains(pool.substring(0, pool.indexOf('/')))) {
            HostCommands.ipQuietly("route", "del", "blackhole", pool);
            removed.add("deleted blackhole route " + pool);
        }
        String host = addresses.hostAddress().getHostAddress();
        if (HostCommands.ip("-4", "-o", "addr", "show", "dev", "lo").contains(" " + host + "/32")) {
            HostCommands.ipQuietly("addr", "del", host + "/32", "dev", "lo");
            removed.add("deleted " + host + "/32 from lo");
        }
        Path endpoints = stateDir.resolve("endpoints");
        if (Files.isDirectory(endpoints)) {
            deleteTree(endpoints);
            Files.deleteIfExists(stateDir.resolve("identities.json"));
            removed.add("removed endpoint state in " + stateDir);
        }
        return removed;
    }

    /** Children first; each cgroup's processes are killed so that it can be removed. */
    private static void removeCgroupTree(Path root) throws IOException {
        List<Path> directories;
        try (Stream<Path> walk = Files.walk(root)) {
            directories = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path cgroup : directories) {
            EndpointManager.removeCgroup(cgroup);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
