package io.portcullis.bpf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.util.Optional;

/**
 * Gate for tests that need root and a BPF-capable kernel. Where {@code PORTCULLIS_REQUIRE_PRIVILEGED=1}
 * (CI), a missing privilege or BPF support fails the test; elsewhere the test is skipped with the reason.
 */
final class Privileged {
    private Privileged() {
    }

    static void requireBpf(String why) {
        Optional<String> missing = new UnixSystem().getUid() != 0
                ? Optional.of("not running as root")
                : BpfSupport.unavailableReason();
        if (missing.isPresent() && "1".equals(System.getenv("PORTCULLIS_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("this test needs root and BPF (" + why + "): " + missing.get()
                    + ", and PORTCULLIS_REQUIRE_PRIVILEGED=1 is set");
        }
        assumeTrue(missing.isEmpty(), () -> "needs root and BPF (" + why + "): " + missing.orElse(""));
    }

    /** libbpf alone (ELF and BTF parsing) works without privileges. */
    static void requireLibbpf() {
        String failure = Native.loadFailure();
        if (failure != null && "1".equals(System.getenv("PORTCULLIS_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError(failure);
        }
        assumeTrue(failure == null, failure);
    }
}
