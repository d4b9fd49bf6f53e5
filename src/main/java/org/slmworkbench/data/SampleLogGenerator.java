package org.slmworkbench.data;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Generates the sample machine logs: five formats (syslog, HDFS, nginx access, a Java service,
 * kernel), each cut into {@code train/} (first ~90% of its timeline) and {@code heldout/} (last
 * ~10%), with injected anomalies listed in each split's {@code labels.tsv}, and a README.
 * Deterministic: the same seed gives byte-identical output, on any machine.
 */
public final class SampleLogGenerator {
    /** Command that regenerates the committed copy; quoted in the generated README. */
    static final String REGENERATE_COMMAND = "java -jar target/slm-workbench.jar sample-logs --out sample-logs --seed ";
    static final String TRAIN = "train";
    static final String HELDOUT = "heldout";
    static final String README = "README.md";

    /** Normal traffic per format; five of these plus anomalies come to about 2.5 MB. */
    private static final long BYTES_PER_FORMAT = 490_000;
    /** A Monday, so the files start at a quiet hour and run through several working days. */
    private static final long START_MICROS = Instant.parse("2024-03-04T00:00:00Z").toEpochMilli() * 1000;

    /** What one split holds: log files only; labels.tsv and README are not counted. */
    public record SplitSummary(int files, long bytes, long lines, long anomalousLines) {
    }

    public record Summary(long seed, SplitSummary train, SplitSummary heldout) {
        public long totalBytes() {
            return train.bytes() + heldout.bytes();
        }

        public long totalLines() {
            return train.lines() + heldout.lines();
        }

        public long totalAnomalousLines() {
            return train.anomalousLines() + heldout.anomalousLines();
        }
    }

    private SampleLogGenerator() {
    }

    /**
     * Generates into {@code outDir}, replacing a previous generation there. The output is built in
     * a hidden sibling folder and renamed into place.
     *
     * @throws org.slmworkbench.BadInputException if {@code outDir} is a file or holds files this
     *     generator did not write
     * @throws IOException if writing fails; {@code outDir} is then left as it was
     */
    public static Summary generate(Path outDir, long seed) throws IOException {
        Dice dice = new Dice(seed);
        List<LogFormat> formats = List.of(new SyslogFormat(dice.fork()), new HdfsFormat(dice.fork()),
                new NginxAccessFormat(dice.fork()), new JavaServiceFormat(dice.fork()), new KernelFormat(dice.fork()));
        List<FormatSimulation.SplitLog> logs = new ArrayList<>();
        for (LogFormat format : formats) {
            logs.add(FormatSimulation.simulate(format, dice.fork(), START_MICROS, BYTES_PER_FORMAT));
        }
        return FolderSwap.replace(outDir, Set.of(TRAIN, HELDOUT, README), folder -> {
            SplitWriter train = new SplitWriter(folder.resolve(TRAIN));
            SplitWriter heldout = new SplitWriter(folder.resolve(HELDOUT));
            for (int i = 0; i < formats.size(); i++) {
                train.write(formats.get(i).fileName(), logs.get(i).train());
                heldout.write(formats.get(i).fileName(), logs.get(i).heldout());
            }
            Summary summary = new Summary(seed, train.finish(), heldout.finish());
            SampleLogReadme.write(folder.resolve(README), summary, formats);
            return summary;
        });
    }
}
