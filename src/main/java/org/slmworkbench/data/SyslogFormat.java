package org.slmworkbench.data;

import java.util.List;
import java.util.Locale;

/**
 * RFC 3164 syslog (auth.log/syslog style) of a few hosts: ssh sessions, sudo, cron and systemd
 * units. Anomalies: ssh brute force, segfaults, a failing disk, ports above 65535.
 */
final class SyslogFormat implements LogFormat {
    private record Account(String name, int uid, String homeIp, String keyFingerprint, String workDir) {
    }

    private record CronJob(String user, int uid, String command) {
    }

    private record Unit(String name, String description) {
    }

    private static final List<String> HOSTS = List.of("web-01", "web-02", "db-01", "bastion-01", "ci-01");
    private static final List<CronJob> CRON_JOBS = List.of(
            new CronJob("root", 0, "cd / && run-parts --report /etc/cron.hourly"),
            new CronJob("root", 0, "command -v debian-sa1 > /dev/null && debian-sa1 1 1"),
            new CronJob("www-data", 33, "php /var/www/shop/bin/console app:sessions:cleanup --quiet"),
            new CronJob("deploy", 1003, "/opt/backup/bin/pg-dump.sh --quiet"),
            new CronJob("root", 0, "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )"),
            new CronJob("root", 0, "/usr/local/bin/certbot-renew-hook.sh >/dev/null 2>&1"));
    private static final List<Unit> UNITS = List.of(
            new Unit("apt-daily.service", "Daily apt download activities"),
            new Unit("apt-daily-upgrade.service", "Daily apt upgrade and clean activities"),
            new Unit("logrotate.service", "Rotate log files"),
            new Unit("man-db.service", "Daily man-db regeneration"),
            new Unit("fstrim.service", "Discard unused blocks on filesystems from /etc/fstab"),
            new Unit("sysstat-collect.service", "system activity accounting tool"),
            new Unit("certbot.service", "Certbot"),
            new Unit("systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"));
    private static final List<String> SUDO_COMMANDS = List.of(
            "/usr/bin/systemctl restart nginx", "/usr/bin/systemctl status postgresql",
            "/usr/bin/apt-get update", "/usr/bin/apt-get -y upgrade", "/usr/bin/journalctl -u nginx --since today",
            "/usr/bin/tail -n 200 /var/log/nginx/error.log", "/usr/bin/docker ps -a",
            "/usr/bin/vim /etc/nginx/sites-available/shop.conf", "/usr/sbin/nginx -t", "/bin/df -h",
            "/usr/bin/du -sh /var/lib/postgresql", "/usr/bin/certbot renew --dry-run");
    private static final List<String> GUESSED_USERS = List.of(
            "admin", "test", "user", "oracle", "postgres", "ubuntu", "pi", "git", "ftpuser", "guest", "support");

    private final Dice dice;
    private final PidSequence pids;
    private final WeightedChoice<String> hosts;
    private final WeightedChoice<Account> accounts;
    private final WeightedChoice<String> scanners;
    private final WeightedChoice<Activity> activities;
    private final List<AnomalySpec> anomalies;
    private int nextSession = 1;

    SyslogFormat(Dice dice) {
        this.dice = dice;
        this.pids = new PidSequence(dice);
        this.hosts = WeightedChoice.zipf(HOSTS, 1.0);
        this.accounts = WeightedChoice.zipf(List.of(
                account("alice", 1001, "/home/alice"), account("deploy", 1003, "/var/www/shop"),
                account("bob", 1002, "/home/bob"), account("carol", 1004, "/etc/nginx"),
                account("dave", 1005, "/home/dave"), account("ops", 1006, "/root")), 0.9);
        this.scanners = WeightedChoice.zipfPool(60, 0.6, i -> dice.publicIp());
        this.activities = WeightedChoice.<Activity>builder()
                .add(10, this::sshSession)
                .add(9, this::cronJob)
                .add(3, this::systemdUnit)
                .add(1.2, this::mistypedPassword)
                .add(1.5, this::scannerProbe)
                .build();
        this.anomalies = List.of(
                AnomalySpec.burst("ssh brute force: failed passwords from one IP within a minute or two",
                        2, 1, dice, 12, 20, 3.0, this::bruteForce),
                AnomalySpec.rare("a daemon segfaults", 1, 1, this::segfault),
                AnomalySpec.rare("a failing disk: smartd pending sectors, I/O and EXT4 errors", 0, 1, this::diskFailure),
                AnomalySpec.impossible("an ssh login from a port above 65535", 0, 2, this::impossiblePort),
                AnomalySpec.timestampGoingBack(this, dice, 1, 1));
    }

    @Override
    public String fileName() {
        return "syslog.log";
    }

