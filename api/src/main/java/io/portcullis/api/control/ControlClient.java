package io.portcullis.api.control;

import io.portcullis.api.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A blocking client of a proxy's control socket for the agent and the CLI: one request and its
 * one-line answer per connection. (Taking listening sockets over needs file descriptors passed,
 * which the JDK cannot receive; the proxy does that itself.)
 */
public final class ControlClient {
    private static final int MAX_LINE = 64 * 1024;

    private ControlClient() {
    }

    /** The status of the proxy at {@code socket}, or empty when no proxy answers there. */
    public static Optional<ProxyStatus> status(Path socket) {
        try {
            return Optional.of(call(socket, ControlRequest.Kind.STATUS));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Asks the proxy at {@code socket} to stop accepting and drain; returns its status at that moment. */
    public static ProxyStatus drain(Path socket) throws IOException {
        return call(socket, ControlRequest.Kind.DRAIN);
    }

    /** Asks the proxy at {@code socket} to close every connection and end now; returns its status at that moment. */
    public static ProxyStatus stop(Path socket) throws IOException {
        return call(socket, ControlRequest.Kind.STOP);
    }

    private static ProxyStatus call(Path socket, ControlRequest.Kind kind) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(WireJson.line(new ControlRequest(kind))));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (true) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    throw new IOException("the proxy at " + socket + " closed the connection without an answer");
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        return WireJson.read(line.toByteArray(), ProxyStatus.class);
                    }
                    line.write(b);
                }
                if (line.size() > MAX_LINE) {
                    throw new IOException("the proxy at " + socket + " answered a line longer than " + MAX_LINE + " bytes");
                }
            }
        }
    }
}
