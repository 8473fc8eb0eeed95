package io.portcullis.bpf;

/**
 * A libbpf or BPF syscall failure: the function that failed, the errno it reported, libbpf's text
 * for that errno, what Portcullis was doing, and libbpf's own warnings from the failing call
 * (for a program load, the verifier log).
 */
public final class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;

    private final String function;
    private final int errno;
    private final String libbpfLog;

    BpfException(String function, int errno, String errorText, String context, String libbpfLog) {
        super(format(function, errno, errorText, context, libbpfLog));
        this.function = function;
        this.errno = errno;
        this.libbpfLog = libbpfLog;
    }

    /** The libbpf (or libc) function that failed, e.g. {@code bpf_object__load}. */
    public String function() {
        return function;
    }

    /** The positive errno value, e.g. 1 for EPERM. */
    public int errno() {
        return errno;
    }

    /** libbpf's warnings printed during the failing call; empty when it printed none. */
    public String libbpfLog() {
        return libbpfLog;
    }

    public boolean isNotFound() {
        return errno == ENOENT;
    }

    private static String format(String function, int errno, String errorText, String context, String log) {
        StringBuilder message = new StringBuilder()
                .append(context).append(": ").append(function).append(" failed: ")
                .append(errorText).append(" (errno ").append(errno).append(')');
        if (log.contains("BEGIN PROG LOAD LOG")) {
            message.append(" - the kernel verifier rejected the program; its log follows");
        } else if (errno == EPERM || errno == EACCES) {
            message.append(" - BPF needs root (or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)");
        }
        if (!log.isEmpty()) {
            message.append('\n').append(log);
        }
        return message.toString();
    }
}
