package io.portcullis.cli;

/** Exit codes shared by all commands; picocli's own usage errors exit with 2. */
final class ExitCodes {
    static final int OK = 0;
    /** The command ran and the answer is "no" (invalid policy) or it failed (config, bind). */
    static final int FAILURE = 1;

    private ExitCodes() {
    }
}
