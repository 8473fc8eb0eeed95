package io.portcullis.bpf;

/**
 * A program attached to a hook. Attachments outlive the process that made them; {@link #close()}
 * detaches. TC and XDP attachments are per network namespace: close them from a thread in the
 * namespace they were made in (see {@link NetNs}).
 */
public interface Attachment extends AutoCloseable {
    /** Detaches the program; fails with {@link BpfException} when it is no longer attached. */
    @Override
    void close();
}
