package io.portcullis.redirect;

import io.portcullis.bpf.BpfException;
import io.portcullis.bpf.PinnedProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes what steering left in the kernel: detaches the pinned cgroup programs from their
 * cgroups, then deletes the whole pin root (maps and programs are freed once nothing holds them;
 * the sk_msg program goes with its sockhash). Safe to run when nothing is installed.
 */
public final class Uninstaller {
    private Uninstaller() {
    }

    /** Returns one line per thing removed, for the operator. */
    public static List<String> uninstall(Path pinRoot, SteeringCgroups cgroups) throws IOException {
        List<String> removed = new ArrayList<>();
        for (SteeringProgram program : SteeringProgram.values()) {
            Path pin = program.pin(pinRoot);
            if (program.cgroup(cgroups) == null || !Files.exists(pin)) {
                continue;
            }
            try (PinnedProgram pinned = PinnedProgram.open(pin)) {
                program.detachEarlier(pinned, cgroups).ifPresent(cgroup -> removed.add("detached "
                        + program.programName + " from " + cgroup));
            } catch (BpfException e) {
                throw new IOException("cannot detach " + pin + ": " + e.getMessage(), e);
            }
        }
        if (Files.exists(pinRoot)) {
            try (Stream<Path> paths = Files.walk(pinRoot)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            removed.add("removed pins under " + pinRoot);
        }
        return removed;
    }
}
