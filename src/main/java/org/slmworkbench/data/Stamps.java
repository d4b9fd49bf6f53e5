package org.slmworkbench.data;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Timestamp layouts of the five sample formats. All generated times are UTC. */
final class Stamps {
    /** RFC 3164: day of month padded with a space, no year. */
    static final DateTimeFormatter SYSLOG = utc("MMM ppd HH:mm:ss");
    /** HDFS logs: date and time without separators. */
    static final DateTimeFormatter HDFS = utc("yyMMdd HHmmss");
    /** The start-time part of a Hadoop job id, as in job_202403041230_0007. */
    static final DateTimeFormatter JOB_ID = utc("yyyyMMddHHmm");
    /** nginx $time_local. */
    static final DateTimeFormatter NGINX = utc("dd/MMM/yyyy:HH:mm:ss Z");
    /** logback's default %d with milliseconds. */
    static final DateTimeFormatter LOGBACK = utc("yyyy-MM-dd HH:mm:ss.SSS");

    private Stamps() {
    }

    static String format(DateTimeFormatter formatter, long epochMicros) {
        return formatter.format(Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1000L));
    }

    /** dmesg's seconds since boot with microseconds, right-aligned in brackets. */
    static String uptime(long epochMicros, long bootMicros) {
        long since = epochMicros - bootMicros;
        return String.format(Locale.ROOT, "[%5d.%06d]", since / 1_000_000L, since % 1_000_000L);
    }

    private static DateTimeFormatter utc(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).withZone(ZoneOffset.UTC);
    }
}
