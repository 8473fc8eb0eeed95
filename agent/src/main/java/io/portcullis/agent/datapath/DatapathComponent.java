package io.portcullis.agent.datapath;

/**
 * A part of the kernel datapath the agent keeps in step with its state (socket steering, TC
 * policy, prefilter, ...). {@link #apply} is called once at start and after every change of
 * policy or endpoints, always with the whole current view: an implementation computes and writes
 * the difference, idempotently, so a restarted agent converges on what is pinned.
 */
public interface DatapathComponent extends AutoCloseable {
    /** A short name for logs and {@code status}. */
    String name();

    void apply(NodeView view) throws Exception;

    /**
     * Stops managing the datapath. Pinned programs and maps stay, so traffic keeps its policy
     * while the agent is away; removing them is {@code uninstall}'s job.
     */
    @Override
    void close();
}
