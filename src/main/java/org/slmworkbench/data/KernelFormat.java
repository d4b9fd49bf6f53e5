package org.slmworkbench.data;

import java.util.List;
import java.util.Locale;

/**
 * dmesg output of one server since boot: firewall drops, AppArmor audit records, containers
 * starting, USB sticks coming and going, the odd link bounce or SYN-flood warning. Anomalies: the
 * OOM killer, a kernel BUG/Oops, disk I/O errors, link flapping, segfaults, impossible packet
 * fields.
 */
final class KernelFormat implements LogFormat {
    private static final String NIC = "e1000e 0000:00:1f.6 eno1";
    private static final String HOST_IP = "10.0.0.5";
    private static final String ROOT_UUID = "3e2f9b1c-7d44-4e0a-9c1b-5a8f0d2e6b71";
    private static final List<String> BLOCKED_PORTS = List.of("23", "22", "3389", "445", "5900", "8080", "6379", "2375");
    private static final List<String[]> DENIALS = List.of(
            new String[] {"/usr/sbin/cupsd", "/etc/ssl/private/", "cupsd", "r"},
            new String[] {"snap.lxd.daemon", "/proc/sys/kernel/keys/maxkeys", "lxd", "r"},
            new String[] {"/usr/sbin/named", "/etc/bind/rndc.key", "named", "r"},
            new String[] {"docker-default", "/proc/sysrq-trigger", "sh", "w"});

    private final Dice dice;
    private final WeightedChoice<String> scanners;
    private final WeightedChoice<Activity> activities;
    private final List<AnomalySpec> anomalies;
    private final String mac;
    private long boot;
    private int auditSerial = 80;
    private int usbDevice = 2;

    KernelFormat(Dice dice) {
        this.dice = dice;
        this.scanners = WeightedChoice.zipfPool(150, 0.7, i -> dice.publicIp());
        this.mac = "MAC=00:16:3e:" + dice.hex(2) + ":" + dice.hex(2) + ":" + dice.hex(2) + ":f4:" + dice.hex(2)
                + ":" + dice.hex(2) + ":" + dice.hex(2) + ":" + dice.hex(2) + ":" + dice.hex(2) + ":08:00";
        this.activities = WeightedChoice.<Activity>builder()
                .add(12, (micros, out) -> out.normal(micros, routineLine(micros)))
                .add(4, this::apparmorDenial)
                .add(2, this::containerStart)
                .add(0.8, this::usbStick)
                .add(0.4, this::linkBounce)
                .add(0.3, (micros, out) -> out.normal(micros, line(micros, "TCP: request_sock_TCP: Possible SYN "
                        + "flooding on port " + dice.pick(443, 80) + ". Sending cookies.  Check SNMP counters.")))
                .add(0.2, (micros, out) -> out.normal(micros, line(micros, "perf: interrupt took too long ("
                        + dice.between(2_501, 3_200) + " > 2500), lowering kernel.perf_event_max_sample_rate to "
                        + dice.pick(79_750, 63_750, 50_000))))
                .build();
        this.anomalies = List.of(
                AnomalySpec.rare("the OOM killer kills a process", 1, 1, this::oomKill),
                AnomalySpec.rare("kernel BUG: NULL pointer dereference and Oops", 0, 1, this::oops),
                AnomalySpec.rare("disk I/O errors: ATA exception, blk_update_request, EXT4 error", 1, 1, this::diskErrors),
                AnomalySpec.burst("network link flapping", 1, 0, dice, 12, 20, 2.5, this::flapping),
                AnomalySpec.rare("a user-space segfault", 1, 0, this::segfault),
                AnomalySpec.impossible("a firewall record with a TTL above 255 or a port above 65535", 0, 2,
                        this::impossiblePacket),
                AnomalySpec.timestampGoingBack(this, dice, 1, 1));
    }

    @Override
    public String fileName() {
        return "kernel.log";
    }

    @Override
    public String description() {
        return "dmesg-style kernel log of one server since boot ([seconds.micros] stamps): UFW drops, AppArmor "
                + "audit, container veths, USB storage, NIC link changes, TCP warnings.";
    }

    @Override
    public double peakGapSeconds() {
        return 140;
    }

