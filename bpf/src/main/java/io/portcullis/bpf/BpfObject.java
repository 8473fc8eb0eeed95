package io.portcullis.bpf;

import io.portcullis.bpf.Native.LibBpf;
import io.portcullis.bpf.maps.StructCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * A BPF ELF object opened with libbpf: its programs and maps, loaded into the kernel by
 * {@link #load()}. Maps declared with {@code LIBBPF_PIN_BY_NAME} are pinned under the pin root
 * given to {@code open} (default {@code /sys/fs/bpf}) at load, and an existing pin of the same
 * name and layout is reused instead of created: that is how objects share maps and how a
 * restarted agent re-adopts them.
 *
 * <p>{@link #close()} frees the object and its fds. Pinned maps and attached programs stay in the
 * kernel until unpinned or detached. Not thread-safe: open, load and attach from one thread.
 */
public final class BpfObject implements AutoCloseable {
    private final Pointer object;
    /** The file name without .o, or the name given; libbpf's own is cut to 15 characters. */
    private final String name;
    /** open_mem keeps pointing into the ELF image until close: hold it until then. */
    private final Pointer image;
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final Map<String, Pointer> maps = new LinkedHashMap<>();
    /** What the object needs of the kernel, named when a load fails; empty: nothing special. */
    private String requirement = "";
    private boolean loaded;
    private boolean closed;

    private BpfObject(Pointer object, String name, Pointer image) {
        this.object = object;
        this.image = image;
        this.name = name;
        LibBpf lib = Native.libbpf();
        for (Pointer p = lib.bpf_object__next_program(object, null); p != null && p.address() != 0;
                p = lib.bpf_object__next_program(object, p)) {
            programs.put(lib.bpf_program__name(p), new BpfProgram(this, p, lib.bpf_program__name(p)));
        }
        for (Pointer m = lib.bpf_object__next_map(object, null); m != null && m.address() != 0;
                m = lib.bpf_object__next_map(object, m)) {
            maps.put(lib.bpf_map__name(m), m);
        }
    }

    /** Opens an ELF file; pinned-by-name maps go under /sys/fs/bpf. */
    public static BpfObject open(Path file) {
        return open(file, null);
    }

    /** Opens an ELF file; pinned-by-name maps go under pinRoot (null: /sys/fs/bpf). */
    public static BpfObject open(Path file, Path pinRoot) {
        Pointer root = pinRoot == null ? null : Native.cStringPointer(pinRoot.toString());
        Pointer opts = LibBpfStructs.OpenOpts.of(null, root);
        Pointer object = Native.checkPointer("bpf_object__open_file", "opening BPF object " + file,
                () -> Native.libbpf().bpf_object__open_file(file.toString(), opts));
        return new BpfObject(object, file.getFileName().toString().replaceFirst("\\.o$", ""), null);
    }

    /** Opens an ELF image held in memory (e.g. a classpath resource) under the given name. */
    public static BpfObject open(byte[] elf, String name, Path pinRoot) {
        Pointer image = Native.alloc(elf.length);
        image.put(0, elf, 0, elf.length);
        Pointer root = pinRoot == null ? null : Native.cStringPointer(pinRoot.toString());
        Pointer opts = LibBpfStructs.OpenOpts.of(Native.cStringPointer(name), root);
        Pointer object = Native.checkPointer("bpf_object__open_mem", "opening BPF object " + name,
                () -> Native.libbpf().bpf_object__open_mem(image, elf.length, opts));
        return new BpfObject(object, name, image);
    }

    public String name() {
        return name;
    }

    /**
     * Names what this object needs of the kernel (e.g. a minimum version) in the message of a
     * failed {@link #load}, where a verifier log alone would not say it.
     */
    BpfObject requiring(String kernelRequirement) {
        this.requirement = kernelRequirement;
        return this;
    }

    /** Loads every program (running the verifier) and creates or reuses every map. */
    public BpfObject load() {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException("BPF object " + name + " is already loaded");
        }
        String context = "loading BPF object " + name + (requirement.isEmpty() ? "" : " (" + requirement + ")");
        Native.check("bpf_object__load", context, () -> Native.libbpf().bpf_object__load(object));
        loaded = true;
        return this;
    }

    public Set<String> programNames() {
        return Collections.unmodifiableSet(programs.keySet());
    }

    public Set<String> mapNames() {
        return Collections.unmodifiableSet(maps.keySet());
    }

    /** The program with this function name (C function, not section). */
    public BpfProgram program(String programName) {
        ensureOpen();
        BpfProgram program = programs.get(programName);
        if (program == null) {
            throw new IllegalArgumentException("BPF object " + name + " has no program " + programName
                    + "; it has " + programs.keySet());
        }
        return program;
    }

    /** Typed access to a map of this loaded object; valid while the object is open. */
    public <K, V> BpfMap<K, V> map(String mapName, StructCodec<K> keys, StructCodec<V> values) {
        requireLoaded("map access");
        int fd = Native.check("bpf_map__fd", "getting the fd of map " + mapName,
                () -> Native.libbpf().bpf_map__fd(mapPointer(mapName)));
        return BpfMap.borrow(fd, mapName, keys, values);
    }

    /** The consumer of a ring-buffer map of this loaded object; valid while the object is open. */
    public RingBuffer ringBuffer(String mapName, Consumer<ByteBuffer> records) {
        requireLoaded("ring buffer access");
        int fd = Native.check("bpf_map__fd", "getting the fd of map " + mapName,
                () -> Native.libbpf().bpf_map__fd(mapPointer(mapName)));
        return RingBuffer.borrow(mapName, fd, records);
    }

    /** Where the map is (or will be at load) pinned, if it is pinned. */
    public Optional<Path> pinPath(String mapName) {
        ensureOpen();
        String path = Native.libbpf().bpf_map__pin_path(mapPointer(mapName));
        return Optional.ofNullable(path).map(Path::of);
    }

    /** Before load: pin (or reuse) this map at path instead of its default; null unpins it. */
    public void setPinPath(String mapName, Path path) {
        ensureOpen();
        if (loaded) {
            throw new IllegalStateException("set the pin path of " + mapName + " before loading " + name);
        }
        Native.check("bpf_map__set_pin_path", "setting the pin path of map " + mapName + " to " + path,
                () -> Native.libbpf().bpf_map__set_pin_path(mapPointer(mapName), path == null ? null : path.toString()));
    }

    /** Pins every map of the object under dir (by map name), or at its own pin path when set. */
    public void pinMaps(Path dir) {
        requireLoaded("pinning maps");
        Native.check("bpf_object__pin_maps", "pinning the maps of " + name + " under " + dir,
                () -> Native.libbpf().bpf_object__pin_maps(object, dir == null ? null : dir.toString()));
    }

    /** Removes the pins {@link #pinMaps} created; the maps live on while something uses them. */
    public void unpinMaps(Path dir) {
        requireLoaded("unpinning maps");
        Native.check("bpf_object__unpin_maps", "unpinning the maps of " + name + " under " + dir,
                () -> Native.libbpf().bpf_object__unpin_maps(object, dir == null ? null : dir.toString()));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.libbpf().bpf_object__close(object);
        }
    }

    void requireLoaded(String what) {
        ensureOpen();
        if (!loaded) {
            throw new IllegalStateException(what + " needs BPF object " + name + " loaded: call load() first");
        }
    }

    private Pointer mapPointer(String mapName) {
        Pointer map = maps.get(mapName);
        if (map == null) {
            throw new IllegalArgumentException("BPF object " + name + " has no map " + mapName + "; it has "
                    + maps.keySet());
        }
        return map;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + name + " is closed");
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (loaded ? ", loaded" : "") + (closed ? ", closed" : "") + "]";
    }
}
