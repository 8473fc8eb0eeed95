package io.portcullis.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Failures carry errno, the libbpf function and libbpf's own explanation. */
class BpfExceptionTest {

    @Test
    void verifierRejectionCarriesTheVerifierLog() {
        Privileged.requireBpf("loads a program the verifier rejects");
        try (BpfObject bad = BpfObject.open(TestObjects.path("test_verifier_reject.o"))) {
            BpfException e = assertThrows(BpfException.class, bad::load);

            assertThat(e.function()).isEqualTo("bpf_object__load");
            assertThat(e.errno()).isEqualTo(13); // EACCES: the verifier said no
            assertThat(e.libbpfLog()).contains("unchecked_read").contains("invalid access to packet");
            assertThat(e.getMessage()).startsWith("loading BPF object test_verifier_reject: bpf_object__load failed:")
                    .contains("invalid access to packet");
        }
    }

    @Test
    void aFailedLoadNamesWhatTheObjectNeedsOfTheKernel() {
        Privileged.requireBpf("loads a program the verifier rejects");
        try (BpfObject bad = BpfObject.open(TestObjects.path("test_verifier_reject.o"))
                .requiring("needs Linux 9.9 or newer")) {
            BpfException e = assertThrows(BpfException.class, bad::load);

            assertThat(e.getMessage()).startsWith("loading BPF object test_verifier_reject (needs Linux 9.9 or newer):");
        }
    }

    @Test
    void missingObjectFileIsENOENT() {
        Privileged.requireLibbpf();
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open(Path.of("/nonexistent/x.o")));

        assertThat(e.function()).isEqualTo("bpf_object__open_file");
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.getMessage()).contains("opening BPF object /nonexistent/x.o").contains("No such file");
    }
}
