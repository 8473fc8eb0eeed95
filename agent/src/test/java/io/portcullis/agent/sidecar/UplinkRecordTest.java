package io.portcullis.agent.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record of the uplink, with devices that do not exist: nothing to detach, so what is checked
 * is what is remembered and forgotten (detaching from a real device is the uninstall tests').
 */
class UplinkRecordTest {
    @TempDir
    Path dir;

    @Test
    void startRecordsTheConfigsUplinkAndForgetsItWhenTheConfigNamesNone() throws IOException {
        UplinkRecord record = new UplinkRecord(dir.resolve("state"));
        assertThat(record.read()).isNull();

        assertThat(record.reconcile("pcgone0")).isEmpty();
        assertThat(record.read()).isEqualTo("pcgone0");
        assertThat(record.reconcile("pcgone1")).as("the old device is gone: nothing to detach").isEmpty();
        assertThat(new UplinkRecord(dir.resolve("state")).read()).isEqualTo("pcgone1");

        record.reconcile(null);
        assertThat(record.read()).isNull();
        assertThat(dir.resolve("state/uplink")).doesNotExist();
    }

    @Test
    void uninstallRemovesTheRecordAndSaysSo() throws IOException {
        UplinkRecord record = new UplinkRecord(dir.resolve("state"));
        record.reconcile("pcgone0");

        assertThat(record.uninstall(null)).containsExactly("removed the record of the uplink ("
                + dir.resolve("state/uplink") + ")");
        assertThat(record.read()).isNull();
        assertThat(record.uninstall("pcgone1")).as("nothing left").isEmpty();
    }
}
