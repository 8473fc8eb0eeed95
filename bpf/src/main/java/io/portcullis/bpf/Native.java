package io.portcullis.bpf;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * Loads libbpf and libc once and is the single place where their failures become exceptions.
 *
 * <p>libbpf reports details (verifier log, relocation problems, missing kernel features) through
 * its print callback rather than return values. The callback installed here logs them and keeps
 * the messages of the current call per thread, so a failing call's {@link BpfException} carries
 * the text that explains it.
 *
 * <p>The bindings are the nested {@link LibBpf} and {@link LibC} interfaces. jnr-ffi generates
 * their implementations in its own class loader, so they must be public; nesting them in this
 * package-private class keeps them invisible outside the package (as jnr-unixsocket does).
 */
final class Native {
    private static final System.Logger LOG = System.getLogger("io.portcullis.bpf.libbpf");
    private static final int ENOENT = 2;
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    /** Verifier logs can be long; the end holds the error, so the tail is kept. */
    private static final int MAX_CAPTURED_CHARS = 32 * 1024;

    private static final LibBpf LIBBPF;
    private static final LibC LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable LOAD_FAILURE;
    private static final ThreadLocal<StringBuilder> CAPTURED = ThreadLocal.withInitial(StringBuilder::new);
    /** Set during {@link #checkExpecting}: warnings are captured for the exception, not logged. */
    private static final ThreadLocal<Boolean> QUIET = new ThreadLocal<>();
    /** A whole verifier log arrives as one message; its end holds the error, so room for it. */
    private static final int PRINT_BUFFER_SIZE = 1 << 20;
    private static final ThreadLocal<Pointer> PRINT_BUFFER =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(Native.runtime(), PRINT_BUFFER_SIZE));
    /** Held strongly: libbpf keeps only the native stub, which dies with this object. */
    private static final LibBpf.PrintFn PRINT = Native::print;

    static {
        LibBpf libbpf = null;
        LibC libc = null;
        Throwable failure = null;
        try {
            libc = LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");
            libbpf = LibraryLoader.create(LibBpf.class).failImmediately().load("libbpf.so.1");
            libbpf.libbpf_set_print(PRINT);
        } catch (LinkageError | RuntimeException e) { // jnr-ffi reports a missing library or symbol either way
            failure = e;
        }
        LIBBPF = libbpf;
        LIBC = libc;
        RUNTIME = libbpf == null ? null : Runtime.getRuntime(libbpf);
        LOAD_FAILURE = failure;
    }

    private Native() {
    }

    static LibBpf libbpf() {
        requireLoaded();
        return LIBBPF;
    }

    static LibC libc() {
        requireLoaded();
        return LIBC;
    }

    static Runtime runtime() {
        requireLoaded();
        return RUNTIME;
    }

    /** Why libbpf cannot be used here, or null when it loaded. */
    static String loadFailure() {
        return LOAD_FAILURE == null ? null : describeLoadFailure();
    }

    private static void requireLoaded() {
        if (LOAD_FAILURE != null) {
            throw new IllegalStateException(describeLoadFailure(), LOAD_FAILURE);
        }
    }

    private static String describeLoadFailure() {
        return "cannot load libbpf.so.1 (" + LOAD_FAILURE.getMessage()
                + "): install libbpf 1.x, on Debian/Ubuntu: apt-get install -y libbpf1";
    }

    /**
     * Runs a libbpf call that returns {@code -errno} on failure and returns its non-negative
     * result; {@code context} says what Portcullis was doing, for the exception message.
     */
    static int check(String function, String context, IntSupplier call) {
        CAPTURED.get().setLength(0);
        int rc = call.getAsInt();
        String log = takeCaptured();
        if (rc < 0) {
            throw new BpfException(function, -rc, strerror(-rc), context, log);
        }
        return rc;
    }

    /**
     * Like {@link #check} for a call whose failure with {@code expectedErrno} means "already so"
     * (e.g. EEXIST from creating the clsact qdisc a first attach created): that failure returns 0,
     * and what libbpf printed about it stays at debug level instead of reaching the operator.
     */
    static int checkExpecting(String function, String context, int expectedErrno, IntSupplier call) {
        QUIET.set(Boolean.TRUE);
        try {
            CAPTURED.get().setLength(0);
            int rc = call.getAsInt();
            String log = takeCaptured();
            if (rc == -expectedErrno) {
                return 0;
            }
            if (rc < 0) {
                throw new BpfException(function, -rc, strerror(-rc), context, log);
            }
            return rc;
        } finally {
            QUIET.remove();
        }
    }

    /**
     * Like {@link #check} for lookups and deletes, where absence is an answer: returns false on
     * {@code -ENOENT} instead of throwing.
     */
    static boolean checkFound(String function, String context, IntSupplier call) {
        CAPTURED.get().setLength(0);
        int rc = call.getAsInt();
        String log = takeCaptured();
        if (rc == -ENOENT) {
            return false;
        }
        if (rc < 0) {
            throw new BpfException(function, -rc, strerror(-rc), context, log);
        }
        return true;
    }

    /** Runs a libbpf call that returns NULL and sets errno on failure. */
    static Pointer checkPointer(String function, String context, Supplier<Pointer> call) {
        CAPTURED.get().setLength(0);
        Pointer result = call.get();
        int errno = LastError.getLastError(RUNTIME);
        String log = takeCaptured();
        if (result == null || result.address() == 0) {
            throw new BpfException(function, errno, strerror(errno), context, log);
        }
        return result;
    }

    /** Runs a libc call that returns -1 and sets errno on failure. */
    static int checkLibc(String function, String context, IntSupplier call) {
        int rc = call.getAsInt();
        if (rc == -1) {
            int errno = LastError.getLastError(runtime());
            throw new BpfException(function, errno, strerror(errno), context, "");
        }
        return rc;
    }

    static String strerror(int errno) {
        byte[] buf = new byte[256];
        LIBBPF.libbpf_strerror(errno, buf, buf.length);
        return cString(buf);
    }

    /** Zeroed native memory, freed when the returned pointer is garbage collected. */
    static Pointer alloc(int size) {
        return Memory.allocateDirect(runtime(), size, true);
    }

    static Pointer cStringPointer(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Pointer p = Memory.allocateDirect(runtime(), bytes.length + 1, true);
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    static String cString(byte[] buf) {
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    private static String takeCaptured() {
        StringBuilder captured = CAPTURED.get();
        String text = captured.toString().strip();
        captured.setLength(0);
        return text;
    }

    private static int print(int level, Pointer format, Pointer args) {
        if (level > LIBBPF_INFO && !LOG.isLoggable(Level.TRACE)) {
            return 0; // debug chatter: do not even format it
        }
        Pointer buf = PRINT_BUFFER.get();
        int length = LIBC.vsnprintf(buf, PRINT_BUFFER_SIZE, format, args);
        byte[] bytes = new byte[Math.max(0, Math.min(length, PRINT_BUFFER_SIZE - 1))];
        buf.get(0, bytes, 0, bytes.length);
        String message = new String(bytes, StandardCharsets.UTF_8);
        if (level == LIBBPF_WARN) {
            StringBuilder captured = CAPTURED.get();
            captured.append(message);
            if (captured.length() > MAX_CAPTURED_CHARS) {
                captured.delete(0, captured.length() - MAX_CAPTURED_CHARS);
            }
        }
        Level julLevel = level == LIBBPF_WARN && QUIET.get() == null ? Level.WARNING
                : level <= LIBBPF_INFO ? Level.DEBUG : Level.TRACE;
        LOG.log(julLevel, message::stripTrailing); // libbpf prefixes its messages with "libbpf: "
        return 0;
    }

    /**
     * The libbpf 1.x functions Portcullis calls, bound once by {@link Native}. Names and argument
     * order follow libbpf.h / bpf.h / btf.h so the C documentation applies directly. With libbpf 1.0
     * semantics int-returning functions return {@code -errno} on failure and pointer-returning ones
     * return NULL with errno set; {@link Native} turns both into {@link BpfException}. Never call
     * these directly outside {@link Native#check} / {@link Native#checkPointer}.
     */
    public interface LibBpf {

        /** {@code libbpf_print_fn_t}: level, printf format, and the va_list (passed by reference). */
        interface PrintFn {
            @Delegate
            int print(int level, Pointer format, Pointer args);
        }

        Pointer libbpf_set_print(PrintFn fn);

        int libbpf_strerror(int err, @Out byte[] buf, @size_t long size);

        int libbpf_num_possible_cpus();

        int libbpf_probe_bpf_prog_type(int progType, Pointer opts);

        // Objects

        @SaveError
        Pointer bpf_object__open_file(String path, Pointer opts);

        @SaveError
        Pointer bpf_object__open_mem(Pointer buf, @size_t long size, Pointer opts);

        int bpf_object__load(Pointer obj);

        void bpf_object__close(Pointer obj);

        Pointer bpf_object__next_program(Pointer obj, Pointer prev);

        Pointer bpf_object__next_map(Pointer obj, Pointer prev);

        int bpf_object__pin_maps(Pointer obj, String path);

        int bpf_object__unpin_maps(Pointer obj, String path);

        // Programs and maps of an object

        String bpf_program__name(Pointer prog);

        int bpf_program__fd(Pointer prog);

        int bpf_program__pin(Pointer prog, String path);

        String bpf_map__name(Pointer map);

        int bpf_map__fd(Pointer map);

        int bpf_map__set_pin_path(Pointer map, String path);

        String bpf_map__pin_path(Pointer map);

        // Low-level syscall wrappers (bpf.h)

        int bpf_map_update_elem(int fd, @In byte[] key, @In byte[] value, long flags);

        int bpf_map_lookup_elem(int fd, @In byte[] key, @Out byte[] value);

        int bpf_map_delete_elem(int fd, @In byte[] key);

        int bpf_map_get_next_key(int fd, @In byte[] key, @Out byte[] nextKey);

        int bpf_obj_pin(int fd, String path);

        int bpf_obj_get(String path);

        int bpf_obj_get_info_by_fd(int fd, @Out byte[] info, int[] infoLen);

        int bpf_prog_attach(int progFd, int targetFd, int type, int flags);

        int bpf_prog_detach2(int progFd, int targetFd, int type);

        int bpf_prog_test_run_opts(int progFd, Pointer opts);

        // Ring buffers

        /** {@code ring_buffer_sample_fn}: ctx, the record and its size; non-zero stops the poll. */
        interface RingBufferSampleFn {
            @Delegate
            int sample(Pointer ctx, Pointer data, @size_t long size);
        }

        @SaveError
        Pointer ring_buffer__new(int mapFd, RingBufferSampleFn sample, Pointer ctx, Pointer opts);

        int ring_buffer__poll(Pointer rb, int timeoutMs);

        void ring_buffer__free(Pointer rb);

        // TC (netlink, clsact) and XDP

        int bpf_tc_hook_create(Pointer hook);

        int bpf_tc_attach(Pointer hook, Pointer opts);

        int bpf_tc_detach(Pointer hook, Pointer opts);

        int bpf_xdp_attach(int ifindex, int progFd, int flags, Pointer opts);

        int bpf_xdp_detach(int ifindex, int flags, Pointer opts);

        int bpf_xdp_query_id(int ifindex, int flags, int[] progId);

        // BTF

        @SaveError
        Pointer btf__parse_elf(String path, Pointer btfExt);

        void btf__free(Pointer btf);

        int btf__find_by_name_kind(Pointer btf, String name, int kind);

        Pointer btf__type_by_id(Pointer btf, int id);

        String btf__name_by_offset(Pointer btf, int offset);
    }

    /**
     * The few libc calls the BPF layer needs and Java does not offer: directory fds for cgroup
     * attachment, mount(2) for bpffs, setns(2) for per-thread network namespace switches, interface
     * indexes in the current thread's namespace, and vsnprintf for libbpf's va_list messages.
     */
    public interface LibC {
        int O_RDONLY = 0;
        int O_DIRECTORY = 0x10000;
        int O_CLOEXEC = 0x80000;
        int CLONE_NEWNET = 0x40000000;

        @SaveError
        int open(String path, int flags);

        int close(int fd);

        @SaveError
        int mount(String source, String target, String fsType, long flags, Pointer data);

        @SaveError
        int setns(int fd, int nsType);

        @SaveError
        int if_nametoindex(String name);

        @SaveError
        int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);

        int vsnprintf(Pointer buf, @size_t long size, Pointer format, Pointer args);
    }
}
