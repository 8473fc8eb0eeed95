package io.portcullis.bpf.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Encodes a Java value as the bytes of a BPF map key or value and back.
 *
 * <p>The buffer is in {@link ByteOrder#nativeOrder()} (the kernel's view of host-order fields);
 * implementations write network-order fields big-endian explicitly. {@code encode} and
 * {@code decode} start at the buffer's position and advance it by {@link #size()}.
 *
 * @param <T> the Java type
 */
public interface StructCodec<T> {

    /** Size in bytes: the C {@code sizeof}, padding included. */
    int size();

    void encode(T value, ByteBuffer buf);

    T decode(ByteBuffer buf);

    /** A codec from a struct mirror's {@code encode} and {@code decode} methods. */
    static <T> StructCodec<T> of(int size, BiConsumer<T, ByteBuffer> encoder, Function<ByteBuffer, T> decoder) {
        return new StructCodec<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void encode(T value, ByteBuffer buf) {
                encoder.accept(value, buf);
            }

            @Override
            public T decode(ByteBuffer buf) {
                return decoder.apply(buf);
            }
        };
    }

    /** A C {@code __u32} in host order (array indexes, identities). */
    StructCodec<Integer> U32 = new StructCodec<>() {
        @Override
        public int size() {
            return Integer.BYTES;
        }

        @Override
        public void encode(Integer value, ByteBuffer buf) {
            buf.putInt(value);
        }

        @Override
        public Integer decode(ByteBuffer buf) {
            return buf.getInt();
        }
    };

    /** A C {@code __u64} in host order (socket cookies, counters). */
    StructCodec<Long> U64 = new StructCodec<>() {
        @Override
        public int size() {
            return Long.BYTES;
        }

        @Override
        public void encode(Long value, ByteBuffer buf) {
            buf.putLong(value);
        }

        @Override
        public Long decode(ByteBuffer buf) {
            return buf.getLong();
        }
    };
}
