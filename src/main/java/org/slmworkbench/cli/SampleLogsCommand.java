package org.slmworkbench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slmworkbench.data.SampleLogGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample-logs", mixinStandardHelpOptions = true,
        description = "Write the synthetic machine logs (five formats, labelled anomalies, train/held-out split) for a seed.")
final class SampleLogsCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--seed", defaultValue = "42") long seed;

    @Override
    public Integer call() throws Exception {
        SampleLogGenerator.Summary s = SampleLogGenerator.generate(out, seed);
        System.out.printf(Locale.ROOT, "wrote %s: %,d bytes, %,d lines, %,d anomalous lines (train %,d bytes, held out %,d bytes)%n",
                out, s.totalBytes(), s.totalLines(), s.totalAnomalousLines(), s.train().bytes(), s.heldout().bytes());
        return 0;
    }
}
