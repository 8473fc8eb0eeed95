package io.portcullis.agent.sidecar;

import io.portcullis.agent.datapath.DatapathComponent;
import io.portcullis.agent.datapath.NodeView;
import io.portcullis.bpf.NetNs;
import io.portcullis.bpf.XdpAttachment;
import io.portcullis.bpf.XdpMode;
import io.portcullis.bpf.sidecar.Cidr;
import io.portcullis.bpf.sidecar.Prefilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The XDP CIDR prefilter on the configured uplink. At start the pinned maps are reconciled to the
 * persisted block list (entries kept keep their drop counts) and bpf_xdp is attached, natively
 * where the driver can, generically otherwise. Additions reach the list before the maps and
 * removals the maps before the list, so the maps never block what a restart would not restore.
 */
public final class UplinkPrefilter implements DatapathComponent {
    private static final System.Logger LOG = System.getLogger(UplinkPrefilter.class.getName());

    private final String uplink;
    private final Prefilter prefilter;
    private final PrefilterStore store;
    private final Set<Cidr> blocked;
    private final XdpAttachment attachment;

    public UplinkPrefilter(Path pinRoot, Path stateDir, String uplink) throws IOException {
        this.uplink = uplink;
        this.store = new PrefilterStore(stateDir);
        this.blocked = new LinkedHashSet<>(store.load());
        this.prefilter = Prefilter.load(pinRoot);
        try {
            for (Prefilter.Entry entry : prefilter.list()) {
                if (!blocked.contains(entry.cidr())) {
                    prefilter.delete(entry.cidr());
                }
            }
            blocked.forEach(prefilter::add);
            this.attachment = prefilter.attach(NetNs.interfaceIndex(uplink));
        } catch (RuntimeException e) {
            prefilter.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "XDP prefilter attached to " + uplink + " (" + attachment.mode().name()
                .toLowerCase() + " mode), " + blocked.size() + " blocked prefixes");
    }

    @Override
    public String name() {
        return "prefilter";
    }

    /** The block list does not depend on policy or endpoints. */
    @Override
    public void apply(NodeView view) {
    }

    public String uplink() {
        return uplink;
    }

    /** {@code native} or {@code generic}. */
    public String mode() {
        return attachment.mode().name().toLowerCase();
    }

    /** Blocks the prefixes; returns those that were not blocked yet. */
    public synchronized List<Cidr> add(List<Cidr> cidrs) throws IOException {
        List<Cidr> added = new ArrayList<>();
        Set<Cidr> next = new LinkedHashSet<>(blocked);
        for (Cidr cidr : cidrs) {
            if (next.add(cidr)) {
                added.add(cidr);
            }
        }
        store.save(next);
        blocked.addAll(added);
        added.forEach(prefilter::add);
        return added;
    }

    /** Unblocks the prefixes; returns those that were blocked. */
    public synchronized List<Cidr> delete(List<Cidr> cidrs) throws IOException {
        List<Cidr> deleted = new ArrayList<>();
        for (Cidr cidr : cidrs) {
            if (blocked.contains(cidr)) {
                deleted.add(cidr);
            }
        }
        deleted.forEach(prefilter::delete);
        Set<Cidr> next = new LinkedHashSet<>(blocked);
        next.removeAll(deleted);
        store.save(next);
        blocked.removeAll(deleted);
        return deleted;
    }

    public synchronized List<Prefilter.Entry> list() {
        return prefilter.list();
    }

    /**
     * For {@code uninstall}: detaches whatever XDP program runs on {@code uplink} (in any mode),
     * which with the agent stopped is the prefilter this class attached. Returns what it did.
     */
    public static List<String> detach(String uplink) {
        List<String> removed = new ArrayList<>();
        int ifindex;
        try {
            ifindex = NetNs.interfaceIndex(uplink);
        } catch (IllegalArgumentException gone) {
            return removed;
        }
        for (XdpMode mode : XdpMode.values()) {
            XdpAttachment attachment = new XdpAttachment(ifindex, mode);
            if (attachment.attachedProgramId() != 0) {
                attachment.close();
                removed.add("detached the " + mode.name().toLowerCase() + " XDP prefilter from " + uplink);
            }
        }
        return removed;
    }

    /** The program stays attached and the maps pinned: the node stays protected without the agent. */
    @Override
    public synchronized void close() {
        prefilter.close();
    }
}
