package io.portcullis.agent.api;

/** A request the API refuses; the status and message go back to the client as {@code {"error": ...}}. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
