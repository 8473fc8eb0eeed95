package io.portcullis.bpf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jnr.ffi.Pointer;

/**
 * The BTF type information of a compiled BPF object (clang -g): struct sizes and member offsets
 * and enum values as the compiler laid them out. The Java map mirrors are checked against it, in
 * tests and by the agent before it trusts an object.
 */
public final class Btf implements AutoCloseable {
    private static final int BTF_KIND_STRUCT = 4;
    private static final int BTF_KIND_ENUM = 6;
    /** struct btf_type: name_off, info, size/type; members or enumerators follow. */
    private static final int TYPE_HEADER = 12;
    /** struct btf_member: name_off, type, offset (bits). */
    private static final int MEMBER_SIZE = 12;
    /** struct btf_enum: name_off, val. */
    private static final int ENUM_SIZE = 8;

    private final Pointer btf;
    private final Path file;
    private boolean closed;

    private Btf(Pointer btf, Path file) {
        this.btf = btf;
        this.file = file;
    }

    /** A C struct as compiled: its size and each member's byte offset, in declaration order. */
    public record StructLayout(String name, int size, Map<String, Integer> offsets) {
    }

    public static Btf parseElf(Path elf) {
        Pointer btf = Native.checkPointer("btf__parse_elf", "reading BTF from " + elf,
                () -> Native.libbpf().btf__parse_elf(elf.toString(), null));
        return new Btf(btf, elf);
    }

    /** The layout of {@code struct name}, or empty when the object has no such struct. */
    public Optional<StructLayout> struct(String name) {
        Optional<Pointer> type = find(name, BTF_KIND_STRUCT);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Pointer t = type.get();
        int info = t.getInt(4);
        if (info < 0) { // kind_flag: bitfield members, whose offsets are not byte offsets
            throw new IllegalStateException("struct " + name + " in " + file + " has bitfields; shared structs must not");
        }
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (int i = 0; i < (info & 0xFFFF); i++) {
            int member = TYPE_HEADER + i * MEMBER_SIZE;
            offsets.put(name(t.getInt(member)), t.getInt(member + 8) / Byte.SIZE);
        }
        return Optional.of(new StructLayout(name, t.getInt(8), Collections.unmodifiableMap(offsets)));
    }

    /** The enumerators of {@code enum name} with their values, or empty when there is none. */
    public Optional<Map<String, Integer>> enumValues(String name) {
        return find(name, BTF_KIND_ENUM).map(t -> {
            Map<String, Integer> values = new LinkedHashMap<>();
            int count = t.getInt(4) & 0xFFFF;
            for (int i = 0; i < count; i++) {
                int entry = TYPE_HEADER + i * ENUM_SIZE;
                values.put(name(t.getInt(entry)), t.getInt(entry + 4));
            }
            return Collections.unmodifiableMap(values);
        });
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.libbpf().btf__free(btf);
        }
    }

    private Optional<Pointer> find(String name, int kind) {
        if (closed) {
            throw new IllegalStateException("BTF of " + file + " is closed");
        }
        int id = Native.libbpf().btf__find_by_name_kind(btf, name, kind);
        if (id < 0) {
            return Optional.empty();
        }
        return Optional.of(Native.libbpf().btf__type_by_id(btf, id));
    }

    private String name(int offset) {
        return Native.libbpf().btf__name_by_offset(btf, offset);
    }
}
