package org.slmworkbench.tokenizer;

import java.util.Random;

/** Log-like text (syslog, nginx access, kernel, application lines) for tests, from a seed. */
final class SyntheticLogs {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] HOSTS = {"web-01", "web-02", "db-01", "cache-3", "gw-edge", "worker-17"};
    private static final String[] USERS = {"root", "admin", "deploy", "postgres", "ubuntu", "guest", "oracle"};
    private static final String[] PATHS = {"/api/v1/users", "/api/v1/orders", "/static/app.js", "/login", "/health", "/metrics", "/images/logo.png"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final int[] STATUSES = {200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "curl/7.88.1", "python-requests/2.31.0",
        "Go-http-client/1.1", "kube-probe/1.27"};
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] SERVICES = {"OrderService", "PaymentGateway", "AuthFilter", "CacheLoader", "Scheduler"};
    private static final String[] KERNEL = {
        "EXT4-fs (sda1): mounted filesystem with ordered data mode",
        "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.",
        "Out of memory: Killed process", "usb 1-1: new high-speed USB device number", "eth0: link up, 1000Mbps, full-duplex"};

    private SyntheticLogs() {}

    /** About {@code approxChars} characters of log lines, each ending in a newline. */
    static String generate(int approxChars, long seed) {
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder(approxChars + 256);
        while (out.length() < approxChars) {
            switch (random.nextInt(4)) {
                case 0 -> syslog(random, out);
                case 1 -> nginx(random, out);
                case 2 -> kernel(random, out);
                default -> application(random, out);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void syslog(Random r, StringBuilder out) {
        out.append(String.format("%s %2d %02d:%02d:%02d %s sshd[%d]: ", pick(r, MONTHS), 1 + r.nextInt(28),
                r.nextInt(24), r.nextInt(60), r.nextInt(60), pick(r, HOSTS), 1000 + r.nextInt(60000)));
        if (r.nextBoolean()) {
            out.append("Failed password for invalid user ").append(pick(r, USERS));
        } else {
            out.append("Accepted publickey for ").append(pick(r, USERS));
        }
        out.append(" from ").append(ip(r)).append(" port ").append(1024 + r.nextInt(64000)).append(" ssh2");
    }

    private static void nginx(Random r, StringBuilder out) {
        out.append(ip(r)).append(" - - [").append(String.format("%02d/%s/2024:%02d:%02d:%02d +0000", 1 + r.nextInt(28),
                pick(r, MONTHS), r.nextInt(24), r.nextInt(60), r.nextInt(60)));
        out.append("] \"").append(pick(r, METHODS)).append(' ').append(pick(r, PATHS));
        if (r.nextInt(3) == 0) {
            out.append("/").append(r.nextInt(100000)).append("?page=").append(r.nextInt(50));
        }
        out.append(" HTTP/1.1\" ").append(STATUSES[r.nextInt(STATUSES.length)]).append(' ').append(r.nextInt(90000))
                .append(" \"-\" \"").append(pick(r, AGENTS)).append('"');
    }

    private static void kernel(Random r, StringBuilder out) {
        out.append(String.format("%s %2d %02d:%02d:%02d %s kernel: [%6d.%06d] %s", pick(r, MONTHS), 1 + r.nextInt(28),
                r.nextInt(24), r.nextInt(60), r.nextInt(60), pick(r, HOSTS), r.nextInt(999999), r.nextInt(1000000),
                pick(r, KERNEL)));
    }

    private static void application(Random r, StringBuilder out) {
        out.append(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ %-5s [worker-%d] %s - ", 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000), pick(r, LEVELS),
                r.nextInt(16), pick(r, SERVICES)));
        out.append("processed request id=").append(Long.toHexString(r.nextLong()))
                .append(" user=").append(pick(r, USERS))
                .append(" latency_ms=").append(r.nextInt(5000))
                .append(" bytes=").append(r.nextInt(1 << 20));
    }

    private static String ip(Random r) {
        String prefix = r.nextBoolean() ? "10." + r.nextInt(256) : "192.168";
        return prefix + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
