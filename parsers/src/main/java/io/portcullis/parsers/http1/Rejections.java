package io.portcullis.parsers.http1;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/** Maps any decoder failure (ours or Netty's) to the status the client gets. */
public final class Rejections {
    private Rejections() {
    }

    public static BadRequestException of(Throwable cause) {
        if (cause instanceof BadRequestException) {
            return (BadRequestException) cause;
        }
        if (cause instanceof TooLongHttpLineException) {
            return new BadRequestException(414, "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new BadRequestException(431, "header block too large");
        }
        String message = cause == null || cause.getMessage() == null ? "malformed request" : cause.getMessage();
        return BadRequestException.badRequest(message.length() > 200 ? message.substring(0, 200) : message);
    }
}
