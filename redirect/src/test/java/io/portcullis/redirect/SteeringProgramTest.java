package io.portcullis.redirect;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.BpfObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SteeringProgramTest {
    private static final SteeringCgroups CGROUPS = new SteeringCgroups(Path.of("/cg"), Path.of("/cg/portcullis/endpoints"));

    @Test
    void everyProgramIsInItsObject() {
        for (SteeringProgram program : SteeringProgram.values()) {
            // Opening parses the ELF only: no privileges needed.
            try (BpfObject object = program.object.open(null)) {
                assertThat(object.programNames()).as("%s", program.object).contains(program.programName);
            }
        }
    }

    @Test
    void cgroupProgramsAttachOnTheRootSoTheNodesOwnProcessesReachServices() {
        for (SteeringProgram program : SteeringProgram.values()) {
            if (program != SteeringProgram.REDIR) {
                assertThat(program.cgroup(CGROUPS)).as("%s", program).isEqualTo(CGROUPS.root());
            }
        }
        assertThat(SteeringProgram.REDIR.cgroup(CGROUPS)).as("sk_msg attaches to the sockhash").isNull();
    }
}
