package org.slmworkbench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One seed-42 generation shared by the test classes (generating takes a while on a busy CI box). */
final class GeneratedSampleLogs {
    static final long SEED = 42;
    static final List<String> LOG_FILES =
            List.of("syslog.log", "hdfs.log", "nginx-access.log", "java-service.log", "kernel.log");
    static final List<String> SPLITS = List.of("train", "heldout");

    private static Path folder;
    private static SampleLogGenerator.Summary summary;

    private GeneratedSampleLogs() {
    }

    static synchronized Path folder() {
        if (folder == null) {
            try {
                Path parent = Files.createTempDirectory("sample-logs-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        org.slmworkbench.io.AtomicFiles.deleteTree(parent);
                    } catch (IOException ignored) {
                        // best effort: it is a temp folder
                    }
                }));
                folder = parent.resolve("sample-logs");
                summary = SampleLogGenerator.generate(folder, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    static synchronized SampleLogGenerator.Summary summary() {
        folder();
        return summary;
    }

    static List<String> lines(String split, String file) {
        try {
            return Files.readAllLines(folder().resolve(split).resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AnomalyLabels labels(String split) {
        return AnomalyLabels.load(folder().resolve(split).resolve("labels.tsv"));
    }

    /** Relative path ('/'-separated) to content, for comparing whole generations. */
    static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return out;
    }
}
