package io.portcullis.agent.sidecar;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One raw HTTP call to an API socket, for bodies the CLI would never send; returns "STATUS BODY". */
final class RawApi {
    private RawApi() {
    }

    static String call(Path socket, String method, String path, String body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: portcullis\r\nContent-Length: " + content.length
                    + "\r\nConnection: close\r\n\r\n";
            ByteBuffer request = ByteBuffer.allocate(head.length() + content.length);
            request.put(head.getBytes(StandardCharsets.US_ASCII)).put(content).flip();
            while (request.hasRemaining()) {
                channel.write(request);
            }
            String response = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4);
            return status + " " + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
