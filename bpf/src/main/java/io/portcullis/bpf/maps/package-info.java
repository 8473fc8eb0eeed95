/**
 * Java mirrors of the key and value structs shared with the BPF programs
 * ({@code bpf/src/main/c/lib/*.h}), and the names of the pinned maps that hold them
 * ({@link io.portcullis.bpf.maps.MapNames}).
 *
 * <p>Contract: each mirror is a record with {@code SIZE} (the C {@code sizeof}), {@code OFF_*}
 * constants (the C member offsets), {@code encode(ByteBuffer)} / {@code decode(ByteBuffer)} and a
 * {@link io.portcullis.bpf.maps.StructCodec} {@code CODEC}. Buffers are in native byte order;
 * fields the C side documents as network order (addresses, ports, proxy ports) are written
 * big-endian, everything else (identities, prefix lengths, counters, flags) in host order.
 * Padding is written as zero. {@code StructLayoutTest} checks sizes, offsets and enum values
 * against the BTF the compiler emitted, so a C change without its Java side fails the build.
 *
 * <p>No dependency on libbpf: these classes work (and are testable) anywhere.
 */
package io.portcullis.bpf.maps;
