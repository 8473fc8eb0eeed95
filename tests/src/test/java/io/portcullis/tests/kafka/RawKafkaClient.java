package io.portcullis.tests.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Kafka over a plain socket from a chosen loopback source: requests built with kafka-clients'
 * builders (or any bytes), written back to back, responses read one frame at a time.
 */
final class RawKafkaClient implements AutoCloseable {
    static final String CLIENT_ID = "raw";
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawKafkaClient(String source, InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(server, 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] frame(AbstractRequest request, int correlationId) {
        ByteBuffer headerAndBody = request.serializeWithHeader(
                new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId));
        ByteBuffer frame = ByteBuffer.allocate(4 + headerAndBody.remaining());
        frame.putInt(headerAndBody.remaining()).put(headerAndBody);
        return frame.array();
    }

    /** Writes all frames in one write, as a pipelining client would. */
    void send(byte[]... frames) throws IOException {
        int total = 0;
        for (byte[] f : frames) {
            total += f.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (byte[] f : frames) {
            all.put(f);
        }
        out.write(all.array());
        out.flush();
    }

    /** One response frame (size prefix stripped), or null at end of stream. */
    ByteBuffer readFrame() throws IOException {
        int size;
        try {
            size = in.readInt();
        } catch (java.io.EOFException e) {
            return null;
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    static int correlationId(ByteBuffer response) {
        return response.getInt(0);
    }

    /** Parses a response to {@code request} sent with {@code correlationId}. */
    static AbstractResponse parse(ByteBuffer response, AbstractRequest request, int correlationId) {
        return AbstractResponse.parseResponse(response.duplicate(),
                new RequestHeader(request.apiKey(), request.version(), CLIENT_ID, correlationId));
    }

    /** True when the proxy closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