    @Override
    public void emitStart(long micros, Timeline out) {
        boot = micros;
        List<String> banner = List.of(
                "Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, "
                        + "GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
                "Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=" + ROOT_UUID + " ro quiet",
                "BIOS-provided physical RAM map:",
                "Memory: 16223440K/16670164K available (14343K kernel code, 2335K rwdata, 9032K rodata, 2796K init, "
                        + "17380K bss, 446464K reserved, 0K cma-reserved)",
                "smpboot: CPU0: Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz (family: 0x6, model: 0x9e, stepping: 0xa)",
                "EXT4-fs (sda1): mounted filesystem " + ROOT_UUID + " ro with ordered data mode. Quota mode: none.",
                "EXT4-fs (sda1): re-mounted " + ROOT_UUID + " r/w. Quota mode: none.",
                "audit: type=2000 audit(" + auditStamp(micros) + "): state=initialized audit_enabled=0 res=1",
                NIC + ": NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx");
        long at = micros;
        for (String message : banner) {
            out.normal(at, line(at, message));
            at += dice.between(1_000, 600_000);
        }
    }

    @Override
    public void emitNormal(long micros, Timeline out) {
        activities.draw(dice).emit(micros, out);
    }

    /** A UFW drop of a scanner's SYN: by far the most common line on an internet-facing box. */
    @Override
    public String routineLine(long micros) {
        return line(micros, firewallDrop(dice.between(30, 250), dice.ephemeralPort()));
    }

    @Override
    public List<AnomalySpec> anomalies() {
        return anomalies;
    }

    private String line(long micros, String message) {
        return Stamps.uptime(micros, boot) + " " + message;
    }

    private static String auditStamp(long micros) {
        return String.format(Locale.ROOT, "%d.%03d", micros / 1_000_000, micros / 1_000 % 1_000);
    }

    private String firewallDrop(int ttl, int sourcePort) {
        return "[UFW BLOCK] IN=eno1 OUT= " + mac + " SRC=" + scanners.draw(dice) + " DST=" + HOST_IP
                + " LEN=" + dice.pick(40, 44, 60) + " TOS=0x00 PREC=0x00 TTL=" + ttl + " ID=" + dice.between(1, 65_535)
                + " PROTO=TCP SPT=" + sourcePort + " DPT=" + dice.pick(BLOCKED_PORTS) + " WINDOW="
                + dice.pick(1024, 65535, 29200) + " RES=0x00 SYN URGP=0";
    }

    private void apparmorDenial(long micros, Timeline out) {
        String[] denial = dice.pick(DENIALS);
        out.normal(micros, line(micros, "audit: type=1400 audit(" + auditStamp(micros) + ":" + auditSerial++
                + "): apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"" + denial[0] + "\" name=\""
                + denial[1] + "\" pid=" + dice.between(300, 90_000) + " comm=\"" + denial[2] + "\" requested_mask=\""
                + denial[3] + "\" denied_mask=\"" + denial[3] + "\" fsuid=0 ouid=0"));
    }

    /** Docker wiring a new container's veth pair into the bridge. */
    private void containerStart(long micros, Timeline out) {
        String veth = "veth" + dice.hex(7);
        int port = dice.between(1, 6);
        String[] steps = {
            "docker0: port " + port + "(" + veth + ") entered blocking state",
            "docker0: port " + port + "(" + veth + ") entered disabled state",
            "device " + veth + " entered promiscuous mode",
            "eth0: renamed from veth" + dice.hex(7),
            "IPv6: ADDRCONF(NETDEV_CHANGE): " + veth + ": link becomes ready",
            "docker0: port " + port + "(" + veth + ") entered blocking state",
            "docker0: port " + port + "(" + veth + ") entered forwarding state"};
        long at = micros;
        for (String step : steps) {
            out.normal(at, line(at, step));
            at += dice.between(100, 300_000);
        }
    }

    /** A USB stick is plugged in, mounted, and later unmounted and pulled. */
    private void usbStick(long micros, Timeline out) {
        int device = usbDevice++;
        String port = "1-" + dice.between(1, 4);
        String[] plug = {
            "usb " + port + ": new high-speed USB device number " + device + " using xhci_hcd",
            "usb " + port + ": New USB device found, idVendor=0781, idProduct=5583, bcdDevice= 1.00",
            "usb " + port + ": New USB device strings: Mfr=1, Product=2, SerialNumber=3",
            "usb " + port + ": Product: Ultra Fit",
            "usb-storage " + port + ":1.0: USB Mass Storage device detected",
            "sd 6:0:0:0: [sdb] 60062500 512-byte logical blocks: (30.8 GB/28.6 GiB)",
            "EXT4-fs (sdb1): mounted filesystem with ordered data mode. Quota mode: none."};
        long at = micros;
        for (String message : plug) {
            out.normal(at, line(at, message));
            at += dice.between(1_000, 400_000);
        }
        at += Math.round(dice.logNormal(900, 1.0) * 1_000_000);
        out.normal(at, line(at, "EXT4-fs (sdb1): unmounting filesystem."));
        at += Math.round(dice.logNormal(5, 0.8) * 1_000_000);
        out.normal(at, line(at, "usb " + port + ": USB disconnect, device number " + device));
    }

