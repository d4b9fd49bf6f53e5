package org.slmworkbench.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slmworkbench.BadInputException;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.data.AnomalyLabels;
import org.slmworkbench.data.DataOptions;

/**
 * Reads the labelled log layouts the benchmark knows and cuts each by time, so the earlier part can
 * be adapted to and the later part judged:
 *
 * <ul>
 *   <li>per-line labels: {@code *.log} files beside a {@code labels.tsv} (the AIT Apache logs), oldest
 *       rotated file first ({@code access4.log} before {@code access1.log});
 *   <li>per-instance labels: one log and {@code instance_labels.csv} ({@code instance,label} rows),
 *       lines tied to their instance by {@code [instance: UUID]} (OpenStack nova);
 *   <li>per-job labels: {@code Hadoop.tar.gz} of application folders and {@code abnormal_label.txt}
 *       listing each job under "Normal:" or a fault heading (loghub Hadoop), jobs in id order;
 *   <li>{@code train/} and {@code heldout/} folders with {@code labels.tsv} (our {@code sample-logs}).
 * </ul>
 *
 * Label files are read only into the {@link LogTruth}; the {@link LogSplit} holds log text alone.
 */
public final class RealLogSets {
    private static final Pattern ROTATION = Pattern.compile("(\\d+)\\.log$");
    private static final Pattern INSTANCE = Pattern.compile("\\[instance: ([0-9a-f-]{36})\\]");
    private static final Pattern JOB = Pattern.compile("application_(\\d+)_(\\d+)");
    /** One archive member is one container's log; loghub's largest is about 12 MB. */
    private static final long MAX_MEMBER_BYTES = 256L << 20;

    private RealLogSets() {}

