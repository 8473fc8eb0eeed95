package io.portcullis.proxy.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP/2 client over a plain socket that writes exactly the bytes a test builds: frames and
 * HPACK blocks are assembled by hand (literal fields, no Huffman, no validation), so malformed
 * header blocks, pseudo-header disorder and floods can be sent as such. Reads frames back and
 * acknowledges the server's SETTINGS.
 */
public final class RawH2Client extends TestSocketClient {
    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int PRIORITY = 2;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public record Frame(int type, int flags, int stream, byte[] payload) {
        @Override
        public String toString() {
            return "Frame[type=" + type + ", flags=" + flags + ", stream=" + stream + ", length=" + payload.length
                    + (type == GOAWAY || type == RST_STREAM ? ", error=" + errorCode() : "") + "]";
        }

        /** RST_STREAM and GOAWAY error code. */
        public long errorCode() {
            int offset = type == GOAWAY ? 4 : 0;
            return ((payload[offset] & 0xffL) << 24) | ((payload[offset + 1] & 0xff) << 16)
                    | ((payload[offset + 2] & 0xff) << 8) | (payload[offset + 3] & 0xff);
        }
    }

    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    public final List<Frame> received = new ArrayList<>();
    private final java.util.Map<Integer, List<Http2Headers>> headers = new java.util.HashMap<>();

    public RawH2Client(int port) throws IOException {
        super(null, new InetSocketAddress("127.0.0.1", port), 200);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** A header block of literal fields, in exactly the given order: name, value, name, value, … */
    public static byte[] hpack(String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            block.write(0x00);   // literal without indexing, new name
            string(block, fields[i]);
            string(block, fields[i + 1]);
        }
        return block.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        int n = bytes.length;
        if (n < 127) {
            out.write(n);
        } else {
            out.write(127);
            n -= 127;
            while (n >= 128) {
                out.write((n & 0x7f) | 0x80);
                n >>= 7;
            }
            out.write(n);
        }
        out.write(bytes, 0, bytes.length);
    }

    /** The usual valid request fields for {@code path}, followed by {@code extra}. */
    public static byte[] request(String method, String path, String... extra) {
        String[] fields = new String[8 + extra.length];
        String[] base = {":method", method, ":scheme", "http", ":path", path, ":authority", "svc"};
        System.arraycopy(base, 0, fields, 0, 8);
        System.arraycopy(extra, 0, fields, 8, extra.length);
        return hpack(fields);
    }

    public RawH2Client frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream};
        out.write(header);
        out.write(payload);
        return this;
    }

    /** A frame header announcing {@code length} bytes, followed by only {@code sent} of them. */
    public RawH2Client truncatedFrame(int type, int stream, int length, int sent) throws IOException {
        out.write(new byte[]{(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, 0,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(new byte[sent]);
        return this;
    }

    public RawH2Client headers(int stream, boolean endStream, byte[] block) throws IOException {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block);
    }

    public RawH2Client data(int stream, boolean endStream, byte[] bytes) throws IOException {
        return frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    public RawH2Client rst(int stream, int code) throws IOException {
        return frame(RST_STREAM, 0, stream, new byte[]{(byte) (code >>> 24), (byte) (code >>> 16),
                (byte) (code >>> 8), (byte) code});
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Waits up to {@code millis} for a frame matching {@code filter} (frames read meanwhile are kept). */
    public Frame await(Predicate<Frame> filter, long millis) throws IOException {
        for (Frame f : received) {
            if (filter.test(f)) {
                return f;
            }
        }
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            Frame f = readFrame();
            if (f == null) {
                continue;
            }
            if (f.type == SETTINGS && (f.flags & 1) == 0) {
                frame(SETTINGS, 1, 0, new byte[0]);
                flush();
            }
            keep(f);
            if (filter.test(f)) {
                return f;
            }
        }
        return null;
    }

    /** HPACK state spans header blocks: every block is decoded on arrival, in order. */
    private void keep(Frame f) throws IOException {
        received.add(f);
        if (f.type == HEADERS) {
            ByteBuf block = Unpooled.wrappedBuffer(f.payload());
            try {
                headers.computeIfAbsent(f.stream(), k -> new ArrayList<>()).add(decoder.decodeHeaders(f.stream(), block));
            } catch (Http2Exception e) {
                throw new IOException(e);
            } finally {
                block.release();
            }
        }
    }

    /** The header blocks received on {@code stream}, waiting up to 3 s for the first. */
    public List<Http2Headers> headers(int stream) throws IOException {
        await(f -> f.type == HEADERS && f.stream == stream, 3000);
        return headers.getOrDefault(stream, List.of());
    }

    public Frame awaitReset(int stream) throws IOException {
        return await(f -> f.type == RST_STREAM && f.stream == stream, 3000);
    }

    public Frame awaitGoAway() throws IOException {
        return await(f -> f.type == GOAWAY, 3000);
    }

    /** Whether the server closed the connection within {@code millis}. */
    public boolean closedWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try {
                Frame f = readFrame();
                if (f != null) {
                    keep(f);
                }
            } catch (IOException e) {
                return true;
            }
            if (eof) {
                return true;
            }
        }
        return false;
    }

    private boolean eof;

    private Frame readFrame() throws IOException {
        byte[] header = new byte[9];
        try {
            int first = in.read();
            if (first < 0) {
                eof = true;
                return null;
            }
            header[0] = (byte) first;
            in.readFully(header, 1, 8);
        } catch (SocketTimeoutException e) {
            return null;
        }
        int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | header[2] & 0xff;
        byte[] payload = new byte[length];
        socket.setSoTimeout(5000);
        in.readFully(payload);
        socket.setSoTimeout(200);
        int stream = ((header[5] & 0x7f) << 24) | (header[6] & 0xff) << 16 | (header[7] & 0xff) << 8 | header[8] & 0xff;
        return new Frame(header[3] & 0xff, header[4] & 0xff, stream, payload);
    }

    /** The concatenated DATA payload of {@code stream} received so far. */
    public String body(int stream) {
        StringBuilder body = new StringBuilder();
        for (Frame f : received) {
            if (f.type == DATA && f.stream == stream) {
                body.append(new String(f.payload, StandardCharsets.UTF_8));
            }
        }
        return body.toString();
    }
}
