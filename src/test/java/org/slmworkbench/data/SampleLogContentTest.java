package org.slmworkbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What is inside the generated logs: formats, clocks, labels and the realism the README claims. */
class SampleLogContentTest {
    private static final Set<String> KINDS = Set.of("rare-template", "burst", "impossible-value");

    private static final Map<String, Pattern> LINE_FORMATS = Map.of(
            "syslog.log", Pattern.compile("^[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} [\\w.-]+ [\\w./-]+(\\[\\d+\\])?: .+$"),
            "hdfs.log", Pattern.compile("^\\d{6} \\d{6} \\d+ (INFO|WARN|ERROR) dfs\\.[\\w$]+: .+$"),
            "nginx-access.log", Pattern.compile("^(\\d{1,3}\\.){3}\\d{1,3} - \\S+ \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}"
                    + "(:\\d{2}){3} [+-]\\d{4}\\] \"(GET|POST|PUT|DELETE|HEAD) \\S+ HTTP/[\\d.]+\" [1-5]\\d\\d \\d{1,12} "
                    + "\"[^\"]*\" \"[^\"]*\" \\d+\\.\\d{3}$"),
            "java-service.log", Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} "
                    + "(TRACE|DEBUG|INFO|WARN|ERROR) +\\[[^\\]]+\\] [\\w.$\\[\\]/]+ - .+$"),
            "kernel.log", Pattern.compile("^\\[ *\\d+\\.\\d{6}\\] \\S.*$"));

    private static final Pattern EXCEPTION_LINE =
            Pattern.compile("^([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(Exception|Error)(: .*)?$");

    /** Each format's timestamp as a number that grows with time (units differ per format). */
    private static final Map<String, Function<String, OptionalLong>> CLOCKS = Map.of(
            "syslog.log", stamp("^([A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) ", s -> LocalDateTime
                    .parse(s, new DateTimeFormatterBuilder().appendPattern("MMM ppd HH:mm:ss")
                            .parseDefaulting(ChronoField.YEAR, 2024).toFormatter(Locale.ENGLISH))
                    .toEpochSecond(ZoneOffset.UTC)),
            "hdfs.log", stamp("^(\\d{6} \\d{6}) ", s -> LocalDateTime
                    .parse(s, DateTimeFormatter.ofPattern("yyMMdd HHmmss")).toEpochSecond(ZoneOffset.UTC)),
            "nginx-access.log", stamp("\\[([^\\]]+)\\]", s -> OffsetDateTime
                    .parse(s, DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)).toEpochSecond()),
            "java-service.log", stamp("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ", s -> LocalDateTime
                    .parse(s, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"))
                    .toInstant(ZoneOffset.UTC).toEpochMilli()),
            "kernel.log", stamp("^\\[ *(\\d+\\.\\d{6})\\]", s -> Long.parseLong(s.replace(".", ""))));

    private static Function<String, OptionalLong> stamp(String regex, Function<String, Long> parse) {
        Pattern pattern = Pattern.compile(regex);
        return line -> {
            Matcher m = pattern.matcher(line);
            return m.find() ? OptionalLong.of(parse.apply(m.group(1))) : OptionalLong.empty();
        };
    }

    private static boolean isStackTraceLine(String line) {
        return line.startsWith("\t") || line.startsWith("Caused by: ") || line.startsWith("Exception in thread ")
                || EXCEPTION_LINE.matcher(line).matches();
    }

    @Test
    void timestampsNeverDecreaseExceptOnLabelledTimeTravelLines() {
        for (String split : GeneratedSampleLogs.SPLITS) {
            AnomalyLabels labels = GeneratedSampleLogs.labels(split);
            for (String file : GeneratedSampleLogs.LOG_FILES) {
                List<String> lines = GeneratedSampleLogs.lines(split, file);
                long last = Long.MIN_VALUE;
                int backwards = 0;
                for (int n = 1; n <= lines.size(); n++) {
                    String line = lines.get(n - 1);
                    OptionalLong time = CLOCKS.get(file).apply(line);
                    if (time.isEmpty()) {
                        assertTrue(file.equals("java-service.log") && isStackTraceLine(line),
                                split + "/" + file + ":" + n + " has no timestamp: " + line);
                        continue;
                    }
                    if (labels.isAnomalous(file, n)) {
                        if (time.getAsLong() < last) {
                            backwards++;
                            assertEquals("impossible-value", labels.kind(file, n).orElseThrow(), file + ":" + n);
                        }
                        continue;
                    }
                    assertTrue(time.getAsLong() >= last, split + "/" + file + ":" + n + " goes back in time: " + line);
                    last = time.getAsLong();
                }
                if (split.equals("heldout")) {
                    assertEquals(1, backwards, "heldout/" + file + " has one line going back in time");
                }
            }
        }
    }

    @Test
    void heldoutContinuesWhereTrainStops() {
        for (String file : GeneratedSampleLogs.LOG_FILES) {
            List<String> train = GeneratedSampleLogs.lines("train", file);
            long lastTrain = CLOCKS.get(file).apply(train.get(train.size() - 1)).orElseThrow();
            long firstHeldout = CLOCKS.get(file).apply(GeneratedSampleLogs.lines("heldout", file).get(0)).orElseThrow();
            assertTrue(firstHeldout >= lastTrain, file);
        }
    }

    @Test
    void everyLineMatchesItsFormatExceptStackTracesAndAFewAnomalies() {
        for (String split : GeneratedSampleLogs.SPLITS) {
            for (String file : GeneratedSampleLogs.LOG_FILES) {
                int checked = 0;
                int matched = 0;
                for (String line : GeneratedSampleLogs.lines(split, file)) {
                    if (!isStackTraceLine(line)) {
                        checked++;
                        matched += LINE_FORMATS.get(file).matcher(line).matches() ? 1 : 0;
                    }
                }
                assertTrue(checked > 100, split + "/" + file + " has only " + checked + " lines");
                assertTrue(matched >= 0.95 * checked, split + "/" + file + ": " + matched + " of " + checked + " match");
            }
        }
    }

    @Test
    void labelsPointAtExistingLinesAndAnomaliesAreRare() {
        long lines = 0;
        long anomalous = 0;
        for (String split : GeneratedSampleLogs.SPLITS) {
            AnomalyLabels labels = GeneratedSampleLogs.labels(split);
            assertTrue(GeneratedSampleLogs.LOG_FILES.containsAll(labels.files()), labels.files().toString());
            long splitLines = 0;
            for (String file : GeneratedSampleLogs.LOG_FILES) {
                int count = GeneratedSampleLogs.lines(split, file).size();
                Set<Integer> labelled = labels.lines(file);
                assertFalse(labelled.isEmpty(), split + "/" + file + " has no anomalies");
                for (int line : labelled) {
                    assertTrue(line >= 1 && line <= count, split + "/" + file + " has no line " + line);
                    assertTrue(KINDS.contains(labels.kind(file, line).orElseThrow()));
                }
                splitLines += count;
            }
            double rate = (double) labels.size() / splitLines;
            assertTrue(rate <= (split.equals("train") ? 0.03 : 0.06), split + " anomaly rate " + rate);
            lines += splitLines;
            anomalous += labels.size();
        }
        double rate = (double) anomalous / lines;
        assertTrue(rate >= 0.005 && rate <= 0.05, "anomaly rate " + rate);
    }

    @Test
    void heldoutHasAnomalyKindsThatTrainNeverShows() {
        Map<String, String> unseenInTrain = Map.of(
                "syslog.log", "Currently unreadable (pending) sectors",
                "hdfs.log", "No space left on device",
                "nginx-access.log", "\" 999 ",
                "java-service.log", "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
                "kernel.log", "BUG: kernel NULL pointer dereference");
        AnomalyLabels heldoutLabels = GeneratedSampleLogs.labels("heldout");
        unseenInTrain.forEach((file, text) -> {
            assertTrue(GeneratedSampleLogs.lines("train", file).stream().noneMatch(l -> l.contains(text)), file);
            List<String> heldout = GeneratedSampleLogs.lines("heldout", file);
            int found = 0;
            for (int n = 1; n <= heldout.size(); n++) {
                if (heldout.get(n - 1).contains(text)) {
                    found++;
                    assertTrue(heldoutLabels.isAnomalous(file, n), file + ":" + n + " is not labelled");
                }
            }
            assertEquals(1, found, file + ": " + text);
        });
    }

    /** A trace line is anomalous exactly when the line that introduces it is. */
    @Test
    void stackTracesAreLabelledAsWholeEventsAndHandledOnesAreNormal() {
        int normalTraceLines = 0;
        Set<String> normalExceptions = new HashSet<>();
        for (String split : GeneratedSampleLogs.SPLITS) {
            AnomalyLabels labels = GeneratedSampleLogs.labels(split);
            List<String> lines = GeneratedSampleLogs.lines(split, "java-service.log");
            for (int n = 2; n <= lines.size(); n++) {
                String line = lines.get(n - 1);
                if (isStackTraceLine(line)) {
                    boolean labelled = labels.isAnomalous("java-service.log", n);
                    assertEquals(labels.isAnomalous("java-service.log", n - 1), labelled, split + " line " + n);
                    if (!labelled) {
                        normalTraceLines++;
                        Matcher m = EXCEPTION_LINE.matcher(line.replaceFirst("^Caused by: ", ""));
                        if (m.matches()) {
                            normalExceptions.add(line.replaceFirst("^Caused by: ", "").split(":")[0]);
                        }
                    }
                }
            }
        }
        assertTrue(normalTraceLines >= 50, "handled exceptions print traces: " + normalTraceLines);
        assertTrue(normalExceptions.containsAll(Set.of("java.net.SocketTimeoutException",
                "com.acme.orders.InvalidOrderException", "com.acme.inventory.StockSyncException", "java.io.IOException")),
                normalExceptions.toString());
    }

    @Test
    void nginxStatusMixLooksLikeAWorkingSite() {
        AnomalyLabels labels = GeneratedSampleLogs.labels("train");
        List<String> lines = GeneratedSampleLogs.lines("train", "nginx-access.log");
        Pattern status = Pattern.compile("\" (\\d{3}) \\d+ \"");
        Map<Integer, Integer> counts = new HashMap<>();
        int normal = 0;
        for (int n = 1; n <= lines.size(); n++) {
            if (!labels.isAnomalous("nginx-access.log", n)) {
                Matcher m = status.matcher(lines.get(n - 1));
                assertTrue(m.find(), lines.get(n - 1));
                counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                normal++;
            }
        }
        int ok = 0;
        int serverErrors = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            ok += e.getKey() < 400 ? e.getValue() : 0;
            serverErrors += e.getKey() >= 500 ? e.getValue() : 0;
        }
        assertTrue(ok >= 0.85 * normal, "2xx/3xx " + ok + " of " + normal);
        assertTrue(serverErrors <= 0.02 * normal, "5xx " + serverErrors + " of " + normal);
        assertTrue(counts.keySet().containsAll(Set.of(200, 304, 404)), counts.toString());
        assertTrue(counts.size() >= 8, counts.toString());
    }

    @Test
    void valuesRepeatLikeInRealLogs() {
        Map<String, Integer> clients = new HashMap<>();
        for (String line : GeneratedSampleLogs.lines("train", "nginx-access.log")) {
            clients.merge(line.substring(0, line.indexOf(' ')), 1, Integer::sum);
        }
        int busiest = clients.values().stream().max(Integer::compare).orElseThrow();
        assertTrue(busiest >= 40, "busiest client has " + busiest + " requests");

        Map<String, Integer> blocks = new HashMap<>();
        Pattern block = Pattern.compile("blk_-?\\d+");
        for (String line : GeneratedSampleLogs.lines("train", "hdfs.log")) {
            Matcher m = block.matcher(line);
            if (m.find()) {
                blocks.merge(m.group(), 1, Integer::sum);
            }
        }
        long seenOften = blocks.values().stream().filter(c -> c >= 10).count();
        assertTrue(seenOften >= blocks.size() / 2, seenOften + " of " + blocks.size() + " block ids recur");
    }

    @Test
    void afternoonsAreBusierThanNights() {
        int night = 0;
        int afternoon = 0;
        Pattern hour = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} (\\d{2}):");
        for (String line : GeneratedSampleLogs.lines("train", "java-service.log")) {
            Matcher m = hour.matcher(line);
            if (m.find()) {
                int h = Integer.parseInt(m.group(1));
                night += h < 6 ? 1 : 0;
                afternoon += h >= 12 && h < 18 ? 1 : 0;
            }
        }
        assertTrue(afternoon > 2 * night, "afternoon " + afternoon + ", night " + night);
    }

    @Test
    void bruteForceBurstsComeFromOneAddressEach() {
        AnomalyLabels labels = GeneratedSampleLogs.labels("train");
        List<String> lines = GeneratedSampleLogs.lines("train", "syslog.log");
        Set<String> attackers = new HashSet<>();
        int burstLines = 0;
        Pattern from = Pattern.compile("Failed password for .* from (\\S+) port \\d+ ssh2$");
        for (int line : labels.lines("syslog.log")) {
            if (labels.kind("syslog.log", line).orElseThrow().equals("burst")) {
                Matcher m = from.matcher(lines.get(line - 1));
                assertTrue(m.find(), lines.get(line - 1));
                attackers.add(m.group(1));
                burstLines++;
            }
        }
        assertEquals(2, attackers.size(), attackers.toString());
        assertTrue(burstLines >= 24, "burst lines " + burstLines);
    }
}
