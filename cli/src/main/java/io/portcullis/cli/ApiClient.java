package io.portcullis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The CLI's side of the agent API: one HTTP/1.1 call per connection over the unix socket,
 * written by hand since the JDK's HTTP client cannot use unix sockets.
 */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path socket;

    ApiClient(Path socket) {
        this.socket = socket;
    }

    /** The answer of a call: its status and JSON body. */
    record Reply(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String error() {
            return body.path("error").asText("status " + status);
        }
    }

    Reply call(String method, String path, byte[] body) throws IOException {
        try (SocketChannel channel = connect()) {
            send(channel, method, path, body);
            InputStream in = Channels.newInputStream(channel);
            int status = status(in);
            long length = -1;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(header.substring(colon + 1).trim());
                }
            }
            byte[] content = length < 0 ? in.readAllBytes() : in.readNBytes((int) length);
            return new Reply(status, content.length == 0 ? JSON.createObjectNode() : JSON.readTree(content));
        }
    }

    Reply get(String path) throws IOException {
        return call("GET", path, new byte[0]);
    }

    /** Follows a streaming endpoint, handing each line to {@code lines} until the agent closes it. */
    void follow(String path, Consumer<String> lines) throws IOException {
        try (SocketChannel channel = connect()) {
            send(channel, "GET", path, new byte[0]);
            InputStream in = Channels.newInputStream(channel);
            int status = status(in);
            while (!line(in).isEmpty()) {
                // headers: the stream is always chunked JSON lines
            }
            if (status != 200) {
                throw new IOException("the agent answered " + status + " to " + path);
            }
            StringBuilder pending = new StringBuilder();
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line(in);
                for (int newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
                    lines.accept(pending.substring(0, newline));
                    pending.delete(0, newline + 1);
                }
            }
        }
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach the agent at " + socket + " (" + e.getMessage()
                    + "); is 'portcullis agent' running? Use --socket to point elsewhere", e);
        }
    }

    private static void send(SocketChannel channel, String method, String path, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: portcullis\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuffer buffer = ByteBuffer.allocate(head.length() + body.length);
        buffer.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static int status(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ");
        if (parts.length < 2) {
            throw new IOException("the agent sent no HTTP answer: '" + statusLine + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    private static int chunkSize(InputStream in) throws IOException {
        String size = line(in);
        return size.isEmpty() ? 0 : Integer.parseInt(size.trim(), 16);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
