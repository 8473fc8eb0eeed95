package io.portcullis.bpf;

import jnr.ffi.Pointer;

/**
 * Byte layouts of the libbpf 1.1.2 option structs and the UAPI {@code struct bpf_map_info}, for
 * x86-64 and arm64 (LP64). libbpf's option structs start with {@code size_t sz}: libbpf reads only
 * the first {@code sz} bytes and treats the rest as zero, so sz must be this layout's size, never
 * larger. {@code LibBpfStructsTest} compiles a C program against the installed libbpf headers and
 * checks every offset here.
 */
final class LibBpfStructs {
    private LibBpfStructs() {
    }

    /** {@code struct bpf_object_open_opts}, only up to {@code pin_root_path} (a valid older sz). */
    static final class OpenOpts {
        static final int SZ = 0;
        static final int OBJECT_NAME = 8;
        static final int PIN_ROOT_PATH = 24;
        static final int SIZE = 32;

        private OpenOpts() {
        }

        static Pointer of(Pointer objectName, Pointer pinRootPath) {
            Pointer opts = Native.alloc(SIZE);
            opts.putLong(SZ, SIZE);
            opts.putPointer(OBJECT_NAME, objectName);
            opts.putPointer(PIN_ROOT_PATH, pinRootPath);
            return opts;
        }
    }

    /** {@code struct bpf_tc_hook}. */
    static final class TcHook {
        static final int SZ = 0;
        static final int IFINDEX = 8;
        static final int ATTACH_POINT = 12;
        static final int PARENT = 16;
        static final int SIZE = 24;

        private TcHook() {
        }

        static Pointer of(int ifindex, int attachPoint) {
            Pointer hook = Native.alloc(SIZE);
            hook.putLong(SZ, SIZE);
            hook.putInt(IFINDEX, ifindex);
            hook.putInt(ATTACH_POINT, attachPoint);
            return hook;
        }
    }

    /** {@code struct bpf_tc_opts}. */
    static final class TcOpts {
        static final int SZ = 0;
        static final int PROG_FD = 8;
        static final int FLAGS = 12;
        static final int PROG_ID = 16;
        static final int HANDLE = 20;
        static final int PRIORITY = 24;
        static final int SIZE = 32;
        static final int BPF_TC_F_REPLACE = 1;

        private TcOpts() {
        }

        static Pointer of(int progFd, int flags, int handle, int priority) {
            Pointer opts = Native.alloc(SIZE);
            opts.putLong(SZ, SIZE);
            opts.putInt(PROG_FD, progFd);
            opts.putInt(FLAGS, flags);
            opts.putInt(HANDLE, handle);
            opts.putInt(PRIORITY, priority);
            return opts;
        }
    }

    /** {@code struct bpf_test_run_opts}. */
    static final class TestRunOpts {
        static final int SZ = 0;
        static final int DATA_IN = 8;
        static final int DATA_OUT = 16;
        static final int DATA_SIZE_IN = 24;
        static final int DATA_SIZE_OUT = 28;
        static final int CTX_IN = 32;
        static final int CTX_OUT = 40;
        static final int CTX_SIZE_IN = 48;
        static final int CTX_SIZE_OUT = 52;
        static final int RETVAL = 56;
        static final int REPEAT = 60;
        static final int DURATION = 64;
        static final int FLAGS = 68;
        static final int CPU = 72;
        static final int BATCH_SIZE = 76;
        static final int SIZE = 80;

        private TestRunOpts() {
        }
    }

    /** UAPI {@code struct bpf_map_info}, the prefix up to and including {@code name}. */
    static final class MapInfo {
        static final int TYPE = 0;
        static final int ID = 4;
        static final int KEY_SIZE = 8;
        static final int VALUE_SIZE = 12;
        static final int MAX_ENTRIES = 16;
        static final int MAP_FLAGS = 20;
        static final int NAME = 24;
        static final int NAME_LEN = 16;
        static final int SIZE = 40;

        private MapInfo() {
        }
    }
}