    @Override
    public String description() {
        return "RFC 3164 syslog from five hosts: sshd logins and disconnects, sudo, CRON sessions, systemd units.";
    }

    @Override
    public double peakGapSeconds() {
        return 230;
    }

    @Override
    public void emitNormal(long micros, Timeline out) {
        activities.draw(dice).emit(micros, out);
    }

    @Override
    public String routineLine(long micros) {
        CronJob job = dice.pick(CRON_JOBS);
        String host = hosts.draw(dice);
        return line(micros, host, "CRON", pids.next(host), "(" + job.user() + ") CMD (" + job.command() + ")");
    }

    @Override
    public List<AnomalySpec> anomalies() {
        return anomalies;
    }

    private Account account(String name, int uid, String workDir) {
        return new Account(name, uid, dice.privateIp(), "SHA256:" + base64(43), workDir);
    }

    private String base64(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(dice.between(0, alphabet.length() - 1)));
        }
        return out.toString();
    }

    private static String line(long micros, String host, String program, int pid, String message) {
        return Stamps.format(Stamps.SYSLOG, micros) + " " + host + " " + program + "[" + pid + "]: " + message;
    }

    private static String kernelLine(long micros, String host, String message) {
        return Stamps.format(Stamps.SYSLOG, micros) + " " + host + " kernel: " + message;
    }

    private String accepted(Account account, int port) {
        boolean key = account.name().equals("deploy") || dice.chance(0.7);
        return key
                ? "Accepted publickey for " + account.name() + " from " + account.homeIp() + " port " + port
                        + " ssh2: ED25519 " + account.keyFingerprint()
                : "Accepted password for " + account.name() + " from " + account.homeIp() + " port " + port + " ssh2";
    }

    /** Login, maybe some sudo, and the logout minutes later; logind numbers the sessions. */
    private void sshSession(long micros, Timeline out) {
        String host = hosts.draw(dice);
        Account account = accounts.draw(dice);
        int pid = pids.next(host);
        int port = dice.ephemeralPort();
        int session = nextSession++;
        String ip = account.homeIp();
        out.normal(micros, line(micros, host, "sshd", pid, accepted(account, port)));
        long opened = micros + dice.between(2_000, 40_000);
        out.normal(opened, line(opened, host, "sshd", pid, "pam_unix(sshd:session): session opened for user "
                + account.name() + "(uid=" + account.uid() + ") by (uid=0)"));
        out.normal(opened + 900, line(opened + 900, host, "systemd-logind", 612,
                "New session " + session + " of user " + account.name() + "."));
        long end = micros + Math.round(dice.logNormal(600, 1.0) * 1_000_000);
        if (!account.name().equals("deploy") && dice.chance(0.45)) {
            sudo(micros + (end - micros) / 3, host, account, out);
        }
        out.normal(end, line(end, host, "sshd", pid, "Received disconnect from " + ip + " port " + port
                + ":11: disconnected by user"));
        out.normal(end + 200, line(end + 200, host, "sshd", pid, "Disconnected from user " + account.name()
                + " " + ip + " port " + port));
        out.normal(end + 5_000, line(end + 5_000, host, "sshd", pid,
                "pam_unix(sshd:session): session closed for user " + account.name()));
        out.normal(end + 9_000, line(end + 9_000, host, "systemd-logind", 612,
                "Session " + session + " logged out. Waiting for processes to exit."));
        out.normal(end + 12_000, line(end + 12_000, host, "systemd-logind", 612, "Removed session " + session + "."));
    }

    private void sudo(long micros, String host, Account account, Timeline out) {
        int pid = pids.next(host);
        String command = dice.pick(SUDO_COMMANDS);
        String message = String.format(Locale.ROOT, "%8s : TTY=pts/%d ; PWD=%s ; USER=root ; COMMAND=%s",
                account.name(), dice.between(0, 3), account.workDir(), command);
        out.normal(micros, line(micros, host, "sudo", pid, message));
        out.normal(micros + 700, line(micros + 700, host, "sudo", pid,
                "pam_unix(sudo:session): session opened for user root(uid=0) by " + account.name()
                        + "(uid=" + account.uid() + ")"));
        long closed = micros + Math.round(dice.logNormal(2, 1.2) * 1_000_000);
        out.normal(closed, line(closed, host, "sudo", pid, "pam_unix(sudo:session): session closed for user root"));
    }

    /** Cron starts jobs on the minute; the session closes when the job ends. */
    private void cronJob(long micros, Timeline out) {
        long start = (micros / 60_000_000L + 1) * 60_000_000L + dice.between(100, 900_000);
        String host = hosts.draw(dice);
        CronJob job = dice.pick(CRON_JOBS);
        int pid = pids.next(host);
        out.normal(start, line(start, host, "CRON", pid, "pam_unix(cron:session): session opened for user "
                + job.user() + "(uid=" + job.uid() + ") by (uid=0)"));
        out.normal(start + 400, line(start + 400, host, "CRON", pid,
                "(" + job.user() + ") CMD (" + job.command() + ")"));
        long end = start + Math.round(dice.logNormal(1.5, 1.3) * 1_000_000);
        out.normal(end, line(end, host, "CRON", pid, "pam_unix(cron:session): session closed for user " + job.user()));
    }

    private void systemdUnit(long micros, Timeline out) {
        String host = hosts.draw(dice);
        Unit unit = dice.pick(UNITS);
        out.normal(micros, line(micros, host, "systemd", 1, "Starting " + unit.description() + "..."));
        long end = micros + Math.round(dice.logNormal(0.8, 1.5) * 1_000_000);
        out.normal(end, line(end, host, "systemd", 1, unit.name() + ": Deactivated successfully."));
        out.normal(end + 300, line(end + 300, host, "systemd", 1, "Finished " + unit.description() + "."));
    }

    /** A real user gets the password wrong once, then logs in. */
    private void mistypedPassword(long micros, Timeline out) {
        String host = hosts.draw(dice);
        Account account = accounts.draw(dice);
        int pid = pids.next(host);
        int port = dice.ephemeralPort();
        out.normal(micros, line(micros, host, "sshd", pid, "Failed password for " + account.name() + " from "
                + account.homeIp() + " port " + port + " ssh2"));
        long retry = micros + Math.round(dice.logNormal(4, 0.5) * 1_000_000);
        out.normal(retry, line(retry, host, "sshd", pid, accepted(account, port)));
    }

    /** The odd internet scanner that tries one name and leaves. */
    private void scannerProbe(long micros, Timeline out) {
        String host = hosts.draw(dice);
        String ip = scanners.draw(dice);
        int pid = pids.next(host);
        int port = dice.ephemeralPort();
        if (dice.chance(0.5)) {
            out.normal(micros, line(micros, host, "sshd", pid, "Connection closed by " + ip + " port " + port + " [preauth]"));
            return;
        }
        String user = dice.pick(GUESSED_USERS);
        out.normal(micros, line(micros, host, "sshd", pid, "Invalid user " + user + " from " + ip + " port " + port));
        long closed = micros + dice.between(200_000, 2_000_000);
        out.normal(closed, line(closed, host, "sshd", pid, "Connection closed by invalid user " + user + " " + ip
                + " port " + port + " [preauth]"));
    }

    private AnomalySpec.BurstStep bruteForce() {
        String host = hosts.draw(dice);
        String attacker = dice.publicIp();
        int[] pid = {pids.next(host)};
        return (micros, index) -> {
            if (index % 3 == 0) {
                pid[0] = pids.next(host);
            }
            String user = dice.chance(0.4) ? "root" : dice.pick(GUESSED_USERS);
            String who = user.equals("root") ? "root" : "invalid user " + user;
            return List.of(line(micros, host, "sshd", pid[0], "Failed password for " + who + " from " + attacker
                    + " port " + dice.ephemeralPort() + " ssh2"));
        };
    }

    private void segfault(long micros, AnomalySpec.Emitter out) {
        String host = hosts.draw(dice);
        String program = dice.pick("nginx", "php-fpm8.2", "postgres", "node");
        String base = "55" + dice.hex(4) + "00000";
        out.emit(micros, kernelLine(micros, host, program + "[" + pids.next(host) + "]: segfault at "
                + dice.hex(2) + " ip 0000" + base.substring(0, 7) + dice.hex(5) + " sp 00007ffd" + dice.hex(8)
                + " error " + dice.pick(4, 6) + " in " + program + "[" + base + "+" + dice.hex(2) + "000]"));
    }

    private void diskFailure(long micros, AnomalySpec.Emitter out) {
        String host = hosts.draw(dice);
        out.emit(micros, line(micros, host, "smartd", 733, "Device: /dev/sda [SAT], "
                + dice.between(8, 64) + " Currently unreadable (pending) sectors"));
        long io = micros + dice.between(1_000_000, 30_000_000);
        out.emit(io, kernelLine(io, host, "blk_update_request: I/O error, dev sda, sector " + dice.between(10_000_000, 900_000_000)
                + " op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0"));
        long fs = io + dice.between(1_000, 500_000);
        out.emit(fs, kernelLine(fs, host, "EXT4-fs error (device sda1): ext4_find_entry:1463: inode #"
                + dice.between(2, 900_000) + ": comm nginx: reading directory lblock 0"));
    }

    private void impossiblePort(long micros, AnomalySpec.Emitter out) {
        String host = hosts.draw(dice);
        out.emit(micros, line(micros, host, "sshd", pids.next(host),
                accepted(accounts.draw(dice), dice.between(65_536, 99_999))));
    }
}