    private void linkBounce(long micros, Timeline out) {
        out.normal(micros, line(micros, NIC + ": NIC Link is Down"));
        long up = micros + dice.between(2_000_000, 9_000_000);
        out.normal(up, line(up, NIC + ": NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx"));
    }

    private void oomKill(long micros, AnomalySpec.Emitter out) {
        int pid = dice.between(2_000, 90_000);
        long anon = dice.between(9_000_000, 14_000_000);
        out.emit(micros,
                line(micros, "java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, "
                        + "oom_score_adj=0"),
                line(micros + 40, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,"
                        + "global_oom,task_memcg=/system.slice/order-service.service,task=java,pid=" + pid + ",uid=1001"),
                line(micros + 60, "Out of memory: Killed process " + pid + " (java) total-vm:" + (anon + 4_100_000)
                        + "kB, anon-rss:" + anon + "kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:"
                        + dice.between(20_000, 30_000) + "kB oom_score_adj:0"));
        long reaped = micros + dice.between(50_000, 400_000);
        out.emit(reaped, line(reaped, "oom_reaper: reaped process " + pid + " (java), now anon-rss:0kB, file-rss:0kB, "
                + "shmem-rss:0kB"));
    }

    private void oops(long micros, AnomalySpec.Emitter out) {
        String[] report = {
            "BUG: kernel NULL pointer dereference, address: 00000000000000" + dice.hex(2),
            "#PF: supervisor read access in kernel mode",
            "#PF: error_code(0x0000) - not-present page",
            "Oops: 0000 [#1] PREEMPT SMP NOPTI",
            "CPU: " + dice.between(0, 5) + " PID: " + dice.between(100, 900) + " Comm: kworker/u12:" + dice.between(0, 9)
                    + " Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1",
            "Hardware name: Dell Inc. OptiPlex 7060/0C96W1, BIOS 1.27.0 11/21/2023",
            "RIP: 0010:ext4_es_lookup_extent+0x" + dice.hex(2) + "/0x2a0"};
        long at = micros;
        for (String message : report) {
            out.emit(at, line(at, message));
            at += dice.between(1, 80);
        }
    }

    private void diskErrors(long micros, AnomalySpec.Emitter out) {
        long sector = dice.between(10_000_000, 900_000_000);
        String[] report = {
            "ata1.00: exception Emask 0x0 SAct 0x" + dice.hex(6) + " SErr 0x0 action 0x0",
            "ata1.00: failed command: READ FPDMA QUEUED",
            "blk_update_request: I/O error, dev sda, sector " + sector + " op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0",
            "EXT4-fs error (device sda1): ext4_find_entry:1463: inode #" + dice.between(2, 900_000)
                    + ": comm nginx: reading directory lblock 0"};
        long at = micros;
        for (String message : report) {
            out.emit(at, line(at, message));
            at += dice.between(100, 1_500_000);
        }
    }

    private AnomalySpec.BurstStep flapping() {
        return (micros, index) -> List.of(line(micros, index % 2 == 0
                ? NIC + ": NIC Link is Down"
                : NIC + ": NIC Link is Up " + dice.pick(100, 1000) + " Mbps Full Duplex, Flow Control: Rx/Tx"));
    }

    private void segfault(long micros, AnomalySpec.Emitter out) {
        out.emit(micros, line(micros, "php-fpm8.2[" + dice.between(2_000, 90_000) + "]: segfault at " + dice.hex(2)
                + " ip 000055" + dice.hex(10) + " sp 00007ffd" + dice.hex(8) + " error 4 in php-fpm8.2[55"
                + dice.hex(4) + "00000+3c4000]"));
    }

    private void impossiblePacket(long micros, AnomalySpec.Emitter out) {
        boolean badTtl = dice.chance(0.5);
        out.emit(micros, line(micros, firewallDrop(badTtl ? dice.between(256, 999) : 64,
                badTtl ? dice.ephemeralPort() : dice.between(65_536, 99_999))));
    }
}