    /**
     * @param maxLinesPerFile keeps the first lines of each file (or archive member), 0 for all: the
     *     Hadoop archive holds 394,308 lines, more than a quick run needs
     */
    public static LabelledLog load(Path dir, int maxLinesPerFile) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "is not a folder of labelled logs");
        }
        String name = dir.getFileName().toString();
        if (Files.isRegularFile(dir.resolve("instance_labels.csv"))) {
            return instances(dir, name, maxLinesPerFile);
        }
        if (Files.isRegularFile(dir.resolve("abnormal_label.txt"))) {
            return jobs(dir, name, maxLinesPerFile);
        }
        if (Files.isDirectory(dir.resolve("train")) && Files.isRegularFile(dir.resolve("heldout").resolve(ScoreFiles.LABELS))) {
            return trainHeldout(dir, name, maxLinesPerFile);
        }
        if (Files.isRegularFile(dir.resolve(ScoreFiles.LABELS))) {
            return rotatedFiles(dir, name, maxLinesPerFile);
        }
        throw new BadInputException(dir, "holds none of labels.tsv, instance_labels.csv, abnormal_label.txt or train/ + heldout/");
    }

    private static LabelledLog rotatedFiles(Path dir, String name, int max) {
        List<Path> logs = list(dir, ".log");
        logs.sort(Comparator.comparingInt(RealLogSets::rotation).reversed());
        List<List<LogLine>> files = new ArrayList<>();
        for (Path p : logs) {
            files.add(lines(p, max));
        }
        // whole files, oldest first, while they hold at most half the lines
        long total = files.stream().mapToLong(List::size).sum();
        List<LogLine> adapt = new ArrayList<>(files.get(0));
        int k = 1;
        while (k < files.size() - 1 && adapt.size() + files.get(k).size() <= total / 2) {
            adapt.addAll(files.get(k++));
        }
        List<LogLine> test = new ArrayList<>();
        files.subList(k, files.size()).forEach(test::addAll);
        List<String> adaptNames = logs.subList(0, k).stream().map(p -> p.getFileName().toString()).toList();
        LogSplit split = split(dir, adapt, test, String.format(Locale.ROOT,
                "oldest rotated files first; adapt on %s (%,d lines), score the %d newer file(s) (%,d lines)", adaptNames, adapt.size(),
                files.size() - k, test.size()));
        AnomalyLabels labels = AnomalyLabels.load(dir.resolve(ScoreFiles.LABELS));
        List<String> kind = test.stream().map(l -> labels.kind(l.source(), l.number()).map(RealLogSets::lastLabel).orElse(null)).toList();
        return new LabelledLog(split, Bursts.truth(test, kind));
    }

    private static LabelledLog trainHeldout(Path dir, String name, int max) {
        List<LogLine> adapt = new ArrayList<>();
        list(dir.resolve("train"), ".log").forEach(p -> adapt.addAll(lines(p, max)));
        List<LogLine> test = new ArrayList<>();
        list(dir.resolve("heldout"), ".log").forEach(p -> test.addAll(lines(p, max)));
        AnomalyLabels labels = AnomalyLabels.load(dir.resolve("heldout").resolve(ScoreFiles.LABELS));
        List<String> kind = test.stream().map(l -> labels.kind(l.source(), l.number()).orElse(null)).toList();
        LogSplit split = split(dir, adapt, test, String.format(Locale.ROOT,
                "the folder's own split: adapt on train/ (%,d lines), score heldout/ (%,d lines)", adapt.size(), test.size()));
        return new LabelledLog(split, Bursts.truth(test, kind));
    }

    private static LabelledLog instances(Path dir, String name, int max) {
        Path labelsFile = dir.resolve("instance_labels.csv");
        Map<String, Boolean> anomalous = new HashMap<>();
        List<String> rows = readAll(labelsFile);
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).strip().split(",");
            if (f.length != 2 || !(f[1].equalsIgnoreCase("anomaly") || f[1].equalsIgnoreCase("normal"))) {
                throw new BadInputException(labelsFile, "line " + (i + 1) + ": expected 'instance,Anomaly|Normal'");
            }
            anomalous.put(f[0], f[1].equalsIgnoreCase("anomaly"));
        }
        List<Path> logs = list(dir, ".log");
        if (logs.size() != 1) {
            throw new BadInputException(dir, "expected one .log beside instance_labels.csv, found " + logs.size());
        }
        List<LogLine> all = lines(logs.get(0), max);
        LogSplit split = split(dir, all.subList(0, all.size() / 2), all.subList(all.size() / 2, all.size()),
                String.format(Locale.ROOT, "file order: adapt on lines 1-%,d, score lines %,d-%,d; a line's label is its"
                        + " [instance: UUID]'s, lines without an instance count as normal", all.size() / 2, all.size() / 2 + 1, all.size()));
        return new LabelledLog(split, groupTruth(split.test(), l -> {
            Matcher m = INSTANCE.matcher(l.text());
            return m.find() ? m.group(1) : null;
        }, anomalous, "instance"));
    }

    private static LabelledLog jobs(Path dir, String name, int max) {
        Path labelsFile = dir.resolve("abnormal_label.txt");
        Map<String, Boolean> anomalous = new HashMap<>();
        Boolean section = null;
        for (String row : readAll(labelsFile)) {
            String r = row.strip();
            if (r.endsWith(":")) {
                section = !r.equalsIgnoreCase("Normal:");
            } else if (r.startsWith("+ application_") && section != null) {
                anomalous.put(r.substring(2).strip(), section);
            }
        }
        if (anomalous.isEmpty()) {
            throw new BadInputException(labelsFile, "lists no '+ application_...' jobs under a heading");
        }
        Path archive = dir.resolve("Hadoop.tar.gz");
        Map<String, TreeMap<String, List<LogLine>>> byJob = readJobs(archive, max);
        List<String> order = new ArrayList<>(byJob.keySet());
        order.sort(Comparator.comparing((String j) -> new BigInteger(jobPart(j, 1))).thenComparing(j -> new BigInteger(jobPart(j, 2))));
        List<LogLine> adapt = new ArrayList<>();
        List<LogLine> test = new ArrayList<>();
        int half = order.size() / 2;
        for (int j = 0; j < order.size(); j++) {
            byJob.get(order.get(j)).values().forEach((j < half ? adapt : test)::addAll);
        }
        LogSplit split = split(dir, adapt, test, String.format(Locale.ROOT,
                "jobs in application-id order (cluster start, then sequence): adapt on the first %d jobs (%,d lines), score the"
                        + " last %d (%,d lines)%s; a line's label is its job's", half, adapt.size(), order.size() - half, test.size(),
                max > 0 ? String.format(Locale.ROOT, ", the first %,d lines of each container log", max) : ""));
        return new LabelledLog(split, groupTruth(test, l -> jobOf(l.source()), anomalous, "job"));
    }

    /** A split whose parts both hold lines, or one message naming the folder. */
    private static LogSplit split(Path dir, List<LogLine> adapt, List<LogLine> test, String how) {
        if (adapt.isEmpty() || test.isEmpty()) {
            throw new BadInputException(dir, "holds too few lines (or files, or jobs) to split by time into an earlier and a later part");
        }
        return new LogSplit(dir.getFileName().toString(), adapt, test, how);
    }

    private static LogTruth groupTruth(List<LogLine> test, java.util.function.Function<LogLine, String> groupOf,
            Map<String, Boolean> labels, String kind) {
        boolean[] anomalous = new boolean[test.size()];
        List<String> group = new ArrayList<>(test.size());
        Map<String, Boolean> present = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            String g = groupOf.apply(test.get(i));
            Boolean label = g == null ? null : labels.get(g);
            group.add(label == null ? null : g);
            anomalous[i] = Boolean.TRUE.equals(label);
            if (label != null) {
                present.put(g, label);
            }
        }
        return new LogTruth(anomalous, group, present, kind);
    }

    /** Log members of the archive by job and member name; other members (a copy of the label file) are skipped. */
    private static Map<String, TreeMap<String, List<LogLine>>> readJobs(Path archive, int max) {
        Map<String, TreeMap<String, List<LogLine>>> byJob = new HashMap<>();
        try (InputStream in = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16))) {
            TarArchiveEntry e;
            long total = 0;
            while ((e = tar.getNextEntry()) != null) {
                String job = jobOf(e.getName());
                if (!e.isFile() || !e.getName().endsWith(".log") || job == null) {
                    continue;
                }
                total += e.getSize();
                if (e.getSize() > MAX_MEMBER_BYTES || total > DataOptions.DEFAULT_MAX_CHARS) {
                    throw new BadInputException(archive, String.format(Locale.ROOT, "member %s makes the logs larger than %,d bytes"
                            + " (members at most %,d)", e.getName(), DataOptions.DEFAULT_MAX_CHARS, MAX_MEMBER_BYTES));
                }
                // job folder and container file, so that a line names its job
                String member = job + "/" + e.getName().substring(e.getName().lastIndexOf('/') + 1);
                List<String> text = List.of(new String(tar.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n"));
                byJob.computeIfAbsent(job, k -> new TreeMap<>()).put(member,
                        LogLine.numbered(member, max > 0 ? text.subList(0, Math.min(max, text.size())) : text));
            }
        } catch (IOException | RuntimeException e) {
            // commons-compress reports some malformed headers as unchecked exceptions
            if (e instanceof BadInputException bad) {
                throw bad;
            }
            throw new BadInputException(archive, "cannot be read as a .tar.gz: " + e.getMessage(), e);
        }
        if (byJob.isEmpty()) {
            throw new BadInputException(archive, "holds no application_*/...log members");
        }
        return byJob;
    }

    private static String jobOf(String name) {
        Matcher m = JOB.matcher(name);
        return m.find() ? m.group() : null;
    }

    private static String jobPart(String job, int part) {
        Matcher m = JOB.matcher(job);
        m.find();
        return m.group(part);
    }

    private static int rotation(Path p) {
        Matcher m = ROTATION.matcher(p.getFileName().toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** "attacker_http,foothold,dirb" names its attack by the last label */
    private static String lastLabel(String labels) {
        return labels.substring(labels.lastIndexOf(',') + 1);
    }

    private static List<Path> list(Path dir, String extension) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList());
            if (found.isEmpty()) {
                throw new BadInputException(dir, "holds no " + extension + " files");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LogLine> lines(Path file, int max) {
        List<String> text = ScoreFiles.readLines(List.of(file)).values().iterator().next();
        return LogLine.numbered(file.getFileName().toString(), max > 0 ? text.subList(0, Math.min(max, text.size())) : text);
    }

    /** A small label file's rows as they are (not through the dataset readers, which would parse a .csv). */
    private static List<String> readAll(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot be read as UTF-8 text: " + e.getMessage(), e);
        }
    }
}
