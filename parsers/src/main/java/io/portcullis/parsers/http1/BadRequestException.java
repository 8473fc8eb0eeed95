package io.portcullis.parsers.http1;

/**
 * A request the proxy refuses before any policy decision: the status to answer with (400, 414,
 * 431, 505) and a short reason for the access log. Carried as the decoder-result cause of the
 * message that failed, so it travels through the pipeline like Netty's own decoder failures.
 */
public final class BadRequestException extends RuntimeException {
    private final int status;

    public BadRequestException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public static BadRequestException badRequest(String reason) {
        return new BadRequestException(400, reason);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }
}
