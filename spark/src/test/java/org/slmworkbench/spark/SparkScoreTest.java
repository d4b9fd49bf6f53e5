package org.slmworkbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.bench.ScoreFiles;
import org.slmworkbench.checkpoint.CheckpointLoader;
import org.slmworkbench.checkpoint.LoadedLm;
import org.slmworkbench.logs.AlertGroup;
import org.slmworkbench.logs.LmContext;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogScoring;
import org.slmworkbench.logs.ScoredLine;
import picocli.CommandLine;

/** The job in Spark's local mode, against the workbench's own scoring of the same files. */
class SparkScoreTest {
    static final Path ROOT = Path.of("..");
    static final Path MODEL = ROOT.resolve("models/loglm-tiny");
    static final Path SAMPLE = ROOT.resolve("sample-logs");
    static final Path REAL = ROOT.resolve("../shared/data/real-logs/ait-apache");
    static final double TOLERANCE = 1e-5;

    static SparkSession spark;

    @TempDir Path tmp;

    @BeforeAll
    static void startSpark() {
        // two task threads, and up to 4 attempts of a task (local mode retries none by default)
        spark = SparkSession.builder().master("local[2,4]").appName("SparkScoreTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.hadoop.fs.file.impl", FlakyLocalFileSystem.class.getName())
                .config("spark.hadoop.fs.file.impl.disable.cache", "true")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void scoresAsTheWorkbenchWithACalibratedThresholdAndGroups() throws Exception {
        Path out = tmp.resolve("out");
        Run run = run("--model", MODEL.toString(), "--input", SAMPLE.resolve("heldout").toString(), "--period",
                SAMPLE.resolve("train").toString(), "--alert-rate", "100", "--out", out.toString());
        assertEquals(0, run.exit, run.err);

        Map<String, List<String>> files = ScoreFiles.readLines(List.of(SAMPLE.resolve("heldout")));
        List<LogLine> lines = LogLine.numbered(files);
        List<LogLine> period = LogLine.numbered(ScoreFiles.readLines(List.of(SAMPLE.resolve("train"))));
        LogScoring.Calibrated expected;
        try (NDManager root = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(MODEL, root)) {
            expected = LogScoring.calibrated(lm, LmContext.LINE, lines, period, 100);
        }
        List<Row> rows = spark.read().parquet(out.resolve("lines").toString()).collectAsList();
        assertSameScores(expected.lines(), rows);
        for (Row r : rows) {
            assertEquals(expected.threshold().threshold(), r.<Double>getAs("threshold"), 0.0);
            assertEquals(expected.threshold().alerts(r.getAs("anomaly_score")), r.<Boolean>getAs("alert"));
        }
        List<AlertGroup> groups = AlertGroup.of(expected.lines(), expected.threshold());
        List<Row> written = spark.read().parquet(out.resolve("groups").toString()).collectAsList();
        assertTrue(groups.size() > 1, "the sample's heldout part raises alerts of several kinds");
        assertEquals(groups.size(), written.size());
        Map<String, Long> counts = new HashMap<>();
        written.forEach(g -> counts.put(g.getAs("skeleton"), g.getAs("count")));
        for (AlertGroup g : groups) {
            assertEquals(g.count(), counts.get(g.skeleton()), g.skeleton());
        }
        assertEquals(groups.get(0).worst().score(), written.get(0).<Double>getAs("worst_score"), TOLERANCE);
        assertTrue(run.out.contains(String.format(Locale.ROOT, "%,d lines of 5 file(s) scored", lines.size())), run.out);
    }

    @Test
    void scoresRealLogsWithAModelShippedWithTheJob() throws Exception {
        assumeTrue(Files.isDirectory(REAL), "the real logs are not beside the project (" + REAL + "); skipped");
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);
        List<Path> inputs = List.of(REAL.resolve("intranet.smith.russellmitchell.com-access1.log"),
                REAL.resolve("intranet.smith.russellmitchell.com-access3.log"));
        spark.sparkContext().addFile(MODEL.toAbsolutePath().toString(), true);
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("--model", "loglm-tiny", "--out", out.toString(), "--input"));
        inputs.forEach(p -> args.add(p.toString()));
        Run run = run(args.toArray(String[]::new));
        assertEquals(0, run.exit, run.err);

