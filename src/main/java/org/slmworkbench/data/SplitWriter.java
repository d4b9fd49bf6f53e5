package org.slmworkbench.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the log files of one split (train or heldout) and its labels.tsv, counting what it
 * wrote. Lines end in {@code \n} on every platform so a seed gives the same bytes everywhere.
 */
final class SplitWriter {
    static final String LABELS_FILE = "labels.tsv";

    private final Path folder;
    private final StringBuilder labels = new StringBuilder(AnomalyLabels.HEADER).append('\n');
    private int files;
    private long bytes;
    private long lines;
    private long anomalousLines;

    SplitWriter(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    void write(String fileName, Iterable<LogEvent> events) throws IOException {
        StringBuilder text = new StringBuilder();
        int lineNumber = 0;
        for (LogEvent event : events) {
            for (String line : event.lines()) {
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    throw new IllegalStateException(fileName + ": a template produced an embedded line break");
                }
                lineNumber++;
                text.append(line).append('\n');
                if (event.anomaly().isPresent()) {
                    labels.append(fileName).append('\t').append(lineNumber).append('\t')
                            .append(event.anomaly().get().label()).append('\n');
                    anomalousLines++;
                }
            }
        }
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(folder.resolve(fileName), content);
        files++;
        bytes += content.length;
        lines += lineNumber;
    }

    /** Writes labels.tsv and returns the counts of the log files (labels not included). */
    SampleLogGenerator.SplitSummary finish() throws IOException {
        Files.writeString(folder.resolve(LABELS_FILE), labels, StandardCharsets.UTF_8);
        return new SampleLogGenerator.SplitSummary(files, bytes, lines, anomalousLines);
    }
}
