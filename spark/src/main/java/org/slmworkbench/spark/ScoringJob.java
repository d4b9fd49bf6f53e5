package org.slmworkbench.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.slmworkbench.BadInputException;
import org.slmworkbench.logs.AlertThreshold;
import org.slmworkbench.logs.LmContext;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogScoring;

/** The scoring job: the normal period learned on the driver, the files scored by the tasks, the output written. */
final class ScoringJob {
    /** Tasks per core of the cluster: a few, so that a slow file or a retried task does not hold up the job's end. */
    private static final int TASKS_PER_CORE = 3;
    /** Bytes of log a task scores in one call: about 50,000 lines. */
    private static final long CHUNK_BYTES = 8L << 20;

    private ScoringJob() {}

    /** How the inputs hold the lines: log files, a Parquet column, or a field of JSON Lines objects. */
    enum Format { TEXT, PARQUET, JSONL }

    /**
     * @param column the Parquet column or JSON Lines field holding the lines; unused for log files
     * @param period log files of a normal period; null or empty to score zero-shot
     */
    record Options(String model, List<String> inputs, String out, Format format, String column, List<String> period, double alertRate,
            LmContext context, int threads, int skeletonCache) {}

    /** @param threshold the calibrated threshold; null without a period */
    record Report(long lines, long files, double seconds, long modelLoads, double modelLoadSeconds, AlertThreshold threshold, long alerts,
            long groups) {}

    static Report run(SparkSession spark, Options o) {
        long t0 = System.nanoTime();
        if (o.threads() < 1) {
            throw new BadInputException("--threads must be at least 1, got " + o.threads());
        }
        if (o.skeletonCache() < 0) {
            throw new BadInputException("--skeleton-cache must be at least 0, got " + o.skeletonCache());
        }
        if (!(o.alertRate() > 0 && o.alertRate() <= 10_000)) {
            throw new BadInputException("--alert-rate must be in (0, 10000] per 10,000 lines, got " + o.alertRate());
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        requireNew(o.out(), conf);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DoubleAccumulator loads = sc.sc().doubleAccumulator("model load seconds");
        ScoreJob job = new ScoreJob(o.model(), o.context(), o.threads(), o.skeletonCache(), null);
        if (o.period() != null && !o.period().isEmpty()) {
            job = new ScoreJob(o.model(), o.context(), o.threads(), o.skeletonCache(), learnPeriod(job, o, conf, loads));
        }
        Broadcast<ScoreJob> shared = sc.broadcast(job);
        Dataset<Row> lines;
        long files;
        if (o.format() == Format.PARQUET) {
            Dataset<Row> table = TableLines.read(spark, o.inputs(), o.column());
            files = table.select("path").distinct().count();
            lines = spark.createDataFrame(TableLines.score(table, shared, loads).rdd(), ScoredRows.SCHEMA);
        } else {
            // JSON Lines files are read as log files are, whole by one task, not by Spark's JSON source, which splits them
            String field = o.format() == Format.JSONL ? o.column() : null;
            List<LogFiles.LogFile> logs = LogFiles.list(o.inputs(), conf, field == null ? LogFiles.Kind.LOGS : LogFiles.Kind.JSON_LINES);
            files = logs.size();
            lines = spark.createDataFrame(scoreFiles(sc, shared, logs, field, conf, loads).rdd(), ScoredRows.SCHEMA);
        }
        String linesOut = new Path(o.out(), "lines").toString();
        lines.write().parquet(linesOut);
        Dataset<Row> written = spark.read().parquet(linesOut);
        long count = written.count();
        long alerts = 0;
        long groups = 0;
        if (job.period() != null) {
            alerts = written.filter(col("alert")).count();
            Dataset<Row> byGroup = AlertGroups.of(written);
            byGroup.coalesce(1).write().parquet(new Path(o.out(), "groups").toString());
            groups = spark.read().parquet(new Path(o.out(), "groups").toString()).count();
        }
        return new Report(count, files, (System.nanoTime() - t0) / 1e9, loads.count(), loads.count() == 0 ? 0 : loads.avg(),
                job.period() == null ? null : job.period().threshold(), alerts, groups);
    }

    private static void requireNew(String out, Configuration conf) {
        Path path = new Path(out);
        try {
            if (path.getFileSystem(conf).exists(path)) {
                throw new BadInputException(out + ": already exists; give a new folder for the output");
            }
        } catch (IOException e) {
            throw new BadInputException(out + ": cannot be checked: " + e.getMessage());
        }
    }

    /** The period's files read here, in path order as {@code score} reads a folder, and learned from once for every task. */
    private static LogScoring.Period learnPeriod(ScoreJob job, Options o, Configuration conf, DoubleAccumulator loads) {
        List<LogLine> period = new ArrayList<>();
        for (LogFiles.LogFile f : LogFiles.list(o.period(), conf, LogFiles.Kind.LOGS)) {
            period.addAll(LogLine.numbered(f.path(), LogFiles.lines(f, conf)));
        }
        if (period.isEmpty()) {
            throw new BadInputException(String.join(", ", o.period()) + ": the normal period has no lines");
        }
        ExecutorModel model = ExecutorModel.of(job, loads::add);
        return LogScoring.Period.learn(model.lm(), o.context(), period, o.alertRate());
    }

    /** @param field the JSON Lines field holding the lines; null for log files */
    private static JavaRDD<Row> scoreFiles(JavaSparkContext sc, Broadcast<ScoreJob> job, List<LogFiles.LogFile> logs, String field,
            Configuration conf, DoubleAccumulator loads) {
        List<List<LogFiles.LogFile>> groups = FileGroups.of(logs, sc.defaultParallelism() * TASKS_PER_CORE);
        Broadcast<HadoopConf> hadoop = sc.broadcast(new HadoopConf(conf));
        return sc.parallelize(groups, groups.size()).flatMap(group -> scoreGroup(job.value(), group, field, hadoop.value(), loads));
    }

    private static Iterator<Row> scoreGroup(ScoreJob job, List<LogFiles.LogFile> group, String field, HadoopConf hadoop,
            DoubleAccumulator loads) {
        ExecutorModel model = ExecutorModel.of(job, loads::add);
        return chunks(group).stream().flatMap(chunk -> {
            List<LogLine> lines = new ArrayList<>();
            chunk.forEach(f -> lines.addAll(LogLine.numbered(f.path(),
                    field == null ? LogFiles.lines(f, hadoop.get()) : LogFiles.jsonLines(f, hadoop.get(), field))));
            return ScoredRows.score(job, model, lines).stream();
        }).iterator();
    }

    /**
     * A task's files in runs of about {@link #CHUNK_BYTES}, each scored in one call: the new skeletons of
     * many small files then share the model's batches, as when {@code score} is given them all, while a
     * task holds one run's rows, not its whole share's.
     */
    private static List<List<LogFiles.LogFile>> chunks(List<LogFiles.LogFile> group) {
        List<List<LogFiles.LogFile>> chunks = new ArrayList<>();
        long bytes = CHUNK_BYTES;
        for (LogFiles.LogFile f : group) {
            if (bytes >= CHUNK_BYTES) {
                chunks.add(new ArrayList<>());
                bytes = 0;
            }
            chunks.get(chunks.size() - 1).add(f);
            bytes += f.bytes();
        }
        return chunks;
    }
}
