package io.portcullis.agent.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The uplink the agent attached its programs to (bpf_xdp, bpf_lb), in the state directory
 * ({@code uplink}). The programs stay attached while the agent is away, so when the config no
 * longer names that device only this record says where they are: the next start, and
 * {@code uninstall}, detach them from it.
 */
public final class UplinkRecord {
    private static final System.Logger LOG = System.getLogger(UplinkRecord.class.getName());

    private final Path file;

    public UplinkRecord(Path stateDir) {
        this.file = stateDir.resolve("uplink");
    }

    /** The recorded device, or null when none is. */
    String read() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String uplink = Files.readString(file, StandardCharsets.UTF_8).strip();
        return uplink.isEmpty() ? null : uplink;
    }

    /**
     * At start, before attaching: detaches the programs from the recorded device when the config
     * names another one or none ({@code uplink} null), then records {@code uplink}. Returns what
     * it detached.
     */
    List<String> reconcile(String uplink) throws IOException {
        String recorded = read();
        List<String> removed = new ArrayList<>();
        if (recorded != null && !recorded.equals(uplink)) {
            removed.addAll(detach(recorded));
            removed.forEach(line -> LOG.log(System.Logger.Level.INFO, line + ": the config no longer names "
                    + recorded + " as the uplink"));
        }
        if (uplink == null) {
            Files.deleteIfExists(file);
        } else if (!uplink.equals(recorded)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, uplink + "\n", StandardCharsets.UTF_8);
        }
        return removed;
    }

    /**
     * For {@code uninstall}: detaches the programs from the recorded device and from {@code uplink}
     * (the config's, or null), then removes the record. Returns what it did.
     */
    public List<String> uninstall(String uplink) throws IOException {
        String recorded = read();
        List<String> removed = new ArrayList<>();
        if (uplink != null) {
            removed.addAll(detach(uplink));
        }
        if (recorded != null && !recorded.equals(uplink)) {
            removed.addAll(detach(recorded));
        }
        if (Files.deleteIfExists(file)) {
            removed.add("removed the record of the uplink (" + file + ")");
        }
        return removed;
    }

    private static List<String> detach(String uplink) {
        List<String> removed = new ArrayList<>(UplinkPrefilter.detach(uplink));
        removed.addAll(ServiceDatapath.detach(uplink));
        return removed;
    }
}
