package io.portcullis.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * The consumer side of a {@code BPF_MAP_TYPE_RINGBUF} through libbpf's {@code ring_buffer__poll}:
 * each record is copied into a native-order buffer and handed to the consumer on the polling
 * thread. libbpf's ring buffer is not thread-safe: poll and close from one thread (close after the
 * last poll returned).
 */
public final class RingBuffer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RingBuffer.class.getName());
    private static final int EINTR = 4;

    private final String name;
    private final int fd;
    private final boolean ownsFd;
    /** Held strongly: libbpf keeps only the native stub, which dies with this object. */
    private final Native.LibBpf.RingBufferSampleFn sample;
    private final Pointer ring;
    private boolean closed;

    private RingBuffer(String name, int fd, boolean ownsFd, Consumer<ByteBuffer> records) {
        this.name = name;
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.sample = (ctx, data, size) -> deliver(records, data, size);
        this.ring = Native.checkPointer("ring_buffer__new", "opening ring buffer " + name,
                () -> Native.libbpf().ring_buffer__new(fd, sample, null, null));
    }

    /** Opens the ring buffer pinned at {@code path}; the result owns its fd. */
    public static RingBuffer openPinned(Path path, Consumer<ByteBuffer> records) {
        int fd = Native.check("bpf_obj_get", "opening pinned ring buffer " + path,
                () -> Native.libbpf().bpf_obj_get(path.toString()));
        try {
            return new RingBuffer(path.getFileName().toString(), fd, true, records);
        } catch (RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
    }

    /** A ring buffer of a loaded object, borrowing its fd: valid while the object is open. */
    static RingBuffer borrow(String name, int fd, Consumer<ByteBuffer> records) {
        return new RingBuffer(name, fd, false, records);
    }

    /**
     * Waits up to {@code timeout} for records and delivers every one available; returns how many.
     * A signal interrupting the wait counts as no record.
     */
    public int poll(Duration timeout) {
        if (closed) {
            throw new IllegalStateException("ring buffer " + name + " is closed");
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        return Native.checkExpecting("ring_buffer__poll", "polling ring buffer " + name, EINTR,
                () -> Native.libbpf().ring_buffer__poll(ring, millis));
    }

    private static int deliver(Consumer<ByteBuffer> records, Pointer data, long size) {
        byte[] bytes = new byte[(int) size];
        data.get(0, bytes, 0, bytes.length);
        try {
            records.accept(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
        } catch (RuntimeException e) {
            // One bad record must not stop the others: libbpf would end the poll on a non-zero return.
            LOG.log(System.Logger.Level.WARNING, "a ring-buffer record could not be handled", e);
        }
        return 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.libbpf().ring_buffer__free(ring);
            if (ownsFd) {
                Native.libc().close(fd);
            }
        }
    }
}
