package io.portcullis.bpf;

import jnr.ffi.Pointer;

/**
 * Input for {@code BPF_PROG_TEST_RUN} ({@link BpfProgram#testRun}): a packet (a whole Ethernet
 * frame for XDP and TC programs; the kernel rejects frames shorter than 14 bytes), an optional
 * context (for TC, a {@code struct __sk_buff} prefix such as {@code mark}; fields the kernel does
 * not accept must be zero) and a repeat count for timing.
 */
public final class TestRun {
    /** Room for programs that grow the packet (adjust_head/tail). */
    private static final int OUTPUT_HEADROOM = 256;

    private final byte[] packet;
    private final byte[] context;
    private final int repeat;

    private TestRun(byte[] packet, byte[] context, int repeat) {
        this.packet = packet.clone();
        this.context = context == null ? null : context.clone();
        this.repeat = repeat;
    }

    public static TestRun of(byte[] packet) {
        return new TestRun(packet, null, 1);
    }

    /** Runs the program repeat times in a kernel loop; the result's duration is the mean. */
    public TestRun repeat(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + times);
        }
        return new TestRun(packet, context, times);
    }

    public TestRun context(byte[] ctx) {
        return new TestRun(packet, ctx, repeat);
    }

    /**
     * What the program returned (XDP_* / TC_ACT_*), the packet after it ran, and the mean run time
     * per repetition in nanoseconds as the kernel measured it.
     */
    public record Result(int retval, byte[] packet, long durationNs) {
    }

    Result execute(int progFd, String programName) {
        Pointer in = Native.alloc(packet.length);
        in.put(0, packet, 0, packet.length);
        int outSize = packet.length + OUTPUT_HEADROOM;
        Pointer out = Native.alloc(outSize);
        Pointer opts = Native.alloc(LibBpfStructs.TestRunOpts.SIZE);
        opts.putLong(LibBpfStructs.TestRunOpts.SZ, LibBpfStructs.TestRunOpts.SIZE);
        opts.putPointer(LibBpfStructs.TestRunOpts.DATA_IN, in);
        opts.putInt(LibBpfStructs.TestRunOpts.DATA_SIZE_IN, packet.length);
        opts.putPointer(LibBpfStructs.TestRunOpts.DATA_OUT, out);
        opts.putInt(LibBpfStructs.TestRunOpts.DATA_SIZE_OUT, outSize);
        opts.putInt(LibBpfStructs.TestRunOpts.REPEAT, repeat);
        if (context != null) {
            Pointer ctx = Native.alloc(context.length);
            ctx.put(0, context, 0, context.length);
            opts.putPointer(LibBpfStructs.TestRunOpts.CTX_IN, ctx);
            opts.putInt(LibBpfStructs.TestRunOpts.CTX_SIZE_IN, context.length);
        }
        Native.check("bpf_prog_test_run_opts", "test-running " + programName,
                () -> Native.libbpf().bpf_prog_test_run_opts(progFd, opts));
        byte[] result = new byte[opts.getInt(LibBpfStructs.TestRunOpts.DATA_SIZE_OUT)];
        out.get(0, result, 0, result.length);
        return new Result(opts.getInt(LibBpfStructs.TestRunOpts.RETVAL), result,
                Integer.toUnsignedLong(opts.getInt(LibBpfStructs.TestRunOpts.DURATION)));
    }
}
