package io.portcullis.proxy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A test client over one plain socket: what the raw clients share. */
public abstract class TestSocketClient implements AutoCloseable {
    protected final Socket socket;

    /** Connected to {@code target}, from {@code source} when it is not null, reads timing out after {@code readTimeoutMillis}. */
    protected TestSocketClient(InetAddress source, InetSocketAddress target, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(readTimeoutMillis);
        if (source != null) {
            socket.bind(new InetSocketAddress(source, 0));
        }
        socket.connect(target, 5_000);
    }

    /** Sends FIN: the client will send nothing more but still reads (TCP half-close). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** This end's port, to find the connection in the kernel's socket table. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
