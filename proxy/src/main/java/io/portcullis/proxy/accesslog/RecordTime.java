package io.portcullis.proxy.accesslog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The {@code time} field of a record: RFC 3339 UTC with milliseconds. Every request makes two
 * records, and {@link DateTimeFormatter} was a fifth of the log writer's time; records of the
 * same second share everything but the milliseconds, so the formatted second is cached and only
 * the three digits are filled in. Thread-safe: the cache is an immutable holder.
 */
final class RecordTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** {@code uuuu-MM-ddTHH:mm:ss.SSSZ} for years 0000 to 9999; other years take the formatter. */
    private static final int LENGTH = 24;
    private static final int MILLIS_AT = 20;

    private static volatile Second last = new Second(Long.MIN_VALUE, null);

    private RecordTime() {
    }

    static String format(Instant time) {
        long epochSecond = time.getEpochSecond();
        Second second = last;
        if (second.epochSecond != epochSecond) {
            String text = FORMAT.format(Instant.ofEpochSecond(epochSecond));
            if (text.length() != LENGTH) {
                return FORMAT.format(time);
            }
            second = new Second(epochSecond, text.toCharArray());
            last = second;
        }
        char[] out = second.text.clone();
        int millis = time.getNano() / 1_000_000;
        out[MILLIS_AT] = (char) ('0' + millis / 100);
        out[MILLIS_AT + 1] = (char) ('0' + millis / 10 % 10);
        out[MILLIS_AT + 2] = (char) ('0' + millis % 10);
        return new String(out);
    }

    private record Second(long epochSecond, char[] text) {
    }
}
