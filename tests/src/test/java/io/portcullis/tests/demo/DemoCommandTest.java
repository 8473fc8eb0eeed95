package io.portcullis.tests.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.cli.Main;
import io.portcullis.tests.support.Privileges;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The README's main job, run as the README says: every call gets the verdict its workload earns. */
class DemoCommandTest {

    @Test
    void demoShowsEachVerdictWithItsAccessLogRecord() {
        Privileges.requireRoot("the demo backend listens on 127.0.0.2:80");
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
                .contains("\"verdict\":\"denied\"").contains("\"policy\":\"api-allow\"");
    }
}
