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
    void socketAddressProgramsAttachOnTheEndpointsTreeSoTheAgentIsNeverTranslated() {
        for (SteeringProgram program : new SteeringProgram[] {SteeringProgram.CONNECT4, SteeringProgram.CONNECT6,
                SteeringProgram.GETPEERNAME4, SteeringProgram.GETPEERNAME6}) {
            assertThat(program.cgroup(CGROUPS)).as("%s", program).isEqualTo(CGROUPS.endpoints());
        }
        assertThat(SteeringProgram.SOCKOPS.cgroup(CGROUPS)).isEqualTo(CGROUPS.root());
    }
}
