package io.portcullis.tests.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.bpf.BpfFs;
import io.portcullis.cli.Main;
import io.portcullis.tests.support.Privileges;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The README's main job, run as the README says: endpoints with the BPF datapath, unmodified curl
 * from each, every call gets the verdict its workload earns, and nothing is left behind.
 */
class DemoCommandTest {

    @Test
    void demoShowsEachVerdictWithItsAccessLogRecord() {
        Privileges.requireRoot("the demo creates endpoints and attaches BPF programs");
        StringWriter out = new StringWriter();

        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).execute("demo");

        String text = out.toString();
        assertThat(exit).as(text).isZero();
        assertThat(text).containsPattern("frontend +GET +/public/catalog +-> HTTP 200")
                .containsPattern("frontend +GET +/admin/users +-> HTTP 403")
                .containsPattern("frontend +DELETE +/public/catalog +-> HTTP 403")
                .containsPattern("frontend +GET +/public/\\.\\./admin/users +-> HTTP 403")
                .containsPattern("admin +DELETE +/public/catalog +-> HTTP 200")
                .containsPattern("stranger +GET +/public/catalog +-> refused")
                .contains("\"verdict\":\"denied\"").contains("\"policy\":\"api-allow\"")
                .contains("datapath bpf").contains("cleaned up");
        assertThat(BpfFs.PIN_ROOT).as("the demo removes its pins").doesNotExist();
    }
}
