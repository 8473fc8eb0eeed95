package io.portcullis.bpf;

import io.portcullis.bpf.maps.StructCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to one BPF map through its fd: keys and values go through {@link StructCodec}s
 * whose sizes are checked against the kernel's map on creation, so a layout mismatch (an old
 * pinned map, a codec for another struct) fails at once instead of corrupting entries.
 *
 * <p>A map obtained from {@link BpfObject#map} borrows the object's fd and is valid while the
 * object is open; one from {@link #openPinned} owns its fd and must be closed. Operations are
 * single syscalls and safe from any thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BpfMap<K, V> implements AutoCloseable {
    private static final long BPF_ANY = 0;
    private static final long BPF_NOEXIST = 1;
    private static final int EEXIST = 17;
    private static final int PER_CPU_VALUE_ALIGN = 8;

    private final int fd;
    private final String name;
    private final boolean ownsFd;
    private final MapInfo info;
    private final StructCodec<K> keys;
    private final StructCodec<V> values;
    private volatile boolean closed;

    private BpfMap(int fd, String name, boolean ownsFd, StructCodec<K> keys, StructCodec<V> values) {
        this.fd = fd;
        this.name = name;
        this.ownsFd = ownsFd;
        this.info = readInfo(fd);
        this.keys = keys;
        this.values = values;
        if (info.keySize() != keys.size() || info.valueSize() != values.size()) {
            throw new IllegalArgumentException("map " + name + " has key/value sizes " + info.keySize() + "/"
                    + info.valueSize() + " bytes but the codecs expect " + keys.size() + "/" + values.size()
                    + ": the map was created with another layout (a stale pinned map? bump its _vN name)");
        }
    }

    static <K, V> BpfMap<K, V> borrow(int fd, String name, StructCodec<K> keys, StructCodec<V> values) {
        return new BpfMap<>(fd, name, false, keys, values);
    }

    /** Opens a pinned map ({@code bpf_obj_get}); the returned map owns its fd. */
    public static <K, V> BpfMap<K, V> openPinned(Path path, StructCodec<K> keys, StructCodec<V> values) {
        int fd = Native.check("bpf_obj_get", "opening pinned map " + path,
                () -> Native.libbpf().bpf_obj_get(path.toString()));
        try {
            return new BpfMap<>(fd, path.getFileName().toString(), true, keys, values);
        } catch (RuntimeException e) {
            Native.libc().close(fd);
            throw e;
        }
    }

    public MapInfo info() {
        return info;
    }

    /**
     * The map's full name (libbpf's, or the pin file's); the kernel's {@link MapInfo#name()} is cut
     * to 15 characters.
     */
    public String name() {
        return name;
    }

    public int fd() {
        ensureOpen();
        return fd;
    }

    /** The value for key, or empty; for per-CPU maps use {@link #lookupPerCpu}. */
    public Optional<V> lookup(K key) {
        requireNotPerCpu("lookup");
        byte[] value = new byte[values.size()];
        if (!Native.checkFound("bpf_map_lookup_elem", "looking up " + key + " in " + name(),
                () -> Native.libbpf().bpf_map_lookup_elem(fd(), encodeKey(key), value))) {
            return Optional.empty();
        }
        return Optional.of(values.decode(buffer(value)));
    }

    /** One value per possible CPU (index = CPU number), or empty when the key is absent. */
    public Optional<List<V>> lookupPerCpu(K key) {
        if (!info.isPerCpu()) {
            throw new IllegalStateException(name() + " is not a per-CPU map: use lookup");
        }
        int cpus = possibleCpus();
        int stride = (values.size() + PER_CPU_VALUE_ALIGN - 1) / PER_CPU_VALUE_ALIGN * PER_CPU_VALUE_ALIGN;
        byte[] all = new byte[stride * cpus];
        if (!Native.checkFound("bpf_map_lookup_elem", "looking up " + key + " in per-CPU map " + name(),
                () -> Native.libbpf().bpf_map_lookup_elem(fd(), encodeKey(key), all))) {
            return Optional.empty();
        }
        ByteBuffer buf = buffer(all);
        List<V> perCpu = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            buf.position(cpu * stride);
            perCpu.add(values.decode(buf));
        }
        return Optional.of(perCpu);
    }

    /** Creates or replaces the entry ({@code BPF_ANY}). */
    public void put(K key, V value) {
        requireNotPerCpu("put");
        byte[] encoded = new byte[values.size()];
        values.encode(value, buffer(encoded));
        Native.check("bpf_map_update_elem", "writing " + key + " -> " + value + " into " + name(),
                () -> Native.libbpf().bpf_map_update_elem(fd(), encodeKey(key), encoded, BPF_ANY));
    }

    /**
     * Creates the entry unless the key is present ({@code BPF_NOEXIST}): false, and the present
     * value untouched, when it was. For an LPM trie "present" means this very prefix, not a
     * covering one.
     */
    public boolean putIfAbsent(K key, V value) {
        requireNotPerCpu("putIfAbsent");
        byte[] encoded = new byte[values.size()];
        values.encode(value, buffer(encoded));
        int[] rc = {0};
        Native.check("bpf_map_update_elem", "creating " + key + " -> " + value + " in " + name(), () -> {
            rc[0] = Native.libbpf().bpf_map_update_elem(fd(), encodeKey(key), encoded, BPF_NOEXIST);
            return rc[0] == -EEXIST ? 0 : rc[0];
        });
        return rc[0] != -EEXIST;
    }

    /** Removes the entry; false when there was none. */
    public boolean delete(K key) {
        return Native.checkFound("bpf_map_delete_elem", "deleting " + key + " from " + name(),
                () -> Native.libbpf().bpf_map_delete_elem(fd(), encodeKey(key)));
    }

    /**
     * All keys, by walking {@code bpf_map_get_next_key}. Entries added or removed concurrently may
     * or may not be seen; a hash walk restarts from the beginning when its cursor is deleted.
     */
    public List<K> keys() {
        List<K> result = new ArrayList<>();
        byte[] current = null;
        while (true) {
            byte[] previous = current;
            byte[] next = new byte[keys.size()];
            if (!Native.checkFound("bpf_map_get_next_key", "iterating " + name(),
                    () -> Native.libbpf().bpf_map_get_next_key(fd(), previous, next))) {
                return result;
            }
            result.add(keys.decode(buffer(next)));
            current = next;
        }
    }

    /** A snapshot of all entries in iteration order; entries deleted meanwhile are skipped. */
    public Map<K, V> entries() {
        Map<K, V> result = new LinkedHashMap<>();
        for (K key : keys()) {
            lookup(key).ifPresent(value -> result.put(key, value));
        }
        return result;
    }

    /** Pins the map at path on a bpffs ({@code bpf_obj_pin}); it then outlives this process. */
    public void pin(Path path) {
        Native.check("bpf_obj_pin", "pinning map " + name() + " at " + path,
                () -> Native.libbpf().bpf_obj_pin(fd(), path.toString()));
    }

    /** Closes the fd if this map owns it; the kernel map lives on while pinned or in use. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsFd) {
                Native.libc().close(fd);
            }
        }
    }

    static int possibleCpus() {
        return Native.check("libbpf_num_possible_cpus", "counting possible CPUs",
                () -> Native.libbpf().libbpf_num_possible_cpus());
    }

    private void requireNotPerCpu(String operation) {
        if (info.isPerCpu()) {
            throw new IllegalStateException(name() + " is a per-CPU map: " + operation
                    + " needs one value per CPU, use lookupPerCpu");
        }
    }

    private byte[] encodeKey(K key) {
        byte[] encoded = new byte[keys.size()];
        keys.encode(key, buffer(encoded));
        return encoded;
    }

    private static ByteBuffer buffer(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("map " + name + " is closed");
        }
    }

    static MapInfo readInfo(int fd) {
        byte[] raw = new byte[LibBpfStructs.MapInfo.SIZE];
        int[] length = {raw.length};
        Native.check("bpf_obj_get_info_by_fd", "reading map info of fd " + fd,
                () -> Native.libbpf().bpf_obj_get_info_by_fd(fd, raw, length));
        ByteBuffer buf = buffer(raw);
        byte[] name = new byte[LibBpfStructs.MapInfo.NAME_LEN];
        buf.get(LibBpfStructs.MapInfo.NAME, name);
        return new MapInfo(buf.getInt(LibBpfStructs.MapInfo.TYPE), buf.getInt(LibBpfStructs.MapInfo.ID),
                buf.getInt(LibBpfStructs.MapInfo.KEY_SIZE), buf.getInt(LibBpfStructs.MapInfo.VALUE_SIZE),
                buf.getInt(LibBpfStructs.MapInfo.MAX_ENTRIES), buf.getInt(LibBpfStructs.MapInfo.MAP_FLAGS),
                Native.cString(name));
    }
}
