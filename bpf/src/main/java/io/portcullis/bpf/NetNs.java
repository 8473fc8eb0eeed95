package io.portcullis.bpf;

import io.portcullis.bpf.Native.LibC;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Runs work inside another network namespace on the calling thread ({@code setns(2)} changes only
 * the calling OS thread). TC and XDP attachment and interface indexes are per namespace, so the
 * sidecar uses this to reach endpoint namespaces. Call it from platform threads only: a virtual
 * thread may move to another carrier mid-way.
 */
public final class NetNs {
    private static final Path THREAD_NETNS = Path.of("/proc/thread-self/ns/net");
    private static final Path NAMED_NETNS_DIR = Path.of("/var/run/netns");

    private NetNs() {
    }

    /** The file {@code ip netns add name} creates for a named namespace. */
    public static Path named(String name) {
        return NAMED_NETNS_DIR.resolve(name);
    }

    /** Runs action inside the namespace at nsFile and switches the thread back afterwards. */
    public static <T> T call(Path nsFile, Callable<T> action) throws Exception {
        LibC libc = Native.libc();
        int original = openNs(THREAD_NETNS, "remembering the current network namespace");
        try {
            int target = openNs(nsFile, "opening network namespace " + nsFile);
            try {
                Native.checkLibc("setns", "entering network namespace " + nsFile,
                        () -> libc.setns(target, LibC.CLONE_NEWNET));
            } finally {
                libc.close(target);
            }
            try {
                return action.call();
            } finally {
                // Staying in the wrong namespace would silently misdirect everything this thread does next.
                Native.checkLibc("setns", "returning from network namespace " + nsFile,
                        () -> libc.setns(original, LibC.CLONE_NEWNET));
            }
        } finally {
            libc.close(original);
        }
    }

    /** The index of a network interface in the calling thread's namespace. */
    public static int interfaceIndex(String name) {
        int index = Native.libc().if_nametoindex(name);
        if (index == 0) {
            throw new IllegalArgumentException("no network interface named " + name
                    + " in this thread's network namespace");
        }
        return index;
    }

    private static int openNs(Path file, String context) {
        return Native.checkLibc("open", context,
                () -> Native.libc().open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC));
    }
}
