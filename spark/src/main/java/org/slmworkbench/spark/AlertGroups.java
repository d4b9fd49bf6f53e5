package org.slmworkbench.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The alerts of a scored job grouped by masked skeleton, as {@code score --alert-rate} prints them:
 * how many, the first and last line that raised one (by path, then line) and the worst of them,
 * worst group first. Computed from the written lines, so scoring is not run again.
 */
final class AlertGroups {
    private AlertGroups() {}

    static Dataset<Row> of(Dataset<Row> scored) {
        return scored.filter(col("alert"))
                .groupBy("skeleton")
                .agg(count(lit(1)).as("count"), min(struct("path", "line")).as("first"), max(struct("path", "line")).as("last"),
                        max("anomaly_score").as("worst_score"),
                        max_by(struct("path", "line", "text", "explanation"), col("anomaly_score")).as("worst"))
                .select(col("skeleton"), col("count"), col("first.path").as("first_path"), col("first.line").as("first_line"),
                        col("last.path").as("last_path"), col("last.line").as("last_line"), col("worst_score"),
                        col("worst.path").as("worst_path"), col("worst.line").as("worst_line"), col("worst.text").as("worst_text"),
                        col("worst.explanation").as("worst_explanation"))
                .orderBy(col("worst_score").desc(), col("skeleton"));
    }
}
