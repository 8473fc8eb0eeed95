package io.portcullis.cli;

/** {@code -o}: human text or JSON for scripts. */
enum OutputFormat {
    TEXT,
    JSON
}
