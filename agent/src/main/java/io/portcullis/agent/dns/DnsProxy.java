package io.portcullis.agent.dns;

import io.portcullis.bpf.maps.OrigDstValue;
import io.portcullis.bpf.maps.SockKey;
import io.portcullis.policy.model.Protocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The DNS proxy's sockets: UDP and TCP on the proxy address and the DNS proxy port, where the
 * kernel steers queries under DNS rules. Each query's original destination and the client's
 * identity come from the map the kernel filled: for UDP under the client's 4-tuple towards the
 * proxy (read for every datagram, as a socket sends many), for TCP once per connection. Queries
 * are handled by a fixed pool of workers with a bounded queue; past it a query is dropped and
 * counted, so a flood costs bounded memory and threads.
 */
public final class DnsProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DnsProxy.class.getName());
    static final int WORKERS = 16;
    static final int QUEUE = 4096;
    /** How long a TCP client may stay idle between queries. */
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final InetSocketAddress address;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ThreadPoolExecutor workers;
    private final DnsExchange exchange;
    private final DnsCounters counters;
    private final Function<SockKey, Optional<OrigDstValue>> datagramOrigins;
    private final Function<SockKey, Optional<OrigDstValue>> connectionOrigins;
    private volatile boolean closed;

    private DnsProxy(InetSocketAddress address, DnsExchange exchange, DnsCounters counters,
                     Function<SockKey, Optional<OrigDstValue>> datagramOrigins,
                     Function<SockKey, Optional<OrigDstValue>> connectionOrigins) throws IOException {
        this.address = address;
        this.exchange = exchange;
        this.counters = counters;
        this.datagramOrigins = datagramOrigins;
        this.connectionOrigins = connectionOrigins;
        this.udp = new DatagramSocket(address);
        try {
            this.tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(address);
        } catch (IOException e) {
            udp.close();
            throw e;
        }
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "dns-proxy-worker");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Binds UDP and TCP on {@code address} and starts serving.
     *
     * @param datagramOrigins   the kernel's record of a UDP client, read without removing it
     * @param connectionOrigins the kernel's record of a TCP connection, removed once read
     */
    public static DnsProxy start(InetSocketAddress address, DnsExchange exchange, DnsCounters counters,
                                 Function<SockKey, Optional<OrigDstValue>> datagramOrigins,
                                 Function<SockKey, Optional<OrigDstValue>> connectionOrigins) throws IOException {
        DnsProxy proxy = new DnsProxy(address, exchange, counters, datagramOrigins, connectionOrigins);
        daemon("dns-proxy-udp", proxy::receiveDatagrams);
        daemon("dns-proxy-tcp", proxy::acceptConnections);
        LOG.log(System.Logger.Level.INFO, "DNS proxy listening on " + address.getAddress().getHostAddress() + ":"
                + address.getPort() + " (UDP and TCP)");
        return proxy;
    }

    public DnsCounters counters() {
        return counters;
    }

    private void receiveDatagrams() {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "DNS proxy UDP receive failed: " + e.getMessage());
                }
                continue;
            }
            byte[] query = new byte[packet.getLength()];
            System.arraycopy(buffer, packet.getOffset(), query, 0, query.length);
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            submit(() -> answerDatagram(query, client));
        }
    }

    private void answerDatagram(byte[] query, InetSocketAddress client) {
        Inet4Address clientIp = (Inet4Address) client.getAddress();
        Optional<OrigDstValue> origin = datagramOrigins.apply(new SockKey(clientIp,
                (Inet4Address) address.getAddress(), client.getPort(), address.getPort()));
        if (origin.isEmpty()) {
            counters.unsteered.incrementAndGet();
            return;
        }
        byte[] answer = exchange.handle(query, clientIp, origin.get(), Protocol.UDP);
        if (answer != null) {
            try {
                udp.send(new DatagramPacket(answer, answer.length, client));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "DNS answer to " + client + " not sent: " + e.getMessage());
            }
        }
    }

    private void acceptConnections() {
        while (!closed) {
            Socket connection;
            try {
                connection = tcp.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "DNS proxy TCP accept failed: " + e.getMessage());
                }
                continue;
            }
            if (!submit(() -> serveConnection(connection))) {
                closeQuietly(connection);
            }
        }
    }

    /** Length-prefixed queries (RFC 1035 4.2.2) until the client closes or idles. */
    private void serveConnection(Socket connection) {
        try (connection) {
            InetSocketAddress client = (InetSocketAddress) connection.getRemoteSocketAddress();
            Inet4Address clientIp = (Inet4Address) client.getAddress();
            Optional<OrigDstValue> origin = connectionOrigins.apply(new SockKey(clientIp,
                    (Inet4Address) connection.getLocalAddress(), client.getPort(), connection.getLocalPort()));
            if (origin.isEmpty()) {
                counters.unsteered.incrementAndGet();
                return;
            }
            connection.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(connection.getInputStream());
            DataOutputStream out = new DataOutputStream(connection.getOutputStream());
            while (!closed) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = exchange.handle(query, clientIp, origin.get(), Protocol.TCP);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (EOFException e) {
            // the client closed between queries (or mid-message: nothing to answer)
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "DNS proxy TCP connection: " + e.getMessage());
        }
    }

    private boolean submit(Runnable task) {
        try {
            workers.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            counters.overloaded.incrementAndGet();
            return false;
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a DNS client connection: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the DNS proxy's TCP socket: " + e.getMessage());
        }
        workers.shutdownNow();
    }
}