        List<ScoredLine> expected;
        try (NDManager root = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(MODEL, root)) {
            expected = LogScoring.zeroShot(lm, LmContext.LINE, LogLine.numbered(ScoreFiles.readLines(inputs)));
        }
        List<Row> rows = spark.read().parquet(out.resolve("lines").toString()).collectAsList();
        assertSameScores(expected, rows);
        rows.forEach(r -> assertNull(r.getAs("threshold"), "no period, no threshold"));
        assertTrue(Files.notExists(out.resolve("groups")));
    }

    @Test
    void tasksRunAgainAfterTheirExecutorFailsLeaveNothingTwice() throws Exception {
        Path logs = tmp.resolve("logs");
        Files.createDirectories(logs);
        for (int copy = 0; copy < 4; copy++) {
            for (Path f : List.of(SAMPLE.resolve("heldout/syslog.log"), SAMPLE.resolve("heldout/kernel.log"))) {
                Files.copy(f, logs.resolve(copy + "-" + f.getFileName()));
            }
        }
        Path clean = tmp.resolve("clean");
        assertEquals(0, run("--model", MODEL.toString(), "--input", logs.toString(), "--out", clean.toString()).exit);
        // one task fails while it reads its files, another once it has written all its rows, before they count
        FlakyLocalFileSystem.FAIL_READ.set("3-kernel.log");
        FlakyLocalFileSystem.FAIL_COMMIT.set(true);
        Path retried = tmp.resolve("retried");
        Run run = run("--model", MODEL.toString(), "--input", logs.toString(), "--out", retried.toString());
        assertEquals(0, run.exit, run.err);
        assertNull(FlakyLocalFileSystem.FAIL_READ.get(), "the failed read happened");
        assertFalse(FlakyLocalFileSystem.FAIL_COMMIT.get(), "the failed commit happened");

        Dataset<Row> a = spark.read().parquet(clean.resolve("lines").toString());
        Dataset<Row> b = spark.read().parquet(retried.resolve("lines").toString());
        long lines = 0;
        for (Path f : Files.list(logs).toList()) {
            lines += ScoreFiles.readLines(List.of(f)).values().iterator().next().size();
        }
        assertEquals(lines, b.count());
        assertEquals(lines, b.select("path", "line").distinct().count());
        assertEquals(0, a.select("path", "line", "anomaly_score").except(b.select("path", "line", "anomaly_score")).count());
    }

    @Test
    void aParquetColumnIsScoredAsTheLogItHolds() throws Exception {
        Path log = SAMPLE.resolve("heldout/hdfs.log");
        List<String> texts = ScoreFiles.readLines(List.of(log)).get("hdfs.log");
        List<Row> table = new ArrayList<>();
        texts.forEach(t -> table.add(RowFactory.create("hdfs-1", t)));
        StructType schema = new StructType().add("host", DataTypes.StringType).add("message", DataTypes.StringType);
        Path parquet = tmp.resolve("table");
        // one file of several row groups, written by one task so that its row order is the log's
        spark.createDataFrame(table, schema).coalesce(1).write().option("parquet.block.size", "8192").parquet(parquet.toString());

        Path out = tmp.resolve("out");
        // read as one stream, each line in the context of the rows before it: the rows' order counts
        Run run = run("--model", MODEL.toString(), "--format", "parquet", "--column", "message", "--context", "stream", "--input",
                parquet.toString(), "--out", out.toString());
        assertEquals(0, run.exit, run.err);
        assertScoredAsOneStream(texts, out);
    }

    @Test
    void jsonLinesAreScoredAsTheLogTheyHoldInTheFilesOrder() throws Exception {
        Path log = SAMPLE.resolve("heldout/syslog.log");
        List<String> texts = ScoreFiles.readLines(List.of(log)).get("syslog.log");
        Path jsonl = tmp.resolve("syslog.jsonl");
        Gson gson = new Gson();
        List<String> objects = new ArrayList<>();
        texts.forEach(t -> objects.add(gson.toJson(Map.of("host", "node-1", "message", t))));
        Files.write(jsonl, objects);
        // splits far smaller than the file: a reader that split it would lose the lines' order and context
        long split = 4096;
        assertTrue(Files.size(jsonl) > 10 * split, "the file spans many splits");
        spark.conf().set("spark.sql.files.maxPartitionBytes", split);
        Path out = tmp.resolve("out");
        Run run;
        try {
            run = run("--model", MODEL.toString(), "--format", "jsonl", "--column", "message", "--context", "stream", "--input",
                    tmp.toString(), "--out", out.toString());
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
        assertEquals(0, run.exit, run.err);
        assertTrue(run.out.contains(String.format(Locale.ROOT, "%,d lines of 1 file(s) scored", texts.size())), run.out);
        assertScoredAsOneStream(texts, out);
    }

    @Test
    void aJsonLineWithoutTheFieldFailsNamingTheFileAndLine() throws Exception {
        Path jsonl = tmp.resolve("app.jsonl");
        Files.writeString(jsonl, "{\"text\": \"first\"}\n\n{\"message\": \"second\", \"level\": \"INFO\"}\n");
        Run run = run("--model", MODEL.toString(), "--format", "jsonl", "--input", jsonl.toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit, run.err);
        assertEquals("error: file:" + jsonl + ": line 3: no field 'text'; fields: message, level", run.err.strip());
    }

    @Test
    void aJsonLineThatIsNotAnObjectFailsNamingTheFileAndLine() throws Exception {
        Path array = tmp.resolve("array.jsonl");
        Files.writeString(array, "{\"text\": \"first\"}\n[\"second\"]\n");
        Run run = run("--model", MODEL.toString(), "--format", "jsonl", "--input", array.toString(), "--out", tmp.resolve("a").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit, run.err);
        assertEquals("error: file:" + array + ": line 2: expected an object with a 'text' field, found an array", run.err.strip());

        Path plain = tmp.resolve("plain.jsonl");
        Files.writeString(plain, "{\"text\": \"first\"}\nJan 1 00:00:00 host sshd[1]: a plain log line\n");
        run = run("--model", MODEL.toString(), "--format", "jsonl", "--input", plain.toString(), "--out", tmp.resolve("p").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit, run.err);
        assertEquals("error: file:" + plain + ": line 2, column 1: not valid JSON (unexpected text)", run.err.strip());
    }

    /** The job's output at {@code out} is the workbench's scoring of {@code texts} as one stream, in their order. */
    private static void assertScoredAsOneStream(List<String> texts, Path out) throws Exception {
        List<ScoredLine> expected;
        try (NDManager root = NDManager.newBaseManager(); LoadedLm lm = CheckpointLoader.load(MODEL, root)) {
            expected = LogScoring.zeroShot(lm, LmContext.STREAM, LogLine.numbered("log", texts));
        }
        List<Row> rows = spark.read().parquet(out.resolve("lines").toString()).orderBy("line").collectAsList();
        assertEquals(texts.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(texts.get(i), rows.get(i).getAs("text"), "row " + i + " in the log's order");
            assertEquals(expected.get(i).score(), rows.get(i).<Double>getAs("anomaly_score"), TOLERANCE);
        }
    }

    @Test
    void aMissingColumnFailsNamingItAndTheColumnsThereAre() throws Exception {
        Path parquet = tmp.resolve("table");
        spark.createDataFrame(List.of(RowFactory.create("a line")), new StructType().add("message", DataTypes.StringType)).write()
                .parquet(parquet.toString());
        Run run = run("--model", MODEL.toString(), "--format", "parquet", "--column", "text", "--input", parquet.toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit);
        assertEquals("error: " + parquet + ": has no column 'text' (its columns: message); name the one holding the lines with --column",
                run.err.strip());
    }

    @Test
    void anAlertRateWithoutAPeriodIsRefused() throws Exception {
        Run run = run("--model", MODEL.toString(), "--input", SAMPLE.resolve("heldout").toString(), "--alert-rate", "10", "--out",
                tmp.resolve("out").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit);
        assertEquals("error: --alert-rate needs --period in a job: a normal period to calibrate on, read on the driver", run.err.strip());
        assertTrue(Files.notExists(tmp.resolve("out")));
    }

    @Test
    void aCorruptModelFailsTheJobWithTheWorkbenchsMessage() throws Exception {
        Path model = tmp.resolve("broken-model");
        Files.createDirectories(model);
        for (Path f : Files.list(MODEL).toList()) {
            Files.copy(f, model.resolve(f.getFileName()));
        }
        // cut the weights short: the header promises more bytes than the file holds
        byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
        Files.write(model.resolve("model.safetensors"), Arrays.copyOf(weights, weights.length / 2));
        String expected;
        try (NDManager root = NDManager.newBaseManager()) {
            expected = messageOf(() -> CheckpointLoader.load(model, root).close());
        }
        Run run = run("--model", model.toString(), "--input", SAMPLE.resolve("heldout/syslog.log").toString(), "--out",
                tmp.resolve("out").toString());
        assertEquals(SparkScore.EXIT_BAD_INPUT, run.exit, run.err);
        assertEquals("error: " + expected, run.err.strip());
        assertEquals(1, run.err.strip().lines().count(), "one line, no stack trace: " + run.err);
        assertTrue(Files.notExists(tmp.resolve("out/lines/_SUCCESS")), "no output of a failed job");
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the broken model to be refused");
    }

    private static void assertSameScores(List<ScoredLine> expected, List<Row> rows) {
        assertEquals(expected.size(), rows.size());
        Map<String, Row> byLine = new HashMap<>();
        Set<String> paths = new HashSet<>();
        for (Row r : rows) {
            byLine.put(r.getAs("file") + ":" + r.getAs("line"), r);
            paths.add(r.getAs("path"));
        }
        assertEquals(expected.size(), byLine.size(), "each line once");
        for (ScoredLine s : expected) {
            Row r = byLine.get(s.line().source() + ":" + s.line().number());
            String where = s.line().source() + ":" + s.line().number();
            assertEquals(s.line().text(), r.getAs("text"), where);
            assertEquals(s.score(), r.<Double>getAs("anomaly_score"), TOLERANCE, where);
            assertEquals(s.tokens().meanNll(), r.<Double>getAs("mean_nll"), TOLERANCE, where);
            assertEquals(s.tokens().maxNll(), r.<Double>getAs("max_surprise"), TOLERANCE, where);
            assertEquals(s.tokens().explanation(), r.getAs("explanation"), where);
            assertEquals(s.skeleton(), r.getAs("skeleton"), where);
        }
    }

    record Run(int exit, String out, String err) {}

    private static Run run(String... args) throws IOException {
        CommandLine cli = SparkScore.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream was = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return new Run(cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(was);
        }
    }
}
