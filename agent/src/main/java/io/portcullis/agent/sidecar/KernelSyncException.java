package io.portcullis.agent.sidecar;

/**
 * The kernel's service maps did not take a change; the {@link ServiceRegistry} kept the services
 * it had. {@link #kind()} says why, so that the API can tell the caller what to do.
 */
final class KernelSyncException extends RuntimeException {
    /** Why the maps did not take the change. */
    enum Kind {
        /** The maps cannot hold it (too many services or backends, a frontend twice): the message says what to remove. */
        REFUSED,
        /** A map operation failed. */
        FAILED,
        /** The agent is stopping and has closed the maps. */
        STOPPING
    }

    private final Kind kind;

    private KernelSyncException(String message, RuntimeException cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    /**
     * @param change what was asked, as in "service 'web'"
     * @param cause  what the load balancer threw: its model refuses with {@link IllegalArgumentException}
     *               or {@link IllegalStateException} before writing; anything else is a map operation that failed
     */
    static KernelSyncException of(String change, RuntimeException cause) {
        boolean refused = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
        String advice = refused ? "nothing was changed; make room as it says, then retry"
                : "nothing was changed; see the agent log, check the maps with 'portcullis bpf lb list', then retry";
        return new KernelSyncException("the kernel's service maps did not take " + change + ": " + cause.getMessage()
                + "; " + advice, cause, refused ? Kind.REFUSED : Kind.FAILED);
    }

    /** For a change that arrives after the maps were closed. */
    static KernelSyncException stopping() {
        return new KernelSyncException("the agent is stopping and has closed its service maps; nothing was changed: "
                + "retry once it runs again", null, Kind.STOPPING);
    }

    Kind kind() {
        return kind;
    }
}
