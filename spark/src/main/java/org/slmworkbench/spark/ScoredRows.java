package org.slmworkbench.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slmworkbench.logs.AlertThreshold;
import org.slmworkbench.logs.LogLine;
import org.slmworkbench.logs.LogScoring;
import org.slmworkbench.logs.ScoredLine;
import org.slmworkbench.model.Engines;

/**
 * One log file scored as {@code score} scores it, as rows of the job's output: {@code score}'s columns
 * (file, line, mean_nll, max_surprise, anomaly_score, explanation, text), where the file came from,
 * its masked skeleton, and with a normal period the calibrated threshold and whether the line alerts.
 */
final class ScoredRows {
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("file", DataTypes.StringType, false)
            .add("line", DataTypes.IntegerType, false)
            .add("mean_nll", DataTypes.DoubleType, false)
            .add("max_surprise", DataTypes.DoubleType, false)
            .add("anomaly_score", DataTypes.DoubleType, false)
            .add("explanation", DataTypes.StringType, false)
            .add("text", DataTypes.StringType, false)
            .add("skeleton", DataTypes.StringType, false)
            .add("threshold", DataTypes.DoubleType, true)
            .add("alert", DataTypes.BooleanType, true);

    private ScoredRows() {}

    /**
     * Scores log files together, as {@code score} scores the files it is given.
     *
     * @param lines the lines of one or more files, each file's in order (a line is judged with the ones
     *     before it), with the file's full path as their source: it names the file in the output, beside
     *     its name ({@code score}'s file column)
     */
    static List<Row> score(ScoreJob job, ExecutorModel model, List<LogLine> lines) {
        // PyTorch's thread count is kept per thread (OpenMP's): a task's thread starts with one per core
        Engines.setThreads(job.threads());
        LogScoring.Period period = job.period();
        List<ScoredLine> scored = period == null ? LogScoring.zeroShot(model.lm(), job.context(), lines, model.cache())
                : period.scoreWith(model.lm(), job.context(), lines, model.cache());
        AlertThreshold threshold = period == null ? null : period.threshold();
        List<Row> rows = new ArrayList<>(scored.size());
        for (ScoredLine s : scored) {
            String path = s.line().source();
            rows.add(RowFactory.create(path, new Path(path).getName(), s.line().number(), s.tokens().meanNll(), s.tokens().maxNll(), s.score(),
                    s.tokens().explanation(), s.line().text(), s.skeleton(), threshold == null ? null : threshold.threshold(),
                    threshold == null ? null : threshold.alerts(s.score())));
        }
        return rows;
    }
}
