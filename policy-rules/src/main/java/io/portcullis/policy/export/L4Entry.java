package io.portcullis.policy.export;

import io.portcullis.policy.model.Protocol;
import io.portcullis.policy.resolve.Direction;
import io.portcullis.policy.resolve.L4Verdict;
import java.util.Objects;

/**
 * One table entry: what {@code local}'s {@code direction} rules say about {@code remote} on the
 * given protocol and ports.
 *
 * @param protocol {@link Protocol#ANY} for the entry covering every protocol (and port)
 * @param fromPort first port, inclusive; 0 with {@code toPort} 65535 means every port
 * @param toPort   last port, inclusive
 * @param policy   the deciding policy's name, or null when no policy selects the direction
 * @param audit    a DENIED verdict that only policies in audit mode make: forwarded and counted as
 *                 audit, not dropped
 * @param dns      an L7 verdict of DNS rules: the traffic goes to the DNS proxy, not the L7 proxy
 */
public record L4Entry(int localId, int remoteId, Direction direction, Protocol protocol, int fromPort, int toPort,
                      L4Verdict verdict, String policy, boolean audit, boolean dns) {
    public static final int MAX_PORT = 65535;

    /** An entry that is not DNS rules'. */
    public L4Entry(int localId, int remoteId, Direction direction, Protocol protocol, int fromPort, int toPort,
                   L4Verdict verdict, String policy, boolean audit) {
        this(localId, remoteId, direction, protocol, fromPort, toPort, verdict, policy, audit, false);
    }

    /** An entry no audit mode touches. */
    public L4Entry(int localId, int remoteId, Direction direction, Protocol protocol, int fromPort, int toPort,
                   L4Verdict verdict, String policy) {
        this(localId, remoteId, direction, protocol, fromPort, toPort, verdict, policy, false);
    }

    public L4Entry {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(verdict, "verdict");
        if (fromPort < 0 || toPort > MAX_PORT || fromPort > toPort) {
            throw new IllegalArgumentException("bad port span " + fromPort + ".." + toPort);
        }
        if (protocol == Protocol.ANY && !allPorts(fromPort, toPort)) {
            throw new IllegalArgumentException("an every-protocol entry covers every port");
        }
    }

    public boolean allPorts() {
        return allPorts(fromPort, toPort);
    }

    private static boolean allPorts(int from, int to) {
        return from == 0 && to == MAX_PORT;
    }
}
