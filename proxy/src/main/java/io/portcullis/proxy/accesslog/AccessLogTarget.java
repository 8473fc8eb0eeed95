package io.portcullis.proxy.accesslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code accessLog} setting: {@code stdout}, {@code off}, or a file appended to. */
public final class AccessLogTarget {
    private AccessLogTarget() {
    }

    /** The sink {@code target} names, or {@link AccessLog#DISCARD} for {@code off}. */
    public static AccessLog open(String target) throws IOException {
        switch (target) {
            case "off":
                return AccessLog.DISCARD;
            case "stdout":
                return StreamAccessLog.stdout();
            default:
                Path file = Path.of(target);
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                return StreamAccessLog.file(file);
        }
    }
}
