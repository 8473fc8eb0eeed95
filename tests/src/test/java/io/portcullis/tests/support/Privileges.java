package io.portcullis.tests.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;

/**
 * Gate for tests that need root. Where {@code PORTCULLIS_REQUIRE_PRIVILEGED=1} (CI), a missing
 * privilege fails the test; elsewhere the test is skipped with the reason.
 */
public final class Privileges {
    private Privileges() {
    }

    public static void requireRoot(String why) {
        boolean root = new UnixSystem().getUid() == 0;
        if (!root && "1".equals(System.getenv("PORTCULLIS_REQUIRE_PRIVILEGED"))) {
            throw new AssertionError("this test needs root (" + why + ") and PORTCULLIS_REQUIRE_PRIVILEGED=1 is set");
        }
        assumeTrue(root, "needs root: " + why);
    }
}
