package io.portcullis.bpf;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * A network namespace of the test's own with a veth pair pcv0/pcv1 inside (both ends, so nothing
 * touches the host's interfaces). Deleting the namespace removes the pair and any TC/XDP state.
 */
final class TestNetns implements AutoCloseable {
    final String name = "pc-test-" + UUID.randomUUID().toString().substring(0, 8);

    TestNetns() throws Exception {
        Shell.check("ip", "netns", "add", name);
        try {
            Shell.check("ip", "-n", name, "link", "add", "pcv0", "type", "veth", "peer", "name", "pcv1");
            Shell.check("ip", "-n", name, "link", "set", "pcv0", "up");
            Shell.check("ip", "-n", name, "link", "set", "pcv1", "up");
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Runs a command inside the namespace and returns its output. */
    String exec(String... command) throws Exception {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return Shell.check(full);
    }

    /** Runs Java code on this thread inside the namespace. */
    <T> T inside(Callable<T> action) throws Exception {
        return NetNs.call(NetNs.named(name), action);
    }

    @Override
    public void close() throws IOException {
        try {
            Shell.check("ip", "netns", "del", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting network namespace " + name, e);
        }
    }
}
