package org.slmworkbench.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slmworkbench.BadInputException;
import org.slmworkbench.cli.ContextOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spark-submit slm-workbench-spark.jar}: the workbench's {@code score} over a fleet's logs. */
@Command(name = "slm-workbench-spark", mixinStandardHelpOptions = true,
        description = {"Scores every line of the log files under the inputs as the workbench's score does, each file whole and in order"
                + " by one task, and writes Parquet: OUT/lines (score's columns, the file's path, the masked skeleton, and with a normal"
                + " period the calibrated threshold and whether the line alerts) and, with a period, OUT/groups (alerts by skeleton)."})
public final class SparkScore implements Callable<Integer> {
    /** Exit code for problems with the user's input, as the workbench's command line. */
    static final int EXIT_BAD_INPUT = 2;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "an exported model folder (hf or compact): a path every node sees, or the name of a folder shipped with the"
                    + " job (--archives model.tgz#NAME)")
    String model;
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
            description = "log files or folders on any Hadoop file system (globs allowed); with --format parquet, Parquet files;"
                    + " with --format jsonl, JSON Lines files (a folder: its .jsonl files)")
    List<String> inputs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "a new folder for the Parquet output")
    String out;
    @Option(names = "--format", defaultValue = "text", paramLabel = "text|parquet|jsonl",
            description = "text (default): log files, a line a line; parquet: a table, a line a row of --column, in each file's row order;"
                    + " jsonl: JSON Lines, a line an object's --column field, in each file's line order")
    String format;
    @Option(names = "--column", defaultValue = "text", paramLabel = "NAME",
            description = "with --format parquet, the column holding each line; with --format jsonl, the field (default text)")
    String column;
    @Option(names = "--period", arity = "1..*", paramLabel = "PATH",
            description = "a normal period of the same system (log files, read on the driver) to count templates in and calibrate on")
    List<String> period;
    @Option(names = "--alert-rate", defaultValue = "100", paramLabel = "R",
            description = "with --period: the threshold that about R of 10,000 normal lines exceed (default 100)")
    double alertRate;
    @Mixin ContextOption reading;
    @Spec CommandSpec commandSpec;
    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "tensor threads per task (default 1: give the executor more cores instead, one task each)")
    int threads;
    @Option(names = "--skeleton-cache", defaultValue = "50000", paramLabel = "N",
            description = "masked skeletons each executor keeps across files, so files that share them read each once (default 50000)")
    int skeletonCache;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the job on the session the JVM has (spark-submit's, or a test's); returns the exit code. */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new SparkScore());
        cli.setExecutionExceptionHandler(SparkScore::handle);
        return cli;
    }

    @Override
    public Integer call() {
        if (period == null && commandSpec.commandLine().getParseResult().hasMatchedOption("--alert-rate")) {
            // score's default period (the first fifth of each input) would mean reading a fifth of the fleet on the driver
            throw new BadInputException("--alert-rate needs --period in a job: a normal period to calibrate on, read on the driver");
        }
        ScoringJob.Options options = new ScoringJob.Options(model, inputs, out, format(), column, period, alertRate, reading.context(),
                threads, skeletonCache);
        ScoringJob.Report r = ScoringJob.run(SparkSession.builder().appName("slm-workbench score").getOrCreate(), options);
        System.out.printf(Locale.ROOT, "%,d lines of %,d file(s) scored in %.1f s (%,.0f lines/s); the model loaded %d time(s), %.2f s"
                + " on average; wrote %s%n", r.lines(), r.files(), r.seconds(), r.lines() / r.seconds(), r.modelLoads(),
                r.modelLoadSeconds(), out);
        if (r.threshold() != null) {
            System.out.printf(Locale.ROOT, "alerts at %s: %,d line(s) in %,d group(s) by masked skeleton%n", r.threshold().describe(),
                    r.alerts(), r.groups());
        }
        return 0;
    }

    private ScoringJob.Format format() {
        return switch (format) {
            case "text" -> ScoringJob.Format.TEXT;
            case "parquet" -> ScoringJob.Format.PARQUET;
            case "jsonl" -> ScoringJob.Format.JSONL;
            default -> throw new BadInputException("--format must be text, parquet or jsonl, got '" + format + "'");
        };
    }

    /**
     * A problem with the input, wherever it surfaced (on the driver, or in a task and carried back by
     * Spark inside its own exceptions), is one line and exit code 2; anything else is a bug and keeps its trace.
     */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadInputException) {
                PrintWriter err = cli.getErr();
                err.println("error: " + t.getMessage());
                err.flush();
                return EXIT_BAD_INPUT;
            }
        }
        throw e;
    }
}
