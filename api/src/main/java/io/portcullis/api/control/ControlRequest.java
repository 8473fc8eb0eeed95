package io.portcullis.api.control;

import java.util.Objects;

/** One request on the proxy's control socket; the proxy answers with one line (or, for a hand-over, with file descriptors). */
public record ControlRequest(Kind kind) {
    public enum Kind {
        /** answered with a {@link ProxyStatus} */
        STATUS,
        /** the listening sockets, as file descriptors; the connection closes after the last one */
        HANDOVER,
        /** stop accepting (the listeners were handed over) and drain; answered with a {@link ProxyStatus} */
        DRAIN,
        /** stop accepting and close every connection now; answered with a {@link ProxyStatus} */
        STOP
    }

    public ControlRequest {
        Objects.requireNonNull(kind, "kind");
    }
}
