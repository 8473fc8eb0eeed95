package io.portcullis.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The kernel's TCP socket table of this network namespace ({@code /proc/net/tcp} and
 * {@code tcp6}), as tests see what a process really holds: a socket the proxy forgot to close
 * stays in CLOSE_WAIT there whatever the proxy's own bookkeeping says.
 */
public final class TcpSockets {
    /** Kernel TCP states ({@code include/net/tcp_states.h}) by their number. */
    public enum State {
        NONE, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,
        CLOSING, NEW_SYN_RECV
    }

    /** One row; {@code inode} names the socket in {@code /proc/PID/fd} links ({@code socket:[inode]}). */
    public record Socket(int localPort, int remotePort, State state, long inode) {
    }

    private TcpSockets() {
    }

    public static List<Socket> all() {
        List<Socket> sockets = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] fields = line.trim().split("\\s+");
                    sockets.add(new Socket(port(fields[1]), port(fields[2]),
                            State.values()[Integer.parseInt(fields[3], 16)], Long.parseLong(fields[9])));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
        }
        return sockets;
    }

    /**
     * Whether the socket is one a process still holds: open, or closed by the peer only
     * (CLOSE_WAIT). Once the process closed it (FIN_WAIT*, LAST_ACK, CLOSING, TIME_WAIT) the
     * kernel finishes the close without it.
     */
    public static boolean openByItsProcess(Socket socket) {
        return socket.state == State.SYN_SENT || socket.state == State.SYN_RECV || socket.state == State.ESTABLISHED
                || socket.state == State.CLOSE_WAIT;
    }

    /** Accepted connections of the listener on {@code port} that its process still holds. */
    public static Predicate<Socket> acceptedOn(int port) {
        return s -> s.localPort == port && openByItsProcess(s);
    }

    /** Connections to {@code port} that the connecting process still holds. */
    public static Predicate<Socket> connectedTo(int port) {
        return s -> s.remotePort == port && openByItsProcess(s);
    }

    public static List<Socket> matching(Predicate<Socket> filter) {
        return all().stream().filter(filter).toList();
    }

    /** Waits up to {@code millis} for the sockets matching {@code filter} to be gone; returns those left. */
    public static List<Socket> awaitGone(Predicate<Socket> filter, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        List<Socket> left = matching(filter);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = matching(filter);
        }
        return left;
    }

    /** The listening socket on {@code port}. */
    public static Socket listening(int port) {
        return matching(s -> s.localPort == port && s.state == State.LISTEN).stream().findFirst()
                .orElseThrow(() -> new AssertionError("nothing listens on port " + port));
    }

    /** How many file descriptors of this process refer to {@code socket}. */
    public static int descriptorsOf(Socket socket) {
        String link = "socket:[" + socket.inode + "]";
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(link);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
    }

    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.indexOf(':') + 1), 16);
    }
}
