package org.slmworkbench.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.DoubleAccumulator;
import org.slmworkbench.BadInputException;
import org.slmworkbench.logs.LogLine;

/**
 * Log lines held as a column of Parquet files, a line a row. Each file is one log, in its row order
 * (Parquet's row index): the rows are brought together by file and sorted, so that one task scores a
 * file's rows whole and in order, as it scores a log file.
 */
final class TableLines {
    private TableLines() {}

    /** path, row and text of every row; a column the files lack fails here, naming it and the columns there are. */
    static Dataset<Row> read(SparkSession spark, List<String> inputs, String column) {
        Dataset<Row> table = spark.read().parquet(inputs.toArray(String[]::new));
        if (!Arrays.asList(table.columns()).contains(column)) {
            throw new BadInputException(String.join(", ", inputs) + ": has no column '" + column + "' (its columns: "
                    + String.join(", ", table.columns()) + "); name the one holding the lines with --column");
        }
        return table.select(col("_metadata.file_path").as("path"), col("_metadata.row_index").as("row"), col(column).cast("string").as("text"));
    }

    static JavaRDD<Row> score(Dataset<Row> rows, Broadcast<ScoreJob> job, DoubleAccumulator loads) {
        return rows.repartition(col("path")).sortWithinPartitions("path", "row").toJavaRDD()
                .mapPartitions(partition -> new FileRuns(partition, job.value(), loads));
    }

    /** A partition's rows, sorted by file, scored one file at a time. */
    private static final class FileRuns implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final ScoreJob job;
        private final DoubleAccumulator loads;
        private Row pending;
        private Iterator<Row> scored = List.<Row>of().iterator();

        FileRuns(Iterator<Row> rows, ScoreJob job, DoubleAccumulator loads) {
            this.rows = rows;
            this.job = job;
            this.loads = loads;
            this.pending = rows.hasNext() ? rows.next() : null;
        }

        @Override
        public boolean hasNext() {
            while (!scored.hasNext() && pending != null) {
                String path = pending.getString(0);
                List<String> texts = new ArrayList<>();
                while (pending != null && pending.getString(0).equals(path)) {
                    // a null cell is an empty line: the row still holds a place in the log
                    texts.add(pending.isNullAt(2) ? "" : pending.getString(2));
                    pending = rows.hasNext() ? rows.next() : null;
                }
                ExecutorModel model = ExecutorModel.of(job, loads::add);
                scored = ScoredRows.score(job, model, LogLine.numbered(path, texts)).iterator();
            }
            return scored.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return scored.next();
        }
    }
}
