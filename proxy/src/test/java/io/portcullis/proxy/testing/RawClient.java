package io.portcullis.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A raw-socket HTTP/1.1 client that writes exact bytes and parses responses strictly enough for tests. */
public final class RawClient extends TestSocketClient {
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final InputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this(null, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    }

    /** From {@code sourceIp} (so a test speaks as a given endpoint's identity) to {@code target}. */
    public RawClient(String sourceIp, InetSocketAddress target) throws IOException {
        this(InetAddress.getByName(sourceIp), target, 10_000);
    }

    private RawClient(InetAddress source, InetSocketAddress target, int readTimeoutMillis) throws IOException {
        super(source, target, readTimeoutMillis);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
        }
        String body;
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
                buf.write(in.readNBytes(size));
                line();
            }
            line();
            body = buf.toString(StandardCharsets.ISO_8859_1);
        } else if (status == 204 || status == 304) {
            body = "";
        } else if (headers.containsKey("Content-Length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("Content-Length"))), StandardCharsets.ISO_8859_1);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        return new Response(status, headers, body);
    }

    /** A response to HEAD: no body whatever the headers say. */
    public Response readHead() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
        }
        return new Response(status, headers, "");
    }

    /** True when the peer closes (EOF or reset) within the socket timeout with no further bytes. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }


    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                String s = buf.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }
}
