package io.portcullis.bpf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded BPF object whose two TC programs go on one interface, one on ingress and one on egress
 * (bpf_lxc on endpoint veths, bpf_lb on the uplink). Both filters use the fixed handle
 * ({@link TcAttachment#HANDLE}) and the given priority, so attaching again — after an agent
 * restart, with a freshly loaded object — replaces them in place.
 */
public final class TcProgramPair implements AutoCloseable {
    private final BpfObject object;
    private final String ingress;
    private final String egress;
    private final int priority;

    private TcProgramPair(BpfObject object, String ingress, String egress, int priority) {
        this.object = object;
        this.ingress = ingress;
        this.egress = egress;
        this.priority = priority;
    }

    /** Opens and loads the object with its maps pinned under pinRoot; closes it again on failure. */
    public static TcProgramPair load(DatapathObject which, Path pinRoot, String ingress, String egress, int priority) {
        BpfObject object = which.open(pinRoot);
        try {
            return new TcProgramPair(object.load(), ingress, egress, priority);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The loaded object, for its maps (borrowed: valid while this pair is open). */
    public BpfObject object() {
        return object;
    }

    /** Attaches ingress first, then egress (calling thread's network namespace). */
    public void attach(int ifindex) {
        object.program(ingress).attachTc(ifindex, TcDirection.INGRESS, priority);
        object.program(egress).attachTc(ifindex, TcDirection.EGRESS, priority);
    }

    /**
     * Removes the pair's filters (handle {@link TcAttachment#HANDLE}, this priority) when they are
     * there; returns the directions a filter was removed from. A missing filter or interface is not
     * an error: an interface deleted with its endpoint took its filters along.
     */
    public static List<TcDirection> detach(int ifindex, int priority) {
        List<TcDirection> removed = new ArrayList<>();
        for (TcDirection direction : TcDirection.values()) {
            try {
                new TcAttachment(ifindex, direction, TcAttachment.HANDLE, priority, 0).close();
                removed.add(direction);
            } catch (BpfException gone) {
                // ENOENT / ENODEV / EINVAL: no such filter or interface.
            }
        }
        return removed;
    }

    /** Closes the object; pins and attachments stay. */
    @Override
    public void close() {
        object.close();
    }
}
