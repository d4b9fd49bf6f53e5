package org.slmworkbench.bench;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slmworkbench.io.AtomicFiles;

/**
 * Writes a benchmark's results: results.md (the seed's "Optimization Results" columns, then ours),
 * results.csv, results.json, and two PNG charts — decode latency per setting, and perplexity
 * against compact file size with the Pareto front. The folder is replaced as a whole.
 */
public final class BenchReport {
    private BenchReport() {}

    /** One column of the results table, as the report files and the window's table show it. */
    public record Column(String header, Function<BenchResult, String> value) {}

    public static void write(Path out, String model, List<BenchResult> results, String command) throws IOException {
        List<Column> columns = columns(model);
        AtomicFiles.replaceDirectory(out, dir -> {
            Files.writeString(dir.resolve("results.md"), markdown(columns, results, command));
            Files.writeString(dir.resolve("results.csv"), csv(columns, results));
            Files.writeString(dir.resolve("results.json"), json(results));
            ChartUtils.saveChartAsPNG(dir.resolve("latency.png").toFile(), latencyChart(results), 900, 500);
            ChartUtils.saveChartAsPNG(dir.resolve("quality-vs-size.png").toFile(), qualityChart(results), 900, 500);
        });
    }

    public static List<Column> columns(String model) {
        return List.of(
                new Column("Model", r -> model),
                new Column("Technique", BenchResult::name),
                new Column("Latency (ms)", r -> f(r.sampleLatencyMs(), 1)),
                new Column("Throughput (samples/s)", r -> f(r.samplesPerS(), 2)),
                new Column("Memory (MB)", r -> mb(r.rssBytes())),
                new Column("Deployed memory (MB)", r -> mb(r.deployedRssBytes())),
                new Column("Config", BenchResult::config),
                new Column("Prefill (ms)", r -> f(r.prefillMs(), 2)),
                new Column("Decode p50 (ms/token)", r -> f(r.decodeMsPerTokenP50(), 2)),
                new Column("Decode p95 (ms/token)", r -> f(r.decodeMsPerTokenP95(), 2)),
                new Column("Tokens/s", r -> f(r.tokensPerS(), 1)),
                new Column("Layers/token", r -> f(r.meanExitLayer(), 2)),
                new Column("Weights (MB)", r -> mb(r.weightsBytes())),
                new Column("Dense file (MB)", r -> mb(r.denseFileBytes())),
                new Column("Compact file (MB)", r -> mb(r.compactFileBytes())),
                new Column("Perplexity", r -> f(r.perplexity(), 3)),
                new Column("Next-token accuracy", r -> pct(r.nextTokenAccuracy())),
                new Column("Top-1 agreement", r -> pct(r.top1Agreement())),
                new Column("Mean KL (nats)", r -> f(r.meanKl(), 4)),
                new Column("Anomaly AUC", r -> f(r.anomalyAuc(), 3)),
                new Column("Valid Code %", r -> f(r.validCodePct(), 1)),
                new Column("Syntax Errors", r -> r.syntaxErrors() < 0 ? "n/a" : Integer.toString(r.syntaxErrors())),
                new Column("Execution Success %", r -> f(r.executionSuccessPct(), 1)),
                new Column("Inference Success %", r -> f(r.inferenceSuccessPct(), 1)),
                new Column("Quality Score", r -> f(r.qualityScore(), 1)),
                new Column("Threads", r -> Integer.toString(r.threads())));
    }

    public static String markdown(List<Column> columns, List<BenchResult> results, String command) {
        StringBuilder md = new StringBuilder("# Optimization Results\n\n");
        md.append("| ").append(String.join(" | ", columns.stream().map(Column::header).toList())).append(" |\n");
        md.append("|").append("---|".repeat(columns.size())).append('\n');
        for (BenchResult r : results) {
            md.append("| ").append(String.join(" | ", columns.stream().map(c -> c.value().apply(r)).toList())).append(" |\n");
        }
        md.append("\nLatency is one sample: the prompt's prefill plus the fixed number of generated tokens, median of the runs;"
                + " throughput is its inverse; the base's timing is taken again after"
                + " the other settings, so it is as warm as they are. Memory is the resident size of the whole process, which also holds the base model;"
                + " Weights is the compressed model's own tensors in memory. Perplexity, accuracy and agreement are on the held-out"
                + " text; agreement and KL compare with the base model. On Python data, the code columns come from greedy completions"
                + " of held-out function signatures, cut where the function ends: Valid Code % parses with python3's ast, Execution"
                + " Success % also runs (only with --execute-code), Inference Success % finished without error, and Quality Score ="
                + " Valid Code % x min(1, base perplexity / perplexity). n/a: not measurable here (e.g. no labels, no python3).\n\n");
        md.append("Made with:\n\n```\n").append(command).append("\n```\n");
        return md.toString();
    }

    public static String csv(List<Column> columns, List<BenchResult> results) {
        StringBuilder sb = new StringBuilder(String.join(",", columns.stream().map(c -> quote(c.header())).toList())).append('\n');
        for (BenchResult r : results) {
            sb.append(String.join(",", columns.stream().map(c -> quote(c.value().apply(r))).toList())).append('\n');
        }
        return sb.toString();
    }

    /** One object per setting with snake_case keys; unmeasured figures are null. */
    static String json(List<BenchResult> results) {
        Gson gson = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                .serializeSpecialFloatingPointValues().setPrettyPrinting().serializeNulls().create();
        JsonArray array = new JsonArray();
        for (BenchResult r : results) {
            JsonObject o = gson.toJsonTree(r).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                boolean unmeasured = e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()
                        && (Double.isNaN(e.getValue().getAsDouble()) || ((e.getKey().endsWith("_bytes") || e.getKey().equals("syntax_errors")) && e.getValue().getAsLong() < 0));
                if (unmeasured) {
                    e.setValue(JsonNull.INSTANCE);
                }
            }
            array.add(o);
        }
        return gson.toJson(array) + "\n";
    }

    private static JFreeChart latencyChart(List<BenchResult> results) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (BenchResult r : results) {
            data.addValue(r.decodeMsPerTokenP50(), "decode p50", r.name());
            data.addValue(r.prefillMs(), "prefill", r.name());
        }
        return ChartFactory.createBarChart("Latency by setting", "", "milliseconds", data, PlotOrientation.HORIZONTAL, true, false, false);
    }

    private static JFreeChart qualityChart(List<BenchResult> results) {
        XYSeries all = new XYSeries("settings");
        XYSeries front = new XYSeries("Pareto front", true);
        for (BenchResult r : results) {
            all.add(r.compactFileBytes() / 1e6, r.perplexity());
        }
        for (BenchResult r : paretoFront(results)) {
            front.add(r.compactFileBytes() / 1e6, r.perplexity());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(all);
        data.addSeries(front);
        JFreeChart chart = ChartFactory.createXYLineChart("Quality vs size", "compact file (MB)", "held-out perplexity", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        ((XYPlot) chart.getPlot()).setRenderer(renderer);
        return chart;
    }

    /** Settings no other setting beats on both size and perplexity, smallest first. */
    static List<BenchResult> paretoFront(List<BenchResult> results) {
        List<BenchResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingLong(BenchResult::compactFileBytes).thenComparingDouble(BenchResult::perplexity));
        List<BenchResult> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (BenchResult r : sorted) {
            if (r.perplexity() < best) {
                front.add(r);
                best = r.perplexity();
            }
        }
        return front;
    }

    private static String f(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / 1e6);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
