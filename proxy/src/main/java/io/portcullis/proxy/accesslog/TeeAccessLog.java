package io.portcullis.proxy.accesslog;

import java.util.List;

/** Fans every entry out to several sinks; one failing sink does not starve the others. */
final class TeeAccessLog implements AccessLog {
    private static final System.Logger LOG = System.getLogger(TeeAccessLog.class.getName());
    private final List<AccessLog> sinks;

    TeeAccessLog(List<AccessLog> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void log(AccessLogEntry entry) {
        for (AccessLog sink : sinks) {
            try {
                sink.log(entry);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "access-log sink failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (AccessLog sink : sinks) {
            sink.close();
        }
    }
}
